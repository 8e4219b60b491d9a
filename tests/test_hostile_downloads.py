"""Downloads are formula-safe and ready to paste (issue 10 point 2, issue 13 point 6).

- Text cells that start with = + - @ tab CR get a leading ' (CSV and XLSX), numbers stay numbers.
- XLSX rates carry the percent format "0.0%", counts "#,##0"; CSV rates read "73.3%", no 16-decimal floats.
- Every download on every page of a warehouse whose every text column is hostile (imported through the
  real importer) holds no formula; and the one a user really clicks in Chromium neither.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from browser_support import StreamlitServer, app_exceptions, open_page
from dashboard import db, export
from hostile import FORMULA_START, PAYLOADS, hostile_copy
from test_dataio import demo_tables, small_file, small_tables  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parent.parent
Q = dt.date(2026, 9, 30)
LONG_DECIMAL = re.compile(r"^-?\d+\.\d{3,}%?$")


# ------------------------------------------------------------------------------------------- checks
def csv_cells(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def assert_csv_formula_free(data: bytes) -> int:
    """No CSV cell a spreadsheet would evaluate; returns how many cells were neutralised."""
    rows = csv_cells(data)
    neutralised = 0
    for row in rows[1:]:
        for v in row:
            if v.startswith("'") and v[1:2] and v[1] in FORMULA_START:
                neutralised += 1
                continue
            if v and v[0] in FORMULA_START:
                float(v.rstrip("%"))            # only a number (e.g. -3, -1.5%) may start with - or +
    return neutralised


def assert_xlsx_formula_free(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                xml = z.read(name)
                assert b"<f>" not in xml and b"<f " not in xml, name
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    neutralised = 0
    for row in ws.iter_rows(min_row=2):
        for c in row:
            if c.data_type == "f":
                raise AssertionError(f"formula in {c.coordinate}: {c.value}")
            if isinstance(c.value, str) and c.value[:1] in FORMULA_START:
                raise AssertionError(f"unneutralised text in {c.coordinate}: {c.value!r}")
            if isinstance(c.value, str) and c.value.startswith("'") and c.value[1:2] in FORMULA_START:
                neutralised += 1
    return neutralised


# ---------------------------------------------------------------------------------------- unit level
def test_hostile_text_is_neutralised_and_numbers_stay_numbers():
    texts = PAYLOADS + ["\t=1+1", "\r=1+1", "-", "正常文本", "a=b", "", None]
    df = pl.DataFrame({"名称": texts, "变化": [-3 - i for i in range(len(texts))],
                       "增减率": [-0.05 + i / 100 for i in range(len(texts))]})
    rows = csv_cells(export.to_csv(df))
    for (name, change, _), text in zip(rows[1:], texts):
        if text and text[0] in FORMULA_START:
            assert name == "'" + text
        else:
            assert name == (text or "")
        assert int(change) < 0                          # a negative number is written as a number
    assert assert_csv_formula_free(export.to_csv(df)) == sum(1 for t in texts if t and t[0] in FORMULA_START)

    ws = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(df))).active
    got = [((r[0].value or "").replace("_x000D_", "\r") or None, r[1].value, r[1].data_type)   # CR as OOXML writes it
           for r in ws.iter_rows(min_row=2)]
    for (name, change, kind), text in zip(got, texts):
        assert name == (("'" + text) if text and text[0] in FORMULA_START else (text or None))
        assert kind == "n" and change < 0
    assert assert_xlsx_formula_free(export.to_xlsx(df)) > 0


def page_downloads(page: str, monkeypatch, **query) -> dict[str, tuple]:
    """Run a page under AppTest and return what each download button was given: key → (df, formats, cfg)."""
    from streamlit.testing.v1 import AppTest

    from dashboard import ui
    made = {}

    def record(df, filename, key, sheet="数据", *, formats=None, column_config=None):
        made[key] = (df, formats, column_config)

    monkeypatch.setattr(ui, "download_buttons", record)
    at = AppTest.from_file(str(ROOT / "views" / f"{page}.py"), default_timeout=120)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return made


def test_rates_are_percentages_and_decimals_as_shown(warehouse_path, raw, monkeypatch):
    """The 诉求办理 table by handler unit, downloaded as the page offers it: the rate is a percentage in both
    files and equals 累计办结 ÷ 累计收到, 满意度 keeps its 2 decimals, counts are counts."""
    table, formats, cfg = page_downloads("appeals", monkeypatch)["ap_dl_handler"]
    rows = csv_cells(export.to_csv(table, formats, cfg))
    head = rows[0]
    assert head[:3] == ["承办单位", "本季收到", "办结率"]
    for r in rows[1:]:
        rec = dict(zip(head, r))
        received, resolved = int(rec["累计收到"]), int(rec["累计办结"])
        assert rec["办结率"] == (f"{resolved / received * 100:.1f}%" if received else "")
        for k, v in rec.items():
            assert not LONG_DECIMAL.match(v), (k, v)   # never 0.9166666666666666
        if rec["满意度"]:
            assert re.fullmatch(r"\d\.\d{1,2}", rec["满意度"])
    # independent: the raw appeals table gives the same cumulative counts for the first unit
    first = dict(zip(head, rows[1]))
    n_rec = raw.sql("""SELECT count(*) FROM appeals a JOIN units u ON u.unit_id = a.handler_unit_id
                       WHERE u.name = $n AND a.received_on <= $q""", params={"n": first["承办单位"], "q": Q}).fetchall()[0][0]
    assert n_rec == int(first["累计收到"])

    ws = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(table, "数据", formats, cfg))).active
    header = [c.value for c in ws[1]]
    rate = ws.cell(row=2, column=header.index("办结率") + 1)
    count = ws.cell(row=2, column=header.index("累计收到") + 1)
    sat = ws.cell(row=2, column=header.index("满意度") + 1)
    assert rate.number_format == "0.0%" and 0 <= rate.value <= 1
    assert rate.value == pytest.approx(table["办结率"][0])
    assert count.number_format == "#,##0" and isinstance(count.value, int)
    assert sat.number_format == "#,##0.00"


def test_rates_found_by_name_when_the_caller_says_nothing(raw):
    """Without any hint a float column named …率 (0–1) is a percentage; other floats one decimal."""
    df = pl.DataFrame({"产业链": ["甲", "乙"], "组织覆盖率": [0.64285714, 1.0], "平均办结天数": [20.3333333, 7.0],
                       "企业数": [1234567, 8]})
    rows = csv_cells(export.to_csv(df))
    assert rows[1:] == [["甲", "64.3%", "20.3", "1234567"], ["乙", "100.0%", "7.0", "8"]]
    ws = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(df))).active
    assert [c.number_format for c in ws[2]] == ["General", "0.0%", "#,##0.0", "#,##0"]


# ------------------------------------------------------------------------------- the hostile warehouse
@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory, small_file, small_tables) -> Path:
    return hostile_copy(small_file, small_tables, tmp_path_factory.mktemp("hostile"))


PAGES = ["overview", "chain", "park", "cultivation", "coverage", "secretary", "appeals", "pairing",
         "chain_master", "enterprise", "definitions"]
SCOPES = [{}, {"chain": "C02"}, {"park": "P01"}]


def test_every_page_download_of_the_hostile_warehouse_is_formula_free(hostile_db, monkeypatch):
    """Every Excel/CSV download on every page (district, a chain, a park) of the hostile warehouse."""
    from streamlit.testing.v1 import AppTest

    from dashboard import ui
    monkeypatch.setenv("DASHBOARD_DB", str(hostile_db))
    db.set_db_path(None)
    made = []

    def record(df, filename, key, sheet="数据", *, formats=None, column_config=None):
        made.append((key, export.to_csv(df, formats, column_config), export.to_xlsx(df, sheet, formats, column_config)))

    monkeypatch.setattr(ui, "download_buttons", record)
    for page in PAGES:
        for scope in SCOPES:
            at = AppTest.from_file(str(ROOT / "views" / f"{page}.py"), default_timeout=120)
            for k, v in scope.items():
                at.query_params[k] = v
            at.run()
            assert not at.exception, (page, scope, [e.message for e in at.exception])
    assert len(made) >= 15
    neutralised = 0
    for key, c, x in made:
        neutralised += assert_csv_formula_free(c)
        assert assert_xlsx_formula_free(x) == assert_csv_formula_free(c), key
    assert neutralised > 50          # the payloads really were in the downloads (the check can fail)


@pytest.mark.browser
def test_clicked_downloads_of_the_hostile_warehouse_hold_no_formula(hostile_db, page, offsite_requests):
    """A user's clicks on 下载 CSV / 下载 Excel under the overdue list (hostile enterprise names)."""
    server = StreamlitServer("streamlit_app.py", env={"DASHBOARD_DB": str(hostile_db)})
    base = server.start(timeout=90)
    try:
        open_page(page, base, "/appeals?quarter=2026Q3")
        page.get_by_text("超期未办结诉求清单").first.wait_for(timeout=30_000)
        assert not app_exceptions(page)
        got = {}
        for kind in ("csv", "xlsx"):
            with page.expect_download(timeout=30_000) as info:
                page.locator(f".st-key-ap_overdue_{kind} button").click()
            got[kind] = Path(info.value.path()).read_bytes()
        n = assert_csv_formula_free(got["csv"])
        assert n > 0 and assert_xlsx_formula_free(got["xlsx"]) == n
        names = [r[0] for r in csv_cells(got["csv"])[1:]]
        formulas = [p for p in PAYLOADS if p[0] in FORMULA_START]
        assert any(v.startswith("'" + p) for v in names for p in formulas)     # the payload, kept as text
    finally:
        server.stop()
