"""Accounts, lockout, sessions, kiosk tokens, the hash-chained audit log and the CLI — on SQLite and on
a real PostgreSQL started by the test (loopback port, torn down after)."""
from __future__ import annotations

import datetime as dt
import io
import json
import sys

import pytest
import sqlalchemy as sa

from auth_support import PgCluster, pg_unavailable_reason, state_store
from dashboard import cli
from dashboard.auth import accounts, audit, store
from dashboard.scope import Grant, ScopeDenied, granted

PW = "Secret2026x"


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_store(request, tmp_path):
    """An empty store: a new SQLite file, or a database in a throw-away PostgreSQL cluster."""
    if request.param == "sqlite":
        with state_store(f"sqlite:///{tmp_path}/state.db") as eng:
            yield eng
        return
    reason = pg_unavailable_reason()
    if reason:
        pytest.skip(reason)
    pg = PgCluster()
    try:
        url = pg.start()
        with state_store(url) as eng:
            assert eng.dialect.name == "postgresql"
            yield eng
            eng.dispose()
    finally:
        pg.stop()


def _actions(since_id: int = 0) -> list[tuple[str, str, str]]:
    return [(r["action"], r["user"], r["result"]) for r in reversed(audit.query()) if r["id"] > since_id]


def test_accounts_lockout_sessions_tokens_and_audit(fresh_store, monkeypatch):
    # password policy and Argon2
    with pytest.raises(accounts.AuthError, match="至少 8 位"):
        accounts.add_user("a1", "leader", "abc123")
    with pytest.raises(accounts.AuthError, match="字母和数字"):
        accounts.add_user("a1", "leader", "abcdefghij")
    with pytest.raises(accounts.AuthError, match="必须指定授权范围"):
        accounts.add_user("c1", "chain", PW)
    u = accounts.add_user("c1", "chain", PW, "C02,C05", display_name="链专班")
    assert u.must_change and u.chains == ("C02", "C05") and u.grant() == Grant.of(["C02", "C05"])
    with store.engine().connect() as c:
        h = c.execute(sa.select(store.users.c.password_hash).where(store.users.c.name == "c1")).scalar()
    assert h.startswith("$argon2id$") and PW not in h

    # login, forced change, session by id / cookie token
    s = accounts.authenticate("c1", PW)
    accounts.change_password(s.user, PW, "Changed2026y")
    assert not accounts.get("c1").must_change
    token = accounts.redeem_handoff(accounts.issue_handoff(s.id))
    assert token and accounts.redeem_handoff("nonsense") is None
    assert accounts.session_by_token(token)[0].id == s.id
    with store.engine().connect() as c:       # only the hash of the cookie value is stored
        assert c.execute(sa.select(sa.func.count()).select_from(store.sessions)
                         .where(store.sessions.c.token_hash == token)).scalar() == 0

    # 5 wrong passwords lock the account for 15 minutes, even for the right password
    for i in range(4):
        with pytest.raises(accounts.AuthError, match="用户名或密码错误"):
            accounts.authenticate("c1", "Wrong0000")
    with pytest.raises(accounts.AuthError, match="账号已锁定"):
        accounts.authenticate("c1", "Wrong0000")
    with pytest.raises(accounts.AuthError, match="账号已锁定"):
        accounts.authenticate("c1", "Changed2026y")
    with store.engine().begin() as c:          # 15 minutes later
        c.execute(store.users.update().values(locked_until=store.now() - dt.timedelta(seconds=1)))
    s2 = accounts.authenticate("c1", "Changed2026y")

    # idle expiry (30 minutes by default; configurable)
    with store.engine().begin() as c:
        c.execute(store.sessions.update().where(store.sessions.c.id == s2.id)
                  .values(last_seen=store.now() - dt.timedelta(minutes=31)))
    assert accounts.session_by_id(s2.id) == (None, "idle")
    monkeypatch.setenv("DASHBOARD_IDLE_MINUTES", "120")
    s3 = accounts.authenticate("c1", "Changed2026y")
    with store.engine().begin() as c:
        c.execute(store.sessions.update().where(store.sessions.c.id == s3.id)
                  .values(last_seen=store.now() - dt.timedelta(minutes=31)))
    assert accounts.session_by_id(s3.id)[0] is not None
    accounts.end_session(s3.id)                        # 退出登录
    assert accounts.session_by_id(s3.id) == (None, "logout")

    # disabling ends sessions; grant changes end them too
    s4 = accounts.authenticate("c1", "Changed2026y")
    accounts.set_disabled("c1", True)
    assert accounts.session_by_id(s4.id)[0] is None
    with pytest.raises(accounts.AuthError, match="已停用"):
        accounts.authenticate("c1", "Changed2026y")
    accounts.set_disabled("c1", False)
    assert accounts.set_grant("c1", "park", "P03").grant() == Grant.of(parks=["P03"])
    accounts.add_user("admin1", "sys_admin", PW)
    with pytest.raises(accounts.AuthError, match="不能修改自己"):        # 三权分立
        accounts.set_grant("admin1", "auditor", None, by="admin1", by_role="sys_admin")
    with pytest.raises(accounts.AuthError, match="不能修改自己"):
        accounts.set_disabled("admin1", True, by="admin1")

    # kiosk tokens: valid until revoked; last use recorded
    tok = accounts.create_token("一号屏")
    assert accounts.check_token(tok)["name"] == "一号屏"
    assert accounts.list_tokens()[0]["last_used_at"] is not None
    accounts.revoke_token("一号屏")
    assert accounts.check_token(tok) is None

    acts = [a for a, _, _ in _actions()]
    for want in ("user_add", "login", "password_change", "login_failed", "lockout", "session_expired",
                 "user_disable", "user_enable", "grant", "token_create", "token_revoke"):
        assert want in acts, want
    assert ("login_failed", "c1", "失败") in _actions()
    assert audit.verify().ok


