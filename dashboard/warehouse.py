"""Build a warehouse file: raw tables → dimensions and marts → targets → target status, written atomically.

The new file is written next to the destination under a temporary name and moved into place with
`os.replace` only when complete, so a reader never sees a half-built warehouse.
"""
from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import duckdb
import polars as pl

from . import contract, demo
from .queries import build_sql

RAW_TABLES = list(contract.RAW_TABLES)
# Models built from the raw tables, in this order, one file each under queries/_build/ (<name>.sql), each
# stating its grain ("One row per (a, b)"; tests/test_marts.py checks it). dim_target_metric is filled from
# kpis.TARGET_METRICS; targets are loaded (or, for the demo, derived) before mart_target_status.
MARTS = [
    "dim_quarter", "dim_scope", "dim_scope_enterprise", "dim_enterprise", "dim_target_metric",
    "mart_honor_valid", "mart_enterprise_quarter", "mart_open_appeal", "mart_kpi_enterprise",
    "mart_kpi_secretary", "mart_kpi_appeal", "mart_kpi_pairing", "mart_kpi_meeting", "mart_kpi",
]
TARGET_MARTS = ["mart_target_status"]
MART_TABLES = MARTS + TARGET_MARTS
GENERATOR_VERSION = "g3"


def _insert(con: duckdb.DuckDBPyConnection, table: str, df: pl.DataFrame) -> None:
    # raw tables through the contract's whitelist; the one model filled from Python by its own name
    target = '"dim_target_metric"' if table == "dim_target_metric" else contract.ident(table)
    arrow = df.to_arrow()
    con.register("_incoming", arrow)
    try:
        con.execute(f"INSERT INTO {target} BY NAME SELECT * FROM _incoming")
    finally:
        con.unregister("_incoming")


def build_marts(con: duckdb.DuckDBPyConnection, make_targets: bool) -> None:
    from .kpis import target_metric_rows
    for name in MARTS:
        con.execute(build_sql(name))
        if name == "dim_target_metric":
            _insert(con, name, pl.DataFrame(target_metric_rows()))
    if make_targets:
        basis = con.sql(build_sql("target_basis")).pl()
        _insert(con, "targets", demo.make_targets(basis))
    for name in TARGET_MARTS:
        con.execute(build_sql(name))


def write_warehouse(out: Path, tables: dict[str, pl.DataFrame], meta: dict[str, str],
                    make_targets: bool) -> Path:
    """Create a complete warehouse at `out` from raw tables (atomic replace)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.building-{os.getpid()}")
    for p in (tmp, Path(str(tmp) + ".wal")):
        p.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    con.execute("SET enable_progress_bar = false")
    try:
        con.execute(contract.ddl())          # the DDL generated from the contract (queries/_build/schema.sql)
        unknown = sorted(set(tables) - set(contract.TABLES))
        if unknown:
            raise contract.UnknownTable(f"不是数据仓库契约中的表:{', '.join(map(str, unknown))}")
        for name in contract.TABLES:
            if name in tables:
                _insert(con, name, tables[name])
        _insert(con, "meta", pl.DataFrame({"key": list(meta), "value": list(meta.values())}))
        build_marts(con, make_targets)
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    con.close()
    os.replace(tmp, out)
    return out


def build_demo(out: Path, scale: float = 1.0) -> dict:
    """Generate the demo district at `scale` and write it to `out`. Returns timing facts."""
    t0 = time.perf_counter()
    tables = demo.generate(scale)
    t1 = time.perf_counter()
    meta = {
        "as_of": demo.AS_OF.isoformat(),
        "data_version": f"demo-x{scale:g}-{GENERATOR_VERSION}",
        "source": "demo",
        "loaded_at": dt.datetime.now().replace(microsecond=0).isoformat(),
        "scale": f"{scale:g}",
    }
    write_warehouse(out, tables, meta, make_targets=True)
    t2 = time.perf_counter()
    return {"generate_s": t1 - t0, "write_s": t2 - t1, "total_s": t2 - t0,
            "rows": {k: v.height for k, v in tables.items()}, "size_bytes": Path(out).stat().st_size}
