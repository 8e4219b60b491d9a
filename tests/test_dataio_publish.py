"""数据管理 (3/3): versions, rollback, pruning, the import log; readers never fail during a publish (a
thread and another process); a SIGKILLed import leaves the current version intact; running app sessions
pick up a new version without a restart.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import polars as pl
import pytest

from dashboard import cli, db
from dashboard.dataio import publish as pub
from test_dataio import (  # noqa: F401  (fixtures)
    Q3, _page, demo_tables, kpis_json, party_upload, sha, sheet_rows, small_db, small_file, small_tables, write_xlsx,
)

ROOT = Path(__file__).resolve().parent.parent


def upload(small_tables, d: Path, n: int, name: str = "企业党建.xlsx") -> Path:
    """A valid partial upload: 2026Q3 企业党建 for the first n enterprises (replaces that quarter)."""
    return write_xlsx(d / name, {"企业党建": sheet_rows("enterprise_party", party_upload(small_tables, n=n))})


def meta_of(path) -> dict:
    con = duckdb.connect(str(Path(path).resolve()), read_only=True)
    try:
        return dict(con.sql("SELECT key, value FROM meta").fetchall())
    finally:
        con.close()


def run_cli(argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = cli.main(argv)
    finally:
        db.set_db_path(None)
    return rc, out.getvalue(), err.getvalue()


# ---------------------------------------------------------------------------------- versions & rollback
def test_first_publish_keeps_the_old_file_as_a_version_and_rollback(small_db, small_tables, tmp_path):
    original = sha(small_db)
    res = pub.import_files([upload(small_tables, tmp_path, 12)], small_db)
    assert res.published
    store = pub.Store(small_db)
    assert small_db.is_symlink() and os.readlink(small_db) == f"versions/{res.version}.duckdb"
    vs = store.versions()
    assert [v.id for v in vs][0] == res.version and len(vs) == 2 and vs[0].current
    initial = vs[1]
    assert initial.kind == "initial" and sha(initial.path) == original          # the old bytes, kept as a version
    assert meta_of(small_db)["data_version"] == res.version
    rec = json.loads(store.record(res.version).read_text(encoding="utf-8"))
    assert rec["files"][0]["name"] == "企业党建.xlsx" and len(rec["files"][0]["sha256"]) == 64
    assert rec["rows"]["enterprise_party"] == res.plan.after["enterprise_party"] and rec["base"] is None

    rc, out, _ = run_cli(["--db", str(small_db), "versions"])
    lines = [ln for ln in out.splitlines() if ln.startswith(("* ", "  v"))]
    assert rc == 0 and lines[0].startswith(f"* {res.version}") and lines[1].startswith(f"  {initial.id}")
    rc, out, _ = run_cli(["--db", str(small_db), "rollback", initial.id])
    assert rc == 0 and f"已回滚到版本 {initial.id}" in out
    assert sha(small_db) == original and meta_of(small_db)["data_version"] == "test-slice"
    assert store.current_id() == initial.id and len(store.versions()) == 2          # nothing deleted
    rc, _, err = run_cli(["--db", str(small_db), "rollback", "v19990101-000000"])
    assert rc == 2 and "没有版本 v19990101-000000" in err
    log = store.log()
    assert [e["action"] for e in log] == ["rollback", "import"]
    assert log[1]["result"] == "已发布" and log[1]["files"][0]["sha256"] == rec["files"][0]["sha256"]
    assert log[1]["rows"] == {"enterprise_party": 12}


def test_keeps_the_last_n_versions(small_db, small_tables, tmp_path):
    ids = []
    for n in (5, 6, 7):
        res = pub.import_files([upload(small_tables, tmp_path, n, f"q{n}.xlsx")], small_db, keep=2)
        ids.append(res.version)
    assert len(set(ids)) == 3                                  # unique ids even within one second
    store = pub.Store(small_db)
    assert [v.id for v in store.versions()] == [ids[2], ids[1]]
    left = sorted(p.name for p in store.dir.iterdir() if p.suffix in (".duckdb", ".json"))
    assert left == sorted([f"{ids[2]}.duckdb", f"{ids[2]}.json", f"{ids[1]}.duckdb", f"{ids[1]}.json"])
    # rollback to the older one, then publish: the current (older) version is never pruned
    pub.rollback(ids[1], small_db)
    res = pub.import_files([upload(small_tables, tmp_path, 8, "q8.xlsx")], small_db, keep=2)
    assert [v.id for v in store.versions()] == [res.version, ids[2]]


def test_publish_refused_when_data_changed_after_the_check(small_db, small_tables, tmp_path):
    first = pub.check([upload(small_tables, tmp_path, 9, "a.xlsx")], small_db)
    pub.build_candidate(first)
    second = pub.import_files([upload(small_tables, tmp_path, 11, "b.xlsx")], small_db)
    with pytest.raises(pub.PublishError, match="已被更新"):
        pub.publish(first)
    assert pub.Store(small_db).current_id() == second.version
    pub.discard(first)
    assert not first.store.file(first.version).exists()


def test_dry_run_publishes_nothing(small_db, small_tables, tmp_path):
    before = sha(small_db)
    res = pub.import_files([upload(small_tables, tmp_path, 10)], small_db, dry_run=True)
    assert res.plan.ok and not res.published and res.kpis
    store = pub.Store(small_db)
    assert sha(small_db) == before and not small_db.is_symlink() and store.versions() == []
    assert [p.name for p in store.dir.iterdir() if p.suffix == ".duckdb"] == []
    assert store.log()[0]["result"] == "试运行通过(未发布)"


# --------------------------------------------------------------------------------- concurrent readers
READER = r"""
import json, os, sys, time
from dashboard import db
stop = sys.argv[1]
seen, errors, n = [], [], 0
while not os.path.exists(stop) or n < 5:
    try:
        v = dict(db.execute("shared/meta", {}).iter_rows())["data_version"]
        k = db.run_query("shared/kpi_trend", quarter_end=__import__("datetime").date(2026, 9, 30),
                         chain_id="*", park_id="*")
        assert k.height >= 1
        if not seen or seen[-1] != v:
            seen.append(v)
    except Exception as e:
        errors.append(f"{type(e).__name__}: {e}")
    n += 1
