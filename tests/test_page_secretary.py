"""第一书记 page: runs for the district, a chain and a park; its numbers equal independent SQL over the raw
tables written from DESIGN.md (在岗 = started_on ≤ Q and not ended by Q; outcomes by occurred_on in the
quarter or ≤ Q; scope by the served enterprise's chains / park)."""
import datetime as dt
import html
import json

import pytest

PAGE = "views/secretary.py"
Q = dt.date(2026, 9, 30)
QS = dt.date(2026, 7, 1)
SCOPES = [(None, None), ("C02", None), (None, "P01")]
IDS = ["district", "chain-C02", "park-P01"]

IN_SCOPE = """s.enterprise_id IN (SELECT e.enterprise_id FROM enterprises e
        WHERE (CAST($park AS VARCHAR) IS NULL OR e.park_id = $park)
          AND (CAST($chain AS VARCHAR) IS NULL
               OR e.enterprise_id IN (SELECT enterprise_id FROM enterprise_chains WHERE chain_id = $chain)))"""
IN_POST = "s.started_on <= $q AND (s.ended_on IS NULL OR s.ended_on > $q)"


def one(raw, sql, chain, park, **kw):
    return raw.sql(sql, params={"q": Q, "chain": chain, "park": park, **kw}).fetchall()[0][0]


def in_post(raw, chain, park, unit_type=None) -> int:
    return one(raw, f"""SELECT count(*) FROM secretaries s JOIN units u ON u.unit_id = s.source_unit_id
        WHERE {IN_POST} AND {IN_SCOPE} AND (CAST($ut AS VARCHAR) IS NULL OR u.unit_type = $ut)""",
               chain, park, ut=unit_type)


def n_cases(raw, chain, park) -> int:
    return one(raw, f"""SELECT count(*) FROM secretary_outcomes o JOIN secretaries s USING (secretary_id)
        WHERE o.is_case AND o.occurred_on <= $q AND {IN_SCOPE}""", chain, park)


def outcomes_in_quarter(raw, chain, park, only_in_post=False, kind=None) -> int:
    return one(raw, f"""SELECT coalesce(sum(o.n), 0) FROM secretary_outcomes o JOIN secretaries s USING (secretary_id)
        WHERE o.occurred_on >= $qs AND o.occurred_on <= $q AND {IN_SCOPE}
          AND ({IN_POST} OR NOT $only) AND (CAST($kind AS VARCHAR) IS NULL OR o.kind = $kind)""",
               chain, park, qs=QS, only=only_in_post, kind=kind)


def _query(**kw):
    return {"quarter": "2026Q3", **{k: v for k, v in kw.items() if v}}


def _df_with(at, *columns):
    found = [d.value for d in at.dataframe if all(c in d.value.columns for c in columns)]
    assert found, f"no table with columns {columns}"
    return found[0]


def _case_buttons(at):
    return [b for b in at.button if (b.key or "").startswith("se_case_")]


@pytest.mark.parametrize("chain,park", SCOPES, ids=IDS)
def test_numbers_equal_raw_sql(app, raw, chain, park):
    at = app(PAGE, **_query(chain=chain, park=park))
    cards = {m.label: m.value for m in at.metric}
    assert cards["第一书记在岗"] == f"{in_post(raw, chain, park):,} 人"
    assert cards["本季成效数"] == f"{outcomes_in_quarter(raw, chain, park):,} 项"
    by_type = _df_with(at, "派出单位类型", "在岗人数").set_index("派出单位类型")
    for ut in ("经济部门", "镇街"):
        assert by_type.loc[ut, "在岗人数"] == in_post(raw, chain, park, ut), ut
    assert by_type["在岗人数"].sum() == in_post(raw, chain, park)
    totals = _df_with(at, "成效类型", "本季").set_index("成效类型")
    assert totals.loc["合计", "本季"] == outcomes_in_quarter(raw, chain, park)
    assert totals.loc["解决问题", "本季"] == outcomes_in_quarter(raw, chain, park, kind="解决问题")
    assert totals.loc["合计", "累计"] == one(raw, f"""SELECT sum(o.n) FROM secretary_outcomes o
        JOIN secretaries s USING (secretary_id) WHERE o.occurred_on <= $q AND {IN_SCOPE}""", chain, park)
    roster = _df_with(at, "姓名", "派出单位")
    assert len(roster) == in_post(raw, chain, park)
    assert roster["本季成效数"].sum() == outcomes_in_quarter(raw, chain, park, only_in_post=True)