def test_the_audit_chain_detects_edits_and_deletions(fresh_store):
    for i in range(6):
        audit.record("view", f"u{i}", "leader", page="overview", n=i)
    v = audit.verify()
    assert v.ok and v.n == 6
    t = store.audit_log
    with store.engine().begin() as c:              # someone edits a record in the store
        c.execute(t.update().where(t.c.id == 3).values(user="someone_else"))
    v = audit.verify()
    assert not v.ok and any("第 3 号" in p and "修改" in p for p in v.problems)
    with store.engine().begin() as c:              # … puts it back, then deletes one in the middle
        c.execute(t.update().where(t.c.id == 3).values(user="u2"))
    assert audit.verify().ok
    with store.engine().begin() as c:
        c.execute(t.delete().where(t.c.id == 4))
    v = audit.verify()
    assert not v.ok and any("缺失" in p for p in v.problems)


def test_deleting_the_last_records_is_detected(fresh_store):
    for i in range(3):
        audit.record("login", "u", "leader")
    with store.engine().begin() as c:
        c.execute(store.audit_log.delete().where(store.audit_log.c.id == 3))
    v = audit.verify()
    assert not v.ok and any("链尾" in p for p in v.problems)


def test_recomputing_hashes_without_the_key_is_detected(fresh_store):
    import hashlib
    audit.record("login", "u", "leader")
    t = store.audit_log
    with store.engine().begin() as c:     # a forger recomputes a plain SHA-256: wrong without the key
        r = c.execute(sa.select(t)).first()
        fake = hashlib.sha256((r.prev_hash + "x").encode()).hexdigest()
        c.execute(t.update().values(action="logout", hash=fake))
        c.execute(store.audit_head.update().values(last_hash=fake))
    assert not audit.verify().ok


