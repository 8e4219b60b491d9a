"""Table downloads ready to paste: .xlsx (Chinese headers, one sheet, Excel number formats) and .csv
(UTF-8 with BOM, opens in Excel/WPS), both formula-safe.

- Formula-safe (OWASP CSV injection / ASVS 1.2.10): a TEXT cell whose first character is = + - @, tab,
  CR, LF or NUL gets a leading ' in both formats, so Excel/WPS show it as text and never evaluate it.
  Numbers stay numbers: a numeric column is never touched (−3 is a number, not text).
- Numbers as shown: rates (0–1) are percentages — Excel format "0.0%", CSV "73.3%"; counts "#,##0"
  (CSV plain digits); other decimals to the precision the page shows (CSV rounded, never 16 decimals).

- One status vocabulary: a status column (values 绿/黄/红, 正常/关注/滞后, with or without "● ") is written
  as the words 正常/关注/滞后 — in the XLSX in the pages' status colours (conditional formats), in the CSV
  as the plain words — never "● 黄".

How a column is formatted (`column_formats`): an explicit `formats={"列": "percent" | "int" | "0.0" |
"0.00" …}` from the caller wins; else the page's `column_config` for that column (ProgressColumn /
NumberColumn format "percent", "%.1f", "%d"…); else the dtype and the name: a float column named *_rate
or whose Chinese header ends in 率/占比 and whose values lie in 0–1 is a percentage, other floats get one
decimal, integers are counts.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

import polars as pl

from .theme import STATUS_COLOR

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
_FORMULA_RE = r"^[=+\-@\t\r\n\x00]"
RATE_NAME = re.compile(r"(_rate|率|占比)$")
# status: the words and the colours every surface uses (theme.STATUS_COLOR)
STATUS_WORDS = {"绿": "正常", "黄": "关注", "红": "滞后"}
STATUS_COLORS = {w: STATUS_COLOR[k] for k, w in STATUS_WORDS.items()}
_STATUS_RE = r"^(?:●\s*)?(正常|关注|滞后|绿|黄|红)$"
_NO_STATUS = {"", "—", "-", "未设", "未设目标", "无目标"}


@dataclass(frozen=True)
class Fmt:
    kind: str            # percent | int | float | date | status | text
    decimals: int = 0

    @property
    def excel(self) -> str | None:
        if self.kind == "percent":
            return "0." + "0" * self.decimals + "%" if self.decimals else "0%"
        if self.kind == "int":
            return "#,##0"
        if self.kind == "float":
            return "#,##0." + "0" * self.decimals if self.decimals else "#,##0"
        if self.kind == "date":
            return "yyyy-mm-dd"
        return None


STATUS = Fmt("status")
PERCENT = Fmt("percent", 1)
COUNT = Fmt("int")
DATE = Fmt("date")
TEXT = Fmt("text")


def neutralise(value: str | None) -> str | None:
    """One text cell made formula-safe (OWASP): a leading ' when it starts with = + - @ tab CR LF NUL."""
    if value and value[0] in FORMULA_START:
        return "'" + value
    return value


def _parse(spec) -> Fmt | None:
    """A caller's format hint: a Fmt, 'percent', 'int', '0.0', '%.2f', '%d 天', 'localized'…"""
    if spec is None or isinstance(spec, Fmt):
        return spec
    s = str(spec).strip()
    if s == "percent" or s.endswith("%"):
        m = re.search(r"\.(0+)%$", s)
        return Fmt("percent", len(m.group(1)) if m else (1 if s == "percent" else 0))
    if s in ("int", "count", "#,##0") or re.match(r"^%[,']?d", s) or s == "%.0f":
        return COUNT
    m = re.match(r"^%[,']?\.(\d+)f", s)
    if m:
        return Fmt("float", int(m.group(1)))
    m = re.match(r"^[#,]*0\.(0+)$", s)
    if m:
        return Fmt("float", len(m.group(1)))
    if s in ("date", "yyyy-mm-dd", "YYYY-MM-DD"):
        return DATE
    if s == "text":
        return TEXT
    if s == "status":
        return STATUS
    return None


def _from_column_config(cfg) -> Fmt | None:
    if not isinstance(cfg, dict):
        return None
    tc = cfg.get("type_config") or {}
    if tc.get("type") == "date":
        return DATE
    fmt = tc.get("format")
    if fmt in (None, "localized", "plain", "accounting", "compact", "engineering", "scientific"):
        return None
    return _parse(fmt)


def column_formats(df: pl.DataFrame, formats: dict | None = None, column_config: dict | None = None) -> dict[str, Fmt]:
    """Column → Fmt, by (1) the caller's `formats`, (2) the page's `column_config`, (3) dtype and name."""
    out = {}
    for name, dtype in df.schema.items():
        f = _parse((formats or {}).get(name)) or _from_column_config((column_config or {}).get(name))
        if f is None:
            if dtype.is_integer():
                f = COUNT
            elif dtype.is_float():
                col = df[name].drop_nulls().filter(df[name].drop_nulls().is_finite())
                in_unit = col.is_empty() or (col.min() >= -1e-9 and col.max() <= 1 + 1e-9)
                f = PERCENT if (RATE_NAME.search(name) and in_unit) else Fmt("float", 1)
            elif dtype in (pl.Date, pl.Datetime) or isinstance(dtype, pl.Datetime):
                f = DATE
            elif _is_status(df[name]):
                f = STATUS
            else:
                f = TEXT
        if f.kind == "status" and dtype not in (pl.String, pl.Categorical, pl.Enum) \
                and not isinstance(dtype, (pl.Categorical, pl.Enum)):
            f = TEXT
        if f.kind in ("percent", "int", "float") and not dtype.is_numeric():
            f = TEXT                        # a hint never turns text into numbers
        out[name] = f
    return out


