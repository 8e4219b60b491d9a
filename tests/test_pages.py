"""Every page runs under AppTest (district, a chain, a park); 总览 shows exactly the `kpis` numbers."""
import json

import pytest

from dashboard import cli, kpis, nav, ui
from conftest import shown_text

PAGES = [p[1] for p in nav.existing()]
SCOPES = [{}, {"chain": "C02"}, {"park": "P01"}, {"chain": "C02", "park": "P13", "quarter": "2025Q2"}]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception(app, page):
    for scope in SCOPES[:3]:
        at = app(page, **scope)
        drawn = at.title or at.markdown or any("bs-ptitle" in h.proto.body for h in at.get("html"))  # 大屏: panels in st.html
        assert drawn, (page, [h.proto.body[:200] for h in at.get("html")])


def test_the_whole_app_runs_with_filters_from_the_url(app):
    at = app("streamlit_app.py", quarter="2025Q4", chain="C08")
    values = [sb.value for sb in at.selectbox]
    assert values[:3] == ["2025Q4", "C08", "全部"]
    assert "美妆大健康" in shown_text(at)


@pytest.mark.parametrize("scope", SCOPES, ids=["district", "chain", "park", "chain-park-2025Q2"])
def test_overview_metrics_equal_cli_kpis(app, capsys, warehouse_path, scope):
    at = app("views/overview.py", **scope)
    shown = {m.label: m.value for m in at.metric}
    argv = ["--db", warehouse_path, "kpis", "--quarter", scope.get("quarter", "2026Q3"), "--json"]
    if "chain" in scope and "park" not in scope:
        argv += ["--chain", scope["chain"]]
    if "park" in scope and "chain" not in scope:
        argv += ["--park", scope["park"]]
    if "chain" in scope and "park" in scope:   # the CLI takes one scope; compare with the library directly
        import datetime as dt
        want = kpis.as_dict(kpis.headline(dt.date(2025, 6, 30), scope["chain"], scope["park"]))
    else:
        capsys.readouterr()
        assert cli.main(argv) == 0
        want = json.loads(capsys.readouterr().out)["kpis"]
    assert len(shown) == len(kpis.OVERVIEW_KPIS)        # the headline KPIs and the year-to-date ones with a target
    for k in kpis.KPIS:
        assert shown[k.label] == kpis.fmt_value(k, want[k.label]), k.label


def test_overview_help_texts_state_the_definition(app):
    at = app("views/overview.py")
    for m in at.metric:
        assert "口径" in (m.help or ""), m.label


def test_data_stamp_on_every_page(app):
    for page in PAGES:
        if page.endswith("bigscreen.py"):
            continue
        at = app(page)
        assert "数据截至 2026-09-30 · 演示数据" in shown_text(at), page


def test_missing_warehouse_gives_a_chinese_message(app, monkeypatch, tmp_path):
    from dashboard import db
    monkeypatch.setattr(db, "_override", None)  # an earlier CLI call in this process may have set --db
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "none.duckdb"))
    at = app("views/overview.py", expect_ok=False)
    assert any("找不到数据仓库文件" in e.value for e in at.error)


def test_empty_scope_shows_no_data_state(app):
    # 2023Q4 for a chain × park pair with no enterprises renders the 无数据 state, not an exception
    at = app("views/overview.py", chain="C12", park="P12", quarter="2023Q4")
    assert not at.exception


def test_breadcrumb_leads_back_to_the_district(app):
    at = app("streamlit_app.py", quarter="2025Q4", chain="C05")
    assert ui.crumb_trail(at) == "全区 › 新材料"
    district_firms = kpis.fmt_value("n_enterprises", kpis.headline(__import__("datetime").date(2025, 12, 31))[0].value)
    chain_firms = {m.label: m.value for m in at.metric}["企业数"]
    assert chain_firms != district_firms
    at.button(key="crumb_0").click().run()
    assert not at.exception
    assert [sb.value for sb in at.selectbox][:3] == ["2025Q4", "全部", "全部"]
    assert {m.label: m.value for m in at.metric}["企业数"] == district_firms
    assert ui.crumb_trail(at) == "全区"
