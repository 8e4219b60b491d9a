"""两个覆盖 page: runs for the district, a chain and a park; its numbers equal independent SQL over the raw
tables written from DESIGN.md (党建统计基数 = 在营 and employees ≥ 10; 组织/工作覆盖; 第一书记在岗); the
应单独组建 and 双覆盖空白 lists hold exactly the rows the definitions give."""
import datetime as dt

import pytest
from conftest import shown_text

PAGE = "views/coverage.py"
Q = dt.date(2026, 9, 30)
SCOPES = [(None, None), ("C02", None), (None, "P01")]
IDS = ["district", "chain-C02", "park-P01"]

BASE = """SELECT e.* FROM enterprises e
    WHERE e.founded_on <= $q AND (e.closed_on IS NULL OR e.closed_on > $q) AND e.employees >= 10
      AND (CAST($park AS VARCHAR) IS NULL OR e.park_id = $park)
      AND (CAST($chain AS VARCHAR) IS NULL
           OR e.enterprise_id IN (SELECT enterprise_id FROM enterprise_chains WHERE chain_id = $chain))"""
PARTY = "SELECT * FROM enterprise_party WHERE quarter_end = $q"
SECRETARY_ACTIVE = """SELECT DISTINCT enterprise_id FROM secretaries
    WHERE started_on <= $q AND (ended_on IS NULL OR ended_on > $q)"""


def _p(chain, park):
    return {"q": Q, "chain": chain, "park": park}


def n_base(raw, chain, park) -> int:
    return raw.sql(f"SELECT count(*) FROM ({BASE})", params=_p(chain, park)).fetchall()[0][0]


def org_rate(raw, chain, park) -> float:
    n = raw.sql(f"""SELECT count(*) FROM ({BASE}) b JOIN ({PARTY}) p USING (enterprise_id)
        WHERE p.org_type IN ('单独组建', '联合组建')""", params=_p(chain, park)).fetchall()[0][0]
    return n / n_base(raw, chain, park)


def gap_ids(raw, chain, park) -> set:
    """Base enterprises with no party organisation, no liaison and no 第一书记 in post at Q."""
    return {r[0] for r in raw.sql(f"""SELECT b.enterprise_id FROM ({BASE}) b
        WHERE NOT EXISTS (SELECT 1 FROM ({PARTY}) p WHERE p.enterprise_id = b.enterprise_id
                          AND (p.org_type <> '无' OR p.has_liaison))
          AND b.enterprise_id NOT IN ({SECRETARY_ACTIVE})""", params=_p(chain, park)).fetchall()}


def should_own_ids(raw, chain, park) -> set:
    """Base enterprises with ≥ 3 party members and no own (单独组建) organisation at Q."""
    return {r[0] for r in raw.sql(f"""SELECT b.enterprise_id FROM ({BASE}) b JOIN ({PARTY}) p USING (enterprise_id)
        WHERE p.n_members >= 3 AND p.org_type <> '单独组建'""", params=_p(chain, park)).fetchall()}


def uscc_of(raw, ids: set) -> set:
    return {r[0] for r in raw.sql("SELECT uscc FROM enterprises WHERE list_contains($ids, enterprise_id)",
                                  params={"ids": sorted(ids)}).fetchall()}


def _query(**kw):
    return {"quarter": "2026Q3", **{k: v for k, v in kw.items() if v}}


def _df_with(at, column, also="企业数"):
    found = [d.value for d in at.dataframe if column in d.value.columns and also in d.value.columns]
    assert found, f"no table with column {column}"
    return found[0]


@pytest.mark.parametrize("chain,park", SCOPES, ids=IDS)
def test_cards_equal_raw_sql(app, raw, chain, park):
    at = app(PAGE, **_query(chain=chain, park=park))
    cards = {m.label: m.value for m in at.metric}
    assert cards["党建统计基数"] == f"{n_base(raw, chain, park):,} 家"
    assert cards["组织覆盖率"] == f"{org_rate(raw, chain, park) * 100:.1f}%"
    assert cards["双覆盖空白企业"] == f"{len(gap_ids(raw, chain, park)):,} 家"
    assert cards["应单独组建未组建"] == f"{len(should_own_ids(raw, chain, park)):,} 家"
    members = raw.sql(f"SELECT coalesce(sum(p.n_members), 0) FROM ({BASE}) b JOIN ({PARTY}) p USING (enterprise_id)",
                      params=_p(chain, park)).fetchall()[0][0]
    assert cards["党员人数"] == f"{members:,} 人"
    # the 口径 box states the base of this scope
    assert f"共 {n_base(raw, chain, park):,} 家" in shown_text(at)


@pytest.mark.parametrize("chain,park", SCOPES, ids=IDS)
def test_reach_table_partitions_the_base(app, raw, chain, park):
    at = app(PAGE, **_query(chain=chain, park=park))
    reach = _df_with(at, "覆盖途径", "企业数").set_index("覆盖途径")
    assert reach["企业数"].sum() == n_base(raw, chain, park)
    own = raw.sql(f"""SELECT count(*) FROM ({BASE}) b JOIN ({PARTY}) p USING (enterprise_id)
        WHERE p.org_type = '单独组建'""", params=_p(chain, park)).fetchall()[0][0]
    assert reach.loc["单独组建党组织", "企业数"] == own
    assert reach.loc["双覆盖空白", "企业数"] == len(gap_ids(raw, chain, park))
    liaison_only = raw.sql(f"""SELECT count(*) FROM ({BASE}) b JOIN ({PARTY}) p USING (enterprise_id)
        WHERE p.org_type = '无' AND p.has_liaison AND b.enterprise_id NOT IN ({SECRETARY_ACTIVE})""",
                           params=_p(chain, park)).fetchall()[0][0]
    assert reach.loc["无组织 · 仅党建指导员/联络员", "企业数"] == liaison_only


