"""The Streamlit side of accounts: who is asking (session, cookie, single sign-on, kiosk token),
the login and password-change forms, logout, page-view audit, the watermark, audited downloads.

Session state holds `_auth` (who) and `scope.GRANT_KEY` (their Grant); the query loader reads only
the grant. The shell (streamlit_app.py) calls `resolve()` at the top of every run.
"""
from __future__ import annotations

import datetime as dt
import html
import secrets
import urllib.parse
from pathlib import Path

import streamlit as st

from .. import safe, scope
from . import accounts, audit, roles
from .routes import COOKIE, LOGOUT_PATH, SESSION_PATH

AUTH_KEY = "_auth"
NOTICE_KEY = "_auth_notice"
HANDOFF_KEY = "_auth_handoff"
LAST_VIEW_KEY = "_auth_last_view"
SSO_KEY = "sso_user"          # server.trustedUserHeaders = {"<header>": "sso_user"}
TOKEN_PARAM = "token"

_JS = (Path(__file__).with_name("cookie.js")).read_text(encoding="utf-8")
_COOKIE_SYNC = None

REASONS = {
    "idle": "会话已超时({mins:g} 分钟无操作),请重新登录。",
    "disabled": "账号已停用,请联系系统管理员。",
    "password_reset": "密码已被重置,请重新登录。",
    "grant_changed": "账号权限已调整,请重新登录。",
    "demo_disabled": "演示账号已停用(已导入真实数据)。",
    "logout": "已退出登录。",
}


def _cookie_sync():
    global _COOKIE_SYNC
    if _COOKIE_SYNC is None:
        _COOKIE_SYNC = st.components.v2.component("lz_session_cookie", js=_JS)
    return _COOKIE_SYNC


# ------------------------------------------------------------------------------------------ state
def _set(auth: dict, grant: scope.Grant) -> None:
    st.session_state[AUTH_KEY] = auth
    st.session_state[scope.GRANT_KEY] = grant


def _clear() -> None:
    for k in (AUTH_KEY, scope.GRANT_KEY, LAST_VIEW_KEY):
        st.session_state.pop(k, None)


def state_for(session: accounts.Session) -> dict:
    """The session-state entries of a signed-in session (what a login puts there; tests inject it)."""
    u = session.user
    return {AUTH_KEY: {"kind": "user", "session_id": session.id, "user_id": u.id, "name": u.name,
                       "display": u.display_name, "role": u.role, "must_change": u.must_change,
                       "scope": list(u.scope), "is_demo": u.is_demo},
            scope.GRANT_KEY: u.grant()}


def _adopt(session: accounts.Session) -> dict:
    for k, v in state_for(session).items():
        st.session_state[k] = v
    return st.session_state[AUTH_KEY]


def who() -> dict | None:
    return st.session_state.get(AUTH_KEY)


def _query_token() -> str | None:
    v = st.query_params.get(TOKEN_PARAM)
    return str(v) if v else None


def resolve(url_path: str | None = None) -> dict | None:
    """Who is asking, checked against the store on every run (an ended, expired or revoked session
    stops at once). None = anonymous (show the login form)."""
    a = who()
    if a is not None:
        if a["kind"] == "kiosk":
            row = accounts.check_token(a["token"], touch=False)
            if row is not None:
                return a
            _clear()
            st.session_state[NOTICE_KEY] = "大屏令牌已被吊销。"
        else:
            s, reason = accounts.session_by_id(a["session_id"], touch=True)
            if s is not None:
                return _adopt(s)
            _clear()
            st.session_state[NOTICE_KEY] = REASONS.get(reason, "会话已结束,请重新登录。").format(
                mins=accounts.idle_minutes())
            return None
    token = _query_token()
    if token:
        row = accounts.check_token(token)
        if row is None:
            audit.record("kiosk_denied", "", roles.KIOSK, audit.FAIL, page=url_path or "")
            st.session_state[NOTICE_KEY] = "大屏令牌无效或已被吊销。"
        else:
            a = {"kind": "kiosk", "token": token, "token_id": row["id"], "name": f"大屏令牌:{row['name']}",
                 "display": f"大屏 {row['name']}", "role": roles.KIOSK, "must_change": False}
            _set(a, scope.Grant.full())
            audit.record("kiosk_open", a["name"], roles.KIOSK, token_id=row["id"], page=url_path or "")
            return a
    cookie = _cookie_value()
    if cookie:
        s, _reason = accounts.session_by_token(cookie, touch=True)
        if s is not None:
            return _adopt(s)
    sso = _sso_name()
    if sso:
        try:
            s = accounts.sso_session(sso, SSO_KEY)
        except accounts.AuthError as e:
            st.session_state[NOTICE_KEY] = str(e)
            return None
        st.session_state[HANDOFF_KEY] = accounts.issue_handoff(s.id)
        return _adopt(s)
    return None


