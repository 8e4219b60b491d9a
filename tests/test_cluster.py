"""Replicas behind nginx (`python -m dashboard cluster`, deploy/): a real nginx and two real Streamlit
replicas on free loopback ports, sessions speaking the browser's websocket protocol through nginx.

- sessions through nginx run every page; each sticks to one replica (the routing cookie);
- a publish during the load: 0 errors, and both replicas serve the new version right after;
- a replica killed under load: its sessions reconnect to the other one (a reconnect, no error), which
  keeps serving; `restart_dead` brings the dead one back on its port;
- the files in deploy/ are valid: nginx -t on the site as installed, the upload limit equal to
  Streamlit's, the systemd template unit, the docker compose file (YAML; docker does not run here).

nginx is Debian's package (make sysdeps installs it as root). Without it these tests are skipped, unless
DASHBOARD_REQUIRE_BROWSER=1 (as `make test` sets for root), when they fail.
"""
from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT, scalar

sys.path.insert(0, ROOT)

from dashboard.cluster import Cluster, find_nginx, free_port  # noqa: E402
from dashboard.dataio.limits import max_upload_mb  # noqa: E402

DEPLOY = Path(ROOT) / "deploy"
NGINX = find_nginx()
needs_nginx = pytest.mark.skipif(
    NGINX is None and os.environ.get("DASHBOARD_REQUIRE_BROWSER") != "1",
    reason="nginx is not installed (make sysdeps as root installs it)")


# --------------------------------------------------------------------------------------------- helpers
def _access_log(cl: Cluster) -> list[dict]:
    """The nginx access log of the cluster (format `dashboard` of deploy/nginx/dashboard-http.conf)."""
    rows = []
    path = cl.run_dir / "access.log"
    if not path.exists():
        return rows
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        m = re.search(r'"(\S+) (\S+) [^"]*" (\d+) (\d+) upstream=(\S+) route=(\S+)', line)
        if m:
            rows.append({"method": m[1], "path": m[2], "status": int(m[3]), "bytes": int(m[4]),
                         "upstream": m[5], "route": m[6]})
    return rows


def _route_cookies(cl: Cluster) -> dict[int, str]:
    """A routing-cookie value that nginx sends to each replica (port → value), found by asking nginx."""
    import urllib.request
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    found: dict[int, str] = {}
    for k in range(64):
        value = f"probe{k}"
        req = urllib.request.Request(cl.nginx.url + "/_stcore/health", headers={"Cookie": f"dashboard_route={value}"})
        with opener.open(req, timeout=10) as r:
            assert r.status == 200
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            hit = [row for row in _access_log(cl) if row["route"] == value]
            if hit:
                port = int(hit[-1]["upstream"].rsplit(":", 1)[1])
                found.setdefault(port, value)
                break
            time.sleep(0.05)
        if len(found) == len(cl.members):
            return found
    raise AssertionError(f"nginx sent 64 routing cookies to only {sorted(found)}")


def _in_thread(fn):
    """Run `fn` in a thread of its own: the Playwright fixtures of other tests may keep an event loop
    running in the main thread, where asyncio.run() refuses to start."""
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(1) as ex:
        return ex.submit(fn).result()


def _open_page(url: str, page: str = "overview") -> tuple[bool, str | None, str | None]:
    """One new browser session on `url` opening `page`: (ok, error, data stamp shown)."""
    import asyncio

    from tools.bench.load import BrowserSession

    from tools.bench.load import ensure_accounts

    account = ensure_accounts(1)[0]               # a leader, in the store the replicas share

    async def go():
        s = BrowserSession(url, 0, account=account)
        try:
            await s.connect("/" + page)
            t0 = time.monotonic()
            login = await s.sign_in(page, "*", t0)
            if not login.ok:
                return False, login.error, None
            r = await s.visit(page, "*", True, t0)
            return r.ok, r.error, r.stamp
        finally:
            await s.close()
    return _in_thread(lambda: asyncio.run(go()))


