"""Global filters 季度 / 产业链 / 园区, kept in the URL (?quarter=2026Q3&chain=C02&park=P01).

The shell (streamlit_app.py) draws the widgets, bound to the query string so that they survive page
switches and bookmarks. Every page reads the filters on its own with `current()`, which also works
when a page runs alone (tests): session state first, then the URL, then the defaults.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from . import safe
from . import scope as sc
from .db import run_query

ALL = "全部"
KEYS = ("quarter", "chain", "park")


@dataclass(frozen=True)
class Filters:
    quarter: str                  # '2026Q3'
    quarter_end: dt.date
    chain_id: str | None
    park_id: str | None
    chain_name: str | None
    park_name: str | None
    quarters: tuple[str, ...]     # latest first
    fallback: bool = False        # the requested scope was outside the grant: the user's own is shown

    @property
    def chain_key(self) -> str:   # '*' = all, as the marts use it
        return self.chain_id or "*"

    @property
    def park_key(self) -> str:
        return self.park_id or "*"

    @property
    def scope_label(self) -> str:
        parts = [x for x in (self.chain_name, self.park_name) if x]
        return " × ".join(parts) if parts else "全区"

    @property
    def is_district(self) -> bool:
        return not (self.chain_id or self.park_id)

    @property
    def scope(self) -> sc.Scope:
        return sc.Scope(self.chain_id, self.park_id)

    def params(self, **override) -> dict:
        """Query-string form of these filters (for links that carry them over)."""
        p = {"quarter": self.quarter}
        if self.chain_id:
            p["chain"] = self.chain_id
        if self.park_id:
            p["park"] = self.park_id
        p.update({k: v for k, v in override.items()})
        return {k: v for k, v in p.items() if v not in (None, "", ALL)}


def options() -> tuple[list[str], dict[str, str], dict[str, str], dict[str, dt.date]]:
    qs = run_query("shared/quarters")
    chains = run_query("shared/chains")
    parks = run_query("shared/parks")
    return (qs["label"].to_list(),
            dict(zip(chains["chain_id"].to_list(), chains["name"].to_list())),
            dict(zip(parks["park_id"].to_list(), parks["name"].to_list())),
            dict(zip(qs["label"].to_list(), qs["quarter_end"].to_list())))


def choices(grant: sc.Grant, chains: dict, parks: dict) -> tuple[list, list]:
    """The chain and park options this grant may pick (ALL first where allowed)."""
    c_opts = ([ALL] + list(chains)) if grant.chain_open() else [c for c in chains if c in grant.chains]
    p_opts = ([ALL] + list(parks)) if grant.park_open() else [p for p in parks if p in grant.parks]
    return c_opts, p_opts


def _fit(grant: sc.Grant, c: str | None, p: str | None) -> tuple[str | None, str | None, bool]:
    """(chain, park, fell_back): the requested scope if granted, else the user's own scope."""
    if grant.allows(c, p):
        return c, p, False
    d = grant.default_scope()
    return d.chain_id, d.park_id, True


def grant_text() -> str:
    """The signed-in user's grant in words (for the sidebar)."""
    g = sc.current_grant()
    if g.everything or not g.data:
        return "全区" if g.everything else ""
    _, chains, parks, _ = options()
    return g.label({k: f"{k} {v}" for k, v in chains.items()}, {k: f"{k} {v}" for k, v in parks.items()})


def _raw(key: str) -> str | None:
    if key in st.session_state and st.session_state[key] is not None:
        return str(st.session_state[key])
    v = st.query_params.get(key)
    return v if v else None


def current() -> Filters:
    quarters, chains, parks, ends = options()
    q = (_raw("quarter") or "").upper()
    q = q if q in ends else quarters[0]
    c = _raw("chain")
    c = c if c in chains else None
    p = _raw("park")
    p = p if p in parks else None
    c, p, fell = _fit(sc.current_grant(), c, p)
    return Filters(q, ends[q], c, p, chains.get(c), parks.get(p), tuple(quarters), fell)


def sidebar() -> Filters:
    """Draw the three filters (in the shell), keep the URL in step, return the current selection.

    The URL wins on a session's first run (bookmarks, shared links); afterwards the widgets do, and
    their values are written back to the query string on every run, so the filters survive page
    switches (navigation clears the query string) and any view can be bookmarked.
    """
    quarters, chains, parks, _ = options()
    grant = sc.current_grant()
    c_opts, p_opts = choices(grant, chains, parks)
    own = grant.default_scope()
    requested = []
    for key, valid, default in (("quarter", quarters, quarters[0]),
                                ("chain", c_opts, ALL if ALL in c_opts else own.chain_id),
                                ("park", p_opts, ALL if ALL in p_opts else own.park_id)):
        if key not in st.session_state or st.session_state[key] not in valid:
            v = st.query_params.get(key)
            v = v.upper() if (v and key == "quarter") else v
            if v and key != "quarter" and v not in valid:
                requested.append(v)
            st.session_state[key] = v if v in valid else default
    c = None if st.session_state["chain"] == ALL else st.session_state["chain"]
    p = None if st.session_state["park"] == ALL else st.session_state["park"]
    c2, p2, fell = _fit(grant, c, p)
    if fell:
        requested += [x for x in (c, p) if x]
        st.session_state["chain"] = c2 or ALL
        st.session_state["park"] = p2 or ALL
    if requested and not grant.everything:
        names = {**chains, **parks}
        # requested values come from the URL, names from the warehouse: both only as literal code spans
        asked = "、".join(safe.label(f"{x} {names[x]}" if x in names else x) for x in dict.fromkeys(requested))
        own_text = " × ".join(safe.label(f"{x} {names[x]}") for x in (c2 or st.session_state["chain"],
                                                                     p2 or st.session_state["park"]) if x in names)
        st.warning(f"您无权查看所请求的范围({asked}),已切换到您的授权范围:{own_text or '—'}。",
                   icon=":material/lock:")
    with st.sidebar:
        st.markdown("#### 筛选")
        st.selectbox("季度", quarters, key="quarter", placeholder="请选择季度", help="季末时点口径;默认最新季度。")
        st.selectbox("产业链", c_opts, key="chain", placeholder="请选择产业链",
                     format_func=lambda x: x if x == ALL else f"{x} {chains[x]}")
        st.selectbox("园区", p_opts, key="park", placeholder="请选择园区",
                     format_func=lambda x: x if x == ALL else f"{x} {parks[x]}")
    f = current()
    for key, value in (("quarter", f.quarter), ("chain", f.chain_id), ("park", f.park_id)):
        if value and st.query_params.get(key) != value:
            st.query_params[key] = value
        elif not value and key in st.query_params:
            del st.query_params[key]
    return f


def set_scope(chain_id: str | None = None, park_id: str | None = None) -> None:
    """Drill: change the chain/park filter (call from a widget callback)."""
    if chain_id is not None:
        st.session_state["chain"] = chain_id or ALL
    if park_id is not None:
        st.session_state["park"] = park_id or ALL