def still_valid() -> None:
    """For code that runs without the shell (fragment reruns): raise ScopeDenied once the session or
    token behind this grant has ended (checked at most every 15 s)."""
    import time
    a = who()
    if a is None:
        raise scope.ScopeDenied("请先登录。")
    now = time.monotonic()
    if now - st.session_state.get("_auth_checked", 0.0) < 15:
        return
    st.session_state["_auth_checked"] = now
    ok = (accounts.check_token(a["token"], touch=False) is not None if a["kind"] == "kiosk"
          else accounts.session_by_id(a["session_id"], touch=False)[0] is not None)
    if not ok:
        _clear()
        raise scope.ScopeDenied("会话已结束。")


def _cookie_value() -> str | None:
    try:
        v = st.context.cookies.get(COOKIE)
    except Exception:  # noqa: BLE001 - no request context (AppTest)
        return None
    return v if isinstance(v, str) and v else None


def _sso_name() -> str | None:
    try:
        v = st.user.get(SSO_KEY)
    except Exception:  # noqa: BLE001
        return None
    return v.strip() if isinstance(v, str) and v.strip() else None


# ------------------------------------------------------------------------------------------ login / logout
def _do_login() -> None:
    name = st.session_state.get("login_user", "")
    pw = st.session_state.get("login_password", "")
    st.session_state["login_password"] = ""
    try:
        s = accounts.authenticate(name, pw)
    except accounts.AuthError as e:
        st.session_state[NOTICE_KEY] = str(e)
        return
    st.session_state.pop(NOTICE_KEY, None)
    st.session_state[HANDOFF_KEY] = accounts.issue_handoff(s.id)
    _adopt(s)


def login_form() -> None:
    """The login page body (用户名 / 密码 / 登录)."""
    _, mid, _ = st.columns([1, 1.2, 1])
    with mid:
        st.markdown("## 链长制 · 党建引领监测驾驶舱")
        st.caption("请使用本单位分配的账号登录。连续 5 次密码错误将锁定账号 15 分钟;"
                   f"{accounts.idle_minutes():g} 分钟无操作将自动退出。")
        notice = st.session_state.get(NOTICE_KEY)
        if notice:
            (st.info if notice == REASONS["logout"] else st.error)(notice)
        with st.form("login", border=True):
            st.text_input("用户名", key="login_user", autocomplete="username")
            st.text_input("密码", type="password", key="login_password", autocomplete="current-password")
            st.form_submit_button("登录", type="primary", on_click=_do_login, width="stretch")


def _do_logout() -> None:
    a = who()
    if a and a["kind"] == "user":
        accounts.end_session(a["session_id"], "logout")
        audit.record("logout", a["name"], a["role"], session=a["session_id"][:8])
    _clear()
    st.session_state[NOTICE_KEY] = REASONS["logout"]
    st.session_state[HANDOFF_KEY] = ""          # "" = clear the cookie


def sidebar_account(a: dict, grant_text: str) -> None:
    with st.sidebar:
        st.divider()
        st.caption(f"当前用户:{a['display']}({roles.label(a['role'])})")
        if grant_text:
            st.caption(f"授权范围:{grant_text}")
        st.button("退出登录", key="logout", icon=":material/logout:", on_click=_do_logout, width="stretch")


def cookie_sync() -> None:
    """Hand the browser what it needs to set (after a login) or clear (after logout) the cookie."""
    if HANDOFF_KEY not in st.session_state:
        return
    code = st.session_state[HANDOFF_KEY]
    ident = st.session_state.setdefault("_auth_handoff_id", secrets.token_hex(4))

    def _done():
        ev = (st.session_state.get("lz_cookie") or {}).get("done") or {}
        if ev.get("id") == st.session_state.get("_auth_handoff_id"):
            st.session_state.pop(HANDOFF_KEY, None)
            st.session_state.pop("_auth_handoff_id", None)

    _cookie_sync()(key="lz_cookie", data={"url": SESSION_PATH if code else LOGOUT_PATH, "code": code, "id": ident},
                   on_done_change=_done)


def password_form(a: dict) -> None:
    """Forced first change of a temporary password."""
    _, mid, _ = st.columns([1, 1.2, 1])
    with mid:
        st.markdown("## 请修改初始密码")
        st.caption("账号使用的是临时密码,须先设置新密码(至少 8 位,同时包含字母和数字)。")
        with st.form("pwchange"):
            old = st.text_input("原密码", type="password")
            new = st.text_input("新密码", type="password")
            again = st.text_input("确认新密码", type="password")
            go = st.form_submit_button("修改密码", type="primary")
        if go:
            if new != again:
                st.error("两次输入的新密码不一致")
                return
            try:
                accounts.change_password(accounts.get_by_id(a["user_id"]), old, new)
            except accounts.AuthError as e:
                st.error(str(e))
                return
            st.session_state[AUTH_KEY] = {**a, "must_change": False}
            st.rerun()


