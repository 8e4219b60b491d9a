"""Sign-in in a real browser against the real server (app.py): login form → HttpOnly session cookie,
reload keeps the session, logout ends it, idle expiry, the watermark, kiosk tokens, and single sign-on
through a real nginx that sets the trusted header."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest
import sqlalchemy as sa

from browser_support import StreamlitServer, free_port, screenshot, wait_for_app
from conftest import TEST_PASSWORD, ensure_test_users
from dashboard.auth import accounts, audit, routes, store

pytestmark = pytest.mark.browser


def _login_form(page, timeout=30_000):
    page.get_by_role("button", name="登录").wait_for(timeout=timeout)
    assert page.get_by_label("用户名").is_visible() and page.get_by_label("密码").is_visible()


def _signed_in(page, timeout=30_000):
    page.get_by_text("筛选", exact=True).first.wait_for(timeout=timeout)
    page.get_by_role("button", name="退出登录").wait_for(timeout=timeout)


def _cookie(ctx):
    return next((c for c in ctx.cookies() if c["name"] == routes.COOKIE), None)


def test_login_reload_logout(context_as, streamlit_server, offsite_requests):
    ensure_test_users()
    ctx = context_as(None)
    page = ctx.new_page()
    page.goto(streamlit_server + "/chain?chain=C05")
    wait_for_app(page)
    _login_form(page)
    assert "筛选" not in page.inner_text("body")                      # no data before sign-in
    screenshot(page, "auth-login")
    since = max([r["id"] for r in audit.query(limit=1)] or [0])
    page.get_by_label("用户名").fill("t_chain")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    _signed_in(page)
    wait_for_app(page)
    # the session cookie: HttpOnly, invisible to scripts, never in the URL
    deadline = time.monotonic() + 20
    while _cookie(ctx) is None and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    c = _cookie(ctx)
    assert c and c["httpOnly"] and c["sameSite"] == "Strict"
    assert routes.COOKIE not in page.evaluate("document.cookie")
    assert c["value"] not in page.url and "token" not in page.url
    body = page.inner_text("body")
    assert "C02" in body and "测试chain" in body                        # chain role: its own chain
    # reload: still signed in (a new websocket session restored from the cookie)
    page.reload()
    wait_for_app(page)
    _signed_in(page)
    assert "测试chain" in page.inner_text("body")
    # logout ends the session at once: the form again, and a reload does not bring it back
    page.get_by_role("button", name="退出登录").click()
    wait_for_app(page)
    _login_form(page)
    assert "已退出登录" in page.inner_text("body")
    page.reload()
    wait_for_app(page)
    _login_form(page)
    assert accounts.session_by_token(c["value"])[0] is None
    acts = [(r["action"], r["user"]) for r in audit.query() if r["id"] > since]
    assert ("login", "t_chain") in acts and ("logout", "t_chain") in acts and ("view", "t_chain") in acts


def test_idle_session_expires(context_as, streamlit_server, offsite_requests):
    ctx = context_as("park")
    page = ctx.new_page()
    page.goto(streamlit_server + "/overview")
    wait_for_app(page)
    _signed_in(page)
    token = _cookie(ctx)["value"]
    with store.engine().begin() as c:           # 31 minutes without activity
        c.execute(store.sessions.update().where(store.sessions.c.token_hash == accounts.sha(token))
                  .values(last_seen=store.now() - dt.timedelta(minutes=31)))
    page.reload()
    wait_for_app(page)
    _login_form(page)
    assert accounts.session_by_token(token)[0] is None


def test_watermark_tiles_name_and_date(page, streamlit_server, offsite_requests):
    page.goto(streamlit_server + "/overview")
    wait_for_app(page)
    _signed_in(page)
    bg = page.evaluate("""getComputedStyle(document.querySelector('[data-testid="stApp"]'), '::after')
                          .backgroundImage""")
    text = urllib.parse.unquote(bg)
    assert "测试leader" in text and dt.date.today().isoformat() in text
    screenshot(page, "auth-watermark")


def test_kiosk_token_opens_the_big_screen_only(context_as, streamlit_server, offsite_requests):
    token = accounts.create_token("测试大屏")
    ctx = context_as(None)
    page = ctx.new_page()
    page.goto(f"{streamlit_server}/bigscreen?token={token}")
    page.locator(".bs-kpi").first.wait_for(timeout=60_000)
    assert page.locator("[data-testid='stSidebar']").count() == 0 or not page.locator(
        "[data-testid='stSidebar']").is_visible()
    other = ctx.new_page()
    other.goto(f"{streamlit_server}/overview?token={token}")
    wait_for_app(other)
    _login_form(other)
    assert "在营企业" not in other.inner_text("body")
    accounts.revoke_token("测试大屏")
    fresh = context_as(None).new_page()
    fresh.goto(f"{streamlit_server}/bigscreen?token={token}")
    wait_for_app(fresh)
    _login_form(fresh)
    assert "大屏令牌无效或已被吊销" in fresh.inner_text("body")
    assert fresh.locator(".bs-kpi").count() == 0
    assert next(t for t in accounts.list_tokens() if t["name"] == "测试大屏")["last_used_at"] is not None


# ------------------------------------------------------------------ single sign-on through nginx
NGINX_CONF = """
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 64; }}
http {{
  access_log {dir}/access.log;
  client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy; fastcgi_temp_path {dir}/fcgi;
  uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
  map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://127.0.0.1:{upstream};
      proxy_http_version 1.1;
      proxy_set_header Host $host;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      # the intranet sign-on has authenticated the user; a client's own copy is replaced
      proxy_set_header X-Remote-User "t_chain";
      proxy_read_timeout 300s;
    }}
  }}
}}
"""


def _nginx() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)


@pytest.fixture()
def sso_proxy(warehouse_path):
    if _nginx() is None:
        if os.geteuid() != 0:
            pytest.skip("nginx not installed and not root (apt-get install -y nginx)")
        pytest.fail("nginx missing: make sysdeps installs it")
    server = StreamlitServer("app.py", env={"DASHBOARD_DB": str(warehouse_path),
                                            "STREAMLIT_SERVER_TRUSTED_USER_HEADERS": '{"X-Remote-User": "sso_user"}'})
    server.start(timeout=60)
    d = Path(tempfile.mkdtemp(prefix="dashboard-nginx-"))
    port = free_port()
    (d / "nginx.conf").write_text(NGINX_CONF.format(dir=d, port=port, upstream=server.port))
    proc = subprocess.Popen([_nginx(), "-c", str(d / "nginx.conf"), "-p", str(d), "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        import urllib.request
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("nginx did not start: " + (proc.stderr.read().decode() if proc.stderr else ""))
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        server.stop()
        shutil.rmtree(d, ignore_errors=True)


def test_single_sign_on_header_from_nginx(context_as, sso_proxy, offsite_requests):
    ensure_test_users()
    page = context_as(None).new_page()
    page.set_extra_http_headers({"X-Remote-User": "t_leader"})     # a forged copy: nginx replaces it
    page.goto(sso_proxy + "/overview")
    wait_for_app(page)
    _signed_in(page, timeout=60_000)
    body = page.inner_text("body")
    assert "测试chain" in body and "测试leader" not in body
    assert ("sso_login", "t_chain") in [(r["action"], r["user"]) for r in audit.query(limit=50)]
    screenshot(page, "auth-sso")


def test_a_chain_office_download_holds_only_its_chain(context_as, streamlit_server, offsite_requests, raw):
    """A chain office asks for another chain in the URL, gets its own, and downloads the overdue list:
    only its chain's enterprises, its name and the time in the file, a download record in the audit."""
    import io

    import openpyxl
    page = context_as("chain").new_page()
    page.goto(streamlit_server + "/appeals?quarter=2026Q3&chain=C05")
    wait_for_app(page)
    page.get_by_text("超期未办结诉求清单").first.wait_for(timeout=60_000)
    assert "您无权查看所请求的范围" in page.inner_text("body")
    since = max([r["id"] for r in audit.query(limit=1)] or [0])
    with page.expect_download(timeout=60_000) as info:
        page.locator(".st-key-ap_overdue_xlsx button").click()
    with open(info.value.path(), "rb") as fh:
        wb = openpyxl.load_workbook(io.BytesIO(fh.read()))
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    names = {r[rows[0].index("企业")] for r in rows[1:]}
    c02 = {r[0] for r in raw.sql("""SELECT DISTINCT e.name FROM enterprises e JOIN enterprise_chains ec
                                    USING (enterprise_id) WHERE ec.chain_id = 'C02'""").fetchall()}
    assert names and names <= c02
    assert wb.properties.creator == "测试chain" and "导出人 · 时间" in (wb.properties.description or "")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        recs = [r for r in audit.query() if r["id"] > since and r["action"] == "download"]
        if recs:
            break
        page.wait_for_timeout(200)
    assert recs and recs[0]["user"] == "t_chain" and recs[0]["detail"]["file"].endswith(".xlsx")


