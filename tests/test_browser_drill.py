"""Real server + Chromium: clicking a chart drills down (总览 bar → 产业链, map point → 园区), the park map is drawn
offline with the district boundary and 13 parks, and screenshots of the drill-down pages at 1920×1080."""
import datetime as dt
import re

import pytest

from browser_support import app_exceptions, screenshot, wait_for_app, wait_for_layout

Q = dt.date(2026, 9, 30)
MAP = ".st-key-pk_map_all"          # the map component on the district view (no park selected)
CHART_JS = "() => window.__parkMapChart && !window.__parkMapChart.isDisposed() ? window.__parkMapChart : null"


def _open(page, url):
    page.goto(url)
    wait_for_app(page)


def _click_center(page, locator):
    locator.scroll_into_view_if_needed()
    wait_for_layout(page)              # a bar still moving (fonts, late layout) would be missed
    box = locator.bounding_box()
    # plotly's drag layer covers the bars: click at the point instead of on the element
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def _wait_url(page, pattern, timeout=30_000):
    page.wait_for_url(re.compile(pattern), timeout=timeout)
    wait_for_app(page)


@pytest.mark.browser
def test_overview_bar_click_opens_that_chain(page, streamlit_server, offsite_requests, raw):
    largest, name = raw.sql("""
        SELECT c.chain_id, c.name FROM chains c JOIN enterprise_chains ec USING (chain_id)
        JOIN enterprises e USING (enterprise_id)
        WHERE e.founded_on <= $q AND (e.closed_on IS NULL OR e.closed_on > $q)
        GROUP BY ALL ORDER BY count(*) DESC LIMIT 1""", params={"q": Q}).fetchall()[0]
    _open(page, streamlit_server + "/?quarter=2026Q3")
    bars = page.locator(".st-key-ov_chain_rank .bars .point path")
    bars.first.wait_for(timeout=30_000)
    assert bars.count() == 13
    _click_center(page, bars.nth(12))               # bars are drawn smallest first: the last is the largest chain
    _wait_url(page, rf"/chain\?.*chain={largest}")
    page.get_by_role("heading", name=f"{largest} {name}").wait_for(timeout=30_000)
    assert "quarter=2026Q3" in page.url
    assert not app_exceptions(page)


@pytest.mark.browser
def test_park_map_is_drawn_offline_and_a_point_click_opens_the_park(page, streamlit_server, offsite_requests, raw):
    parks = dict(raw.sql("SELECT park_id, name FROM parks").fetchall())
    _open(page, streamlit_server + "/")               # first visit of a fresh server goes through the shell
    _open(page, streamlit_server + "/park?quarter=2026Q3")
    page.locator(f"{MAP} canvas").first.wait_for(timeout=30_000)
    page.wait_for_function(f"({CHART_JS})() && ({CHART_JS})().getOption().series[0].data.length === 13",
                           timeout=30_000)
    opt = page.evaluate(f"""() => {{ const o = ({CHART_JS})().getOption();
        return {{ map: o.geo[0].map, regions: o.geo[0].regions.map(r => r.name),
                 ids: o.series[0].data.map(d => d.value[3]), labels: o.series[0].data.map(d => d.label.formatter) }}; }}""")
    assert opt["map"] == "huangpu" and "黄埔区" in opt["regions"]
    assert sorted(opt["ids"]) == sorted(parks)
    for pid, label in zip(opt["ids"], opt["labels"]):
        assert label.startswith(parks[pid])
    wait_for_layout(page)
    # the canvas really has a drawing on it (boundary fill + points), not a blank area
    painted = page.evaluate(f"""() => {{ const c = document.querySelector('{MAP} canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n / (c.width * c.height); }}""")
    assert painted > 0.2, painted
    # click the point of 云埔工业区 (P07) → the park view of P07
    x, y = page.evaluate(f"""() => {{ const ch = ({CHART_JS})(); const o = ch.getOption();
        const d = o.series[0].data.find(p => p.value[3] === 'P07');
        const [px, py] = ch.convertToPixel({{seriesIndex: 0}}, [d.value[0], d.value[1]]);
        const r = ch.getDom().getBoundingClientRect(); return [r.left + px, r.top + py]; }}""")
    page.mouse.click(x, y)
    _wait_url(page, r"/park\?.*park=P07")
    page.get_by_role("heading", name=f"P07 {parks['P07']}").wait_for(timeout=30_000)
    assert not app_exceptions(page)


SHOTS = [
    ("chain-district", "/chain?quarter=2026Q3", "各链对比", 1),
    ("chain-C05", "/chain?quarter=2026Q3&chain=C05", "C05 新材料", 6),
    ("chain-master-district", "/chain-master?quarter=2026Q3", "各链链主扶持", 1),
    ("chain-master-C02", "/chain-master?quarter=2026Q3&chain=C02", "历年扶持(本链链主合计)", 1),
    ("park-district", "/park?quarter=2026Q3", "13 个园区对比 · 2026Q3", 0),
    ("park-P01", "/park?quarter=2026Q3&park=P01", "P01 广州科学城", 4),
]


@pytest.mark.browser
def test_screenshots_of_the_drill_down_pages(page, streamlit_server, offsite_requests):
    _open(page, streamlit_server + "/")
    for name, path, heading, n_plotly in SHOTS:
        _open(page, streamlit_server + path)
        page.get_by_role("heading", name=heading).first.wait_for(timeout=30_000)
        if n_plotly:
            page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {n_plotly}",
                                   timeout=30_000)
        if name.startswith("park"):
            page.locator("[class*='st-key-pk_map_'] canvas").first.wait_for(timeout=30_000)
        wait_for_layout(page)
        assert not app_exceptions(page), name
        assert page.locator('[data-testid="stSidebarNav"]').count() == 1, name   # the app shell, not a bare page
        screenshot(page, name, full_height=True)