# ------------------------------------------------------------------------------------------ audit helpers
def record_view(url_path: str, **scope_params) -> None:
    """One 'view' record per page and scope (not per rerun)."""
    a = who()
    if a is None:
        return
    key = (url_path, tuple(sorted((k, v) for k, v in scope_params.items() if v)))
    if st.session_state.get(LAST_VIEW_KEY) == key:
        return
    st.session_state[LAST_VIEW_KEY] = key
    audit.record("view", a["name"], a["role"], page=url_path, **{k: v for k, v in scope_params.items() if v})


def record(action: str, result: str = audit.OK, **detail) -> None:
    a = who() or {}
    audit.record(action, a.get("name", ""), a.get("role", ""), result, **detail)


def exporter() -> str:
    """"导出人 · 时间" for files generated now."""
    a = who() or {}
    return f"{a.get('display') or a.get('name') or '—'} · {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}"


def deferred(fn, action: str = "download", **detail):
    """A download callable that runs later (when the browser asks) with this request's grant and user,
    and leaves an audit record."""
    a = dict(who() or {})
    bound = scope.bind(fn)

    def run(*args, **kw):
        try:
            out = bound(*args, **kw)
        except Exception as e:
            audit.record(action, a.get("name", ""), a.get("role", ""), audit.FAIL, error=type(e).__name__, **detail)
            raise
        audit.record(action, a.get("name", ""), a.get("role", ""), audit.OK, **detail)
        return out
    return run


# ------------------------------------------------------------------------------------------ watermark
def watermark_text(a: dict) -> str:
    return f"{a.get('display') or a.get('name')} {dt.date.today().isoformat()}"


def watermark_svg(text: str, dark: bool = False) -> str:
    t = html.escape(text, quote=True)
    fill = "rgba(255,255,255,0.07)" if dark else "rgba(120,120,120,0.10)"
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="360" height="220">'
            f'<text x="20" y="150" transform="rotate(-22 180 110)" font-size="17" '
            f'font-family="Noto Sans CJK SC, Microsoft YaHei, sans-serif" fill="{fill}">{t}</text></svg>')


def watermark_css(text: str) -> safe.Markup:
    uri = "data:image/svg+xml;charset=utf-8," + urllib.parse.quote(watermark_svg(text), safe="")   # %-escaped
    return safe.html("<style>[data-testid=stApp]::after{{content:'';position:fixed;inset:0;pointer-events:none;"
                     "z-index:999990;background-image:url({});background-repeat:repeat;}}</style>", uri)


def watermark(a: dict) -> None:
    st.html(watermark_css(watermark_text(a)))


def require(role: str, stamp: bool = False) -> None:
    """A page for one role only (the navigation already hides it from the others); `stamp`: show the
    data stamp (for the system pages, which have no ui.page header)."""
    a = who()
    if a is None or a.get("role") != role:
        st.error(f"无权访问:本页仅限{roles.label(role)}。")
        st.stop()
    if not stamp:
        return
    from .. import ui
    from ..db import WarehouseError, WarehouseMissing
    try:
        st.html(safe.html("<div style='font-size:0.85rem;opacity:0.8;text-align:right'>{}</div>", ui.stamp_text()))
    except WarehouseMissing:
        pass
    except WarehouseError as e:      # unreadable: say so once; accounts and audit work without the warehouse
        st.error(str(e), icon=":material/database:")


def denied_page(url_path: str):
    """The page a signed-in user gets at the url path of a page their role may not open."""
    def page() -> None:
        st.title("无权访问")
        a = who() or {}
        st.error(f"当前账号({roles.label(a.get('role', ''))})无权访问该页面,请从左侧导航选择可访问的页面。",
                 icon=":material/lock:")
        record("denied", audit.FAIL, page=url_path)
    page.__name__ = f"denied_{url_path.replace('-', '_')}"
    return page


def hide_nav_links(url_paths: list[str]) -> None:
    """Hide the sidebar links of the pages registered only to answer "无权访问"."""
    # url paths are the code's own slugs (dashboard.nav), CSS identifiers: no quotes needed
    sel = safe.join(",", (safe.html("[data-testid=stSidebarNav] li:has(a[href$={}])", u) for u in url_paths))
    if sel:
        st.html(safe.html("<style>{}{{display:none !important;}}</style>", sel))


def go_to(target, keep_query: bool = False):
    """A page that only switches to `target` (the login url path once signed in; "/" → the start page,
    with `keep_query` the filters of the URL kept)."""
    def page() -> None:
        if keep_query:
            st.switch_page(target, query_params=st.query_params.to_dict())
        st.switch_page(target)
    page.__name__ = "go_to_start"
    return page
