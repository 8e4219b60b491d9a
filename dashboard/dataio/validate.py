"""Check an upload completely and say everything that is wrong at once — in Chinese, with file, sheet,
row (as Excel shows it), column, value and the rule broken — then merge it into the current data.

`prepare(files, existing, mode)` → `Plan`: the merged raw tables (when nothing is wrong), rows before →
after per table, what was replaced, the new 数据截至 date, and the issues (the first `MAX_SHOWN` in
file/sheet/row order plus a count per rule). All checks are vectorised (polars), so a sheet of 10⁵ bad
rows is refused in about a second.

Merge rules (an explicit choice, shown on the page and in the CLI):
- mode "replace" (全量替换): the upload is the whole warehouse; every sheet must be present.
- mode "update" (增量更新): only tables with rows in the upload change, each by its rule
  (template.MODE_TEXT): 企业党建 — each quarter present replaces that quarter; 企业所属产业链 — each
  enterprise present gets exactly the uploaded chains; every other table — rows are added or replace
  the row with the same key (编号 or the composite key), nothing is deleted.
- mode "auto": "replace" when every one of the 15 sheets has data rows (a full workbook such as an
  export), otherwise "update".
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from . import template as T

MAX_SHOWN = 200
EXISTING = "已发布数据"

# ------------------------------------------------------------------------------------------------ rules
R_EMPTY_FILE = "空文件"
R_NOT_EXCEL = "不是有效的 Excel 文件"
R_ENCODING = "无法识别的文件编码"
R_CSV_FORMAT = "CSV 格式错误"
R_TABLE_UNKNOWN = "无法判断 CSV 对应的表"
R_UNKNOWN_SHEET = "未知工作表"
R_MERGED = "存在合并单元格"
R_FORMULA = "公式没有计算结果"
R_HEADER_EMPTY = "表头为空"
R_UNKNOWN_COL = "未知列"
R_MISSING_COL = "缺少列"
R_DUP_HEADER = "表头重复"
R_NO_DATA = "没有可导入的数据"
R_FULL_MISSING = "全量替换缺少工作表"
R_REQUIRED = "必填项为空"
R_INT = "不是整数"
R_NUM = "不是数字"
R_BOOL = "不是“是/否”"
R_DATE = "日期格式错误"
R_DATE_IMPOSSIBLE = "日期不存在"
R_QUARTER = "不是季末日期"
R_ENUM = "不在可选值范围内"
R_NEGATIVE = "不能为负数"
R_RANGE = "超出取值范围"
R_USCC = "统一社会信用代码校验位错误"
R_USCC_FORMAT = "统一社会信用代码格式错误"
R_DUP_KEY = "主键重复"
R_DUP_USCC = "统一社会信用代码重复"
R_FUTURE = "日期晚于数据截至日"
R_ORDER = "日期先后矛盾"
R_REF = "编号不存在"
R_TERM = "成效不在第一书记任期内"
R_PAIR_PERIOD = "活动不在结对期间内"
R_NOT_OPERATING = "企业在该季度不在营"
R_MEMBERS = "发展党员数大于党员人数"
R_TASK_FORCE = "专班信息不一致"
R_SATISFACTION = "未办结诉求不应有满意度"
R_MEETING = "诉求来源会议不一致"
R_TARGET_SCOPE = "目标范围填写错误"
R_NO_PARTY = "缺少企业党建数据"
R_TOO_BIG = "超过导入上限"
R_STRUCTURE = "文件结构异常"


@dataclass(frozen=True)
class Issue:
    file: str | None
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    rule: str
    detail: str = ""
    n: int = 1                  # how many problems this line stands for (a summary of the ones not listed)

    @property
    def message(self) -> str:
        parts = []
        if self.file:
            parts.append(f"文件「{self.file}」")
        if self.sheet:
            parts.append(f"工作表「{self.sheet}」")
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column:
            parts.append(f"列「{self.column}」")
        if self.value is not None:
            v = str(self.value)
            parts.append(f"值「{v if len(v) <= 40 else v[:40] + '…'}」")
        return " · ".join(parts) + f":{self.rule}" + (f"——{self.detail}" if self.detail else "")

    def as_dict(self) -> dict:
        return {"文件": self.file, "工作表": self.sheet, "行": self.row, "列": self.column, "值": self.value,
                "规则": self.rule, "说明": self.detail}


DTYPE = {"id": pl.String, "str": pl.String, "uscc": pl.String, "enum": pl.String, "int": pl.Int32,
         "year": pl.Int32, "float": pl.Float64, "bool": pl.Boolean, "date": pl.Date, "quarter": pl.Date,
         "list": pl.List(pl.String)}
PROV = ["_file", "_sheet", "_row", "_new"]
TABLE_ORDER = {t: i for i, t in enumerate(T.TABLES)}

ORDER_RULES = [  # (table, earlier, later, strictly later, text)
    ("enterprises", "founded_on", "closed_on", False, "注销日期早于成立日期"),
    ("honors", "awarded_on", "expires_on", True, "到期日期应晚于认定日期"),
    ("honors", "awarded_on", "revoked_on", False, "撤销日期早于认定日期"),
    ("secretaries", "started_on", "ended_on", False, "离任日期早于任职开始日期"),
    ("pairings", "started_on", "ended_on", False, "结对结束日期早于开始日期"),
    ("appeals", "received_on", "transferred_on", False, "转办日期早于收到日期"),
    ("appeals", "received_on", "resolved_on", False, "办结日期早于收到日期"),
    ("appeals", "received_on", "due_on", False, "办理期限早于收到日期"),
]
# Dates of events that cannot lie after the 数据截至 date (due/expiry dates and planned ends may).
FUTURE_COLS = {
    "enterprises": ("founded_on", "closed_on"), "honors": ("awarded_on", "revoked_on"),
    "secretaries": ("started_on",), "secretary_outcomes": ("occurred_on",), "meetings": ("held_on",),
    "appeals": ("received_on", "resolved_on"), "pairings": ("started_on",), "pairing_activities": ("held_on",),
}
PK = {"chains": "chain_id", "parks": "park_id", "units": "unit_id", "enterprises": "enterprise_id",
      "secretaries": "secretary_id", "meetings": "meeting_id", "pairings": "pairing_id"}


# ------------------------------------------------------------------------------------------- collector
class Collector:
    """Counts issues per rule and keeps, per check, only the first MAX_SHOWN rows in the final order (file,
    table, sheet, row, column): 10⁶ bad cells cost a count, not 10⁶ messages."""

    def __init__(self, file_order: dict[str, int]):
        self.file_order = file_order
        self.frames: list[pl.DataFrame] = []
        self.counts: dict[str, int] = {}

    def _count(self, rule: str, n: int) -> None:
        self.counts[rule] = self.counts.get(rule, 0) + n

    def issue(self, i: Issue, table: str | None = None) -> None:
        self._count(i.rule, i.n)
        self.frames.append(pl.DataFrame({
            "file": [i.file], "sheet": [i.sheet], "row": [i.row], "column": [i.column], "value": [i.value],
            "rule": [i.rule], "detail": [i.detail], "_t": [TABLE_ORDER.get(table, -1)], "_c": [-1]},
            schema=_ERR_SCHEMA))

    def rows(self, rows: pl.DataFrame, rule: str, table: str, column: str | None, value: pl.Expr | str | None,
             detail: pl.Expr | str = "") -> None:
        if rows.height == 0:
            return
        t = T.TABLES[table]
        self._count(rule, rows.height)
        if rows.height > MAX_SHOWN:     # only the first MAX_SHOWN of these can be shown: keep those
            rows = (rows.with_columns(
                        __fo=pl.col("_file").fill_null(EXISTING).replace_strict(
                            self.file_order, default=len(self.file_order) + 1, return_dtype=pl.Int32),
                        __s=pl.col("_sheet").fill_null(t.sheet))
                    .sort(["__fo", "__s", "_row"], nulls_last=False).head(MAX_SHOWN))
        zh = t.col(column).zh if column in t.columns else column
        if isinstance(value, str):
            value = pl.col(value)
        self.frames.append(rows.select(
            file=pl.col("_file").fill_null(EXISTING),
            sheet=pl.col("_sheet").fill_null(t.sheet),
            row=pl.col("_row").cast(pl.Int64),
            column=pl.lit(zh, pl.String),
            value=(value.cast(pl.String) if value is not None else pl.lit(None, pl.String)),
            rule=pl.lit(rule),
            detail=(detail if isinstance(detail, pl.Expr) else pl.lit(detail)).cast(pl.String),
            _t=pl.lit(TABLE_ORDER[table], pl.Int32),
            _c=pl.lit(t.columns.index(column) if column in t.columns else -1, pl.Int32),
        ))

    def finish(self) -> tuple[list[Issue], int, list[tuple[str, int]]]:
        if not self.frames:
            return [], 0, []
        allf = pl.concat(self.frames, how="vertical")
        counts = sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))
        fo = pl.col("file").replace_strict(self.file_order, default=len(self.file_order) + 1, return_dtype=pl.Int32)
        first = allf.with_columns(_fo=fo).sort(["_fo", "_t", "sheet", "row", "_c"], nulls_last=[False, False, False,
                                                                                             False, False])
        first = first.head(MAX_SHOWN)
        issues = [Issue(r["file"], r["sheet"], r["row"], r["column"], r["value"], r["rule"], r["detail"] or "")
                  for r in first.iter_rows(named=True)]
        return issues, sum(self.counts.values()), counts


_ERR_SCHEMA = {"file": pl.String, "sheet": pl.String, "row": pl.Int64, "column": pl.String, "value": pl.String,
               "rule": pl.String, "detail": pl.String, "_t": pl.Int32, "_c": pl.Int32}


# ---------------------------------------------------------------------------------------------- typing
_NUM_RE = r"^[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?([eE][+-]?\d+)?$"
_ISO_RE = r"^\d{4}-\d{1,2}-\d{1,2}$"
_EPOCH = dt.date(1899, 12, 30)


def _num(raw: pl.Expr) -> pl.Expr:
    s = raw.str.replace_all(",", "", literal=True)
    return pl.when(raw.str.contains(_NUM_RE)).then(s.cast(pl.Float64, strict=False))


def _date(raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(parsed date, 'looks like a date' mask) — so '2026-02-30' is 日期不存在 and 'abc' 日期格式错误."""
    s = raw.str.replace(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$", "")
    s = s.str.replace_all(r"[/.年月]", "-").str.replace(r"日$", "")
    iso = pl.when(s.str.contains(_ISO_RE)).then(s.str.strptime(pl.Date, "%Y-%m-%d", strict=False))
    compact = pl.when(s.str.contains(r"^\d{8}$")).then(s.str.strptime(pl.Date, "%Y%m%d", strict=False))
    serial = pl.when(s.str.contains(r"^\d{5}(\.0+)?$")).then(
        pl.lit(_EPOCH) + pl.duration(days=s.cast(pl.Float64, strict=False).cast(pl.Int64)))
    looks = s.str.contains(_ISO_RE) | s.str.contains(r"^\d{8}$")
    return pl.coalesce(iso, compact, serial).cast(pl.Date), looks


def _typed(col: T.Col, raw: pl.Expr) -> pl.Expr:
    if col.type in ("int", "year"):
        v = _num(raw)
        return pl.when(v == v.round(0)).then(v).cast(pl.Int64, strict=False)
    if col.type == "float":
        v = _num(raw)
        return pl.when(v.is_finite()).then(v)
    if col.type == "bool":
        low = raw.str.to_lowercase()
        return pl.when(low.is_in(list(T.BOOL_TRUE))).then(True).when(low.is_in(list(T.BOOL_FALSE))).then(False)
    if col.type in ("date", "quarter"):
        return _date(raw)[0]
    if col.type == "list":
        return (raw.str.replace_all(r"[,,、;;\s]+", ",").str.strip_chars(",").str.split(",")
                .list.eval(pl.element().filter(pl.element() != "")))
    if col.type == "uscc":
        return raw.str.to_uppercase()
    if col.name == "metric":
        back = {v: k for k, v in T.TARGET_METRICS.items()}
        return raw.replace(back)
    return raw


def uscc_ok(code: pl.Expr) -> pl.Expr:
    """Vectorised GB 32100-2015 check digit (same rule as dashboard.uscc.is_valid_uscc) for codes already
    known to be 18 characters of the allowed set."""
    from ..uscc import _USCC_VALUE, _USCC_WEIGHTS, USCC_CHARSET
    total = pl.sum_horizontal([code.str.slice(i, 1).replace_strict(_USCC_VALUE, default=0, return_dtype=pl.Int32) * w
                               for i, w in enumerate(_USCC_WEIGHTS)])
    want = ((31 - total % 31) % 31).replace_strict(dict(enumerate(USCC_CHARSET)), return_dtype=pl.String)
    return code.str.slice(17, 1) == want


def _convert_sheet(sd, coll: Collector) -> pl.DataFrame:
    """Type one sheet's text columns; report parse errors, empty required cells, enums, ranges, codes."""
    t = T.TABLES[sd.table]
    df = sd.frame.with_columns(_file=pl.lit(sd.file), _sheet=pl.lit(sd.sheet), _new=pl.lit(True))
    present = [c for c in t.cols if c.name in df.columns]
    typed = df.with_columns([_typed(c, pl.col(c.name)).alias(f"__{c.name}") for c in present])
    checks: list[tuple] = []        # (mask, rule, column, value, detail) — evaluated together below

    def add(mask, rule, col, value, detail):
        checks.append((mask, rule, col, value, detail))

    for c in present:
        raw, val = pl.col(c.name), pl.col(f"__{c.name}")
        bad_parse = raw.is_not_null() & val.is_null()
        if c.type in ("date", "quarter"):
            looks = _date(raw)[1]
            add(bad_parse & looks, R_DATE_IMPOSSIBLE, c.name, c.name, "日历上没有这一天(如 2 月 30 日、4 月 31 日)")
            add(bad_parse & ~looks, R_DATE, c.name, c.name, "应为 YYYY-MM-DD 格式的日期(如 2026-09-30)或 Excel 日期单元格")
            add((val.dt.year() < 1900) | (val.dt.year() > 2100), R_RANGE, c.name, val, "日期应在 1900 年到 2100 年之间")
        elif c.type in ("int", "year", "float", "bool"):
            rule, text = {"int": (R_INT, "应为整数"), "year": (R_INT, "应为 4 位年份"),
                          "float": (R_NUM, "应为数字(不带单位)"), "bool": (R_BOOL, "应填“是”或“否”")}[c.type]
            add(bad_parse, rule, c.name, c.name, text)
        if c.required:
            empty = raw.is_null() | (val.list.len() == 0 if c.type == "list" else pl.lit(False))
            add(empty, R_REQUIRED, c.name, None, f"「{c.zh}」必须填写")
        if c.enum:
            add(val.is_not_null() & ~val.is_in(list(c.enum)), R_ENUM, c.name, c.name, "可选值:" + "、".join(c.enum))
        if c.type in ("int", "year", "float") and (c.min is not None or c.max is not None):
            lo = c.min if c.min is not None else float("-inf")
            hi = c.max if c.max is not None else float("inf")
            out = val.is_not_null() & ((val < lo) | (val > hi))
            if c.min == 0 and c.max is None:
                add(out, R_NEGATIVE, c.name, c.name, f"「{c.zh}」应 ≥ 0")
            else:
                add(out, R_RANGE, c.name, c.name, f"应在 {lo:g} 到 {hi:g} 之间")
        if c.type == "int":
            add(val.abs() > 2**31 - 1, R_RANGE, c.name, c.name, "数值过大")
        if c.type == "quarter":
            ok_q = val.dt.month().is_in([3, 6, 9, 12]) & (val == val.dt.month_end())
            add(val.is_not_null() & ~ok_q, R_QUARTER, c.name, val, "季末日期应为某年的 3-31、6-30、9-30 或 12-31")
    if checks:
        flags = typed.select([m.fill_null(False).any().alias(f"m{i}") for i, (m, *_) in enumerate(checks)]).row(0)
        for hit, (mask, rule, col, value, detail) in zip(flags, checks):
            if hit:
                coll.rows(typed.filter(mask.fill_null(False)), rule, sd.table, col, value, detail)
    for c in present:
        raw, val = pl.col(c.name), pl.col(f"__{c.name}")
        if c.type == "uscc":
            fmt_ok = val.str.contains(r"^[0-9A-HJ-NPQRTUWXY]{18}$")
            looks_num = raw.str.contains(r"^\d(\.\d+)?[eE]\+?\d+$") | raw.str.contains(r"^\d{15,17}$")
            coll.rows(typed.filter(val.is_not_null() & ~fmt_ok), R_USCC_FORMAT, sd.table, c.name, c.name,
                      pl.when(looks_num.fill_null(False))
                      .then(pl.lit("看起来被 Excel 存成了数字:请把该列设为“文本”格式后重新填写"))
                      .otherwise(pl.lit("应为 18 位,由数字和大写字母组成(不含 I、O、Z、S、V)")))
            cand = typed.filter(fmt_ok.fill_null(False)).select(val.unique())
            invalid = cand.filter(~uscc_ok(val))[f"__{c.name}"].to_list()
            if invalid:
                # An 18-digit code typed into a number cell keeps only 15 significant digits in Excel.
                as_num = [u for u in invalid if u.isdigit() and float(f"{float(u):.15g}") == float(u)]
                other = [u for u in invalid if u not in set(as_num)]
                coll.rows(typed.filter(val.is_in(as_num)), R_USCC, sd.table, c.name, c.name,
                          "看起来被 Excel 存成了数字(只保留 15 位有效数字,后几位已变):"
                          "请把该列设为“文本”格式后重新填写")
                coll.rows(typed.filter(val.is_in(other)), R_USCC, sd.table, c.name, c.name,
                          "第 18 位校验码与前 17 位不符(GB 32100-2015),请核对代码")
    out = typed.select(
        [pl.col(f"__{c.name}").cast(DTYPE[c.type]).alias(c.name) for c in present]
        + [pl.lit(None, DTYPE[c.type]).alias(c.name) for c in t.cols if c.name not in df.columns]
        + [pl.col("_file"), pl.col("_sheet"), pl.col("_row").cast(pl.Int64), pl.col("_new")])
    return out.select(t.columns + PROV)


def _with_prov(df: pl.DataFrame, table: str) -> pl.DataFrame:
    t = T.TABLES[table]
    return df.select([pl.col(c.name).cast(DTYPE[c.type]) for c in t.cols]).with_columns(
        _file=pl.lit(None, pl.String), _sheet=pl.lit(None, pl.String), _row=pl.lit(None, pl.Int64),
        _new=pl.lit(False))


def _empty(table: str) -> pl.DataFrame:
    t = T.TABLES[table]
    return pl.DataFrame(schema={**{c.name: DTYPE[c.type] for c in t.cols}, "_file": pl.String,
                                "_sheet": pl.String, "_row": pl.Int64, "_new": pl.Boolean})


# ------------------------------------------------------------------------------------ rules in a table
def _key_text(cols: list[str]) -> pl.Expr:
    return pl.concat_str([pl.col(c).cast(pl.String).fill_null("(空)") for c in cols], separator=" / ")


def _table_rules(table: str, u: pl.DataFrame, coll: Collector) -> None:
    t = T.TABLES[table]
    key = list(t.key)
    ranked = u.with_columns(
        _k=pl.int_range(pl.len()).over(key),
        _first_row=pl.col("_row").first().over(key),
        _first_file=pl.col("_file").first().over(key))
    dups = ranked.filter(pl.col("_k") > 0)
    coll.rows(dups, R_DUP_KEY, table, key[0] if len(key) == 1 else None, _key_text(key),
              pl.concat_str([pl.lit("与「"), pl.col("_first_file"), pl.lit("」第 "), pl.col("_first_row").cast(pl.String),
                             pl.lit(" 行的" + "+".join(t.col(k).zh for k in key) + "相同:每个键只能出现一次")]))
    for tb, a, b, strict, text in ORDER_RULES:
        if tb != table:
            continue
        bad = u.filter((pl.col(b) <= pl.col(a)) if strict else (pl.col(b) < pl.col(a)))
        coll.rows(bad, R_ORDER, table, b, b, pl.concat_str([pl.lit(f"{text}({t.col(a).zh} "),
                                                             pl.col(a).cast(pl.String), pl.lit(")")]))
    if table == "enterprise_party":
        coll.rows(u.filter(pl.col("n_new_members") > pl.col("n_members")), R_MEMBERS, table, "n_new_members",
                  "n_new_members", pl.concat_str([pl.lit("党员人数为 "), pl.col("n_members").cast(pl.String)]))
    if table == "chain_master_plans":
        coll.rows(u.filter(pl.col("has_task_force") & pl.col("task_force_mode").is_null()), R_TASK_FORCE, table,
                  "task_force_mode", None, "已成立工作专班时须填写专班组建方式")
        coll.rows(u.filter(~pl.col("has_task_force") & pl.col("task_force_mode").is_not_null()), R_TASK_FORCE,
                  table, "task_force_mode", "task_force_mode", "未成立工作专班时专班组建方式应留空")
    if table == "appeals":
        coll.rows(u.filter(pl.col("satisfaction").is_not_null() & pl.col("resolved_on").is_null()), R_SATISFACTION,
                  table, "satisfaction", "satisfaction", "满意度在办结后填写;未办结的诉求请留空")
        coll.rows(u.filter((pl.col("source") == "吐槽大会") & pl.col("meeting_id").is_null()), R_MEETING, table,
                  "meeting_id", None, "来源为“吐槽大会”的诉求须填写来源会议编号")
    if table == "targets":
        coll.rows(u.filter(pl.col("chain_id").is_not_null() & pl.col("park_id").is_not_null()), R_TARGET_SCOPE,
                  table, "park_id", "park_id", "目标按全区、单条产业链或单个园区设定:产业链与园区不能同时填写")
        coll.rows(u.filter(pl.col("metric").str.ends_with("_rate") & (pl.col("target_value") > 1)), R_RANGE, table,
                  "target_value", "target_value", "比率类指标的目标填 0–1 的小数(如 85% 填 0.85)")


# ------------------------------------------------------------------------------------------ merged rules
def _merged_rules(m: dict[str, pl.DataFrame], as_of: dt.date | None, coll: Collector) -> None:
    ids = {t: set(m[t][c].drop_nulls().to_list()) for t, c in PK.items()}
    for table, df in m.items():
        new = df.filter(pl.col("_new"))
        if new.height == 0:
            continue
        t = T.TABLES[table]
        for c in t.cols:
            if not c.ref:
                continue
            known = list(ids[c.ref])
            parent = T.TABLES[c.ref].sheet
            if c.type == "list":
                ex = new.select(PROV + [pl.col(c.name)]).explode(c.name)
                bad = ex.filter(pl.col(c.name).is_not_null() & ~pl.col(c.name).is_in(known))
            else:
                bad = new.filter(pl.col(c.name).is_not_null() & ~pl.col(c.name).is_in(known))
            coll.rows(bad, R_REF, table, c.name, c.name,
                      f"「{parent}」表中没有这个编号(已发布数据和本次上传都没有):请核对,或同时上传「{parent}」")
        if as_of is not None:
            for c in FUTURE_COLS.get(table, ()):
                coll.rows(new.filter(pl.col(c) > as_of), R_FUTURE, table, c, c,
                          f"数据截至 {as_of}(企业党建表中最新的季末日期);不能填写将来的日期")
    # 企业党建 rows only for enterprises in operation at that quarter end
    ent = m["enterprises"].select("enterprise_id", "founded_on", "closed_on", _enew=pl.col("_new"))
    j = m["enterprise_party"].join(ent, on="enterprise_id", how="inner")
    bad = j.filter((pl.col("_new") | pl.col("_enew"))
                   & ((pl.col("founded_on") > pl.col("quarter_end"))
                      | (pl.col("closed_on").is_not_null() & (pl.col("closed_on") <= pl.col("quarter_end")))))
    coll.rows(bad, R_NOT_OPERATING, "enterprise_party", "quarter_end", "quarter_end",
              pl.concat_str([pl.lit("企业 "), pl.col("enterprise_id"), pl.lit(" 成立于 "), pl.col("founded_on").cast(pl.String),
                             pl.when(pl.col("closed_on").is_not_null())
                             .then(pl.concat_str([pl.lit("、注销于 "), pl.col("closed_on").cast(pl.String)]))
                             .otherwise(pl.lit("")),
                             pl.lit(":季度快照只填该季末在营的企业")]))
    # 第一书记成效 within the secretary's term
    sec = m["secretaries"].select("secretary_id", "started_on", "ended_on", _snew=pl.col("_new"))
    j = m["secretary_outcomes"].join(sec, on="secretary_id", how="inner")
    bad = j.filter((pl.col("_new") | pl.col("_snew"))
                   & ((pl.col("occurred_on") < pl.col("started_on"))
                      | (pl.col("ended_on").is_not_null() & (pl.col("occurred_on") > pl.col("ended_on")))))
    coll.rows(bad, R_TERM, "secretary_outcomes", "occurred_on", "occurred_on",
              pl.concat_str([pl.lit("第一书记 "), pl.col("secretary_id"), pl.lit(" 任期 "),
                             pl.col("started_on").cast(pl.String), pl.lit(" 至 "),
                             pl.col("ended_on").cast(pl.String).fill_null("今")]))
    # 共建活动 within the pairing's dates
    pa = m["pairings"].select("pairing_id", "started_on", "ended_on", _pnew=pl.col("_new"))
    j = m["pairing_activities"].join(pa, on="pairing_id", how="inner")
    bad = j.filter((pl.col("_new") | pl.col("_pnew"))
                   & ((pl.col("held_on") < pl.col("started_on"))
                      | (pl.col("ended_on").is_not_null() & (pl.col("held_on") > pl.col("ended_on")))))
    coll.rows(bad, R_PAIR_PERIOD, "pairing_activities", "held_on", "held_on",
              pl.concat_str([pl.lit("结对 "), pl.col("pairing_id"), pl.lit(" 期间 "), pl.col("started_on").cast(pl.String),
                             pl.lit(" 至 "), pl.col("ended_on").cast(pl.String).fill_null("今")]))
    # 诉求 received at or after its source meeting
    mt = m["meetings"].select("meeting_id", "held_on", _mnew=pl.col("_new"))
    j = m["appeals"].join(mt, on="meeting_id", how="inner")
    coll.rows(j.filter((pl.col("_new") | pl.col("_mnew")) & (pl.col("received_on") < pl.col("held_on"))), R_MEETING,
              "appeals", "received_on", "received_on",
              pl.concat_str([pl.lit("收到日期早于来源会议 "), pl.col("meeting_id"), pl.lit(" 的召开日期 "),
                             pl.col("held_on").cast(pl.String)]))
    # 统一社会信用代码 unique across enterprises
    e = m["enterprises"]
    d = e.with_columns(_n=pl.len().over("uscc"), _any=pl.col("_new").any().over("uscc"),
                       _ids=pl.col("enterprise_id").over("uscc", mapping_strategy="join"))
    d = d.filter((pl.col("_n") > 1) & pl.col("_any") & pl.col("_new"))
    coll.rows(d, R_DUP_USCC, "enterprises", "uscc", "uscc",
              pl.concat_str([pl.lit("多家企业使用同一代码:"), pl.col("_ids").list.join("、")]))


# ------------------------------------------------------------------------------------------------ plan
@dataclass
class Plan:
    files: list
    mode: str                                  # replace | update
    issues: list[Issue]
    n_issues: int
    rule_counts: list[tuple[str, int]]
    tables: dict[str, pl.DataFrame] | None = None      # merged raw tables, None when refused
    uploaded: dict[str, int] = field(default_factory=dict)
    before: dict[str, int] = field(default_factory=dict)
    after: dict[str, int] = field(default_factory=dict)
    changes: dict[str, str] = field(default_factory=dict)
    as_of: dt.date | None = None
    as_of_before: dt.date | None = None
    warnings: list[str] = field(default_factory=list)     # not errors: shown before publishing

    @property
    def ok(self) -> bool:
        return self.n_issues == 0 and self.tables is not None

    @property
    def mode_text(self) -> str:
        return "全量替换(仓库内容与上传文件完全一致)" if self.mode == "replace" else "增量更新(只改动上传中有数据的表)"

    def summary(self) -> str:
        if self.ok:
            return f"校验通过:{sum(self.uploaded.values()):,} 行,{self.mode_text}"
        shown = f",以下列出前 {len(self.issues)} 处" if self.n_issues > len(self.issues) else ""
        return f"校验未通过:共 {self.n_issues:,} 处错误{shown};数据未作任何改动"


def _q(d: dt.date) -> str:
    return f"{d.year}Q{(d.month - 1) // 3 + 1}"


def prepare(files: list, existing: dict[str, pl.DataFrame] | None, mode: str = "auto") -> Plan:
    """Validate `files` (readers.FileRead) against and merged into `existing` raw tables."""
    file_order = {f.name: i for i, f in enumerate(files)}
    coll = Collector(file_order)
    for f in files:
        for i in f.issues:
            coll.issue(i)
    sheets = [sd for f in files for sd in f.sheets]
    by_table: dict[str, list] = {}
    for sd in sheets:
        by_table.setdefault(sd.table, []).append(sd)
    upload: dict[str, pl.DataFrame] = {}
    for table in T.TABLES:
        parts = [_convert_sheet(sd, coll) for sd in by_table.get(table, [])]
        if parts:
            upload[table] = pl.concat(parts, how="vertical")
    with_rows = {t for t, df in upload.items() if df.height}
    if mode == "auto":
        mode = "replace" if with_rows == set(T.TABLES) else "update"
    if mode == "replace":
        missing = [T.TABLES[t].sheet for t in T.TABLES if t not in upload]
        if missing:
            coll.issue(Issue(None, None, None, None, None, R_FULL_MISSING,
                             "全量替换需要全部 15 个工作表,缺少:" + "、".join(missing)
                             + "。只想更新部分表时请选择“增量更新”"))
    no_data = not with_rows and not any(f.issues for f in files) and mode != "replace"
    if no_data:
        coll.issue(Issue(files[0].name if len(files) == 1 else None, None, None, None, None, R_NO_DATA,
                         "上传的文件中没有任何数据行(只有表头、说明行或示例行)"))
    for table, u in upload.items():
        _table_rules(table, u, coll)

    ex = {t: (_with_prov(existing[t], t) if existing and t in existing else _empty(t)) for t in T.TABLES}
    merged: dict[str, pl.DataFrame] = {}
    changes: dict[str, str] = {}
    warnings: list[str] = []
    for table, t in T.TABLES.items():
        e = ex[table]
        u = upload.get(table)
        if mode == "replace":
            merged[table] = u if u is not None else _empty(table)
            changes[table] = "全部替换"
            continue
        if u is None or u.height == 0:
            merged[table] = e
            changes[table] = "不变"
            continue
        if t.mode == T.REPLACE_QUARTER:
            qs = u["quarter_end"].drop_nulls().unique().sort().to_list()
            old_qs = set(e["quarter_end"].unique().to_list())
            kept = e.filter(~pl.col("quarter_end").is_in(qs))
            rep = [_q(q) for q in qs if q in old_qs]
            add = [_q(q) for q in qs if q not in old_qs]
            changes[table] = ";".join(x for x in (
                f"替换季度 {'、'.join(rep)}(原 {e.height - kept.height:,} 行)" if rep else "",
                f"新增季度 {'、'.join(add)}" if add else "") if x)
            per_q = dict(e.group_by("quarter_end").len().iter_rows())
            for q in qs:
                n_new = u.filter(pl.col("quarter_end") == q).height
                prev = [x for x in per_q if x < q]
                ref_q = q if q in per_q else (max(prev) if prev else None)
                if ref_q is not None and n_new < 0.9 * per_q[ref_q]:
                    warnings.append(
                        f"企业党建 {_q(q)} 只上传了 {n_new:,} 行,少于{'原该季度' if ref_q == q else f'上一季度 {_q(ref_q)}'}"
                        f"的 {per_q[ref_q]:,} 行。企业党建是季度快照,应包含该季末全部在营企业;"
                        "未上传的企业按“未建党组织”统计,覆盖率会因此下降。")
        elif t.mode == T.REPLACE_ENTERPRISE:
            ents = u["enterprise_id"].drop_nulls().unique()
            kept = e.filter(~pl.col("enterprise_id").is_in(ents.to_list()))
            changes[table] = f"{ents.len():,} 家企业的所属链关系整体替换(原 {e.height - kept.height:,} 行)"
        else:
            key = list(t.key)
            kept = e.join(u.select(key).unique(), on=key, how="anti", nulls_equal=True)
            n_rep = e.height - kept.height
            changes[table] = f"新增 {u.height - n_rep:,} 行,按键覆盖 {n_rep:,} 行"
        merged[table] = pl.concat([kept, u], how="vertical")

    party = merged["enterprise_party"]
    as_of = party["quarter_end"].max() if party.height else None
    old_party = ex["enterprise_party"]
    as_of_before = old_party["quarter_end"].max() if old_party.height else None
    if as_of is None and not no_data and not any(f.issues for f in files):
        coll.issue(Issue(None, None, None, None, None, R_NO_PARTY,
                         "导入后没有任何季度的企业党建数据:数据截至日期由企业党建表的最新季末日期决定,请上传「企业党建」"))
    _merged_rules(merged, as_of, coll)

    issues, n, counts = coll.finish()
    plan = Plan(files=files, mode=mode, issues=issues, n_issues=n, rule_counts=counts,
                uploaded={t: df.height for t, df in upload.items()},
                before={t: (existing[t].height if existing and t in existing else 0) for t in T.TABLES},
                after={t: df.height for t, df in merged.items()}, changes=changes, as_of=as_of,
                as_of_before=as_of_before, warnings=warnings)
    if n == 0:
        plan.tables = {t: df.drop(PROV) for t, df in merged.items()}
    return plan
