"""`python -m dashboard users …`, `kiosk-token …`, `audit …` (Chinese messages).

    users add NAME --role ROLE [--scope C02,P01] [--name 姓名] --password-stdin
    users list | disable NAME | enable NAME | reset-password NAME --password-stdin | grant NAME [--role R] [--scope …]
    users demo                      # demo accounts for the demo warehouse (printed once)
    kiosk-token create --name NAME | list | revoke ID|NAME
    audit [--since ISO] [--until ISO] [--user NAME] [--action A] [--json] [--limit N]

The CLI is run by an operator on the server (who can read the state database anyway); its actions are
audited as user "cli:<OS user>".
"""
from __future__ import annotations

import datetime as dt
import getpass
import json
import sys

from . import accounts, audit, roles
from .store import local

DEMO_PASSWORD = "Demo2026abc"
DEMO_USERS = [   # name, role, scope, 姓名
    ("demo_leader", "leader", "", "演示领导"),
    ("demo_chain", "chain", "C02", "演示链专班"),
    ("demo_park", "park", "P01", "演示园区"),
    ("demo_data", "data_admin", "", "演示数据管理员"),
    ("demo_sys", "sys_admin", "", "演示系统管理员"),
    ("demo_audit", "auditor", "", "演示审计员"),
]


def _by() -> dict:
    try:
        who = getpass.getuser()
    except Exception:  # noqa: BLE001
        who = "?"
    return {"by": f"cli:{who}", "by_role": "cli"}


def _password(args) -> str | None:
    if not getattr(args, "password_stdin", False):
        return None
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


def _err(msg: str) -> int:
    print(f"错误:{msg}", file=sys.stderr)
    return 2


def cmd_users(args) -> int:
    try:
        if args.users_cmd == "add":
            pw = _password(args)
            if pw is None:
                return _err("请用 --password-stdin 从标准输入提供临时密码(不在命令行中出现密码)")
            u = accounts.add_user(args.user, args.role, pw, args.scope, display_name=args.display, **_by())
            print(f"已新建账号 {u.name}(角色 {roles.label(u.role)}"
                  + (f",授权范围 {','.join(u.scope)}" if u.scope else "") + "),首次登录须修改密码。")
        elif args.users_cmd == "list":
            rows = accounts.list_users()
            if args.json:
                print(json.dumps(rows, ensure_ascii=False, default=str, indent=2))
                return 0
            print(f"{'用户名':<16}{'角色':<12}{'授权范围':<14}{'状态':<8}{'最近登录'}")
            for r in rows:
                state = "已停用" if r["disabled"] else ("已锁定" if r["locked"] else "正常")
                state += "·演示" if r["is_demo"] else ""
                last = local(r["last_login_at"]) or "—"
                print(f"{r['name']:<16}{r['role']:<12}{(r['scope'] or '—'):<14}{state:<8}{last}")
        elif args.users_cmd in ("disable", "enable"):
            accounts.set_disabled(args.user, args.users_cmd == "disable", **_by())
            print(f"已{'停用' if args.users_cmd == 'disable' else '启用'}账号 {args.user}")
        elif args.users_cmd == "reset-password":
            pw = _password(args)
            if pw is None:
                return _err("请用 --password-stdin 从标准输入提供新的临时密码")
            accounts.reset_password(args.user, pw, **_by())
            print(f"已重置 {args.user} 的密码(临时密码,下次登录须修改),其现有会话已结束。")
        elif args.users_cmd == "grant":
            u = accounts.set_grant(args.user, args.role, args.scope, **_by())
            print(f"已调整 {u.name}:角色 {roles.label(u.role)},授权范围 {','.join(u.scope) or '—'};其现有会话已结束。")
        elif args.users_cmd == "demo":
            return cmd_demo(args)
    except accounts.AuthError as e:
        return _err(str(e))
    return 0


def demo_warehouse() -> bool:
    """True when the warehouse holds the demo data (meta.source = 'demo')."""
    from .. import db
    try:
        meta = {r["key"]: r["value"] for r in db.run_query("shared/meta").iter_rows(named=True)}
    except db.WarehouseMissing:
        return False
    return meta.get("source") == "demo"


def cmd_demo(args) -> int:
    """Create the demo accounts once, for the demo warehouse only; print them the time they are made."""
    from .. import db
    if getattr(args, "db", None):
        db.set_db_path(args.db)
    from ..report.cli import _quiet_streamlit
    _quiet_streamlit()
    if not demo_warehouse():
        print("当前数据仓库不是演示数据:不创建演示账号。")
        return 0
    from .store import get_setting
    if get_setting("real_data_imported") == "1":
        print("已导入过真实数据:演示账号保持停用。")
        return 0
    made = []
    for name, role, scope, display in DEMO_USERS:
        if accounts.get(name) is None:
            accounts.add_user(name, role, DEMO_PASSWORD, scope, display_name=display, temporary=False, is_demo=True,
                              by="system", by_role="")
            made.append((name, role, scope))
    if made:
        print("=" * 64)
        print("已创建演示账号(仅用于演示数据;导入真实数据后自动停用),密码均为 " + DEMO_PASSWORD)
        for name, role, scope in made:
            print(f"  {name:<14}{roles.label(role)}" + (f" · {scope}" if scope else ""))
        print("=" * 64)
    else:
        print("演示账号已存在(用户名见 README“账号与权限”一节;仅用于演示数据)。")
    return 0


