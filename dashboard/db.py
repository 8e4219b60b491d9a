"""Read-only access to the warehouse and the one query loader `run_query`.

Connections are opened read-only and kept per warehouse *version* (resolved path + file identity),
so a newly published file is picked up by the next call without a restart. Every call uses its own
cursor. Results are cached (`st.cache_resource`, shared, not copied), keyed on (version, query name, params).

Versioned publishing (dashboard.dataio): the warehouse path may be a symlink to
<versions>/<id>.duckdb; an import builds a new file and repoints the link atomically. The path is
resolved on every call, a reader never sees a half-written file, and connections to versions that
are no longer current are closed only when idle (never under a running query).
"""
from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from . import prefetch, queries, scope
from .paths import absolute_path, resolve_db


log = logging.getLogger("dashboard.db")


class WarehouseError(RuntimeError):
    """A warehouse problem the reader can act on; str() is one Chinese sentence (pages and CLI show it as is)."""


class WarehouseMissing(WarehouseError):
    pass


class WarehouseUnreadable(WarehouseError):
    """The file exists but is not a readable DuckDB warehouse (corrupt, truncated, another file, no access)."""


def unreadable(path, why: str = "") -> WarehouseUnreadable:
    return WarehouseUnreadable(
        f"数据仓库文件无法读取:{path}。{why or '它不是有效的数据仓库文件(可能已损坏、不完整或被其他文件替换)'}。"
        "请在“数据管理”中回滚到之前的版本,或重新导入数据;命令行可用 `python -m dashboard versions` 与 `rollback`。")


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
# A per-thread/-task override (see `reading`): e.g. the import preview computes KPIs on a candidate file.
_reading: contextvars.ContextVar[Path | None] = contextvars.ContextVar("dashboard_db_reading", default=None)
_lock = threading.Lock()
# Connections of versions that are no longer current are closed only when no query runs on them and
# they have been idle this long (a page run that started on the old version finishes on it).
GRACE_S = 120.0


@dataclass
class _Held:
    version: Version
    con: duckdb.DuckDBPyConnection
    active: int = 0            # queries running now (execute/run_query)
    last_used: float = 0.0     # time.monotonic()


_connections: dict[str, _Held] = {}


def set_db_path(path: str | os.PathLike | None) -> None:
    """Used by the CLI's --db: the process reads this file from now on.

    The path is made absolute but a symlink is NOT resolved: an import publishes a new version by
    repointing the link, and every query resolves it again."""
    global _override
    _override = absolute_path(path) if path else None


def db_path() -> Path:
    return _reading.get() or _override or resolve_db()


@contextlib.contextmanager
def reading(path: str | os.PathLike):
    """Within this block (this thread / task only) `db_path()` — so run_query, kpis.headline … —
    reads `path`. Used to compute figures on a candidate warehouse before it is published."""
    token = _reading.set(absolute_path(path))
    try:
        yield
    finally:
        _reading.reset(token)


def current_version(path: Path | None = None) -> Version:
    p = Path(path or db_path())
    try:
        real = p.resolve(strict=True)
        st_ = real.stat()
    except FileNotFoundError:
        raise WarehouseMissing(f"找不到数据仓库文件:{p}。请先运行 `python -m dashboard build-demo` 或导入数据。") from None
    except PermissionError:
        raise unreadable(p, "没有读取该文件的权限") from None
    except (OSError, RuntimeError):              # symlink loop, I/O error
        raise unreadable(p) from None
    if not real.is_file():
        raise unreadable(p, "这不是一个文件(可能是文件夹)")
    return Version(str(real), st_.st_mtime_ns, st_.st_size, st_.st_ino)


def _close(held: _Held) -> None:
    try:
        held.con.close()
    except Exception:  # noqa: BLE001 - an old connection may already be unusable
        pass


def _sweep(now: float, keep: str) -> None:
    """Close idle connections of other files (old versions, previews) after the grace period."""
    for path in [p for p, h in _connections.items()
                 if p != keep and h.active == 0 and now - h.last_used > GRACE_S]:
        _close(_connections.pop(path))


def _get(v: Version, acquire: bool) -> duckdb.DuckDBPyConnection:
    with _lock:
        now = time.monotonic()
        held = _connections.get(v.path)
        if not (held and held.version == v):
            if held:
                # Same path rewritten in place (not a versioned publish): DuckDB keeps serving the old
                # instance until every connection to the path is closed, so it has to go now.
                _close(held)
            try:
                con = duckdb.connect(v.path, read_only=True)
            except duckdb.Error as e:
                log.warning("cannot open warehouse %s: %s: %s", v.path, type(e).__name__, e)
                raise unreadable(v.path) from None
            held = _Held(v, con)
            _connections[v.path] = held
        held.last_used = now
        if acquire:
            held.active += 1
        _sweep(now, keep=v.path)
        return held.con


def _done(v: Version) -> None:
    with _lock:
        held = _connections.get(v.path)
        if held and held.version == v:
            held.active = max(0, held.active - 1)
            held.last_used = time.monotonic()


