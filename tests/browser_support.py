"""Helpers for the browser (Playwright + system Chromium) tests. No tests in here.

Used by tests/conftest.py (fixtures) and by browser tests directly::

    from browser_support import wait_for_app, screenshot, app_exceptions

Facts this relies on (see shared STACK-NOTES):
- Playwright cannot download a browser here: Debian's /usr/bin/chromium is used.
- Streamlit scrolls an inner container, so ``full_page=True`` screenshots miss
  whatever is below the fold: ``screenshot(..., full_height=True)`` grows the
  viewport to the content height instead.
"""

from __future__ import annotations

import ipaddress
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
OUTPUT_DIR = REPO_ROOT / "test-output"
SCREENSHOT_DIR = OUTPUT_DIR / "screenshots"

# One definition of the browser and its network-off switches, shared with the product (PDF printing).
# Every host name resolves to nothing except the loopback address, so a stray outside URL fails fast
# (it is still seen by `offsite_requests`).
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))
from dashboard.chromium import CHROMIUM_ARGS, CHROMIUM_PATH  # noqa: E402

VIEWPORT = {"width": 1920, "height": 1080}
LOCALE = "zh-CN"


# --------------------------------------------------------------------------
# Availability
# --------------------------------------------------------------------------
def browser_unavailable_reason() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if not os.path.exists(CHROMIUM_PATH):
        return (
            f"{CHROMIUM_PATH} not found: browser tests skipped "
            "(install with `make sysdeps` as root, or "
            "`apt-get install -y chromium fonts-noto-cjk`)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed: browser tests skipped (make venv)"
    return None


# --------------------------------------------------------------------------
# "Nothing leaves the machine"
# --------------------------------------------------------------------------
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
_INTERNAL_SCHEMES = {"data", "blob", "about", "javascript", "chrome", "chrome-error", "devtools"}


def is_offsite_url(url: str) -> bool:
    """True when loading `url` would contact a host other than this machine."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in _INTERNAL_SCHEMES or scheme == "":
        return False
    if scheme == "file":
        return False
    host = (parts.hostname or "").lower()
    if not host:
        return False
    if host in _LOCAL_NAMES:
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True  # a host name that is not localhost


# --------------------------------------------------------------------------
# Streamlit server
# --------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StreamlitServer:
    """`streamlit run <script>` in a process group of its own, logging to a file."""

    def __init__(
        self,
        script: str = "app.py",
        *,
        cwd: Path = REPO_ROOT,
        env: dict[str, str] | None = None,
        port: int | None = None,
        log_path: Path | None = None,
    ) -> None:
        self.script = script
        self.cwd = Path(cwd)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.extra_env = dict(env or {})
        self.log_path = log_path or OUTPUT_DIR / f"streamlit-server-{self.port}.log"
        self.proc: subprocess.Popen | None = None
        self._log = None

    def start(self, timeout: float = 60.0) -> str:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = os.environ.copy()
        env.update(
            {
                "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
                "STREAMLIT_SERVER_HEADLESS": "true",
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(self.extra_env)
        cmd = [
            sys.executable, "-m", "streamlit", "run", self.script,
            "--server.address", "127.0.0.1",
            "--server.port", str(self.port),
            "--server.headless", "true",
        ]
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            cmd,
            cwd=self.cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group: stop() ends its children too
        )
        deadline = time.monotonic() + timeout
        health = f"{self.url}/_stcore/health"
        while True:
            if self.proc.poll() is not None:
                self.stop()
                raise RuntimeError(
                    f"streamlit exited with code {self.proc.returncode} before answering "
                    f"{health}\n--- server output ({self.log_path}) ---\n{self.log_text()}"
                )
            try:
                with urllib.request.urlopen(health, timeout=2) as resp:
                    if resp.status == 200 and resp.read().strip() == b"ok":
                        return self.url
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(
                    f"streamlit did not answer {health} within {timeout:.0f} s\n"
                    f"--- server output ({self.log_path}) ---\n{self.log_text()}"
                )
            time.sleep(0.25)

    def log_text(self, limit: int = 20_000) -> str:
        try:
            data = self.log_path.read_bytes()
        except OSError:
            return "(no log)"
        return data[-limit:].decode("utf-8", "replace")

    def stop(self, timeout: float = 10.0) -> None:
        proc = self.proc
        if proc is not None and proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=timeout)
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> "StreamlitServer":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


# --------------------------------------------------------------------------
# Page helpers
# --------------------------------------------------------------------------
# True once Streamlit is connected, has run the script at least once, is not
# running it now, shows no "Running..." indicator and has no stale elements.
_APP_IDLE_JS = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return false;
  const conn = app.getAttribute('data-test-connection-state');
  if (conn && conn !== 'CONNECTED' && conn !== 'STATIC_CONNECTED') return false;
  const state = app.getAttribute('data-test-script-state');
  if (state !== 'notRunning' && state !== 'compilationError') return false;
  const running = document.querySelector(
    '[data-testid="stStatusWidget"] [data-testid^="stStatusWidgetRunning"]');
  if (running && running.getClientRects().length > 0) return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  // lazily loaded elements (charts, metric sparklines) show a skeleton until their code has loaded
  for (const sk of document.querySelectorAll('[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]')) {
    if (sk.getClientRects().length > 0) return false;
  }
  return true;
}
"""


def wait_for_app(page, timeout: float = 60_000, settle_ms: int = 500) -> None:
    """Wait until Streamlit has finished running the script and rendering.

    Call it after `page.goto(...)` and after every interaction that reruns the
    script. `timeout` is in milliseconds. The app must look idle twice,
    `settle_ms` apart, so a rerun that starts just after a click is not missed
    and charts drawn after the run get a moment to paint.
    """
    page.wait_for_selector('[data-testid="stApp"]', state="attached", timeout=timeout)
    deadline = time.monotonic() + timeout / 1000
    # A rerun triggered by the last action may not have started yet.
    page.wait_for_timeout(min(settle_ms, 200))
    while True:
        remaining = max(1_000, (deadline - time.monotonic()) * 1000)
        page.wait_for_function(_APP_IDLE_JS, timeout=remaining, polling=100)
        page.wait_for_timeout(settle_ms)
        if page.evaluate(_APP_IDLE_JS):
            return
        if time.monotonic() > deadline:
            raise TimeoutError("Streamlit app did not settle")


def app_exceptions(page) -> list[str]:
    """Texts of the exception boxes (st.exception / uncaught errors) on the page."""
    return page.locator('[data-testid="stException"]').all_inner_texts()


# The element that really scrolls in Streamlit (the document itself does not).
_CONTENT_HEIGHT_JS = """
() => {
  let h = document.documentElement.scrollHeight;
  for (const sel of ['[data-testid="stMain"]', '[data-testid="stAppViewContainer"]',
                     '[data-testid="stSidebarContent"]', '[data-testid="stMainBlockContainer"]']) {
    const el = document.querySelector(sel);
    if (el) h = Math.max(h, el.scrollHeight);
  }
  return Math.ceil(h);
}
"""


def screenshot(page, name: str, *, full_height: bool = False, max_height: int = 10_000) -> Path:
    """Save a PNG of the page to test-output/screenshots/<name>.png and return its path.

    `full_height=True` temporarily grows the viewport to the height of
    Streamlit's scrolling container (Playwright's full_page does not see it).
    """
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    if not name.endswith(".png"):
        name += ".png"
    path = SCREENSHOT_DIR / name
    if not full_height:
        page.screenshot(path=str(path))
        return path
    original = page.viewport_size or VIEWPORT
    height = min(max_height, max(original["height"], page.evaluate(_CONTENT_HEIGHT_JS)))
    page.set_viewport_size({"width": original["width"], "height": height})
    try:
        page.wait_for_timeout(300)
        # Content can grow when more of it is on screen (lazy charts): once more.
        height2 = min(max_height, max(height, page.evaluate(_CONTENT_HEIGHT_JS)))
        if height2 > height:
            page.set_viewport_size({"width": original["width"], "height": height2})
            page.wait_for_timeout(300)
        page.screenshot(path=str(path))
    finally:
        page.set_viewport_size(original)
    return path


def open_page(page, base: str, path: str) -> None:
    """Open an app URL (e.g. '/appeals?chain=C02') and wait until the shell with its filters has run."""
    page.goto(base + path)
    wait_for_app(page)
    page.get_by_text("筛选", exact=True).first.wait_for(timeout=30_000)


# --------------------------------------------------------------------------
# Layout settled: measure only then
# --------------------------------------------------------------------------
# A cheap fingerprint of the layout: document and scroller sizes, fonts, and the box of every element
# container, chart and canvas. Two equal fingerprints two animation frames apart = nothing is moving.
_LAYOUT_SIGNATURE_JS = """
async () => {
  await document.fonts.ready;
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const sig = () => {
    const parts = [document.fonts.status, innerWidth, innerHeight,
                   document.documentElement.scrollWidth, document.documentElement.scrollHeight];
    for (const sel of ['[data-testid="stMain"]', '[data-testid="stSidebar"]']) {
      const el = document.querySelector(sel);
      if (el) { const r = el.getBoundingClientRect();
                parts.push(el.scrollWidth, el.scrollHeight, Math.round(r.left), Math.round(r.width)); }
    }
    const els = document.querySelectorAll(
      '[data-testid="stElementContainer"], .js-plotly-plot .main-svg, canvas, iframe, .echarts-container');
    parts.push(els.length);
    for (const el of els) {
      const r = el.getBoundingClientRect();
      parts.push(Math.round(r.left), Math.round(r.top), Math.round(r.width), Math.round(r.height));
    }
    return parts.join(',');
  };
  const a = sig();
  await frame(); await frame();
  return a === sig() && document.fonts.status === 'loaded';
}
"""


def wait_for_layout(page, timeout: float = 60_000, stable_checks: int = 2) -> None:
    """Wait until the page can be measured: Streamlit has no run pending (`wait_for_app`), every web
    font is loaded (`document.fonts.ready`), and the layout did not change between two animation
    frames `stable_checks` times in a row (charts drawn, sidebar and scaling transitions over).

    Use it after `wait_for_app` (or instead of it) right before reading sizes, positions or colours;
    never a fixed sleep. `timeout` is in milliseconds.
    """
    deadline = time.monotonic() + timeout / 1000
    wait_for_app(page, timeout=timeout, settle_ms=200)
    in_a_row = 0
    while in_a_row < stable_checks:
        if time.monotonic() > deadline:
            raise TimeoutError("the page layout did not settle")
        if page.evaluate(_APP_IDLE_JS) and page.evaluate(_LAYOUT_SIGNATURE_JS):
            in_a_row += 1
        else:
            in_a_row = 0
            # a rerun started meanwhile (e.g. a component reported its size): wait for it to end
            remaining = max(1_000, (deadline - time.monotonic()) * 1000)
            page.wait_for_function(_APP_IDLE_JS, timeout=remaining, polling=100)