@pytest.mark.parametrize("chain,park", SCOPES, ids=IDS)
def test_gap_list_holds_exactly_the_defined_enterprises(app, raw, warehouse_path, chain, park):
    from dashboard.db import execute
    want = gap_ids(raw, chain, park)
    assert want
    full = execute("coverage/gap_list", dict(quarter_end=Q, chain_id=chain or "*", park_id=park or "*", limit=10**7))
    assert set(full["enterprise_id"].to_list()) == want and full.height == len(want)
    at = app(PAGE, **_query(chain=chain, park=park))       # 双覆盖空白 is the list shown first
    shown = _df_with(at, "有共青团", "统一社会信用代码")
    got = set(shown["统一社会信用代码"])
    if len(want) <= 500:
        assert got == uscc_of(raw, want)
    else:
        assert len(shown) == 500 and got <= uscc_of(raw, want)
        assert any(f"共 {len(want):,} 家,表格显示排序最前的 500 家" in c.value for c in at.caption)
        # the biggest employers come first
        top = raw.sql("SELECT min(employees) FROM (SELECT employees FROM enterprises WHERE list_contains($ids, enterprise_id) "
                      "ORDER BY employees DESC LIMIT 500)", params={"ids": sorted(want)}).fetchall()[0][0]
        assert shown["从业人员"].min() == top


@pytest.mark.parametrize("chain,park", SCOPES, ids=IDS)
def test_should_own_org_list(app, raw, warehouse_path, chain, park):
    from dashboard.db import execute
    want = should_own_ids(raw, chain, park)
    full = execute("coverage/should_own_org",
                   dict(quarter_end=Q, chain_id=chain or "*", park_id=park or "*", limit=10**7))
    assert set(full["enterprise_id"].to_list()) == want and full.height == len(want)
    assert (full["n_members"] >= 3).all() and (full["org_type"] != "单独组建").all()
    at = app(PAGE, **_query(chain=chain, park=park))
    at.segmented_control(key="cv_list").set_value("should").run()
    assert not at.exception
    shown = _df_with(at, "现组织形式", "统一社会信用代码")
    assert len(shown) == min(500, len(want))


def test_other_quarter_and_chain_x_park(app, raw):
    at = app(PAGE, quarter="2024Q4", chain="C12", park="P13")
    q = dt.date(2024, 12, 31)
    n = raw.sql(BASE, params={"q": q, "chain": "C12", "park": "P13"}).fetchall()
    cards = {m.label: m.value for m in at.metric}
    assert cards["党建统计基数"] == f"{len(n):,} 家"


def test_empty_list_shows_no_data(app, raw):
    """A chain × park whose base has no 双覆盖空白 enterprise shows the 无数据 state instead of a table."""
    pair = raw.sql(f"""SELECT c.chain_id, p.park_id FROM chains c, parks p
        WHERE EXISTS (SELECT 1 FROM ({BASE.replace('$chain', 'c.chain_id').replace('$park', 'p.park_id')}))
          AND NOT EXISTS (SELECT 1 FROM ({BASE.replace('$chain', 'c.chain_id').replace('$park', 'p.park_id')}) b
                          WHERE NOT EXISTS (SELECT 1 FROM ({PARTY}) x WHERE x.enterprise_id = b.enterprise_id
                                            AND (x.org_type <> '无' OR x.has_liaison))
                            AND b.enterprise_id NOT IN ({SECRETARY_ACTIVE}))
        ORDER BY 1, 2 LIMIT 1""", params={"q": Q}).fetchall()
    assert pair, "the demo data should have a chain × park without 双覆盖空白"
    at = app(PAGE, quarter="2026Q3", chain=pair[0][0], park=pair[0][1])
    assert {m.label: m.value for m in at.metric}["双覆盖空白企业"] == "0 家"
    assert any("双覆盖空白:无数据" in i.value for i in at.info)
    assert not [d for d in at.dataframe if "有共青团" in d.value.columns and "统一社会信用代码" in d.value.columns]


@pytest.mark.browser
@pytest.mark.parametrize("query,name", [("quarter=2026Q3", "coverage_district"),
                                        ("quarter=2026Q3&chain=C02", "coverage_C02")])
def test_screenshot(page, streamlit_server, offsite_requests, query, name):
    from browser_support import app_exceptions, screenshot, wait_for_app
    page.goto(f"{streamlit_server}/?{query}")
    wait_for_app(page)
    page.locator('[data-testid="stSidebarNav"] a', has_text="两个覆盖").first.click()
    wait_for_app(page)
    page.get_by_text("工作覆盖的实现途径").first.wait_for(timeout=30_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    wait_for_app(page, settle_ms=1000)
    assert not app_exceptions(page)
    assert page.locator('[data-testid="stMetric"]').count() == 8
    screenshot(page, name, full_height=True)
