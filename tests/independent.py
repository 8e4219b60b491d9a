"""Headline KPIs computed straight from the raw tables by the DESIGN.md definitions.

Written independently of the marts, so a test comparing the two can fail.
"""
import datetime as dt


def _scope_ent(chain, park):
    cond = ["TRUE"]
    if chain:
        cond.append(f"e.enterprise_id IN (SELECT enterprise_id FROM enterprise_chains WHERE chain_id = '{chain}')")
    if park:
        cond.append(f"e.park_id = '{park}'")
    return " AND ".join(cond)


def kpis(con, q: dt.date, chain: str | None = None, park: str | None = None) -> dict:
    qs = dt.date(q.year, q.month - 2, 1)
    ent = _scope_ent(chain, park)
    alive = "e.founded_on <= $q AND (e.closed_on IS NULL OR e.closed_on > $q)"
    P = {"q": q}
    one = lambda sql, p=P: con.sql(sql, params=p).fetchall()[0][0]  # noqa: E731
    out = {}
    out["企业数"] = one(f"SELECT count(*) FROM enterprises e WHERE {alive} AND {ent}")
    out["中小企业数"] = one(f"SELECT count(*) FROM enterprises e WHERE {alive} AND {ent} AND e.size IN ('中','小','微')")
    for label, honor in (("小巨人", "小巨人"), ("单项冠军", "单项冠军"), ("两高四新", "两高四新")):
        out[label] = one(f"""SELECT count(DISTINCT e.enterprise_id) FROM honors h JOIN enterprises e USING (enterprise_id)
            WHERE h.honor = '{honor}' AND h.awarded_on <= $q AND (h.expires_on IS NULL OR h.expires_on > $q)
              AND (h.revoked_on IS NULL OR h.revoked_on > $q) AND {alive} AND {ent}""")
    base = f"SELECT e.enterprise_id FROM enterprises e WHERE {alive} AND {ent} AND e.employees >= 10"
    n_base = one(f"SELECT count(*) FROM ({base})")
    n_org = one(f"""SELECT count(*) FROM enterprise_party p WHERE p.quarter_end = $q
        AND p.org_type IN ('单独组建','联合组建') AND p.enterprise_id IN ({base})""")
    n_work = one(f"""SELECT count(*) FROM ({base}) b WHERE
        EXISTS (SELECT 1 FROM enterprise_party p WHERE p.enterprise_id = b.enterprise_id AND p.quarter_end = $q
                AND (p.org_type <> '无' OR p.has_liaison))
        OR EXISTS (SELECT 1 FROM secretaries s WHERE s.enterprise_id = b.enterprise_id AND s.started_on <= $q
                AND (s.ended_on IS NULL OR s.ended_on > $q))""")
    out["组织覆盖率"] = n_org / n_base
    out["工作覆盖率"] = n_work / n_base
    sec_ent = "s.enterprise_id IN (SELECT e.enterprise_id FROM enterprises e WHERE " + ent + ")"
    out["第一书记在岗"] = one(f"""SELECT count(*) FROM secretaries s WHERE s.started_on <= $q
        AND (s.ended_on IS NULL OR s.ended_on > $q) AND {sec_ent}""")
    out["本季解决问题数"] = one(f"""SELECT coalesce(sum(o.n), 0) FROM secretary_outcomes o JOIN secretaries s USING (secretary_id)
        WHERE o.kind = '解决问题' AND o.occurred_on BETWEEN $qs AND $q AND {sec_ent}""", {"q": q, "qs": qs})
    acond = " AND ".join(["TRUE"] + ([f"a.chain_id = '{chain}'"] if chain else []) + ([f"a.park_id = '{park}'"] if park else []))
    out["诉求收到"] = one(f"SELECT count(*) FROM appeals a WHERE a.received_on BETWEEN $qs AND $q AND {acond}", {"q": q, "qs": qs})
    out["诉求办结"] = one(f"SELECT count(*) FROM appeals a WHERE a.resolved_on BETWEEN $qs AND $q AND {acond}", {"q": q, "qs": qs})
    rec = one(f"SELECT count(*) FROM appeals a WHERE a.received_on <= $q AND {acond}")
    res = one(f"SELECT count(*) FROM appeals a WHERE a.received_on <= $q AND a.resolved_on <= $q AND {acond}")
    out["诉求办结率"] = res / rec
    out["超期未办结"] = one(f"""SELECT count(*) FROM appeals a WHERE a.received_on <= $q
        AND (a.resolved_on IS NULL OR a.resolved_on > $q) AND a.due_on < $q AND {acond}""")
    pcond = " AND ".join(["TRUE"] + ([f"p.chain_id = '{chain}'"] if chain else [])
                         + ([f"p.enterprise_id IN (SELECT enterprise_id FROM enterprises WHERE park_id = '{park}')"] if park else []))
    out["结对共建数"] = one(f"""SELECT count(*) FROM pairings p WHERE p.started_on <= $q
        AND (p.ended_on IS NULL OR p.ended_on > $q) AND {pcond}""")
    return out


