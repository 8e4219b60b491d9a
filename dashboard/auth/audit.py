"""Append-only audit log, each record chained to the previous one by a keyed hash (HMAC-SHA256).

A record: id (1, 2, 3 … without gaps), at (ISO 8601 UTC), user, role, action, result, detail (JSON),
prev_hash, hash = HMAC(key, prev_hash + canonical record). `audit_head` holds the id and hash of the
last record, so deleting rows at the end is detected as well as editing or deleting any row.
The key is $DASHBOARD_AUDIT_KEY, else the file data/audit.key (created on first use, mode 0600):
someone who can edit the database but not read the key cannot forge a consistent chain.
The product has no way to delete or edit records (kept ≥ 180 days: in fact, for ever).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from ..paths import DATA_DIR
from . import store

GENESIS = "0" * 64
ENV_KEY = "DASHBOARD_AUDIT_KEY"
RETENTION_DAYS = 180

# action → Chinese label (the 审计 page and the CLI show both)
ACTIONS = {
    "login": "登录", "login_failed": "登录失败", "logout": "退出登录", "lockout": "账号锁定",
    "session_expired": "会话超时", "sso_login": "单点登录", "view": "查看页面", "denied": "越权访问",
    "download": "下载", "report": "生成汇报材料", "import": "导入数据", "publish": "发布数据",
    "rollback": "回滚数据", "password_change": "修改密码", "user_add": "新建账号", "user_disable": "停用账号",
    "user_enable": "启用账号", "password_reset": "重置密码", "grant": "调整授权", "token_create": "新建大屏令牌",
    "token_revoke": "吊销大屏令牌", "kiosk_open": "大屏令牌访问", "kiosk_denied": "大屏令牌无效",
    "audit_export": "导出审计日志", "demo_disable": "停用演示账号",
}
OK, FAIL = "成功", "失败"


def _key() -> bytes:
    env = os.environ.get(ENV_KEY)
    if env:
        return env.encode("utf-8")
    path = DATA_DIR / "audit.key"
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        k = secrets.token_hex(32).encode()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(k)
        return k


def _canonical(rid: int, at: str, user: str, role: str, action: str, result: str, detail: str) -> bytes:
    return json.dumps([rid, at, user, role, action, result, detail], ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def _hash(prev: str, rid, at, user, role, action, result, detail) -> str:
    return hmac.new(_key(), prev.encode() + _canonical(rid, at, user, role, action, result, detail),
                    hashlib.sha256).hexdigest()


def record(action: str, user: str = "", role: str = "", result: str = OK, /, **detail) -> int:
    """Append one record (in its own transaction, serialised with every other writer); its id."""
    t = store.audit_log
    h = store.audit_head
    at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    det = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
    with store.engine().begin() as c:
        # take the head row for update first (PostgreSQL row lock; SQLite: BEGIN IMMEDIATE already)
        head = c.execute(sa.select(h.c.last_id, h.c.last_hash).where(h.c.k == 1).with_for_update()).first()
        if head is None:
            c.execute(h.insert().values(k=1, last_id=0, last_hash=GENESIS))
            head = c.execute(sa.select(h.c.last_id, h.c.last_hash).where(h.c.k == 1).with_for_update()).first()
        rid, prev = head.last_id + 1, head.last_hash
        digest = _hash(prev, rid, at, user or "", role or "", action, result, det)
        c.execute(t.insert().values(id=rid, at=at, user=user or "", role=role or "", action=action,
                                    result=result, detail=det, prev_hash=prev, hash=digest))
        c.execute(h.update().where(h.c.k == 1).values(last_id=rid, last_hash=digest))
    return rid


@dataclass
class Verification:
    ok: bool
    n: int
    problems: list[str]

    @property
    def text(self) -> str:
        if self.ok:
            return f"哈希链校验通过:共 {self.n} 条记录,未发现修改或删除。"
        return "哈希链校验失败:" + ";".join(self.problems[:10]) + ("…" if len(self.problems) > 10 else "")


def verify() -> Verification:
    """Recompute the whole chain: an edited row, a deleted row (gap or missing tail), a reordered row."""
    t, h = store.audit_log, store.audit_head
    problems: list[str] = []
    prev, expect_id, n = GENESIS, 1, 0
    with store.engine().connect() as c:
        head = c.execute(sa.select(h.c.last_id, h.c.last_hash).where(h.c.k == 1)).first()
        for r in c.execute(sa.select(t).order_by(t.c.id)):
            n += 1
            if r.id != expect_id:
                problems.append(f"第 {expect_id} 至 {r.id - 1} 号记录缺失(已被删除)")
            if r.prev_hash != prev:
                problems.append(f"第 {r.id} 号记录与前一条记录的链接不符")
            if _hash(r.prev_hash, r.id, r.at, r.user, r.role, r.action, r.result, r.detail) != r.hash:
                problems.append(f"第 {r.id} 号记录内容与其哈希不符(已被修改)")
            prev, expect_id = r.hash, r.id + 1
    last_id = expect_id - 1
    if head is None:
        if n:
            problems.append("缺少链尾记录")
    elif head.last_id != last_id or head.last_hash != prev:
        problems.append(f"链尾应为第 {head.last_id} 号记录,实际为第 {last_id} 号(末尾记录被删除或修改)")
    return Verification(not problems, n, problems)


def query(since: dt.datetime | None = None, until: dt.datetime | None = None, user: str | None = None,
          action: str | None = None, limit: int | None = None) -> list[dict]:
    t = store.audit_log
    s = sa.select(t.c.id, t.c.at, t.c.user, t.c.role, t.c.action, t.c.result, t.c.detail).order_by(t.c.id.desc())
    if since is not None:
        s = s.where(t.c.at >= _iso(since))
    if until is not None:
        s = s.where(t.c.at < _iso(until))
    if user:
        s = s.where(t.c.user == user)
    if action:
        s = s.where(t.c.action == action)
    if limit:
        s = s.limit(limit)
    with store.engine().connect() as c:
        rows = [dict(r._mapping) for r in c.execute(s)]
    for r in rows:
        r["detail"] = json.loads(r["detail"])
        r["action_label"] = ACTIONS.get(r["action"], r["action"])
    return rows


def _iso(d: dt.datetime) -> str:
    if d.tzinfo is not None:
        d = d.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return d.isoformat(timespec="milliseconds") + "Z"


def detail_text(detail: dict) -> str:
    return ";".join(f"{k}={v}" for k, v in detail.items())