def connection(version: Version | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection for this version of the file (a new version gets a new connection;
    connections of old versions are closed once idle for GRACE_S seconds)."""
    return _get(version or current_version(), acquire=False)


@contextlib.contextmanager
def cursor(version: Version | None = None):
    """A cursor on this version (default: the current one), counted as a running query while open."""
    v = version or current_version()
    cur = _get(v, acquire=True).cursor()
    try:
        yield cur
    finally:
        cur.close()
        _done(v)


def release(path: str | os.PathLike) -> None:
    """Close this process's idle connection to `path` (a candidate file about to be discarded)."""
    real = str(Path(path).resolve())
    with _lock:
        held = _connections.get(real)
        if held and held.active == 0:
            _close(_connections.pop(real))


def close_all() -> None:
    with _lock:
        for held in _connections.values():
            _close(held)
        _connections.clear()


def _normalise(value):
    if isinstance(value, (list, tuple)):
        return tuple(value)
    return value


def execute(name: str, params: dict, version: Version | None = None, *, _checked: bool = False) -> pl.DataFrame:
    """Run a named query now (no cache). Its scope parameters are checked against the grant first."""
    q = queries.load(name)
    queries.check_params(q, params)
    if not _checked:
        scope.check(name, params)
    v = version or current_version()
    cur = _get(v, acquire=True).cursor()
    try:
        args = {k: (list(x) if isinstance(x, tuple) else x) for k, x in params.items()}
        try:
            rel = cur.sql(q.sql, params=args) if args else cur.sql(q.sql)
            return rel.pl()
        except (duckdb.IOException, duckdb.CatalogException, duckdb.SerializationException) as e:
            # a file that opens but lacks the warehouse's tables, or breaks while read
            log.warning("query %s on %s failed: %s: %s", name, v.path, type(e).__name__, e)
            raise unreadable(v.path, "它不是完整的数据仓库(缺少数据表或文件已损坏)") from None
    finally:
        cur.close()
        _done(v)


def _cached_execute():
    import streamlit as st

    # cache_resource, not cache_data: a hit hands out the cached DataFrame itself instead of unpickling
    # a copy on every run (polars frames are immutable; every operation returns a new frame).
    # max_entries: every panel of every scope of a version (dashboard/prefetch.py: ~4,500 at ×1) and more.
    @st.cache_resource(show_spinner=False, max_entries=16384)
    def _run(version_key: tuple, name: str, items: tuple) -> pl.DataFrame:
        v = Version(*version_key)
        return execute(name, dict(items), v, _checked=True)
    return _run


_cached = None


# Callables (name, params, DataFrame) told of every result run_query hands out (tests use this to see
# everything a page received from the warehouse).
observers: list = []


def run_query(name: str, **params) -> pl.DataFrame:
    """The one loader: named query → polars DataFrame, cached per warehouse version.

    Before anything is read, every scope parameter is checked against the grant of the current
    request (`scope.check`): outside it, `scope.ScopeDenied` is raised."""
    global _cached
    q = queries.load(name)
    queries.check_params(q, params)
    grant = scope.current_grant()
    rows_only = False
    try:
        grant.check(name, params)
    except scope.ScopeDenied:
        if not (q.rows and grant.data):
            raise
        rows_only = True          # a comparison of chains/parks: this grant gets its own rows only
    if _cached is None:
        _cached = _cached_execute()
    items = tuple(sorted((k, _normalise(v)) for k, v in params.items()))
    v = current_version()
    df = _cached(v.key, name, items)
    prefetch.learn(name, items, v)
    if rows_only:
        df = grant.rows(df, q.rows, params)
    for fn in list(observers):
        fn(name, params, df)
    return df


def warm(name: str, items: tuple, version: Version) -> pl.DataFrame:
    """The cached result run_query would read, computed now if missing, without a session
    (dashboard.prefetch: the server's own thread; run_query checks the grant of whoever asks later)."""
    global _cached
    if _cached is None:
        _cached = _cached_execute()
    return _cached(version.key, name, items)


_MEMBERSHIP_SQL = """SELECT (SELECT park_id FROM enterprises WHERE enterprise_id = $e) AS park_id,
       (SELECT list(chain_id ORDER BY chain_id) FROM enterprise_chains WHERE enterprise_id = $e) AS chains"""
_membership: dict[tuple, tuple[tuple[str, ...], str | None]] = {}


def enterprise_membership(enterprise_id: str) -> tuple[tuple[str, ...], str | None]:
    """(chain ids, park id) of an enterprise in the current warehouse version (for the grant check)."""
    v = current_version()
    key = (v.key, enterprise_id)
    hit = _membership.get(key)
    if hit is None:
        with cursor(v) as cur:
            park, chains = cur.sql(_MEMBERSHIP_SQL, params={"e": enterprise_id}).fetchall()[0]
        hit = (tuple(chains or ()), park)
        if len(_membership) > 20000:
            _membership.clear()
        _membership[key] = hit
    return hit


_QUARTER_RE = re.compile(r"^\s*(\d{4})\s*[Qq]\s*([1-4])\s*$")


def quarter_end(label: str) -> dt.date:
    """'2026Q3' → date(2026, 9, 30); anything else raises ValueError with a Chinese message."""
    m = _QUARTER_RE.match(str(label or ""))
    if not m:
        raise ValueError(f"季度应写作 2026Q3 这样的形式(年份 + Q + 1–4),收到「{str(label)[:40]}」")
    y, q = m.groups()
    month = int(q) * 3
    nxt = dt.date(int(y) + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def quarter_label(d: dt.date) -> str:
    return f"{d.year}Q{(d.month - 1) // 3 + 1}"
