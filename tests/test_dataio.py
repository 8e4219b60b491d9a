"""数据管理 (1/3): template ↔ contract, export shape, readers (WPS-style .xlsx, CSV in UTF-8 / BOM / GBK),
the export → import round trip (every kpis figure identical), merge rules, the 数据管理 page.

Shared helpers (small 2-quarter slice of the demo, sheet writers) are imported by the other two files.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import duckdb
import polars as pl
import pytest

from dashboard import cli, db
from dashboard.dataio import publish as pub
from dashboard.dataio import template as T
from dashboard.dataio import validate as V

ROOT = Path(__file__).resolve().parent.parent
Q2, Q3 = dt.date(2026, 6, 30), dt.date(2026, 9, 30)


# ---------------------------------------------------------------------------------------------- helpers
def load_tables(path) -> dict[str, pl.DataFrame]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: con.sql(f"SELECT * FROM {t}").pl() for t in T.TABLES}
    finally:
        con.close()


def slice_tables(demo: dict[str, pl.DataFrame], n: int = 200) -> dict[str, pl.DataFrame]:
    """A small, consistent warehouse: quarters 2026Q2–Q3, ~550 enterprises, every small table whole."""
    party = demo["enterprise_party"].filter(pl.col("quarter_end").is_in([Q2, Q3]))
    first = party.filter(pl.col("quarter_end") == Q3)["enterprise_id"].unique().sort().head(n).to_list()
    ids = set(first) | set(demo["secretaries"]["enterprise_id"]) | set(demo["pairings"]["enterprise_id"]) \
        | set(demo["chain_master_plans"]["enterprise_id"])
    ids = sorted(ids)
    out = dict(demo)
    for t in ("enterprises", "enterprise_chains", "honors", "appeals"):
        out[t] = demo[t].filter(pl.col("enterprise_id").is_in(ids))
    out["enterprise_party"] = party.filter(pl.col("enterprise_id").is_in(ids))
    return out


def build_db(path: Path, tables: dict[str, pl.DataFrame]) -> Path:
    from dashboard.warehouse import write_warehouse
    meta = {"as_of": "2026-09-30", "data_version": "test-slice", "source": "demo", "loaded_at": "2026-10-01T00:00:00"}
    return write_warehouse(path, tables, meta, make_targets=False)


def sha(path) -> str:
    return hashlib.sha256(Path(path).resolve().read_bytes()).hexdigest()


def cell(v):
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, list):
        return ",".join(v)
    return v


def sheet_rows(table: str, df: pl.DataFrame) -> tuple[list[str], list[list]]:
    """Chinese headers and python values of a raw table, as a user's sheet would hold them."""
    t = T.TABLES[table]
    return [c.zh for c in t.cols], [[cell(v) for v in r] for r in df.select(t.columns).iter_rows()]


def write_xlsx(path: Path, sheets: dict[str, tuple[list[str], list[list]]], notes: bool = True) -> Path:
    """A workbook as staff fill it in: header row, the notes row (optional), values (dates as date cells)."""
    import xlsxwriter
    wb = xlsxwriter.Workbook(str(path))
    dfmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for name, (headers, rows) in sheets.items():
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, headers)
        r0 = 1
        if notes:
            ws.write_row(1, 0, [T.NOTE_PREFIX + "…" for _ in headers])
            r0 = 2
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, dt.date):
                    ws.write_datetime(r0 + i, j, dt.datetime(v.year, v.month, v.day), dfmt)
                elif isinstance(v, (int, float)):
                    ws.write_number(r0 + i, j, v)
                else:
                    ws.write_string(r0 + i, j, str(v))
    wb.close()
    return path


def csv_text(headers: list[str], rows: list[list]) -> str:
    import csv
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(headers)
    for r in rows:
        w.writerow(["" if v is None else (v.isoformat() if isinstance(v, dt.date) else v) for v in r])
    return buf.getvalue()


def kpis_json(path: str, quarter: str, chain=None, park=None) -> dict:
    argv = ["--db", path, "kpis", "--quarter", quarter, "--json"] + (["--chain", chain] if chain else []) \
        + (["--park", park] if park else [])
    out = io.StringIO()
    import contextlib
    try:
        with contextlib.redirect_stdout(out):
            assert cli.main(argv) == 0
    finally:
        db.set_db_path(None)          # cli.main sets the process-wide --db; leave the session's env in charge
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def demo_tables(warehouse_path):
    return load_tables(warehouse_path)


