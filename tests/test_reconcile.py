"""Every breakdown adds up: per-chain (per-park) figures plus the 未归链 (未入园) remainder equal the district
figure, the remainder counted from the raw tables, not by subtraction."""
import datetime as dt
import re

import independent

Q = dt.date(2026, 9, 30)
OVERDUE = """SELECT count(*) FROM appeals WHERE received_on <= $q AND (resolved_on IS NULL OR resolved_on > $q)
             AND due_on < $q"""


def test_per_chain_overdue_plus_unassigned_equals_the_district(raw, warehouse_path):
    from dashboard.db import run_query
    rows = run_query("overview/chain_ranking", quarter_end=Q, park_id="*")
    chains = rows.filter(~rows["is_remainder"])
    rest = rows.filter(rows["is_remainder"])
    assert chains.height == 13 and rest.height == 1 and rest["chain_name"][0] == "未归链"
    district = independent.kpis(raw, Q)["超期未办结"]
    no_chain = raw.sql(OVERDUE + " AND chain_id IS NULL", params={"q": Q}).fetchall()[0][0]
    assert rest["n_appeals_overdue"][0] == no_chain > 0
    assert int(chains["n_appeals_overdue"].sum()) + no_chain == district
    for cid, n in zip(chains["chain_id"], chains["n_appeals_overdue"]):
        assert n == independent.kpis(raw, Q, cid)["超期未办结"], cid


def test_per_park_rows_plus_outside_equal_the_district(raw):
    from dashboard.db import run_query
    rows = run_query("overview/park_comparison", quarter_end=Q, chain_id="*")
    rest = rows.filter(rows["is_remainder"])
    assert rest["park_name"][0] == "未入园"
    outside = raw.sql("""SELECT count(*) FROM enterprises WHERE park_id IS NULL AND founded_on <= $q
                         AND (closed_on IS NULL OR closed_on > $q)""", params={"q": Q}).fetchall()[0][0]
    assert rest["n_enterprises"][0] == outside
    k = independent.kpis(raw, Q)
    assert int(rows["n_enterprises"].sum()) == k["企业数"]
    assert int(rows["n_appeals_overdue"].sum()) == k["超期未办结"]


def test_pages_say_how_their_breakdowns_reconcile(app, raw):
    k = independent.kpis(raw, Q)
    at = app("views/park.py", quarter="2026Q3")
    cap = " ".join(c.value for c in at.caption)
    m = re.search(r"各园区合计 ([\d,]+) 件 \+ 未入园 ([\d,]+) 件 = 全区 ([\d,]+) 件", cap)
    assert m and int(m.group(3).replace(",", "")) == k["超期未办结"]
    assert int(m.group(1).replace(",", "")) + int(m.group(2)) == k["超期未办结"]
    at = app("views/chain.py", quarter="2026Q3")
    cap = " ".join(c.value for c in at.caption)
    m = re.search(r"各产业链合计 ([\d,]+) 件 \+ 未归链 ([\d,]+) 件 = 全区 ([\d,]+) 件", cap)
    assert m and int(m.group(3).replace(",", "")) == k["超期未办结"]
    # the per-chain table carries the 未归链 row; enterprises on several chains are said to be counted per chain
    assert "未归链" in at.dataframe[0].value["产业链"].tolist()
    assert "一家企业可属多条链" in cap


def test_card_and_funnel_say_which_is_which(app):
    """诉求办结 on the card (办结日期在本季) and in the funnel (本季收到中已办结) differ by definition: the labels say so."""
    at = app("views/appeals.py", quarter="2026Q3")
    cap = " ".join(c.value for c in at.caption)
    assert "与指标卡“诉求办结”口径不同" in cap and "其中已办结 = 本季收到的诉求中" in cap
    import json
    funnel = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert list(funnel["data"][0]["y"]) == ["收集", "转办", "其中已办结"]


def test_topic_breakdowns_carry_their_remainder(raw):
    """梯度培育 by park and 两个覆盖 by chain: the rows plus the remainder row equal the district (raw tables)."""
    from dashboard.db import run_query
    k = independent.kpis(raw, Q)
    by_park = run_query("cultivation/by_park", quarter_end=Q, chain_id="*")
    assert by_park["park_name"][-1] == "未入园" and by_park["is_remainder"][-1]
    assert int(by_park["n_xjr"].sum()) == k["小巨人"]
    by_chain = run_query("coverage/by_chain", quarter_end=Q, park_id="*")
    no_chain_base = raw.sql("""SELECT count(*) FROM enterprises e WHERE e.employees >= 10 AND e.founded_on <= $q
        AND (e.closed_on IS NULL OR e.closed_on > $q)
        AND e.enterprise_id NOT IN (SELECT enterprise_id FROM enterprise_chains)""", params={"q": Q}).fetchall()[0][0]
    assert by_chain.filter(by_chain["is_remainder"])["n_base"][0] == no_chain_base
