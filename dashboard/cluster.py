"""python -m dashboard cluster --replicas N --port P [--state-url URL] [--run-dir DIR]

Several Streamlit processes ("replicas") behind nginx on this machine, for local use and tests; the
same layout as the production files in deploy/ (nginx snippets, systemd units, docker compose).

- Each replica is `streamlit run streamlit_app.py` on a free loopback port, in a process group of its
  own, with the same environment: DASHBOARD_DB (the warehouse path — the symlink that a publish
  repoints, not its target, so every replica reads each new version on its next query),
  DASHBOARD_STATE_URL (the app-state database: accounts, sessions, audit — one for all, so a sign-in
  on one replica is valid on every other), DASHBOARD_AUDIT_KEY (one audit chain) and one cookie secret
  for all replicas (a browser that fails over keeps a valid XSRF cookie). Each serves app.py (the
  router plus the sign-in cookie routes).
- nginx (Debian's package) listens on 127.0.0.1:P with a configuration generated into the run
  directory from deploy/nginx/dashboard-http.conf and deploy/nginx/dashboard-proxy.conf: sticky
  sessions by a cookie set on the first response (consistent hash, so one NAT address does not pin
  everyone to one replica), websocket upgrade on /_stcore/stream, long read timeouts, the upload limit.
- A replica that dies: nginx sends its users to another replica on their reconnect (the browser
  reconnects by itself); `cluster` restarts the dead one on the same port.
- Ctrl-C (or SIGTERM) stops nginx and every replica.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from .paths import ROOT

DEPLOY_NGINX = ROOT / "deploy" / "nginx"
# app.py: the router script plus the sign-in routes (POST /api/auth/session sets the session cookie)
APP_SCRIPT = "app.py"
NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 2.0) -> tuple[int, bytes]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))   # loopback: never via a proxy
    with opener.open(url, timeout=timeout) as r:
        return r.status, r.read()


def wait_healthy(url: str, timeout: float, alive=lambda: True, what: str = "服务") -> None:
    deadline = time.monotonic() + timeout
    while True:
        if not alive():
            raise RuntimeError(f"{what}在就绪前退出")
        try:
            status, body = _get(url + "/_stcore/health")
            if status == 200 and body.strip() == b"ok":
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what}在 {timeout:.0f} 秒内未就绪:{url}/_stcore/health")
        time.sleep(0.2)


def _stop_group(proc: subprocess.Popen | None, sig: int = signal.SIGTERM, timeout: float = 15.0) -> None:
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=timeout)


# ---------------------------------------------------------------------------------------------- replica
@dataclass
class Replica:
    """One `streamlit run streamlit_app.py` on a loopback port (a free one when port is None)."""
    port: int | None = None
    env: dict[str, str] = field(default_factory=dict)
    log_path: Path | None = None
    address: str = "127.0.0.1"
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{self.address}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def spawn(self) -> None:
        if self.port is None:
            self.port = free_port(self.address)
        env = os.environ.copy()
        env.update({"STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", "STREAMLIT_SERVER_HEADLESS": "true",
                    "PYTHONUNBUFFERED": "1"})
        env.update(self.env)
        if self.log_path is None:
            self.log_path = Path(tempfile.gettempdir()) / f"dashboard-replica-{self.port}.log"
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", APP_SCRIPT, "--server.address", self.address,
                 "--server.port", str(self.port), "--server.headless", "true"],
                cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)

    def start(self, timeout: float = 90.0) -> str:
        self.spawn()
        try:
            wait_healthy(self.url, timeout, self.alive, what=f"副本 {self.port} ")
        except RuntimeError as e:
            self.stop()
            raise RuntimeError(f"{e}\n--- 日志 {self.log_path} ---\n{self.log_tail()}") from None
        return self.url

    def log_tail(self, limit: int = 4000) -> str:
        try:
            return self.log_path.read_bytes()[-limit:].decode("utf-8", "replace")
        except (OSError, AttributeError):
            return "(无日志)"

    def stop(self) -> None:
        _stop_group(self.proc)

    def kill(self) -> None:
        """Die at once, as a crashed process would (tests)."""
        if self.alive():
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=15)


# ------------------------------------------------------------------------------------------------ nginx
def find_nginx() -> str | None:
    found = shutil.which("nginx")
    if found:
        return found
    return next((p for p in NGINX_CANDIDATES if os.access(p, os.X_OK)), None)


def nginx_config(run_dir: Path, listen: str, port: int, upstreams: list[str], user: str | None) -> str:
    """A complete nginx.conf for `cluster`: everything under run_dir, the shared snippets from deploy/."""
    t = run_dir / "tmp"
    servers = "\n".join(f"        server {u} max_fails=1 fail_timeout=5s;" for u in upstreams)
    return f"""# Generated by `python -m dashboard cluster`; rewritten at every start.
{f'user {user};' if user else '# (not root: workers run as the current user)'}
worker_processes 1;
daemon off;
pid {run_dir}/nginx.pid;
error_log {run_dir}/error.log warn;

