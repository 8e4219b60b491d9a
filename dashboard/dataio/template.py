"""The import contract as staff see it: one sheet per raw table, Chinese headers, a notes row, dropdowns.

`TABLES` maps every raw table of queries/_build/schema.sql (all but `meta`) to its sheet: Chinese sheet
name, columns (contract name ↔ Chinese header, type, required, enumeration, note, example value), key and
how an import merges it. `write_template` writes the empty template (with one example row per sheet);
`write_export` writes a warehouse in exactly the same shape (no example row) — fast: the data rows are
generated column-wise with polars and streamed into the workbook's sheet XML.

Sheet layout (template and export): row 1 = Chinese headers (each with a comment naming the contract
column), row 2 = notes row (every cell starts with "说明:"), data from row 3. In the template, row 3 is
an example row marked in the column right after the last header with `EXAMPLE_MARK`; the importer skips
the notes row and any row carrying that mark.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl

NOTE_PREFIX = "说明:"
EXAMPLE_MARK = "← 示例行:导入时自动忽略,可删除"
GUIDE_SHEET = "填表说明"
HEADER_ROW = 1          # Excel row numbers
NOTES_ROW = 2
FIRST_DATA_ROW = 3

TARGET_METRICS = {       # targets.metric → 中文 (the metrics mart_target_status tracks)
    "n_xjr": "小巨人(家)", "n_lgsx": "两高四新(家)", "org_coverage_rate": "组织覆盖率",
    "work_coverage_rate": "工作覆盖率", "appeal_resolved_rate": "诉求办结率",
    "n_problems_solved_ytd": "年内解决问题数", "n_pairing_activities_ytd": "年内共建活动",
}

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


ENUM = {
    "coverage_mode": ("行业党委统筹", "职能部门共建", "园区延伸"),
    "unit_type": ("经济部门", "行业党委", "镇街", "国企", "其他"),
    "size": ("大", "中", "小", "微"),
    "role": ("链主", "核心", "配套"),
    "org_type": ("单独组建", "联合组建", "无"),
    "honor": ("小巨人", "单项冠军", "两高四新", "高新技术企业", "省级专精特新", "创新型中小企业"),
    "outcome_kind": ("解决问题", "政策宣讲", "党建指导", "发展党员", "技术攻关", "人才引进"),
    "meeting_kind": ("专题会议", "战略咨询会议", "党建联席会议", "吐槽大会", "联合调度会"),
    "source": ("吐槽大会", "联合调度", "第一书记", "园长", "其他"),
    "program": ("红领精英", "红创人才", "红联众创"),
    "task_force_mode": ("内部选定", "跨企选派", "外聘专员"),
    "metric": tuple(TARGET_METRICS),
}
BOOL_TRUE = ("是", "true", "1", "y", "yes", "√", "✓", "t")
BOOL_FALSE = ("否", "false", "0", "n", "no", "×", "✗", "f")

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


def table_for_sheet(name: str) -> str | None:
    """Sheet name → table: the Chinese sheet name or the contract table name (case-insensitive)."""
    n = (name or "").strip()
    if n in SHEETS:
        return SHEETS[n]
    low = n.lower()
    return low if low in TABLES else None


def _norm_header(h: str) -> str:
    return re.sub(r"[\s*＊]+", "", str(h)).replace("(", "(").replace(")", ")").lower()


def header_lookup(table: str) -> dict[str, str]:
    """Normalised header text → contract column: accepts the Chinese header, the contract column name,
    and '中文(column)' forms."""
    out = {}
    for c in TABLES[table].cols:
        for h in (c.zh, c.name, f"{c.zh}({c.name})"):
            out[_norm_header(h)] = c.name
    return out


def map_header(table: str, header: str) -> str | None:
    return header_lookup(table).get(_norm_header(header))


# ---------------------------------------------------------------------------------------------- writing
def _formats(wb):
    return {
        "header": wb.add_format({"bold": True, "bg_color": "#1F3A5F", "font_color": "#FFFFFF", "border": 1,
                                 "align": "center", "valign": "vcenter", "text_wrap": True}),
        "header_opt": wb.add_format({"bold": True, "bg_color": "#4A6A8F", "font_color": "#FFFFFF", "border": 1,
                                     "align": "center", "valign": "vcenter", "text_wrap": True}),
        "note": wb.add_format({"italic": True, "font_color": "#666666", "bg_color": "#F3F3F3", "text_wrap": True,
                               "valign": "top", "font_size": 9}),
        "example": wb.add_format({"italic": True, "font_color": "#8A6D00", "bg_color": "#FFF8DC"}),
        "example_date": wb.add_format({"italic": True, "font_color": "#8A6D00", "bg_color": "#FFF8DC",
                                       "num_format": "yyyy-mm-dd"}),
        "mark": wb.add_format({"bold": True, "font_color": "#B00020"}),
        "text": wb.add_format({"num_format": "@"}),
        "date": wb.add_format({"num_format": "yyyy-mm-dd"}),
        "num": wb.add_format({}),
        "title": wb.add_format({"bold": True, "font_size": 14}),
        "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
        "th": wb.add_format({"bold": True, "bg_color": "#DDE6F0", "border": 1, "text_wrap": True, "valign": "top"}),
        "td": wb.add_format({"border": 1, "text_wrap": True, "valign": "top"}),
    }


def _guide(wb, fm, with_example: bool) -> None:
    ws = wb.add_worksheet(GUIDE_SHEET)
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 16)
    ws.set_column(2, 2, 90)
    ws.write(0, 0, "链长制·党建引领监测驾驶舱 数据导入模板", fm["title"])
    lines = [
        "每个工作表对应一张数据表;请勿修改工作表名称和第 1 行表头(也可使用英文字段名作表头)。",
        "第 2 行为填写说明,导入时自动忽略;" + ("第 3 行为示例行(右侧标有“示例行”),导入时自动忽略,可删除。"
                                         if with_example else "数据从第 3 行开始。"),
        "日期填写为 YYYY-MM-DD(如 2026-09-30)或 Excel 日期;是/否 列填“是”或“否”;编号、统一社会信用代码请按文本填写。",
        "单元格请填写数值,不要留下没有计算结果的公式;表头不要合并单元格。也可把单张表另存为 CSV(UTF-8、UTF-8 带 BOM 或 GBK 编码),文件名用工作表名,如 企业党建.csv。",
        "导入方式:上传包含全部 15 个工作表的完整工作簿 = 全量替换(仓库内容与文件完全一致);只上传部分工作表 = 增量更新,规则见下表。",
        "数据截至日期 = 企业党建表中最新的季末日期;各类事件日期不得晚于该日期。新增季度请同时上传该季度的企业党建数据。",
        "发布前会先校验全部数据(一次列出全部错误:文件、工作表、行、列、值、违反的规则),校验通过并预览后才发布为新版本;可随时回滚到之前的版本。",
    ]
    for i, line in enumerate(lines):
        ws.merge_range(2 + i, 0, 2 + i, 2, f"{i + 1}. {line}", fm["wrap"])
        ws.set_row(2 + i, 32)
    r = 3 + len(lines)
    for j, h in enumerate(("工作表", "数据表", "部分上传时的导入方式 / 说明")):
        ws.write(r, j, h, fm["th"])
    for t in TABLES.values():
        r += 1
        ws.write(r, 0, t.sheet, fm["td"])
        ws.write(r, 1, t.name, fm["td"])
        ws.write(r, 2, MODE_TEXT[t.mode] + (f";{t.note}" if t.note else ""), fm["td"])


def _data_sheet(wb, fm, t: Table, with_example: bool):
    ws = wb.add_worksheet(t.sheet)
    ws.freeze_panes(FIRST_DATA_ROW - 1, 0)
    ws.set_row(NOTES_ROW - 1, 48)
    for j, c in enumerate(t.cols):
        width = max(10, min(34, len(c.zh) * 2 + 4))
        colfmt = fm["date"] if c.type in ("date", "quarter") else (
            fm["text"] if c.type in ("id", "str", "uscc", "list", "enum", "bool") else None)
        ws.set_column(j, j, width, colfmt)
        ws.write_string(0, j, c.zh, fm["header"] if c.required else fm["header_opt"])
        ws.write_comment(0, j, f"字段:{c.name}\n{c.note_text[len(NOTE_PREFIX):]}",
                         {"x_scale": 1.6, "y_scale": 1.4, "author": "数据导入模板"})
        ws.write_string(NOTES_ROW - 1, j, c.note_text, fm["note"])
        last = 1_048_575
        if c.enum or c.type == "bool":
            vals = list(c.enum) if c.enum else ["是", "否"]
            ws.data_validation(FIRST_DATA_ROW - 1, j, last, j, {
                "validate": "list", "source": vals, "ignore_blank": True,
                "error_title": "取值不在可选范围", "error_message": "请从下拉列表中选择:" + "/".join(vals)})
        elif c.type in ("int", "year"):
            opts = {"validate": "integer", "ignore_blank": True, "error_title": "应为整数",
                    "error_message": c.note_text[len(NOTE_PREFIX):]}
            if c.min is not None and c.max is not None:
                opts.update(criteria="between", minimum=int(c.min), maximum=int(c.max))
            else:
                opts.update(criteria=">=", value=int(c.min if c.min is not None else -2**31))
            ws.data_validation(FIRST_DATA_ROW - 1, j, last, j, opts)
    if with_example:
        r = FIRST_DATA_ROW - 1
        for j, c in enumerate(t.cols):
            v = c.example
            if v is None:
                continue
            if isinstance(v, dt.date):
                ws.write_datetime(r, j, dt.datetime(v.year, v.month, v.day), fm["example_date"])
            elif isinstance(v, (int, float)):
                ws.write_number(r, j, v, fm["example"])
            else:
                ws.write_string(r, j, str(v), fm["example"])
        ws.write_string(r, len(t.cols), EXAMPLE_MARK, fm["mark"])
        ws.set_column(len(t.cols), len(t.cols), 30)
    return ws


def write_template(out: str | os.PathLike) -> Path:
    """The empty import template (one example row per sheet)."""
    import xlsxwriter
    out = Path(out)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    wb = xlsxwriter.Workbook(str(tmp))
    fm = _formats(wb)
    _guide(wb, fm, with_example=True)
    for t in TABLES.values():
        _data_sheet(wb, fm, t, with_example=True)
    wb.close()
    os.replace(tmp, out)
    return out


def template_bytes() -> bytes:
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        return write_template(Path(d) / "t.xlsx").read_bytes()


# --------------------------------------------------------------------------------------------- export
_EPOCH = dt.date(1899, 12, 30)
_BAD_XML = r"[\x00-\x08\x0B\x0C\x0E-\x1F]"


def _col_letter(j: int) -> str:
    s = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


def _esc(e: pl.Expr) -> pl.Expr:
    return (e.str.replace_all(_BAD_XML, "").str.replace_all("&", "&amp;", literal=True)
            .str.replace_all("<", "&lt;", literal=True).str.replace_all(">", "&gt;", literal=True))


def _cell_exprs(t: Table, df: pl.DataFrame, date_xf: int) -> list[pl.Expr]:
    rownum = pl.col("__r").cast(pl.String)
    out = []
    for j, c in enumerate(t.cols):
        letter = _col_letter(j)
        x = pl.col(c.name)
        dtype = df.schema[c.name]
        if c.type in ("date", "quarter"):
            serial = (x.cast(pl.Date) - pl.lit(_EPOCH)).dt.total_days().cast(pl.String)
            cell = pl.concat_str([pl.lit(f'<c r="{letter}'), rownum, pl.lit(f'" s="{date_xf}"><v>'), serial,
                                  pl.lit("</v></c>")])
        elif c.type in ("int", "float", "year"):
            cell = pl.concat_str([pl.lit(f'<c r="{letter}'), rownum, pl.lit('"><v>'), x.cast(pl.String),
                                  pl.lit("</v></c>")])
            if dtype.is_float():
                cell = pl.when(x.is_finite()).then(cell)
        else:
            if c.type == "bool":
                text = pl.when(x).then(pl.lit("是")).when(~x).then(pl.lit("否"))
            elif c.type == "list" or isinstance(dtype, pl.List):
                text = x.cast(pl.List(pl.String)).list.join(",")
            else:
                text = x.cast(pl.String)
            cell = pl.concat_str([pl.lit(f'<c r="{letter}'), rownum,
                                  pl.lit('" t="inlineStr"><is><t xml:space="preserve">'), _esc(text),
                                  pl.lit("</t></is></c>")])
        out.append(cell)
    return out


def _rows_xml(t: Table, df: pl.DataFrame, date_xf: int) -> bytes:
    if df.height == 0:
        return b""
    df = df.with_row_index("__r", offset=FIRST_DATA_ROW)
    rows = df.select(pl.concat_str([pl.lit('<row r="'), pl.col("__r").cast(pl.String), pl.lit('">'),
                                    *_cell_exprs(t, df, date_xf), pl.lit("</row>")],
                                   ignore_nulls=True).alias("x"))
    return rows["x"].str.join("").item().encode("utf-8")


def write_export(out: str | os.PathLike, tables: dict[str, pl.DataFrame]) -> Path:
    """Write `tables` (raw tables by name) in the template's shape: header, notes row, data from row 3."""
    import xlsxwriter
    out = Path(out)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    skel = out.with_name(f".{out.name}.skel-{os.getpid()}")
    try:
        wb = xlsxwriter.Workbook(str(skel))
        fm = _formats(wb)
        _guide(wb, fm, with_example=False)
        sheets = {}
        for t in TABLES.values():
            ws = _data_sheet(wb, fm, t, with_example=False)
            sheets[t.name] = ws
        wb.close()
        date_xf = fm["date"].xf_index
        # xlsxwriter names worksheet parts sheet1.xml… in the order they were added (guide first).
        part = {name: f"xl/worksheets/sheet{i + 2}.xml" for i, name in enumerate(TABLES)}
        with zipfile.ZipFile(skel) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
            by_part = {v: k for k, v in part.items()}
            for info in zin.infolist():
                data = zin.read(info.filename)
                name = by_part.get(info.filename)
                if name is not None and name in tables and tables[name].height:
                    t = TABLES[name]
                    df = tables[name].select(t.columns)
                    rows = _rows_xml(t, df, date_xf)
                    last = FIRST_DATA_ROW - 1 + df.height
                    data = re.sub(rb'<dimension ref="[^"]*"/>',
                                  f'<dimension ref="A1:{_col_letter(len(t.cols) - 1)}{last}"/>'.encode(), data, count=1)
                    i = data.rindex(b"</sheetData>")
                    data = data[:i] + rows + data[i:]
                zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
        os.replace(tmp, out)
    finally:
        skel.unlink(missing_ok=True)
        tmp.unlink(missing_ok=True)
    return out
