"""Versioned, atomic publishing of imports; rollback; the import log.

Layout (for the warehouse path W = --db / $DASHBOARD_DB / data/warehouse.duckdb):

    W                         a symlink → versions/<id>.duckdb (the version the app reads)
    <versions>/<id>.duckdb    one complete warehouse per version, never written after it is built
    <versions>/<id>.json      its record: created, files (name, SHA-256), rows, 数据截至, mode, base version
    <versions>/import-log.jsonl   one JSON line per import / dry run / refusal / rollback
    .<versions>.lock          next to the versions folder: the cross-process import lock (filelock)

(<versions> = data/versions/ for data/warehouse.duckdb, else <stem>.versions/ next to W.)

Imports are serialised across processes by the lock: the CLI holds it from reading the current data to
publishing (a second import waits, bounded, then works on what the first one published, or is refused in
Chinese); the page checks and previews without it and publishes under it only if the data it checked is
still current — otherwise it is told which version is live and its candidate is deleted at once.

An import reads and checks the upload, reserves a version id (`.<id>.reserved`, created exclusively: ids are
unique even within one second), builds a NEW file with `warehouse.write_warehouse` (which writes
`.<id>.duckdb.building-<pid>` and renames it when complete), verifies it (row counts, marts, headline KPIs),
writes its record as `.<id>.json.pending`, repoints W with `os.replace` of a fresh symlink — one atomic
step — and only then renames the record into place. A reader resolves W on every query, so it sees the old
or the new version, never a half-built file. Only a version W has pointed to has a record: after a kill, a
pending record whose version W points to is completed, any other is removed with its file (`recover`).
On the first publish a regular-file W is hard-linked into the folder as the first version.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import filelock
import polars as pl

from .. import db as dbm
from ..contract import ident
from ..paths import absolute_path, versions_dir
from . import limits, readers
from . import template as T
from .validate import Plan, prepare

KEEP = int(os.environ.get("DASHBOARD_KEEP_VERSIONS", "5") or 5)
LOG_NAME = "import-log.jsonl"
ORPHAN_AGE_S = 6 * 3600      # a previewed but never published candidate (page left open) is removed after this
_ID_RE = re.compile(r"^v\d{8}-\d{6}(-\d+)?$")
IMPORT_WAIT_S = float(os.environ.get("DASHBOARD_IMPORT_WAIT_S", "600") or 600)   # CLI: wait for another import
PUBLISH_WAIT_S = 30.0        # the page's 发布: wait this long for an import running elsewhere


class PublishError(RuntimeError):
    pass


class Busy(PublishError):
    """Another import holds the lock longer than we may wait (nothing was changed; try again later)."""


def _now() -> dt.datetime:
    return dt.datetime.now()


def os_error_text(e: OSError) -> str:
    """An OS error as a Chinese clause (no English strerror, no traceback)."""
    import errno
    why = {errno.EACCES: "权限不足", errno.EPERM: "权限不足", errno.EROFS: "所在磁盘为只读", errno.ENOSPC: "磁盘空间不足",
           errno.EDQUOT: "磁盘配额已满", errno.ENOENT: "路径不存在", errno.ENOTDIR: "路径中有一段不是文件夹",
           errno.EISDIR: "这是一个文件夹", errno.EEXIST: "已存在同名文件"}.get(e.errno, f"系统错误 {e.errno}")
    where = f"「{e.filename}」" if getattr(e, "filename", None) else ""
    return f"{where}{why}"


@dataclass
class VersionInfo:
    id: str
    created: str
    kind: str                   # import | initial
    files: list[dict]
    rows: dict[str, int]
    as_of: str | None
    mode: str | None
    base: str | None
    source: str
    path: Path
    current: bool = False
    recorded: float = 0.0       # when it became a version (orders the list; `created` has 1 s resolution)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    def as_row(self) -> dict:
        return {"版本": self.id, "当前": "● 当前" if self.current else "", "创建时间": self.created.replace("T", " "),
                "数据截至": self.as_of or "—", "来源": self.source,
                "导入方式": {"replace": "全量替换", "update": "增量更新"}.get(self.mode or "", self.mode or "—"),
                "行数": self.total_rows, "基于版本": self.base or "—"}


# ------------------------------------------------------------------------------------------------ store
class Store:
    """The versions folder of one warehouse path."""

    def __init__(self, db: str | os.PathLike | None = None):
        self.db = absolute_path(db) if db else dbm.db_path()
        self.dir = versions_dir(self.db)
        self.log_error: str | None = None

    # -- paths
    def file(self, vid: str) -> Path:
        return self.dir / f"{vid}.duckdb"

    def record(self, vid: str) -> Path:
        return self.dir / f"{vid}.json"

    def pending(self, vid: str) -> Path:
        return self.dir / f".{vid}.json.pending"

    def reservation(self, vid: str) -> Path:
        return self.dir / f".{vid}.reserved"

    @property
    def lock_path(self) -> Path:
        return self.dir.parent / f".{self.dir.name}.lock"

    @property
    def log_path(self) -> Path:
        return self.dir / LOG_NAME

    # -- state
    def exists(self) -> bool:
        return self.db.exists()

    def current_real(self) -> Path | None:
        try:
            return self.db.resolve(strict=True)
        except FileNotFoundError:
            return None

    def current_id(self) -> str | None:
        """The version W points to (a pending record counts: W pointing to it is what publishing means)."""
        real = self.current_real()
        if real is None or not self.dir.is_dir() or real.parent != self.dir.resolve():
            return None
        if not (self.record(real.stem).exists() or self.pending(real.stem).exists()):
            return None
        return real.stem

    def versions(self) -> list[VersionInfo]:
        if not self.dir.is_dir():
            return []
        cur = self.current_id()
        out = []
        recs = list(self.dir.glob("v*.json"))
        if cur is not None and not self.record(cur).exists():
            recs.append(self.pending(cur))     # published, its record not yet renamed (killed in between)
        for rec in recs:
            vid = rec.name.split(".json")[0].lstrip(".")
            if not _ID_RE.match(vid) or not self.file(vid).exists():
                continue
            try:
                d = json.loads(rec.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            out.append(VersionInfo(vid, d.get("created", ""), d.get("kind", "import"), d.get("files", []),
                                   d.get("rows", {}), d.get("as_of"), d.get("mode"), d.get("base"),
                                   d.get("source", ""), self.file(vid), vid == cur, d.get("recorded", 0.0)))
        return sorted(out, key=lambda v: (v.recorded, v.created, v.id), reverse=True)

    def log(self, limit: int | None = None) -> list[dict]:
        if not self.log_path.exists():
            return []
        rows = []
        for line in self.log_path.read_text(encoding="utf-8").splitlines():
            try:
                rows.append(json.loads(line))
            except ValueError:
                continue
        rows.reverse()
        return rows[:limit] if limit else rows

    def append_log(self, entry: dict) -> bool:
        """Append one line to the import log. A log that cannot be written does not change what happened to
        the data: the failure is kept in `log_error` for the caller to say."""
        line = json.dumps(entry, ensure_ascii=False, default=str) + "\n"
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line.encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as e:
            self.log_error = f"导入日志无法写入:{os_error_text(e)}"
            return False
        return True

    @contextlib.contextmanager
    def lock(self, timeout: float = PUBLISH_WAIT_S, on_wait=None):
        """The cross-process import lock (re-entrant within one Store and thread). Waits at most `timeout`
        seconds (`on_wait()` is called first when another import holds it), else raises Busy."""
        if not hasattr(self, "_flock"):
            try:
                self.dir.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise PublishError(f"无法创建版本目录:{os_error_text(e)}") from None
            self._flock = filelock.FileLock(str(self.lock_path), preserve_lock_file=True)
        lk = self._flock
        try:
            try:
                lk.acquire(timeout=0)
            except filelock.Timeout:
                if on_wait is not None:
                    on_wait()
                lk.acquire(timeout=timeout)
        except filelock.Timeout:
            raise Busy(f"另一项数据导入正在进行,等待 {timeout:.0f} 秒后仍未结束:请稍后再试") from None
        except OSError as e:
            raise PublishError(f"无法创建导入锁文件:{os_error_text(e)}") from None
        try:
            yield
        finally:
            lk.release()

    def ensure_writable(self) -> None:
        """Fail early, in Chinese, when new versions cannot be written (probed: permissions alone do not say,
        e.g. for root or on a read-only disk)."""
        probe = self.dir / f".write-probe-{os.getpid()}"
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as e:
            raise PublishError(f"版本目录「{self.dir}」不可写:{os_error_text(e)}。请检查该目录的权限与磁盘空间") from None

    def new_id(self) -> str:
        """A version id from the clock (v20261001-093000), made unique by an exclusively created reservation
        (-2, -3 … within the same second, across processes)."""
        self.dir.mkdir(parents=True, exist_ok=True)
        base = _now().strftime("v%Y%m%d-%H%M%S")
        n = 1
        while True:
            vid = base if n == 1 else f"{base}-{n}"
            n += 1
            if self.file(vid).exists() or self.record(vid).exists():
                continue
            try:
                fd = os.open(self.reservation(vid), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                continue
            with os.fdopen(fd, "w") as fh:
                fh.write(str(os.getpid()))
            return vid

    def recover(self) -> list[str]:
        """After a kill (call under lock): a pending record of the version W points to is completed; any other
        pending record is of a version never published — it is removed with its file."""
        done = []
        if not self.dir.is_dir():
            return done
        cur = self.current_real()
        for pend in self.dir.glob(".v*.json.pending"):
            vid = pend.name[1:].split(".json")[0]
            if cur is not None and self.file(vid).exists() and self.file(vid).resolve() == cur:
                os.replace(pend, self.record(vid))
            else:
                pend.unlink(missing_ok=True)
                if not self.record(vid).exists():
                    self.file(vid).unlink(missing_ok=True)
                    self.reservation(vid).unlink(missing_ok=True)
            done.append(vid)
        return done

    # -- changes (call under lock)
    def _write_record(self, vid: str, rec: dict, pending: bool = False) -> Path:
        rec.setdefault("recorded", time.time())
        tmp = self.dir / f".{vid}.json.tmp-{os.getpid()}"
        tmp.write_text(json.dumps(rec, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        target = self.pending(vid) if pending else self.record(vid)
        os.replace(tmp, target)
        return target

    def _point_to(self, vid: str) -> None:
        target = os.path.relpath(self.file(vid), self.db.parent)
        tmp = self.db.parent / f".{self.db.name}.link-{os.getpid()}"
        tmp.unlink(missing_ok=True)
        os.symlink(target, tmp)
        os.replace(tmp, self.db)          # atomic: readers resolve either the old or the new target

    def adopt_current(self) -> str | None:
        """A warehouse that is not yet a version (regular file, or a link elsewhere) becomes the first
        version: hard-linked (same inode, no copy) or copied into the folder. W itself is not touched."""
        real = self.current_real()
        if real is None or self.current_id() is not None:
            return self.current_id()
        st = real.stat()
        created = dt.datetime.fromtimestamp(st.st_mtime).replace(microsecond=0)
        vid = created.strftime("v%Y%m%d-%H%M%S")
        n = 1
        while self.file(vid).exists() or self.record(vid).exists() or self.reservation(vid).exists():
            n += 1
            vid = f"{created.strftime('v%Y%m%d-%H%M%S')}-{n}"
        self.dir.mkdir(parents=True, exist_ok=True)
        try:
            os.link(real, self.file(vid))
        except OSError:
            tmp = self.dir / f".{vid}.duckdb.building-{os.getpid()}"
            shutil.copy2(real, tmp)
            os.replace(tmp, self.file(vid))
        try:
            meta, rows = _meta_and_rows(self.file(vid))
        except duckdb.Error:
            # Not a readable warehouse: not a version. Kept aside (never listed, never pruned) for inspection.
            os.replace(self.file(vid), self.dir / f"{vid}.duckdb.unreadable")
            return None
        self._write_record(vid, {"id": vid, "created": created.isoformat(), "kind": "initial", "files": [],
                                 "rows": rows, "as_of": meta.get("as_of"), "mode": None, "base": None,
                                 "source": f"首次发布前的数据({meta.get('source', '未知来源')},"
                                           f"{meta.get('data_version', '')})",
                                 "data_version": meta.get("data_version")})
        return vid

    def prune(self, keep: int = KEEP) -> list[str]:
        """Keep the newest `keep` versions (and always the current one); drop leftovers of killed runs."""
        keep = max(2, keep)
        removed = []
        cur = self.current_id()
        for v in self.versions()[keep:]:
            if v.id == cur:
                continue
            self.record(v.id).unlink(missing_ok=True)
            self.file(v.id).unlink(missing_ok=True)
            removed.append(v.id)
        self.cleanup()
        return removed

    def cleanup(self) -> list[str]:
        """Remove temp files of dead processes and built-but-never-published files older than a day."""
        if not self.dir.is_dir():
            return []
        gone = []
        now = time.time()
        cur = self.current_real()
        for p in list(self.dir.iterdir()) + list(self.db.parent.glob(f".{self.db.name}.link-*")):
            m = re.search(r"\.(?:building|tmp|link)-(\d+)", p.name)
            if p.name.endswith(".reserved"):
                vid = p.name[1:-len(".reserved")]
                try:
                    pid = int(p.read_text() or 0)
                except (OSError, ValueError):
                    pid = 0
                if self.record(vid).exists() or not _alive(pid) or now - p.stat().st_mtime > ORPHAN_AGE_S:
                    p.unlink(missing_ok=True)
                    gone.append(p.name)
            elif m and p.name.startswith("."):
                if not _alive(int(m.group(1))) or now - p.stat().st_mtime > 6 * 3600:
                    p.unlink(missing_ok=True)
                    gone.append(p.name)
            elif p.suffix == ".duckdb" and not self.record(p.stem).exists() and p.resolve() != cur:
                if now - p.stat().st_mtime > ORPHAN_AGE_S:
                    p.unlink(missing_ok=True)
                    gone.append(p.name)
        return gone


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _meta_and_rows(path: Path) -> tuple[dict, dict]:
    import duckdb
    con = duckdb.connect(str(path), read_only=True)
    try:
        meta = dict(con.sql("SELECT key, value FROM meta").fetchall())
        rows = {}
        for t in T.TABLES:
            rows[t] = con.sql(f"SELECT count(*) FROM {ident(t)}").fetchall()[0][0]
        return meta, rows
    finally:
        con.close()


def load_existing(store: Store) -> tuple[dict[str, pl.DataFrame] | None, dict]:
    """The current version's raw tables and meta (None when there is no warehouse yet)."""
    if not store.exists():
        return None, {}
    v = dbm.current_version(store.db)
    with dbm.cursor(v) as cur:
        tables = {}
        for t in T.TABLES:
            tables[t] = cur.sql(f"SELECT * FROM {ident(t)}").pl()
        meta = dict(cur.sql("SELECT key, value FROM meta").fetchall())
    return tables, meta