# The replicas are what these tests are about: the sessions sign in as leaders (every data page and 大屏);
# the role mix is test_load_bench's.
LEADERS = ("leader",)


def _data_pages() -> list[str]:
    """What the bench's leader accounts open: the data pages and 大屏."""
    from dashboard.auth import roles
    from tools.bench.load import default_pages
    return [p for p in default_pages() if p in roles.DATA_PAGES | {"bigscreen"}]


def _wait_for(cond, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while True:
        v = cond()
        if v:
            return v
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:.0f} s: {what}")
        time.sleep(0.2)


# ------------------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def shared_warehouse(warehouse_path, tmp_path_factory) -> Path:
    """A copy of the ×1 warehouse that the replicas share (a publish repoints it into a versions folder)."""
    d = tmp_path_factory.mktemp("shared")
    path = d / "warehouse.duckdb"
    shutil.copyfile(warehouse_path, path)
    return path


@pytest.fixture(scope="module")
def workbook(shared_warehouse, tmp_path_factory) -> Path:
    """The warehouse exported as the import workbook: publishing it makes a new version (导入数据)."""
    from dashboard.dataio import publish
    out = tmp_path_factory.mktemp("wb") / "季度数据.xlsx"
    publish.export_warehouse(out, shared_warehouse)
    return out


@pytest.fixture(scope="module")
def pg_state_url():
    """A real PostgreSQL (initdb/pg_ctl as the postgres OS user, a loopback port, a temp dir) as the
    app-state store of the replicas — and of this test process while the module runs, so the accounts
    the sessions sign in with (and the data administrator a publish requires) live there too."""
    from auth_support import PgCluster, pg_unavailable_reason
    from conftest import ensure_test_users

    from dashboard.auth import store
    reason = pg_unavailable_reason()
    if reason:
        if os.environ.get("DASHBOARD_REQUIRE_BROWSER") == "1":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    pg = PgCluster()
    url = pg.start()
    old = os.environ.get(store.ENV_URL)
    os.environ[store.ENV_URL] = url
    try:
        ensure_test_users()
        yield url
    finally:
        store.engine(store.url()).dispose()
        if old is None:
            os.environ.pop(store.ENV_URL, None)
        else:
            os.environ[store.ENV_URL] = old
        pg.stop()


@pytest.fixture(scope="module")
def cluster(shared_warehouse, tmp_path_factory, pg_state_url):
    run_dir = tmp_path_factory.mktemp("cluster-run")
    # One app-state database for both replicas: a real PostgreSQL, as in production.
    cl = Cluster(replicas=2, port=free_port(), db_path=shared_warehouse, state_url=pg_state_url, run_dir=run_dir)
    try:
        cl.start(timeout=180)
    except RuntimeError as e:
        pytest.fail(str(e), pytrace=False)
    yield cl
    cl.stop()


# ---------------------------------------------------------------------------------------------- tests
@needs_nginx
def test_replicas_get_the_shared_environment(cluster, shared_warehouse):
    import psutil
    secrets_seen = set()
    for r in cluster.members:
        env = psutil.Process(r.pid).environ()
        assert env["DASHBOARD_DB"] == str(shared_warehouse)
        assert env["DASHBOARD_STATE_URL"] == cluster.state_url
        assert env["DASHBOARD_STATE_URL"].startswith("postgresql://127.0.0.1:") or \
            env["DASHBOARD_STATE_URL"].startswith("postgresql://postgres@127.0.0.1:")
        secrets_seen.add((env["STREAMLIT_SERVER_COOKIE_SECRET"], env["DASHBOARD_AUDIT_KEY"]))
        conns = [c for c in psutil.Process(r.pid).net_connections("tcp") if c.status == psutil.CONN_LISTEN]
        assert [(c.laddr.ip, c.laddr.port) for c in conns] == [("127.0.0.1", r.port)]   # loopback only
    assert len(secrets_seen) == 1 and len(next(iter(secrets_seen))[0]) >= 32
    assert len({r.port for r in cluster.members}) == 2