@pytest.fixture(scope="module")
def small_tables(demo_tables):
    return slice_tables(demo_tables)


@pytest.fixture(scope="module")
def small_file(tmp_path_factory, small_tables) -> Path:
    return build_db(tmp_path_factory.mktemp("slice") / "base.duckdb", small_tables)


@pytest.fixture
def small_db(tmp_path, small_file) -> Path:
    """A fresh warehouse (regular file, not yet versioned) holding the small slice."""
    p = tmp_path / "wh" / "warehouse.duckdb"
    p.parent.mkdir()
    shutil.copyfile(small_file, p)
    return p


def party_upload(small_tables, quarter=Q3, n=20) -> pl.DataFrame:
    return small_tables["enterprise_party"].filter(pl.col("quarter_end") == quarter).sort("enterprise_id").head(n)


# ------------------------------------------------------------------------------------ template/contract
def test_template_covers_the_contract(raw):
    """Every raw table except meta is a sheet; columns and types equal the warehouse's; headers map both ways."""
    tables = {r[0] for r in raw.sql("SELECT table_name FROM information_schema.tables WHERE table_schema='main'"
                                    " AND table_name NOT LIKE 'mart_%' AND table_name NOT LIKE 'dim_%'").fetchall()}
    assert set(T.TABLES) == tables - {"meta"}
    for name, t in T.TABLES.items():
        schema = raw.sql(f"SELECT * FROM {name} LIMIT 0").pl().schema
        assert t.columns == list(schema), name
        for c in t.cols:
            assert V.DTYPE[c.type] == schema[c.name], (name, c.name)
            assert T.map_header(name, c.zh) == c.name and T.map_header(name, c.name.upper()) == c.name
        assert len({c.zh for c in t.cols}) == len(t.cols)
        assert set(t.key) <= set(t.columns)
    assert len(set(T.SHEETS)) == 15 and T.table_for_sheet("企业党建") == "enterprise_party"
    enums = {c.name: set(c.enum) for t in T.TABLES.values() for c in t.cols if c.enum}
    for col, table in [("size", "enterprises"), ("org_type", "enterprise_party"), ("honor", "honors"),
                       ("role", "enterprise_chains"), ("program", "pairing_activities"), ("source", "appeals"),
                       ("coverage_mode", "chains"), ("unit_type", "units")]:
        have = {r[0] for r in raw.sql(f"SELECT DISTINCT {col} FROM {table}").fetchall()}
        assert have <= enums[col], col


def test_template_workbook(tmp_path, capsys):
    """CLI template: guide + 15 sheets, Chinese headers with comments, notes row, dropdowns, a marked
    example row; the example rows form a valid dataset and are skipped on import."""
    import openpyxl
    out = tmp_path / "模板.xlsx"
    assert cli.main(["template", "--out", str(out)]) == 0
    assert "已生成导入模板" in capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [T.GUIDE_SHEET] + [t.sheet for t in T.TABLES.values()]
    ws = wb["企业党建"]
    heads = [c.value for c in ws[1]][:8]
    assert heads == [c.zh for c in T.TABLES["enterprise_party"].cols]
    assert "字段:org_type" in ws["C1"].comment.text
    assert all(str(c.value).startswith("说明:") for c in ws[2][:8])
    assert ws.cell(3, 9).value == T.EXAMPLE_MARK
    lists = {str(dv.sqref).split(":")[0][0]: dv.formula1 for dv in ws.data_validations.dataValidation
             if dv.type == "list"}
    assert lists["C"] == '"单独组建,联合组建,无"' and lists["F"] == '"是,否"'
    # the untouched template: notes and example rows are ignored → nothing to import
    res = pub.check([out], tmp_path / "none" / "warehouse.duckdb", mode="update")
    assert [i.rule for i in res.plan.issues] == [V.R_NO_DATA]
    # the examples, un-marked, are one consistent valid record per table
    for t in T.TABLES.values():
        s = wb[t.sheet]
        s.cell(3, len(t.cols) + 1).value = None
    wb.save(tmp_path / "examples.xlsx")
    res = pub.check([tmp_path / "examples.xlsx"], tmp_path / "none" / "warehouse.duckdb")
    assert res.plan.ok, [i.message for i in res.plan.issues]
    assert res.plan.mode == "replace" and res.plan.after["enterprise_party"] == 1


