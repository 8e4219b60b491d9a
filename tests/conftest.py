"""Shared pytest fixtures.

Warehouse fixtures go above the browser section. The browser section needs a
session-scoped fixture `warehouse_path` (str path to a DuckDB file) to exist.
"""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import browser_support  # noqa: E402  (tests/browser_support.py)


# --- warehouse fixtures ---
#
# One real demo warehouse (scale 1, ~3 s) is built per test session and every page test and
# independent check reads it. Tests never mock the database.

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

Q3 = "2026Q3"

# --- app-state store (accounts, sessions, audit) ---
#
# Every test session gets its own store, set before anything opens it: the app, the servers the
# browser tests start (they inherit the environment) and the tests all use this one.
import tempfile  # noqa: E402

_STATE_DIR = tempfile.mkdtemp(prefix="dashboard-state-")
os.environ["DASHBOARD_STATE_URL"] = f"sqlite:///{_STATE_DIR}/app.db"
os.environ["DASHBOARD_AUDIT_KEY"] = "test-audit-key"
TEST_PASSWORD = "Test2026pass"
# name → (role, scope) of the accounts every test session has
TEST_USERS = {
    "t_leader": ("leader", ""), "t_chain": ("chain", "C02"), "t_park": ("park", "P01"),
    "t_data": ("data_admin", ""), "t_sys": ("sys_admin", ""), "t_audit": ("auditor", ""),
}
ROLE_USER = {role: name for name, (role, _) in TEST_USERS.items()}


def ensure_test_users() -> None:
    from dashboard.auth import accounts
    for name, (role, scope) in TEST_USERS.items():
        if accounts.get(name) is None:
            accounts.add_user(name, role, TEST_PASSWORD, scope, display_name=f"测试{name[2:]}", temporary=False)


def session_state_for(role_or_user: str = "leader") -> dict:
    """Session-state entries of a fresh signed-in session (as the login form leaves them)."""
    from dashboard.auth import accounts, web
    ensure_test_users()
    name = ROLE_USER.get(role_or_user, role_or_user)
    return web.state_for(accounts.new_session(accounts.get(name)))


def role_for_page(page: str) -> str:
    """leader when a leader may open this page file, else the first role that may."""
    from dashboard import nav
    from dashboard.auth import roles
    url = next((p[4] for p in nav.PAGES if p[1] == page), None)
    if url is None or roles.may_open("leader", url):
        return "leader"
    return next(r for r in roles.ROLES if roles.may_open(r, url))


def cookie_for(role_or_user: str = "leader", base_url: str = "http://127.0.0.1") -> dict:
    """A browser cookie of a fresh signed-in session (what the login hand-over sets)."""
    from urllib.parse import urlsplit

    from dashboard.auth import accounts, routes
    ensure_test_users()
    name = ROLE_USER.get(role_or_user, role_or_user)
    s = accounts.new_session(accounts.get(name))
    token = accounts.redeem_handoff(accounts.issue_handoff(s.id))
    return {"name": routes.COOKIE, "value": token, "domain": urlsplit(base_url).hostname or "127.0.0.1",
            "path": "/", "httpOnly": True, "sameSite": "Strict"}


def shown_text(at) -> str:
    """What a reader sees of an AppTest run's Markdown and HTML elements, as plain text (tags dropped,
    entities decoded), one element per line: warehouse text is shown through st.html (issue 10)."""
    import html
    import re
    parts = [m.value for m in at.markdown]
    parts += [html.unescape(re.sub(r"<br\s*/?>", "\n", re.sub(r"<(?!br)[^>]+>", "", h.proto.body)))
              for h in at.get("html") if not h.proto.body.lstrip().startswith("<style")]
    return "\n".join(parts)


@pytest.fixture(scope="session")
def warehouse_path(tmp_path_factory) -> str:
    from dashboard.warehouse import build_demo

    path = tmp_path_factory.mktemp("wh") / "warehouse.duckdb"
    build_demo(path, 1.0)
    os.environ["DASHBOARD_DB"] = str(path)  # the app and run_query find it like a user's setup
    return str(path)


@pytest.fixture(scope="session")
def raw(warehouse_path):
    """A read-only DuckDB connection for independent SQL over the raw tables."""
    import duckdb

    con = duckdb.connect(warehouse_path, read_only=True)
    yield con
    con.close()


def scalar(con, sql: str, params=None):
    """First column of the first row of an independent check query."""
    return con.sql(sql, params=params).fetchall()[0][0] if params else con.sql(sql).fetchall()[0][0]


@pytest.fixture(scope="session", autouse=True)
def _apptests_start_signed_in():
    """Every AppTest a test builds with `AppTest.from_file` starts signed in (a fresh real session in
    the test store) as the role that opens that page — leader for the data pages — so page tests need
    not know about accounts. `app(..., role=…)` chooses another role, `role=None` none."""
    from streamlit.testing.v1 import AppTest

    ensure_test_users()        # incl. a real data_admin: importing real data requires one
    original = AppTest.from_file.__func__

    def from_file(cls, script_path, *args, **kwargs):
        at = original(cls, script_path, *args, **kwargs)
        rel = os.path.relpath(os.path.abspath(str(script_path)), ROOT).replace(os.sep, "/")
        for k, v in session_state_for(role_for_page(rel)).items():
            at.session_state[k] = v
        return at

    AppTest.from_file = classmethod(from_file)
    AppTest._unsigned_from_file = classmethod(original)
    yield
    AppTest.from_file = classmethod(original)