@pytest.mark.parametrize("chain,park", SCOPES, ids=IDS)
def test_typical_case_cards(app, raw, chain, park):
    at = app(PAGE, **_query(chain=chain, park=park))
    n = n_cases(raw, chain, park)
    assert n > 0
    bodies = [h.proto.body for h in at.get("html")]
    assert any(f"累计 <b>{n:,}</b> 个典型案例" in v for v in bodies)
    assert len(_case_buttons(at)) == min(9, n)
    if n > 9:
        at.toggle(key="se_cases_all").set_value(True).run()
        assert not at.exception
        assert len(_case_buttons(at)) == min(60, n)
    newest = raw.sql(f"""SELECT o.title FROM secretary_outcomes o JOIN secretaries s USING (secretary_id)
        WHERE o.is_case AND o.occurred_on <= $q AND {IN_SCOPE} ORDER BY o.occurred_on DESC, o.outcome_id DESC LIMIT 1""",
                     params={"q": Q, "chain": chain, "park": park}).fetchall()[0][0]
    cards = [h.proto.body for h in at.get("html") if "se-case-kind" in h.proto.body]
    assert f"<b>{html.escape(newest)}</b>" in cards[0]


def test_case_button_opens_the_enterprise(app, raw):
    at = app(PAGE, quarter="2026Q3", chain="C02")
    b = _case_buttons(at)[0]
    b.click().run()
    req = at.session_state["_drill"]
    assert req["page"] == "enterprise"
    outcome_id = b.key.removeprefix("se_case_")
    assert req["enterprise"] == raw.sql("""SELECT s.enterprise_id FROM secretary_outcomes o JOIN secretaries s
        USING (secretary_id) WHERE o.outcome_id = $o""", params={"o": outcome_id}).fetchall()[0][0]


def test_outcome_chart_has_the_quarter_sums(app, raw):
    at = app(PAGE, quarter="2026Q3")
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    spec = next(s for s in specs if s["layout"].get("barmode") == "stack")
    bars = {t["name"]: dict(zip(t["x"], t["y"])) for t in spec["data"] if t.get("type") == "bar"}
    assert set(bars) == {"解决问题", "政策宣讲", "党建指导", "发展党员", "技术攻关", "人才引进"}
    assert len(bars["解决问题"]) == 12
    for kind in ("解决问题", "发展党员"):
        assert bars[kind]["2026Q3"] == outcomes_in_quarter(raw, None, None, kind=kind)
    q4 = raw.sql("""SELECT sum(n) FROM secretary_outcomes WHERE kind = '政策宣讲'
        AND occurred_on BETWEEN DATE '2024-10-01' AND DATE '2024-12-31'""").fetchall()[0][0]
    assert bars["政策宣讲"]["2024Q4"] == q4


def test_empty_scope(app, raw):
    pair = raw.sql(f"""SELECT c.chain_id, p.park_id FROM chains c, parks p
        WHERE NOT EXISTS (SELECT 1 FROM secretaries s JOIN enterprises e USING (enterprise_id)
                          JOIN enterprise_chains ec USING (enterprise_id)
                          WHERE ec.chain_id = c.chain_id AND e.park_id = p.park_id AND {IN_POST})
        ORDER BY 1, 2 LIMIT 1""", params={"q": Q}).fetchall()
    assert pair
    at = app(PAGE, quarter="2026Q3", chain=pair[0][0], park=pair[0][1])
    assert {m.label: m.value for m in at.metric}["第一书记在岗"] == "0 人"
    assert any("季末无在岗第一书记" in i.value for i in at.info)


@pytest.mark.browser
@pytest.mark.parametrize("query,name", [("quarter=2026Q3", "secretary_district"),
                                        ("quarter=2026Q3&chain=C02", "secretary_C02")])
def test_screenshot(page, streamlit_server, offsite_requests, query, name):
    from browser_support import app_exceptions, screenshot, wait_for_app
    page.goto(f"{streamlit_server}/?{query}")
    wait_for_app(page)
    page.locator('[data-testid="stSidebarNav"] a', has_text="第一书记").first.click()
    wait_for_app(page)
    page.get_by_text("在岗第一书记名册").first.wait_for(timeout=30_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    wait_for_app(page, settle_ms=1000)
    assert not app_exceptions(page)
    assert page.locator('[data-testid="stMetric"]').count() == 6
    screenshot(page, name, full_height=True)
