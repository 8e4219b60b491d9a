"""The load benchmark (`python -m dashboard bench --load`) against the ×1 warehouse: a real server it
starts itself, real websocket sessions. No timing is asserted — what must hold is 0 errors, every page
reached, the figures printed, and the pages' data stamp equal to the warehouse's own meta."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT, scalar

sys.path.insert(0, ROOT)


def test_load_bench_three_sessions(warehouse_path, raw, tmp_path):
    from dashboard import nav
    from tools.bench.load import default_pages

    out = tmp_path / "load.json"
    p = subprocess.run(
        [sys.executable, "-m", "dashboard", "--db", warehouse_path, "bench", "--load", "--sessions", "3",
         "--think", "0", "--duration", "10", "--idle-sessions", "2", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert p.returncode == 0, p.stdout[-4000:] + p.stderr[-4000:]
    res = json.loads(out.read_text(encoding="utf-8"))

    assert res["errors"] == 0, res["error_samples"]
    assert res["reconnects"] == 0
    assert res["sessions"] == 3 and res["wall_s"] >= 10
    # Each session signed in once with an account of its own (a leader, a chain and a park account),
    # through the login form and the cookie route.
    assert [a["role"] for a in res["accounts"]] == ["leader", "chain", "park"]
    assert len({a["name"] for a in res["accounts"]}) == 3
    assert res["logins"] == 3 and res["login_errors"] == 0
    # … read back from the store the server used (this test session's): each account has a session whose
    # cookie was handed over (token set), a login audit record, and was disabled after the benchmark.
    import sqlalchemy as sa

    from dashboard.auth import store
    with store.engine().connect() as c:
        for acc in res["accounts"]:
            uid, disabled = c.execute(sa.select(store.users.c.id, store.users.c.disabled)
                                      .where(store.users.c.name == acc["name"])).one()
            assert disabled
            assert c.execute(sa.select(sa.func.count()).select_from(store.sessions).where(
                (store.sessions.c.user_id == uid) & store.sessions.c.token_hash.is_not(None))).scalar() >= 1
            assert c.execute(sa.select(sa.func.count()).select_from(store.audit_log).where(
                (store.audit_log.c.user == acc["name"]) & (store.audit_log.c.action == "login"))).scalar() >= 1
    from dashboard.auth import roles
    # Every page those roles may open was run and finished (asked for, run by the server) — and no other.
    may = {p for p in default_pages() if any(roles.may_open(r, p) for r in ("leader", "chain", "park"))}
    assert set(res["pages_reached"]) == set(res["pages_expected"]) == may
    assert "data" not in may and "accounts" not in may and "audit" not in may
    titles = {title for _, _, title, _, url in nav.existing() if url in may}
    # 总览 leaves its charts and the end of its 督办 list for after the first paint: each session reports
    # that paint once (as its browser would) and the page runs again, whole.
    assert res["painted_runs"] == 3
    assert {row["page"] for row in res["pages"]} == titles | {"总览(首屏后补全)"}
    assert all(row["runs"] >= 1 and row["errors"] == 0 for row in res["pages"])
    # Each session was sent round every page at least once (offsets spread the 3 sessions over the list).
    assert res["runs"] >= len(titles)

    # The figures are there and consistent with each other.
    assert res["runs_per_s"] > 0 and res["p50_ms"] > 0 and res["p95_ms"] >= res["p50_ms"]
    assert res["bytes_total"] >= res["bytes_per_run"] * res["runs"] * 0.99
    server = res["server"]
    assert 50 < server["rss_start_mb"] <= server["rss_peak_mb"] and server["rss_end_mb"] > 50
    idle = res["idle"]
    assert idle["idle_sessions"] == 2 and idle["errors"] == 0
    assert abs(idle["mb_per_idle_session"] - (idle["rss_after_mb"] - idle["rss_before_mb"]) / 2) < 0.1

    # What the pages showed: the data stamp of this warehouse, read independently from its meta table.
    as_of = scalar(raw, "SELECT value FROM meta WHERE key = 'as_of'")
    assert res["stamps"] == [f"{as_of} · 演示数据"]

    # The printed report: one row per page, the totals, memory.
    text = p.stdout
    for title in titles:
        assert any(line.startswith(title) for line in text.splitlines()), title
    for needle in ("p50", "p95", "次/秒", "KB", "服务端内存 RSS", "空闲会话内存", "错误 0"):
        assert needle in text, needle