def test_grant_checks_every_scope_parameter(warehouse_path, raw):
    from dashboard import db
    q = dt.date(2026, 9, 30)
    chain = Grant.of(["C02"])
    on_c02 = raw.sql("SELECT enterprise_id FROM enterprise_chains WHERE chain_id = 'C02' LIMIT 1").fetchall()[0][0]
    off = raw.sql("""SELECT enterprise_id FROM enterprises WHERE enterprise_id NOT IN
                     (SELECT enterprise_id FROM enterprise_chains WHERE chain_id = 'C02') LIMIT 1""").fetchall()[0][0]
    with granted(chain):
        assert db.run_query("shared/kpi_trend", quarter_end=q, chain_id="C02", park_id="*").height
        assert db.run_query("shared/kpi_trend", quarter_end=q, chain_id="C02", park_id="P07").height
        for c, p in (("*", "*"), ("C05", "*"), ("*", "P01"), ("C05", "P01")):
            with pytest.raises(ScopeDenied):
                db.run_query("shared/kpi_trend", quarter_end=q, chain_id=c, park_id=p)
        # no scope parameter (all scopes): a per-scope result gives this grant its own rows only
        with granted(Grant.of(["C08"])):        # 美妆大健康 lags its targets in the demo data
            alerts = db.run_query("targets/items", quarter_end=q, chain_id="*", park_id="*")
        assert alerts.height and set(alerts["chain_id"].to_list()) == {"C08"}
        assert not Grant.of(["C02"]).allows("*", "*")
        with pytest.raises(ScopeDenied):
            Grant.of(["C02"]).check("some/district_total", {"quarter_end": q})
        assert db.run_query("enterprise/profile", enterprise_id=on_c02).height == 1
        with pytest.raises(ScopeDenied, match="无权查看该企业"):
            db.run_query("enterprise/profile", enterprise_id=off)
        with pytest.raises(ScopeDenied):
            db.execute("enterprise/profile", {"enterprise_id": off})
        ranking = db.run_query("overview/chain_ranking", quarter_end=q, park_id="*")   # one row per chain
        assert ranking["chain_id"].to_list() == ["C02"]
    with granted(Grant.none()):
        with pytest.raises(ScopeDenied):
            db.run_query("shared/chains")
    assert db.run_query("shared/kpi_trend", quarter_end=q, chain_id="*", park_id="*").height   # CLI: all


def test_cli_users_tokens_and_audit(fresh_store, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("Temp2026pass\n"))
    assert cli.main(["users", "add", "wang", "--role", "chain", "--scope", "C02,P01", "--password-stdin"]) == 0
    assert "已新建账号 wang" in capsys.readouterr().out
    assert accounts.get("wang").scope == ("C02", "P01")
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert cli.main(["users", "add", "li", "--role", "park", "--scope", "P01", "--password-stdin"]) == 2
    assert "密码至少 8 位" in capsys.readouterr().err
    assert cli.main(["users", "add", "li", "--role", "park", "--scope", "P01"]) == 2
    assert "--password-stdin" in capsys.readouterr().err
    assert cli.main(["users", "disable", "wang"]) == 0 and accounts.get("wang").disabled
    assert cli.main(["users", "enable", "wang"]) == 0 and not accounts.get("wang").disabled
    assert cli.main(["users", "grant", "wang", "--scope", "C05"]) == 0 and accounts.get("wang").scope == ("C05",)
    monkeypatch.setattr(sys, "stdin", io.StringIO("Reset2026pass\n"))
    assert cli.main(["users", "reset-password", "wang", "--password-stdin"]) == 0
    assert accounts.authenticate("wang", "Reset2026pass").user.must_change
    capsys.readouterr()
    assert cli.main(["users", "list", "--json"]) == 0
    assert [u["name"] for u in json.loads(capsys.readouterr().out)] == ["wang"]
    assert cli.main(["users", "disable", "nobody"]) == 2
    assert "没有用户 nobody" in capsys.readouterr().err

    assert cli.main(["kiosk-token", "create", "--name", "指挥大厅"]) == 0
    tok = capsys.readouterr().out.split("token=")[1].split()[0]
    assert accounts.check_token(tok)
    assert cli.main(["kiosk-token", "list"]) == 0 and "指挥大厅" in capsys.readouterr().out
    assert cli.main(["kiosk-token", "revoke", "指挥大厅"]) == 0 and accounts.check_token(tok) is None
    capsys.readouterr()

    assert cli.main(["audit", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["verification"]["ok"] and out["records"]
    assert {"at", "user", "action", "detail"} <= set(out["records"][0])
    acts = {r["action"] for r in out["records"]}
    assert {"user_add", "user_disable", "user_enable", "grant", "password_reset", "login",
            "token_create", "token_revoke"} <= acts
    assert all(r["user"].startswith("cli:") for r in out["records"] if r["action"] == "user_add")
    assert cli.main(["audit", "--user", "wang", "--json"]) == 0
    assert {r["user"] for r in json.loads(capsys.readouterr().out)["records"]} == {"wang"}
    assert cli.main(["audit", "--since", "2999-01-01"]) == 0
    assert "共 0 条" in capsys.readouterr().out
    assert cli.main(["audit", "--since", "yesterday"]) == 2
    with store.engine().begin() as c:
        c.execute(store.audit_log.delete().where(store.audit_log.c.id == 2))
    assert cli.main(["audit"]) == 3
    assert "校验失败" in capsys.readouterr().out
