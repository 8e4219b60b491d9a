"""数据管理 (2/3): bad inputs are refused with an actionable Chinese message — file, sheet, row (as Excel
shows it), column, value, rule — and the warehouse stays byte-for-byte the same.

Every case starts from a small valid upload (rows of the 2-quarter slice) and breaks one thing.
Rows: xlsx written with a notes row → data row i is Excel row i + 3; CSV → line i + 2.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import polars as pl
import pytest

from dashboard.dataio import publish as pub
from dashboard.dataio import validate as V
from test_dataio import (  # noqa: F401  (fixtures)
    csv_text, demo_tables, party_upload, sha, sheet_rows, small_file, small_tables, write_xlsx,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def store_db(tmp_path_factory, small_file) -> Path:
    p = tmp_path_factory.mktemp("bad") / "warehouse.duckdb"
    shutil.copyfile(small_file, p)
    return p


def _rows(small_tables, table, df=None):
    return sheet_rows(table, small_tables[table] if df is None else df)


def _party(small_tables, n=6):
    return sheet_rows("enterprise_party", party_upload(small_tables, n=n))


def _set(rows_pair, i, col, value):
    heads, rows = rows_pair
    rows[i][heads.index(col)] = value
    return heads, rows


def _col(rows_pair, col):
    return rows_pair[0].index(col)


# ------------------------------------------------------------------------------------------ case makers
# Each maker: (d: tmp dir, st: small tables) → list of upload items. Expected: rule, key words of the message.
def c_empty_xlsx(d, st):
    return [("空文件.xlsx", b"")]


def c_empty_csv(d, st):
    return [("企业党建.csv", b"\xef\xbb\xbf\r\n  \r\n")]


def c_text_named_xlsx(d, st):
    return [("企业党建.xlsx", "企业编号,季末日期\nE1,2026-09-30\n".encode("utf-8"))]


def c_zip_not_workbook(d, st):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    return [("报告.xlsx", buf.getvalue())]


def c_old_xls(d, st):
    return [("企业党建.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)]


def c_renamed_sheet(d, st):
    return [write_xlsx(d / "改名.xlsx", {"企业党建情况": _party(st)})]


def c_utf16_csv(d, st):
    h, r = _party(st)
    return [("企业党建.csv", csv_text(h, r).encode("utf-16"))]


def c_undecodable_csv(d, st):
    h, r = _party(st)
    return [("企业党建.csv", csv_text(h, r).encode("utf-8") + b"E0000001,2026-09-30,\xff\x80\r\n")]


def c_formula_without_value(d, st):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "企业党建"
    h, rows = _party(st)
    ws.append(h)
    for r in rows:
        ws.append(r)
    ws["D4"] = "=D2+1"                    # openpyxl saves formulas without a cached value
    p = d / "公式.xlsx"
    wb.save(p)
    return [p]


def c_merged_header(d, st):
    import xlsxwriter
    p = d / "合并表头.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("企业党建")
    h, rows = _party(st)
    ws.merge_range(0, 0, 0, 1, "企业编号")
    ws.write_row(0, 2, h[2:])
    for i, r in enumerate(rows):
        ws.write_row(1 + i, 0, [x.isoformat() if isinstance(x, dt.date) else x for x in r])
    wb.close()
    return [p]


def c_missing_column(d, st):
    h, rows = _party(st)
    j = h.index("党员人数")
    return [write_xlsx(d / "缺列.xlsx", {"企业党建": ([x for k, x in enumerate(h) if k != j],
                                                   [[x for k, x in enumerate(r) if k != j] for r in rows])})]


def c_unknown_column(d, st):
    h, rows = _party(st)
    return [write_xlsx(d / "多列.xlsx", {"企业党建": (h + ["备注"], [r + ["x"] for r in rows])})]


def c_empty_header_with_data(d, st):
    h, rows = _party(st)
    return [write_xlsx(d / "空表头.xlsx", {"企业党建": (h + [""], [r + (["多余"] if i == 1 else [None])
                                                                  for i, r in enumerate(rows)])})]


def c_duplicate_header(d, st):
    h, rows = _party(st)
    return [write_xlsx(d / "重复表头.xlsx", {"企业党建": (h + ["党员人数"], [r + [3] for r in rows])})]


def c_not_integer(d, st):
    return [write_xlsx(d / "非整数.xlsx", {"企业党建": _set(_party(st), 2, "党员人数", "三")})]


def c_negative(d, st):
    return [write_xlsx(d / "负数.xlsx", {"企业党建": _set(_party(st), 1, "党员人数", -2)})]


def c_enum(d, st):
    return [write_xlsx(d / "枚举.xlsx", {"企业党建": _set(_party(st), 0, "党组织组建方式", "独立组建")})]


def c_bool(d, st):
    return [write_xlsx(d / "是否.xlsx", {"企业党建": _set(_party(st), 3, "是否建立工会", "有")})]


def c_required(d, st):
    return [write_xlsx(d / "必填.xlsx", {"企业党建": _set(_party(st), 4, "党组织组建方式", None)})]


def c_not_quarter_end(d, st):
    return [write_xlsx(d / "季末.xlsx", {"企业党建": _set(_party(st), 0, "季末日期", dt.date(2026, 9, 15))})]


def c_impossible_date(d, st):
    return [write_xlsx(d / "日期.xlsx", {"企业": _set(_rows(st, "enterprises", st["enterprises"].head(3)), 1,
                                                     "成立日期", "2021-02-30")})]


def c_bad_date_format(d, st):
    return [write_xlsx(d / "日期格式.xlsx", {"企业": _set(_rows(st, "enterprises", st["enterprises"].head(3)), 2,
                                                       "成立日期", "去年春天")})]


def _appeals(st):
    a = st["appeals"].filter(pl.col("resolved_on").is_not_null() & pl.col("transferred_on").is_not_null())
    return _rows(st, "appeals", a.sort("appeal_id").head(3))


def c_future_date(d, st):
    return [write_xlsx(d / "未来.xlsx", {"企业诉求": _set(_appeals(st), 0, "办结日期", dt.date(2027, 1, 5))})]


def c_resolved_before_received(d, st):
    return [write_xlsx(d / "办结.xlsx", {"企业诉求": _set(_appeals(st), 1, "办结日期", dt.date(2020, 1, 1))})]


def c_transferred_before_received(d, st):
    return [write_xlsx(d / "转办.xlsx", {"企业诉求": _set(_appeals(st), 2, "转办日期", dt.date(2020, 1, 1))})]


def c_satisfaction_unresolved(d, st):
    return [write_xlsx(d / "满意度.xlsx", {"企业诉求": _set(_appeals(st), 0, "办结日期", None)})]


def c_uscc_check_digit(d, st):
    e = _rows(st, "enterprises", st["enterprises"].head(3))
    code = e[1][1][1]
    bad = code[:17] + ("0" if code[17] != "0" else "1")
    return [write_xlsx(d / "信用代码.xlsx", {"企业": _set(e, 1, "统一社会信用代码", bad)})]


def c_uscc_as_number(d, st):
    return [write_xlsx(d / "信用代码数字.xlsx", {"企业": _set(_rows(st, "enterprises", st["enterprises"].head(3)), 0,
                                                          "统一社会信用代码", 9.14401121234568e17)})]


def c_duplicate_uscc(d, st):
    e = _rows(st, "enterprises", st["enterprises"].head(3))
    return [write_xlsx(d / "重复代码.xlsx", {"企业": _set(e, 2, "统一社会信用代码", e[1][0][1])})]


def c_unknown_enterprise(d, st):
    return [write_xlsx(d / "未知企业.xlsx", {"企业党建": _set(_party(st), 5, "企业编号", "E9999999")})]


def c_unknown_chain(d, st):
    ec = _rows(st, "enterprise_chains", st["enterprise_chains"].head(2))
    return [write_xlsx(d / "未知链.xlsx", {"企业所属产业链": _set(ec, 1, "产业链编号", "C99")})]


def c_unknown_secretary(d, st):
    o = _rows(st, "secretary_outcomes", st["secretary_outcomes"].head(2))
    return [write_xlsx(d / "未知书记.xlsx", {"第一书记成效": _set(o, 0, "第一书记编号", "S9999")})]


def c_unknown_meeting(d, st):
    a = st["appeals"].filter(pl.col("source") == "吐槽大会").head(2)
    return [write_xlsx(d / "未知会议.xlsx", {"企业诉求": _set(_rows(st, "appeals", a), 1, "来源会议编号", "M99999")})]


def c_duplicate_key(d, st):
    h, rows = _party(st)
    rows.append(list(rows[0]))
    return [write_xlsx(d / "重复.xlsx", {"企业党建": (h, rows)})]


def c_outcome_outside_term(d, st):
    o = _rows(st, "secretary_outcomes", st["secretary_outcomes"].head(2))
    return [write_xlsx(d / "任期.xlsx", {"第一书记成效": _set(o, 1, "发生日期", dt.date(2001, 5, 1))})]


def c_activity_outside_pairing(d, st):
    a = _rows(st, "pairing_activities", st["pairing_activities"].head(2))
    return [write_xlsx(d / "结对期间.xlsx", {"共建活动": _set(a, 0, "活动日期", dt.date(2001, 5, 1))})]


def c_not_operating(d, st):
    up = party_upload(st, n=3)
    e = st["enterprises"].filter(pl.col("enterprise_id") == up["enterprise_id"][1])
    e = e.with_columns(closed_on=pl.lit(dt.date(2026, 7, 15)))
    return [write_xlsx(d / "注销.xlsx", {"企业": _rows(st, "enterprises", e),
                                        "企业党建": sheet_rows("enterprise_party", up)})]


def c_new_members_gt_members(d, st):
    p = _set(_party(st), 2, "党员人数", 1)
    return [write_xlsx(d / "发展党员.xlsx", {"企业党建": _set(p, 2, "本季发展党员数", 3)})]


def c_task_force(d, st):
    c = _rows(st, "chain_master_plans", st["chain_master_plans"].filter(pl.col("has_task_force")).head(2))
    return [write_xlsx(d / "专班.xlsx", {"链主培育": _set(c, 0, "是否成立工作专班", "否")})]


def c_target_scope(d, st):
    t = _rows(st, "targets", st["targets"].filter(pl.col("chain_id").is_not_null()).head(2))
    return [write_xlsx(d / "目标.xlsx", {"年度目标": _set(t, 1, "园区编号", "P01")})]


def c_rate_target(d, st):
    t = _rows(st, "targets", st["targets"].filter(pl.col("metric") == "org_coverage_rate").head(2))
    return [write_xlsx(d / "目标比率.xlsx", {"年度目标": _set(t, 0, "目标值", 85)})]


def c_csv_unknown_table(d, st):
    return [("数据.csv", "名称,数量\n甲,1\n".encode("utf-8"))]


def c_csv_ragged(d, st):
    lines = csv_text(*_party(st)).split("\r\n")
    lines[1] += ",多余"                       # CSV line 2: one field more than the header
    return [("企业党建.csv", "\r\n".join(lines).encode("utf-8"))]


def c_gbk_csv_bad_value(d, st):
    h, rows = _set(_party(st), 1, "党组织组建方式", "临时党支部")
    return [("企业党建-GBK.csv", csv_text(h, rows).encode("gbk"))]


def c_full_replace_missing(d, st):
    return [write_xlsx(d / "只有党建.xlsx", {"企业党建": _party(st)})]


CASES = [
    # id, maker, mode, rule, key words (the file name is always checked too, when the issue has one)
    ("empty-file", c_empty_xlsx, "auto", V.R_EMPTY_FILE, ["0 字节"]),
    ("empty-csv", c_empty_csv, "auto", V.R_EMPTY_FILE, ["没有任何内容"]),
    ("text-named-xlsx", c_text_named_xlsx, "auto", V.R_NOT_EXCEL, ["改了扩展名"]),
    ("zip-not-workbook", c_zip_not_workbook, "auto", V.R_NOT_EXCEL, ["不是有效的 Excel 工作簿"]),
    ("old-xls", c_old_xls, "auto", V.R_NOT_EXCEL, ["另存为", ".xlsx"]),
    ("renamed-sheet", c_renamed_sheet, "auto", V.R_UNKNOWN_SHEET, ["工作表「企业党建情况」", "请勿重命名工作表", "企业党建"]),
    ("utf16-csv", c_utf16_csv, "auto", V.R_ENCODING, ["UTF-16", "CSV UTF-8"]),
    ("undecodable-csv", c_undecodable_csv, "auto", V.R_ENCODING, ["既不是 UTF-8 也不是 GBK"]),
    ("formula-no-value", c_formula_without_value, "auto", V.R_FORMULA,
     ["工作表「企业党建」", "第 4 行", "列「党员人数」", "D4", "选择性粘贴为数值"]),
    ("merged-header", c_merged_header, "auto", V.R_MERGED, ["工作表「企业党建」", "第 1 行", "A1:B1", "取消合并"]),
    ("missing-column", c_missing_column, "auto", V.R_MISSING_COL, ["第 1 行", "列「党员人数」", "n_members"]),
    ("unknown-column", c_unknown_column, "auto", V.R_UNKNOWN_COL, ["第 1 行", "列「备注」", "应有的列为"]),
    ("empty-header-with-data", c_empty_header_with_data, "auto", V.R_HEADER_EMPTY, ["I 列", "第 4 行起有数据"]),
    ("duplicate-header", c_duplicate_header, "auto", V.R_DUP_HEADER, ["列「党员人数」", "I 列"]),
    ("not-integer", c_not_integer, "auto", V.R_INT, ["工作表「企业党建」", "第 5 行", "列「党员人数」", "值「三」"]),
    ("negative-count", c_negative, "auto", V.R_NEGATIVE, ["第 4 行", "列「党员人数」", "值「-2」", "≥ 0"]),
    ("enumeration", c_enum, "auto", V.R_ENUM, ["第 3 行", "列「党组织组建方式」", "值「独立组建」", "单独组建、联合组建、无"]),
    ("boolean", c_bool, "auto", V.R_BOOL, ["第 6 行", "列「是否建立工会」", "值「有」"]),
    ("required-empty", c_required, "auto", V.R_REQUIRED, ["第 7 行", "列「党组织组建方式」", "必须填写"]),
    ("not-quarter-end", c_not_quarter_end, "auto", V.R_QUARTER, ["第 3 行", "列「季末日期」", "值「2026-09-15」", "9-30"]),
    ("impossible-date", c_impossible_date, "auto", V.R_DATE_IMPOSSIBLE, ["工作表「企业」", "第 4 行", "列「成立日期」",
                                                                       "值「2021-02-30」"]),
    ("bad-date-format", c_bad_date_format, "auto", V.R_DATE, ["第 5 行", "列「成立日期」", "值「去年春天」", "YYYY-MM-DD"]),
    ("future-date", c_future_date, "auto", V.R_FUTURE, ["工作表「企业诉求」", "第 3 行", "列「办结日期」",
                                                        "值「2027-01-05」", "数据截至 2026-09-30"]),
    ("resolved-before-received", c_resolved_before_received, "auto", V.R_ORDER, ["第 4 行", "列「办结日期」",
                                                                                "办结日期早于收到日期"]),
    ("transferred-before-received", c_transferred_before_received, "auto", V.R_ORDER, ["第 5 行", "列「转办日期」",
                                                                                      "转办日期早于收到日期"]),
    ("satisfaction-unresolved", c_satisfaction_unresolved, "auto", V.R_SATISFACTION, ["第 3 行", "列「满意度」"]),
    ("uscc-check-digit", c_uscc_check_digit, "auto", V.R_USCC, ["工作表「企业」", "第 4 行", "列「统一社会信用代码」",
                                                                 "校验码"]),
    ("uscc-as-number", c_uscc_as_number, "auto", V.R_USCC, ["第 3 行", "列「统一社会信用代码」", "存成了数字", "文本"]),
    ("duplicate-uscc", c_duplicate_uscc, "auto", V.R_DUP_USCC, ["第 5 行", "列「统一社会信用代码」", "同一代码"]),
    ("unknown-enterprise", c_unknown_enterprise, "auto", V.R_REF, ["第 8 行", "列「企业编号」", "值「E9999999」",
                                                                   "「企业」表中没有这个编号"]),
    ("unknown-chain", c_unknown_chain, "auto", V.R_REF, ["工作表「企业所属产业链」", "第 4 行", "值「C99」", "「产业链」表"]),
    ("unknown-secretary", c_unknown_secretary, "auto", V.R_REF, ["第 3 行", "列「第一书记编号」", "值「S9999」"]),
    ("unknown-meeting", c_unknown_meeting, "auto", V.R_REF, ["第 4 行", "列「来源会议编号」", "「会议」表"]),
    ("duplicate-key", c_duplicate_key, "auto", V.R_DUP_KEY, ["第 9 行", "第 3 行", "企业编号+季末日期"]),
    ("outcome-outside-term", c_outcome_outside_term, "auto", V.R_TERM, ["工作表「第一书记成效」", "第 4 行",
                                                                        "列「发生日期」", "任期"]),
    ("activity-outside-pairing", c_activity_outside_pairing, "auto", V.R_PAIR_PERIOD, ["第 3 行", "列「活动日期」",
                                                                                      "期间"]),
    ("not-operating", c_not_operating, "auto", V.R_NOT_OPERATING, ["工作表「企业党建」", "第 4 行", "注销于 2026-07-15"]),
    ("new-members-gt-members", c_new_members_gt_members, "auto", V.R_MEMBERS, ["第 5 行", "列「本季发展党员数」"]),
    ("task-force", c_task_force, "auto", V.R_TASK_FORCE, ["工作表「链主培育」", "第 3 行", "列「专班组建方式」"]),
    ("target-both-scopes", c_target_scope, "auto", V.R_TARGET_SCOPE, ["第 4 行", "列「园区编号」", "不能同时填写"]),
    ("rate-target", c_rate_target, "auto", V.R_RANGE, ["第 3 行", "列「目标值」", "0.85"]),
    ("csv-unknown-table", c_csv_unknown_table, "auto", V.R_TABLE_UNKNOWN, ["企业党建.csv"]),
    ("csv-ragged", c_csv_ragged, "auto", V.R_CSV_FORMAT, ["第 2 行", "多于表头"]),
    ("gbk-csv-bad-value", c_gbk_csv_bad_value, "auto", V.R_ENUM, ["第 3 行", "列「党组织组建方式」", "值「临时党支部」"]),
    ("full-replace-missing-sheets", c_full_replace_missing, "replace", V.R_FULL_MISSING, ["缺少", "产业链", "增量更新"]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused_with_the_reason(case, store_db, small_tables, tmp_path):
    _, maker, mode, rule, words = case
    items = maker(tmp_path, small_tables)
    before = sha(store_db)
    res = pub.import_files(items, store_db, mode=mode)
    assert not res.plan.ok and not res.published
    hits = [i for i in res.plan.issues if i.rule == rule]
    assert hits, [i.message for i in res.plan.issues]
    fname = items[0][0] if isinstance(items[0], tuple) else Path(items[0]).name
    msgs = [i.message for i in hits]
    good = [m for m in msgs if all(w in m for w in words) and (fname in m or "全量替换" in m)]
    assert good, msgs
    assert f":{rule}" in good[0]
    # nothing changed: same bytes, still not a version, the refusal is in the log
    assert sha(store_db) == before and not store_db.is_symlink()
    assert pub.Store(store_db).versions() == []
    last = pub.Store(store_db).log(limit=1)[0]
    assert last["result"] == "校验未通过" and last["n_errors"] == res.plan.n_issues
    assert rule in last["rules"]


def test_all_errors_at_once(store_db, small_tables, tmp_path):
    """Several broken cells in several sheets and files: every one is reported in one pass."""
    p = _set(_set(_party(small_tables), 0, "党员人数", "三"), 3, "党组织组建方式", "独立组建")
    a = write_xlsx(tmp_path / "一.xlsx", {"企业党建": p, "企业诉求": _set(_appeals(small_tables), 1, "办结日期",
                                                                       dt.date(2020, 1, 1))})
    b = ("企业.csv", csv_text(*_set(_rows(small_tables, "enterprises", small_tables["enterprises"].head(2)), 0,
                                    "从业人数", -5)).encode("gbk"))
    res = pub.check([a, b], store_db)
    got = {(i.file, i.row, i.rule) for i in res.plan.issues}
    assert got == {("一.xlsx", 3, V.R_INT), ("一.xlsx", 6, V.R_ENUM), ("一.xlsx", 4, V.R_ORDER),
                   ("企业.csv", 2, V.R_NEGATIVE)}
    assert [i.file for i in res.plan.issues] == ["一.xlsx"] * 3 + ["企业.csv"]   # file, sheet, row order


def test_100k_bad_rows_first_200_and_counts(store_db, tmp_path):
    """10⁵ bad rows: refused quickly with the first 200 errors and the count per rule."""
    n = 100_000
    df = pl.DataFrame({"企业编号": [f"X{i:07d}" for i in range(n)], "季末日期": ["2026-09-30"] * n,
                       "党组织组建方式": ["未知"] * n, "党员人数": ["1"] * n, "本季发展党员数": ["0"] * n,
                       "是否有党建指导员/联络员": ["否"] * n, "是否建立工会": ["否"] * n, "是否建立团组织": ["否"] * n})
    p = tmp_path / "企业党建.csv"
    df.write_csv(p)
    before = sha(store_db)
    t = time.perf_counter()
    res = pub.import_files([p], store_db)
    took = time.perf_counter() - t
    assert not res.plan.ok
    assert res.plan.n_issues == 2 * n
    assert len(res.plan.issues) == V.MAX_SHOWN == 200
    assert dict(res.plan.rule_counts) == {V.R_ENUM: n, V.R_REF: n}
    assert res.plan.issues[0].row == 2 and res.plan.issues[-1].row == 101      # first rows, both rules each
    assert "以下列出前 200 处" in res.plan.summary() and "200,000" in res.plan.summary()
    assert sha(store_db) == before
    assert took < 60, took


def test_cli_import_refusal_exit_code_and_message(store_db, small_tables, tmp_path):
    bad = c_enum(tmp_path, small_tables)[0]
    before = sha(store_db)
    p = subprocess.run([sys.executable, "-m", "dashboard", "--db", str(store_db), "import", str(bad)],
                       cwd=ROOT, capture_output=True, text=True, timeout=300,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert p.returncode == 1
    assert "校验未通过:共 1 处错误;数据未作任何改动" in p.stderr
    assert "文件「枚举.xlsx」 · 工作表「企业党建」 · 第 3 行 · 列「党组织组建方式」 · 值「独立组建」:不在可选值范围内" in p.stderr
    assert "按规则统计" in p.stderr
    assert sha(store_db) == before
