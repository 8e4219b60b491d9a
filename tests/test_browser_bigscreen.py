"""大屏 in a real Chromium against a real server: fits 1080p and 4K exactly, every chart drawn, KPI numbers
equal the `kpis` CLI (and independent SQL), rotation advances, pause/resume, nothing leaves the machine,
and a newly published warehouse (or a missing one) is handled without a page reload."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time

import pytest

import independent
from browser_support import StreamlitServer, app_exceptions, screenshot, wait_for_app

Q = dt.date(2026, 9, 30)
N_CHARTS = 4                 # ranking, trend, map, gauge (预警 is HTML)

# Every ECharts container has a canvas of non-zero size whose pixels are not all one colour.
CHARTS_JS = """
() => Array.from(document.querySelectorAll('.echarts-container')).map((box) => {
  const cs = Array.from(box.querySelectorAll('canvas'));
  let best = {w: 0, h: 0, colours: 0};
  for (const c of cs) {
    if (!c.width || !c.height) continue;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    const step = Math.max(4, Math.floor(d.length / 4 / 3000) * 4);
    for (let i = 0; i < d.length && seen.size < 50; i += step) seen.add(d[i] + ',' + d[i+1] + ',' + d[i+2] + ',' + d[i+3]);
    if (seen.size > best.colours) best = {w: c.width, h: c.height, colours: seen.size};
  }
  return best;
})
"""
# Cheap version for polling: each chart's canvases scaled down to 48×48.
ALL_DRAWN_JS = """
(n) => {
  const boxes = Array.from(document.querySelectorAll('.echarts-container'));
  if (boxes.length < n) return false;
  const t = document.createElement('canvas'); t.width = 48; t.height = 48;
  const x = t.getContext('2d', {willReadFrequently: true});
  return boxes.every(b => Array.from(b.querySelectorAll('canvas')).some(c => {
    if (!c.width || !c.height) return false;
    x.clearRect(0, 0, 48, 48); x.drawImage(c, 0, 0, 48, 48);
    const d = x.getImageData(0, 0, 48, 48).data, seen = new Set();
    for (let i = 0; i < d.length; i += 4) { seen.add(d[i] + ',' + d[i+1] + ',' + d[i+2] + ',' + d[i+3]); if (seen.size > 3) return true; }
    return false;
  }));
}
"""

FIT_JS = """
() => {
  const q = (s) => document.querySelector(s);
  const main = q('[data-testid="stMain"]'), block = q('[data-testid="stMainBlockContainer"]');
  const vis = (s) => Array.from(document.querySelectorAll(s)).some(e => e.getClientRects().length > 0
      && getComputedStyle(e).display !== 'none' && getComputedStyle(e).visibility !== 'hidden');
  const rect = (e) => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  return {
    doc: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
    body: [document.body.scrollWidth, document.body.scrollHeight],
    main: [main.scrollWidth, main.scrollHeight, main.clientWidth, main.clientHeight],
    block: [block.scrollWidth, block.scrollHeight, block.clientWidth, block.clientHeight],
    chrome: ['[data-testid="stSidebar"]', '[data-testid="stHeader"]', 'header', '[data-testid="stToolbar"]',
             'footer', '[data-testid="stDecoration"]'].filter(vis),
    panels: Array.from(document.querySelectorAll('[class*="st-key-bsp-"], .bs-scope, .bs-kpi, .bs-head'))
      .map(e => [e.className.split(' ').find(c => c.startsWith('st-key-') || c.startsWith('bs-')), ...rect(e)]),
    overflowing: Array.from(document.querySelectorAll('.bs-kpi-v, .bs-kpi-l, .bs-kpi-d, .bs-kpi-s, .bs-scope-n, .bs-ptitle'))
      .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.className),
    // every line of a KPI tile / the scope card lies inside the box that clips it
    numbers_out: Array.from(document.querySelectorAll('.bs-kpi, .bs-scope')).flatMap(t => {
      const a = t.getBoundingClientRect();
      return Array.from(t.querySelectorAll('.bs-kpi-l, .bs-kpi-n, .bs-kpi-u, .bs-kpi-d, .bs-kpi-s, .bs-scope-k, .bs-scope-n, .bs-scope-row, .bs-dots'))
        .filter(e => { const r = e.getBoundingClientRect();
                       return r.left < a.left - 0.5 || r.right > a.right + 0.5 || r.top < a.top - 0.5 || r.bottom > a.bottom + 0.5; })
        .map(e => (t.dataset.kpi || 'scope') + ':' + e.className);
    }),
  };
}
"""


def _open(page, url: str, size: tuple[int, int]) -> None:
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(url)
    page.wait_for_selector(".bs-kpis[data-settled='1']", timeout=60_000)
    page.wait_for_function(ALL_DRAWN_JS, arg=N_CHARTS, timeout=60_000, polling=250)


def _tiles(page) -> dict:
    page.wait_for_selector(".bs-kpis[data-settled='1']", timeout=30_000)
    return {e.get_attribute("data-kpi"): e.locator(".bs-kpi-n").inner_text() for e in page.locator(".bs-kpi").all()}


def _cli_kpis(capsys, chain: str | None = None) -> dict:
    from dashboard import cli
    capsys.readouterr()
    assert cli.main(["kpis", "--quarter", "2026Q3", "--json"] + (["--chain", chain] if chain else [])) == 0
    return json.loads(capsys.readouterr().out)["kpis"]


def _expected(values: dict) -> dict:
    from dashboard import bigscreen as bs
    from dashboard import kpis
    out = {}
    for key in bs.TILE_KEYS:
        k = kpis.BY_KEY[key]
        v = values[k.label]
        out[key] = f"{v * 100:.1f}" if k.is_rate else f"{int(v):,}"
    return out


def _assert_fits(page, w: int, h: int) -> None:
    m = page.evaluate(FIT_JS)
    assert m["doc"] == [w, h] and m["body"][0] <= w and m["body"][1] <= h, m
    assert m["main"] == [w, h, w, h], m                       # Streamlit's scroll container does not scroll
    assert m["block"][1] <= m["block"][3] and m["block"][0] <= m["block"][2], m
    assert m["chrome"] == [], m["chrome"]
    assert m["overflowing"] == [], m["overflowing"]            # no number or title is cut off
    assert m["numbers_out"] == [], m["numbers_out"]
    boxes = m["panels"]
    for name, l, t, r, b in boxes:
        assert -1 <= l and r <= w + 1 and -1 <= t and b <= h + 1, (name, l, t, r, b)
    for i, a in enumerate(boxes):                              # panels and tiles do not overlap
        for bb in boxes[i + 1:]:
            ox = min(a[3], bb[3]) - max(a[1], bb[1])
            oy = min(a[4], bb[4]) - max(a[2], bb[2])
            assert not (ox > 2 and oy > 2), (a, bb)


@pytest.mark.parametrize("size,shot", [((1920, 1080), "bigscreen-1080"), ((3840, 2160), "bigscreen-4k")])
def test_fits_the_screen_with_every_chart_drawn_and_cli_numbers(page, streamlit_server, offsite_requests,
                                                                  capsys, size, shot):
    _open(page, f"{streamlit_server}/bigscreen?interval=600", size)
    _assert_fits(page, *size)
    charts = page.evaluate(CHARTS_JS)
    assert len(charts) == N_CHARTS and all(c["w"] > 0 and c["h"] > 0 and c["colours"] > 3 for c in charts), charts
    assert page.inner_text(".bs-title") == "链长制 · 党建引领监测驾驶舱"
    assert "数据截至 2026-09-30 · 2026Q3" in page.inner_text(".bs-asof")
    assert page.inner_text(".bs-scope-n") == "黄埔区 · 全区" and page.inner_text(".bs-scope-i") == "1 / 14"
    assert _tiles(page) == _expected(_cli_kpis(capsys))
    # the 预警 panel: the same 滞后/关注 counts as `alerts`, the red items listed
    capsys.readouterr()
    from dashboard import cli
    assert cli.main(["alerts", "--quarter", "2026Q3", "--json"]) == 0
    al = json.loads(capsys.readouterr().out)
    warn = page.inner_text(".st-key-bsp-warn")
    assert f"滞后 {al['counts']['红']}" in warn and f"关注 {al['counts']['黄']}" in warn
    red = [i["label"] for i in al["items"] if i["status"] == "红"]
    assert red[0] in warn
    assert app_exceptions(page) == []
    clock = page.inner_text(".bs-clock")                         # the clock ticks in the browser
    page.wait_for_function("(c) => document.querySelector('.bs-clock').textContent !== c", arg=clock,
                           timeout=5_000)
    screenshot(page, shot)


def test_rotation_advances_to_the_next_chain_and_pauses(page, streamlit_server, offsite_requests, capsys, raw):
    _open(page, f"{streamlit_server}/bigscreen?interval=3", (1920, 1080))
    chains = raw.sql("SELECT chain_id, name FROM chains ORDER BY chain_id").fetchall()
    page.wait_for_function("() => document.querySelector('.bs-scope-i').textContent === '2 / 14'", timeout=15_000)
    # the space bar pauses: a badge shows and the item stays beyond the interval. (Paused first, so what is
    # checked below is the item on screen: on a busy machine a 3-s rotation would move on while it is read.)
    page.keyboard.press("Space")
    page.wait_for_selector(".bs-top.bs-paused .bs-badge", state="visible", timeout=5_000)
    assert page.inner_text(".bs-badge") == "已暂停"
    # the server has the pause too (an advance sent just before was handled first): the item is final now
    page.wait_for_selector(".bs-top[data-paused='true']", state="attached", timeout=15_000)
    page.wait_for_function(ALL_DRAWN_JS, arg=N_CHARTS, timeout=30_000, polling=250)
    held, name = page.evaluate("() => [document.querySelector('.bs-scope-i').textContent,"
                               " document.querySelector('.bs-scope-n').textContent]")
    idx = int(held.split("/")[0]) - 1                            # 1 = the first chain (0 is the district)
    assert idx >= 1, held
    chain_id, chain_name = chains[idx - 1]
    assert name == chain_name
    tiles = _tiles(page)
    assert tiles == _expected(_cli_kpis(capsys, chain_id))
    ind = independent.kpis(raw, Q, chain_id)                     # and straight from the raw tables
    assert tiles["n_enterprises"] == f"{ind['企业数']:,}" and tiles["n_xjr"] == f"{ind['小巨人']:,}"
    assert tiles["org_coverage_rate"] == f"{ind['组织覆盖率'] * 100:.1f}"
    _assert_fits(page, 1920, 1080)
    screenshot(page, "bigscreen-chain")
    page.wait_for_timeout(4_500)                                 # longer than the interval: nothing moves
    assert page.inner_text(".bs-scope-i") == held and page.locator(".bs-top.bs-paused").count() == 1
    # a click resumes, and the rotation goes on
    page.mouse.click(960, 700)
    page.wait_for_selector(".bs-top:not(.bs-paused)", timeout=5_000)
    nxt = f"{idx + 2} / 14"
    page.wait_for_function(f"() => document.querySelector('.bs-scope-i').textContent === '{nxt}'", timeout=15_000)
    assert app_exceptions(page) == []


def test_new_warehouse_version_shows_without_reload_and_missing_data_is_dignified(page, warehouse_path,
                                                                                  offsite_requests, tmp_path):
    import duckdb
    live = tmp_path / "live.duckdb"
    newer = tmp_path / "newer.duckdb"
    shutil.copy(warehouse_path, live)
    shutil.copy(warehouse_path, newer)
    con = duckdb.connect(str(newer))
    con.sql("UPDATE meta SET value = '2026-10-15' WHERE key = 'as_of'")
    con.close()
    server = StreamlitServer("streamlit_app.py", env={"DASHBOARD_DB": str(live)})
    url = server.start(timeout=60)
    try:
        _open(page, f"{url}/bigscreen?interval=3", (1920, 1080))
        assert "2026-09-30" in page.inner_text(".bs-asof")
        page.evaluate("window.__sameDocument = true")            # gone if the page reloads
        os.replace(newer, live)                                  # publish a new version under the running server
        t0 = time.monotonic()
        page.wait_for_function("() => document.querySelector('.bs-asof').textContent.includes('2026-10-15')",
                               timeout=20_000, polling=200)
        assert time.monotonic() - t0 < 60
        assert page.evaluate("window.__sameDocument === true")
        # the file disappears: the last frame stays with a badge, no error, then it recovers
        moved = tmp_path / "away.duckdb"
        os.replace(live, moved)
        page.wait_for_selector(".bs-stale", timeout=20_000)
        assert "数据更新中,请稍候" in page.inner_text(".bs-stale")
        assert page.locator(".bs-kpi").count() == 7 and app_exceptions(page) == []
        os.replace(moved, live)
        page.wait_for_selector(".bs-stale", state="detached", timeout=20_000)
        assert page.evaluate("window.__sameDocument === true") and app_exceptions(page) == []
    finally:
        server.stop()


# ------------------------------------------------------------------ legible from 5 m (issue 13)
# Every text of the screen, measured where it is drawn: HTML text nodes (computed font size, and the box that
# holds them is not clipped) and every text ECharts draws on its canvases (zrender's display list: the font
# of each text span, its box inside the chart), plus the map's park labels (no two visible ones overlap).
TEXT_JS = """
(floor) => {
  const main = document.querySelector('[data-testid="stMain"]');
  const small = [], clipped = [], seen = [];
  const isInline = (cs) => cs.display === 'inline' || cs.display === 'contents';
  const inTicker = (el) => !!el.closest('.bs-cases-win, .bs-warn-win');
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  let n;
  while ((n = walker.nextNode())) {
    const text = n.textContent.trim();
    const el = n.parentElement;
    if (!text || !el || ['STYLE', 'SCRIPT', 'NOSCRIPT'].includes(el.tagName)) continue;
    if (!el.getClientRects().length) continue;                       // not displayed (display: none)
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || el.closest('[hidden]')) continue;
    seen.push(text);
    const size = parseFloat(cs.fontSize);
    if (size < floor - 0.05) small.push([el.className, text.slice(0, 24), size]);
    let box = el;                                                     // the block that lays the text out
    while (box && isInline(getComputedStyle(box))) box = box.parentElement;
    if (box && box.scrollWidth > box.clientWidth + 1) clipped.push(['scroll', box.className, text.slice(0, 24),
                                                                    box.scrollWidth, box.clientWidth]);
    // the text's own rectangle lies inside every ancestor that clips (sideways always, up/down outside tickers)
    const range = document.createRange(); range.selectNodeContents(n);
    const r = range.getBoundingClientRect();
    for (let a = el; a && a !== main; a = a.parentElement) {
      const acs = getComputedStyle(a);
      if (acs.overflowX === 'visible' && acs.overflowY === 'visible') continue;
      const b = a.getBoundingClientRect();
      const outX = r.left < b.left - 1 || r.right > b.right + 1;
      // (a CJK font's content area is ~1.45 em tall, more than a tight line box: allow 0.3 em of it)
      const slack = 0.3 * parseFloat(cs.fontSize);
      const outY = !inTicker(el) && (r.top < b.top - slack || r.bottom > b.bottom + slack);
      if (outX || outY) { clipped.push(['rect', a.className.slice(0, 40), text.slice(0, 24),
                                         [r.left, r.top, r.right, r.bottom].map(Math.round),
                                         [b.left, b.top, b.right, b.bottom].map(Math.round)]); break; }
    }
  }
  const charts = {};
  for (const [name, chart] of Object.entries(window.__bsCharts || {})) {
    if (chart.isDisposed()) continue;
    const W = chart.getWidth(), H = chart.getHeight(), texts = [];
    for (const el of chart.getZr().storage.getDisplayList(true)) {
      const t = el.style && el.style.text;
      if (el.type !== 'tspan' || t == null || !String(t).trim() || el.invisible) continue;
      const m = /([0-9.]+)px/.exec(el.style.font || '');
      const size = m ? parseFloat(m[1]) : NaN;
      const b = el.getBoundingRect().clone();
      b.applyTransform(el.getComputedTransform());
      texts.push(String(t));
      if (!(size >= floor - 0.05)) small.push(['chart:' + name, String(t).slice(0, 24), size]);
      if (b.x < -1 || b.y < -1 || b.x + b.width > W + 1 || b.y + b.height > H + 1)
        clipped.push(['chart:' + name, String(t).slice(0, 24), [b.x, b.y, b.width, b.height], [W, H]]);
    }
    charts[name] = texts;
  }
  // the map's park labels as drawn (those hideOverlap hid are not drawn): pairwise apart
  const overlaps = [], labels = [];
  const map = (window.__bsCharts || {}).map;
  if (map) {
    const data = map.getModel().getSeriesByIndex(0).getData();
    for (let i = 0; i < data.count(); i++) {
      const g = data.getItemGraphicEl(i);
      const lab = g && (g.getTextContent() || (g.childAt && g.childAt(0) && g.childAt(0).getTextContent()));
      if (!lab || lab.ignore || lab.invisible || lab.style.opacity === 0) continue;
      const b = lab.getBoundingRect().clone(); b.applyTransform(lab.getComputedTransform());
      labels.push([data.getName(i), b.x, b.y, b.x + b.width, b.y + b.height]);
    }
    for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) {
      const a = labels[i], c = labels[j];
      if (Math.min(a[3], c[3]) - Math.max(a[1], c[1]) > 0.5 && Math.min(a[4], c[4]) - Math.max(a[2], c[2]) > 0.5)
        overlaps.push([a[0], c[0]]);
    }
  }
  return {small, clipped, charts, overlaps, labels: labels.map(l => l[0]), seen};
}
"""


def _settled(page) -> None:
    """Fonts loaded, numbers counted up, every chart drawn and exposed, two frames with the same layout."""
    page.wait_for_function("() => document.fonts.status === 'loaded'", timeout=30_000)
    page.wait_for_selector(".bs-kpis[data-settled='1']", timeout=60_000)
    page.wait_for_function(ALL_DRAWN_JS, arg=N_CHARTS, timeout=60_000, polling=250)
    page.wait_for_function("(n) => Object.values(window.__bsCharts || {}).filter(c => !c.isDisposed()).length >= n",
                           arg=N_CHARTS, timeout=30_000)
    page.wait_for_function("""() => new Promise((ok) => {
        const sig = () => Array.from(document.querySelectorAll('.bs-scope-n, .bs-kpi-n, .echarts-container'))
            .map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height, getComputedStyle(e).fontSize]; })
            .join('|');
        const a = sig();
        setTimeout(() => requestAnimationFrame(() => ok(a === sig())), 600);
    })""", timeout=30_000)


def _legible(page, w: int, h: int) -> dict:
    floor = 18 * min(w / 1920, h / 1080)
    m = page.evaluate(TEXT_JS, floor)
    assert m["small"] == [], m["small"]                  # every text at least 18 px at 1080p, 36 px at 4K
    assert m["clipped"] == [], m["clipped"]              # no text cut off, in HTML or in a chart
    assert m["overlaps"] == [], m["overlaps"]            # no two park labels overlap on the map
    assert set(m["charts"]) == {"rank", "trend", "map", "gauge"} and all(m["charts"].values()), m["charts"]
    return m


def _longest(raw, table: str, key: str) -> tuple[str, str]:
    return raw.sql(f"SELECT {key}, name FROM {table} ORDER BY length(name) DESC, {key} LIMIT 1").fetchall()[0]


@pytest.mark.parametrize("size", [(1920, 1080), (3840, 2160)], ids=["1080p", "4k"])
def test_every_text_meets_the_floor_and_is_never_cut(page, streamlit_server, offsite_requests, raw, size):
    w, h = size
    name = "1080" if w == 1920 else "4k"
    # the district, then the chain and the park with the longest names (their own frames)
    _open(page, f"{streamlit_server}/bigscreen?interval=600", size)
    _settled(page)
    m = _legible(page, w, h)
    assert "实时" not in m["seen"] and "数据截至 2026-09-30 · 2026Q3" in page.inner_text(".bs-asof")
    assert m["labels"], "the map shows park labels"
    # the trend has its rates on a right axis of round percentages, the counts on the left
    assert {"40%", "60%", "80%", "100%"} <= set(m["charts"]["trend"]), m["charts"]["trend"]
    screenshot(page, f"bigscreen-legible-{name}")

    for table, key, rotate in (("chains", "chain_id", ""), ("parks", "park_id", "&rotate=park")):
        sid, sname = _longest(raw, table, key)
        page.goto(f"{streamlit_server}/bigscreen?interval=600{rotate}&start={sid}")
        page.wait_for_function("(n) => document.querySelector('.bs-scope-n')?.textContent === n", arg=sname,
                               timeout=60_000)
        _settled(page)
        m = _legible(page, w, h)
        assert page.inner_text(".bs-scope-n") == sname                        # the full name, fitted
        assert any(sname in t for t in m["charts"]["rank"]), m["charts"]["rank"]
        if table == "parks":
            assert sname in m["labels"]                                       # the current park is labelled
        screenshot(page, f"bigscreen-longest-{table[:-1]}-{name}")
    assert app_exceptions(page) == []


def test_a_phone_is_sent_to_the_phone_view_with_its_scope(context_as, streamlit_server, offsite_requests):
    ctx = context_as("leader")
    page = ctx.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{streamlit_server}/bigscreen?chain=C02&interval=600")
    page.wait_for_url(lambda u: "/bigscreen" not in u, timeout=30_000)
    from urllib.parse import parse_qs, urlsplit
    u = urlsplit(page.url)
    assert u.path == "/" and parse_qs(u.query) == {"chain": ["C02"]}, page.url
    wait_for_app(page)
    assert page.locator(".bs-kpi").count() == 0
    screenshot(page, "bigscreen-phone-redirect")


def test_a_kiosk_token_screen_is_never_redirected(context_as, streamlit_server, offsite_requests):
    from dashboard.auth import accounts
    token = accounts.create_token("测试大屏窄屏")
    try:
        page = context_as(None).new_page()
        page.set_viewport_size({"width": 700, "height": 394})          # a small wall screen: still the big screen
        page.goto(f"{streamlit_server}/bigscreen?token={token}&interval=600")
        page.locator(".bs-kpi").first.wait_for(timeout=60_000)
        wait_for_app(page)
        # (the kiosk's only page is its default page, so Streamlit shows it at "/"; a phone redirect would
        # have dropped the token and landed on the login form)
        page.wait_for_selector("html[data-bs-phone='stay']", state="attached", timeout=30_000)
        assert f"token={token}" in page.url and page.locator(".bs-kpi").count() == 7
        assert page.locator("[data-testid='stSidebar']:visible").count() == 0
    finally:
        accounts.revoke_token("测试大屏窄屏")