# ----------------------------------------------------------------------------------------------- import
@dataclass
class ImportResult:
    plan: Plan
    store: Store
    version: str | None = None          # candidate / published version id
    candidate: Path | None = None
    published: bool = False
    dry_run: bool = False
    base: str | None = None             # resolved real path of the version the plan was made on
    base_id: str | None = None
    kpis: list[dict] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.plan.ok

    def rows_table(self) -> list[dict]:
        p = self.plan
        return [{"工作表": T.TABLES[t].sheet, "表": t, "导入前": p.before.get(t, 0), "本次上传": p.uploaded.get(t, 0),
                 "导入后": p.after.get(t, 0), "变化": p.after.get(t, 0) - p.before.get(t, 0),
                 "处理方式": p.changes.get(t, "")} for t in T.TABLES]


def _files_info(files) -> list[dict]:
    return [{"name": f.name, "sha256": f.sha256, "bytes": f.nbytes} for f in files]


def _source_text(files) -> str:
    return "import:" + ", ".join(f.name for f in files)


def read_uploads(items) -> list[readers.FileRead]:
    """items: paths, or (name, bytes) pairs, or objects with .name, .size and .getvalue() (st.file_uploader).

    All files of one import share one cell budget (limits.MAX_CELLS); a file over the upload limit is refused
    from its size, before it is read."""
    out = []
    budget = limits.Budget()
    for it in items:
        if isinstance(it, (str, os.PathLike)):
            out.append(readers.read_path(it, budget))
        elif isinstance(it, tuple):
            out.append(readers.read_file(it[0], it[1], budget))
        else:
            out.append(readers.refuse_by_size(it.name, int(getattr(it, "size", 0) or 0))
                       or readers.read_file(it.name, it.getvalue(), budget))
    return out


