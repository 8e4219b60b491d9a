"""Demo accounts and real data: created once for the demo warehouse, refused publishing until a real
data_admin exists, switched off for good by the first publish; publish and rollback are audited."""
from __future__ import annotations

import pytest

from auth_support import state_store
from dashboard import db
from dashboard.auth import accounts, audit
from dashboard.auth.cli import DEMO_PASSWORD, DEMO_USERS
from dashboard.dataio import publish as pub
from test_dataio import (  # noqa: F401  (fixtures)
    demo_tables, party_upload, sheet_rows, small_db, small_file, small_tables, write_xlsx,
)
from test_dataio_publish import run_cli, upload


@pytest.fixture()
def empty_store(tmp_path):
    with state_store(f"sqlite:///{tmp_path}/state.db") as eng:
        yield eng


def test_demo_accounts_then_real_data(empty_store, small_db, small_tables, tmp_path):
    rc, out, _ = run_cli(["--db", str(small_db), "users", "demo"])
    assert rc == 0 and DEMO_PASSWORD in out
    for name, role, scope, _ in DEMO_USERS:
        assert name in out
        u = accounts.get(name)
        assert u.role == role and u.is_demo and not u.disabled and ",".join(u.scope) == scope
    rc, out, _ = run_cli(["--db", str(small_db), "users", "demo"])
    assert rc == 0 and DEMO_PASSWORD not in out                 # printed once only
    demo_session = accounts.authenticate("demo_leader", DEMO_PASSWORD)

    # no real data_admin yet (the demo one does not count): publishing real data is refused
    with pytest.raises(pub.PublishError, match="尚未建立正式的数据管理员账号"):
        pub.import_files([upload(small_tables, tmp_path, 12)], small_db)
    assert ("publish", "失败") in [(r["action"], r["result"]) for r in audit.query()]

    accounts.add_user("zhao", "data_admin", "Real2026data", temporary=False)
    res = pub.import_files([upload(small_tables, tmp_path, 12, "b.xlsx")], small_db)
    assert res.published
    for name, *_ in DEMO_USERS:
        assert accounts.get(name).disabled
    assert accounts.session_by_id(demo_session.id)[0] is None    # their sessions end at once
    with pytest.raises(accounts.AuthError, match="已停用"):
        accounts.authenticate("demo_leader", DEMO_PASSWORD)
    rc, out, _ = run_cli(["--db", str(small_db), "users", "demo"])
    assert rc == 0 and DEMO_PASSWORD not in out                 # never again

    first = pub.Store(small_db).versions()[-1].id
    pub.rollback(first, small_db)
    db.close_all()
    recs = audit.query()
    acts = [(r["action"], r["result"]) for r in recs]
    assert ("publish", "成功") in acts and ("rollback", "成功") in acts and ("demo_disable", "成功") in acts
    pubrec = next(r for r in recs if r["action"] == "publish" and r["result"] == "成功")
    assert pubrec["user"].startswith("cli:") and pubrec["detail"]["version"] == res.version
    assert audit.verify().ok