def test_export_is_the_template_shape(tmp_path, small_db, small_tables):
    """export: same sheets and header/notes rows as the template, data from row 3, values as typed cells."""
    import openpyxl
    out = tmp_path / "导出.xlsx"
    try:
        assert cli.main(["--db", str(small_db), "export", "--out", str(out)]) == 0
    finally:
        db.set_db_path(None)
    wb = openpyxl.load_workbook(out, read_only=True)
    assert wb.sheetnames == [T.GUIDE_SHEET] + [t.sheet for t in T.TABLES.values()]
    rows = list(wb["企业"].iter_rows(values_only=True))
    assert list(rows[0][:10]) == [c.zh for c in T.TABLES["enterprises"].cols]
    assert str(rows[1][0]).startswith("说明:")
    assert len(rows) - 2 == small_tables["enterprises"].height
    first = small_tables["enterprises"].row(0, named=True)
    r = rows[2]
    assert r[0] == first["enterprise_id"] and r[1] == first["uscc"] and r[6] == first["employees"]
    assert r[8].date() == first["founded_on"]           # a real date cell
    chains = list(wb["产业链"].iter_rows(values_only=True))
    assert chains[2][4] == ",".join(small_tables["chains"]["partner_unit_ids"][0])


# -------------------------------------------------------------------------------------------- round trip
def test_round_trip_full_demo_every_kpi_identical(tmp_path, warehouse_path):
    """Export the ×1 demo → import it into a fresh versioned location → every kpis figure (district,
    C02, P01) and every raw table and mart_kpi row identical."""
    a = tmp_path / "a" / "warehouse.duckdb"
    a.parent.mkdir()
    shutil.copyfile(warehouse_path, a)
    x = tmp_path / "全部数据.xlsx"
    pub.export_warehouse(x, a)
    b = tmp_path / "b" / "warehouse.duckdb"
    res = pub.import_files([x], b)
    assert res.published, [i.message for i in res.plan.issues]
    assert res.plan.mode == "replace"
    assert b.is_symlink() and b.resolve().parent == (tmp_path / "b" / "versions").resolve()
    for chain, park in [(None, None), ("C02", None), (None, "P01")]:
        ka, kb = kpis_json(str(a), "2026Q3", chain, park), kpis_json(str(b), "2026Q3", chain, park)
        assert ka["kpis"] == kb["kpis"] and len(ka["kpis"]) == 14
    assert kpis_json(str(a), "2024Q4", "C12")["kpis"] == kpis_json(str(b), "2024Q4", "C12")["kpis"]
    con = duckdb.connect()
    con.execute(f"ATTACH '{a}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{b.resolve()}' AS b (READ_ONLY)")
    for t in list(T.TABLES) + ["mart_kpi", "mart_target_status"]:
        diff = con.sql(f"SELECT count(*) FROM (SELECT * FROM a.{t} EXCEPT ALL SELECT * FROM b.{t})").fetchall()[0][0]
        diff += con.sql(f"SELECT count(*) FROM (SELECT * FROM b.{t} EXCEPT ALL SELECT * FROM a.{t})").fetchall()[0][0]
        assert diff == 0, t
    meta = dict(con.sql("SELECT key, value FROM b.meta").fetchall())
    con.close()
    assert meta["source"] == "import:全部数据.xlsx" and meta["data_version"] == res.version
    assert meta["as_of"] == "2026-09-30"


