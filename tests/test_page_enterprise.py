"""企业档案 page: one enterprise's honours, appeals, party history … equal independent SQL over the RAW tables."""
import datetime as dt

import pytest

from dashboard import ui

from browser_support import app_exceptions, screenshot, wait_for_app, open_page
from conftest import shown_text

Q = dt.date(2026, 9, 30)
PAGE = "views/enterprise.py"


_open = open_page


@pytest.fixture(scope="module")
def leader(raw) -> str:
    """A 链主 that has a 第一书记 or appeals (the richest such profile)."""
    return raw.sql("""
        SELECT ec.enterprise_id FROM enterprise_chains ec
        WHERE ec.role = '链主'
          AND (EXISTS (SELECT 1 FROM secretaries s WHERE s.enterprise_id = ec.enterprise_id)
               OR EXISTS (SELECT 1 FROM appeals a WHERE a.enterprise_id = ec.enterprise_id))
        ORDER BY (SELECT count(*) FROM appeals a WHERE a.enterprise_id = ec.enterprise_id)
               + (SELECT count(*) FROM honors h WHERE h.enterprise_id = ec.enterprise_id) DESC, ec.enterprise_id
        LIMIT 1""").fetchall()[0][0]


@pytest.fixture(scope="module")
def with_secretary(raw) -> str:
    return raw.sql("""SELECT s.enterprise_id FROM secretaries s JOIN secretary_outcomes o USING (secretary_id)
        GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""").fetchall()[0][0]


def _metrics(at):
    return {m.label: m.value for m in at.metric}


def _table(at, first_col):
    for d in at.dataframe:
        if len(d.value.columns) and d.value.columns[0] == first_col:
            return d.value
    raise AssertionError(first_col)


@pytest.mark.parametrize("scope", [{}, {"chain": "C02"}, {"park": "P01"}], ids=["district", "chain-C02", "park-P01"])
def test_chain_leader_profile_equals_raw_sql(app, raw, leader, scope):
    # the profile is the enterprise's own, whatever the filters; they show in the breadcrumbs
    at = app(PAGE, quarter="2026Q3", enterprise=leader, **scope)
    m = _metrics(at)
    name, emp = raw.sql("SELECT name, employees FROM enterprises WHERE enterprise_id = $e", params={"e": leader}).fetchall()[0]
    scope_names = [raw.sql(f"SELECT name FROM {k}s WHERE {k}_id = $i", params={"i": v}).fetchall()[0][0]
                   for k, v in scope.items()]
    trail = " › ".join(["全区", *scope_names, name])
    assert ui.crumb_trail(at) == trail
    assert m["从业人员"] == f"{emp:,} 人"

    # honours valid at Q: awarded ≤ Q, not expired, not revoked
    valid, total = raw.sql("""SELECT count(*) FILTER (WHERE awarded_on <= $q AND (expires_on IS NULL OR expires_on > $q)
        AND (revoked_on IS NULL OR revoked_on > $q)), count(*) FROM honors WHERE enterprise_id = $e""",
                           params={"e": leader, "q": Q}).fetchall()[0]
    assert m["有效荣誉"] == f"{valid} 项"
    honours = _table(at, "认定")
    assert len(honours) == total
    assert (honours["2026Q3 状态"] == "有效").sum() == valid

    # appeals received by Q, and how many are still open / overdue at Q
    n, n_open, n_overdue = raw.sql("""SELECT count(*), count(*) FILTER (WHERE resolved_on IS NULL OR resolved_on > $q),
        count(*) FILTER (WHERE (resolved_on IS NULL OR resolved_on > $q) AND due_on < $q)
        FROM appeals WHERE enterprise_id = $e AND received_on <= $q""", params={"e": leader, "q": Q}).fetchall()[0]
    assert n > 0
    assert m["诉求"] == f"{n} 件"
    assert len(_table(at, "收到日期")) == n
    assert any(f"诉求 · {n} 件(未办结 {n_open} 件,超期 {n_overdue} 件)" in h.value for h in at.subheader)

    # its chains, the 链主 one first, as drill buttons; 链主 plan rows
    roles = raw.sql("SELECT chain_id, role FROM enterprise_chains WHERE enterprise_id = $e", params={"e": leader}).fetchall()
    labels = [b.label for b in at.button if b.key and b.key.startswith("ent_chain_")]
    assert len(labels) == len(roles) and labels[0].endswith("· 链主")
    n_plans = raw.sql("SELECT count(*) FROM chain_master_plans WHERE enterprise_id = $e AND year <= 2026",
                      params={"e": leader}).fetchall()[0][0]
    assert n_plans > 0 and len(_table(at, "年度")) == n_plans
    # party history over 12 quarters
    assert len(_table(at, "季度")) == 12


