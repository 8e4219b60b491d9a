"""Helpers for the account tests: a fresh app-state store per test (SQLite file or a real PostgreSQL)."""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None) \
    if Path("/usr/lib/postgresql").is_dir() else None


@contextlib.contextmanager
def state_store(url: str):
    """Point the app-state store at `url` for the block (engines of other URLs stay as they are)."""
    from dashboard.auth import store
    old = os.environ.get(store.ENV_URL)
    os.environ[store.ENV_URL] = url
    try:
        yield store.engine()
    finally:
        if old is None:
            os.environ.pop(store.ENV_URL, None)
        else:
            os.environ[store.ENV_URL] = old


def pg_unavailable_reason() -> str | None:
    if PG_BIN is None or not (PG_BIN / "initdb").exists():
        return "PostgreSQL binaries not found (/usr/lib/postgresql/*/bin): apt-get install -y postgresql"
    if os.geteuid() != 0:
        return "PostgreSQL test cluster needs root (to run initdb as the postgres OS user)"
    return None


class PgCluster:
    """A throw-away PostgreSQL cluster on a free loopback port, run as the `postgres` OS user."""

    def __init__(self):
        from browser_support import free_port
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="dashboard-pg-"))
        self.data = self.dir / "data"
        self.sock = self.dir / "sock"

    def _as_pg(self, *cmd, check=True):
        return subprocess.run(["runuser", "-u", "postgres", "--", *map(str, cmd)], check=check,
                              capture_output=True, text=True, timeout=120)

    def start(self) -> str:
        shutil.chown(self.dir, "postgres")
        self.sock.mkdir()
        shutil.chown(self.sock, "postgres")
        self._as_pg(PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                    "--locale=C.UTF-8")
        self._as_pg(PG_BIN / "pg_ctl", "-D", self.data, "-l", self.dir / "log", "-w", "-t", "60",
                    "-o", f"-p {self.port} -k {self.sock} -c listen_addresses=127.0.0.1", "start")
        deadline = time.monotonic() + 60
        while self._as_pg(PG_BIN / "pg_isready", "-h", "127.0.0.1", "-p", self.port, check=False).returncode:
            if time.monotonic() > deadline:
                raise RuntimeError("PostgreSQL did not start:\n" + (self.dir / "log").read_text())
            time.sleep(0.2)
        self._as_pg(PG_BIN / "createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", "dashboard_state")
        return f"postgresql://postgres@127.0.0.1:{self.port}/dashboard_state"

    def stop(self) -> None:
        self._as_pg(PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)