def _ytd(con, q: dt.date, metric: str, chain: str | None, park: str | None) -> float:
    """年内累计 flows straight from the raw tables: first secretaries' 解决问题 (scope by the host enterprise's
    chains and park) or pairing activities (chain by the pairing's chain, park by the enterprise's park)."""
    P = {"q": q, "y0": dt.date(q.year, 1, 1)}
    if metric == "n_problems_solved_ytd":
        cond = ["TRUE"]
        if chain:
            cond.append(f"s.enterprise_id IN (SELECT enterprise_id FROM enterprise_chains WHERE chain_id = '{chain}')")
        if park:
            cond.append(f"s.enterprise_id IN (SELECT enterprise_id FROM enterprises WHERE park_id = '{park}')")
        sql = f"""SELECT coalesce(sum(o.n), 0) FROM secretary_outcomes o JOIN secretaries s USING (secretary_id)
                  WHERE o.kind = '解决问题' AND o.occurred_on BETWEEN $y0 AND $q AND {' AND '.join(cond)}"""
    else:
        cond = ["TRUE"] + ([f"p.chain_id = '{chain}'"] if chain else []) + \
            ([f"p.enterprise_id IN (SELECT enterprise_id FROM enterprises WHERE park_id = '{park}')"] if park else [])
        sql = f"""SELECT count(*) FROM pairing_activities a JOIN pairings p USING (pairing_id)
                  WHERE a.held_on BETWEEN $y0 AND $q AND {' AND '.join(cond)}"""
    return float(con.sql(sql, params=P).fetchall()[0][0])


TARGET_LABEL = {"n_xjr": "小巨人", "n_lgsx": "两高四新", "org_coverage_rate": "组织覆盖率",
                "work_coverage_rate": "工作覆盖率", "appeal_resolved_rate": "诉求办结率"}
FLOWS = ("n_problems_solved_ytd", "n_pairing_activities_ytd")


def target_actual(con, q: dt.date, metric: str, chain: str | None = None, park: str | None = None) -> float:
    if metric in FLOWS:
        return _ytd(con, q, metric, chain, park)
    return float(kpis(con, q, chain, park)[TARGET_LABEL[metric]])


def judge(con, q: dt.date, chain: str | None = None, park: str | None = None) -> dict:
    """Every annual target of the scope at quarter end q, judged by DESIGN.md's rule from the raw tables:
    {metric: dict(kind, base, actual, expected, target, status, forecast)}."""
    first = con.sql("SELECT min(quarter_end) FROM enterprise_party").fetchall()[0][0]
    base_on = max(dt.date(q.year - 1, 12, 31), first)
    s = ((q.month - 1) // 3 + 1) / 4
    rows = con.sql("""SELECT metric, target_value FROM targets WHERE year = $y
                      AND chain_id IS NOT DISTINCT FROM $c AND park_id IS NOT DISTINCT FROM $p""",
                   params={"y": q.year, "c": chain, "p": park}).fetchall()
    out = {}
    for metric, target in rows:
        flow = metric in FLOWS
        actual = target_actual(con, q, metric, chain, park)
        base = 0.0 if flow else target_actual(con, base_on, metric, chain, park)
        expected = target * s if flow else base + (target - base) * s
        planned = target if flow else abs(target - base)
        if actual >= target or actual >= expected:
            status = "绿"
        elif actual >= expected - 0.10 * planned:
            status = "黄"
        else:
            status = "红"
        forecast = actual / s if flow else base + (actual - base) / s
        out[metric] = dict(kind="flow" if flow else "stock", base=base, actual=actual, expected=expected,
                           target=target, status=status, forecast=forecast)
    return out