def test_secretary_and_outcomes(app, raw, with_secretary):
    at = app(PAGE, quarter="2026Q3", enterprise=with_secretary)
    active, n_out = raw.sql("""SELECT
        (SELECT count(*) FROM secretaries WHERE enterprise_id = $e AND started_on <= $q AND (ended_on IS NULL OR ended_on > $q)),
        (SELECT count(*) FROM secretary_outcomes o JOIN secretaries s USING (secretary_id)
          WHERE s.enterprise_id = $e AND o.occurred_on <= $q)""", params={"e": with_secretary, "q": Q}).fetchall()[0]
    assert _metrics(at)["在岗第一书记"] == f"{active} 人"
    assert len(_table(at, "日期")) == n_out
    assert any(f"成效记录 · {n_out} 条" in x.value for x in at.markdown)


def test_earlier_quarter_and_filters_do_not_break_the_profile(app, raw, leader):
    chain = raw.sql("SELECT chain_id FROM enterprise_chains WHERE enterprise_id = $e AND role = '链主'",
                    params={"e": leader}).fetchall()[0][0]
    at = app(PAGE, quarter="2024Q4", chain=chain, enterprise=leader)
    n = raw.sql("SELECT count(*) FROM appeals WHERE enterprise_id = $e AND received_on <= DATE '2024-12-31'",
                params={"e": leader}).fetchall()[0][0]
    assert _metrics(at)["诉求"] == f"{n} 件"
    chain_name = raw.sql("SELECT name FROM chains WHERE chain_id = $c", params={"c": chain}).fetchall()[0][0]
    assert ui.crumb_trail(at).startswith(f"全区 › {chain_name} › ")
    app(PAGE, park="P01", enterprise=leader)


def test_search_state_without_an_id(app, raw):
    at = app(PAGE, quarter="2026Q3")
    hits = _table(at, "企业名称")
    assert 0 < len(hits) <= 50
    # with no search term the scope's 链主 come first
    n_leaders = raw.sql("SELECT count(DISTINCT enterprise_id) FROM enterprise_chains WHERE role = '链主'").fetchall()[0][0]
    assert all("链主" in r for r in hits["产业链 · 角色"].iloc[:min(n_leaders, 50)])
    at.text_input(key="ent_search_term").input("科技").run()
    assert not at.exception
    hits = _table(at, "企业名称")
    n = raw.sql("SELECT count(*) FROM enterprises WHERE name LIKE '%科技%' OR uscc LIKE '%科技%'").fetchall()[0][0]
    assert len(hits) == min(n, 50) and all("科技" in x for x in hits["企业名称"])


def test_search_by_uscc_within_a_park(app, raw):
    uscc, name = raw.sql("SELECT uscc, name FROM enterprises WHERE park_id = 'P01' ORDER BY enterprise_id LIMIT 1").fetchall()[0]
    at = app(PAGE, park="P01")
    at.text_input(key="ent_search_term").input(uscc).run()
    hits = _table(at, "企业名称")
    assert list(hits["企业名称"]) == [name]


def test_session_state_and_unknown_ids(app, raw, leader, warehouse_path):
    import os

    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(os.path.join(os.path.dirname(os.path.dirname(__file__)), PAGE), default_timeout=120)
    at.session_state["enterprise"] = leader
    at.run()
    assert not at.exception
    assert at.query_params["enterprise"] == leader             # the URL reopens it
    name = raw.sql("SELECT name FROM enterprises WHERE enterprise_id = $e", params={"e": leader}).fetchall()[0][0]
    assert name in shown_text(at)
    at = app(PAGE, enterprise="E9999999")
    assert any("未找到企业编号" in w.value and "E9999999" in w.value for w in at.warning)
    assert _table(at, "企业名称") is not None


@pytest.mark.browser
def test_screenshots(page, streamlit_server, offsite_requests, leader, with_secretary):
    for eid, name in ((leader, "enterprise-chain-leader"), (with_secretary, "enterprise-with-secretary")):
        _open(page, streamlit_server, f"/enterprise?quarter=2026Q3&enterprise={eid}")
        page.get_by_text("荣誉认定").first.wait_for(timeout=30_000)
        wait_for_app(page, settle_ms=1000)
        assert not app_exceptions(page)
        assert "enterprise=" + eid in page.url
        screenshot(page, name, full_height=True)
    _open(page, streamlit_server, "/enterprise?quarter=2026Q3&chain=C02")
    page.get_by_text("企业名称或统一社会信用代码").first.wait_for(timeout=30_000)
    assert not app_exceptions(page)
    screenshot(page, "enterprise-search-chain-C02")


@pytest.mark.browser
def test_chain_button_drills_to_the_chain(page, streamlit_server, offsite_requests, raw, leader):
    chain = raw.sql("SELECT chain_id FROM enterprise_chains WHERE enterprise_id = $e AND role = '链主'",
                    params={"e": leader}).fetchall()[0][0]
    _open(page, streamlit_server, f"/enterprise?quarter=2026Q3&enterprise={leader}")
    page.locator(f".st-key-ent_chain_{chain} button").first.click()
    wait_for_app(page)
    page.wait_for_url(f"**/chain?*chain={chain}*", timeout=30_000)
    assert not app_exceptions(page)