@pytest.fixture()
def app(warehouse_path):
    """Factory: run a page (or the whole app) under AppTest with query params; no exception allowed."""
    from streamlit import config as st_config
    from streamlit.testing.v1 import AppTest

    from dashboard import lazy

    st_config.set_option("client.showErrorDetails", "full")  # tests want the real message

    def run(page: str = "streamlit_app.py", expect_ok: bool = True, role: str | None = "auto",
            painted: bool = True, **query):
        """`role`: a role (or a test user name) signed in for this run; None = anonymous; "auto" (default) =
        leader, or for a page only another role may open (数据管理, 账号管理, 审计) that role.
        `painted=False`: the session's first page, before its browser has drawn anything."""
        at = AppTest._unsigned_from_file(os.path.join(ROOT, page), default_timeout=120)
        if role == "auto":
            role = role_for_page(page)
        if role is not None:
            for k, v in session_state_for(role).items():
                at.session_state[k] = v
        if painted:     # what a browser reports after drawing its first page (dashboard/lazy.py)
            at.session_state[lazy.PAINTED_KEY] = True
        for k, v in query.items():
            at.query_params[k] = v
        at.run()
        if expect_ok:
            assert not at.exception, [e.message for e in at.exception]
        return at

    return run


# --- browser fixtures ---
#
# Browser tests: mark them `@pytest.mark.browser` (tests using Playwright's
# `page`/`context`/`browser` or `offsite_requests` are marked automatically).
# They are SKIPPED when /usr/bin/chromium (or playwright) is missing; set
# DASHBOARD_REQUIRE_BROWSER=1 to run (and fail) them anyway.
#
#     from browser_support import wait_for_app, screenshot
#
#     @pytest.mark.browser
#     def test_home(page, streamlit_server, offsite_requests):
#         page.goto(streamlit_server)
#         wait_for_app(page)
#         screenshot(page, "home", full_height=True)

_PLAYWRIGHT_FIXTURES = {"page", "context", "new_context", "browser", "browser_type", "offsite_requests"}


def pytest_collection_modifyitems(config, items):
    reason = browser_support.browser_unavailable_reason()
    for item in items:
        if _PLAYWRIGHT_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            if item.get_closest_marker("browser") is None:
                item.add_marker(pytest.mark.browser)
        if reason and item.get_closest_marker("browser") is not None:
            if os.environ.get("DASHBOARD_REQUIRE_BROWSER") != "1":  # else: run, and fail
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright override: Debian's Chromium, headless, no outside traffic."""
    return {
        **browser_type_launch_args,
        "executable_path": browser_support.CHROMIUM_PATH,
        "headless": browser_type_launch_args.get("headless", True),
        "args": list(browser_support.CHROMIUM_ARGS),
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """pytest-playwright override: 1920×1080, zh-CN, dark colour-scheme preference
    (so the app shows its [theme.dark] cockpit variant; for the light one call
    `page.emulate_media(color_scheme="light")` before `page.goto`), signed in as `leader`
    (a session cookie for 127.0.0.1; use `context_as(role)` for another role or none)."""
    return {
        **browser_context_args,
        "viewport": dict(browser_support.VIEWPORT),
        "locale": browser_support.LOCALE,
        "timezone_id": "Asia/Shanghai",
        "color_scheme": "dark",
        "storage_state": {"cookies": [cookie_for("leader")], "origins": []},
    }


@pytest.fixture
def _offsite_seen() -> list[str]:
    """URLs off this machine asked for by any browser context of the test (see `offsite_requests`)."""
    return []


def watch_offsite(ctx, seen: list[str]) -> None:
    """Record every request and websocket of context `ctx` (all its pages) that leaves the machine."""
    def on_request(request):
        if browser_support.is_offsite_url(request.url):
            seen.append(request.url)

    def on_websocket(ws):
        if browser_support.is_offsite_url(ws.url):
            seen.append(ws.url)

    ctx.on("request", on_request)
    ctx.on("page", lambda p: p.on("websocket", on_websocket))
    for p in ctx.pages:
        p.on("websocket", on_websocket)


@pytest.fixture
def context_as(browser, browser_context_args, _offsite_seen):
    """Factory: a new browser context signed in as `role` (a role or test user name; None = anonymous).
    Its off-machine requests count for `offsite_requests` like those of `page`."""
    made = []

    def make(role: str | None):
        args = {k: v for k, v in browser_context_args.items() if k != "storage_state"}
        ctx = browser.new_context(**args)
        watch_offsite(ctx, _offsite_seen)
        if role is not None:
            ctx.add_cookies([cookie_for(role)])
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()


@pytest.fixture(scope="session")
def streamlit_server(warehouse_path):
    """Run `streamlit run streamlit_app.py` (repo root, DASHBOARD_DB=warehouse_path)
    on a free loopback port for the whole session; yields the base URL
    "http://127.0.0.1:<port>". Server output: test-output/streamlit-server-<port>.log."""
    server = browser_support.StreamlitServer(
        "app.py",
        env={"DASHBOARD_DB": str(warehouse_path)},
    )
    error = None
    try:
        url = server.start(timeout=60)
    except RuntimeError as exc:
        error = str(exc)
    if error is not None:
        pytest.fail(error, pytrace=False)
    try:
        yield url
    finally:
        server.stop()


@pytest.fixture
def offsite_requests(page, _offsite_seen):
    """List of every URL the browser asked for off this machine during the test
    (requests and websockets of all pages of the test's context and of every context made
    with `context_as`). The test errors at teardown if the list is not empty."""
    seen = _offsite_seen
    watch_offsite(page.context, seen)
    yield seen
    if seen:
        unique = list(dict.fromkeys(seen))
        pytest.fail(
            f"{len(seen)} request(s) left the machine:\n  " + "\n  ".join(unique),
            pytrace=False,
        )
