"""The access matrix: role × page × tampered URL parameters (AppTest through the whole app).

For every role and every page (and the pages a role may NOT open), with the URL naming another chain,
another park, an enterprise outside the grant, or nothing: no exception, and no enterprise outside the
grant reaches the page — checked on everything the page received from the warehouse (every result the
query loader handed out: the tables, charts and downloads are all built from these) and on what the
page shows (tables, charts, text), against an independent SQL list of out-of-scope names and ids.
"""
from __future__ import annotations

import json
import os
import re

import pytest

from conftest import ROOT, TEST_USERS, session_state_for
from dashboard import db, nav, queries
from dashboard.auth import roles

OWN = {"chain": "C02", "park": "P01"}
OTHER_CHAIN, OTHER_PARK = "C05", "P07"
ALL_PAGES = [(p[4], p[1]) for p in nav.existing()]
ID_RE = re.compile(r"E\d{7}")


def out_of_scope(raw, role: str) -> tuple[set[str], set[str]]:
    """(names, ids) of the enterprises a role may not see — independent SQL over the raw tables."""
    if role == "chain":
        sql = ("SELECT enterprise_id, name FROM enterprises WHERE enterprise_id NOT IN "
               "(SELECT enterprise_id FROM enterprise_chains WHERE chain_id = 'C02')")
    else:
        sql = "SELECT enterprise_id, name FROM enterprises WHERE park_id IS DISTINCT FROM 'P01'"
    rows = raw.sql(sql).fetchall()
    return {r[1] for r in rows}, {r[0] for r in rows}


@pytest.fixture(scope="module")
def oos(raw):
    return {r: out_of_scope(raw, r) for r in ("chain", "park")}


@pytest.fixture(scope="module")
def foreign_enterprise(raw):
    """An enterprise on neither C02 nor in P01 (outside both scoped test users' grants)."""
    return raw.sql("""SELECT enterprise_id FROM enterprises WHERE park_id IS DISTINCT FROM 'P01'
                      AND enterprise_id NOT IN (SELECT enterprise_id FROM enterprise_chains WHERE chain_id = 'C02')
                      AND enterprise_id IN (SELECT enterprise_id FROM enterprise_chains WHERE chain_id = 'C05')
                      ORDER BY enterprise_id LIMIT 1""").fetchall()[0][0]


class Recorder:
    def __init__(self):
        self.calls = []

    def __call__(self, name, params, df):
        self.calls.append((name, dict(params), df))

    def strings(self) -> set[str]:
        out = set()
        for _, _, df in self.calls:
            for col, dtype in df.schema.items():
                if dtype.is_nested():
                    vals = [json.dumps(v, ensure_ascii=False, default=str) for v in df[col].to_list()]
                    out.update(vals)
                elif str(dtype) in ("String", "Utf8", "Categorical", "Enum"):
                    out.update(v for v in df[col].to_list() if v)
        return out


def page_strings(at) -> set[str]:
    """Every cell, chart string and text on the page."""
    out = set()
    for d in at.dataframe:
        df = d.value
        for c in df.columns:
            out.update(str(v) for v in df[c].tolist())
    for c in at.get("plotly_chart"):
        def walk(x):
            if isinstance(x, str):
                out.add(x)
            elif isinstance(x, dict):
                for v in x.values():
                    walk(v)
            elif isinstance(x, list):
                for v in x:
                    walk(v)
        walk(json.loads(c.proto.spec))
    for kind in ("markdown", "caption", "text", "warning", "info", "error", "success", "title", "subheader", "header"):
        for e in getattr(at, kind, []):
            out.add(str(e.value))
    for m in at.metric:
        out.update((str(m.label), str(m.value)))
    return out


def run_as(role: str, page: str | None, **query):
    from streamlit.testing.v1 import AppTest
    from streamlit import config as st_config
    st_config.set_option("client.showErrorDetails", "full")
    at = AppTest._unsigned_from_file(os.path.join(ROOT, "streamlit_app.py"), default_timeout=120)
    for k, v in session_state_for(role).items():
        at.session_state[k] = v
    for k, v in query.items():
        at.query_params[k] = v
    url = next((p[4] for p in nav.PAGES if p[1] == page), None)
    if page and not roles.may_open(ROLE_OF.get(role, role), url):
        at.switch_page(page)   # before the first run a page is named by its file: like typing its path
        at.run()
        return at
    at.run()                   # the first run registers the role's pages (switch_page needs them)
    if page:
        at.switch_page(page)
        at.run()
    return at


def tamperings(role: str, foreign: str) -> list[dict]:
    own = {OWN[role][0].replace("C", "chain").replace("P", "park"): OWN[role]} if False else {}
    return [{}, {"chain": OTHER_CHAIN}, {"park": OTHER_PARK}, {"chain": OTHER_CHAIN, "park": OTHER_PARK},
            {"enterprise": foreign}, {"chain": "*", "park": "*"}]


