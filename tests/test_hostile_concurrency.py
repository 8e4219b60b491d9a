"""Imports are serialised and tell the truth (issue 10 point 4).

- Two CLI imports started together — also with their clocks forced into the same second — are serialised by
  the lock next to the versions folder: both get their own version id, each is told what became live, and
  the live data is exactly that of the one that published last.
- The page's flow (check → preview → publish later): when another import published in between, 发布 is
  refused with the version that is live, and the refused candidate is deleted at once.
- A second import that cannot wait is refused in Chinese (exit code 3), nothing changed.
- A kill between writing the record and repointing the warehouse leaves no version in `versions`; a kill
  right after repointing leaves a version that is listed (it is live) and whose record is completed.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import filelock
import polars as pl
import pytest

from dashboard.dataio import publish as pub
from test_dataio import Q3, demo_tables, party_upload, sha, sheet_rows, small_db, small_file, small_tables, write_xlsx  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
SAME_SECOND = dt.datetime(2026, 10, 1, 9, 30, 0)

# The real CLI, optionally with its clock stopped at one second and/or killed at a given step.
WRAPPER = r"""
import datetime as dt, os, signal, sys
from dashboard.dataio import publish
if os.environ.get("FIXED_NOW"):
    fixed = dt.datetime.fromisoformat(os.environ["FIXED_NOW"])
    publish._now = lambda: fixed
kill_at = os.environ.get("KILL_AT")
if kill_at:
    original = publish.Store._point_to
    def point_to(self, vid):
        if kill_at == "before_point":
            os.kill(os.getpid(), signal.SIGKILL)
        original(self, vid)
        if kill_at == "after_point":
            os.kill(os.getpid(), signal.SIGKILL)
    publish.Store._point_to = point_to
from dashboard import cli
sys.exit(cli.main(sys.argv[1:]))
"""


def start_cli(args: list[str], cwd: Path, **env) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRAPPER, *args], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT), **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def start_cli_logged(args: list[str], log: Path, **env) -> subprocess.Popen:
    """Like start_cli, stdout and stderr going to log.out / log.err (readable while it runs)."""
    with open(f"{log}.out", "w") as o, open(f"{log}.err", "w") as e:
        return subprocess.Popen([sys.executable, "-c", WRAPPER, *args], cwd=ROOT,
                                env={**os.environ, "PYTHONPATH": str(ROOT), **env}, stdout=o, stderr=e)


def upload(small_tables, d: Path, name: str, first: int, n: int) -> tuple[Path, set[str]]:
    """2026Q3 企业党建 for enterprises [first, first + n): replaces that quarter (update mode)."""
    df = small_tables["enterprise_party"].filter(pl.col("quarter_end") == Q3).sort("enterprise_id").slice(first, n)
    return write_xlsx(d / name, {"企业党建": sheet_rows("enterprise_party", df)}), set(df["enterprise_id"])


def live_party(w: Path) -> tuple[str, set[str]]:
    con = duckdb.connect(str(w.resolve()), read_only=True)
    try:
        version = con.sql("SELECT value FROM meta WHERE key = 'data_version'").fetchall()[0][0]
        ids = {r[0] for r in con.sql("SELECT enterprise_id FROM enterprise_party WHERE quarter_end = $q",
                                     params={"q": Q3}).fetchall()}
        return version, ids
    finally:
        con.close()


def wait_for(cond, timeout: float = 120.0, what: str = "") -> None:
    t0 = time.monotonic()
    while not cond():
        if time.monotonic() - t0 > timeout:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.mark.parametrize("same_second", [False, True], ids=["together", "same-second"])
def test_two_cli_imports_started_together(small_db, small_tables, tmp_path, same_second):
    """Both start while a third party holds the lock, so they really run into each other; then they are
    released together. Each publishes its own version, in turn; the live data is the last one's."""
    a, a_ids = upload(small_tables, tmp_path, "a.xlsx", 0, 12)
    b, b_ids = upload(small_tables, tmp_path, "b.xlsx", 100, 25)
    store = pub.Store(small_db)
    store.dir.mkdir(parents=True, exist_ok=True)
    gate = filelock.FileLock(str(store.lock_path), preserve_lock_file=True)
    env = {"FIXED_NOW": SAME_SECOND.isoformat()} if same_second else {}
    gate.acquire()
    procs = {}
    try:
        procs = {name: start_cli_logged(["--db", str(small_db), "import", str(f)], tmp_path / name, **env)
                 for name, f in (("a", a), ("b", b))}
        for name in procs:               # both reached the lock and say they wait for another import
            wait_for(lambda: "等待其完成" in Path(f"{tmp_path / name}.err").read_text("utf-8"), what=name)
        assert all(p.poll() is None for p in procs.values())
    finally:
        gate.release()
    for p in procs.values():
        p.wait(timeout=600)
    outs = {name: (Path(f"{tmp_path / name}.out").read_text("utf-8"), Path(f"{tmp_path / name}.err").read_text("utf-8"))
            for name in procs}
    for name, p in procs.items():
        assert p.returncode == 0, (name, outs[name])
        assert "Traceback" not in outs[name][1]
    published = [e for e in reversed(store.log()) if e["result"] == "已发布"]
    assert len(published) == 2
    first, last = published[0]["version"], published[1]["version"]
    assert first != last                                              # unique even within the same second
    if same_second:
        stamp = SAME_SECOND.strftime("v%Y%m%d-%H%M%S")
        assert sorted([first, last]) == sorted([stamp, f"{stamp}-2"])
    who = {pub_e["version"]: name for pub_e in published for name, f in (("a", "a.xlsx"), ("b", "b.xlsx"))
           if pub_e["files"][0]["name"] == f}
    # each caller was told exactly its version and what it was based on
    for vid, name in who.items():
        out = outs[name][0]
        assert f"已发布新版本 {vid}" in out, out
    assert f"在版本 {first}基础上" in outs[who[last]][0]
    # the live data is exactly the last publisher's: its quarter replaced the other's
    version, ids = live_party(small_db)
    assert version == last == store.current_id()
    assert ids == (a_ids if who[last] == "a" else b_ids)
    # `versions` lists the two published versions and the initial one — nothing else
    listed = [v.id for v in store.versions()]
    assert listed[:2] == [last, first] and len(listed) == 3 and store.versions()[2].kind == "initial"
    assert not list(store.dir.glob(".*.reserved")) and not list(store.dir.glob(".*.pending"))


