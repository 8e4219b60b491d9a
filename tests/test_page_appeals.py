"""诉求办理 page: numbers on screen equal independent SQL over the RAW tables (DESIGN.md 口径)."""
import datetime as dt
import json

import pytest

from browser_support import app_exceptions, screenshot, wait_for_app, open_page

Q = dt.date(2026, 9, 30)
QS = dt.date(2026, 7, 1)
SCOPES = [{}, {"chain": "C02"}, {"park": "P01"}]
IDS = ["district", "chain-C02", "park-P01"]
PAGE = "views/appeals.py"


_open = open_page

# appeals / meetings belong to the chain and park they were registered with
SCOPE_SQL = "(CAST($c AS VARCHAR) IS NULL OR {t}.chain_id = $c) AND (CAST($p AS VARCHAR) IS NULL OR {t}.park_id = $p)"


def _p(scope, **kw):
    return {"c": scope.get("chain"), "p": scope.get("park"), **kw}


def _one(raw, sql, params):
    return raw.sql(sql, params=params).fetchall()[0][0]


def _metrics(at):
    return {m.label: m.value for m in at.metric}


def _table(at, first_col):
    for d in at.dataframe:
        df = d.value
        if len(df.columns) and df.columns[0] == first_col:
            return df
    raise AssertionError(f"no table starting with {first_col}: {[list(d.value.columns)[:2] for d in at.dataframe]}")


@pytest.mark.parametrize("scope", SCOPES, ids=IDS)
def test_appeal_numbers_equal_raw_sql(app, raw, scope):
    at = app(PAGE, quarter="2026Q3", **scope)
    m = _metrics(at)
    a = SCOPE_SQL.format(t="a")

    # KPI card: 超期未办结 = unresolved at Q with due_on < Q
    overdue = _one(raw, f"""SELECT count(*) FROM appeals a WHERE a.received_on <= $q
        AND (a.resolved_on IS NULL OR a.resolved_on > $q) AND a.due_on < $q AND {a}""", _p(scope, q=Q))
    assert m["超期未办结"] == f"{overdue:,} 件"
    # the overdue list holds exactly those appeals
    assert len(_table(at, "企业")) == overdue
    assert any(f"超期未办结诉求清单 · {overdue:,} 件" in h.value for h in at.subheader)

    # worst handler unit: its overdue count, first row of the 承办单位 table
    worst = raw.sql(f"""SELECT u.name, count(*) AS n FROM appeals a JOIN units u ON u.unit_id = a.handler_unit_id
        WHERE a.received_on <= $q AND (a.resolved_on IS NULL OR a.resolved_on > $q) AND a.due_on < $q AND {a}
        GROUP BY u.name ORDER BY n DESC""", params=_p(scope, q=Q)).fetchall()
    handlers = _table(at, "承办单位")
    assert int(handlers["超期未办结"].iloc[0]) == worst[0][1]
    assert handlers["承办单位"].iloc[0] in {n for n, k in worst if k == worst[0][1]}
    # 办结率 of that unit: resolved ≤ Q ÷ received ≤ Q (累计)
    unit = handlers["承办单位"].iloc[0]
    rec, res = raw.sql(f"""SELECT count(*), count(*) FILTER (WHERE a.resolved_on <= $q) FROM appeals a
        JOIN units u ON u.unit_id = a.handler_unit_id WHERE a.received_on <= $q AND u.name = $u AND {a}""",
                       params=_p(scope, q=Q, u=unit)).fetchall()[0]
    assert handlers["办结率"].iloc[0] == pytest.approx(res / rec)

    # 吐槽大会 held in the quarter within the scope
    sessions = raw.sql(f"""SELECT m.meeting_id FROM meetings m WHERE m.kind = '吐槽大会'
        AND m.held_on BETWEEN $qs AND $q AND {SCOPE_SQL.format(t='m')}""", params=_p(scope, q=Q, qs=QS)).fetchall()
    assert m["吐槽大会场次"] == f"{len(sessions):,} 场"
    table = _table(at, "日期")
    assert len(table) == len(sessions) > 0
    # what one session collected: appeals carrying its meeting_id
    first = table.iloc[0]
    n, n_res = raw.sql("""SELECT count(*), count(*) FILTER (WHERE resolved_on <= $q) FROM appeals
        WHERE meeting_id = $m""", params={"m": first["会议编号"], "q": Q}).fetchall()[0]
    assert (int(first["收集诉求"]), int(first["已办结"])) == (n, n_res)

    # the closed loop: received in Q → of those transferred by Q → of those resolved by Q
    rec_q, tr_q, res_q = raw.sql(f"""SELECT count(*), count(*) FILTER (WHERE transferred_on <= $q),
        count(*) FILTER (WHERE transferred_on <= $q AND resolved_on <= $q)
        FROM appeals a WHERE a.received_on BETWEEN $qs AND $q AND {a}""", params=_p(scope, q=Q, qs=QS)).fetchall()[0]
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert fig["data"][0]["type"] == "funnel"
    assert list(fig["data"][0]["x"]) == [rec_q, tr_q, res_q]

    # satisfaction: mean over appeals resolved in the quarter
    sat = _one(raw, f"SELECT avg(satisfaction) FROM appeals a WHERE a.resolved_on BETWEEN $qs AND $q AND {a}",
               _p(scope, q=Q, qs=QS))
    assert m["满意度(本季办结)"] == f"{sat:.2f} 分"
    # help texts carry the 口径
    assert all("口径" in (x.help or "") for x in at.metric if x.label in ("超期未办结", "吐槽大会场次"))


