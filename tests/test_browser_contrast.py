"""Both themes legible on every page: in a real Chromium, every visible text (HTML and Plotly SVG) has a contrast
ratio of at least 4.5:1 against what is behind it, 3:1 for large text (≥ 24 px, or ≥ 18.66 px bold) — WCAG 2.x.

The colour is getComputedStyle's (times the opacity of the element and its ancestors); the background is found
by walking up the ancestors and compositing their background colours (text inside a Plotly bar is on that
bar's fill). Text drawn on a canvas (data grids, ECharts) is not in the DOM and not checked here.
"""
from __future__ import annotations

import pytest

from browser_support import app_exceptions, screenshot, wait_for_app, wait_for_layout

CONTRAST_JS = r"""
() => {
  const parse = (s) => {
    const c = /color\(srgb ([^)]+)\)/.exec(s || '');       // color-mix() computes to color(srgb r g b / a), 0–1
    if (c) { const p = c[1].split(/[\s\/]+/).filter(Boolean).map(parseFloat);
             return {r: p[0] * 255, g: p[1] * 255, b: p[2] * 255, a: p.length > 3 ? p[3] : 1}; }
    const m = /rgba?\(([^)]+)\)/.exec(s || '');
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(parseFloat);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const over = (top, bottom) => {          // composite `top` over an opaque `bottom`
    const a = top.a;
    return {r: top.r * a + bottom.r * (1 - a), g: top.g * a + bottom.g * (1 - a), b: top.b * a + bottom.b * (1 - a), a: 1};
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const hex = (c) => '#' + [c.r, c.g, c.b].map(v => Math.round(v).toString(16).padStart(2, '0')).join('');
  const opacityOf = (el) => { let o = 1; for (let e = el; e && e.nodeType === 1; e = e.parentElement) o *= +getComputedStyle(e).opacity; return o; };
  // background layers from the element up to the first opaque one, composited bottom-up
  const backgroundOf = (el) => {
    const layers = [];
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.backgroundImage && cs.backgroundImage !== 'none' && !/url\(/.test(cs.backgroundImage)) return null;  // gradient: not judged
      const c = parse(cs.backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let bg = {r: 255, g: 255, b: 255, a: 1};      // the canvas default under everything
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  };
  const visible = (el) => {
    if (!el.getClientRects().length) return false;
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.visibility === 'hidden' || cs.display === 'none' || +cs.opacity === 0) return false;
    }
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && r.right > 0 && r.left < innerWidth;
  };
  const large = (cs) => { const px = parseFloat(cs.fontSize), w = parseInt(cs.fontWeight) || 400;
                          return px >= 24 || (px >= 18.66 && w >= 700); };
  const out = [];
  const seen = new Set();
  const judge = (el, text, fg, bg, cs) => {
    const need = large(cs) ? 3 : 4.5, got = ratio(fg, bg);
    const key = text + hex(fg) + hex(bg);
    if (got + 1e-6 < need && !seen.has(key)) {
      seen.add(key);
      out.push({text: text.slice(0, 40), fg: hex(fg), bg: hex(bg), ratio: Math.round(got * 100) / 100, need,
                size: cs.fontSize, where: (el.closest('[data-testid]') || el).getAttribute('data-testid') || el.tagName});
    }
  };
  let checked = 0;
  // HTML text
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.nodeValue.trim();
    const el = n.parentElement;
    if (!text || !el || el.closest('svg, script, style, noscript, [aria-hidden="true"], [data-testid="stIconMaterial"], :disabled')) continue;
    if (!visible(el)) continue;
    const cs = getComputedStyle(el);
    if (/Material/.test(cs.fontFamily)) continue;                 // icon ligatures, not text
    const c = parse(cs.color), bg = backgroundOf(el);
    if (!c || !bg) continue;
    checked++;
    judge(el, text, over({...c, a: c.a * opacityOf(el)}, bg), bg, cs);
  }
  // Plotly SVG text: its fill on the bar it sits in (same point group, centre inside the bar) or on the page
  for (const t of document.querySelectorAll('.js-plotly-plot svg text')) {
    const text = (t.textContent || '').trim();
    if (!text || !visible(t)) continue;
    const cs = getComputedStyle(t);
    const c = parse(cs.fill);
    if (!c) continue;
    let bg = backgroundOf(t.closest('.js-plotly-plot'));
    if (!bg) continue;
    const r = t.getBoundingClientRect(), cx = (r.left + r.right) / 2, cy = (r.top + r.bottom) / 2;
    const point = t.closest('.point');
    const shape = point && point.querySelector('path, rect');
    if (shape) {
      const s = shape.getBoundingClientRect(), sc = getComputedStyle(shape), f = parse(sc.fill);
      if (f && cx >= s.left && cx <= s.right && cy >= s.top && cy <= s.bottom)
        bg = over({...f, a: f.a * (+sc.fillOpacity) * opacityOf(shape)}, bg);
    }
    checked++;
    judge(t, text, over({...c, a: c.a * (+cs.fillOpacity) * opacityOf(t)}, bg), bg, cs);
  }
  return {checked, failures: out};
}
"""


def _leader_pages() -> list[tuple[str, str]]:
    from dashboard import nav
    # 大屏 is always dark and has its own size and fit test (tests/test_browser_bigscreen.py)
    from dashboard.auth import roles
    start = roles.DEFAULT_PAGE.get("leader", "overview")     # the start page answers at "/"
    return [("" if p[4] == start else p[4], p[2]) for p in nav.for_role("leader") if p[4] != "bigscreen"]


PAGES = _leader_pages()
WAIT_MS = 180_000       # per page, on a busy machine (a condition is awaited, never a fixed time)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_is_legible(page, streamlit_server, offsite_requests, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(streamlit_server + "/")
    wait_for_app(page, timeout=WAIT_MS)
    problems = {}
    checked = {}
    for url_path, title in PAGES:
        page.goto(f"{streamlit_server}/{url_path}?quarter=2026Q3")
        page.get_by_role("heading", name=title).first.wait_for(timeout=WAIT_MS)
        wait_for_layout(page, timeout=WAIT_MS)
        assert not app_exceptions(page), url_path
        res = page.evaluate(CONTRAST_JS)
        checked[url_path] = res["checked"]
        if res["failures"]:
            problems[url_path] = res["failures"]
            screenshot(page, f"contrast-{scheme}-{url_path or 'overview'}", full_height=True)
    assert all(n > 20 for n in checked.values()), checked        # the check really saw the page's text
    assert not problems, "\n".join(f"{p} [{scheme}]: {f}" for p, fs in problems.items() for f in fs)