def test_page_flow_refused_when_another_import_published_in_between(small_db, small_tables, tmp_path, monkeypatch):
    """Two staff check and preview at the same second; A publishes; B's 发布 is refused naming A's version,
    B's candidate is deleted at once, and only A's data is live."""
    monkeypatch.setattr(pub, "_now", lambda: SAME_SECOND)
    a, a_ids = upload(small_tables, tmp_path, "a.xlsx", 0, 12)
    b, b_ids = upload(small_tables, tmp_path, "b.xlsx", 100, 25)
    ra, rb = pub.check([a], small_db, "update"), pub.check([b], small_db, "update")
    errors = []

    def build(r):
        try:
            pub.build_candidate(r)
        except Exception as e:  # noqa: BLE001
            errors.append(e)
    threads = [threading.Thread(target=build, args=(r,)) for r in (ra, rb)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert ra.version != rb.version and ra.candidate != rb.candidate
    assert {ra.version, rb.version} == {"v20261001-093000", "v20261001-093000-2"}
    assert live_party(ra.candidate)[1] == a_ids and live_party(rb.candidate)[1] == b_ids

    pub.publish(ra)
    assert ra.published and "驾驶舱与大屏现在显示该版本" in ra.message
    with pytest.raises(pub.PublishError) as refused:
        pub.publish(rb)
    text = str(refused.value)
    assert f"当前显示的是版本 {ra.version}" in text and "已删除" in text
    assert not rb.published and not Path(rb.store.file(rb.version)).exists()     # removed at once
    assert not rb.store.reservation(rb.version).exists()
    store = pub.Store(small_db)
    assert [v.id for v in store.versions()][0] == ra.version and rb.version not in [v.id for v in store.versions()]
    assert live_party(small_db) == (ra.version, a_ids)
    assert store.log()[0]["result"].startswith("未发布") and store.log()[0]["live"] == ra.version


def test_an_import_that_cannot_wait_is_refused_in_chinese(small_db, small_tables, tmp_path):
    a, _ = upload(small_tables, tmp_path, "a.xlsx", 0, 12)
    before = sha(small_db)
    store = pub.Store(small_db)
    store.dir.mkdir(parents=True, exist_ok=True)
    with filelock.FileLock(str(store.lock_path), preserve_lock_file=True):
        p = start_cli(["--db", str(small_db), "import", str(a), "--wait", "1"], tmp_path)
        out, err = p.communicate(timeout=300)
    assert p.returncode == 3, (out, err)
    assert "另一项数据导入正在进行" in err and "等待 1 秒后仍未结束" in err and "当前数据未作改动" in err
    assert "Traceback" not in err
    assert sha(small_db) == before and store.versions() == []


def test_kill_between_record_and_publish_leaves_no_version(small_db, small_tables, tmp_path):
    """SIGKILL after the record is written but before the warehouse points to the new file: `versions` does
    not list it, and the next locked operation removes its pending record and file."""
    a, _ = upload(small_tables, tmp_path, "a.xlsx", 0, 12)
    before = sha(small_db)
    p = start_cli(["--db", str(small_db), "import", str(a)], tmp_path, KILL_AT="before_point")
    p.communicate(timeout=300)
    assert p.returncode == -signal.SIGKILL
    store = pub.Store(small_db)
    pending = list(store.dir.glob(".v*.json.pending"))
    assert len(pending) == 1                                          # the kill really hit that step
    vid = pending[0].name[1:].split(".json")[0]
    assert vid not in [v.id for v in store.versions()]
    assert sha(small_db) == before
    listed = subprocess.run([sys.executable, "-m", "dashboard", "--db", str(small_db), "versions"], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True)
    assert vid not in listed.stdout
    b, b_ids = upload(small_tables, tmp_path, "b.xlsx", 100, 25)
    res = pub.import_files([b], small_db)
    assert res.published and live_party(small_db) == (res.version, b_ids)
    assert not pending[0].exists() and not store.file(vid).exists() and not store.reservation(vid).exists()
    assert vid not in [v.id for v in store.versions()]


def test_kill_right_after_publishing_keeps_the_live_version_listed(small_db, small_tables, tmp_path):
    """SIGKILL right after the warehouse points to the new file (record still pending): it is live, so it is
    a version — listed as current — and its record is completed by the next locked operation."""
    a, a_ids = upload(small_tables, tmp_path, "a.xlsx", 0, 12)
    p = start_cli(["--db", str(small_db), "import", str(a)], tmp_path, KILL_AT="after_point")
    p.communicate(timeout=300)
    assert p.returncode == -signal.SIGKILL
    store = pub.Store(small_db)
    version, ids = live_party(small_db)
    assert ids == a_ids and store.pending(version).exists() and not store.record(version).exists()
    assert store.versions()[0].id == version and store.versions()[0].current
    with store.lock():
        store.recover()
    assert store.record(version).exists() and not store.pending(version).exists()
    assert json.loads(store.record(version).read_text(encoding="utf-8"))["files"][0]["name"] == "a.xlsx"