# ----------------------------------------------------------------------------------------------- readers
def test_csv_in_utf8_bom_and_gbk_read_the_same(tmp_path, small_db, small_tables):
    up = party_upload(small_tables).with_columns(org_type=pl.lit("联合组建"), n_members=pl.lit(5, pl.Int32))
    heads, rows = sheet_rows("enterprise_party", up)
    text = csv_text(heads, rows)
    variants = {"企业党建-utf8.csv": text.encode("utf-8"), "企业党建-bom.csv": b"\xef\xbb\xbf" + text.encode("utf-8"),
                "企业党建-gbk.csv": text.encode("gbk")}
    frames = []
    for name, data in variants.items():
        res = pub.check([(name, data)], small_db, mode="update")
        assert res.plan.ok, [i.message for i in res.plan.issues]
        assert res.plan.uploaded == {"enterprise_party": 20}
        assert res.plan.files[0].encoding == {"utf8": "UTF-8", "bom": "UTF-8(带 BOM)", "gbk": "GBK"}[name[5:-4]]
        frames.append(res.plan.tables["enterprise_party"].sort("enterprise_id", "quarter_end"))
    assert frames[0].equals(frames[1]) and frames[0].equals(frames[2])
    res = pub.import_files([("enterprise_party.csv", variants["企业党建-gbk.csv"])], small_db, mode="update")
    assert res.published
    got = duckdb.connect(str(small_db.resolve()), read_only=True).sql(
        "SELECT org_type, n_members, count(*) FROM enterprise_party WHERE quarter_end = DATE '2026-09-30' "
        "GROUP BY ALL").fetchall()
    assert got == [("联合组建", 5, 20)]        # the quarter was replaced by the 20 uploaded rows


def _wps_like_xlsx(rows: list[list[str | None]]) -> bytes:
    """A workbook written the way WPS/other tools do it (not by xlsxwriter/openpyxl): inline and
    't="str"' strings, no r= attributes, dates as serial numbers with built-in date format 14, numbers
    stored as text, an extra empty sheet, Application = WPS 表格."""
    def c(v):
        if v is None:
            return "<c/>"
        if isinstance(v, tuple):           # (serial, 'date')
            return f'<c s="1"><v>{v[0]}</v></c>'
        if isinstance(v, (int, float)):
            return f"<c><v>{v}</v></c>"
        return f'<c t="inlineStr"><is><t>{v}</t></is></c>'
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             + "".join("<row>" + "".join(c(v) for v in r) + "</row>" for r in rows) + "</sheetData></worksheet>")
    empty = ('<?xml version="1.0" encoding="UTF-8"?><worksheet '
             'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>')
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>',
        "docProps/app.xml": '<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>WPS 表格</Application></Properties>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="企业党建" sheetId="1" r:id="rId1"/><sheet name="Sheet1" sheetId="2" r:id="rId2"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>',
        "xl/worksheets/sheet1.xml": sheet,
        "xl/worksheets/sheet2.xml": empty,
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buf.getvalue()


def test_wps_style_workbook(small_db, small_tables):
    """WPS-saved quirks are read correctly: serial dates, text numbers, 是/否 and TRUE, full-width spaces,
    dates typed as text in Chinese form, an extra empty Sheet1."""
    up = party_upload(small_tables, n=4)
    serial = (Q3 - dt.date(1899, 12, 30)).days
    heads = [c.zh for c in T.TABLES["enterprise_party"].cols]
    heads[0] = "\u3000企业编号 "
    rows = [heads]
    for i, e in enumerate(up["enterprise_id"].to_list()):
        q = [(serial, "date"), "2026/9/30", "2026年9月30日", "20260930"][i]
        rows.append([e, q, "单独组建", "7" if i % 2 else 7, 1, "是", "TRUE" if i else "否", "否"])
    res = pub.check([("企业党建(WPS).xlsx", _wps_like_xlsx(rows))], small_db, mode="update")
    assert res.plan.ok, [i.message for i in res.plan.issues]
    assert res.plan.files[0].ignored == ["Sheet1"]
    got = res.plan.tables["enterprise_party"].filter(pl.col("enterprise_id").is_in(up["enterprise_id"].to_list())
                                                     & (pl.col("quarter_end") == Q3)).sort("enterprise_id")
    assert got["quarter_end"].to_list() == [Q3] * 4 and got["n_members"].to_list() == [7] * 4
    assert got["has_union"].to_list() == [False, True, True, True]