@pytest.mark.parametrize("role", ["chain", "park"])
@pytest.mark.parametrize("url_path, page", ALL_PAGES, ids=[p[0] for p in ALL_PAGES])
def test_scoped_roles_see_only_their_part(role, url_path, page, oos, foreign_enterprise):
    names, ids = oos[role]
    for query in tamperings(role, foreign_enterprise):
        rec = Recorder()
        db.observers.append(rec)
        try:
            at = run_as(role, page, quarter="2026Q3", **query)
        finally:
            db.observers.remove(rec)
        where = f"{role} {url_path} {query}"
        assert not at.exception, (where, [e.message for e in at.exception])
        got = rec.strings()
        leaked_names = got & names
        leaked_ids = {i for s in got for i in ID_RE.findall(s)} & ids
        assert not leaked_names and not leaked_ids, (where, sorted(leaked_names)[:5], sorted(leaked_ids)[:5])
        shown = page_strings(at)
        assert not (shown & names), (where, sorted(shown & names)[:5])
        assert not ({i for s in shown for i in ID_RE.findall(s)} & ids), where
        # nothing at district level: a query over all chains/parks is only one that returns one row per
        # chain/park (`-- rows:`), and then holds the rows of the grant only
        for name, params, df in rec.calls:
            c, p = params.get("chain_id"), params.get("park_id")
            if c == "*" and p == "*" or (role == "chain" and c == "*" and "park_id" not in params) \
                    or (role == "park" and p == "*" and "chain_id" not in params):
                rows = queries.load(name).rows
                assert rows, (where, name)
                col = "chain_id" if role == "chain" else "park_id"
                if col in rows:
                    assert set(df[col].to_list()) <= {OWN[role]}, (where, name)
        titles = [t.value for t in at.title]
        if not roles.may_open(role, url_path):
            assert titles and titles[0] != dict((p[4], p[2]) for p in nav.PAGES)[url_path], where
        if "enterprise" in query and url_path == "enterprise":
            assert any("无权查看该企业" in e.value for e in at.error), where


PAGE_TITLE = {p[4]: p[2] for p in nav.PAGES}
ROLE_OF = {name: r for name, (r, _) in TEST_USERS.items()}


def _main_titles(at) -> list[str]:
    return [t.value for t in at.title]


@pytest.mark.parametrize("role", ["leader", "data_admin", "sys_admin", "auditor"])
def test_unscoped_roles_open_exactly_their_pages(role, foreign_enterprise):
    """leader and data_admin read every scope (district included); sys_admin and auditor read no data
    at all; each opens only the pages of its role (any other path shows the role's first page)."""
    for url_path, page in ALL_PAGES:
        rec = Recorder()
        db.observers.append(rec)
        try:
            at = run_as(role, page, quarter="2026Q3", chain=OTHER_CHAIN, enterprise=foreign_enterprise)
        finally:
            db.observers.remove(rec)
        where = f"{role} {url_path}"
        assert not at.exception, (where, [e.message for e in at.exception])
        titles = _main_titles(at)
        if roles.may_open(role, url_path):
            if url_path not in ("enterprise", "bigscreen"):       # these titles carry the scope/none
                assert PAGE_TITLE[url_path] in " ".join(titles) or url_path == "audit", (where, titles)
        else:
            assert PAGE_TITLE[url_path] not in titles, (where, titles)
        if roles.reads_data(role):
            assert rec.calls, where
        else:
            assert {c[0] for c in rec.calls} <= {"shared/meta"}, (where, [c[0] for c in rec.calls])  # the stamp only


def test_navigation_shows_only_the_pages_of_the_role():
    for role in ("leader", "chain", "park", "data_admin", "sys_admin", "auditor"):
        at = run_as(role, None)
        shown = set()
        for section in nav.for_role(role):
            shown.add(section[4])
        assert shown == {p[4] for p in nav.existing() if roles.may_open(role, p[4])}
        assert ("audit" in shown) == (role == "auditor")
        assert ("accounts" in shown) == (role == "sys_admin")
        assert ("data" in shown) == (role == "data_admin")
        assert not at.exception


@pytest.mark.parametrize("url_path, page", ALL_PAGES, ids=[p[0] for p in ALL_PAGES])
def test_anonymous_sees_the_login_form_and_no_data(url_path, page):
    from streamlit import config as st_config
    from streamlit.testing.v1 import AppTest
    st_config.set_option("client.showErrorDetails", "full")
    rec = Recorder()
    db.observers.append(rec)
    try:
        at = AppTest._unsigned_from_file(os.path.join(ROOT, "streamlit_app.py"), default_timeout=120)
        at.query_params["chain"] = "C02"
        at.switch_page(page)
        at.run()
    finally:
        db.observers.remove(rec)
    assert not at.exception
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    assert any(b.label == "登录" for b in at.button)
    assert rec.calls == []
    assert not at.dataframe and not at.metric and not at.get("plotly_chart")
