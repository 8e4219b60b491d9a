"""A real server and real Chromium: 总览 renders with Chinese text and nothing leaves the machine."""
import pytest

from browser_support import app_exceptions, screenshot, wait_for_app, wait_for_layout


@pytest.mark.browser
def test_overview_renders_chinese_offline(page, streamlit_server, offsite_requests):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(streamlit_server + "/?quarter=2026Q3")
    wait_for_app(page)
    page.get_by_text("梯度培育", exact=True).wait_for(timeout=60_000)
    assert page.get_by_text("数据截至 2026-09-30 · 演示数据").count() >= 1
    from dashboard import kpis
    n_cards = len(kpis.OVERVIEW_KPIS)
    page.locator('[data-testid="stMetric"]').nth(n_cards - 1).wait_for(timeout=60_000)
    assert page.locator('[data-testid="stMetric"]').count() == n_cards
    # the charts and the rest of the 督办 list come once the browser has drawn the first screen
    page.locator(".js-plotly-plot").nth(5).wait_for(timeout=60_000)
    page.get_by_text("加载中").first.wait_for(state="detached", timeout=60_000)
    assert page.locator(".js-plotly-plot").count() >= 6
    # the CJK font is really used for the text (no boxes): the browser has the glyphs
    assert page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"', '链长制党建引领企业数')")
    assert not app_exceptions(page)
    screenshot(page, "overview-1080")
    page.set_viewport_size({"width": 1920, "height": 3000})
    wait_for_app(page)
    screenshot(page, "overview-1080-full")


@pytest.mark.browser
def test_filters_live_in_the_url(page, streamlit_server, offsite_requests):
    page.goto(streamlit_server + "/?quarter=2025Q4&chain=C08")
    wait_for_app(page)
    page.get_by_text("美妆大健康").first.wait_for(timeout=30_000)
    assert "quarter=2025Q4" in page.url and "chain=C08" in page.url
    # switching page keeps the filters in the URL
    page.get_by_role("link", name="总览").first.click()
    wait_for_app(page)
    assert "chain=C08" in page.url


@pytest.mark.browser
def test_a_bookmark_is_the_first_request_after_a_server_start(page, warehouse_path, offsite_requests):
    """A shared link opened before anyone visited '/' still goes through the router (filters, layout)."""
    from browser_support import StreamlitServer
    with StreamlitServer(env={"DASHBOARD_DB": warehouse_path}) as server:
        page.goto(server.url + "/chain?quarter=2025Q4&chain=C05")
        wait_for_app(page)
        page.get_by_text("筛选", exact=True).first.wait_for(timeout=60_000)
        page.get_by_text("新材料").first.wait_for(timeout=60_000)
        assert "chain=C05" in page.url and "quarter=2025Q4" in page.url
        nav = " ".join(page.locator('[data-testid="stSidebarNav"]').all_inner_texts())
        assert "产业链" in nav and "streamlit app" not in nav.lower()   # our navigation, not a file listing


@pytest.mark.browser
def test_attention_panel_is_in_the_first_screen(page, streamlit_server, offsite_requests, capsys):
    """At 1920×1080 the 需关注事项 panel, with at least one 滞后 item and the overdue appeals by age, is inside
    the first viewport (no scrolling); its counts are the CLI's."""
    import json

    from dashboard import cli
    capsys.readouterr()
    assert cli.main(["alerts", "--quarter", "2026Q3", "--json"]) == 0
    want = json.loads(capsys.readouterr().out)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(streamlit_server + "/?quarter=2026Q3")
    wait_for_app(page)
    head = page.locator("#attention")
    head.wait_for(timeout=60_000)
    red = page.locator(".al-badge.s-红").first
    red.wait_for(timeout=30_000)
    page.get_by_text("超期最久", exact=False).first.wait_for(timeout=30_000)
    wait_for_layout(page)              # measure boxes only once fonts and charts have stopped moving the layout
    for loc in (head, red, page.get_by_text("超期最久", exact=False).first):
        box = loc.bounding_box()
        assert box and 0 <= box["y"] and box["y"] + box["height"] <= 1080, box
    text = head.inner_text()
    assert f"滞后 {want['counts']['红']} 项" in text and f"关注 {want['counts']['黄']} 项" in text
    first = next(i for i in want["items"] if i["status"] == "红")
    assert first["label"] in page.locator("[class*='st-key-alrow_ov_al_0']").inner_text()
    assert page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollTop") == 0
    assert not app_exceptions(page)
    screenshot(page, "overview-first-screen")