# ---------------------------------------------------------------------------------------- merge rules
def test_update_replaces_a_quarter_and_appends_a_new_one(small_db, small_tables):
    """企业党建 rows of a quarter in the upload replace that quarter; a new quarter is appended and moves
    数据截至 (meta.as_of, the quarter list); other quarters and tables stay."""
    q4 = dt.date(2026, 12, 31)
    new_q = party_upload(small_tables, n=30).with_columns(quarter_end=pl.lit(q4))
    appeal = small_tables["appeals"].head(1).with_columns(appeal_id=pl.lit("A9999999"), received_on=pl.lit(dt.date(2026, 11, 2)),
                                                          transferred_on=pl.lit(None, pl.Date), due_on=pl.lit(dt.date(2026, 12, 2)),
                                                          resolved_on=pl.lit(None, pl.Date), satisfaction=pl.lit(None, pl.Int32))
    x = write_xlsx(small_db.parent / "2026Q4.xlsx", {"企业党建": sheet_rows("enterprise_party", new_q),
                                                      "企业诉求": sheet_rows("appeals", appeal)})
    res = pub.import_files([x], small_db)
    assert res.published and res.plan.mode == "update", [i.message for i in res.plan.issues]
    assert "新增季度 2026Q4" in res.plan.changes["enterprise_party"]
    n_q3 = small_tables["enterprise_party"].filter(pl.col("quarter_end") == Q3).height
    assert res.plan.warnings == [w for w in res.plan.warnings if "企业党建 2026Q4 只上传了 30 行" in w
                                 and f"上一季度 2026Q3的 {n_q3:,} 行" in w] and len(res.plan.warnings) == 1
    con = duckdb.connect(str(small_db.resolve()), read_only=True)
    per_q = dict(con.sql("SELECT quarter_end, count(*) FROM enterprise_party GROUP BY 1").fetchall())
    old = small_tables["enterprise_party"]
    assert per_q == {Q2: old.filter(pl.col("quarter_end") == Q2).height,
                     Q3: old.filter(pl.col("quarter_end") == Q3).height, q4: 30}
    assert dict(con.sql("SELECT key, value FROM meta").fetchall())["as_of"] == "2026-12-31"
    assert con.sql("SELECT max(label) FROM dim_quarter").fetchall()[0][0] == "2026Q4"
    assert con.sql("SELECT count(*) FROM appeals").fetchall()[0][0] == small_tables["appeals"].height + 1
    assert con.sql("SELECT count(*) FROM enterprises").fetchall()[0][0] == small_tables["enterprises"].height
    con.close()
    # replace 2026Q3 with 10 rows: Q3 shrinks to 10, Q2 and Q4 unchanged
    x = write_xlsx(small_db.parent / "2026Q3.xlsx", {"企业党建": sheet_rows("enterprise_party", party_upload(small_tables, n=10))})
    res = pub.import_files([x], small_db)
    assert res.published and "替换季度 2026Q3" in res.plan.changes["enterprise_party"]
    assert "只上传了 10 行,少于原该季度" in res.plan.warnings[0]
    con = duckdb.connect(str(small_db.resolve()), read_only=True)
    assert dict(con.sql("SELECT quarter_end, count(*) FROM enterprise_party GROUP BY 1").fetchall()) == {
        Q2: per_q[Q2], Q3: 10, q4: 30}
    con.close()


def test_update_upserts_by_key_and_replaces_chains_per_enterprise(small_db, small_tables):
    """诉求 with an existing 编号 is updated in place (办结 later), a new one added; 企业所属产业链 of an
    uploaded enterprise is exactly the uploaded rows."""
    ap = small_tables["appeals"].filter(pl.col("resolved_on").is_null()).sort("appeal_id").head(1)
    aid = ap["appeal_id"][0]
    ap = ap.with_columns(resolved_on=pl.lit(dt.date(2026, 9, 29)), satisfaction=pl.lit(4, pl.Int32))
    ec = small_tables["enterprise_chains"]
    multi = ec.group_by("enterprise_id").len().filter(pl.col("len") >= 1).sort("enterprise_id")["enterprise_id"][0]
    new_ec = pl.DataFrame({"enterprise_id": [multi], "chain_id": ["C13"], "role": ["核心"]})
    x = write_xlsx(small_db.parent / "更新.xlsx", {"企业诉求": sheet_rows("appeals", ap),
                                                 "企业所属产业链": sheet_rows("enterprise_chains", new_ec)})
    res = pub.import_files([x], small_db)
    assert res.published, [i.message for i in res.plan.issues]
    con = duckdb.connect(str(small_db.resolve()), read_only=True)
    assert con.sql("SELECT resolved_on, satisfaction FROM appeals WHERE appeal_id = $a", params={"a": aid}).fetchall() \
        == [(dt.date(2026, 9, 29), 4)]
    assert con.sql("SELECT count(*) FROM appeals").fetchall()[0][0] == small_tables["appeals"].height
    assert con.sql("SELECT chain_id, role FROM enterprise_chains WHERE enterprise_id = $e",
                   params={"e": multi}).fetchall() == [("C13", "核心")]
    assert con.sql("SELECT count(*) FROM enterprise_chains").fetchall()[0][0] == \
        ec.height - ec.filter(pl.col("enterprise_id") == multi).height + 1
    con.close()


