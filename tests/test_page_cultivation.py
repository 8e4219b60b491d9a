"""企业培育 page: runs for the district, a chain and a park; its numbers equal independent SQL over the raw
tables written from DESIGN.md (有效认定 at the quarter end, 在营 enterprises only); its lists hold exactly the
rows the definitions give."""
import datetime as dt

import pytest

PAGE = "views/cultivation.py"
Q = dt.date(2026, 9, 30)
QS = dt.date(2026, 7, 1)             # first day of 2026Q3
Q_PLUS_12M = dt.date(2027, 9, 30)
Q_MINUS_12M = dt.date(2025, 9, 30)
SCOPES = [(None, None), ("C02", None), (None, "P01")]
IDS = ["district", "chain-C02", "park-P01"]

# 在营 at $q and in the scope ($chain / $park NULL = all), written from DESIGN.md
ALIVE_IN_SCOPE = """e.founded_on <= $q AND (e.closed_on IS NULL OR e.closed_on > $q)
    AND (CAST($park AS VARCHAR) IS NULL OR e.park_id = $park)
    AND (CAST($chain AS VARCHAR) IS NULL
         OR e.enterprise_id IN (SELECT enterprise_id FROM enterprise_chains WHERE chain_id = $chain))"""


def _p(chain, park, **kw):
    return {"q": Q, "chain": chain, "park": park, **kw}


def valid_holders(raw, honor, chain, park) -> int:
    return raw.sql(f"""SELECT count(DISTINCT h.enterprise_id) FROM honors h JOIN enterprises e USING (enterprise_id)
        WHERE h.honor = $honor AND h.awarded_on <= $q AND (h.expires_on IS NULL OR h.expires_on > $q)
          AND (h.revoked_on IS NULL OR h.revoked_on > $q) AND {ALIVE_IN_SCOPE}""",
                   params=_p(chain, park, honor=honor)).fetchall()[0][0]


def awarded_in_quarter(raw, honor, chain, park) -> int:
    return raw.sql(f"""SELECT count(*) FROM honors h JOIN enterprises e USING (enterprise_id)
        WHERE h.honor = $honor AND h.awarded_on >= $qs AND h.awarded_on <= $q AND {ALIVE_IN_SCOPE}""",
                   params=_p(chain, park, honor=honor, qs=QS)).fetchall()[0][0]


def expiring_rows(raw, chain, park) -> set:
    """Valid at Q (awarded ≤ Q, not revoked by Q) and expiring in (Q, Q + 12 months]."""
    return set(raw.sql(f"""SELECT e.uscc, h.honor, h.awarded_on FROM honors h JOIN enterprises e USING (enterprise_id)
        WHERE h.awarded_on <= $q AND (h.revoked_on IS NULL OR h.revoked_on > $q)
          AND h.expires_on > $q AND h.expires_on <= $q12 AND {ALIVE_IN_SCOPE}""",
                       params=_p(chain, park, q12=Q_PLUS_12M)).fetchall())


def lost_rows(raw, chain, park) -> set:
    """Revoked in (Q − 12 months, Q], or expired then without a valid award of the same honour at Q."""
    return set(raw.sql(f"""SELECT e.uscc, h.honor, h.awarded_on FROM honors h JOIN enterprises e USING (enterprise_id)
        WHERE {ALIVE_IN_SCOPE} AND (
              (h.revoked_on > $q0 AND h.revoked_on <= $q)
           OR ((h.revoked_on IS NULL OR h.revoked_on > $q) AND h.expires_on > $q0 AND h.expires_on <= $q
               AND NOT EXISTS (SELECT 1 FROM honors v WHERE v.enterprise_id = h.enterprise_id AND v.honor = h.honor
                               AND v.awarded_on <= $q AND (v.expires_on IS NULL OR v.expires_on > $q)
                               AND (v.revoked_on IS NULL OR v.revoked_on > $q))))""",
                       params=_p(chain, park, q0=Q_MINUS_12M)).fetchall())


