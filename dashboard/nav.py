"""The page list of the app: (section, file, title, icon, url_path). One place to add a page.

Pages whose file does not exist yet are left out, so the list can name pages still being built.
"""
from __future__ import annotations

from .paths import ROOT

PAGES: list[tuple[str, str, str, str, str]] = [
    ("驾驶舱", "views/overview.py", "总览", ":material/dashboard:", "overview"),
    ("驾驶舱", "views/bigscreen.py", "大屏", ":material/tv:", "bigscreen"),
    ("专题分析", "views/chain.py", "产业链", ":material/account_tree:", "chain"),
    ("专题分析", "views/park.py", "园区", ":material/map:", "park"),
    ("专题分析", "views/cultivation.py", "企业培育", ":material/trending_up:", "cultivation"),
    ("专题分析", "views/coverage.py", "两个覆盖", ":material/flag:", "coverage"),
    ("专题分析", "views/secretary.py", "第一书记", ":material/badge:", "secretary"),
    ("专题分析", "views/appeals.py", "诉求办理", ":material/forum:", "appeals"),
    ("专题分析", "views/pairing.py", "红联共建", ":material/handshake:", "pairing"),
    ("专题分析", "views/chain_master.py", "链主", ":material/workspace_premium:", "chain-master"),
    ("专题分析", "views/enterprise.py", "企业档案", ":material/apartment:", "enterprise"),
    ("工具", "views/report.py", "汇报材料", ":material/slideshow:", "report"),
    ("工具", "views/data_admin.py", "数据管理", ":material/database:", "data"),
    ("工具", "views/definitions.py", "指标口径", ":material/menu_book:", "definitions"),
    ("系统", "views/accounts.py", "账号管理", ":material/manage_accounts:", "accounts"),
    ("系统", "views/audit.py", "审计", ":material/policy:", "audit"),
]
LOGIN = ("views/login.py", "登录", ":material/login:", "login")


def existing() -> list[tuple[str, str, str, str, str]]:
    return [p for p in PAGES if (ROOT / p[1]).is_file()]


def for_role(role: str) -> list[tuple[str, str, str, str, str]]:
    """The pages this role may open (navigation shows only these)."""
    from .auth.roles import may_open
    return [p for p in existing() if may_open(role, p[4])]