events {{
    worker_connections 1024;
}}

http {{
    include {DEPLOY_NGINX}/dashboard-http.conf;
    access_log {run_dir}/access.log dashboard;
    client_body_temp_path {t}/client_body;
    proxy_temp_path {t}/proxy;
    fastcgi_temp_path {t}/fastcgi;
    uwsgi_temp_path {t}/uwsgi;
    scgi_temp_path {t}/scgi;

    upstream dashboard {{
        hash $dashboard_route consistent;
{servers}
    }}

    server {{
        listen {listen}:{port};
        server_name localhost;
        include {DEPLOY_NGINX}/dashboard-proxy.conf;
    }}
}}
"""


@dataclass
class Nginx:
    run_dir: Path
    listen: str
    port: int
    upstreams: list[str]
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{self.listen}:{self.port}"

    @property
    def conf_path(self) -> Path:
        return self.run_dir / "nginx.conf"

    def write_config(self) -> Path:
        user = None
        tmp = self.run_dir / "tmp"
        tmp.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:           # the master runs as root: workers as nobody, which owns the temp dirs
            import grp
            import pwd
            pw = pwd.getpwnam("nobody")
            group = grp.getgrgid(pw.pw_gid).gr_name
            user = f"nobody {group}"
            os.chmod(self.run_dir, 0o755)
            for d in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
                (tmp / d).mkdir(exist_ok=True)
                os.chown(tmp / d, pw.pw_uid, pw.pw_gid)
        self.conf_path.write_text(nginx_config(self.run_dir, self.listen, self.port, self.upstreams, user),
                                  encoding="utf-8")
        return self.conf_path

    def _cmd(self, *extra: str) -> list[str]:
        exe = find_nginx()
        if exe is None:
            raise RuntimeError("找不到 nginx:请以 root 运行 `make sysdeps`(安装 Debian 的 nginx 软件包)")
        return [exe, "-p", f"{self.run_dir}/", "-c", str(self.conf_path), "-e", str(self.run_dir / "error.log"),
                *extra]

    def test_config(self) -> None:
        p = subprocess.run(self._cmd("-t", "-q"), capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"nginx 配置检查失败:\n{p.stderr or p.stdout}")

    def start(self, timeout: float = 30.0) -> str:
        self.write_config()
        self.test_config()
        log = open(self.run_dir / "nginx.out", "ab")
        try:
            self.proc = subprocess.Popen(self._cmd(), cwd=self.run_dir, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        finally:
            log.close()
        try:
            wait_healthy(self.url, timeout, lambda: self.proc.poll() is None, what="nginx ")
        except RuntimeError as e:
            self.stop()
            err = (self.run_dir / "error.log")
            raise RuntimeError(f"{e}\n{err.read_text(errors='replace')[-3000:] if err.exists() else ''}") from None
        return self.url

    def stop(self) -> None:
        _stop_group(self.proc, signal.SIGQUIT)     # graceful: finish the requests in flight


# ---------------------------------------------------------------------------------------------- cluster
@dataclass
class Cluster:
    replicas: int
    port: int
    db_path: Path
    state_url: str | None = None
    run_dir: Path | None = None
    listen: str = "127.0.0.1"
    members: list[Replica] = field(default_factory=list)
    nginx: Nginx | None = None

    def start(self, timeout: float = 120.0) -> str:
        if self.run_dir is None:
            self.run_dir = Path(tempfile.mkdtemp(prefix="dashboard-cluster-"))
        self.run_dir.mkdir(parents=True, exist_ok=True)
        if find_nginx() is None:
            raise RuntimeError("找不到 nginx:请以 root 运行 `make sysdeps`(安装 Debian 的 nginx 软件包)")
        env = self.shared_env()
        try:
            self.members = [Replica(env=dict(env)) for _ in range(self.replicas)]
            for r in self.members:                      # start all, then wait: the imports overlap
                r.port = free_port(self.listen)
                r.log_path = self.run_dir / f"replica-{r.port}.log"
                r.spawn()
            for r in self.members:
                try:
                    wait_healthy(r.url, timeout, r.alive, what=f"副本 {r.port} ")
                except RuntimeError as e:
                    raise RuntimeError(f"{e}\n--- {r.log_path} ---\n{r.log_tail()}") from None
            self.nginx = Nginx(self.run_dir, self.listen, self.port, [f"127.0.0.1:{r.port}" for r in self.members])
            self.nginx.start()
        except BaseException:
            self.stop()
            raise
        self._write_state()
        return self.nginx.url

    def shared_env(self) -> dict[str, str]:
        """What every replica gets alike: the warehouse path, the app-state store (accounts, sessions,
        audit: a session made on one replica is valid on every other), the audit chain's key and one
        cookie secret. Without --state-url: the store this process would use (DASHBOARD_STATE_URL or
        the default SQLite file), named explicitly."""
        from .auth import audit, store
        if not self.state_url:
            self.state_url = store.url()
        return {"DASHBOARD_DB": str(self.db_path), "DASHBOARD_STATE_URL": self.state_url,
                audit.ENV_KEY: audit._key().decode("utf-8"),
                "STREAMLIT_SERVER_COOKIE_SECRET": self._cookie_secret()}

    def _cookie_secret(self) -> str:
        f = self.run_dir / "cookie-secret"
        if not f.exists():
            fd = os.open(f, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(32))
        return f.read_text().strip()

    def _write_state(self) -> None:
        state = {"url": self.nginx.url if self.nginx else None, "nginx_pid": self.nginx.proc.pid if self.nginx else None,
                 "db": str(self.db_path), "state_url_set": bool(self.state_url),
                 "replicas": [{"port": r.port, "pid": r.pid, "url": r.url, "log": str(r.log_path)} for r in self.members]}
        (self.run_dir / "cluster.json").write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")

    def restart_dead(self) -> list[int]:
        """Start again, on the same port, every replica that has died; returns their ports."""
        restarted = []
        for r in self.members:
            if not r.alive():
                r.spawn()
                restarted.append(r.port)
        if restarted:
            self._write_state()
        return restarted

    def stop(self) -> None:
        if self.nginx is not None:
            self.nginx.stop()
        for r in self.members:
            r.stop()

    def __enter__(self) -> "Cluster":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


# ------------------------------------------------------------------------------------------------- CLI
def cmd_cluster(args) -> int:
    from . import db
    path = db.db_path()
    if not path.exists():
        print(f"提示:数据仓库 {path} 尚不存在;可在“数据管理”页导入数据,或先运行 build-demo。", file=sys.stderr)
    state_url = args.state_url or os.environ.get("DASHBOARD_STATE_URL") or None
    cl = Cluster(args.replicas, args.port, path, state_url=state_url,
                 run_dir=Path(args.run_dir).resolve() if args.run_dir else None, listen=args.listen)
    stopping = False

    def _stop(signum, frame):  # noqa: ARG001
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    print(f"启动 {args.replicas} 个副本与 nginx …", flush=True)
    try:
        url = cl.start()
    except RuntimeError as e:
        print(f"错误:{e}", file=sys.stderr)
        return 1
    print(f"驾驶舱:{url}  (nginx → " + ", ".join(r.url for r in cl.members) + ")")
    print(f"数据仓库:{path};应用状态库:{'DASHBOARD_STATE_URL 已设置' if state_url else '默认(本机 SQLite)'}(全部副本共用)")
    print(f"运行目录:{cl.run_dir}(配置、日志);按 Ctrl-C 停止。", flush=True)
    try:
        while not stopping:
            time.sleep(0.5)
            if stopping:
                break
            for port in cl.restart_dead():
                print(f"副本 {port} 已退出,正在重启", file=sys.stderr, flush=True)
            if cl.nginx.proc.poll() is not None:
                print("nginx 已退出,停止全部副本", file=sys.stderr)
                return 1
    finally:
        print("正在停止 …", flush=True)
        cl.stop()
    return 0


def register(sub) -> None:
    c = sub.add_parser("cluster", help="在本机启动多个副本和 nginx 负载均衡(粘性会话),Ctrl-C 停止")
    c.add_argument("--replicas", type=int, default=2, help="副本数(默认 2)")
    c.add_argument("--port", type=int, default=8080, help="nginx 监听端口(默认 8080)")
    c.add_argument("--listen", default="127.0.0.1", help="nginx 监听地址(默认 127.0.0.1)")
    c.add_argument("--state-url", help="应用状态库地址,传给每个副本的 DASHBOARD_STATE_URL(默认取环境变量)")
    c.add_argument("--run-dir", help="运行目录:生成的 nginx 配置与日志(默认新建临时目录)")
    c.set_defaults(func=cmd_cluster)
