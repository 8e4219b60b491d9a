"""产业链 page under AppTest: district table, chain view (C02), chain × park; numbers equal independent SQL
over the RAW tables (DESIGN.md 口径), the drill-down from the shell, and `drill.picked`."""
import datetime as dt
import json
import os

import pytest

from conftest import ROOT, scalar
from conftest import shown_text

Q = dt.date(2026, 9, 30)
ALIVE = "e.founded_on <= $q AND (e.closed_on IS NULL OR e.closed_on > $q)"


def _n_role(raw, chain, role, park=None):
    sql = f"""SELECT count(*) FROM enterprise_chains ec JOIN enterprises e USING (enterprise_id)
              WHERE ec.chain_id = $c AND ec.role = $r AND {ALIVE}""" + (" AND e.park_id = $p" if park else "")
    return scalar(raw, sql, {"q": Q, "c": chain, "r": role} | ({"p": park} if park else {}))


def _n_chain_enterprises(raw, chain, park=None):
    sql = f"""SELECT count(DISTINCT e.enterprise_id) FROM enterprises e JOIN enterprise_chains ec USING (enterprise_id)
              WHERE ec.chain_id = $c AND {ALIVE}""" + (" AND e.park_id = $p" if park else "")
    return scalar(raw, sql, {"q": Q, "c": chain} | ({"p": park} if park else {}))


def _open_appeals(raw, chain=None, park=None):
    cond = "a.received_on <= $q AND (a.resolved_on IS NULL OR a.resolved_on > $q)"
    p = {"q": Q}
    if chain:
        cond += " AND a.chain_id = $c"
        p["c"] = chain
    if park:
        cond += " AND a.park_id = $p"
        p["p"] = park
    total = scalar(raw, f"SELECT count(*) FROM appeals a WHERE {cond}", p)
    overdue = scalar(raw, f"SELECT count(*) FROM appeals a WHERE {cond} AND a.due_on < $q", p)
    return total, overdue


def _md(at) -> str:
    return shown_text(at)


def _metrics(at) -> dict:
    out = {}
    for m in at.metric:
        out.setdefault(m.label, m.value)     # first occurrence
    return out


def test_district_table_equals_raw_tables(app, raw):
    at = app("views/chain.py", quarter="2026Q3")
    assert [t.value for t in at.title] == ["产业链"]
    df = at.dataframe[0].value
    assert len(df) == 14 and df["产业链"].iloc[-1] == "未归链"      # 13 chains and the remainder row
    # the remainder: enterprises on no chain, counted from the raw tables
    assert df["企业数"].iloc[-1] == scalar(raw, f"""SELECT count(*) FROM enterprises e WHERE {ALIVE}
        AND e.enterprise_id NOT IN (SELECT enterprise_id FROM enterprise_chains)""", {"q": Q})
    df = df.iloc[:13]
    rows = {r["产业链"].split(" ")[0]: r for _, r in df.iterrows()}
    for chain in ("C02", "C11"):
        r = rows[chain]
        assert r["企业数"] == _n_chain_enterprises(raw, chain)
        roles = [_n_role(raw, chain, x) for x in ("链主", "核心", "配套")]
        assert r["1+N+X"] == "+".join(str(n) for n in roles)
        masters = [n for (n,) in raw.sql(
            """SELECT e.name FROM enterprise_chains ec JOIN enterprises e USING (enterprise_id)
               WHERE ec.chain_id = $c AND ec.role = '链主' ORDER BY e.enterprise_id""", params={"c": chain}).fetchall()]
        assert r["链主"] == "、".join(masters)
        assert r["超期未办结"] == _open_appeals(raw, chain)[1]
    # 链主企业 headline = all alive 链主 rows over the 13 chains
    n_masters = scalar(raw, f"""SELECT count(*) FROM enterprise_chains ec JOIN enterprises e USING (enterprise_id)
                                WHERE ec.role = '链主' AND {ALIVE}""", {"q": Q})
    assert _metrics(at)["链主企业"] == f"{n_masters} 家"
    # status column: a worst-of word for every chain that has targets
    assert set(df["目标状态"]) <= {"● 滞后", "● 关注", "● 正常", "— 未设目标", "—"}
    # the ranking chart carries the chain ids for the drill-down
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    bar = fig["data"][0]
    assert sorted(bar["customdata"]) == sorted(rows)
    assert dict(zip(bar["customdata"], bar["x"]))["C02"] == _n_chain_enterprises(raw, "C02")