# ------------------------------------------------------------------------------------------------ page
def _page(small_db, monkeypatch, state: dict | None = None):
    from streamlit.testing.v1 import AppTest
    monkeypatch.setenv("DASHBOARD_DB", str(small_db))
    db.set_db_path(None)
    at = AppTest.from_file(str(ROOT / "views" / "data_admin.py"), default_timeout=120)
    for k, v in (state or {}).items():
        at.session_state[k] = v
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_page_preview_publish_versions_rollback(small_db, small_tables, monkeypatch):
    """数据管理 page: versions list; a checked upload shows rows before → after and KPIs before → after;
    发布 makes it current; 回滚 switches back; the import log lists both."""
    at = _page(small_db, monkeypatch)
    assert any("还没有通过导入发布的版本" in i.value for i in at.info)
    x = write_xlsx(small_db.parent / "企业党建2026Q3.xlsx",
                   {"企业党建": sheet_rows("enterprise_party", party_upload(small_tables, n=15))})
    res = pub.check([x], small_db, mode="update")
    pub.build_candidate(res)
    at = _page(small_db, monkeypatch, {"da_result": res})
    frames = [d.value for d in at.dataframe]
    rows = next(f for f in frames if "导入前" in f.columns and "工作表" in f.columns)
    party = rows[rows["工作表"] == "企业党建"].iloc[0]
    assert party["导入后"] == small_tables["enterprise_party"].filter(pl.col("quarter_end") == Q2).height + 15
    kp = next(f for f in frames if "指标" in f.columns)
    assert list(kp["指标"])[:2] == ["企业数", "中小企业数"] and "(2026Q3)" in kp["导入后"].iloc[0]
    at.button(key="da_publish").click().run()
    assert not at.exception
    assert any(res.version in s.value for s in at.success)
    assert small_db.resolve().stem == res.version
    vers = next(d.value for d in at.dataframe if "版本" in d.value.columns and "当前" in d.value.columns)
    assert len(vers) == 2 and vers.iloc[0]["版本"] == res.version and vers.iloc[0]["当前"] == "● 当前"
    initial = vers.iloc[1]["版本"]
    at.selectbox(key="da_rb_target").set_value(initial)
    at.checkbox(key="da_rb_sure").check().run()
    at.button(key="da_rollback").click().run()
    assert not at.exception
    assert small_db.resolve().stem == initial
    log = next(d.value for d in at.dataframe if "操作" in d.value.columns)
    assert list(log["操作"])[:2] == ["回滚", "导入"]
    assert "企业党建2026Q3.xlsx" in log.iloc[1]["文件(SHA-256 前 12 位)"]


def test_bench_measure_keys(small_file):
    from tools.bench.dataio import measure
    m = measure(str(small_file))
    assert {"export_s", "validate_s", "publish_s", "rows"} <= set(m)
    assert m["rows"] == sum(load_tables(small_file)[t].height for t in T.TABLES)
    assert all(m[k] > 0 for k in ("export_s", "validate_s", "publish_s"))


def test_vectorised_uscc_check_equals_the_reference(demo_tables):
    """validate.uscc_ok (polars) gives exactly dashboard.uscc.is_valid_uscc on real and corrupted codes."""
    from dashboard.uscc import USCC_CHARSET, is_valid_uscc
    codes = demo_tables["enterprises"]["uscc"].head(5000).to_list()
    bad = [c[:17] + USCC_CHARSET[(USCC_CHARSET.index(c[17]) + 1 + i % 30) % 31] for i, c in enumerate(codes[:2000])]
    df = pl.DataFrame({"c": codes + bad})
    got = df.select(V.uscc_ok(pl.col("c")))["c"].to_list()
    assert got == [is_valid_uscc(c) for c in codes + bad]
    assert sum(got) == 5000
