"""Accounts, password policy, login with lockout, sessions with idle expiry, kiosk tokens.

Passwords: Argon2id (argon2-cffi), at least 8 characters with letters and digits. Five wrong
passwords in a row lock an account for 15 minutes. A session ends after DASHBOARD_IDLE_MINUTES
(default 30) without activity. Session cookies hold a random token; the store keeps only its SHA-256.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from . import audit, roles, store
from .store import kiosk_tokens as K
from .store import sessions as S
from .store import users as U

MAX_FAILURES = 5
LOCK_MINUTES = 15
HANDOFF_SECONDS = 120
NAME_RE = re.compile(r"^[A-Za-z0-9_.\-]{2,64}$")
_ph = PasswordHasher()
# A hash to verify against when the user does not exist (same time as a real check: no user probing).
_DUMMY = _ph.hash("dummy-password-0")


class AuthError(ValueError):
    """A refusal with a Chinese message for the page or the console."""


def idle_minutes() -> float:
    try:
        return max(0.05, float(os.environ.get("DASHBOARD_IDLE_MINUTES", "30")))
    except ValueError:
        return 30.0


def password_problem(pw: str) -> str | None:
    if len(pw) < 8:
        return "密码至少 8 位"
    if not re.search(r"[A-Za-z]", pw) or not re.search(r"\d", pw):
        return "密码须同时包含字母和数字"
    return None


def sha(s: str) -> str:
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class User:
    id: int
    name: str
    display_name: str
    role: str
    scope: tuple[str, ...]
    must_change: bool
    disabled: bool
    is_demo: bool

    @property
    def chains(self) -> tuple[str, ...]:
        return tuple(s for s in self.scope if s.startswith("C"))

    @property
    def parks(self) -> tuple[str, ...]:
        return tuple(s for s in self.scope if s.startswith("P"))

    def grant(self):
        from ..scope import Grant
        if not roles.reads_data(self.role):
            return Grant(data=False, stamp=True)
        if self.role in roles.SCOPED:
            return Grant.of(self.chains, self.parks)
        return Grant.full()


def _user(r) -> User:
    scope = tuple(x for x in (r.scope or "").split(",") if x)
    return User(r.id, r.name, r.display_name, r.role, scope, bool(r.must_change), bool(r.disabled), bool(r.is_demo))


def parse_scope(role: str, scope: str | None) -> str:
    """Validate a --scope list for a role: chain roles need chain ids (C01…), park roles park ids."""
    items = [x.strip().upper() for x in (scope or "").replace(",", ",").split(",") if x.strip()]
    if role in roles.SCOPED:
        if not items:
            raise AuthError(f"角色 {role} 必须指定授权范围(--scope,如 C02 或 P01,多个用逗号分隔)")
        bad = [x for x in items if not re.fullmatch(r"[CP]\d{2,3}", x)]
        if bad:
            raise AuthError(f"授权范围格式不正确:{', '.join(bad)}(产业链如 C02,园区如 P01)")
        want = "C" if role == "chain" else "P"
        if not any(x.startswith(want) for x in items):
            raise AuthError(f"角色 {role} 的授权范围须至少包含一个{'产业链(C..)' if want == 'C' else '园区(P..)'}")
    elif items:
        raise AuthError(f"角色 {role} 不按范围授权,请不要指定 --scope")
    return ",".join(dict.fromkeys(items))


# ------------------------------------------------------------------------------------------ users
def get(name: str) -> User | None:
    with store.engine().connect() as c:
        r = c.execute(sa.select(U).where(U.c.name == name)).first()
    return _user(r) if r else None


def get_by_id(uid: int) -> User | None:
    with store.engine().connect() as c:
        r = c.execute(sa.select(U).where(U.c.id == uid)).first()
    return _user(r) if r else None


def list_users() -> list[dict]:
    with store.engine().connect() as c:
        rows = c.execute(sa.select(U).order_by(U.c.id)).all()
    now = store.now()
    out = []
    for r in rows:
        d = dict(r._mapping)
        d.pop("password_hash", None)
        d["locked"] = bool(r.locked_until and r.locked_until > now)
        out.append(d)
    return out


def add_user(name: str, role: str, password: str | None, scope: str | None = "", *, display_name: str | None = None,
             temporary: bool = True, is_demo: bool = False, by: str = "system", by_role: str = "") -> User:
    if not NAME_RE.match(name or ""):
        raise AuthError("用户名须为 2–64 位字母、数字、下划线、点或连字符")
    if role not in roles.ROLES:
        raise AuthError(f"未知角色 {role}(可选:{', '.join(roles.ROLES)})")
    sc = parse_scope(role, scope)
    if password is not None:
        prob = password_problem(password)
        if prob:
            raise AuthError(prob)
    now = store.now()
    with store.engine().begin() as c:
        if c.execute(sa.select(U.c.id).where(U.c.name == name)).first():
            raise AuthError(f"用户名 {name} 已存在")
        c.execute(U.insert().values(
            name=name, display_name=display_name or name, role=role, scope=sc,
            password_hash=_ph.hash(password) if password is not None else None,
            must_change=bool(temporary and password is not None), disabled=False, is_demo=is_demo,
            failed_count=0, created_at=now, updated_at=now))
    audit.record("user_add", by, by_role, target=name, role=role, scope=sc, demo=is_demo)
    return get(name)


def _update(name: str, **values) -> None:
    values["updated_at"] = store.now()
    with store.engine().begin() as c:
        n = c.execute(U.update().where(U.c.name == name).values(**values)).rowcount
    if not n:
        raise AuthError(f"没有用户 {name}")


def _not_self(name: str, by: str) -> None:
    """三权分立: an administrator cannot widen or switch off their own account."""
    if by == name:
        raise AuthError("不能修改自己账号的角色、授权或状态,请由另一位系统管理员操作")


def set_disabled(name: str, disabled: bool, by: str = "system", by_role: str = "") -> None:
    _not_self(name, by)
    _update(name, disabled=disabled)
    if disabled:
        end_user_sessions(name, "disabled")
    audit.record("user_disable" if disabled else "user_enable", by, by_role, target=name)


def reset_password(name: str, password: str, by: str = "system", by_role: str = "", temporary: bool = True) -> None:
    prob = password_problem(password)
    if prob:
        raise AuthError(prob)
    _update(name, password_hash=_ph.hash(password), must_change=temporary, failed_count=0, locked_until=None)
    end_user_sessions(name, "password_reset")
    audit.record("password_reset", by, by_role, target=name, temporary=temporary)


def change_password(user: User, old: str, new: str) -> None:
    """The user's own change (forced after a temporary password)."""
    with store.engine().connect() as c:
        h = c.execute(sa.select(U.c.password_hash).where(U.c.id == user.id)).scalar()
    try:
        _ph.verify(h or _DUMMY, old)
    except (VerificationError, InvalidHashError):
        audit.record("password_change", user.name, user.role, audit.FAIL, reason="原密码错误")
        raise AuthError("原密码不正确") from None
    prob = password_problem(new)
    if prob:
        raise AuthError(prob)
    if new == old:
        raise AuthError("新密码不能与原密码相同")
    _update(user.name, password_hash=_ph.hash(new), must_change=False)
    audit.record("password_change", user.name, user.role)