@needs_nginx
def test_a_sign_in_on_one_replica_is_valid_on_the_other(cluster):
    """The cookie a replica set after the login opens pages on the other replica without a login."""
    import asyncio

    from tools.bench.load import BrowserSession, ensure_accounts

    account = ensure_accounts(2)[1]                       # a chain account: its own scope
    a, b = cluster.members

    async def go():
        s1 = BrowserSession(a.url, 0, account=account)
        t0 = time.monotonic()
        await s1.connect("/chain")
        login = await s1.sign_in("chain", "*", t0)
        await s1.close()
        assert login.ok, login.error
        cookies = {c.name: c.value for c in s1.jar}
        s2 = BrowserSession(b.url, 1, cookies=cookies)    # no account: a login form would fail the run
        try:
            await s2.connect("/chain")
            r = await s2.visit("chain", "*", True, t0)
            return r, s2.login_form, s2.scope_choices()
        finally:
            await s2.close()
    r, form, scopes = _in_thread(lambda: asyncio.run(go()))
    assert r.ok, r.error
    assert not form                                       # signed in by the cookie alone
    assert r.title == "产业链"
    assert scopes == [x for x in account.scope.split(",")] + scopes[len(account.scope.split(",")):]
    assert "*" not in scopes                              # the chain account's grant, not the district


@needs_nginx
def test_sessions_through_nginx_publish_during_load(cluster, shared_warehouse, workbook, raw):
    from dashboard.dataio import publish
    from tools.bench.load import LoadBench, Settings

    routes = _route_cookies(cluster)                      # one cookie per replica: both get sessions
    log_start = len(_access_log(cluster))
    runs = []
    bench = LoadBench(Settings(url=cluster.nginx.url, sessions=4, think_s=0.0, duration_s=600, idle_sessions=0, roles=LEADERS,
                               cookies=[{"dashboard_route": v} for v in routes.values()],
                               on_run=runs.append))
    result: dict = {}
    t = threading.Thread(target=lambda: result.update(__import__("asyncio").run(bench.run())), daemon=True)
    t.start()
    _wait_for(lambda: len([r for r in runs if r.ok]) >= 8, 120, "8 page runs before the publish")
    t_pub = time.monotonic() - bench.t0
    res = publish.import_files([workbook], db=shared_warehouse, mode="replace")
    assert res.published, res.message
    t_done = time.monotonic() - bench.t0
    bench.stop_at = time.monotonic() + 10                 # the load goes on a while on the new version
    t.join(timeout=300)
    assert not t.is_alive()

    assert result["errors"] == 0, result["error_samples"]
    assert result["reconnects"] == 0
    assert set(result["pages_reached"]) == set(result["pages_expected"]) == set(_data_pages())
    after = [r for r in runs if r.kind == "page" and r.start_s > t_done]
    before = [r for r in runs if r.kind == "page" and r.start_s + r.ms / 1000 < t_pub]
    assert len(after) >= 4, "the load went on after the publish"
    # Pages showed the old version before the publish and the new one after it, read from the files.
    as_of = scalar(raw, "SELECT value FROM meta WHERE key = 'as_of'")
    # (every page but the large screen, which has no page header, shows the stamp)
    assert {r.stamp for r in before if r.page != "bigscreen"} == {f"{as_of} · 演示数据"}
    assert {r.stamp for r in after if r.page != "bigscreen"} == {f"{as_of} · 导入数据"}

    # Sessions stuck to their replica, and both replicas served sessions through nginx.
    streams = [row for row in _access_log(cluster)[log_start:] if row["path"] == "/_stcore/stream"]
    assert {int(row["upstream"].rsplit(":", 1)[1]) for row in streams} == {r.port for r in cluster.members}
    for port, route in routes.items():
        assert {row["upstream"] for row in _access_log(cluster)[log_start:] if row["route"] == route} == \
            {f"127.0.0.1:{port}"}
    # What the sessions received is what nginx sent them over the websockets (frame headers aside).
    sent = sum(row["bytes"] for row in streams)
    assert result["bytes_total"] <= sent <= result["bytes_total"] + 16 * result["msgs_total"] + 4096

    # Each replica, asked directly, serves the new version (within 60 s; here at once).
    for r in cluster.members:
        ok, err, stamp = _wait_for(lambda r=r: (lambda x: x if x[2] and "导入数据" in x[2] else None)(_open_page(r.url)),
                                   60, f"replica {r.port} serves the new version")
        assert ok, err
        assert stamp == f"{as_of} · 导入数据"


