"""A real server and real Chromium: 总览 renders with Chinese text and nothing leaves the machine."""
import pytest

from browser_support import app_exceptions, screenshot, wait_for_app


@pytest.mark.browser
def test_overview_renders_chinese_offline(page, streamlit_server, offsite_requests):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(streamlit_server + "/?quarter=2026Q3")
    wait_for_app(page)
    page.get_by_text("企业与梯度培育").wait_for(timeout=60_000)
    assert page.get_by_text("数据截至 2026-09-30 · 演示数据").count() >= 1
    page.locator('[data-testid="stMetric"]').nth(13).wait_for(timeout=60_000)
    assert page.locator('[data-testid="stMetric"]').count() == 14
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
