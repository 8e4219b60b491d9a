"""Read uploaded files into string grids: .xlsx (Excel and WPS; read with fastexcel/calamine) and .csv
(UTF-8, UTF-8 with BOM, GBK/GB18030). Every value stays text here; validate.py types and checks it.

Each data sheet becomes a `SheetData`: contract column names → text, plus `_row`, the row number the user
sees in Excel (or the line number in the CSV). Problems with the file itself (empty, not an Excel file,
unknown encoding, renamed sheet, merged header cells, formulas without a saved value, unknown/missing
columns, too big, a compressed bomb) are returned as `Issue`s.

Bounded cost (limits.py): a file over the upload limit is refused before it is read; an .xlsx is checked on
its zip directory (declared sizes, ratios) before anything is inflated, every part is then inflated once in
1 MiB chunks that may not exceed its declared size, and its sheets are scanned while streaming (used range,
formulas, merged cells) — only then does the spreadsheet reader (calamine) see the file. A CSV is decoded
and parsed as a stream, 50,000 rows at a time, into compact polars frames.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

import numpy as np
import polars as pl
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as xml_fromstring

from . import limits
from . import template as T
from .validate import (
    MAX_SHOWN, R_CSV_FORMAT, R_DUP_HEADER, R_EMPTY_FILE, R_ENCODING, R_FORMULA, R_HEADER_EMPTY, R_MERGED,
    R_MISSING_COL, R_NOT_EXCEL, R_STRUCTURE, R_TABLE_UNKNOWN, R_TOO_BIG, R_UNKNOWN_COL, R_UNKNOWN_SHEET, Issue,
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


def _too_big(name: str, nbytes: int) -> Issue:
    return Issue(name, None, None, None, None, R_TOO_BIG,
                 f"文件大小 {limits.mb(nbytes)},超过单个文件上限 {limits.max_upload_mb()} MB:"
                 "请按工作表或按季度拆分后分批导入")


def read_file(name: str, data: bytes, budget: limits.Budget | None = None) -> FileRead:
    """Read one uploaded file (by name and content). `budget`: the cells this import may still read."""
    budget = budget if budget is not None else limits.Budget()
    fr = FileRead(name=name, sha256=hashlib.sha256(data).hexdigest(), nbytes=len(data))
    ext = Path(name).suffix.lower()
    if not data:
        fr.issues.append(Issue(name, None, None, None, None, R_EMPTY_FILE, "文件大小为 0 字节,没有任何内容"))
        return fr
    if len(data) > limits.max_upload_bytes():
        fr.issues.append(_too_big(name, len(data)))
        return fr
    if data[:8] == _OLE2:
        fr.issues.append(Issue(name, None, None, None, None, R_NOT_EXCEL,
                               "这是旧版 .xls/.et 格式:请在 Excel 或 WPS 中“另存为”Excel 工作簿(.xlsx)后再上传"))
        return fr
    if data[:4] == b"PK\x03\x04" and ext not in (".csv", ".txt"):
        fr.kind = "xlsx"
        _read_xlsx(fr, data, budget)
    elif ext in (".csv", ".txt"):
        fr.kind = "csv"
        _read_csv(fr, data, budget)
    elif ext in (".xlsx", ".xlsm"):
        fr.issues.append(Issue(name, None, None, None, None, R_NOT_EXCEL,
                               "文件扩展名是 .xlsx,但内容不是 Excel 工作簿(可能是把其他文件改了扩展名):"
                               "请用 Excel/WPS 打开模板填写后保存为 .xlsx"))
    else:
        fr.issues.append(Issue(name, None, None, None, None, R_NOT_EXCEL,
                               f"不支持的文件类型「{ext or '无扩展名'}」:请上传 .xlsx 工作簿或 .csv 文件"))
    return fr


def refuse_by_size(name: str, nbytes: int) -> FileRead | None:
    """A file over the upload limit, refused from its size alone (nothing read)."""
    if nbytes <= limits.max_upload_bytes():
        return None
    fr = FileRead(name=name, sha256="", nbytes=nbytes)
    fr.issues.append(_too_big(name, nbytes))
    return fr


def read_path(path: str | Path, budget: limits.Budget | None = None) -> FileRead:
    p = Path(path)
    return refuse_by_size(p.name, p.stat().st_size) or read_file(p.name, p.read_bytes(), budget)


# ------------------------------------------------------------------------------------------------ xlsx
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CHUNK = 1 << 20


class _Refused(Exception):
    """The file is refused before (or while) it is inflated: (rule, Chinese detail)."""

    def __init__(self, rule: str, detail: str):
        super().__init__(detail)
        self.rule, self.detail = rule, detail


# ---------------------------------------------------------------------------------- xlsx: zip guard
def _open_zip(data: bytes) -> zipfile.ZipFile:
    """The zip's directory, after checking its size and entry count from the end record (so a directory of
    millions of entries is never parsed)."""
    tail = data[-(22 + 65535):]
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise zipfile.BadZipFile("no end of central directory")
    _, _, _, _, n_total, cd_size, _, _ = struct.unpack("<4s4H2LH", tail[at:at + 22])
    if n_total == 0xFFFF or cd_size == 0xFFFFFFFF:       # zip64 end record: an .xlsx is never that large
        raise _Refused(R_STRUCTURE, "文件使用了 ZIP64 大文件格式,超出数据导入模板的规模")
    if n_total > limits.MAX_ZIP_ENTRIES or cd_size > limits.MAX_DIRECTORY:
        raise _Refused(R_STRUCTURE, f"工作簿内部包含 {n_total:,} 个部件,远超正常 Excel 文件:请用 Excel/WPS 另存后再导入")
    return zipfile.ZipFile(io.BytesIO(data))


def _check_declared(z: zipfile.ZipFile) -> None:
    """Declared inflated sizes and ratios, from the directory alone (nothing is inflated yet)."""
    total = 0
    for info in z.infolist():
        if info.flag_bits & 0x1:
            raise _Refused(R_STRUCTURE, "工作簿已加密(设置了打开密码):请取消密码后另存为 .xlsx 再导入")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _Refused(R_STRUCTURE, f"工作簿部件 {info.filename} 使用了不支持的压缩方式:请用 Excel/WPS 另存后再导入")
        total += info.file_size
        if info.file_size > limits.RATIO_FLOOR and info.file_size > limits.MAX_RATIO * max(info.compress_size, 1):
            raise _Refused(R_STRUCTURE,
                           f"工作簿部件 {info.filename} 解压后为 {limits.mb(info.file_size)},是压缩后大小的 "
                           f"{info.file_size / max(info.compress_size, 1):,.0f} 倍(正常 Excel 文件不超过 {limits.MAX_RATIO} 倍),"
                           "疑似“压缩炸弹”,已拒绝且未解压")
    if total > limits.MAX_UNCOMPRESSED:
        raise _Refused(R_TOO_BIG, f"工作簿解压后合计 {limits.mb(total)},超过上限 {limits.mb(limits.MAX_UNCOMPRESSED)}:"
                                  "请按工作表或按季度拆分后分批导入")


def _entry_chunks(data: bytes, info: zipfile.ZipInfo):
    """Inflate one part in chunks of at most 1 MiB; more bytes than declared, or a wrong CRC, is refused."""
    off = info.header_offset
    head = data[off:off + 30]
    if len(head) < 30 or head[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    name_len, extra_len = struct.unpack("<2H", head[26:30])
    start = off + 30 + name_len + extra_len
    raw = memoryview(data)[start:start + info.compress_size]
    if len(raw) != info.compress_size:
        raise zipfile.BadZipFile(f"truncated part {info.filename}")
    crc, n = 0, 0
    if info.compress_type == zipfile.ZIP_STORED:
        pieces = (bytes(raw[i:i + CHUNK]) for i in range(0, len(raw), CHUNK))
    else:
        def inflate():
            d = zlib.decompressobj(-15)
            for i in range(0, len(raw), CHUNK):
                buf = raw[i:i + CHUNK]
                while buf:
                    out = d.decompress(buf, CHUNK)
                    if out:
                        yield out
                    buf = d.unconsumed_tail
                    if n > info.file_size:
                        return
            out = d.flush()
            if out:
                yield out
        pieces = inflate()
    for out in pieces:
        n += len(out)
        if n > info.file_size:
            raise _Refused(R_STRUCTURE, f"工作簿部件 {info.filename} 解压后超过其声明的大小 {limits.mb(info.file_size)}"
                                        "(文件被篡改或疑似“压缩炸弹”),已停止解压")
        crc = zlib.crc32(out, crc)
        yield out
    if n != info.file_size or crc != info.CRC:
        raise zipfile.BadZipFile(f"size or CRC mismatch in {info.filename}")


def _read_part(data: bytes, info: zipfile.ZipInfo, cap: int) -> bytes:
    if info.file_size > cap:
        raise _Refused(R_STRUCTURE, f"工作簿部件 {info.filename} 大小异常({limits.mb(info.file_size)})")
    return b"".join(_entry_chunks(data, info))


def _sheet_parts(z: zipfile.ZipFile, data: bytes) -> dict[str, str]:
    """Sheet name → worksheet XML part, from xl/workbook.xml and its relationships (parsed without DTDs or
    entities: defusedxml)."""
    wb = xml_fromstring(_read_part(data, z.getinfo("xl/workbook.xml"), limits.MAX_META_PART))
    try:
        rels = xml_fromstring(_read_part(data, z.getinfo("xl/_rels/workbook.xml.rels"), limits.MAX_META_PART))
    except KeyError:
        rels = xml_fromstring(b"<Relationships/>")
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG}Relationship")}
    out = {}
    for s in wb.iter(f"{_NS_MAIN}sheet"):
        t = targets.get(s.get(f"{_NS_REL}id"), "")
        t = t.lstrip("/") if t.startswith("/") else "xl/" + t
        out[s.get("name")] = re.sub(r"/[^/]+/\.\./", "/", t)
    return out


# ---------------------------------------------------------------------------- xlsx: streaming sheet scan
_ROW_OPEN = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"[^>]*?(/?)>")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(/?)>")
_PREFIXED_CELL = re.compile(rb"<\w+:c[\s>/]")
_SHEETDATA_END = re.compile(rb"</(?:\w+:)?sheetData>|<(?:\w+:)?sheetData\s*/>")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+\d+(?::[A-Z]+\d+)?)"')


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


def _formulas_without_value(xml: bytes, limit: int = MAX_SHOWN) -> list[str]:
    """Cells that hold a formula but no saved (cached) value: A1-style references (at most `limit`)."""
    if not _has_formula(xml) or limit <= 0:
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
            if len(out) >= limit:
                break
    return out


def _cell_refs(piece: bytes) -> tuple[int, int, int, int, int]:
    """Positions written in complete rows of sheet XML, vectorised (a 100 MB sheet holds millions of cells):
    (cells with a position r="A1", their max row, their max column — 1-based; rows with r="N", their max)."""
    a = np.frombuffer(piece, dtype=np.uint8)
    if a.size < 5:
        return 0, 0, 0, 0, 0
    eq = np.flatnonzero(a[2:-1] == 61) + 2              # every '=' (attributes), then r=" before a value
    eq = eq[(a[eq - 1] == 114) & (a[eq + 1] == 34)]
    before = a[eq - 2]
    pos = eq[(before == 32) | (before == 9) | (before == 10) | (before == 13)] + 2
    if pos.size == 0:
        return 0, 0, 0, 0, 0
    padded = np.concatenate([a, np.zeros(12, dtype=np.uint8)])
    w = padded[pos[:, None] + np.arange(12)]            # the value's first 12 bytes: e.g. b'XFD1048576"…'
    n_let = np.argmin((w >= 65) & (w <= 90), axis=1)    # letters form a prefix (none for a row's r="5")
    quote = np.argmax(w == 34, axis=1)
    n_dig = quote - n_let
    if n_dig.max() > 7 or n_dig.min() < 1 or n_let.max() > 3:
        return int((n_let > 0).sum()), 1 << 40, 1 << 40, 0, 0    # not a real position: refused by the caller
    cells = n_let > 0
    rows = ~cells
    max_row_attr = _max_number(w[rows], n_let[rows], n_dig[rows], 48, 10) if rows.any() else 0
    n, n_rows = int(cells.sum()), int(rows.sum())
    if n == 0:
        return 0, 0, 0, n_rows, max_row_attr
    w, n_let, n_dig = w[cells], n_let[cells], n_dig[cells]
    return (n, _max_number(w, n_let, n_dig, 48, 10), _max_number(w, np.zeros_like(n_let), n_let, 64, 26),
            n_rows, max_row_attr)


def _cells_per_row(piece: bytes) -> int:
    """The largest number of <c> elements in one <row> (where cells without a position are placed in turn)."""
    a = np.frombuffer(piece, dtype=np.uint8)
    lt = np.flatnonzero(a[:-5] == 60)
    nxt, nx2 = a[lt + 1], a[lt + 2]
    end = (nx2 == 32) | (nx2 == 62) | (nx2 == 47) | (nx2 == 9) | (nx2 == 10) | (nx2 == 13)
    cells = lt[(nxt == 99) & end]
    after = a[lt + 4]
    rows = lt[(nxt == 114) & (nx2 == 111) & (a[lt + 3] == 119)
              & ((after == 32) | (after == 62) | (after == 47) | (after == 9) | (after == 10) | (after == 13))]
    if rows.size == 0 or cells.size == 0:
        return int(cells.size)
    counts = np.diff(np.searchsorted(cells, np.append(rows, a.size)))
    return int(max(counts.max(), np.searchsorted(cells, rows[0])))


def _max_number(w: np.ndarray, start: np.ndarray, length: np.ndarray, zero: int, base: int) -> int:
    """The largest number written in rows of `w` at [start, start + length) (digits or A–Z letters): the
    longest first, then digit by digit, keeping only the rows still tied — millions of cells, few survive."""
    width = int(length.max())
    keep = np.flatnonzero(length == width)
    starts = start[keep]
    value = 0
    for k in range(width):
        d = w[keep, starts + k].astype(np.int64) - zero
        top = d.max()
        tied = d == top
        keep, starts = keep[tied], starts[tied]
        value = value * base + int(top)
    return value


@dataclass
class SheetScan:
    """What streaming one worksheet's XML found: where data starts, its used range, formulas without a saved
    value, merged cells (each capped at MAX_SHOWN references, with the full count)."""
    first_row: int | None = None
    first_col: int = 0
    has_value: bool = False
    n_cells: int = 0              # <c> elements
    n_refs: int = 0               # of them with a position r="A1"
    n_rows: int = 0               # <row> elements
    n_row_refs: int = 0           # of them with r="N"
    max_row: int = 0              # largest position written (cells, rows)
    max_col: int = 0
    max_row_cells: int = 0        # most <c> in one <row> (positions of cells written without r)
    prefixed: bool = False
    formulas: list[str] = field(default_factory=list)
    formulas_capped: bool = False
    merges: list[str] = field(default_factory=list)
    n_merges: int = 0

    @property
    def extent(self) -> int:
        """Cells of the used range as a spreadsheet reader allocates it (from A1 to the last cell; cells and
        rows written without a position are placed after the last one, so they count on top)."""
        rows = self.max_row + (self.n_rows - self.n_row_refs)
        cols = self.max_col + (self.max_row_cells if self.n_cells > self.n_refs else 0)
        return rows * cols

    def rows(self, piece: bytes) -> None:
        if self.first_row is None:
            r, c = _first_value_row(piece)
            if r is not None:
                self.first_row, self.first_col = r, c
        if not self.has_value:
            self.has_value = any(t in piece for t in (b"<v>", b"<v ", b"<is>", b":v>", b":is>"))
        self.n_cells += piece.count(b"<c ") + piece.count(b"<c>") + piece.count(b"<c/>")
        self.n_rows += piece.count(b"<row ") + piece.count(b"<row>") + piece.count(b"<row/>")
        if b":c" in piece or b":row" in piece:
            pre = len(_PREFIXED_CELL.findall(piece))
            if pre:
                self.prefixed = True
                self.n_cells += pre
        n, r, c, nr, rr = _cell_refs(piece)
        self.n_refs += n
        self.n_row_refs += nr
        self.max_row, self.max_col = max(self.max_row, r, rr), max(self.max_col, c)
        if self.n_cells > self.n_refs:
            self.max_row_cells = max(self.max_row_cells, _cells_per_row(piece))
        if not self.formulas_capped:
            found = _formulas_without_value(piece, MAX_SHOWN + 1 - len(self.formulas))
            self.formulas += found
            if len(self.formulas) > MAX_SHOWN:
                self.formulas, self.formulas_capped = self.formulas[:MAX_SHOWN], True

    def tail(self, piece: bytes) -> None:
        n = piece.count(b"mergeCell ") + piece.count(b"mergeCell>")
        if n:
            self.n_merges += n
            if len(self.merges) < MAX_SHOWN:
                for m in _MERGE.finditer(piece):
                    self.merges.append(m.group(1).decode())
                    if len(self.merges) >= MAX_SHOWN:
                        break

    def check(self, budget_left: int) -> None:
        if self.prefixed and self.n_cells > self.n_refs:
            raise _Refused(R_STRUCTURE, "工作表中有单元格没有位置信息,无法确定数据范围:请用 Excel 或 WPS 打开后另存为 .xlsx 再导入")
        if self.extent > budget_left:
            rows = self.max_row + (self.n_rows - self.n_row_refs)
            cols = self.max_col + (self.max_row_cells if self.n_cells > self.n_refs else 0)
            raise _Refused(R_TOO_BIG, f"工作表的数据区域为 {rows:,} 行 × {cols:,} 列,超过一次导入的上限 "
                                      f"{limits.cells_text(limits.MAX_CELLS)} 个单元格(行数 × 列数,含远处的零星单元格):"
                                      "请删除多余的行列或分批导入")


def _scan_sheet(chunks, budget_left: int) -> SheetScan:
    """Stream a worksheet part: complete rows are scanned as they arrive; what follows </sheetData> is the
    tail (merged cells). Memory: one chunk plus one incomplete row."""
    s = SheetScan()
    carry, in_tail = b"", False
    for chunk in chunks:
        buf = carry + chunk if carry else chunk
        if not in_tail:
            m = _SHEETDATA_END.search(buf) if b"sheetData" in buf else None
            if m:
                s.rows(buf[:m.end()])
                buf, in_tail = buf[m.end():], True
            else:
                cut = max(buf.rfind(b"</row>") + 6 if b"</row>" in buf else -1, buf.rfind(b":row>") + 5)
                if cut <= 0:
                    carry = buf
                    if len(carry) > limits.MAX_ROW_BYTES:
                        raise _Refused(R_STRUCTURE, f"工作表中一行的内容超过 {limits.mb(limits.MAX_ROW_BYTES)}:文件结构异常")
                    continue
                s.rows(buf[:cut])
                carry = buf[cut:]
                s.check(budget_left)             # stop as soon as the used range is too large
                continue
        cut = buf.rfind(b">") + 1
        s.tail(buf[:cut])
        carry = buf[cut:]
        if len(carry) > limits.MAX_ROW_BYTES:
            raise _Refused(R_STRUCTURE, "工作表结构异常")
    if carry:
        (s.tail if in_tail else s.rows)(carry)
    s.check(budget_left)
    return s


def _merge_issues(fr: FileRead, sheet: str, scan: SheetScan, first_row: int) -> bool:
    """Issues for merged cells; True when the header row is merged (the sheet cannot be read)."""
    header_merged = False
    for ref in scan.merges:
        a, _, b = ref.partition(":")
        (c1, r1), (c2, r2) = _split_ref(a), _split_ref(b or a)
        if r1 <= first_row <= r2 or r2 < first_row:
            header_merged = True
            fr.issues.append(Issue(fr.name, sheet, r1, None, ref, R_MERGED,
                                   f"表头单元格 {ref} 被合并:请取消合并,第 1 行每列一个表头"))
        else:
            fr.issues.append(Issue(fr.name, sheet, r1, None, ref, R_MERGED,
                                   f"单元格 {ref} 被合并,合并后只有左上角单元格有值:请取消合并并逐行填写"))
    if scan.n_merges > len(scan.merges):
        fr.issues.append(Issue(fr.name, sheet, None, None, None, R_MERGED,
                               f"另有 {scan.n_merges - len(scan.merges):,} 处合并单元格未逐一列出:请取消全部合并",
                               n=scan.n_merges - len(scan.merges)))
    return header_merged


def _read_xlsx(fr: FileRead, data: bytes, budget: limits.Budget) -> None:
    import fastexcel
    name = fr.name
    try:
        z = _open_zip(data)
        _check_declared(z)
        parts = _sheet_parts(z, data)
        wanted = {}                                   # part → sheet name, for the sheets that will be read
        for sheet, part in parts.items():
            if sheet.strip() != T.GUIDE_SHEET:
                wanted[part] = sheet
        scans: dict[str, SheetScan] = {}
        for info in z.infolist():                     # every part inflated once, bounded by what it declares
            if info.is_dir():
                continue
            if info.filename in wanted:
                scans[info.filename] = _scan_sheet(_entry_chunks(data, info), budget.cells)
            else:
                for _ in _entry_chunks(data, info):
                    pass
        need = sum(scans[p].extent for p, sh in wanted.items() if p in scans and T.table_for_sheet(sh))
        if not budget.take(need):
            raise _Refused(R_TOO_BIG, f"工作簿的数据区域合计 {need:,} 个单元格(行数 × 列数),超过本次导入剩余的上限 "
                                      f"{budget.cells:,}(一次导入不超过 {limits.cells_text(limits.MAX_CELLS)}):请分批导入")
    except _Refused as e:
        fr.issues.append(Issue(name, None, None, None, None, e.rule, e.detail))
        return
    except (zipfile.BadZipFile, zlib.error, KeyError, ParseError, DefusedXmlException, struct.error) as e:
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
        scan = scans.get(parts.get(sheet, ""))
        if scan is None:
            fr.issues.append(Issue(name, sheet, None, None, None, R_STRUCTURE,
                                   "找不到该工作表的内容部件,无法安全读取:请用 Excel 或 WPS 另存后再导入"))
            continue
        if table is None:
            if not scan.has_value:
                fr.ignored.append(sheet)      # e.g. an empty "Sheet1" added by WPS
            else:
                fr.issues.append(Issue(name, sheet, None, None, None, R_UNKNOWN_SHEET,
                                       "工作表名称不是模板中的名称(请勿重命名工作表),应为:"
                                       + "、".join(T.SHEETS)))
            continue
        try:
            grid = reader.load_sheet(sheet, header_row=None, dtypes="string").to_polars()
        except Exception:  # noqa: BLE001 - an empty sheet has no range
            grid = pl.DataFrame()
        first_row = scan.first_row or 1
        first_col = scan.first_col
        if _merge_issues(fr, sheet, scan, first_row):
            continue
        header = [grid[c][0] if grid.height else None for c in grid.columns]
        for ref in scan.formulas:
            cj, r = _split_ref(ref)
            j = cj - first_col
            h = header[j] if 0 <= j < len(header) else None
            fr.issues.append(Issue(name, sheet, r, (h or ref), None, R_FORMULA,
                                   f"单元格 {ref} 是公式但没有保存计算结果:请在 Excel/WPS 中打开并保存,"
                                   "或复制后“选择性粘贴为数值”"))
        if scan.formulas_capped:
            fr.issues.append(Issue(name, sheet, None, None, None, R_FORMULA,
                                   f"另有更多公式没有保存计算结果(已列出前 {MAX_SHOWN} 处,其余未逐一检查)"))
        rownums = pl.int_range(first_row, first_row + grid.height, eager=True, dtype=pl.Int64)
        sd = _grid_to_sheet(fr, sheet, table, grid, rownums, first_col)
        del grid
        if sd is not None:
            fr.sheets.append(sd)


# ------------------------------------------------------------------------------------------------- csv
def _detect_encoding(fr: FileRead, data: bytes) -> str | None:
    """The codec of a CSV, by decoding it incrementally (nothing kept): UTF-8 (with or without BOM), else GBK."""
    if data.startswith(b"\xef\xbb\xbf"):
        fr.encoding = "UTF-8(带 BOM)"
        bad = _first_undecodable(data, "utf-8", 3)
        if bad is not None:
            fr.issues.append(Issue(fr.name, None, None, None, None, R_ENCODING,
                                   f"文件以 UTF-8 BOM 开头,但第 {bad} 字节附近不是有效的 UTF-8:请重新另存为“CSV UTF-8”"))
            return None
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        fr.issues.append(Issue(fr.name, None, None, None, None, R_ENCODING,
                               "文件是 UTF-16 编码(Excel“Unicode 文本”):请另存为“CSV UTF-8(逗号分隔)”或 GBK 编码的 CSV"))
        return None
    if _first_undecodable(data, "utf-8") is None:
        fr.encoding = "UTF-8"
        return "utf-8"
    bad = _first_undecodable(data, "gb18030")
    if bad is None:
        fr.encoding = "GBK"
        return "gb18030"
    fr.issues.append(Issue(fr.name, None, None, None, None, R_ENCODING,
                           f"第 {bad} 字节附近既不是 UTF-8 也不是 GBK 编码:请在 Excel/WPS 中另存为"
                           "“CSV UTF-8(逗号分隔)”或 GBK 编码的 CSV"))
    return None


def _first_undecodable(data: bytes, codec: str, start: int = 0) -> int | None:
    """Byte offset of the first byte `codec` cannot decode, or None (decoded in 1 MiB steps, output dropped)."""
    dec = codecs.getincrementaldecoder(codec)()
    mv = memoryview(data)
    for i in range(start, len(data), CHUNK):
        try:
            dec.decode(mv[i:i + CHUNK], final=i + CHUNK >= len(data))
        except UnicodeDecodeError as e:
            return i + e.start
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


CSV_BATCH = 50_000


def _read_csv_fast(fr: FileRead, data: bytes, enc: str, sep: str, budget: limits.Budget) -> bool:
    """UTF-8 without any quote character (what Excel/WPS write unless a cell holds a comma or a quote): one
    record per physical line, so polars' native reader gives the same rows and line numbers as the csv module
    — about ten times faster. False (nothing recorded) when the file needs the general reader (ragged rows)."""
    body = data[3:] if enc == "utf-8-sig" else data
    try:
        grid = pl.read_csv(io.BytesIO(body), has_header=False, separator=sep, infer_schema=False, quote_char=None,
                           raise_if_empty=False)
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError):
        return False
    if grid.width == 0 or grid.height == 0:
        return False
    grid = grid.with_columns(pl.all().str.strip_chars(WS).replace("", None))
    filled = grid.select(~pl.all_horizontal(pl.all().is_null()))[:, 0]
    rows_with_data = filled.arg_true()
    if rows_with_data.len() == 0:
        fr.issues.append(Issue(fr.name, None, None, None, None, R_EMPTY_FILE, "文件没有任何内容"))
        return True
    top = int(rows_with_data[0])
    header = [v or "" for v in grid.row(top)]
    while header and not header[-1]:             # trailing separators after the header
        header.pop()
    table = _csv_table(fr, header)
    if table is None:
        fr.issues.append(Issue(fr.name, Path(fr.name).stem, top + 1, None, None, R_TABLE_UNKNOWN,
                               "无法从文件名或表头判断是哪张表:请把文件命名为工作表名或表名,如 企业党建.csv、"
                               "enterprise_party.csv"))
        return True
    width = max(len(header), 1)
    extra = grid.columns[width:]
    if extra and grid.slice(top + 1).select(pl.any_horizontal(pl.col(extra).is_not_null())).to_series().any():
        return False                              # rows wider than the header: the general reader says where
    grid = grid.select(grid.columns[:width]).slice(top)
    n_data = int(filled.slice(top + 1).sum())
    if not budget.take(n_data * width):
        fr.issues.append(Issue(fr.name, Path(fr.name).name, None, None, None, R_TOO_BIG,
                               f"数据有 {n_data:,} 行 × {width} 列,超过一次导入的上限 {limits.cells_text(limits.MAX_CELLS)} "
                               "个单元格:请按季度或按表拆分后分批导入"))
        return True
    rownums = pl.int_range(top + 1, top + 1 + grid.height, eager=True, dtype=pl.Int64)
    sd = _grid_to_sheet(fr, Path(fr.name).name, table, grid, rownums, 0)
    if sd is not None:
        fr.sheets.append(sd)
    return True


def _read_csv(fr: FileRead, data: bytes, budget: limits.Budget) -> None:
    enc = _detect_encoding(fr, data)
    if enc is None:
        return
    head = data[:64 * 1024].decode(enc, errors="ignore")
    first = head.lstrip(WS).split("\n", 1)[0]
    sep = "\t" if first.count("\t") > first.count(",") else (";" if first.count(";") > first.count(",") else ",")
    if enc != "gb18030" and b'"' not in data and _read_csv_fast(fr, data, enc, sep, budget):
        return
    csv.field_size_limit(limits.MAX_ROW_BYTES)
    text = io.TextIOWrapper(io.BytesIO(data), encoding=enc, newline="")
    reader = csv.reader(text, delimiter=sep)
    sheet = Path(fr.name).name
    header: list[str] | None = None
    table = None
    width = 0
    frames: list[pl.DataFrame] = []
    batch: list[list[str]] = []
    lines: list[int] = []
    ragged, n_ragged = [], 0
    prev = 0

    def flush():
        if not batch:
            return
        cols = {f"c{j}": [rec[j] if j < len(rec) else None for rec in batch] for j in range(width)}
        cols["_line"] = lines[:]
        frames.append(pl.DataFrame(cols, schema={**{f"c{j}": pl.String for j in range(width)}, "_line": pl.Int64})
                      .with_columns(pl.exclude("_line").str.strip_chars(WS).replace("", None)))
        batch.clear()
        lines.clear()

    try:
        for rec in reader:
            start = prev + 1
            prev = reader.line_num
            if not rec or all(not x.strip(WS) for x in rec):
                continue
            if header is None:
                header = [h.strip(WS) for h in rec]
                table = _csv_table(fr, header)
                if table is None:
                    fr.issues.append(Issue(fr.name, Path(fr.name).stem, start, None, None, R_TABLE_UNKNOWN,
                                           "无法从文件名或表头判断是哪张表:请把文件命名为工作表名或表名,如 企业党建.csv、"
                                           "enterprise_party.csv"))
                    return
                width = len(header)
                batch.append(rec)
                lines.append(start)
                continue
            if not budget.take(width):
                fr.issues.append(Issue(fr.name, sheet, start, None, None, R_TOO_BIG,
                                       f"数据超过一次导入的上限 {limits.cells_text(limits.MAX_CELLS)} 个单元格"
                                       f"(读到第 {start:,} 行时):请按季度或按表拆分后分批导入"))
                return
            if len(rec) > width and any(x.strip(WS) for x in rec[width:]):
                n_ragged += 1
                if len(ragged) < MAX_SHOWN:
                    ragged.append(Issue(fr.name, sheet, start, None, sep.join(rec[width:])[:60], R_CSV_FORMAT,
                                        f"该行有 {len(rec)} 个字段,多于表头的 {width} 列(文本中的逗号需用英文双引号括起)"))
            batch.append(rec)
            lines.append(start)
            if len(batch) >= CSV_BATCH:
                flush()
    except csv.Error as e:
        fr.issues.append(Issue(fr.name, Path(fr.name).stem, prev + 1, None, None, R_CSV_FORMAT,
                               f"CSV 无法解析:{e}(检查引号是否成对)"))
        return
    if header is None:
        fr.issues.append(Issue(fr.name, None, None, None, None, R_EMPTY_FILE, "文件没有任何内容"))
        return
    flush()
    fr.issues.extend(ragged)
    if n_ragged > len(ragged):
        fr.issues.append(Issue(fr.name, sheet, None, None, None, R_CSV_FORMAT,
                               f"另有 {n_ragged - len(ragged):,} 行字段多于表头(已列出前 {len(ragged)} 行)",
                               n=n_ragged - len(ragged)))
    grid = pl.concat(frames, how="vertical", rechunk=True)
    frames.clear()
    rownums = grid["_line"]
    sd = _grid_to_sheet(fr, sheet, table, grid.drop("_line"), rownums, 0)
    if sd is not None:
        fr.sheets.append(sd)


# ---------------------------------------------------------------------------------------- shared: grid
def _grid_to_sheet(fr: FileRead, sheet: str, table: str, grid: pl.DataFrame, rownums: pl.Series,
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