def _query(**kw):
    return {"quarter": "2026Q3", **{k: v for k, v in kw.items() if v}}


def _df_with(at, column):
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert found, f"no table with column {column}"
    return found[0]


@pytest.mark.parametrize("chain,park", SCOPES, ids=IDS)
def test_cards_and_flow_table_equal_raw_sql(app, raw, chain, park):
    at = app(PAGE, **_query(chain=chain, park=park))
    cards = {m.label: m.value for m in at.metric}
    for label, honor in (("小巨人", "小巨人"), ("高新技术企业", "高新技术企业"), ("省级专精特新", "省级专精特新")):
        assert cards[label] == f"{valid_holders(raw, honor, chain, park):,} 家", label
    flow = _df_with(at, "本季认定").set_index("认定类型")
    for honor in ("小巨人", "创新型中小企业"):
        label = "专精特新“小巨人”" if honor == "小巨人" else honor
        assert flow.loc[label, "本季认定"] == awarded_in_quarter(raw, honor, chain, park), honor
        assert flow.loc[label, "季末有效"] == valid_holders(raw, honor, chain, park), honor
    assert flow["12月内到期"].sum() == len(expiring_rows(raw, chain, park))
    assert flow["近12月撤销"].sum() + flow["近12月未续"].sum() == len(lost_rows(raw, chain, park))


def test_district_has_the_seed_figures_and_nonzero_flows(app, raw):
    """Guards against a test that cannot fail: the demo data has new awards, expiries and losses."""
    at = app(PAGE, quarter="2026Q3")
    cards = {m.label: m.value for m in at.metric}
    assert cards["小巨人"] == "32 家" and cards["单项冠军"] == "7 家" and cards["两高四新"] == "343 家"
    assert awarded_in_quarter(raw, "小巨人", None, None) > 0
    assert len(expiring_rows(raw, None, None)) > 500      # the list is cut at 500 rows in the district
    assert len(lost_rows(raw, None, None)) > 0


@pytest.mark.parametrize("chain,park", SCOPES, ids=IDS)
def test_expiring_list_shows_exactly_the_defined_rows(app, raw, chain, park):
    at = app(PAGE, **_query(chain=chain, park=park))
    at.segmented_control(key="cu_list").set_value("expiring").run()
    assert not at.exception
    shown = _df_with(at, "剩余天数")
    want = expiring_rows(raw, chain, park)
    got = set(zip(shown["统一社会信用代码"], shown["认定类型"], [d for d in shown["认定日期"]]))
    got = {(u, h, a.date() if hasattr(a, "date") else a) for u, h, a in got}
    if len(want) <= 500:
        assert got == want
        assert any(f"共 {len(want):,} 条" in c.value for c in at.caption)
    else:   # the 500 expiring first are shown, the rest is in the full download
        assert len(shown) == 500 and got <= want
        assert any(f"共 {len(want):,} 条,表格显示排序最前的 500 条" in c.value for c in at.caption)
        cut = sorted(raw.sql("""SELECT h.expires_on FROM honors h JOIN enterprises e USING (enterprise_id)
            WHERE h.awarded_on <= $q AND (h.revoked_on IS NULL OR h.revoked_on > $q)
              AND h.expires_on > $q AND h.expires_on <= $q12
              AND e.founded_on <= $q AND (e.closed_on IS NULL OR e.closed_on > $q)""",
                             params={"q": Q, "q12": Q_PLUS_12M}).fetchall())[499][0]
        assert max(shown["到期日期"]).date() <= cut