def set_grant(name: str, role: str | None, scope: str | None, by: str = "system", by_role: str = "") -> User:
    _not_self(name, by)
    u = get(name)
    if u is None:
        raise AuthError(f"没有用户 {name}")
    role = role or u.role
    if role not in roles.ROLES:
        raise AuthError(f"未知角色 {role}(可选:{', '.join(roles.ROLES)})")
    sc = parse_scope(role, scope if scope is not None else ",".join(u.scope))
    _update(name, role=role, scope=sc)
    end_user_sessions(name, "grant_changed")
    audit.record("grant", by, by_role, target=name, role=role, scope=sc, before=f"{u.role}:{','.join(u.scope)}")
    return get(name)


def real_data_admin_exists() -> bool:
    with store.engine().connect() as c:
        return c.execute(sa.select(U.c.id).where(U.c.role == "data_admin", U.c.is_demo.is_(False),
                                                 U.c.disabled.is_(False))).first() is not None


def disable_demo_accounts(reason: str = "导入真实数据") -> int:
    with store.engine().begin() as c:
        names = [r.name for r in c.execute(sa.select(U.c.name).where(U.c.is_demo.is_(True), U.c.disabled.is_(False)))]
        if names:
            c.execute(U.update().where(U.c.name.in_(names)).values(disabled=True, updated_at=store.now()))
    for n in names:
        end_user_sessions(n, "demo_disabled")
    if names:
        audit.record("demo_disable", "system", "", users=",".join(names), reason=reason)
    return len(names)


