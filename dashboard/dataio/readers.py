"""Read uploaded files into string grids: .xlsx (Excel and WPS; read with fastexcel/calamine) and .csv
(UTF-8, UTF-8 with BOM, GBK/GB18030). Every value stays text here; validate.py types and checks it.

Each data sheet becomes a `SheetData`: contract column names → text, plus `_row`, the row number the user
sees in Excel (or the line number in the CSV). Problems with the file itself (empty, not an Excel file,
unknown encoding, renamed sheet, merged header cells, formulas without a saved value, unknown/missing
columns) are returned as `Issue`s.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from . import template as T
from .validate import (
    R_CSV_FORMAT, R_DUP_HEADER, R_EMPTY_FILE, R_ENCODING, R_FORMULA, R_HEADER_EMPTY, R_MERGED, R_MISSING_COL,
    R_NOT_EXCEL, R_TABLE_UNKNOWN, R_UNKNOWN_COL, R_UNKNOWN_SHEET, Issue,
)

WS = " \t\r\n\u3000\xa0\ufeff"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class SheetData:
    file: str
    sheet: str                 # sheet name in the file (CSV: the file name)
    table: str
    frame: pl.DataFrame        # contract columns present (text) + "_row" (Int64, Excel row / CSV line)
    header_row: int
    missing: tuple[str, ...] = ()   # contract columns absent from the header

    @property
    def n_rows(self) -> int:
        return self.frame.height


@dataclass
class FileRead:
    name: str
    sha256: str
    nbytes: int
    kind: str = ""                      # xlsx | csv | ?
    encoding: str = ""
    sheets: list[SheetData] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)   # sheets left out (guide, empty unknown sheets)


def _col_letter(j: int) -> str:
    return T._col_letter(j)


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def _split_ref(ref: str) -> tuple[int, int]:
    m = re.match(r"([A-Z]+)(\d+)", ref)
    return _col_index(m.group(1)), int(m.group(2))


def read_file(name: str, data: bytes) -> FileRead:
    """Read one uploaded file (by name and content)."""
    fr = FileRead(name=name, sha256=hashlib.sha256(data).hexdigest(), nbytes=len(data))
    ext = Path(name).suffix.lower()
    if not data:
        fr.issues.append(Issue(name, None, None, None, None, R_EMPTY_FILE, "文件大小为 0 字节,没有任何内容"))
        return fr
    if data[:8] == _OLE2:
        fr.issues.append(Issue(name, None, None, None, None, R_NOT_EXCEL,
                               "这是旧版 .xls/.et 格式:请在 Excel 或 WPS 中“另存为”Excel 工作簿(.xlsx)后再上传"))
        return fr
    if data[:4] == b"PK\x03\x04" and ext not in (".csv", ".txt"):
        fr.kind = "xlsx"
        _read_xlsx(fr, data)
    elif ext in (".csv", ".txt"):
        fr.kind = "csv"
        _read_csv(fr, data)
    elif ext in (".xlsx", ".xlsm"):
        fr.issues.append(Issue(name, None, None, None, None, R_NOT_EXCEL,
                               "文件扩展名是 .xlsx,但内容不是 Excel 工作簿(可能是把其他文件改了扩展名):"
                               "请用 Excel/WPS 打开模板填写后保存为 .xlsx"))
    else:
        fr.issues.append(Issue(name, None, None, None, None, R_NOT_EXCEL,
                               f"不支持的文件类型「{ext or '无扩展名'}」:请上传 .xlsx 工作簿或 .csv 文件"))
    return fr


def read_path(path: str | Path) -> FileRead:
    p = Path(path)
    return read_file(p.name, p.read_bytes())


# ------------------------------------------------------------------------------------------------ xlsx
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → worksheet XML part, from xl/workbook.xml and its relationships."""
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    try:
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        rels = ET.fromstring(b"<Relationships/>")
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG}Relationship")}
    out = {}
    for s in wb.iter(f"{_NS_MAIN}sheet"):
        t = targets.get(s.get(f"{_NS_REL}id"), "")
        t = t.lstrip("/") if t.startswith("/") else "xl/" + t
        out[s.get("name")] = re.sub(r"/[^/]+/\.\./", "/", t)
    return out


_ROW_OPEN = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"[^>]*?(/?)>")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(/?)>")