@pytest.mark.parametrize("chain,park", SCOPES, ids=IDS)
def test_full_expiring_and_lost_lists_equal_the_definitions(warehouse_path, raw, chain, park):
    """The queries behind the lists and their full downloads, without the display limit."""
    from dashboard.db import execute
    scope = dict(quarter_end=Q, chain_id=chain or "*", park_id=park or "*", limit=10**7)
    exp = execute("cultivation/expiring", scope)
    assert {(r["uscc"], r["honor"], r["awarded_on"]) for r in exp.iter_rows(named=True)} == expiring_rows(raw, chain, park)
    assert exp.height == len(expiring_rows(raw, chain, park))   # no duplicates
    lost = execute("cultivation/lost", scope)
    assert {(r["uscc"], r["honor"], r["awarded_on"]) for r in lost.iter_rows(named=True)} == lost_rows(raw, chain, park)


def test_new_awards_list_marks_renewals(app, raw):
    at = app(PAGE, quarter="2026Q3", chain="C02")
    shown = _df_with(at, "类型")
    assert len(shown) == raw.sql(f"""SELECT count(*) FROM honors h JOIN enterprises e USING (enterprise_id)
        WHERE h.awarded_on >= $qs AND h.awarded_on <= $q AND {ALIVE_IN_SCOPE}""",
                                 params=_p("C02", None, qs=QS)).fetchall()[0][0]
    renewed = raw.sql(f"""SELECT count(*) FROM honors h JOIN enterprises e USING (enterprise_id)
        WHERE h.awarded_on >= $qs AND h.awarded_on <= $q AND {ALIVE_IN_SCOPE}
          AND EXISTS (SELECT 1 FROM honors p WHERE p.enterprise_id = h.enterprise_id AND p.honor = h.honor
                      AND p.awarded_on < h.awarded_on)""", params=_p("C02", None, qs=QS)).fetchall()[0][0]
    assert (shown["类型"] == "复核通过").sum() == renewed > 0


def test_holders_list_filtered_by_honour(app, raw):
    at = app(PAGE, quarter="2026Q3", park="P01")
    at.segmented_control(key="cu_list").set_value("holders").run()
    at.selectbox(key="cu_holder_honor").set_value("小巨人").run()
    assert not at.exception
    shown = _df_with(at, "统一社会信用代码")
    assert set(shown["认定类型"]) == {"小巨人"}
    assert len(shown) == valid_holders(raw, "小巨人", None, "P01")


def test_batches_count_awards(app, raw):
    at = app(PAGE, quarter="2026Q3")
    tbl = _df_with(at, "认定数").set_index("批次")
    want = dict(raw.sql("""SELECT h.batch, count(*) FROM honors h JOIN enterprises e USING (enterprise_id)
        WHERE h.honor = '小巨人' AND h.awarded_on <= $q
          AND e.founded_on <= $q AND (e.closed_on IS NULL OR e.closed_on > $q) GROUP BY 1""",
                        params={"q": Q}).fetchall())
    assert tbl["认定数"].to_dict() == want


def test_empty_scope_and_earlier_quarter(app):
    at = app(PAGE, quarter="2024Q1", chain="C12", park="P03")
    assert at.metric  # cards always render
    at = app(PAGE, quarter="2023Q4", chain="C02", park="P01")
    assert at.title[0].value == "企业培育"


@pytest.mark.browser
@pytest.mark.parametrize("query,name", [("quarter=2026Q3", "cultivation_district"),
                                        ("quarter=2026Q3&chain=C02", "cultivation_C02")])
def test_screenshot(page, streamlit_server, offsite_requests, query, name):
    from browser_support import app_exceptions, screenshot, wait_for_app
    # open the app with the filters in the URL, then the page from the sidebar (the way users get there)
    page.goto(f"{streamlit_server}/?{query}")
    wait_for_app(page)
    page.locator('[data-testid="stSidebarNav"] a', has_text="企业培育").first.click()
    wait_for_app(page)
    page.get_by_text("梯度培育阶梯").first.wait_for(timeout=30_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    wait_for_app(page, settle_ms=1000)
    assert not app_exceptions(page)
    assert page.locator('[data-testid="stMetric"]').count() == 6
    assert page.locator('[data-testid="stSidebar"]').get_by_text("季度").count() >= 1   # inside the app shell
    screenshot(page, name, full_height=True)
