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


@pytest.fixture()
def app(warehouse_path):
    """Factory: run a page (or the whole app) under AppTest with query params; no exception allowed."""
    from streamlit import config as st_config
    from streamlit.testing.v1 import AppTest

    st_config.set_option("client.showErrorDetails", "full")  # tests want the real message

    def run(page: str = "streamlit_app.py", expect_ok: bool = True, **query):
        at = AppTest.from_file(os.path.join(ROOT, page), default_timeout=120)
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
    `page.emulate_media(color_scheme="light")` before `page.goto`)."""
    return {
        **browser_context_args,
        "viewport": dict(browser_support.VIEWPORT),
        "locale": browser_support.LOCALE,
        "timezone_id": "Asia/Shanghai",
        "color_scheme": "dark",
    }


@pytest.fixture(scope="session")
def streamlit_server(warehouse_path):
    """Run `streamlit run streamlit_app.py` (repo root, DASHBOARD_DB=warehouse_path)
    on a free loopback port for the whole session; yields the base URL
    "http://127.0.0.1:<port>". Server output: test-output/streamlit-server-<port>.log."""
    server = browser_support.StreamlitServer(
        "streamlit_app.py",
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
def offsite_requests(page):
    """List of every URL the browser asked for off this machine during the test
    (requests and websockets of all pages of the test's context). The test
    errors at teardown if the list is not empty."""
    seen: list[str] = []

    def on_request(request):
        if browser_support.is_offsite_url(request.url):
            seen.append(request.url)

    def on_websocket(ws):
        if browser_support.is_offsite_url(ws.url):
            seen.append(ws.url)

    page.context.on("request", on_request)
    page.on("websocket", on_websocket)
    yield seen
    if seen:
        unique = list(dict.fromkeys(seen))
        pytest.fail(
            f"{len(seen)} request(s) left the machine:\n  " + "\n  ".join(unique),
            pytrace=False,
        )
