"""Load benchmark over Streamlit's own browser protocol:

    python -m dashboard bench --load --sessions 20 --think 5 [--duration 120] [--url URL]

Each simulated session does what a browser does: loads the page HTML (keeping the cookies a proxy may
set for sticky routing), opens the websocket /_stcore/stream (subprotocol `streamlit`), asks for its
first page by URL path and query string (the session's first run, which starts with the `new_session`
handshake), then visits every page of the navigation in turn with a random scope — the district, a
chain or a park (weights equal) — sending what the browser sends when a page is picked after the sidebar
filters were changed: `BackMsg.rerun_script` with the page's script hash, the query string and the
sidebar widgets' states. A run is timed from the request until `ForwardMsg.script_finished`. Like the
browser, the session keeps the large element messages the server marks cacheable and lists their hashes
in the next request (the server then sends references instead), expiring them after the server's
`max_cached_message_age` runs; it sends the fragment reruns the server asks for (`auto_rerun`) while it
"thinks". A websocket that drops (a replica dies) is reopened and the run repeated, as the browser does;
it counts as a reconnect, not an error.

Sign-in: every simulated session has an account of its own (`ensure_accounts`: leaders, chain and park
staff with varied grants, created or refreshed in the app-state store the server uses — the one
DASHBOARD_STATE_URL names) and signs in as the browser does: the first run shows the login form, the
session submits 用户名/密码 with the form's submit button, the server answers with the one-time hand-over
code (the `lz_session_cookie` component), the session POSTs it to /api/auth/session, which sets the
HttpOnly cookie `lz_session`, and reports back to the component. The cookie goes with every later
websocket (a reconnect, e.g. to another replica, is signed in by it). A session visits only the pages its
role may open and picks scopes among the chains/parks its sidebar offers.

Errors: an exception element or an error alert on the page, a page other than the one asked for, a
compile error, `page_not_found`, a run that does not finish within `RUN_TIMEOUT_S`, or a reconnect
that fails.

Figures: p50/p95/max per page, page runs/s, bytes per run, the first runs of a (page, scope) in this
benchmark apart from repeated ones, server RSS (start, peak, end) and CPU, and memory per idle session:
RSS growth when `--idle-sessions` more sessions have each visited every page (district scope, warm
caches) and stay connected, divided by their number.
"""
from __future__ import annotations

import asyncio
import http.cookiejar
import json
import random
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

RUN_TIMEOUT_S = 300.0
CONNECT_TIMEOUT_S = 60.0
MAX_RECONNECTS_PER_RUN = 3
SCOPE_WIDGETS = {"季度": "quarter", "产业链": "chain", "园区": "park"}
ALL = "全部"
STAMP_MARK = "数据截至"
BENCH_PASSWORD = "Bench2026load"
BENCH_ROLES = ("leader", "chain", "park")
LOGIN_LABELS = {"用户名": "user", "密码": "password"}
LOGIN_BUTTON = "登录"
COOKIE_COMPONENT = "lz_session_cookie"
PAINTED_COMPONENT = "lz_painted"           # dashboard/lazy.py: reports the first paint
KIND_LABEL = {"fragment": "自动刷新片段", "painted": "首屏后补全"}


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    scope: str = ""           # 'C03' / 'P05' / 'C01,C04' ('' for leaders)
    password: str = BENCH_PASSWORD


def ensure_accounts(n: int, seed: int = 1, roles_cycle: tuple[str, ...] = BENCH_ROLES) -> list[Account]:
    """n accounts for the simulated sessions (roles in turn: leader, chain, park; chain and park accounts
    granted one or two random chains/parks), created or reset in the app-state store this process is
    configured with (DASHBOARD_STATE_URL) — which must be the server's."""
    from dashboard.auth import accounts
    rng = random.Random(seed)
    chains, parks = _ref_ids()
    out = []
    for i in range(n):
        role = roles_cycle[i % len(roles_cycle)]
        pool = chains if role == "chain" else parks if role == "park" else []
        scope = ",".join(sorted(rng.sample(pool, 1 + (rng.random() < 0.3)))) if pool else ""
        acc = Account(f"bench-{role}-{i + 1:02d}", role, scope)
        u = accounts.get(acc.name)
        if u is None:
            accounts.add_user(acc.name, role, acc.password, scope, display_name=f"压测{role}{i + 1:02d}",
                              temporary=False, by="bench")
        else:
            if u.role != role or ",".join(u.scope) != scope:
                accounts.set_grant(acc.name, role, scope, by="bench")
            if u.disabled:
                accounts.set_disabled(acc.name, False, by="bench")
            accounts.reset_password(acc.name, acc.password, by="bench", temporary=False)
        out.append(acc)
    return out


def disable_accounts(accs: list[Account]) -> None:
    """After the benchmark: the accounts (known password) stay in the store, disabled."""
    from dashboard.auth import accounts
    for a in accs:
        try:
            accounts.set_disabled(a.name, True, by="bench")
        except Exception:  # noqa: BLE001 - best effort
            pass


def pages_for(role: str, pages: list[str] | None = None) -> list[str]:
    """The url paths (of `pages`, default all) a role may open."""
    from dashboard.auth import roles
    return [p for p in (pages or default_pages()) if roles.may_open(role, p)]


def _ref_ids() -> tuple[list[str], list[str]]:
    import csv
    from dashboard.paths import DATA_DIR
    out = []
    for name, col in (("chains.csv", "chain_id"), ("parks.csv", "park_id")):
        with open(DATA_DIR / "ref" / name, encoding="utf-8") as fh:
            out.append([r[col] for r in csv.DictReader(fh)])
    return out[0], out[1]