@needs_nginx
def test_a_dead_replica_costs_a_reconnect(cluster):
    from tools.bench.load import LoadBench, Settings

    routes = _route_cookies(cluster)
    victim, survivor = cluster.members
    log_start = len(_access_log(cluster))
    runs = []
    bench = LoadBench(Settings(url=cluster.nginx.url, sessions=4, think_s=0.0, duration_s=600, idle_sessions=0, roles=LEADERS,
                               cookies=[{"dashboard_route": routes[victim.port]},
                                        {"dashboard_route": routes[survivor.port]}],
                               on_run=runs.append))
    result: dict = {}
    t = threading.Thread(target=lambda: result.update(__import__("asyncio").run(bench.run())), daemon=True)
    t.start()
    # every session signed in, and pages run on the replica about to die (a replica dying in the middle
    # of a login costs that login, not a reconnect: not what this test is about)
    _wait_for(lambda: len([r for r in runs if r.ok and r.kind == "login"]) == 4
              and len([r for r in runs if r.ok and r.kind == "page" and r.session % 2 == 0]) >= 3, 120,
              "runs on the replica about to die")
    victim.kill()
    t_kill = time.monotonic() - bench.t0
    bench.stop_at = time.monotonic() + 10
    t.join(timeout=300)
    assert not t.is_alive()

    assert not victim.alive()
    assert result["errors"] == 0, result["error_samples"]
    # The sessions on the dead replica reconnected (once each) and carried on on the survivor, signed in
    # by their cookie (the sessions live in the shared store): no second login.
    assert 1 <= result["reconnects"] <= 2
    assert result["logins"] == 4 and result["login_errors"] == 0
    moved = [r for r in runs if r.session % 2 == 0 and r.start_s > t_kill + 1]
    assert moved and all(r.ok for r in moved)
    assert set(result["pages_reached"]) == set(result["pages_expected"]) == set(_data_pages())
    streams_after = [row for row in _access_log(cluster)[log_start:]
                     if row["path"] == "/_stcore/stream" and row["status"] == 101]
    assert f"127.0.0.1:{survivor.port}" in {row["upstream"] for row in streams_after}
    ok, err, _ = _open_page(cluster.nginx.url)
    assert ok, err

    # The supervisor's restart: the replica comes back on its port and serves again.
    assert cluster.restart_dead() == [victim.port]
    from dashboard.cluster import wait_healthy
    wait_healthy(victim.url, 120, victim.alive)
    ok, err, _ = _open_page(victim.url, "chain")
    assert ok, err


# ------------------------------------------------------------------------------------- deploy/ files
def test_upload_limit_matches_nginx():
    conf = (DEPLOY / "nginx" / "dashboard-proxy.conf").read_text(encoding="utf-8")
    m = re.search(r"^client_max_body_size\s+(\d+)m;", conf, re.M)
    assert m and int(m[1]) == max_upload_mb()


