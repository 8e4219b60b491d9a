"""Roles (`--role`), their Chinese names, the pages each may open and the data each may read."""
from __future__ import annotations

ROLES = {
    "leader": "领导(全区只读)",
    "chain": "产业链专班(本链只读)",
    "park": "园区(本园只读)",
    "data_admin": "数据管理员",
    "sys_admin": "系统管理员(账号)",
    "auditor": "安全审计员",
}
KIOSK = "kiosk"

# url paths of the data pages (everything in dashboard/nav.py except the tools below)
DATA_PAGES = {"overview", "chain", "park", "cultivation", "coverage", "secretary", "appeals", "pairing",
              "chain-master", "enterprise", "report", "definitions"}
PAGES = {
    "leader": DATA_PAGES | {"bigscreen"},
    "chain": DATA_PAGES,                       # the big screen rotates the whole district
    "park": DATA_PAGES - {"chain-master"},    # 链主 is a whole-chain view
    "data_admin": DATA_PAGES | {"bigscreen", "data"},
    "sys_admin": {"accounts"},
    "auditor": {"audit"},
    KIOSK: {"bigscreen"},
}
DEFAULT_PAGE = {"sys_admin": "accounts", "auditor": "audit", KIOSK: "bigscreen"}
SCOPED = {"chain", "park"}                    # roles whose grant is a list of chains / parks


def may_open(role: str, url_path: str) -> bool:
    return url_path in PAGES.get(role, set())


def reads_data(role: str) -> bool:
    return role in ("leader", "chain", "park", "data_admin", KIOSK)


def label(role: str) -> str:
    return ROLES.get(role, "大屏令牌" if role == KIOSK else role)
