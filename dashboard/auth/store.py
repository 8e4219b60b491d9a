"""The app-state store: one SQLAlchemy engine per URL, schema created on first use.

DASHBOARD_STATE_URL selects it, e.g. `sqlite:////srv/dashboard/app.db` or
`postgresql://user:pw@host/db` (driver: psycopg 3). Default: SQLite `data/app.db`.
A rollback or import of the warehouse never touches this database.
"""
from __future__ import annotations

import datetime as dt
import os
import threading

import sqlalchemy as sa
from sqlalchemy import event

from ..paths import DATA_DIR

ENV_URL = "DASHBOARD_STATE_URL"

metadata = sa.MetaData()

users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("display_name", sa.String(64), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("scope", sa.String(400), nullable=False, default=""),      # 'C02,P01'
    sa.Column("password_hash", sa.String(200), nullable=True),          # NULL: SSO only
    sa.Column("must_change", sa.Boolean, nullable=False, default=False),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("is_demo", sa.Boolean, nullable=False, default=False),
    sa.Column("failed_count", sa.Integer, nullable=False, default=0),
    sa.Column("locked_until", sa.DateTime, nullable=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("last_login_at", sa.DateTime, nullable=True),
)

sessions = sa.Table(
    "sessions", metadata,
    sa.Column("id", sa.String(32), primary_key=True),                   # not secret (server side only)
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=True, unique=True),  # sha256 of the cookie value
    sa.Column("handoff_hash", sa.String(64), nullable=True, unique=True),
    sa.Column("handoff_expires", sa.DateTime, nullable=True),
    sa.Column("via", sa.String(16), nullable=False, default="password"),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("last_seen", sa.DateTime, nullable=False),
    sa.Column("ended_at", sa.DateTime, nullable=True),
    sa.Column("end_reason", sa.String(32), nullable=True),
)

kiosk_tokens = sa.Table(
    "kiosk_tokens", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(64), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("revoked_at", sa.DateTime, nullable=True),
    sa.Column("last_used_at", sa.DateTime, nullable=True),
)

audit_log = sa.Table(
    "audit_log", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),  # 1, 2, 3 … (no gaps)
    sa.Column("at", sa.String(32), nullable=False),                       # ISO 8601, UTC
    sa.Column("user", sa.String(64), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("result", sa.String(8), nullable=False),
    sa.Column("detail", sa.Text, nullable=False),                         # JSON
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.Index("ix_audit_at", "at"),
    sa.Index("ix_audit_user", "user"),
)

# One row: the id and hash of the last audit record (detects deleted rows at the end of the chain).
audit_head = sa.Table(
    "audit_head", metadata,
    sa.Column("k", sa.Integer, primary_key=True),
    sa.Column("last_id", sa.Integer, nullable=False),
    sa.Column("last_hash", sa.String(64), nullable=False),
)

settings = sa.Table(
    "settings", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

_engines: dict[str, sa.Engine] = {}
_lock = threading.Lock()


def url() -> str:
    u = os.environ.get(ENV_URL, "").strip()
    if u:
        if u.startswith("postgresql://"):           # psycopg 3 is the pinned driver
            u = "postgresql+psycopg://" + u[len("postgresql://"):]
        return u
    return f"sqlite:///{DATA_DIR / 'app.db'}"


def _sqlite_setup(engine: sa.Engine) -> None:
    """SQLite: writers take the lock at BEGIN (so audit appends from several processes serialise),
    wait for it instead of failing at once, and enforce foreign keys."""
    @event.listens_for(engine, "connect")
    def _connect(dbapi_con, _rec):
        dbapi_con.isolation_level = None          # SQLAlchemy emits BEGIN itself (below)
        cur = dbapi_con.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def engine(u: str | None = None) -> sa.Engine:
    """The engine of the configured store (created, with its schema, on first use)."""
    u = u or url()
    with _lock:
        eng = _engines.get(u)
        if eng is None:
            if u.startswith("sqlite"):
                path = u.split(":///", 1)[1] if ":///" in u else ""
                if path and path != ":memory:":
                    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
                eng = sa.create_engine(u, connect_args={"check_same_thread": False, "timeout": 30})
                _sqlite_setup(eng)
            else:
                eng = sa.create_engine(u, pool_pre_ping=True)
            metadata.create_all(eng)
            _engines[u] = eng
        return eng


def dispose_all() -> None:
    with _lock:
        for e in _engines.values():
            e.dispose()
        _engines.clear()


def now() -> dt.datetime:
    """Naive UTC (what every DateTime column holds)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def get_setting(key: str, default: str | None = None) -> str | None:
    with engine().connect() as c:
        v = c.execute(sa.select(settings.c.value).where(settings.c.key == key)).scalar()
    return default if v is None else v


def set_setting(key: str, value: str) -> None:
    with engine().begin() as c:
        done = c.execute(settings.update().where(settings.c.key == key).values(value=value)).rowcount
        if not done:
            c.execute(settings.insert().values(key=key, value=value))


BEIJING = dt.timezone(dt.timedelta(hours=8))


def local(t: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored (naive UTC) time as Beijing time text; '' for None."""
    if t is None:
        return ""
    return t.replace(tzinfo=dt.timezone.utc).astimezone(BEIJING).strftime(fmt)
