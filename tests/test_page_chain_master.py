"""链主 page under AppTest (district, C02, a park filter); numbers equal independent SQL over the RAW
tables enterprise_chains / chain_master_plans / enterprises."""
import json

from conftest import scalar, shown_text

MASTERS = """SELECT enterprise_id, chain_id FROM enterprise_chains WHERE role = '链主'
             UNION SELECT enterprise_id, chain_id FROM chain_master_plans WHERE year <= 2026"""


def _metrics(at) -> list[tuple[str, str]]:
    return [(m.label, m.value) for m in at.metric]


def test_district_view_equals_raw_tables(app, raw):
    at = app("views/chain_master.py", quarter="2026Q3")
    assert [t.value for t in at.title] == ["链主"]
    m = dict(_metrics(at))
    n = scalar(raw, f"SELECT count(*) FROM ({MASTERS})")
    assert m["链主企业"] == f"{n} 家"
    tf = scalar(raw, "SELECT count(*) FROM chain_master_plans WHERE year = 2026 AND has_task_force")
    pp = scalar(raw, "SELECT count(*) FROM chain_master_plans WHERE year = 2026 AND has_party_plan")
    assert m["已组建工作专班"] == f"{tf} / {n}" and m["已制定年度党建规划"] == f"{pp} / {n}"
    fiscal = scalar(raw, "SELECT sum(fiscal_support_10k) FROM chain_master_plans WHERE year = 2026")
    assert abs(float(m["2026 财政支持"].split()[0].replace(",", "")) - fiscal) <= 0.51   # 万元, rounded
    land = scalar(raw, "SELECT sum(land_mu) FROM chain_master_plans WHERE year = 2026")
    assert m["2026 优先供地"] == f"{land:,.1f} 亩"
    # the table: one row per chain × 链主, with this year's and last year's support
    df = at.dataframe[0].value
    assert len(df) == n
    want = dict(raw.sql("""SELECT e.name, p.fiscal_support_10k FROM chain_master_plans p
                           JOIN enterprises e USING (enterprise_id) WHERE p.chain_id = 'C02' AND p.year = 2025""").fetchall())
    got = df[df["产业链"].str.startswith("C02")]
    assert dict(zip(got["链主企业"], got["2025 财政支持(万元)"])) == want
    # the support chart: 2026 fiscal support of C02 summed over its 链主
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    y2026 = next(t for t in fig["data"] if t["name"] == "2026 年")
    c02 = dict(zip(y2026["customdata"], y2026["y"]))["C02"]
    assert abs(c02 - scalar(raw, "SELECT sum(fiscal_support_10k) FROM chain_master_plans "
                                 "WHERE chain_id = 'C02' AND year = 2026")) < 1e-6


def test_chain_view_c02_equals_raw_tables(app, raw):
    at = app("views/chain_master.py", quarter="2026Q3", chain="C02")
    md = shown_text(at)
    rows = raw.sql("""SELECT e.name, p.fiscal_support_10k, p.task_force_mode, p.has_party_plan, p.n_standards
                      FROM chain_master_plans p JOIN enterprises e USING (enterprise_id)
                      WHERE p.chain_id = 'C02' AND p.year = 2026 ORDER BY e.revenue_10k DESC""").fetchall()
    assert rows
    shown = [v for label, v in _metrics(at) if label == "财政支持"]
    assert shown == [f"{r[1]:,.0f} 万元" for r in rows]
    assert [v for label, v in _metrics(at) if label == "参与制修订标准"] == [f"{r[4]} 项" for r in rows]
    for name, _, mode, plan, _ in rows:
        assert name in md.splitlines()
        assert f"工作专班:已组建({mode})" in md
        assert f"年度党建规划:{'已制定' if plan else '未制定'}" in md
    # yearly detail: one row per 链主 × year up to 2026
    n_plans = scalar(raw, "SELECT count(*) FROM chain_master_plans WHERE chain_id = 'C02' AND year <= 2026")
    plans = next(d.value for d in at.dataframe if "年度" in d.value.columns)
    assert len(plans) == n_plans


def test_earlier_quarter_uses_that_year(app, raw):
    at = app("views/chain_master.py", quarter="2025Q2")
    m = dict(_metrics(at))
    fiscal = scalar(raw, "SELECT sum(fiscal_support_10k) FROM chain_master_plans WHERE year = 2025")
    assert abs(float(m["2025 财政支持"].split()[0].replace(",", "")) - fiscal) <= 0.51


def test_park_filter_keeps_chain_level_masters(app):
    at = app("views/chain_master.py", quarter="2026Q3", park="P01")
    assert "不受园区筛选影响" in shown_text(at)