def cmd_kiosk(args) -> int:
    try:
        if args.kiosk_cmd == "create":
            tok = accounts.create_token(args.name, **_by())
            print(f"已新建大屏令牌“{args.name}”。令牌只显示这一次,请在指挥大厅的大屏浏览器中打开:")
            print(f"  http://<服务器地址>/bigscreen?token={tok}")
        elif args.kiosk_cmd == "list":
            toks = accounts.list_tokens()
            if args.json:
                print(json.dumps(toks, ensure_ascii=False, default=str, indent=2))
                return 0
            print(f"{'编号':<6}{'名称':<20}{'状态':<8}{'创建':<18}{'最近使用'}")
            for t in toks:
                f = (lambda x: local(x) or "—")
                print(f"{t['id']:<6}{t['name']:<20}{'已吊销' if t['revoked_at'] else '有效':<8}"
                      f"{f(t['created_at']):<18}{f(t['last_used_at'])}")
        elif args.kiosk_cmd == "revoke":
            accounts.revoke_token(args.token, **_by())
            print(f"已吊销大屏令牌 {args.token}:使用它的大屏将不再显示数据。")
    except accounts.AuthError as e:
        return _err(str(e))
    return 0


def _parse_time(s: str | None) -> dt.datetime | None:
    if not s:
        return None
    try:
        t = dt.datetime.fromisoformat(s)
    except ValueError:
        raise accounts.AuthError(f"时间格式应为 ISO 8601,如 2026-12-01 或 2026-12-01T08:00:00+08:00,收到 {s!r}") from None
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))     # 北京时间
    return t


def cmd_audit(args) -> int:
    try:
        since, until = _parse_time(args.since), _parse_time(args.until)
    except accounts.AuthError as e:
        return _err(str(e))
    rows = audit.query(since=since, until=until, user=args.user, action=args.action, limit=args.limit)
    v = audit.verify()
    if args.json:
        print(json.dumps({"verification": {"ok": v.ok, "records": v.n, "problems": v.problems},
                          "records": [{"id": r["id"], "at": r["at"], "user": r["user"], "role": r["role"],
                                       "action": r["action"], "action_label": r["action_label"],
                                       "result": r["result"], "detail": r["detail"]} for r in rows]},
                         ensure_ascii=False, indent=2))
    else:
        for r in reversed(rows):
            print(f"{r['id']:>6}  {r['at']}  {r['user'] or '—':<14}{r['action_label']:<8}{r['result']}  "
                  f"{audit.detail_text(r['detail'])}")
        print(f"共 {len(rows)} 条。{v.text}")
    return 0 if v.ok else 3


def register(sub) -> None:
    u = sub.add_parser("users", help="账号管理:新建、列出、停用/启用、重置密码、调整授权")
    us = u.add_subparsers(dest="users_cmd", required=True, metavar="操作")
    a = us.add_parser("add", help="新建账号(临时密码从标准输入读取,首次登录须修改)")
    a.add_argument("user", metavar="NAME", help="用户名")
    a.add_argument("--role", required=True, choices=list(roles.ROLES), help="角色")
    a.add_argument("--scope", default="", help="授权范围,产业链/园区角色必填,如 C02 或 C02,C05 或 P01")
    a.add_argument("--name", dest="display", help="姓名(默认同用户名)")
    a.add_argument("--password-stdin", action="store_true", help="从标准输入读取临时密码")
    ul = us.add_parser("list", help="列出账号")
    ul.add_argument("--json", action="store_true")
    for cmd, h in (("disable", "停用账号(立即结束其会话)"), ("enable", "启用账号")):
        x = us.add_parser(cmd, help=h)
        x.add_argument("user", metavar="NAME")
    r = us.add_parser("reset-password", help="重置为临时密码(从标准输入读取)")
    r.add_argument("user", metavar="NAME")
    r.add_argument("--password-stdin", action="store_true")
    g = us.add_parser("grant", help="调整角色与授权范围")
    g.add_argument("user", metavar="NAME")
    g.add_argument("--role", choices=list(roles.ROLES))
    g.add_argument("--scope", help="新的授权范围,如 C02,C05")
    us.add_parser("demo", help="为演示数据创建演示账号(各角色一个,仅首次创建时打印)")
    u.set_defaults(func=cmd_users)

    k = sub.add_parser("kiosk-token", help="大屏令牌:新建、列出、吊销(只能打开 /bigscreen)")
    ks = k.add_subparsers(dest="kiosk_cmd", required=True, metavar="操作")
    kc = ks.add_parser("create", help="新建令牌(只显示一次)")
    kc.add_argument("--name", required=True, help="令牌名称,如 指挥大厅1号屏")
    kl = ks.add_parser("list", help="列出令牌及最近使用时间")
    kl.add_argument("--json", action="store_true")
    kr = ks.add_parser("revoke", help="吊销令牌")
    kr.add_argument("token", metavar="ID|NAME", help="令牌编号或名称")
    k.set_defaults(func=cmd_kiosk)

    au = sub.add_parser("audit", help="查看审计日志并校验哈希链(校验失败时退出码为 3)")
    au.add_argument("--since", help="起始时间(ISO 8601,不带时区按北京时间)")
    au.add_argument("--until", help="截止时间(不含)")
    au.add_argument("--user", help="只看该用户")
    au.add_argument("--action", choices=list(audit.ACTIONS), help="只看该操作")
    au.add_argument("--limit", type=int, help="最多条数(最新的)")
    au.add_argument("--json", action="store_true", help="JSON 输出:records(at、user、action、detail…)与 verification")
    au.set_defaults(func=cmd_audit)
