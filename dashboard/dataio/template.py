"""The import contract as staff see it: one sheet per raw table, Chinese headers, a notes row, dropdowns.

The contract itself (`TABLES`: every raw table but `meta` as a sheet — Chinese sheet name, columns with
Chinese header, type, required, enumeration, note, example value, key, merge rule) lives in
dashboard/contract.py and is re-exported here. `write_template` writes the empty template (with one example
row per sheet); `write_export` writes a warehouse in exactly the same shape (no example row) — fast: the data rows are
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
from pathlib import Path

import polars as pl

from ..contract import (  # noqa: F401  (the contract, re-exported for the import code and its tests)
    ENUM, MODE_TEXT, NOTE_PREFIX, REPLACE_ENTERPRISE, REPLACE_QUARTER, TABLES, TARGET_METRICS, UPSERT, Col, Table,
)

EXAMPLE_MARK = "← 示例行:导入时自动忽略,可删除"
GUIDE_SHEET = "填表说明"
HEADER_ROW = 1          # Excel row numbers
NOTES_ROW = 2
FIRST_DATA_ROW = 3

SHEETS = {t.sheet: t.name for t in TABLES.values()}
DATA_TABLES = list(TABLES)          # the order sheets appear in and tables are checked in
BOOL_TRUE = ("是", "true", "1", "y", "yes", "√", "✓", "t")
BOOL_FALSE = ("否", "false", "0", "n", "no", "×", "✗", "f")


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
