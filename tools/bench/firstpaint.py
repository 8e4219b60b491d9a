"""总览 in a fresh browser session (issue 13 point 8): how long until it is usable.

    python -m tools.bench.firstpaint [--db PATH] [--runs 5] [--url URL]

Real Chromium (/usr/bin/chromium, every non-loopback request refused) against a real server (app.py on
a free loopback port, started here unless --url). For each run:

1. sign in through the login form in a browser context of its own (the real hand-over: the page
   POSTs the code, the server sets the HttpOnly cookie) and time from the click on 登录 until 总览's
   KPI cards and 需关注事项 are drawn;
2. a *fresh* browser context (empty cache, no service state) holding only that session cookie opens
   `/`: timed from the navigation until every KPI card (`stMetric`, as many as kpis.OVERVIEW_KPIS) and
   the 需关注事项 panel (#attention) with its first item are visible.

The first run is against a server no session has used yet (cold caches); the others are warm.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

VIEWPORT = {"width": 1920, "height": 1080}
TIMEOUT_MS = 120_000


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return host in ("127.0.0.1", "localhost", "::1") or url.startswith(("data:", "blob:", "about:"))


def _guard(context, offsite: list[str]) -> None:
    def route(r):
        if _is_loopback(r.request.url):
            r.continue_()
        else:
            offsite.append(r.request.url)
            r.abort()
    context.route("**/*", route)


def _usable(page, n_cards: int) -> None:
    """Wait until 总览 is usable: every KPI card and the 需关注事项 panel with its first row drawn."""
    page.locator('[data-testid="stMetric"]').nth(n_cards - 1).wait_for(state="visible", timeout=TIMEOUT_MS)
    page.locator("#attention").wait_for(state="visible", timeout=TIMEOUT_MS)
    page.locator("[class*='st-key-alrow_ov_al_0']").first.wait_for(state="visible", timeout=TIMEOUT_MS)


def measure(base: str, runs: int, account) -> dict:
    from playwright.sync_api import sync_playwright

    from dashboard import kpis
    from dashboard.auth.routes import COOKIE
    from dashboard.chromium import CHROMIUM_ARGS, CHROMIUM_PATH
    n_cards = len(kpis.OVERVIEW_KPIS)
    offsite: list[str] = []
    out = {"login_to_usable_ms": [], "fresh_open_usable_ms": [], "fresh_open_first_card_ms": []}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS, headless=True)
        try:
            for _ in range(runs):
                ctx = browser.new_context(viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
                _guard(ctx, offsite)
                page = ctx.new_page()
                page.goto(base + "/", wait_until="commit", timeout=TIMEOUT_MS)
                page.get_by_label("用户名").fill(account.name, timeout=TIMEOUT_MS)
                page.get_by_label("密码").fill(account.password)
                t0 = time.perf_counter()
                page.get_by_role("button", name="登录").click()
                _usable(page, n_cards)
                out["login_to_usable_ms"].append((time.perf_counter() - t0) * 1000)
                deadline = time.monotonic() + 30
                while not any(c["name"] == COOKIE for c in ctx.cookies()):
                    if time.monotonic() > deadline:
                        raise RuntimeError("登录后浏览器未获得会话 cookie")
                    page.wait_for_timeout(50)
                cookie = next(c for c in ctx.cookies() if c["name"] == COOKIE)
                ctx.close()

                fresh = browser.new_context(viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
                _guard(fresh, offsite)
                fresh.add_cookies([cookie])
                page = fresh.new_page()
                t0 = time.perf_counter()
                page.goto(base + "/", wait_until="commit", timeout=TIMEOUT_MS)
                page.locator('[data-testid="stMetric"]').first.wait_for(state="visible", timeout=TIMEOUT_MS)
                out["fresh_open_first_card_ms"].append((time.perf_counter() - t0) * 1000)
                _usable(page, n_cards)
                out["fresh_open_usable_ms"].append((time.perf_counter() - t0) * 1000)
                fresh.close()
        finally:
            browser.close()
    if offsite:
        raise RuntimeError(f"页面请求了本机以外的地址:{offsite[:3]}")
    res = {"runs": runs, **{k: [round(x) for x in v] for k, v in out.items()}}
    for k, v in out.items():
        res[k.replace("_ms", "_median_ms")] = round(statistics.median(v))
        res[k.replace("_ms", "_warm_median_ms")] = round(statistics.median(v[1:])) if len(v) > 1 else None
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.bench.firstpaint", description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", help="数据仓库(默认 DASHBOARD_DB 或 data/warehouse.duckdb)")
    ap.add_argument("--url", help="被测服务地址(默认自行启动)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", help="结果另存为 JSON")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    import os

    from dashboard import db
    from dashboard.cluster import Replica
    from tools.bench.load import disable_accounts, ensure_accounts
    if args.db:
        os.environ["DASHBOARD_DB"] = str(Path(args.db).resolve())
    account = ensure_accounts(1)[0]
    server = None
    url = args.url
    if not url:
        log = tempfile.NamedTemporaryFile(prefix="firstpaint-server-", suffix=".log", delete=False)
        server = Replica(env={"DASHBOARD_DB": str(db.db_path())}, log_path=Path(log.name))
        url = server.start(timeout=180)
    try:
        res = measure(url.rstrip("/"), args.runs, account)
    finally:
        if server is not None:
            server.stop()
        disable_accounts([account])
    print(f"总览首屏(全新浏览器会话,{res['runs']} 次,第 1 次为刚启动的服务):")
    print(f"  打开 / 到 KPI 卡片与需关注事项全部画出:{res['fresh_open_usable_ms']} ms,中位数 "
          f"{res['fresh_open_usable_median_ms']} ms(热启动中位数 {res['fresh_open_usable_warm_median_ms']} ms)")
    print(f"  打开 / 到第一张 KPI 卡片:{res['fresh_open_first_card_ms']} ms")
    print(f"  点击登录到可用:{res['login_to_usable_ms']} ms")
    if args.json:
        Path(args.json).write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
