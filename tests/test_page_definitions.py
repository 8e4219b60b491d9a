"""指标口径 page: every registry KPI with its 口径; contract tables with row counts equal to the raw tables."""
import pytest

from dashboard import kpis, labels

PAGE = "views/definitions.py"
ALL = kpis.KPIS + kpis.EXTRA_KPIS


def _kpi_tables(at):
    return [t.value for t in at.table if "口径" in t.value.columns]


def _contract(at):
    return [t.value for t in at.table if "粒度" in t.value.columns][0]


@pytest.mark.parametrize("scope", [{}, {"chain": "C02"}, {"park": "P01"}], ids=["district", "chain-C02", "park-P01"])
def test_every_kpi_with_its_definition(app, scope):
    at = app(PAGE, **scope)
    rows = {}
    for t in _kpi_tables(at):
        for label, r in t.iterrows():
            rows[label] = r
    assert set(rows) == {k.label for k in ALL}
    for k in ALL:
        r = rows[k.label]
        assert r["口径"] == k.definition and r["单位"] == k.unit and r["来源表"] == labels.tables_text(k.tables)
        has_target = bool(k.target) or k.key in kpis.TARGET_LABELS
        assert r["年度目标"].startswith("有") == has_target, k.key
    # grouped by kpi.group, in registry order
    groups = list(dict.fromkeys(k.group for k in ALL))
    heads = [x.value for x in at.markdown if x.value.startswith("##### ")]
    assert [h[6:].split(" · ")[0] for h in heads] == groups
    assert any(kpis.TARGET_RULE in i.value for i in at.info)
    assert at.download_button(key="def_kpis_dl_xlsx") is not None


def test_search_filters_the_kpis(app):
    at = app(PAGE)
    at.text_input(key="def_search").input("诉求").run()
    assert not at.exception
    shown = {label for t in _kpi_tables(at) for label in t.index}
    want = {k.label for k in ALL if "诉求" in k.label or "诉求" in k.definition or "诉求" in k.group}
    assert shown == want and len(want) >= 6
    at.text_input(key="def_search").input("不存在的指标xyz").run()
    assert not _kpi_tables(at)
    assert any("没有匹配的指标" in i.value for i in at.info)


def test_contract_tables_row_counts_equal_raw(app, raw):
    at = app(PAGE)
    t = _contract(at)
    for table in ("enterprises", "appeals", "pairings", "meetings", "honors"):
        n = raw.sql(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        assert int(t.loc[labels.table(table), "当前行数"]) == n, table
    raw_tables = {r[0] for r in raw.sql("SELECT table_name FROM duckdb_tables() WHERE table_name NOT LIKE 'mart_%' "
                                        "AND table_name NOT LIKE 'dim_%'").fetchall()}
    names = sorted(labels.table(x) for x in raw_tables)    # named in Chinese (the import template's sheet names)
    assert set(names) <= set(t.index)   # every raw table of the contract is described
    assert (t.loc[names, "层级"] == "原始表").all()


@pytest.mark.browser
def test_screenshot(page, streamlit_server, offsite_requests):
    from browser_support import app_exceptions, screenshot, wait_for_app
    page.goto(streamlit_server + "/")      # let the router run once (see test_page_appeals._open)
    wait_for_app(page)
    page.goto(f"{streamlit_server}/definitions?quarter=2026Q3&chain=C02")
    wait_for_app(page)
    page.get_by_text("数据仓库契约表").first.wait_for(timeout=30_000)
    assert not app_exceptions(page)
    screenshot(page, "definitions-chain-C02", full_height=True)
