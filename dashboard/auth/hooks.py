"""What the data import (dashboard.dataio) asks of accounts: may real data be published now, and
what follows a publish or a rollback (audit records; demo accounts switched off for good)."""
from __future__ import annotations

import getpass

from . import accounts, audit, store


def actor() -> tuple[str, str]:
    """(user, role) of whoever runs this: the signed-in page user, else the OS user of the CLI."""
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
        ctx = get_script_run_ctx(suppress_warning=True)
        if ctx is not None:
            a = ctx.session_state["_auth"] if "_auth" in ctx.session_state else None
            if a:
                return a.get("name", ""), a.get("role", "")
    except Exception:  # noqa: BLE001
        pass
    try:
        return f"cli:{getpass.getuser()}", "cli"
    except Exception:  # noqa: BLE001
        return "cli:?", "cli"


def publish_refusal() -> str | None:
    """Why real data may not be published now (None: it may)."""
    if not accounts.real_data_admin_exists():
        return ("尚未建立正式的数据管理员账号:导入真实数据前,请系统管理员先新建一个数据管理员账号"
                "(python -m dashboard users add NAME --role data_admin --password-stdin),演示账号不能发布真实数据。")
    return None


def after_publish(version: str, files: list[str], result: str = audit.OK, **detail) -> None:
    user, role = actor()
    audit.record("publish", user, role, result, version=version, files="、".join(files), **detail)
    if result == audit.OK:
        store.set_setting("real_data_imported", "1")
        accounts.disable_demo_accounts()


def after_import_check(ok: bool, files: list[str], **detail) -> None:
    user, role = actor()
    audit.record("import", user, role, audit.OK if ok else audit.FAIL, files="、".join(files), **detail)


def after_rollback(version: str, before: str | None) -> None:
    user, role = actor()
    audit.record("rollback", user, role, version=version, before=before or "")
