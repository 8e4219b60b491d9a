"""Table downloads: .xlsx (Chinese headers, one sheet) and .csv (UTF-8 with BOM, opens in Excel/WPS)."""
from __future__ import annotations

import io

import polars as pl


def to_xlsx(df: pl.DataFrame, sheet: str = "数据") -> bytes:
    buf = io.BytesIO()
    df.write_excel(buf, worksheet=sheet[:31], autofit=True, header_format={"bold": True},
                   dtype_formats={pl.Date: "yyyy-mm-dd"})
    return buf.getvalue()


def to_csv(df: pl.DataFrame) -> bytes:
    return "\ufeff".encode("utf-8") + df.write_csv().encode("utf-8")