def test_chain_view_c02_equals_raw_tables(app, raw):
    at = app("views/chain.py", quarter="2026Q3", chain="C02")
    md = _md(at)
    assert "C02 生物医药及高端医疗器械" in md
    m = _metrics(at)
    # 1+N+X
    for role, lab in (("链主", "链主"), ("核心", "核心 N"), ("配套", "配套 X")):
        assert f"{_n_role(raw, 'C02', role):,}{lab}" in md
    # headline KPI card
    assert m["企业数"] == f"{_n_chain_enterprises(raw, 'C02'):,} 家"
    # 链长制 architecture: lead and partner unit names from `units`
    lead, partners = raw.sql("SELECT lead_unit_id, partner_unit_ids FROM chains WHERE chain_id = 'C02'").fetchall()[0]
    names = dict(raw.sql("SELECT unit_id, name FROM units").fetchall())
    assert f"牵头部门:{names[lead]}" in md
    assert "、".join(names[u] for u in partners) in md
    # open appeals: count, overdue count and the list
    total, overdue = _open_appeals(raw, "C02")
    assert f"共 {total} 件未办结" in md and f"超期 {overdue} 件" in md
    lists = {tuple(d.value.columns)[:2]: d.value for d in at.dataframe}
    appeals = next(v for k, v in lists.items() if k[0] == "企业")
    assert len(appeals) == total
    assert (appeals["状态"].str.startswith("● 超期")).sum() == overdue
    # 链主 + 核心 list
    key_ent = next(v for k, v in lists.items() if k[0] == "角色")
    assert len(key_ent) == _n_role(raw, "C02", "链主") + _n_role(raw, "C02", "核心")
    # meetings held this quarter, by kind, from `meetings`
    for kind in ("专题会议", "党建联席会议", "战略咨询会议", "吐槽大会"):
        n = scalar(raw, "SELECT count(*) FROM meetings WHERE chain_id = 'C02' AND kind = $k "
                        "AND held_on BETWEEN DATE '2026-07-01' AND $q", {"k": kind, "q": Q})
        assert f"{kind} **{n}** 次" in md


def test_chain_view_parks_chart_and_chain_x_park(app, raw):
    at = app("views/chain.py", quarter="2026Q3", chain="C02", park="P01")
    m = _metrics(at)
    assert m["企业数"] == f"{_n_chain_enterprises(raw, 'C02', 'P01'):,} 家"
    total, overdue = _open_appeals(raw, "C02", "P01")
    assert f"共 {total} 件未办结" in _md(at)
    at = app("views/chain.py", quarter="2026Q3", chain="C02")
    figs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    bar = next(f["data"][0] for f in figs if "未入园" in (f["data"][0].get("y") or []))
    shown = dict(zip(bar["customdata"], bar["x"]))
    assert shown["P13"] == _n_chain_enterprises(raw, "C02", "P13")


def test_drill_request_opens_the_chain_view_with_the_filter_set(warehouse_path):
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(os.path.join(ROOT, "streamlit_app.py"), default_timeout=120)
    at.session_state["_drill"] = {"page": "chain", "chain": "C05"}
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.session_state["chain"] == "C05"
    assert at.query_params.get("chain") in ("C05", ["C05"])
    assert [t.value for t in at.title] == ["产业链"]
    assert "C05 新材料" in _md(at).splitlines()


@pytest.mark.parametrize("event, want", [
    ({"selection": {"points": [{"customdata": ["C07"], "x": 10}]}}, "C07"),
    ({"selection": {"points": [{"customdata": "P03"}, {"customdata": "P04"}]}}, "P03"),
    ({"selection": {"points": []}}, None),
    ({"selection": {"points": [{"x": 1}]}}, None),
    (None, None),
])
def test_drill_picked_reads_the_first_selected_id(event, want):
    from dashboard import drill
    assert drill.picked(event) == want


def test_meetings_chart_builder_is_pure_and_stacks_the_four_kinds():
    import polars as pl

    from dashboard.charts import chain as cc
    df = pl.DataFrame({"quarter_end": [dt.date(2026, 6, 30)] * 4 + [Q] * 4,
                       "quarter_label": ["2026Q2"] * 4 + ["2026Q3"] * 4,
                       "kind": cc.MEETING_KINDS * 2, "n_meetings": [1, 1, 0, 2, 1, 1, 1, 0],
                       "n_attendees": [10] * 8})
    fig = cc.meetings_by_quarter(df)
    assert [t.name for t in fig.data] == cc.MEETING_KINDS
    assert fig.layout.barmode == "stack"
    assert list(fig.data[3].y) == [2, 0]