# ------------------------------------------------------------------------------------------ login
@dataclass(frozen=True)
class Session:
    id: str
    user: User
    via: str


def authenticate(name: str, password: str, via: str = "password") -> Session:
    """Check a password; on success a new session (and an audit record), else AuthError."""
    name = (name or "").strip()
    now = store.now()
    with store.engine().connect() as c:
        r = c.execute(sa.select(U).where(U.c.name == name)).first()
    if r is None:
        try:
            _ph.verify(_DUMMY, password or "x")
        except VerificationError:
            pass
        audit.record("login_failed", name, "", audit.FAIL, reason="用户名或密码错误")
        raise AuthError("用户名或密码错误")
    if r.locked_until and r.locked_until > now:
        mins = max(1, int((r.locked_until - now).total_seconds() // 60) + 1)
        audit.record("login_failed", name, r.role, audit.FAIL, reason="账号已锁定")
        raise AuthError(f"账号已锁定:连续 {MAX_FAILURES} 次密码错误,请 {mins} 分钟后再试,或联系系统管理员。")
    if r.disabled:
        audit.record("login_failed", name, r.role, audit.FAIL, reason="账号已停用")
        raise AuthError("账号已停用,请联系系统管理员。")
    try:
        if not r.password_hash:
            raise VerifyMismatchError()
        _ph.verify(r.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        failures = (r.failed_count or 0) + 1
        values = {"failed_count": failures}
        locked = failures >= MAX_FAILURES
        if locked:
            values.update(failed_count=0, locked_until=now + dt.timedelta(minutes=LOCK_MINUTES))
        with store.engine().begin() as c:
            c.execute(U.update().where(U.c.id == r.id).values(**values))
        audit.record("login_failed", name, r.role, audit.FAIL, reason="密码错误", failures=failures)
        if locked:
            audit.record("lockout", name, r.role, audit.OK, minutes=LOCK_MINUTES)
            raise AuthError(f"账号已锁定:连续 {MAX_FAILURES} 次密码错误,请 {LOCK_MINUTES} 分钟后再试,或联系系统管理员。")
        raise AuthError(f"用户名或密码错误(再错 {MAX_FAILURES - failures} 次将锁定 {LOCK_MINUTES} 分钟)")
    if _ph.check_needs_rehash(r.password_hash):
        with store.engine().begin() as c:
            c.execute(U.update().where(U.c.id == r.id).values(password_hash=_ph.hash(password)))
    with store.engine().begin() as c:
        c.execute(U.update().where(U.c.id == r.id).values(failed_count=0, locked_until=None, last_login_at=now))
    s = new_session(_user(r), via)
    audit.record("login", name, r.role, session=s.id[:8], via=via)
    return s


def sso_session(name: str, header: str) -> Session:
    """A user named by the trusted single sign-on header (must be an existing, enabled account)."""
    u = get((name or "").strip())
    if u is None or u.disabled:
        audit.record("login_failed", name or "", "", audit.FAIL, reason="单点登录账号不存在或已停用", header=header)
        raise AuthError(f"单点登录用户 {name} 在本系统中没有可用账号,请联系系统管理员。")
    s = new_session(u, "sso")
    audit.record("sso_login", u.name, u.role, session=s.id[:8], header=header)
    return s


def new_session(user: User, via: str = "password") -> Session:
    sid = secrets.token_hex(16)
    now = store.now()
    with store.engine().begin() as c:
        c.execute(S.insert().values(id=sid, user_id=user.id, via=via, created_at=now, last_seen=now))
    return Session(sid, user, via)


def issue_handoff(session_id: str) -> str:
    """A one-time code the browser exchanges (POST body, never the URL) for the session cookie."""
    code = secrets.token_urlsafe(32)
    with store.engine().begin() as c:
        c.execute(S.update().where(S.c.id == session_id).values(
            handoff_hash=sha(code), handoff_expires=store.now() + dt.timedelta(seconds=HANDOFF_SECONDS)))
    return code


def redeem_handoff(code: str) -> str | None:
    """The handoff code → a fresh cookie token for that session (once), or None."""
    now = store.now()
    token = secrets.token_urlsafe(32)
    with store.engine().begin() as c:
        r = c.execute(sa.select(S.c.id, S.c.handoff_expires, S.c.ended_at)
                      .where(S.c.handoff_hash == sha(code or ""))).first()
        if r is None or r.ended_at is not None or r.handoff_expires is None or r.handoff_expires < now:
            return None
        c.execute(S.update().where(S.c.id == r.id).values(token_hash=sha(token), handoff_hash=None,
                                                          handoff_expires=None))
    return token


def _valid(where, touch: bool) -> tuple[Session | None, str | None]:
    """(session, None) if valid; (None, reason) otherwise. Expired sessions are ended here.
    One transaction; the audit record (its own transaction) is written after it."""
    expired = None
    with store.engine().begin() as c:
        r = c.execute(sa.select(S).where(where)).first()
        if r is None:
            return None, "unknown"
        ur = c.execute(sa.select(U).where(U.c.id == r.user_id)).first()
        if r.ended_at is not None:
            return None, r.end_reason or "ended"
        now = store.now()
        if ur is None or ur.disabled:
            c.execute(S.update().where(S.c.id == r.id).values(ended_at=now, end_reason="disabled"))
            return None, "disabled"
        if now - r.last_seen > dt.timedelta(minutes=idle_minutes()):
            c.execute(S.update().where(S.c.id == r.id).values(ended_at=now, end_reason="idle"))
            expired = (ur.name, ur.role, r.id)
        elif touch:
            c.execute(S.update().where(S.c.id == r.id).values(last_seen=now))
    if expired:
        audit.record("session_expired", expired[0], expired[1], session=expired[2][:8])
        return None, "idle"
    return Session(r.id, _user(ur), r.via), None


def session_by_id(session_id: str, touch: bool = True) -> tuple[Session | None, str | None]:
    return _valid(S.c.id == session_id, touch)


def session_by_token(token: str, touch: bool = True) -> tuple[Session | None, str | None]:
    if not token:
        return None, "none"
    return _valid(S.c.token_hash == sha(token), touch)


def end_session(session_id: str, reason: str = "logout") -> None:
    with store.engine().begin() as c:
        c.execute(S.update().where(S.c.id == session_id, S.c.ended_at.is_(None))
                  .values(ended_at=store.now(), end_reason=reason))


def end_session_by_token(token: str, reason: str = "logout") -> None:
    with store.engine().begin() as c:
        c.execute(S.update().where(S.c.token_hash == sha(token or ""), S.c.ended_at.is_(None))
                  .values(ended_at=store.now(), end_reason=reason))


def end_user_sessions(name: str, reason: str) -> None:
    with store.engine().begin() as c:
        uid = c.execute(sa.select(U.c.id).where(U.c.name == name)).scalar()
        if uid is not None:
            c.execute(S.update().where(S.c.user_id == uid, S.c.ended_at.is_(None))
                      .values(ended_at=store.now(), end_reason=reason))


# ------------------------------------------------------------------------------------------ kiosk tokens
def create_token(name: str, by: str = "system", by_role: str = "") -> str:
    if not (name or "").strip():
        raise AuthError("请为大屏令牌指定名称(--name,如 指挥大厅1号屏)")
    token = secrets.token_urlsafe(32)
    with store.engine().begin() as c:
        c.execute(K.insert().values(name=name.strip(), token_hash=sha(token), created_at=store.now(), created_by=by))
    audit.record("token_create", by, by_role, token_name=name.strip())
    return token


def list_tokens() -> list[dict]:
    with store.engine().connect() as c:
        return [dict(r._mapping) for r in c.execute(
            sa.select(K.c.id, K.c.name, K.c.created_at, K.c.created_by, K.c.revoked_at, K.c.last_used_at)
            .order_by(K.c.id))]


def revoke_token(ident: str, by: str = "system", by_role: str = "") -> int:
    """Revoke by id or by name; the number of tokens revoked."""
    cond = K.c.id == int(ident) if str(ident).isdigit() else K.c.name == ident
    with store.engine().begin() as c:
        n = c.execute(K.update().where(cond, K.c.revoked_at.is_(None)).values(revoked_at=store.now())).rowcount
    if not n:
        raise AuthError(f"没有可吊销的大屏令牌:{ident}")
    audit.record("token_revoke", by, by_role, token=str(ident))
    return n


def check_token(token: str, touch: bool = True) -> dict | None:
    """The token's row if it is valid (not revoked); records its last use."""
    if not token:
        return None
    with store.engine().begin() as c:
        r = c.execute(sa.select(K).where(K.c.token_hash == sha(token))).first()
        if r is None or r.revoked_at is not None:
            return None
        if touch:
            c.execute(K.update().where(K.c.id == r.id).values(last_used_at=store.now()))
    return dict(r._mapping)