def test_source_breakdown_covers_the_five_sources(app, raw):
    at = app(PAGE, quarter="2025Q4", chain="C07")
    src = _table(at, "诉求来源")
    want = dict(raw.sql("""SELECT source, count(*) FROM appeals WHERE chain_id = 'C07'
        AND received_on BETWEEN DATE '2025-10-01' AND DATE '2025-12-31' GROUP BY source""").fetchall())
    got = {r["诉求来源"]: int(r["本季收到"]) for _, r in src.iterrows()}
    assert {k: v for k, v in got.items() if v} == want
    order = [s for s in ["吐槽大会", "联合调度", "第一书记", "园长", "其他"] if s in got]
    assert list(src["诉求来源"]) == order


def test_empty_scope_shows_empty_states(app, raw):
    # a chain × park with no appeals and no 吐槽大会 in 2026Q3
    c, p = raw.sql("""SELECT c.chain_id, p.park_id FROM chains c, parks p
        WHERE NOT EXISTS (SELECT 1 FROM appeals a WHERE a.chain_id = c.chain_id AND a.park_id = p.park_id)
          AND NOT EXISTS (SELECT 1 FROM meetings m WHERE m.chain_id = c.chain_id AND m.park_id = p.park_id)
        ORDER BY 1, 2 LIMIT 1""").fetchall()[0]
    at = app(PAGE, chain=c, park=p)
    infos = " ".join(i.value for i in at.info)
    assert "本季无新收诉求" in infos and "本季未召开“吐槽大会”" in infos
    assert _metrics(at)["吐槽大会场次"] == "0 场"
    assert any("无超期未办结诉求" in s.value for s in at.success)


@pytest.mark.browser
@pytest.mark.parametrize("scope,name", [({}, "appeals-district"), ({"chain": "C02"}, "appeals-chain-C02")])
def test_screenshot(page, streamlit_server, offsite_requests, scope, name):
    qs = "&".join(f"{k}={v}" for k, v in {"quarter": "2026Q3", **scope}.items())
    _open(page, streamlit_server, f"/appeals?{qs}")
    page.get_by_text("闭环办理").first.wait_for(timeout=30_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    wait_for_app(page, settle_ms=1000)
    assert not app_exceptions(page)
    assert page.locator('[data-testid="stMetric"]').count() >= 10
    screenshot(page, name, full_height=True)