def _first_value_row(xml: bytes) -> tuple[int | None, int]:
    """(Excel row number, 0-based column) of the first row holding a value — where calamine's range starts."""
    for m in _ROW_OPEN.finditer(xml):
        if m.group(2) == b"/":
            continue
        end = xml.find(b"row>", m.end())
        body = xml[m.end():end]
        if b"<v>" in body or b"<v " in body or b"<is>" in body or b":v>" in body or b":is>" in body:
            first_col = None
            for c in _CELL.finditer(body):
                if c.group(2) == b"/":
                    continue
                rm = re.search(rb'\br="([A-Z]+)\d+"', c.group(1))
                if rm:
                    first_col = _col_index(rm.group(1).decode())
                    break
            return int(m.group(1)), first_col or 0
    return None, 0


_FORMULA_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)>(.*?)</(?:\w+:)?c>", re.S)
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formula(xml: bytes) -> bool:
    """Any <f> element? (bytes.find scans a 100 MB sheet far faster than a regex would.)"""
    i = xml.find(b"<f")
    while i >= 0:
        if xml[i + 2:i + 3] in (b" ", b">", b"/"):
            return True
        i = xml.find(b"<f", i + 2)
    return xml.find(b":f>") >= 0 or xml.find(b":f ") >= 0


def _formulas_without_value(xml: bytes) -> list[str]:
    """Cells that hold a formula but no saved (cached) value: A1-style references."""
    if not _has_formula(xml):
        return []
    out = []
    for m in _FORMULA_CELL.finditer(xml):
        body = m.group(2)
        if not _FORMULA_TAG.search(body):
            continue
        v = re.search(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", body, re.S)
        if v is None or not v.group(1).strip():
            rm = re.search(rb'\br="([A-Z]+\d+)"', m.group(1))
            out.append(rm.group(1).decode() if rm else "?")
    return out


def _merges(xml: bytes) -> list[str]:
    # <mergeCells> follows </sheetData> (schema order): look only at the tail.
    end = xml.rfind(b"sheetData>")
    tail = xml[end:] if end >= 0 else xml
    if b"mergeCell" not in tail:
        return []
    return [m.decode() for m in re.findall(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+\d+(?::[A-Z]+\d+)?)"', tail)]


def _read_xlsx(fr: FileRead, data: bytes) -> None:
    import fastexcel
    name = fr.name
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        parts = _sheet_parts(z)
    except (zipfile.BadZipFile, KeyError, ET.ParseError) as e:
        fr.issues.append(Issue(name, None, None, None, None, R_NOT_EXCEL,
                               f"文件不是有效的 Excel 工作簿(.xlsx),可能已损坏或是改了扩展名的其他文件({type(e).__name__})"))
        return
    try:
        reader = fastexcel.read_excel(data)
    except Exception as e:  # noqa: BLE001 - calamine's errors are many; all mean "cannot read"
        fr.issues.append(Issue(name, None, None, None, None, R_NOT_EXCEL,
                               f"无法读取该 Excel 文件:{str(e).splitlines()[0][:200]}"))
        return
    for sheet in reader.sheet_names:
        table = T.table_for_sheet(sheet)
        if sheet.strip() == T.GUIDE_SHEET:
            fr.ignored.append(sheet)
            continue
        try:
            grid = reader.load_sheet(sheet, header_row=None, dtypes="string").to_polars()
        except Exception:  # noqa: BLE001 - an empty sheet has no range
            grid = pl.DataFrame()
        if table is None:
            if grid.height == 0 or all(grid[c].null_count() == grid.height for c in grid.columns):
                fr.ignored.append(sheet)      # e.g. an empty "Sheet1" added by WPS
            else:
                fr.issues.append(Issue(name, sheet, None, None, None, R_UNKNOWN_SHEET,
                                       "工作表名称不是模板中的名称(请勿重命名工作表),应为:"
                                       + "、".join(T.SHEETS)))
            continue
        part = parts.get(sheet)
        xml = z.read(part) if part and part in z.namelist() else b""
        first_row, first_col = _first_value_row(xml) if xml else (1, 0)
        if first_row is None:
            first_row = 1
        merged = _merges(xml)
        header_merged = False
        for ref in merged:
            a, _, b = ref.partition(":")
            (c1, r1), (c2, r2) = _split_ref(a), _split_ref(b or a)
            if r1 <= first_row <= r2 or r2 < first_row:
                header_merged = True
                fr.issues.append(Issue(name, sheet, r1, None, ref, R_MERGED,
                                       f"表头单元格 {ref} 被合并:请取消合并,第 1 行每列一个表头"))
            else:
                fr.issues.append(Issue(name, sheet, r1, None, ref, R_MERGED,
                                       f"单元格 {ref} 被合并,合并后只有左上角单元格有值:请取消合并并逐行填写"))
        if header_merged:
            continue
        header = [grid[c][0] if grid.height else None for c in grid.columns]
        for ref in _formulas_without_value(xml):
            cj, r = _split_ref(ref)
            j = cj - first_col
            h = header[j] if 0 <= j < len(header) else None
            fr.issues.append(Issue(name, sheet, r, (h or ref), None, R_FORMULA,
                                   f"单元格 {ref} 是公式但没有保存计算结果:请在 Excel/WPS 中打开并保存,"
                                   "或复制后“选择性粘贴为数值”"))
        rownums = list(range(first_row, first_row + grid.height))
        sd = _grid_to_sheet(fr, sheet, table, grid, rownums, first_col)
        if sd is not None:
            fr.sheets.append(sd)


# ------------------------------------------------------------------------------------------------- csv
def _decode(fr: FileRead, data: bytes) -> str | None:
    if data.startswith(b"\xef\xbb\xbf"):
        fr.encoding = "UTF-8(带 BOM)"
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as e:
            fr.issues.append(Issue(fr.name, None, None, None, None, R_ENCODING,
                                   f"文件以 UTF-8 BOM 开头,但第 {e.start} 字节附近不是有效的 UTF-8:请重新另存为“CSV UTF-8”"))
            return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        fr.issues.append(Issue(fr.name, None, None, None, None, R_ENCODING,
                               "文件是 UTF-16 编码(Excel“Unicode 文本”):请另存为“CSV UTF-8(逗号分隔)”或 GBK 编码的 CSV"))
        return None
    try:
        text = data.decode("utf-8")
        fr.encoding = "UTF-8"
        return text
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        fr.encoding = "GBK"
        return text
    except UnicodeDecodeError as e:
        fr.issues.append(Issue(fr.name, None, None, None, None, R_ENCODING,
                               f"第 {e.start} 字节附近既不是 UTF-8 也不是 GBK 编码:请在 Excel/WPS 中另存为"
                               "“CSV UTF-8(逗号分隔)”或 GBK 编码的 CSV"))
        return None


def _csv_table(fr: FileRead, header: list[str]) -> str | None:
    stem = Path(fr.name).stem.strip().lower()
    names = [(t.sheet, t.name) for t in T.TABLES.values()] + [(t.name, t.name) for t in T.TABLES.values()]
    hits = sorted(((len(k), v) for k, v in names if k.lower() in stem), reverse=True)
    if hits:
        return hits[0][1]
    # No table name in the file name: the table whose headers match them all.
    cands = []
    cells = [h for h in header if h]
    for t in T.TABLES:
        mapped = [T.map_header(t, h) for h in cells]
        if cells and all(mapped) and len(set(mapped)) == len(T.TABLES[t].cols):
            cands.append(t)
    return cands[0] if len(cands) == 1 else None


def _read_csv(fr: FileRead, data: bytes) -> None:
    text = _decode(fr, data)
    if text is None:
        return
    if not text.strip(WS):
        fr.issues.append(Issue(fr.name, None, None, None, None, R_EMPTY_FILE, "文件没有任何内容"))
        return
    first = text.lstrip(WS).split("\n", 1)[0]
    sep = "\t" if first.count("\t") > first.count(",") else (";" if first.count(";") > first.count(",") else ",")
    rows, lines = [], []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    prev = 0
    try:
        for rec in reader:
            start = prev + 1
            prev = reader.line_num
            if not rec or all(not x.strip(WS) for x in rec):
                continue
            rows.append(rec)
            lines.append(start)
    except csv.Error as e:
        fr.issues.append(Issue(fr.name, Path(fr.name).stem, prev + 1, None, None, R_CSV_FORMAT,
                               f"CSV 无法解析:{e}(检查引号是否成对)"))
        return
    header = [h.strip(WS) for h in rows[0]]
    table = _csv_table(fr, header)
    if table is None:
        fr.issues.append(Issue(fr.name, Path(fr.name).stem, lines[0], None, None, R_TABLE_UNKNOWN,
                               "无法从文件名或表头判断是哪张表:请把文件命名为工作表名或表名,如 企业党建.csv、"
                               "enterprise_party.csv"))
        return
    width = len(header)
    sheet = Path(fr.name).name
    for rec, ln in zip(rows[1:], lines[1:]):
        if len(rec) > width and any(x.strip(WS) for x in rec[width:]):
            fr.issues.append(Issue(fr.name, sheet, ln, None, sep.join(rec[width:])[:60], R_CSV_FORMAT,
                                   f"该行有 {len(rec)} 个字段,多于表头的 {width} 列(文本中的逗号需用英文双引号括起)"))
    cols = {}
    for j in range(width):
        cols[f"c{j}"] = [rec[j] if j < len(rec) else None for rec in rows]
    grid = pl.DataFrame(cols, schema={f"c{j}": pl.String for j in range(width)})
    grid = grid.with_columns(pl.all().str.strip_chars(WS).replace("", None))
    sd = _grid_to_sheet(fr, sheet, table, grid, lines, 0)
    if sd is not None:
        fr.sheets.append(sd)


# ---------------------------------------------------------------------------------------- shared: grid
def _grid_to_sheet(fr: FileRead, sheet: str, table: str, grid: pl.DataFrame, rownums: list[int],
                   first_col: int) -> SheetData | None:
    """Header row → contract columns; drop the notes row, example rows and empty rows."""
    name = fr.name
    t = T.TABLES[table]
    if grid.height == 0 or grid.width == 0:
        fr.issues.append(Issue(name, sheet, 1, None, None, R_MISSING_COL,
                               "工作表是空的(没有表头):第 1 行应为表头,列为:" + "、".join(c.zh for c in t.cols)))
        return None
    grid = grid.with_columns(pl.all().cast(pl.String).str.strip_chars(WS).replace("", None))
    header_row = rownums[0]
    cols = grid.columns
    header = [grid[c][0] for c in cols]
    body = grid.slice(1).with_columns(pl.Series("_row", rownums[1:], dtype=pl.Int64))
    # Notes row (every filled cell starts with "说明") and example rows (carry EXAMPLE_MARK) are skipped.
    if body.height:
        first = [body[c][0] for c in cols]
        filled = [v for v in first if v is not None]
        if filled and all(v.startswith(("说明", "填写说明")) for v in filled):
            body = body.slice(1)
    is_example = pl.any_horizontal([pl.col(c) == T.EXAMPLE_MARK for c in cols]).fill_null(False)
    body = body.filter(~is_example)
    body = body.filter(~pl.all_horizontal([pl.col(c).is_null() for c in cols]))
    keep: dict[str, str] = {}
    for j, (c, h) in enumerate(zip(cols, header)):
        letter = _col_letter(first_col + j)
        if h is None:
            if body[c].null_count() < body.height:
                r = body.filter(pl.col(c).is_not_null())
                fr.issues.append(Issue(name, sheet, header_row, f"{letter} 列(无表头)", r[c][0], R_HEADER_EMPTY,
                                       f"{letter} 列没有表头但第 {r['_row'][0]} 行起有数据:请删除该列或补上表头"))
            continue
        col = T.map_header(table, h)
        if col is None:
            fr.issues.append(Issue(name, sheet, header_row, h, h, R_UNKNOWN_COL,
                                   f"「{t.sheet}」表没有这一列;应有的列为:" + "、".join(x.zh for x in t.cols)))
            continue
        if col in keep.values():
            fr.issues.append(Issue(name, sheet, header_row, h, h, R_DUP_HEADER,
                                   f"{letter} 列与前面的列都对应字段 {col}:请删除重复的列"))
            continue
        keep[c] = col
    missing = tuple(x.name for x in t.cols if x.name not in keep.values())
    for m in missing:
        fr.issues.append(Issue(name, sheet, header_row, t.col(m).zh, None, R_MISSING_COL,
                               f"缺少「{t.col(m).zh}」列(字段 {m}):请使用模板的表头"))
    frame = body.select([pl.col(c).alias(col) for c, col in keep.items()] + [pl.col("_row")])
    return SheetData(file=name, sheet=sheet, table=table, frame=frame, header_row=header_row, missing=missing)
