"""Large-screen benchmark: a real Streamlit server and real Chromium against one warehouse.

    from tools.bench.bigscreen import measure
    measure("data/warehouse.duckdb", rotations=30)

- render_s: navigation → every chart drawn (a canvas with more than a few colours in each chart) and the
  KPI tiles shown, on a freshly started server (cold caches); render_s_warm: the same in a new
  browser page once the server has served the screen.
- js_heap_mb_*: the page's used JS heap after a forced GC (Chrome DevTools protocol), before and after
  `rotations` rotations at `interval` seconds (the soak), and every 10 rotations (js_heap_mb_every_10,
  to tell a plateau from growth); server_rss_mb_*: the server process's RSS.

Playwright is a dev dependency: it is imported only inside `measure()`. The browser is Debian's
/usr/bin/chromium; every outside host name resolves to nothing, so the page can reach only this machine.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from dashboard.chromium import CHROMIUM_ARGS, CHROMIUM_PATH
from dashboard.paths import ROOT
VIEWPORT = {"width": 1920, "height": 1080}
N_CHARTS = 4            # ranking, trend, map, gauge

# True when every ECharts container has a canvas with more than a few colours (sampled on a 48×48 copy)
# and the KPI tiles are on the screen (their count-up may still be running).
RENDERED_JS = """
(n) => {
  const boxes = Array.from(document.querySelectorAll('.echarts-container'));
  if (boxes.length < n || document.querySelectorAll('.bs-kpi .bs-kpi-n').length < 7) return false;
  const t = document.createElement('canvas');
  t.width = 48; t.height = 48;
  const x = t.getContext('2d', { willReadFrequently: true });
  return boxes.every((box) => Array.from(box.querySelectorAll('canvas')).some((c) => {
    if (!c.width || !c.height) return false;
    x.clearRect(0, 0, 48, 48);
    x.drawImage(c, 0, 0, 48, 48);
    const d = x.getImageData(0, 0, 48, 48).data, seen = new Set();
    for (let i = 0; i < d.length; i += 4) {
      seen.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2] + ',' + d[i + 3]);
      if (seen.size > 3) return true;
    }
    return false;
  }));
}
"""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(db_path: str, log) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = os.environ.copy()
    env.update({"DASHBOARD_DB": str(Path(db_path).resolve()), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
                "STREAMLIT_SERVER_HEADLESS": "true", "PYTHONUNBUFFERED": "1"})
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true"],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            pass
        time.sleep(0.25)
    _stop(proc)
    raise RuntimeError("streamlit did not start within 90 s")


def _stop(proc: subprocess.Popen) -> None:
    import signal
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=15)


def _rss_mb(pid: int) -> float:
    import psutil
    return round(psutil.Process(pid).memory_info().rss / 2**20, 1)


def _heap_mb(cdp) -> float:
    cdp.send("HeapProfiler.collectGarbage")
    return round(cdp.send("Runtime.getHeapUsage")["usedSize"] / 2**20, 2)


def _open(context, url: str, timeout_s: float = 120) -> tuple[object, float]:
    page = context.new_page()
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_function(RENDERED_JS, arg=N_CHARTS, timeout=timeout_s * 1000, polling=100)
    return page, time.perf_counter() - t0


def measure(db_path: str, rotations: int = 30, interval: int = 2) -> dict:
    """Start a server on `db_path`, open /bigscreen in Chromium, time the first render, then let it rotate
    `rotations` times every `interval` seconds and report JS heap and server RSS before and after."""
    from playwright.sync_api import sync_playwright  # dev dependency

    log = tempfile.NamedTemporaryFile(prefix="bigscreen-bench-", suffix=".log", delete=False)
    proc, base = _start_server(db_path, log)
    url = f"{base}/bigscreen?interval={interval}"
    out: dict = {"db": str(db_path), "interval_s": interval}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS, headless=True)
            try:
                ctx = browser.new_context(viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
                page, cold = _open(ctx, url)
                out["render_s"] = round(cold, 2)
                page.close()
                page, warm = _open(ctx, url)
                out["render_s_warm"] = round(warm, 2)
                cdp = ctx.new_cdp_session(page)
                out["js_heap_mb_start"] = _heap_mb(cdp)
                out["server_rss_mb_start"] = _rss_mb(proc.pid)
                seen, last = 0, page.evaluate("document.querySelector('.bs-top').dataset.item")
                series = [out["js_heap_mb_start"]]
                t0 = time.monotonic()
                deadline = t0 + rotations * (interval * 4 + 10) + 30
                while seen < rotations and time.monotonic() < deadline:
                    page.wait_for_timeout(250)
                    cur = page.evaluate("document.querySelector('.bs-top').dataset.item")
                    if cur != last:
                        seen, last = seen + 1, cur
                        if seen % 10 == 0 and seen < rotations:
                            series.append(_heap_mb(cdp))
                out["rotations"] = seen
                out["soak_s"] = round(time.monotonic() - t0, 1)
                page.wait_for_function(RENDERED_JS, arg=N_CHARTS, timeout=60_000, polling=100)
                out["js_heap_mb_after"] = _heap_mb(cdp)
                out["js_heap_mb_every_10"] = series + [out["js_heap_mb_after"]]
                out["server_rss_mb_after"] = _rss_mb(proc.pid)
                out["page_errors"] = page.evaluate(
                    "document.querySelectorAll('[data-testid=\"stException\"]').length")
            finally:
                browser.close()
    finally:
        _stop(proc)
        log.close()
        try:
            os.unlink(log.name)
        except OSError:
            pass
    return out


if __name__ == "__main__":  # python -m tools.bench.bigscreen [db] [rotations]
    import json
    db = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "data" / "warehouse.duckdb")
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    print(json.dumps(measure(db, n), ensure_ascii=False, indent=2))
