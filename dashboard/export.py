"""Table downloads: .xlsx (Chinese headers, one sheet) and .csv (UTF-8 with BOM, opens in Excel/WPS)."""
from __future__ import annotations

import io

import polars as pl


def to_xlsx(df: pl.DataFrame, sheet: str = "数据", exporter: str | None = None) -> bytes:
    """`exporter` ("导出人 · 时间") goes into the workbook properties (author, comments) and the page footer."""
    buf = io.BytesIO()
    if exporter:
        from xlsxwriter import Workbook
        with Workbook(buf) as wb:
            wb.set_properties({"author": exporter.split(" · ")[0], "comments": f"导出人 · 时间:{exporter}",
                               "title": sheet})
            df.write_excel(wb, worksheet=sheet[:31], autofit=True, header_format={"bold": True},
                           dtype_formats={pl.Date: "yyyy-mm-dd"})
            wb.get_worksheet_by_name(sheet[:31]).set_footer(f"&L导出人 · 时间:{exporter}")
        return buf.getvalue()
    df.write_excel(buf, worksheet=sheet[:31], autofit=True, header_format={"bold": True},
                   dtype_formats={pl.Date: "yyyy-mm-dd"})
    return buf.getvalue()


def to_csv(df: pl.DataFrame) -> bytes:
    return "\ufeff".encode("utf-8") + df.write_csv().encode("utf-8")