# ------------------------------------------------------------------------------------------- results
@dataclass
class Run:
    session: int
    page: str                 # url path
    title: str
    scope: str                # '*' district, 'C03', 'P05'
    start_s: float            # since the benchmark started
    ms: float
    bytes: int
    n_msgs: int
    n_refs: int               # elements sent as references to the browser's cache
    cold: bool                # first run of this (page, scope) in this benchmark
    first_of_session: bool
    kind: str = "page"        # page | fragment
    ok: bool = True
    error: str | None = None
    reconnects: int = 0
    stamp: str | None = None  # the "数据截至 …" text the page showed
    element_bytes: dict[str, int] = field(default_factory=dict)


def pct(values: list[float], p: float) -> float:
    """Percentile by linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return float("nan")
    xs = sorted(values)
    k = (len(xs) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


# ------------------------------------------------------------------------------------ the protocol
class ProtocolError(RuntimeError):
    pass


class _MessageCache:
    """The browser's ForwardMsg cache (frontend ForwardMessageCache): cacheable messages by hash, aged
    in script runs; an entry not used for more than max_age finished runs is dropped."""

    def __init__(self):
        self.messages: dict[str, tuple[bytes, int]] = {}
        self.run_count = 0

    def hashes(self) -> list[str]:
        return list(self.messages)

    def store(self, msg, raw: bytes) -> None:
        if msg.metadata.cacheable and msg.hash and msg.hash not in self.messages:
            self.messages[msg.hash] = (raw, self.run_count)

    def get(self, h: str) -> bytes | None:
        hit = self.messages.get(h)
        if hit is None:
            return None
        self.messages[h] = (hit[0], self.run_count)
        return hit[0]

    def finished_run(self, max_age: int) -> None:
        self.run_count += 1
        for h, (_, seen) in list(self.messages.items()):
            if self.run_count - seen > max_age:
                del self.messages[h]


class BrowserSession:
    """One simulated browser tab on the app at `base` (http://host:port)."""

    def __init__(self, base: str, number: int, cookies: dict[str, str] | None = None,
                 account: Account | None = None):
        self.base = base.rstrip("/")
        self.number = number
        self.account = account
        self.login_form: dict[str, tuple[str, str]] = {}  # 'user'/'password'/'submit' → (widget id, form id)
        self.handoff: dict | None = None                  # the cookie component's data {url, code, id} + its id
        self.signed_in = False
        self.logins = 0
        self.extra_runs: list[Run] = []                   # logins and first-paint reruns of a visit
        self.painted_report: str | None = None            # the first-paint component's id on this page
        self.jar = http.cookiejar.CookieJar()
        host = urllib.parse.urlsplit(self.base).hostname
        for name, value in (cookies or {}).items():     # e.g. a proxy's routing cookie set earlier
            self.jar.set_cookie(http.cookiejar.Cookie(
                0, name, value, None, False, host, False, False, "/", True, False, None, True, None, None, {}))
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                                  urllib.request.HTTPCookieProcessor(self.jar))
        self.ws = None
        self.inbox: asyncio.Queue = asyncio.Queue()
        self.reader: asyncio.Task | None = None
        self.cache = _MessageCache()
        self.max_age = 2
        self.session_id: str | None = None
        self.pages: dict[str, tuple[str, str]] = {}      # url path → (script hash, title)
        self.widgets: dict[str, dict] = {}               # 'chain' → {id, options, value}
        self.auto_reruns: dict[str, float] = {}          # fragment id → interval (s)
        self.current_page: str | None = None
        self.query = ""
        self.runs_done = 0

    # -- connection
    def _get(self, path: str) -> bytes:
        with self.opener.open(self.base + path, timeout=CONNECT_TIMEOUT_S) as r:
            return r.read()

    def _cookie_header(self) -> str | None:
        req = urllib.request.Request(self.base + "/_stcore/stream")
        self.jar.add_cookie_header(req)
        return req.get_header("Cookie")

    async def connect(self, path_and_query: str = "/") -> None:
        from websockets.asyncio.client import connect
        # What the browser fetches before it opens the websocket (the HTML sets a proxy's cookies).
        await asyncio.to_thread(self._get, path_and_query)
        await asyncio.to_thread(self._get, "/_stcore/health")
        await asyncio.to_thread(self._get, "/_stcore/host-config")
        headers = {}
        cookie = self._cookie_header()
        if cookie:
            headers["Cookie"] = cookie
        ws_url = "ws" + self.base[len("http"):] + "/_stcore/stream"
        self.ws = await connect(ws_url, subprotocols=["streamlit"], origin=self.base, additional_headers=headers,
                                max_size=None, compression=None, proxy=None, ping_interval=None,
                                open_timeout=CONNECT_TIMEOUT_S, max_queue=None)
        self.inbox = asyncio.Queue()
        self.reader = asyncio.create_task(self._read(self.ws, self.inbox))

    @staticmethod
    async def _read(ws, inbox: asyncio.Queue) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        try:
            async for frame in ws:
                msg = ForwardMsg()
                msg.ParseFromString(frame)
                inbox.put_nowait((len(frame), msg, frame))
        except Exception as e:  # noqa: BLE001 - the run waiting on the inbox reports it
            inbox.put_nowait((0, None, e))
            return
        inbox.put_nowait((0, None, ConnectionError("websocket closed")))

    async def close(self) -> None:
        if self.ws is not None:
            try:
                await self.ws.close()
            except Exception:  # noqa: BLE001
                pass
        if self.reader is not None:
            self.reader.cancel()
            try:
                await self.reader
            except BaseException:  # noqa: BLE001
                pass
        self.ws = None

    # -- scope
    def query_for(self, scope: str) -> str:
        q = {}
        quarter = self.widgets.get("quarter", {}).get("value")
        if quarter:
            q["quarter"] = quarter
        if scope.startswith("C"):
            q["chain"] = scope
        elif scope.startswith("P"):
            q["park"] = scope
        return urllib.parse.urlencode(q)

    def _widget_states(self, scope: str):
        from streamlit.proto.WidgetStates_pb2 import WidgetStates
        ws = WidgetStates()
        for key, w in self.widgets.items():
            value = w["value"]
            if key == "chain":
                value = _option(w["options"], scope if scope.startswith("C") else None)
            elif key == "park":
                value = _option(w["options"], scope if scope.startswith("P") else None)
            if value is None:
                continue
            s = ws.widgets.add()
            s.id = w["id"]
            s.string_value = value
        return ws

    # -- runs
    async def visit(self, page: str, scope: str, cold: bool, t0: float) -> Run:
        """Open `page` (url path) with `scope`; reconnects (as the browser does) when the socket drops."""
        reconnects = 0
        while True:
            try:
                run = await self._visit_once(page, scope, cold, t0)
                if self.account is not None and "submit" in self.login_form:
                    # the cookie was not (or no longer) valid there: a new login, then the page again
                    login = await self.sign_in(page, scope, t0)
                    self.extra_runs.append(login)
                    if not login.ok:
                        login.reconnects = reconnects
                        return login
                    run = await self._visit_once(page, scope, cold, t0)
                run.reconnects = reconnects
                if run.ok and self.painted_report:
                    # what the browser does once it has drawn the session's first page: report it (the
                    # page then runs again, whole, with what it left out: dashboard/lazy.py)
                    self.extra_runs.append(await self.report_painted(page, scope, t0))
                return run
            except ProtocolError as e:
                return self._failed(page, scope, cold, t0, str(e), reconnects)
            except (ConnectionError, OSError, asyncio.IncompleteReadError) as e:
                reconnects += 1
                if reconnects > MAX_RECONNECTS_PER_RUN:
                    return self._failed(page, scope, cold, t0, f"重连失败:{e}", reconnects)
                await self.close()
                self.current_page = None          # a new session on the server: first run again
                self.cache = _MessageCache()
                try:
                    await asyncio.sleep(0.5 * reconnects)
                    await self.connect("/" + page + ("?" + self.query_for(scope) if scope else ""))
                except Exception as ce:  # noqa: BLE001
                    if reconnects >= MAX_RECONNECTS_PER_RUN:
                        return self._failed(page, scope, cold, t0, f"重连失败:{ce}", reconnects)

    # -- sign-in (what the browser does: login form → hand-over code → POST → cookie)
    def _post(self, path: str, body: str) -> int:
        req = urllib.request.Request(self.base + path, data=body.encode("utf-8"), method="POST",
                                     headers={"Content-Type": "text/plain"})
        try:
            with self.opener.open(req, timeout=CONNECT_TIMEOUT_S) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code

    def has_session_cookie(self) -> bool:
        from dashboard.auth.routes import COOKIE
        return any(c.name == COOKIE for c in self.jar)

    async def sign_in(self, page: str, scope: str, t0: float) -> Run:
        """Open `page` (anonymous: the login form), sign in with the session's account, hand the code
        over for the cookie. One Run of kind 'login' (the form, the submit, the hand-over report)."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        start = time.monotonic()
        n_bytes = n_msgs = 0

        def failed(err: str) -> Run:
            return Run(self.number, page, "登录", scope, start - t0, float("nan"), n_bytes, n_msgs, 0, False, True,
                       kind="login", ok=False, error=err)

        if self.current_page is None:
            first = await self._visit_once(page, scope, False, t0)
            n_bytes, n_msgs = first.bytes, first.n_msgs
            if not first.ok:
                return failed(f"登录页:{first.error}")
        if not {"user", "password", "submit"} <= set(self.login_form):
            return failed("未出现登录表单")
        if self.account is None:
            return failed("没有账号")
        form = dict(self.login_form)
        bm = BackMsg()
        rs = bm.rerun_script
        rs.query_string = self.query
        rs.page_script_hash = self.pages[page][0]
        for key, value in (("user", self.account.name), ("password", self.account.password)):
            w = rs.widget_states.widgets.add()
            w.id = form[key][0]
            w.string_value = value
        w = rs.widget_states.widgets.add()
        w.id = form["submit"][0]
        w.trigger_value = True
        _context(rs, self.base, page, self.query)
        r = await self._run(bm, page, scope, False, t0, False, kind="login", expect_hash=None)
        n_bytes += r.bytes
        n_msgs += r.n_msgs
        # (the page drawn after the login is judged by the visits that follow, not here)
        if self.handoff is None or not self.handoff.get("code"):
            return failed("登录后未收到会话交接码" + (f":{r.error}" if r.error else ""))
        handoff = dict(self.handoff)
        status = await asyncio.to_thread(self._post, handoff["url"], handoff["code"])
        if status != 200 or not self.has_session_cookie():
            return failed(f"交接码换取会话 cookie 失败(HTTP {status})")
        # the component reports back: a rerun with its trigger
        r = await self._trigger(handoff["_component_id"], "done", {"id": handoff.get("id"), "ok": True}, page, scope,
                                t0, kind="login")
        n_bytes += r.bytes
        n_msgs += r.n_msgs
        if self.handoff is not None:
            return failed("交接确认后页面仍在发送交接码")
        self.signed_in = True
        self.logins += 1
        return Run(self.number, page, "登录", scope, start - t0, (time.monotonic() - start) * 1000, n_bytes, n_msgs,
                   0, False, True, kind="login")

    def scope_choices(self) -> list[str]:
        """The scopes this session's sidebar offers: '*' where both filters offer 全部, every chain and
        park it lists."""
        out = []
        chain_opts = self.widgets.get("chain", {}).get("options", [])
        park_opts = self.widgets.get("park", {}).get("options", [])
        if ALL in chain_opts and ALL in park_opts:
            out.append("*")
        for opts in (chain_opts, park_opts):
            out += [o.split(" ", 1)[0] for o in opts if o != ALL]
        return out

    def _failed(self, page, scope, cold, t0, error, reconnects=0) -> Run:
        title = self.pages.get(page, (None, page))[1]
        return Run(self.number, page, title, scope, time.monotonic() - t0, float("nan"), 0, 0, 0, cold,
                   self.current_page is None, ok=False, error=error, reconnects=reconnects)

    async def _visit_once(self, page: str, scope: str, cold: bool, t0: float) -> Run:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        first = self.current_page is None
        bm = BackMsg()
        rs = bm.rerun_script
        self.query = self.query_for(scope)
        rs.query_string = self.query
        if first:                                    # a bookmark / typed URL: page by its path
            rs.page_name = page
        else:
            if page in self.pages:                   # a click in the navigation
                rs.page_script_hash = self.pages[page][0]
            else:                                    # a link by path (/overview is the default page '')
                rs.page_name = page
            rs.widget_states.CopyFrom(self._widget_states(scope))
        rs.cached_message_hashes.extend(self.cache.hashes())
        _context(rs, self.base, page, self.query)
        self.auto_reruns.clear()                     # the browser drops them when the page changes
        return await self._run(bm, page, scope, cold, t0, first, kind="page",
                               expect_hash=self.pages[page][0] if page in self.pages else None)

    async def _trigger(self, component_id: str, event: str, value, page: str, scope: str, t0: float,
                       kind: str) -> Run:
        """What a component does in the browser when it reports `event`: a rerun carrying its trigger."""
        from streamlit.components.v2.bidi_component.main import _make_trigger_id
        from streamlit.proto.BackMsg_pb2 import BackMsg
        bm = BackMsg()
        rs = bm.rerun_script
        rs.query_string = self.query
        rs.page_script_hash = self.pages[page][0]
        rs.widget_states.CopyFrom(self._widget_states(scope))
        w = rs.widget_states.widgets.add()
        w.id = _make_trigger_id(component_id, "events")
        w.json_trigger_value = json.dumps({"event": event, "value": value})
        rs.cached_message_hashes.extend(self.cache.hashes())
        _context(rs, self.base, page, self.query)
        return await self._run(bm, page, scope, False, t0, False, kind=kind, expect_hash=None)

    async def report_painted(self, page: str, scope: str, t0: float) -> Run:
        r = await self._trigger(self.painted_report, "painted", 1, self.current_page, scope, t0, kind="painted")
        if r.ok and self.painted_report:
            r.ok, r.error = False, "报告首屏绘制后页面仍在等待"
        return r

    async def fragment_rerun(self, fragment_id: str, t0: float) -> Run:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        bm = BackMsg()
        rs = bm.rerun_script
        rs.query_string = self.query
        rs.page_script_hash = self.pages[self.current_page][0]
        rs.fragment_id = fragment_id
        rs.is_auto_rerun = True
        rs.cached_message_hashes.extend(self.cache.hashes())
        _context(rs, self.base, self.current_page, self.query)
        return await self._run(bm, self.current_page, "-", False, t0, False, kind="fragment",
                               expect_hash=None)

    async def _run(self, bm, page, scope, cold, t0, first, kind, expect_hash) -> Run:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        if self.ws is None:
            raise ConnectionError("not connected")
        start = time.monotonic()
        self.login_form = {}
        self.handoff = None
        self.painted_report = None
        await self.ws.send(bm.SerializeToString())
        n_bytes = n_msgs = n_refs = 0
        errors: list[str] = []
        reached = None
        stamp = None
        elem_bytes: dict[str, int] = defaultdict(int)
        deadline = start + RUN_TIMEOUT_S
        while True:
            try:
                size, msg, raw = await asyncio.wait_for(self.inbox.get(), max(0.1, deadline - time.monotonic()))
            except TimeoutError:
                # Late messages of this run must not count for the next one: the next visit reconnects.
                await self.close()
                self.current_page = None
                return Run(self.number, page, self._title(page), scope, start - t0, float("nan"), n_bytes, n_msgs,
                           n_refs, cold, first, kind, ok=False, error=f"{RUN_TIMEOUT_S:.0f} 秒内未完成")
            if msg is None:
                raise raw if isinstance(raw, (ConnectionError, OSError)) else ConnectionError(str(raw))
            n_bytes += size
            n_msgs += 1
            typ = msg.WhichOneof("type")
            if typ == "ref_hash":
                n_refs += 1
                cached = self.cache.get(msg.ref_hash)
                if cached is None:
                    errors.append(f"缓存中没有消息 {msg.ref_hash}")
                    continue
                ref_size = size
                msg = ForwardMsg()
                msg.ParseFromString(cached)
                typ = msg.WhichOneof("type")
                size = ref_size
            else:
                self.cache.store(msg, raw)
            if typ == "new_session":
                ns = msg.new_session
                self.max_age = ns.config.max_cached_message_age or 2
                if ns.initialize.session_id:
                    self.session_id = ns.initialize.session_id
            elif typ == "navigation":
                self.pages = {}
                for p in msg.navigation.app_pages:
                    self.pages[p.url_pathname] = (p.page_script_hash, p.page_name)
                    if p.is_default:
                        self.pages[""] = (p.page_script_hash, p.page_name)
                reached = msg.navigation.page_script_hash
            elif typ == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif typ == "page_not_found":
                errors.append(f"页面不存在:{msg.page_not_found.page_name}")
            elif typ == "auto_rerun":
                self.auto_reruns[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
            elif typ == "stop_auto_rerun":
                for f in msg.stop_auto_rerun.fragment_ids:
                    self.auto_reruns.pop(f, None)
            elif typ == "delta":
                d = msg.delta
                dt_ = d.WhichOneof("type")
                if dt_ == "new_element":
                    el = d.new_element
                    et = el.WhichOneof("type") or "?"
                    elem_bytes[et] += size
                    self._inspect(el, et, errors)
                    if et == "markdown" and STAMP_MARK in el.markdown.body:
                        stamp = _stamp(el.markdown.body) or stamp
                    elif et == "html" and STAMP_MARK in el.html.body:
                        import html as _html
                        stamp = _stamp(_html.unescape(el.html.body)) or stamp
                else:
                    elem_bytes[dt_ or "?"] += size
            elif typ == "script_finished":
                status = msg.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    errors.append("脚本编译错误")
                break
        ms = (time.monotonic() - start) * 1000
        self.cache.finished_run(self.max_age)
        if kind == "page":
            self.current_page = page
            if page not in self.pages and reached:     # e.g. /overview is served as the default page ''
                titles = {h: t for h, t in self.pages.values()}
                self.pages[page] = (reached, titles.get(reached, page))
            if expect_hash is None and page in self.pages:
                expect_hash = self.pages[page][0]
            if reached is not None and expect_hash and reached != expect_hash:
                errors.append(f"打开的不是所请求的页面({page})")
            if reached is None and not errors:
                errors.append("未收到页面导航信息")
        self.runs_done += 1
        return Run(self.number, page, self._title(page), scope, start - t0, ms, n_bytes, n_msgs, n_refs, cold,
                   first, kind, ok=not errors, error="; ".join(errors) or None, stamp=stamp,
                   element_bytes=dict(elem_bytes))

    def _title(self, page: str) -> str:
        return self.pages.get(page, (None, page or "(默认)"))[1]

    def _inspect(self, el, et: str, errors: list[str]) -> None:
        if et == "text_input" and el.text_input.label in LOGIN_LABELS:
            self.login_form[LOGIN_LABELS[el.text_input.label]] = (el.text_input.id, el.text_input.form_id)
        elif et == "button" and el.button.label == LOGIN_BUTTON and el.button.is_form_submitter:
            self.login_form["submit"] = (el.button.id, el.button.form_id)
        elif et == "bidi_component" and el.bidi_component.component_name.endswith(COOKIE_COMPONENT):
            bc = el.bidi_component
            data = json.loads(bc.json) if bc.WhichOneof("data") == "json" else {}
            self.handoff = {**data, "_component_id": bc.id}
        elif et == "bidi_component" and el.bidi_component.component_name.endswith(PAINTED_COMPONENT):
            self.painted_report = el.bidi_component.id
        elif et == "exception":
            errors.append(f"异常:{el.exception.type}: {el.exception.message[:200]}")
        elif et == "alert":
            from streamlit.proto.Alert_pb2 import Alert
            if el.alert.format == Alert.ERROR:
                errors.append(f"错误提示:{el.alert.body[:200]}")
        elif et == "selectbox" and el.selectbox.label in SCOPE_WIDGETS:
            sb = el.selectbox
            key = SCOPE_WIDGETS[sb.label]
            prev = self.widgets.get(key, {})
            if sb.set_value and sb.HasField("raw_value"):
                value = sb.raw_value
            elif prev.get("id") == sb.id and prev.get("value") in sb.options:
                value = prev["value"]
            else:
                value = sb.options[sb.default] if sb.HasField("default") and sb.options else None
            self.widgets[key] = {"id": sb.id, "options": list(sb.options), "value": value}


def _option(options: list[str], code: str | None) -> str | None:
    if code is None:
        return ALL if ALL in options else None
    for o in options:
        if o == code or o.startswith(code + " "):
            return o
    return None


_STAMP_RE = None


def _stamp(body: str) -> str | None:
    """'数据截至 2026-09-30 · 演示数据' in the page header → '2026-09-30 · 演示数据' (None elsewhere)."""
    global _STAMP_RE
    if _STAMP_RE is None:
        import re
        _STAMP_RE = re.compile(STAMP_MARK + r" (\d{4}-\d{2}-\d{2} · [^<\n]+)")
    m = _STAMP_RE.search(body)
    return m.group(1).strip() if m else None


def _context(rs, base: str, page: str, query: str) -> None:
    ci = rs.context_info
    ci.timezone = "Asia/Shanghai"
    ci.timezone_offset = -480
    ci.locale = "zh-CN"
    ci.url = f"{base}/{page}" + (f"?{query}" if query else "")
    ci.is_embedded = False
    ci.color_scheme = "dark"


# -------------------------------------------------------------------------------------- the benchmark
@dataclass
class Settings:
    url: str
    sessions: int = 1
    think_s: float = 0.0
    duration_s: float | None = None       # None: every session visits every page once
    pids: list[int] = field(default_factory=list)
    idle_sessions: int = 5
    seed: int = 1
    pages: list[str] | None = None        # url paths; default: every page of dashboard.nav
    scopes: list[str] | None = None       # default: '*' + chains + parks of the warehouse
    cookies: list[dict[str, str]] | None = None   # session i starts with cookies[i % len] (tests: routing)
    on_run: object = None                 # callback(Run) (tests)
    accounts: list[Account] | None = None  # session i signs in as accounts[i % len]; default: ensure_accounts
    roles: tuple[str, ...] = BENCH_ROLES   # the roles of the default accounts, in turn
    disable_after: bool = True             # disable the default accounts when done


class LoadBench:
    def __init__(self, s: Settings):
        self.s = s
        self.rng = random.Random(s.seed)
        self.runs: list[Run] = []
        self.seen: set[tuple[str, str]] = set()
        self.rss: list[tuple[float, float]] = []
        self.t0 = 0.0
        self.stop_at: float | None = None

    def _rss_mb(self) -> float | None:
        if not self.s.pids:
            return None
        import psutil
        total = 0
        for pid in self.s.pids:
            try:
                total += psutil.Process(pid).memory_info().rss
            except psutil.Error:
                pass
        return total / 2**20

    def _cpu_s(self) -> float | None:
        if not self.s.pids:
            return None
        import psutil
        total = 0.0
        for pid in self.s.pids:
            try:
                t = psutil.Process(pid).cpu_times()
                total += t.user + t.system
            except psutil.Error:
                pass
        return total

    async def _sample_rss(self) -> None:
        while True:
            v = self._rss_mb()
            if v is not None:
                self.rss.append((time.monotonic() - self.t0, v))
            await asyncio.sleep(0.5)

    def _record(self, run: Run) -> None:
        self.runs.append(run)
        if callable(self.s.on_run):
            self.s.on_run(run)

    async def _think(self, sess: BrowserSession) -> None:
        """Wait like a reader of the page, sending the fragment reruns the page asked for meanwhile."""
        if self.s.think_s <= 0:
            return
        wait = self.rng.uniform(0.5, 1.5) * self.s.think_s
        end = time.monotonic() + wait
        due = {f: time.monotonic() + iv for f, iv in sess.auto_reruns.items()}
        while True:
            now = time.monotonic()
            nxt = min([end] + list(due.values()))
            if nxt > now:
                await asyncio.sleep(nxt - now)
            if time.monotonic() >= end:
                return
            for f, at in list(due.items()):
                if time.monotonic() >= at and f in sess.auto_reruns:
                    try:
                        self._record(await sess.fragment_rerun(f, self.t0))
                    except (ConnectionError, OSError) as e:
                        self._record(sess._failed(sess.current_page, "-", False, self.t0, f"连接中断:{e}"))
                        return
                    due[f] = time.monotonic() + sess.auto_reruns.get(f, 1e9)

    def _time_up(self) -> bool:
        """--duration is a minimum: the benchmark also goes on until every page a session's role may
        open has been asked for."""
        if self.stop_at is None or time.monotonic() < self.stop_at:
            return False
        return set(self.pages) <= {r.page for r in self.runs if r.kind == "page"}

    def _scope(self, sess: BrowserSession) -> str:
        choices = sess.scope_choices() or ["*"]
        if self.s.scopes:
            choices = [c for c in choices if c in self.s.scopes] or choices
        return self.rng.choice(choices)

    def _account(self, number: int) -> Account:
        return self.accounts[number % len(self.accounts)]

    async def _session(self, number: int, offset: int, delay: float) -> None:
        await asyncio.sleep(delay)
        cookies = self.s.cookies[number % len(self.s.cookies)] if self.s.cookies else None
        account = self._account(number)
        sess = BrowserSession(self.s.url, number, cookies, account)
        pages = pages_for(account.role, self.s.pages)
        order = pages[offset % len(pages):] + pages[:offset % len(pages)]
        try:
            first = order[0]
            try:
                await sess.connect("/" + first)
            except Exception as e:  # noqa: BLE001
                self._record(Run(number, first, first, "*", time.monotonic() - self.t0, float("nan"), 0, 0, 0,
                                 False, True, ok=False, error=f"无法连接:{e}"))
                return
            try:
                login = await sess.sign_in(first, "*", self.t0)
            except (ConnectionError, OSError) as e:          # the server went away during the login
                login = Run(number, first, "登录", "*", time.monotonic() - self.t0, float("nan"), 0, 0, 0, False,
                            True, kind="login", ok=False, error=f"登录时连接中断:{e}")
            self._record(login)
            if not login.ok:
                return
            i = 0
            while True:
                page = order[i % len(order)]
                scope = self._scope(sess)
                cold = (page, scope) not in self.seen
                self.seen.add((page, scope))
                run = await sess.visit(page, scope, cold, self.t0)
                for extra in sess.extra_runs:
                    self._record(extra)
                sess.extra_runs.clear()
                self._record(run)
                i += 1
                if self.stop_at is None and i >= len(order):
                    break
                if self._time_up():
                    break
                await self._think(sess)
                if self._time_up():
                    break
        finally:
            await sess.close()

    async def _idle_memory(self) -> dict:
        """RSS growth per session that has visited every page (district scope) and stays connected;
        the sessions are signed in as leaders (every page)."""
        n = self.s.idle_sessions
        if n <= 0 or not self.s.pids:
            return {}
        leaders = [a for a in self.accounts if a.role == "leader"] or self.accounts[:1]
        pages = pages_for(leaders[0].role, self.s.pages)
        errors = 0

        async def signed_in(number: int) -> BrowserSession:
            nonlocal errors
            sess = BrowserSession(self.s.url, number, None, leaders[number % len(leaders)])
            await sess.connect("/" + pages[0])
            login = await sess.sign_in(pages[0], "*", self.t0)
            errors += not login.ok
            return sess

        warm = await signed_in(-1)
        for p in pages:                                  # caches warm for these runs
            await warm.visit(p, "*", False, self.t0)
        await warm.close()
        await asyncio.sleep(1.0)
        before = self._rss_mb()
        sessions = []
        for k in range(n):
            sess = await signed_in(-2 - k)
            sessions.append(sess)
            for p in pages:
                r = await sess.visit(p, "*", False, self.t0)
                errors += not r.ok
        await asyncio.sleep(2.0)
        after = self._rss_mb()
        for sess in sessions:
            await sess.close()
        return {"idle_sessions": n, "rss_before_mb": round(before, 1), "rss_after_mb": round(after, 1),
                "mb_per_idle_session": round((after - before) / n, 2), "errors": errors}

    async def run(self) -> dict:
        created = self.s.accounts is None
        self.accounts = self.s.accounts or await asyncio.to_thread(
            ensure_accounts, max(self.s.sessions, 1), self.s.seed, self.s.roles)
        self.pages = sorted({p for a in self.accounts[:max(self.s.sessions, 1)]
                             for p in pages_for(a.role, self.s.pages)})
        settled = await self._settle()
        self.t0 = time.monotonic()
        sampler = asyncio.create_task(self._sample_rss())
        rss_start = self._rss_mb()
        cpu_start = self._cpu_s()
        n = self.s.sessions
        spread = min(self.s.think_s, 5.0) if self.s.think_s > 0 else 0.0
        if self.s.duration_s is not None:
            self.stop_at = self.t0 + self.s.duration_s
        n_pages = len(self.pages)
        tasks = [asyncio.create_task(self._session(i, (i * n_pages) // max(1, n), spread * i / max(1, n)))
                 for i in range(n)]
        try:
            await asyncio.gather(*tasks)
            wall = time.monotonic() - self.t0
            cpu_end = self._cpu_s()
            rss_end = self._rss_mb()
            idle = await self._idle_memory()
        finally:
            sampler.cancel()
            if created and self.s.disable_after:
                await asyncio.to_thread(disable_accounts, self.accounts)
        out = summarise(self.runs, wall, self.s)
        out["accounts"] = [{"name": a.name, "role": a.role, "scope": a.scope} for a in self.accounts[:max(n, 1)]]
        out["pages_expected"] = self.pages
        if rss_start is not None:
            out["server"] = {"pids": self.s.pids, "rss_start_mb": round(rss_start, 1),
                             "rss_peak_mb": round(max(v for _, v in self.rss), 1) if self.rss else None,
                             "rss_end_mb": round(rss_end, 1),
                             "cpu_cores": round((cpu_end - cpu_start) / wall, 2) if wall > 0 else None}
        out["idle"] = idle
        out["settle_s"] = settled
        return out

    async def _settle(self, quiet_cores: float = 0.05, quiet_s: float = 3.0, limit_s: float = 300.0) -> float | None:
        """Wait until the server is idle (its start-up work — the panels it computes for every scope in the
        background, dashboard/prefetch.py — is done): below `quiet_cores` for `quiet_s` seconds. Returns
        the seconds waited (None when the server's process ids are unknown)."""
        if not self.s.pids:
            return None
        start = time.monotonic()
        quiet_since = None
        last = self._cpu_s()
        while time.monotonic() - start < limit_s:
            await asyncio.sleep(0.5)
            now = self._cpu_s()
            busy = (now - last) / 0.5 if now is not None and last is not None else 0.0
            last = now
            if busy < quiet_cores:
                quiet_since = quiet_since or time.monotonic()
                if time.monotonic() - quiet_since >= quiet_s:
                    break
            else:
                quiet_since = None
        return round(time.monotonic() - start, 1)




def default_pages() -> list[str]:
    """Every page of the navigation, by URL path, in menu order ('/' itself only leads on to the start
    page, 总览 at /overview)."""
    from dashboard import nav
    return [p[4] for p in nav.existing()]


def default_scopes() -> list[str]:
    """'*' (the district), every chain and every park, read from the reference CSVs."""
    import csv
    from dashboard.paths import DATA_DIR
    out = ["*"]
    for name, col in (("chains.csv", "chain_id"), ("parks.csv", "park_id")):
        with open(DATA_DIR / "ref" / name, encoding="utf-8") as fh:
            out += [r[col] for r in csv.DictReader(fh)]
    return out


def summarise(runs: list[Run], wall_s: float, s: Settings) -> dict:
    page_runs = [r for r in runs if r.kind == "page"]
    ok = [r for r in page_runs if r.ok]
    by_page: dict[str, list[Run]] = defaultdict(list)
    logins = [r for r in runs if r.kind == "login"]
    for r in runs:
        if r.kind == "login":
            continue
        by_page[r.title if r.kind == "page" else f"{r.title}({KIND_LABEL[r.kind]})"].append(r)
    pages = []
    for title, rs in by_page.items():
        good = [r.ms for r in rs if r.ok]
        elems: dict[str, int] = defaultdict(int)
        for r in rs:
            for k, v in r.element_bytes.items():
                elems[k] += v
        pages.append({"page": title, "url_path": rs[0].page, "runs": len(rs), "errors": sum(not r.ok for r in rs),
                      "p50_ms": pct(good, 50), "p95_ms": pct(good, 95), "max_ms": max(good, default=float("nan")),
                      "cold_p50_ms": pct([r.ms for r in rs if r.ok and r.cold], 50),
                      "bytes_per_run": statistics.fmean([r.bytes for r in rs]) if rs else 0,
                      "refs_per_run": statistics.fmean([r.n_refs for r in rs]) if rs else 0,
                      "element_bytes_per_run": {k: v / len(rs) for k, v in sorted(elems.items(), key=lambda x: -x[1])}})
    order = {p: i for i, p in enumerate(s.pages or default_pages())}
    pages.sort(key=lambda p: (order.get(p["url_path"], 99), p["page"]))
    all_ms = [r.ms for r in ok]
    return {
        "url": s.url, "sessions": s.sessions, "think_s": s.think_s, "duration_s": s.duration_s, "wall_s": wall_s,
        "runs": len(page_runs), "fragment_runs": sum(r.kind == "fragment" for r in runs),
        "painted_runs": sum(r.kind == "painted" for r in runs),
        "logins": len(logins), "login_errors": sum(not r.ok for r in logins),
        "login_p50_ms": pct([r.ms for r in logins if r.ok], 50),
        "errors": sum(not r.ok for r in runs), "reconnects": sum(r.reconnects for r in runs),
        "runs_per_s": len(ok) / wall_s if wall_s > 0 else float("nan"),
        "p50_ms": pct(all_ms, 50), "p95_ms": pct(all_ms, 95),
        "cold_p50_ms": pct([r.ms for r in ok if r.cold], 50), "cold_p95_ms": pct([r.ms for r in ok if r.cold], 95),
        "warm_p50_ms": pct([r.ms for r in ok if not r.cold], 50),
        "warm_p95_ms": pct([r.ms for r in ok if not r.cold], 95),
        "bytes_per_run": statistics.fmean([r.bytes for r in page_runs]) if page_runs else 0,
        "bytes_total": sum(r.bytes for r in runs), "msgs_total": sum(r.n_msgs for r in runs),
        "pages_reached": sorted({r.page for r in ok}),
        "error_samples": [f"{r.title}: {r.error}" for r in runs if not r.ok][:20],
        "stamps": sorted({r.stamp for r in runs if r.stamp}),
        "pages": pages,
    }


def _f(x: float, nd: int = 0) -> str:
    return "—" if x != x else f"{x:,.{nd}f}"   # NaN → —


def format_report(res: dict) -> str:
    out = [f"负载测试 · {res['url']} · {res['sessions']} 个会话 · 思考时间 {res['think_s']:g} 秒 · "
           f"{'持续 %g 秒' % res['duration_s'] if res['duration_s'] else '每个会话访问每个页面一次'} · 实测 {res['wall_s']:.1f} 秒",
           "",
           f"{'页面':<14}{'次数':>6}{'错误':>6}{'p50 ms':>9}{'p95 ms':>9}{'最大 ms':>9}{'首次 p50':>10}{'KB/次':>9}  最大的元素消息(KB/次)"]
    for p in res["pages"]:
        top = ", ".join(f"{k} {v / 1024:,.0f}" for k, v in list(p["element_bytes_per_run"].items())[:3])
        out.append(f"{_pad(p['page'], 14)}{p['runs']:>6}{p['errors']:>6}{_f(p['p50_ms']):>9}{_f(p['p95_ms']):>9}"
                   f"{_f(p['max_ms']):>9}{_f(p['cold_p50_ms']):>10}{p['bytes_per_run'] / 1024:>9,.0f}  {top}")
    out += ["",
            f"登录 {res['logins']} 次(失败 {res['login_errors']} 次,p50 {_f(res['login_p50_ms'])} ms:登录表单、提交、交接码换 cookie)",
            f"页面运行 {res['runs']} 次(另有自动刷新片段 {res['fragment_runs']} 次、首屏后补全 {res.get('painted_runs', 0)} 次),错误 {res['errors']},重连 {res['reconnects']};"
            f"吞吐 {res['runs_per_s']:.2f} 次/秒",
            f"全部:p50 {_f(res['p50_ms'])} ms,p95 {_f(res['p95_ms'])} ms;该范围首次:p50 {_f(res['cold_p50_ms'])} ms,"
            f"p95 {_f(res['cold_p95_ms'])} ms;重复:p50 {_f(res['warm_p50_ms'])} ms,p95 {_f(res['warm_p95_ms'])} ms",
            f"每次页面运行平均传输 {res['bytes_per_run'] / 1024:,.0f} KB"]
    if res.get("settle_s") is not None:
        out.append(f"开始前等待服务端空闲(后台为各范围预先计算面板结果){res['settle_s']:.0f} 秒")
    sv = res.get("server")
    if sv:
        out.append(f"服务端内存 RSS:开始 {sv['rss_start_mb']:.0f} MiB,峰值 {sv['rss_peak_mb']:.0f} MiB,结束 "
                   f"{sv['rss_end_mb']:.0f} MiB;CPU 平均占用 {sv['cpu_cores']:.2f} 核")
    idle = res.get("idle") or {}
    if idle:
        out.append(f"空闲会话内存:{idle['idle_sessions']} 个会话各访问全部页面后保持连接,RSS {idle['rss_before_mb']:.0f} → "
                   f"{idle['rss_after_mb']:.0f} MiB,每个会话 {idle['mb_per_idle_session']:.1f} MiB")
    if res["stamps"]:
        out.append("页面显示的数据版本:" + ";".join(res["stamps"]))
    if res["error_samples"]:
        out += ["", "错误示例:"] + ["  " + e for e in res["error_samples"]]
    return "\n".join(out)


def _pad(s: str, width: int) -> str:
    import unicodedata
    w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
    return s + " " * max(1, width - w)


def run(settings: Settings) -> dict:
    return asyncio.run(LoadBench(settings).run())


def main_from_args(args) -> int:
    """`python -m dashboard bench --load …`: against --url, or a server of its own on a free port."""
    from dashboard import db
    from dashboard.cluster import Replica
    server = None
    pids = list(args.pid or [])
    url = args.url
    log = None
    if not url:
        path = db.db_path()
        if not path.exists():
            print(f"错误:找不到数据仓库文件 {path}", file=sys.stderr)
            return 2
        log = tempfile.NamedTemporaryFile(prefix="load-bench-server-", suffix=".log", delete=False)
        server = Replica(port=None, env={"DASHBOARD_DB": str(path)}, log_path=Path(log.name))
        print(f"启动服务(数据仓库 {path})…", file=sys.stderr, flush=True)
        try:
            url = server.start(timeout=120)
        except RuntimeError as e:
            print(f"错误:{e}", file=sys.stderr)
            return 1
        pids = [server.pid]
    settings = Settings(url=url.rstrip("/"), sessions=args.sessions, think_s=args.think, duration_s=args.duration,
                        pids=pids, idle_sessions=args.idle_sessions, seed=args.seed,
                        roles=tuple(r.strip() for r in (getattr(args, "roles", None) or ",".join(BENCH_ROLES)).split(",")
                                    if r.strip()))
    try:
        res = run(settings)
    finally:
        if server is not None:
            server.stop()
    print(format_report(res))
    if args.json:
        Path(args.json).write_text(json.dumps(res, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return 0 if res["errors"] == 0 else 1


if __name__ == "__main__":   # python -m tools.bench.load URL [sessions] [think]
    u = sys.argv[1]
    r = run(Settings(url=u, sessions=int(sys.argv[2]) if len(sys.argv) > 2 else 1,
                     think_s=float(sys.argv[3]) if len(sys.argv) > 3 else 0.0, idle_sessions=0))
    print(format_report(r))
