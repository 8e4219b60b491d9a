"""Read-only access to the warehouse and the one query loader `run_query`.

Connections are opened read-only and kept per warehouse *version* (resolved path + file identity),
so a newly published file is picked up by the next call without a restart. Every call uses its own
cursor. Results are cached with `st.cache_data`, keyed on (version, query name, params).
"""
from __future__ import annotations

import datetime as dt
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from . import queries
from .paths import resolve_db


class WarehouseMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class Version:
    path: str          # resolved real path of the file being read
    mtime_ns: int
    size: int
    inode: int

    @property
    def key(self) -> tuple:
        return (self.path, self.mtime_ns, self.size, self.inode)


_override: Path | None = None
_lock = threading.Lock()
_connections: dict[str, tuple[Version, duckdb.DuckDBPyConnection]] = {}


def set_db_path(path: str | os.PathLike | None) -> None:
    """Used by the CLI's --db: the process reads this file from now on."""
    global _override
    _override = Path(path).resolve() if path else None


def db_path() -> Path:
    return _override or resolve_db()


def current_version(path: Path | None = None) -> Version:
    p = Path(path or db_path())
    try:
        real = p.resolve(strict=True)
        st_ = real.stat()
    except FileNotFoundError:
        raise WarehouseMissing(f"找不到数据仓库文件:{p}。请先运行 `python -m dashboard build-demo` 或导入数据。") from None
    return Version(str(real), st_.st_mtime_ns, st_.st_size, st_.st_ino)


def connection(version: Version | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection for this version of the file (reopened when the file changes)."""
    v = version or current_version()
    with _lock:
        held = _connections.get(v.path)
        if held and held[0] == v:
            return held[1]
        if held:
            try:
                held[1].close()
            except Exception:  # noqa: BLE001 - an old connection may already be unusable
                pass
        con = duckdb.connect(v.path, read_only=True)
        _connections[v.path] = (v, con)
        return con


def close_all() -> None:
    with _lock:
        for _, con in _connections.values():
            try:
                con.close()
            except Exception:  # noqa: BLE001
                pass
        _connections.clear()


def _normalise(value):
    if isinstance(value, (list, tuple)):
        return tuple(value)
    return value


def execute(name: str, params: dict, version: Version | None = None) -> pl.DataFrame:
    """Run a named query now (no cache)."""
    q = queries.load(name)
    queries.check_params(q, params)
    cur = connection(version).cursor()
    try:
        args = {k: (list(v) if isinstance(v, tuple) else v) for k, v in params.items()}
        rel = cur.sql(q.sql, params=args) if args else cur.sql(q.sql)
        return rel.pl()
    finally:
        cur.close()


def _cached_execute():
    import streamlit as st

    @st.cache_data(show_spinner=False, max_entries=4096)
    def _run(version_key: tuple, name: str, items: tuple) -> pl.DataFrame:
        v = Version(*version_key)
        return execute(name, dict(items), v)
    return _run


_cached = None


def run_query(name: str, **params) -> pl.DataFrame:
    """The one loader: named query → polars DataFrame, cached per warehouse version."""
    global _cached
    q = queries.load(name)
    queries.check_params(q, params)
    if _cached is None:
        _cached = _cached_execute()
    items = tuple(sorted((k, _normalise(v)) for k, v in params.items()))
    return _cached(current_version().key, name, items)


def quarter_end(label: str) -> dt.date:
    """'2026Q3' → date(2026, 9, 30)."""
    y, q = label.upper().split("Q")
    month = int(q) * 3
    nxt = dt.date(int(y) + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def quarter_label(d: dt.date) -> str:
    return f"{d.year}Q{(d.month - 1) // 3 + 1}"
