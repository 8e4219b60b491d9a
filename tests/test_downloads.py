"""Downloads: export.to_xlsx / to_csv on a real query result, and the Excel a user really downloads."""
import csv
import datetime as dt
import io

import openpyxl
import polars as pl
import pytest

from browser_support import app_exceptions, wait_for_app, open_page
from dashboard import export
from dashboard.db import run_query

Q = dt.date(2026, 9, 30)
# the overdue list exactly as 诉求办理 shows it (source column → Chinese header)
OVERDUE_COLUMNS = {"name": "企业", "handler_unit_name": "承办单位", "category": "类别", "source": "来源",
                   "received_on": "收到日期", "due_on": "办理期限", "days_overdue": "超期天数",
                   "chain_name": "产业链", "park_name": "园区", "appeal_id": "诉求编号"}
RAW_OVERDUE = """SELECT a.appeal_id, e.name, CAST($q - a.due_on AS INTEGER) AS days, a.received_on
    FROM appeals a JOIN enterprises e USING (enterprise_id)
    WHERE a.received_on <= $q AND (a.resolved_on IS NULL OR a.resolved_on > $q) AND a.due_on < $q
      AND (CAST($c AS VARCHAR) IS NULL OR a.chain_id = $c)
    ORDER BY days DESC, a.appeal_id"""


_open = open_page


@pytest.fixture()
def overdue(warehouse_path):
    df = run_query("appeals/overdue", quarter_end=Q, chain_id="*", park_id="*")
    return df.select([pl.col(c).alias(h) for c, h in OVERDUE_COLUMNS.items()])


def test_xlsx_of_a_real_query(overdue, raw):
    want = raw.sql(RAW_OVERDUE, params={"q": Q, "c": None}).fetchall()
    assert overdue.height == len(want) > 0
    wb = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(overdue, "超期未办结")))
    ws = wb["超期未办结"]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == list(OVERDUE_COLUMNS.values())
    assert len(rows) - 1 == len(want)
    for got, (appeal_id, name, days, received) in zip(rows[1:4], want[:3]):
        rec = dict(zip(rows[0], got))
        assert (rec["诉求编号"], rec["企业"], rec["超期天数"]) == (appeal_id, name, days)
        assert rec["收到日期"].date() == received          # a real Excel date, not text
    assert ws.cell(row=2, column=5).number_format == "yyyy-mm-dd"


def test_csv_of_a_real_query(overdue, raw):
    data = export.to_csv(overdue)
    assert data.startswith(b"\xef\xbb\xbf")                # BOM: Excel/WPS open it as UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(OVERDUE_COLUMNS.values())
    want = raw.sql(RAW_OVERDUE, params={"q": Q, "c": None}).fetchall()
    assert len(rows) - 1 == len(want)
    first = dict(zip(rows[0], rows[1]))
    assert (first["诉求编号"], first["企业"], int(first["超期天数"])) == want[0][:3]
    assert first["收到日期"] == want[0][3].isoformat()
    # parses back into the same frame
    back = pl.read_csv(io.BytesIO(data[3:]), try_parse_dates=True)
    assert back.columns == overdue.columns and back.height == overdue.height
    assert back["超期天数"].to_list() == overdue["超期天数"].to_list()


def test_status_words_in_colour_not_colour_names(warehouse_path, raw):
    """One status vocabulary in the exports: a status column ("● 黄", "红" as a page may carry it) is
    written as 正常/关注/滞后 — in the XLSX in the pages' colours (conditional formats), in the CSV as words."""
    from dashboard import targets
    items = targets.items(Q)
    df = items.select(pl.col("label").alias("指标"),
                      (pl.lit("● ") + pl.col("status")).alias("状态"),       # the tables' old "● 黄"
                      pl.col("status").alias("判断"))
    n = dict(raw.sql("SELECT status, count(*) FROM mart_target_status WHERE quarter_end = $q GROUP BY 1",
                     params={"q": Q}).fetchall())
    want = {"正常": "22A06B", "关注": "D69E2E", "滞后": "E8473C"}
    ws = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(df, "目标"))).active
    rows = list(ws.iter_rows(values_only=True))[1:]
    words = {"绿": "正常", "黄": "关注", "红": "滞后"}
    assert [r[1] for r in rows] == [words[s] for s in items["status"]] == [r[2] for r in rows]
    assert {r[1] for r in rows} == set(want)                  # the demo has all three
    assert {w: sum(1 for r in rows if r[1] == w) for w in want} == {words[k]: v for k, v in n.items()}
    rules = {}
    for rng, rs in ws.conditional_formatting._cf_rules.items():
        for r in rs:
            rules.setdefault(str(rng.sqref), {})[r.formula[0].strip('"')] = r.dxf.font.color.rgb[-6:]
    assert rules == {f"B2:B{len(rows) + 1}": want, f"C2:C{len(rows) + 1}": want}
    text = export.to_csv(df).decode("utf-8-sig")
    body = list(csv.reader(io.StringIO(text)))[1:]
    assert [r[1] for r in body] == [words[s] for s in items["status"]]
    assert "●" not in text and not any(r[1] in ("绿", "黄", "红") for r in body)
    # a table's "— 未设目标" beside the statuses stays as it is; the column is still a status column
    mixed = pl.DataFrame({"目标状态": ["● 关注", "— 未设目标", "红"]})
    assert list(csv.reader(io.StringIO(export.to_csv(mixed).decode("utf-8-sig")))) == [["目标状态"], ["关注"],
                                                                                       ["— 未设目标"], ["滞后"]]


@pytest.mark.browser
def test_downloaded_excel_holds_exactly_the_listed_rows(page, streamlit_server, offsite_requests, raw):
    """The user's click on 下载 Excel under the overdue list of chain C02: Chinese headers, the listed rows."""
    _open(page, streamlit_server, "/appeals?quarter=2026Q3&chain=C02")
    page.get_by_text("超期未办结诉求清单").first.wait_for(timeout=30_000)
    assert not app_exceptions(page)
    want = raw.sql(RAW_OVERDUE, params={"q": Q, "c": "C02"}).fetchall()
    page.get_by_text(f"共 {len(want):,} 家").first.wait_for(timeout=10_000)   # what the list says it holds
    button = page.locator(".st-key-ap_overdue_xlsx button")
    with page.expect_download(timeout=30_000) as info:
        button.click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx") and "超期未办结诉求" in download.suggested_filename
    with open(download.path(), "rb") as fh:
        wb = openpyxl.load_workbook(io.BytesIO(fh.read()))
    rows = list(wb.active.iter_rows(values_only=True))
    assert list(rows[0]) == list(OVERDUE_COLUMNS.values())
    assert len(rows) - 1 == len(want)
    assert [(r[-1], r[0], r[6]) for r in rows[1:]] == [w[:3] for w in want]
