"""红联共建 page: numbers on screen equal independent SQL over the RAW tables (DESIGN.md 口径)."""
import datetime as dt
import json

import pytest

from browser_support import app_exceptions, screenshot, wait_for_app, open_page

Q = dt.date(2026, 9, 30)
QS = dt.date(2026, 7, 1)
SCOPES = [{}, {"chain": "C02"}, {"park": "P01"}]
IDS = ["district", "chain-C02", "park-P01"]
PAGE = "views/pairing.py"


_open = open_page

# a pairing belongs to the chain it was registered with and to its enterprise's park
IN_SCOPE = """(CAST($c AS VARCHAR) IS NULL OR p.chain_id = $c)
  AND (CAST($p AS VARCHAR) IS NULL OR p.enterprise_id IN (SELECT enterprise_id FROM enterprises WHERE park_id = $p))"""
ACTIVE = "p.started_on <= $q AND (p.ended_on IS NULL OR p.ended_on > $q)"


def _p(scope, **kw):
    return {"c": scope.get("chain"), "p": scope.get("park"), "q": Q, **kw}


def _table(at, first_col):
    for d in at.dataframe:
        if len(d.value.columns) and d.value.columns[0] == first_col:
            return d.value
    raise AssertionError(first_col)


@pytest.mark.parametrize("scope", SCOPES, ids=IDS)
def test_pairing_numbers_equal_raw_sql(app, raw, scope):
    at = app(PAGE, quarter="2026Q3", **scope)
    m = {x.label: x.value for x in at.metric}

    n_active, n_units = raw.sql(f"SELECT count(*), count(DISTINCT unit_id) FROM pairings p WHERE {ACTIVE} AND {IN_SCOPE}",
                                params=_p(scope)).fetchall()[0]
    assert m["结对共建数"] == f"{n_active:,} 对"
    assert m["结对机关单位"] == f"{n_units:,} 个"
    n_act = raw.sql(f"""SELECT count(*) FROM pairing_activities a JOIN pairings p USING (pairing_id)
        WHERE a.held_on BETWEEN $qs AND $q AND {IN_SCOPE}""", params=_p(scope, qs=QS)).fetchall()[0][0]
    assert m["本季共建活动"] == f"{n_act:,} 次"

    # one row per unit with an active pairing; the pairing list holds exactly the active pairings
    assert len(_table(at, "机关单位")) == n_units  # the first table starting with 机关单位 is the by-unit one
    tables = [d.value for d in at.dataframe if "结对企业" in d.value.columns and "结对开始" in d.value.columns]
    assert len(tables) == 1 and len(tables[0]) == n_active

    # units with active pairings but no activity this quarter (over their in-scope pairings)
    idle = raw.sql(f"""
        WITH u AS (SELECT DISTINCT p.unit_id FROM pairings p WHERE {ACTIVE} AND {IN_SCOPE})
        SELECT un.name,
               (SELECT count(*) FROM pairings p WHERE p.unit_id = u.unit_id AND {ACTIVE} AND {IN_SCOPE}) AS n,
               (SELECT max(a.held_on) FROM pairing_activities a JOIN pairings p USING (pairing_id)
                 WHERE p.unit_id = u.unit_id AND a.held_on <= $q AND {IN_SCOPE}) AS last_on
        FROM u JOIN units un USING (unit_id)
        WHERE NOT EXISTS (SELECT 1 FROM pairing_activities a JOIN pairings p USING (pairing_id)
                          WHERE p.unit_id = u.unit_id AND a.held_on BETWEEN $qs AND $q AND {IN_SCOPE})
        ORDER BY un.name""", params=_p(scope, qs=QS)).fetchall()
    assert any(f"本季无共建活动的结对单位 · {len(idle)} 个" in h.value for h in at.subheader)
    if idle:
        shown = [d.value for d in at.dataframe if list(d.value.columns) == ["机关单位", "类型", "在结对数", "最近活动"]][0]
        got = sorted((r["机关单位"], int(r["在结对数"]),
                      None if r["最近活动"] is None or str(r["最近活动"]) in ("NaT", "None") else
                      dt.date.fromisoformat(str(r["最近活动"])[:10])) for _, r in shown.iterrows())
        assert got == sorted(idle)

    # this quarter's activities per 六红 programme, with participants and results
    want = {r[0]: r[1:] for r in raw.sql(f"""SELECT a.program, count(*), sum(a.n_participants), sum(a.n_results)
        FROM pairing_activities a JOIN pairings p USING (pairing_id)
        WHERE a.held_on BETWEEN $qs AND $q AND {IN_SCOPE} GROUP BY a.program""", params=_p(scope, qs=QS)).fetchall()}
    prog = _table(at, "项目")
    for _, r in prog.iterrows():
        assert (int(r["本季活动"]), int(r["本季参与人次"]), int(r["本季成果"])) == tuple(
            int(x) for x in want.get(r["项目"], (0, 0, 0))), r["项目"]


def test_chain_bars_show_active_pairings_of_each_chain(app, raw):
    at = app(PAGE, quarter="2026Q3")
    fig = json.loads(at.get("plotly_chart")[1].proto.spec)
    bars = dict(zip(fig["data"][0]["customdata"], fig["data"][0]["x"]))
    want = dict(raw.sql(f"SELECT p.chain_id, count(*) FROM pairings p WHERE {ACTIVE} GROUP BY 1",
                        params={"q": Q}).fetchall())
    assert bars == want
    assert bars["C02"] > 0


def test_twelve_quarters_stacked_by_programme(app, raw):
    at = app(PAGE, quarter="2026Q3", chain="C02")
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    bars = [t for t in fig["data"] if t["type"] == "bar"]
    assert [t["name"] for t in bars] == ["红领精英", "红创人才", "红联众创"]
    assert all(len(t["x"]) == 12 for t in bars)
    red_q3 = raw.sql("""SELECT count(*) FROM pairing_activities a JOIN pairings p USING (pairing_id)
        WHERE p.chain_id = 'C02' AND a.program = '红领精英' AND a.held_on BETWEEN DATE '2025-04-01' AND DATE '2025-06-30'
        """).fetchall()[0][0]
    assert bars[0]["y"][bars[0]["x"].index("2025Q2")] == red_q3


def test_empty_scope_shows_empty_states(app, raw):
    c, p = raw.sql("""SELECT c.chain_id, pk.park_id FROM chains c, parks pk WHERE NOT EXISTS (
        SELECT 1 FROM pairings p JOIN enterprises e USING (enterprise_id) WHERE p.chain_id = c.chain_id
        AND e.park_id = pk.park_id) ORDER BY 1, 2 LIMIT 1""").fetchall()[0]
    at = app(PAGE, chain=c, park=p)
    assert {x.label: x.value for x in at.metric}["结对共建数"] == "0 对"
    assert any("近 12 个季度无共建活动" in i.value for i in at.info)


@pytest.mark.browser
@pytest.mark.parametrize("scope,name", [({}, "pairing-district"), ({"chain": "C02"}, "pairing-chain-C02")])
def test_screenshot(page, streamlit_server, offsite_requests, scope, name):
    qs = "&".join(f"{k}={v}" for k, v in {"quarter": "2026Q3", **scope}.items())
    _open(page, streamlit_server, f"/pairing?{qs}")
    page.get_by_text("六红工程").first.wait_for(timeout=30_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    wait_for_app(page, settle_ms=1000)
    assert not app_exceptions(page)
    screenshot(page, name, full_height=True)