def check(items, db: str | os.PathLike | Store | None = None, mode: str = "auto") -> ImportResult:
    """Read and validate (no file is written)."""
    store = db if isinstance(db, Store) else Store(db)
    t0 = time.perf_counter()
    files = read_uploads(items)
    t1 = time.perf_counter()
    # Every file refused as a whole (too big, a bomb, not a workbook…): say so without loading the warehouse.
    refused = all(f.issues and not f.sheets for f in files)
    try:
        existing, _ = (None, {}) if refused else load_existing(store)
    except dbm.WarehouseUnreadable:
        if mode != "replace":            # an update merges into the current data, which cannot be read
            raise
        existing = None                  # a full replacement does not need it (recovery from a broken file)
    base = store.current_real()
    plan = prepare(files, existing, mode)
    for f in files:           # the typed/merged data lives in the plan now; drop the text grids
        f.sheets = []
    t2 = time.perf_counter()
    return ImportResult(plan, store, base=str(base) if base else None, base_id=store.current_id(),
                        timings={"read_s": t1 - t0, "validate_s": t2 - t1})


def build_candidate(res: ImportResult) -> Path:
    """Write the merged tables as a new (not yet published) version file and verify it."""
    from ..warehouse import write_warehouse
    if not res.plan.ok:
        raise PublishError("校验未通过,不能生成新版本")
    store, plan = res.store, res.plan
    t0 = time.perf_counter()
    try:
        vid = store.new_id()
    except OSError as e:
        raise PublishError(f"无法在版本目录中生成新版本:{os_error_text(e)}") from None
    meta = {"as_of": plan.as_of.isoformat(), "data_version": vid, "source": _source_text(plan.files),
            "loaded_at": _now().replace(microsecond=0).isoformat(), "import_mode": plan.mode,
            "base_version": res.base_id or ""}
    res.version = vid
    try:
        store.cleanup()
        path = write_warehouse(store.file(vid), plan.tables, meta, make_targets=False)
    except (OSError, duckdb.IOException, duckdb.PermissionException) as e:
        store.reservation(vid).unlink(missing_ok=True)
        why = os_error_text(e) if isinstance(e, OSError) else f"「{store.dir}」无法写入(权限不足或磁盘已满)"
        raise PublishError(f"无法写入新版本文件:{why}") from None
    res.candidate = path
    res.timings["build_s"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    try:
        verify(path, plan.after)
        res.kpis = kpi_preview(store, path, plan)
    except Exception:
        discard(res)
        raise
    res.timings["verify_s"] = time.perf_counter() - t1
    return path


def verify(path: Path, expected_rows: dict[str, int]) -> None:
    """The candidate is complete: every raw table has the expected rows, marts exist, KPIs compute."""
    import duckdb

    from ..warehouse import MART_TABLES
    con = duckdb.connect(str(path), read_only=True)
    try:
        have = {r[0] for r in con.sql("SELECT table_name FROM information_schema.tables").fetchall()}
        missing = [t for t in list(T.TABLES) + MART_TABLES + ["meta"] if t not in have]
        if missing:
            raise PublishError(f"新版本缺少表:{', '.join(missing)}")
        for t, n in expected_rows.items():
            got = con.sql(f"SELECT count(*) FROM {ident(t)}").fetchall()[0][0]
            if got != n:
                raise PublishError(f"新版本 {t} 行数 {got} 与预期 {n} 不符")
        if con.sql("SELECT count(*) FROM mart_kpi WHERE chain_id = '*' AND park_id = '*'").fetchall()[0][0] == 0:
            raise PublishError("新版本没有全区指标(mart_kpi 为空)")
    finally:
        con.close()


def _headline(path: Path, quarter_end) -> dict:
    from .. import kpis
    with dbm.reading(path):
        return {h.kpi.key: h for h in kpis.headline(quarter_end)}


def kpi_preview(store: Store, candidate: Path, plan: Plan) -> list[dict]:
    """Headline KPIs (全区, latest quarter — what the dashboard opens on) before → after."""
    from .. import kpis
    after = _headline(candidate, plan.as_of)
    if not all(after[k.key].value is not None for k in kpis.KPIS[:1]):
        raise PublishError("新版本的核心指标无法计算")
    before = {}
    if store.exists() and plan.as_of_before is not None:
        try:
            before = _headline(store.db, plan.as_of_before)
        except Exception:  # noqa: BLE001 - the preview must not fail because the old file is odd
            before = {}
    qb = plan.as_of_before and kpis.label(plan.as_of_before)
    qa = kpis.label(plan.as_of)
    rows = []
    for k in kpis.KPIS:
        b = before.get(k.key)
        a = after[k.key]
        rows.append({"指标": k.label, "导入前": f"{kpis.fmt_value(k, b.value) if b else '—'}" + (f"({qb})" if b else ""),
                     "导入后": f"{kpis.fmt_value(k, a.value)}({qa})",
                     "变化": (kpis.fmt_delta(k, a.value, b.value) or "—") if b else "—",
                     "key": k.key, "before": b.value if b else None, "after": a.value})
    return rows


def discard(res: ImportResult, log: bool = False) -> None:
    """Drop a built but unpublished candidate (and, from the page, record that it was abandoned)."""
    store = res.store
    if res.candidate is not None:
        dbm.release(res.candidate)
        if res.version and not store.record(res.version).exists() and not store.pending(res.version).exists():
            res.candidate.unlink(missing_ok=True)
        res.candidate = None
        if log:
            store.append_log(_log_entry("import", "已放弃(未发布)", res))
    if res.version and not res.published:
        store.reservation(res.version).unlink(missing_ok=True)


def live_text(store: Store) -> str:
    """What the dashboard shows now, as a sentence part: 版本 v…(数据截至 …,来源 …)."""
    vid = store.current_id()
    v = next((x for x in store.versions() if x.id == vid), None) if vid else None
    if v is None:
        return "导入前的原有数据" if store.exists() else "(还没有数据)"
    return f"版本 {v.id}(数据截至 {v.as_of or '—'},来源 {v.source or '—'})"


def publish(res: ImportResult, keep: int = KEEP, timeout: float = PUBLISH_WAIT_S) -> VersionInfo:
    """Make the verified candidate the current version (atomic repoint), prune, log — under the import lock,
    and only if the data it was checked against is still current (else it is deleted and the caller told
    which version is live)."""
    from ..auth import hooks                       # accounts: who may publish real data; audit
    store, plan = res.store, res.plan
    if res.candidate is None or not res.candidate.exists():
        raise PublishError("没有可发布的新版本(请重新校验)")
    refusal = hooks.publish_refusal()
    if refusal:
        hooks.after_publish(res.version or "", [f.name for f in plan.files], "失败", reason=refusal)
        discard(res)                                   # a refused candidate is removed at once
        raise PublishError(refusal)
    t0 = time.perf_counter()
    with store.lock(timeout):
        store.recover()
        now_real = store.current_real()
        if (str(now_real) if now_real else None) != res.base:
            live = live_text(store)
            discard(res)
            store.append_log(_log_entry("import", "未发布(校验后数据已被更新)", res, live=store.current_id()))
            raise PublishError(f"未发布:校验之后数据已被更新,驾驶舱当前显示的是{live};本次生成的新版本已删除,"
                               "请重新上传校验后再发布")
        try:
            store.adopt_current()
            store._write_record(res.version, {
                "id": res.version, "created": _now().replace(microsecond=0).isoformat(), "kind": "import",
                "files": _files_info(plan.files), "rows": plan.after, "uploaded": plan.uploaded,
                "as_of": plan.as_of.isoformat(), "mode": plan.mode, "base": res.base_id,
                "source": "、".join(f.name for f in plan.files), "changes": plan.changes, "data_version": res.version},
                pending=True)
            store._point_to(res.version)                      # the one atomic step that publishes
            os.replace(store.pending(res.version), store.record(res.version))
        except OSError as e:
            raise PublishError(f"发布失败:{os_error_text(e)}") from None
        store.reservation(res.version).unlink(missing_ok=True)
        res.published = store.current_id() == res.version
        if not res.published:                                 # cannot happen under the lock; never claim it
            raise PublishError(f"发布后核对失败:驾驶舱当前显示的是{live_text(store)}")
        removed = store.prune(keep)
        res.timings["publish_s"] = time.perf_counter() - t0
        store.append_log(_log_entry("import", "已发布", res, removed=removed))
    hooks.after_publish(res.version, [f.name for f in plan.files], mode=plan.mode, as_of=plan.as_of.isoformat())
    base = f"版本 {res.base_id}" if res.base_id else "导入前的原有数据"
    res.message = (f"已发布新版本 {res.version}(数据截至 {plan.as_of},在{base}基础上"
                   f"{'全量替换' if plan.mode == 'replace' else '增量更新'}),驾驶舱与大屏现在显示该版本")
    return next(v for v in store.versions() if v.id == res.version)


def _log_entry(action: str, result: str, res: ImportResult | None = None, **extra) -> dict:
    e = {"at": dt.datetime.now().replace(microsecond=0).isoformat(), "action": action, "result": result}
    if res is not None:
        p = res.plan
        e.update(files=_files_info(p.files), rows=p.uploaded, rows_after=p.after if p.ok else None,
                 n_errors=p.n_issues, rules=dict(p.rule_counts[:10]), mode=p.mode, version=res.version,
                 base=res.base_id, as_of=p.as_of.isoformat() if p.as_of else None)
    e.update(extra)
    return e


def log_refusal(res: ImportResult, dry_run: bool = False) -> None:
    from ..auth import hooks
    res.store.append_log(_log_entry("dry-run" if dry_run else "import", "校验未通过", res))
    hooks.after_import_check(False, [f.name for f in res.plan.files], n_errors=res.plan.n_issues, dry_run=dry_run)


def import_files(items, db: str | os.PathLike | None = None, mode: str = "auto", dry_run: bool = False,
                 keep: int = KEEP, wait_s: float = IMPORT_WAIT_S, on_wait=None) -> ImportResult:
    """CLI flow: read → validate → (refuse | build → verify → preview → publish or, for a dry run, discard),
    all under the import lock: an import started while another runs waits for it (at most `wait_s`, calling
    `on_wait()` first) and then works on what that one published."""
    store = Store(db)
    waited = []

    def _waiting():
        waited.append(time.monotonic())
        if on_wait is not None:
            on_wait()

    with store.lock(wait_s, _waiting):
        waited_s = time.monotonic() - waited[0] if waited else 0.0
        store.ensure_writable()
        store.recover()
        res = check(items, store, mode)
        res.dry_run = dry_run
        if waited:
            res.timings["wait_s"] = waited_s
        if not res.plan.ok:
            log_refusal(res, dry_run)
            res.message = res.plan.summary()
            return res
        build_candidate(res)
        if dry_run:
            discard(res)
            store.append_log(_log_entry("dry-run", "试运行通过(未发布)", res))
            res.message = "试运行通过:校验和新版本检查都已通过,未发布"
            return res
        publish(res, keep)
    return res


def rollback(version: str, db: str | os.PathLike | None = None) -> VersionInfo:
    store = Store(db)
    with store.lock():
        store.recover()
        known = {v.id: v for v in store.versions()}
        if version not in known:
            raise PublishError(f"没有版本 {version}。可用版本:{', '.join(known) or '无'}")
        before = store.current_id()
        store.adopt_current()
        store._point_to(version)
        store.append_log({"at": dt.datetime.now().replace(microsecond=0).isoformat(), "action": "rollback",
                          "result": "已回滚", "version": version, "base": before, "files": [], "n_errors": 0})
    from ..auth import hooks
    hooks.after_rollback(version, before)
    return next(v for v in store.versions() if v.id == version)


def export_warehouse(out: str | os.PathLike, db: str | os.PathLike | None = None) -> dict:
    """The current warehouse in the template's shape (no example row)."""
    store = Store(db)
    t0 = time.perf_counter()
    tables, meta = load_existing(store)
    if tables is None:
        raise dbm.WarehouseMissing(f"找不到数据仓库文件:{store.db}")
    T.write_export(out, tables)
    return {"rows": {t: df.height for t, df in tables.items()}, "seconds": time.perf_counter() - t0,
            "as_of": meta.get("as_of"), "out": str(out)}