def _is_status(col: pl.Series) -> bool:
    """A text column that holds only status values (绿/黄/红, 正常/关注/滞后, "● 黄") and blanks."""
    if col.dtype != pl.String:
        return False
    vals = col.drop_nulls().str.strip_chars()
    vals = vals.filter(~vals.is_in(list(_NO_STATUS)) & ~vals.str.starts_with("—"))     # "— 未设目标"
    return vals.len() > 0 and bool(vals.str.contains(_STATUS_RE).all())


def _status_words(name: str) -> pl.Expr:
    """"● 黄" / "黄" / "关注" → "关注"; blanks stay as they are."""
    x = pl.col(name).cast(pl.String).str.strip_chars()
    word = x.str.extract(_STATUS_RE, 1).replace(STATUS_WORDS)
    other = pl.when(x.str.contains(_FORMULA_RE)).then(pl.lit("'") + x).otherwise(x)     # a blank such as "-"
    return pl.when(word.is_not_null()).then(word).otherwise(other).alias(name)


def _status_formats(fmts: dict[str, Fmt]) -> dict:
    """XLSX conditional formats: each status word in its colour (bold), on every status column."""
    rules = [{"type": "cell", "criteria": "equal to", "value": f'"{w}"',
              "format": {"font_color": c, "bold": True}} for w, c in STATUS_COLORS.items()]
    return {c: rules for c, f in fmts.items() if f.kind == "status"}


def _as_polars(df) -> pl.DataFrame:
    return df if isinstance(df, pl.DataFrame) else pl.from_pandas(df)


def _safe_text(df: pl.DataFrame, fmts: dict[str, Fmt]) -> pl.DataFrame:
    """Every non-numeric, non-date column as formula-safe text (lists joined with 、)."""
    exprs = [_status_words(n) for n in df.columns if fmts[n].kind == "status"]
    for name, dtype in df.schema.items():
        if fmts[name].kind != "text":
            continue
        x = pl.col(name)
        if isinstance(dtype, (pl.List, pl.Array)):
            x = x.cast(pl.List(pl.String)).list.join("、")
        elif dtype == pl.Boolean:
            x = pl.when(x).then(pl.lit("是")).when(~x).then(pl.lit("否"))
        elif dtype != pl.String:
            x = x.cast(pl.String)
        exprs.append(pl.when(x.str.contains(_FORMULA_RE)).then(pl.lit("'") + x).otherwise(x).alias(name))
    return df.with_columns(exprs) if exprs else df


def to_xlsx(df, sheet: str = "数据", formats: dict | None = None, column_config: dict | None = None,
            exporter: str | None = None) -> bytes:
    """One sheet, bold Chinese headers, real dates and numbers with Excel number formats, safe text.
    `exporter` ("导出人 · 时间") goes into the workbook properties (author, comments) and the page footer."""
    df = _as_polars(df)
    fmts = column_formats(df, formats, column_config)
    df = _safe_text(df, fmts)
    buf = io.BytesIO()
    col_formats = {c: f.excel for c, f in fmts.items() if f.excel and f.kind != "date"}
    from xlsxwriter import Workbook
    with Workbook(buf) as wb:
        if exporter:
            wb.set_properties({"author": exporter.split(" · ")[0], "comments": f"导出人 · 时间:{exporter}",
                               "title": sheet})
        df.write_excel(wb, worksheet=sheet[:31], autofit=True, header_format={"bold": True},
                       dtype_formats={pl.Date: "yyyy-mm-dd", pl.Datetime: "yyyy-mm-dd hh:mm"},
                       column_formats=col_formats or None,
                       conditional_formats=_status_formats(fmts) or None)
        if exporter:
            wb.get_worksheet_by_name(sheet[:31]).set_footer(f"&L导出人 · 时间:{exporter}")
    return buf.getvalue()


def _no_negative_zero(v: pl.Expr) -> pl.Expr:
    """-0.04 rounds to -0.0: written as 0.0 ("0.0" is never signed)."""
    return pl.when(v == 0).then(pl.lit(0.0)).otherwise(v)


def _csv_column(name: str, dtype, f: Fmt) -> pl.Expr:
    x = pl.col(name)
    if f.kind == "percent":
        v = _no_negative_zero((x.cast(pl.Float64) * 100).round(f.decimals))
        text = v.cast(pl.Int64).cast(pl.String) if f.decimals == 0 else v.cast(pl.String)
        return pl.when(x.is_finite()).then(text + pl.lit("%")).alias(name)
    if f.kind == "int":
        return x.cast(pl.Float64).round(0).cast(pl.Int64).cast(pl.String).alias(name) if dtype.is_float() \
            else x.cast(pl.String).alias(name)
    if f.kind == "float":
        v = _no_negative_zero(x.cast(pl.Float64).round(f.decimals))
        text = v.cast(pl.Int64).cast(pl.String) if f.decimals == 0 else v.cast(pl.String)
        return pl.when(x.is_finite()).then(text).alias(name)
    if f.kind == "date":
        return x.cast(pl.Date).cast(pl.String).alias(name) if dtype == pl.Date or isinstance(dtype, pl.Datetime) \
            else x.cast(pl.String).alias(name)
    return x


def to_csv(df, formats: dict | None = None, column_config: dict | None = None) -> bytes:
    """UTF-8 with BOM; numbers rounded to the shown precision (rates as 73.3%); text formula-safe."""
    df = _as_polars(df)
    fmts = column_formats(df, formats, column_config)
    df = _safe_text(df, fmts)
    df = df.with_columns([_csv_column(c, t, fmts[c]) for c, t in df.schema.items() if fmts[c].kind != "text"])
    return "\ufeff".encode("utf-8") + df.write_csv().encode("utf-8")
