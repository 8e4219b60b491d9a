"""The warehouse contract, defined once: every raw table with its columns (contract name, Chinese header,
type, required, enumeration from dashboard.vocab, range, reference, note, example), key and merge rule.

Everything else is derived from `TABLES`:
- the DDL (`ddl()`; the builder runs it, queries/_build/schema.sql is its rendered copy, checked by a test),
- the import template, the export workbook and the header mapping (dashboard/dataio/template.py),
- the validators (dashboard/dataio/validate.py),
- the whitelist of table names that may be interpolated into SQL (`ident`).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import vocab

NOTE_PREFIX = "说明:"

# How an import merges a partial upload into the current warehouse (a full workbook replaces everything).
UPSERT = "upsert"                 # rows are added, or replace the row with the same key; nothing is deleted
REPLACE_QUARTER = "quarter"       # every quarter present in the upload replaces that quarter's rows
REPLACE_ENTERPRISE = "enterprise"  # every enterprise present in the upload gets exactly the uploaded rows
MODE_TEXT = {
    UPSERT: "按编号新增或覆盖(不删除已有行)",
    REPLACE_QUARTER: "按季度整体替换(上传中出现的季度,原有该季度数据全部被替换)",
    REPLACE_ENTERPRISE: "按企业整体替换(上传中出现的企业,其原有所属链关系全部被替换)",
}


@dataclass(frozen=True)
class Col:
    name: str                 # contract column
    zh: str                   # Chinese header
    type: str                 # id | str | uscc | int | float | bool | date | quarter | list | enum | year
    required: bool = True
    note: str = ""
    example: object = None
    enum: tuple[str, ...] = ()
    ref: str | None = None    # table whose id this column references
    min: float | None = None
    max: float | None = None

    @property
    def type_text(self) -> str:
        return {"id": "编号(文本)", "str": "文本", "uscc": "18 位统一社会信用代码", "int": "整数",
                "float": "数字", "bool": "是/否", "date": "日期 YYYY-MM-DD", "quarter": "季末日期 YYYY-MM-DD",
                "list": "编号列表,逗号分隔", "enum": "下拉选择", "year": "年份(4 位整数)"}[self.type]

    @property
    def note_text(self) -> str:
        parts = ["必填" if self.required else "可空", self.type_text]
        if self.enum:
            parts.append("可选:" + "/".join(self.enum))
        if self.note:
            parts.append(self.note)
        return NOTE_PREFIX + ";".join(parts)


@dataclass(frozen=True)
class Table:
    name: str
    sheet: str
    cols: tuple[Col, ...]
    key: tuple[str, ...]
    mode: str = UPSERT
    note: str = ""
    date_col: str | None = None     # the column that places a row in time (for the preview)

    def col(self, name: str) -> Col:
        return next(c for c in self.cols if c.name == name)

    @property
    def columns(self) -> list[str]:
        return [c.name for c in self.cols]


ENUM = vocab.ENUMS
TARGET_METRICS = vocab.TARGET_METRICS

_E = "E0000001"
TABLES: dict[str, Table] = {t.name: t for t in [
    Table("chains", "产业链", (
        Col("chain_id", "产业链编号", "id", note="唯一,如 C01", example="C01"),
        Col("name", "产业链名称", "str", example="新型显示"),
        Col("leader_title", "链长职务", "str", example="区委书记"),
        Col("lead_unit_id", "牵头部门编号", "id", note="单位表中的编号", example="U02", ref="units"),
        Col("partner_unit_ids", "配合单位编号", "list", note="多个编号用逗号或顿号分隔,如 U03,U10", example="U02",
            ref="units"),
        Col("coverage_mode", "党建覆盖方式", "enum", enum=ENUM["coverage_mode"], example="园区延伸"),
    ), key=("chain_id",)),
    Table("parks", "园区", (
        Col("park_id", "园区编号", "id", note="唯一,如 P01", example="P01"),
        Col("name", "园区名称", "str", example="广州科学城"),
        Col("park_type", "园区类型", "str", example="高新技术产业园区"),
        Col("lon", "经度", "float", note="十进制度,73–136", example=113.45, min=73, max=136),
        Col("lat", "纬度", "float", note="十进制度,3–54", example=23.17, min=3, max=54),
        Col("has_park_chief", "是否实行园长制", "bool", example="是"),
        Col("chief_unit_id", "园长所在单位编号", "id", required=False, example="U02", ref="units"),
        Col("mechanism", "工作机制", "str", required=False, example="园长制:园长行使园区党建统筹职责"),
    ), key=("park_id",)),
    Table("units", "单位", (
        Col("unit_id", "单位编号", "id", note="唯一,如 U01", example="U02"),
        Col("name", "单位名称", "str", example="区工业和信息化局"),
        Col("unit_type", "单位类型", "enum", enum=ENUM["unit_type"], example="经济部门"),
    ), key=("unit_id",)),
    Table("enterprises", "企业", (
        Col("enterprise_id", "企业编号", "id", note="唯一,如 E0000001", example=_E),
        Col("uscc", "统一社会信用代码", "uscc", note="18 位,校验位须正确;请按文本填写", example="91440112123456788P"),
        Col("name", "企业名称", "str", example="广州示例科技有限公司"),
        Col("park_id", "所在园区编号", "id", required=False, note="不在园区内的企业留空", example="P01",
            ref="parks"),
        Col("street", "所在镇街", "str", example="永和街道"),
        Col("size", "企业规模", "enum", enum=ENUM["size"], example="小"),
        Col("employees", "从业人数", "int", note="≥ 0", example=36, min=0),
        Col("revenue_10k", "营业收入(万元)", "float", note="≥ 0", example=2850.5, min=0),
        Col("founded_on", "成立日期", "date", example=dt.date(2012, 5, 18)),
        Col("closed_on", "注销日期", "date", required=False, note="在营企业留空", example=None),
    ), key=("enterprise_id",)),
    Table("enterprise_chains", "企业所属产业链", (
        Col("enterprise_id", "企业编号", "id", example=_E, ref="enterprises"),
        Col("chain_id", "产业链编号", "id", example="C01", ref="chains"),
        Col("role", "链上角色", "enum", enum=ENUM["role"], example="配套"),
    ), key=("enterprise_id", "chain_id"), mode=REPLACE_ENTERPRISE, note="一家企业可属多条产业链,每条一行"),
    Table("enterprise_party", "企业党建", (
        Col("enterprise_id", "企业编号", "id", example=_E, ref="enterprises"),
        Col("quarter_end", "季末日期", "quarter", note="如 2026-09-30", example=dt.date(2026, 9, 30)),
        Col("org_type", "党组织组建方式", "enum", enum=ENUM["org_type"], example="联合组建"),
        Col("n_members", "党员人数", "int", note="≥ 0", example=4, min=0),
        Col("n_new_members", "本季发展党员数", "int", note="≥ 0,不超过党员人数", example=1, min=0),
        Col("has_liaison", "是否有党建指导员/联络员", "bool", example="是"),
        Col("has_union", "是否建立工会", "bool", example="是"),
        Col("has_youth_league", "是否建立团组织", "bool", example="否"),
    ), key=("enterprise_id", "quarter_end"), mode=REPLACE_QUARTER, date_col="quarter_end",
        note="每季度每家在营企业一行(季度快照)"),
    Table("honors", "企业荣誉", (
        Col("enterprise_id", "企业编号", "id", example=_E, ref="enterprises"),
        Col("honor", "荣誉类型", "enum", enum=ENUM["honor"], example="创新型中小企业"),
        Col("batch", "批次", "str", note="如 2024年度", example="2024年度"),
        Col("awarded_on", "认定日期", "date", example=dt.date(2024, 9, 15)),
        Col("expires_on", "到期日期", "date", required=False, note="长期有效留空;须晚于认定日期",
            example=dt.date(2027, 9, 15)),
        Col("revoked_on", "撤销日期", "date", required=False, note="未撤销留空", example=None),
    ), key=("enterprise_id", "honor", "batch"), date_col="awarded_on", note="键:企业编号 + 荣誉类型 + 批次"),
    Table("secretaries", "第一书记", (
        Col("secretary_id", "第一书记编号", "id", note="唯一", example="S0001"),
        Col("name", "姓名", "str", example="张明"),
        Col("source_unit_id", "派出单位编号", "id", example="U02", ref="units"),
        Col("enterprise_id", "派驻企业编号", "id", example=_E, ref="enterprises"),
        Col("started_on", "任职开始日期", "date", example=dt.date(2024, 3, 1)),
        Col("ended_on", "离任日期", "date", required=False, note="在岗留空", example=None),
    ), key=("secretary_id",), date_col="started_on"),
    Table("secretary_outcomes", "第一书记成效", (
        Col("outcome_id", "成效编号", "id", note="唯一", example="O000001"),
        Col("secretary_id", "第一书记编号", "id", example="S0001", ref="secretaries"),
        Col("occurred_on", "发生日期", "date", note="须在该第一书记任期内", example=dt.date(2026, 8, 12)),
        Col("kind", "成效类型", "enum", enum=ENUM["outcome_kind"], example="解决问题"),
        Col("n", "数量", "int", note="≥ 0", example=2, min=0),
        Col("title", "事项", "str", example="协调解决企业用工招聘难题"),
        Col("is_case", "是否典型案例", "bool", example="否"),
    ), key=("outcome_id",), date_col="occurred_on"),
    Table("meetings", "会议", (
        Col("meeting_id", "会议编号", "id", note="唯一", example="M00001"),
        Col("kind", "会议类型", "enum", enum=ENUM["meeting_kind"], example="吐槽大会"),
        Col("chain_id", "产业链编号", "id", required=False, example="C01", ref="chains"),
        Col("park_id", "园区编号", "id", required=False, example="P01", ref="parks"),
        Col("held_on", "召开日期", "date", example=dt.date(2026, 7, 20)),
        Col("n_attendees", "参会人数", "int", note="≥ 0", example=60, min=0),
    ), key=("meeting_id",), date_col="held_on"),
    Table("appeals", "企业诉求", (
        Col("appeal_id", "诉求编号", "id", note="唯一", example="A0000001"),
        Col("enterprise_id", "企业编号", "id", example=_E, ref="enterprises"),
        Col("chain_id", "产业链编号", "id", required=False, example="C01", ref="chains"),
        Col("park_id", "园区编号", "id", required=False, example="P01", ref="parks"),
        Col("source", "诉求来源", "enum", enum=ENUM["source"], example="吐槽大会"),
        Col("meeting_id", "来源会议编号", "id", required=False, note="来源为吐槽大会时填写", example="M00001",
            ref="meetings"),
        Col("category", "诉求类别", "str", example="用工招聘"),
        Col("received_on", "收到日期", "date", example=dt.date(2026, 7, 20)),
        Col("handler_unit_id", "承办单位编号", "id", example="U02", ref="units"),
        Col("transferred_on", "转办日期", "date", required=False, note="不早于收到日期",
            example=dt.date(2026, 7, 22)),
        Col("due_on", "办理期限", "date", note="不早于收到日期", example=dt.date(2026, 8, 20)),
        Col("resolved_on", "办结日期", "date", required=False, note="未办结留空;不早于收到日期",
            example=dt.date(2026, 8, 10)),
        Col("satisfaction", "满意度", "int", required=False, note="1–5,办结后填写", example=5, min=1, max=5),
    ), key=("appeal_id",), date_col="received_on", note="已办结的旧诉求可按编号重新上传以更新办结日期"),
    Table("pairings", "红联共建结对", (
        Col("pairing_id", "结对编号", "id", note="唯一", example="R0001"),
        Col("unit_id", "机关单位编号", "id", example="U02", ref="units"),
        Col("enterprise_id", "企业编号", "id", example=_E, ref="enterprises"),
        Col("chain_id", "产业链编号", "id", example="C01", ref="chains"),
        Col("started_on", "结对开始日期", "date", example=dt.date(2025, 1, 10)),
        Col("ended_on", "结对结束日期", "date", required=False, note="仍在结对留空", example=None),
    ), key=("pairing_id",), date_col="started_on"),
    Table("pairing_activities", "共建活动", (
        Col("activity_id", "活动编号", "id", note="唯一", example="PA00001"),
        Col("pairing_id", "结对编号", "id", example="R0001", ref="pairings"),
        Col("held_on", "活动日期", "date", note="须在结对期间内", example=dt.date(2026, 8, 5)),
        Col("program", "活动品牌", "enum", enum=ENUM["program"], example="红领精英"),
        Col("n_participants", "参与人数", "int", note="≥ 0", example=25, min=0),
        Col("n_results", "成果数", "int", note="≥ 0", example=1, min=0),
    ), key=("activity_id",), date_col="held_on"),
    Table("chain_master_plans", "链主培育", (
        Col("enterprise_id", "企业编号", "id", example=_E, ref="enterprises"),
        Col("chain_id", "产业链编号", "id", example="C01", ref="chains"),
        Col("year", "年度", "year", example=2026, min=2000, max=2100),
        Col("has_task_force", "是否成立工作专班", "bool", example="是"),
        Col("task_force_mode", "专班组建方式", "enum", required=False, enum=ENUM["task_force_mode"],
            note="成立专班时必填,未成立留空", example="内部选定"),
        Col("has_party_plan", "是否有年度党建规划", "bool", example="是"),
        Col("score", "评分", "float", required=False, note="0–100", example=88.5, min=0, max=100),
        Col("fiscal_support_10k", "财政支持(万元)", "float", note="≥ 0", example=500.0, min=0),
        Col("land_mu", "用地(亩)", "float", note="≥ 0", example=30.0, min=0),
        Col("n_projects", "项目数", "int", note="≥ 0", example=3, min=0),
        Col("n_standards", "标准数", "int", note="≥ 0", example=1, min=0),
    ), key=("enterprise_id", "chain_id", "year"), note="键:企业编号 + 产业链编号 + 年度"),
    Table("targets", "年度目标", (
        Col("year", "年度", "year", example=2026, min=2000, max=2100),
        Col("metric", "指标", "enum", enum=ENUM["metric"],
            note="; ".join(f"{k}={v}" for k, v in TARGET_METRICS.items()), example="n_xjr"),
        Col("chain_id", "产业链编号", "id", required=False, note="全区目标留空", example=None, ref="chains"),
        Col("park_id", "园区编号", "id", required=False, note="全区目标留空;不与产业链同时填写",
            example=None, ref="parks"),
        Col("target_value", "目标值", "float", note="≥ 0;比率类指标填 0–1 小数(如 0.85)", example=35, min=0),
    ), key=("year", "metric", "chain_id", "park_id"), note="键:年度 + 指标 + 产业链 + 园区"),
]}
SHEETS = {t.sheet: t.name for t in TABLES.values()}
DATA_TABLES = list(TABLES)          # the order sheets appear in and tables are checked in

# Not an import sheet: written by the builder and by every import.
META_COLUMNS = (("key", "VARCHAR PRIMARY KEY", ""), ("value", "VARCHAR NOT NULL", ""))
META_KEYS = {"as_of": "数据截至", "data_version": "数据版本", "source": "来源", "loaded_at": "装载时间"}
RAW_TABLES = (*TABLES, "meta")      # every raw table, in build order


# -------------------------------------------------------------------------------------- identifiers
class UnknownTable(ValueError):
    pass


def ident(table: str) -> str:
    """The quoted SQL identifier of a raw table — only for names in the contract (the one whitelist of
    table names that code may put into SQL text); anything else raises."""
    if not isinstance(table, str) or table not in RAW_TABLES:
        raise UnknownTable(f"不是数据仓库契约中的表名:{table!r}")
    return '"' + table + '"'


# ---------------------------------------------------------------------------------------------- DDL
SQL_TYPE = {"id": "VARCHAR", "str": "VARCHAR", "uscc": "VARCHAR", "enum": "VARCHAR", "int": "INTEGER",
            "year": "INTEGER", "float": "DOUBLE", "bool": "BOOLEAN", "date": "DATE", "quarter": "DATE",
            "list": "VARCHAR[]"}


def _sql_str(v: str) -> str:
    return "'" + str(v).replace("'", "''") + "'"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _column_sql(t: Table, c: Col) -> tuple[str, str]:
    parts = [SQL_TYPE[c.type]]
    if t.key == (c.name,) and c.required:
        parts.append("PRIMARY KEY")
    elif c.required:
        parts.append("NOT NULL")
    if c.enum:
        parts.append(f"CHECK ({c.name} IN ({', '.join(_sql_str(v) for v in c.enum)}))")
    if c.type in ("int", "year", "float") and (c.min is not None or c.max is not None):
        if c.min is not None and c.max is not None:
            parts.append(f"CHECK ({c.name} BETWEEN {_num(c.min)} AND {_num(c.max)})")
        elif c.min is not None:
            parts.append(f"CHECK ({c.name} >= {_num(c.min)})")
        else:
            parts.append(f"CHECK ({c.name} <= {_num(c.max)})")
    return " ".join(parts), c.zh


def _create(name: str, cols: list[tuple[str, str, str]], extra: list[str]) -> str:
    width = max(len(n) for n, _, _ in cols) + 2
    lines = []
    items = [(f"{n:<{width}}{sql}", zh) for n, sql, zh in cols] + [(x, "") for x in extra]
    for i, (text, zh) in enumerate(items):
        sep = "," if i < len(items) - 1 else ""
        lines.append(f"    {text}{sep}" + (f"  -- {zh}" if zh else ""))
    return f"CREATE TABLE {name} (\n" + "\n".join(lines) + "\n);\n"


def ddl() -> str:
    """CREATE TABLE statements of every raw table, generated from `TABLES` (types, NOT NULL, enumeration
    and range CHECKs, primary keys where the key has no optional column)."""
    out = ["-- 原始表(契约)的建表语句,由 dashboard/contract.py 的 TABLES 生成(python -m dashboard.contract),勿手改。",
           "-- 演示数据、导入与独立核对共用;列名固定;日期为 DATE;季度以季末日期 quarter_end 表示。One statement per raw table.",
           ""]
    for t in TABLES.values():
        cols = [(c.name, *_column_sql(t, c)) for c in t.cols]
        extra = []
        key_cols = [t.col(k) for k in t.key]
        if len(t.key) > 1 and all(c.required for c in key_cols):
            extra.append(f"PRIMARY KEY ({', '.join(t.key)})")
        out.append(_create(t.name, cols, extra))
    out.append(_create("meta", list(META_COLUMNS), []))
    return "\n".join(out)


if __name__ == "__main__":     # python -m dashboard.contract [--check]: (re)write queries/_build/schema.sql
    import sys

    from .paths import QUERIES_DIR
    path = QUERIES_DIR / "_build" / "schema.sql"
    text = ddl()
    if "--check" in sys.argv:
        sys.exit(0 if path.read_text(encoding="utf-8") == text else 1)
    path.write_text(text, encoding="utf-8")
    print(f"已写入 {path}")
