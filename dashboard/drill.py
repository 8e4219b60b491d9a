"""Drill-down between pages with the filters carried over.

A chart's selection callback calls `request(...)`; the shell applies the request at the top of the
next run (before the filter widgets exist), then switches page. Pages never switch by themselves,
so a page run alone (tests) never loops.
"""
from __future__ import annotations

import streamlit as st

from .filters import ALL

PAGES = {
    "overview": "views/overview.py", "chain": "views/chain.py", "park": "views/park.py",
    "cultivation": "views/cultivation.py", "coverage": "views/coverage.py",
    "secretary": "views/secretary.py", "appeals": "views/appeals.py", "pairing": "views/pairing.py",
    "chain_master": "views/chain_master.py", "enterprise": "views/enterprise.py",
    "definitions": "views/definitions.py",
}
KEY = "_drill"


def picked(event) -> str | None:
    """The id in `customdata` of the first selected point of a plotly/echarts selection event."""
    if not event:
        return None
    sel = event.get("selection", {}) if hasattr(event, "get") else getattr(event, "selection", {})
    pts = sel.get("points", []) if hasattr(sel, "get") else []
    if not pts:
        return None
    cd = pts[0].get("customdata")
    if isinstance(cd, (list, tuple)):
        cd = cd[0] if cd else None
    return str(cd) if cd is not None else None


def request(page: str, **params) -> None:
    """Ask the shell to open `page` with chain/park/enterprise set (call from a widget callback)."""
    st.session_state[KEY] = {"page": page, **params}


def on_select(chart_key: str, page: str, param: str):
    """A selection callback: the selected point's id becomes `param` and `page` opens."""
    def _cb():
        v = picked(st.session_state.get(chart_key))
        if v and v not in ("*", "-"):          # '-' is a remainder row (未归链 / 未入园), not a page
            request(page, **{param: v})
    return _cb


def apply_pending() -> tuple[str, dict] | None:
    """In the shell, before the filter widgets: set chain/park state; return (page file, extra params)."""
    d = st.session_state.pop(KEY, None)
    if not d:
        return None
    for k in ("chain", "park"):
        if k in d:
            st.session_state[k] = d[k] or ALL
    extra = {k: v for k, v in d.items() if k not in ("page", "chain", "park") and v}
    return PAGES.get(d.get("page", ""), PAGES["overview"]), extra