def test_a_park_office_deck_is_its_park_and_audited(context_as, streamlit_server, offsite_requests):
    import io

    from pptx import Presentation
    page = context_as("park").new_page()
    page.goto(streamlit_server + "/report?quarter=2026Q3&park=P05")
    wait_for_app(page)
    page.locator(".st-key-report_pptx button").wait_for(timeout=60_000)
    assert "您无权查看所请求的范围" in page.inner_text("body")
    since = max([r["id"] for r in audit.query(limit=1)] or [0])
    with page.expect_download(timeout=120_000) as info:
        page.locator(".st-key-report_pptx button").click()
    with open(info.value.path(), "rb") as fh:
        prs = Presentation(io.BytesIO(fh.read()))
    assert "广州科学城" in prs.core_properties.title                    # P01, not the requested P05
    assert "测试park" in prs.core_properties.comments and "导出人 · 时间" in prs.core_properties.comments
    deadline = time.monotonic() + 10
    recs = []
    while time.monotonic() < deadline and not recs:
        recs = [r for r in audit.query() if r["id"] > since and r["action"] == "report"]
        page.wait_for_timeout(200)
    assert recs and recs[0]["user"] == "t_park" and recs[0]["detail"]["format"] == "pptx"
    assert recs[0]["detail"]["park"] == "P01"