print(json.dumps({"seen": seen, "errors": errors, "n": n}))
"""


def test_readers_see_old_or_new_never_an_error(small_db, small_tables, tmp_path):
    """A thread and another process query in a loop while three imports publish (the first one turns
    the regular file into a versioned symlink): every query answers, with the old or a new version."""
    stop = tmp_path / "stop"
    env = {**os.environ, "DASHBOARD_DB": str(small_db), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", READER, str(stop)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    state = {"seen": [], "errors": [], "n": 0}

    def thread_reader():
        with db.reading(small_db):
            while not stop.exists() or state["n"] < 5:
                try:
                    v = dict(db.execute("shared/meta", {}).iter_rows())["data_version"]
                    from dashboard import kpis
                    assert kpis.headline(Q3)[0].value > 0
                    if not state["seen"] or state["seen"][-1] != v:
                        state["seen"].append(v)
                except Exception as e:  # noqa: BLE001
                    state["errors"].append(f"{type(e).__name__}: {e}")
                state["n"] += 1

    th = threading.Thread(target=thread_reader, daemon=True)
    th.start()
    t0 = time.time()
    while state["n"] < 3 and time.time() - t0 < 60:
        time.sleep(0.05)
    published = []
    for n in (7, 8, 9):
        res = pub.import_files([upload(small_tables, tmp_path, n, f"r{n}.xlsx")], small_db)
        assert res.published
        published.append(res.version)
        time.sleep(0.3)
    time.sleep(1.0)
    stop.touch()
    th.join(timeout=120)
    out, err = proc.communicate(timeout=180)
    other = json.loads(out.strip().splitlines()[-1])
    allowed = ["test-slice"] + published
    for who, r in (("thread", state), ("process", other)):
        assert r["errors"] == [], (who, r["errors"][:3])
        assert r["seen"] and set(r["seen"]) <= set(allowed), (who, r["seen"])
        assert r["seen"] == [v for v in allowed if v in r["seen"]], (who, r["seen"])     # never goes back
        assert r["seen"][-1] == published[-1], (who, r["seen"])
        assert r["n"] >= 5


# ------------------------------------------------------------------------------------------ SIGKILL
def test_sigkill_during_import_leaves_the_current_version_usable(tmp_path, warehouse_path, small_tables):
    """Kill -9 `python -m dashboard import` while it builds the new file: the warehouse is untouched
    and usable, the half-built file is not a version, and the next import cleans it up."""
    w = tmp_path / "warehouse.duckdb"
    shutil.copyfile(warehouse_path, w)
    before_sha, before_kpis = sha(w), kpis_json(str(w), "2026Q3")
    x = upload(small_tables, tmp_path, 20)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "dashboard", "--db", str(w), "import", str(x)], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    vdir = tmp_path / "versions"
    building = []
    t0 = time.time()
    while time.time() - t0 < 180 and proc.poll() is None:
        building = list(vdir.glob(".v*.duckdb.building-*")) if vdir.exists() else []
        if building:
            break
        time.sleep(0.01)
    assert building, "the import never reached the build step"
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert sha(w) == before_sha and not w.is_symlink()
    store = pub.Store(w)
    assert store.versions() == [] and store.current_id() is None
    assert kpis_json(str(w), "2026Q3") == before_kpis
    assert [p for p in vdir.iterdir() if p.suffix == ".duckdb" and not p.name.startswith(".")] == []
    # the next import succeeds and removes what the killed process left behind
    res = pub.import_files([x], w)
    assert res.published and len(store.versions()) == 2
    assert not list(vdir.glob(".*building*")) and not list(tmp_path.glob(".warehouse.duckdb.link-*"))


# ------------------------------------------------------------------------------- connections, sessions
def test_old_version_connection_outlives_a_publish_while_in_use(small_db, small_tables, tmp_path, monkeypatch):
    monkeypatch.setattr(db, "GRACE_S", 0.0)
    old = db.current_version(small_db)
    with db.cursor(old) as cur:
        res = pub.import_files([upload(small_tables, tmp_path, 6)], small_db)
        new = db.current_version(small_db)
        assert new.path != old.path and Path(new.path).stem == res.version
        db.connection(new)                                      # sweeps idle old connections
        assert old.path in db._connections                      # but not this one: a query is running
        assert cur.sql("SELECT value FROM meta WHERE key = 'data_version'").fetchall() == [("test-slice",)]
    db.connection(new)
    assert old.path not in db._connections and new.path in db._connections


def test_running_app_session_picks_up_a_new_version(small_db, small_tables, tmp_path, monkeypatch):
    """The same app session (no restart) shows the new 数据截至 and source after a publish."""
    at = _page(small_db, monkeypatch)
    stamp = [h.proto.body for h in at.get("html") if "数据截至" in h.proto.body][0]
    assert "数据截至 2026-09-30 · 演示数据" in stamp
    q4 = party_upload(small_tables, n=25).with_columns(quarter_end=pl.lit(dt.date(2026, 12, 31)))
    x = write_xlsx(tmp_path / "2026Q4.xlsx", {"企业党建": sheet_rows("enterprise_party", q4)})
    assert pub.import_files([x], small_db).published
    at.run()
    assert not at.exception
    stamp = [h.proto.body for h in at.get("html") if "数据截至" in h.proto.body][0]
    assert "数据截至 2026-12-31 · 导入数据" in stamp and "2026Q4" in stamp