def test_nginx_snippets_keep_headers_and_timeouts():
    conf = (DEPLOY / "nginx" / "dashboard-proxy.conf").read_text(encoding="utf-8")
    body = re.sub(r"#.*", "", conf)
    stream = re.search(r"location = /_stcore/stream \{([^}]*)\}", body)[1]
    assert "proxy_read_timeout 1d;" in stream and "proxy_buffering off;" in stream
    # proxy_set_header only at server level: a location with its own would inherit none of them.
    for block in re.findall(r"location [^{]*\{([^}]*)\}", body):
        assert "proxy_set_header" not in block
    for needle in ("proxy_set_header Upgrade $http_upgrade;", "proxy_set_header Connection $connection_upgrade;",
                   "proxy_set_header Host $http_host;"):
        assert needle in body
    http = (DEPLOY / "nginx" / "dashboard-http.conf").read_text(encoding="utf-8")
    assert "map $cookie_dashboard_route $dashboard_route" in http
    site = (DEPLOY / "nginx" / "dashboard.conf").read_text(encoding="utf-8")
    assert "hash $dashboard_route consistent;" in site


@needs_nginx
def test_nginx_site_as_installed_passes_nginx_t(tmp_path):
    """deploy/nginx installed as the README says (conf.d/ + snippets/) under a throwaway prefix."""
    (tmp_path / "snippets").mkdir()
    (tmp_path / "conf.d").mkdir()
    for name in ("dashboard-http.conf", "dashboard-proxy.conf"):
        shutil.copy(DEPLOY / "nginx" / name, tmp_path / "snippets" / name)
    site = (DEPLOY / "nginx" / "dashboard.conf").read_text(encoding="utf-8")
    site = site.replace("/var/log/nginx/", f"{tmp_path}/").replace("listen 80;", f"listen 127.0.0.1:{free_port()};")
    (tmp_path / "conf.d" / "dashboard.conf").write_text(site, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include conf.d/*.conf;\n}}\n", encoding="utf-8")
    p = subprocess.run([NGINX, "-t", "-p", f"{tmp_path}/", "-c", str(tmp_path / "nginx.conf"),
                        "-e", str(tmp_path / "error.log")], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert "syntax is ok" in p.stderr and "test is successful" in p.stderr


def test_systemd_units():
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read(DEPLOY / "systemd" / "streamlit@.service", encoding="utf-8")
    svc = unit["Service"]
    cmd = svc["ExecStart"].split()
    assert cmd[1:4] == ["-m", "streamlit", "run"] and cmd[4] == "app.py"     # router + sign-in routes
    assert cmd[cmd.index("--server.port") + 1] == "%i"                     # the instance is the port
    assert cmd[cmd.index("--server.address") + 1] == "127.0.0.1"           # only nginx reaches it
    assert svc["Restart"] == "always" and svc["EnvironmentFile"].startswith("/etc/dashboard/")
    assert unit["Install"]["WantedBy"] == "dashboard.target"
    assert unit["Unit"]["PartOf"] == "dashboard.target"
    text = (DEPLOY / "systemd" / "streamlit@.service").read_text(encoding="utf-8")
    for var in ("DASHBOARD_DB", "DASHBOARD_STATE_URL", "DASHBOARD_AUDIT_KEY", "STREAMLIT_SERVER_COOKIE_SECRET"):
        assert var in text
    target = configparser.ConfigParser(strict=False, interpolation=None)
    target.read(DEPLOY / "systemd" / "dashboard.target", encoding="utf-8")
    wants = target["Unit"]["Wants"].split()
    ports = [int(w.split("@")[1].split(".")[0]) for w in wants]
    site = (DEPLOY / "nginx" / "dashboard.conf").read_text(encoding="utf-8")
    listed = [int(x) for x in re.findall(r"server 127\.0\.0\.1:(\d+)", site)]
    assert set(ports) <= set(listed)                                     # nginx knows every default replica


def test_docker_compose_file():
    import yaml
    compose_dir = DEPLOY / "docker"
    doc = yaml.safe_load((compose_dir / "compose.yaml").read_text(encoding="utf-8"))
    services = doc["services"]
    apps = sorted(s for s in services if re.fullmatch(r"app\d+", s))
    assert apps == ["app1", "app2"]
    env = [services[a]["environment"] for a in apps]
    assert env[0] == env[1]                                               # merged from the same anchor
    assert env[0]["DASHBOARD_DB"].startswith("/srv/dashboard/data/")
    assert "@postgres:5432/" in env[0]["DASHBOARD_STATE_URL"]
    assert "STREAMLIT_SERVER_COOKIE_SECRET" in env[0]
    for a in apps:
        assert "warehouse:/srv/dashboard/data" in services[a]["volumes"]   # one shared warehouse
        assert services[a]["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert (Path(compose_dir) / services[a]["build"]["context"] / services[a]["build"]["dockerfile"]).is_file()
    assert "warehouse" in doc["volumes"] and "pgdata" in doc["volumes"]
    nginx = services["nginx"]
    for vol in nginx["volumes"]:
        src = vol.split(":")[0]
        assert (compose_dir / src).is_file(), src
    site = (compose_dir / "nginx-site.conf").read_text(encoding="utf-8")
    assert sorted(re.findall(r"server (app\d+):8501", site)) == apps
    assert "include snippets/dashboard-proxy.conf;" in site and "hash $dashboard_route consistent;" in site
    assert services["warehouse-init"]["environment"]["DASHBOARD_DB"] == env[0]["DASHBOARD_DB"]
    for dep in ("warehouse-init", "postgres"):
        assert dep in services


@needs_nginx
def test_cluster_command_serves_restarts_and_stops(shared_warehouse, tmp_path):
    """`python -m dashboard cluster` end to end: serves through nginx, passes --state-url on, restarts a
    replica that dies, and Ctrl-C stops nginx and every replica."""
    import json
    import signal

    import psutil

    run_dir, port = tmp_path / "run", free_port()
    state_url = os.environ["DASHBOARD_STATE_URL"]      # the store this test signs in through
    log = open(tmp_path / "cluster.out", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "dashboard", "--db", str(shared_warehouse), "cluster",
                             "--replicas", "1", "--port", str(port), "--run-dir", str(run_dir),
                             "--state-url", state_url],
                            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        state_file = run_dir / "cluster.json"
        _wait_for(lambda: state_file.exists() or proc.poll() is not None, 180, "cluster.json")
        assert proc.poll() is None, (tmp_path / "cluster.out").read_text()
        state = json.loads(state_file.read_text(encoding="utf-8"))
        assert state["url"] == f"http://127.0.0.1:{port}"
        ok, err, stamp = _open_page(state["url"], "coverage")
        assert ok, err
        assert stamp and stamp.endswith("数据")
        first = state["replicas"][0]
        assert psutil.Process(first["pid"]).environ()["DASHBOARD_STATE_URL"] == state_url
        assert "nginx" in psutil.Process(state["nginx_pid"]).name()

        os.killpg(first["pid"], signal.SIGKILL)                   # the replica dies …
        def restarted():
            s = json.loads(state_file.read_text(encoding="utf-8"))
            return s if s["replicas"][0]["pid"] != first["pid"] else None
        state2 = _wait_for(restarted, 60, "the replica restarted")   # … and is started again on its port
        assert state2["replicas"][0]["port"] == first["port"]
        ok, err = False, None
        deadline = time.monotonic() + 120
        while not ok and time.monotonic() < deadline:
            try:
                ok, err, _ = _open_page(state["url"], "chain")
            except OSError as e:
                err = str(e)
                time.sleep(0.5)
        assert ok, err

        proc.send_signal(signal.SIGINT)                            # Ctrl-C
        assert proc.wait(timeout=60) == 0
        for pid in (state2["replicas"][0]["pid"], state["nginx_pid"]):
            assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    finally:
        if proc.poll() is None:                                    # a failed test: leave nothing running
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            try:
                s = json.loads((run_dir / "cluster.json").read_text(encoding="utf-8"))
                for pid in [r["pid"] for r in s["replicas"]] + [s["nginx_pid"]]:
                    try:
                        os.killpg(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
            except (OSError, ValueError):
                pass
        log.close()
