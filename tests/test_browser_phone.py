"""总览 on a phone (390×844, touch, signed in as leader) in a real Chromium: the same pages made responsive.

Within the first two screens (2 × 844 px) the leader sees the scope, the 需关注事项, the headline KPI cards and
the overdue appeals; nothing scrolls sideways; every tap target is at least 44 × 44 px; the sidebar is
collapsed and covers nothing; tapping a chain in 需关注事项 opens that chain's page; the 园区对比 labels do not
overlap and the overdue boxes are not cut. Both themes, with screenshots.
"""
from __future__ import annotations

import math
import re

import pytest

import browser_support
from browser_support import app_exceptions, screenshot, wait_for_layout

PHONE = {"width": 390, "height": 844}
TWO_SCREENS = 2 * PHONE["height"]
# The headline cards a leader must see without scrolling far: the district's enterprises, the honours ladder
# and the two coverage rates (the KPIs the annual targets are set on), i.e. 总览's first two card groups
# and 党建覆盖.
HEADLINE_GROUPS = ("企业", "培育", "党建")


@pytest.fixture
def phone(browser, browser_context_args):
    """A page in a phone-sized touch context signed in as leader; fails on any request off this machine."""
    args = {k: v for k, v in browser_context_args.items() if k != "viewport"}
    ctx = browser.new_context(**args, viewport=dict(PHONE), is_mobile=True, has_touch=True, device_scale_factor=2)
    seen: list[str] = []
    ctx.on("request", lambda r: seen.append(r.url) if browser_support.is_offsite_url(r.url) else None)
    page = ctx.new_page()
    yield page
    ctx.close()
    assert not seen, f"request(s) left the machine: {sorted(set(seen))}"


def _open_overview(page, base: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(base + "/?quarter=2026Q3")
    page.locator("#attention").wait_for(timeout=60_000)
    page.locator('[data-testid="stMetric"]').first.wait_for(timeout=60_000)
    page.locator(".st-key-ov_park_cmp .xtick text").first.wait_for(timeout=60_000)
    wait_for_layout(page)


# Interactive elements that a finger can hit, with their boxes (visible ones only, on screen horizontally).
TAP_TARGETS_JS = """
() => {
  const sel = 'a[href], button, [role="button"], [role="tab"], [role="radio"], [role="checkbox"], [role="switch"],'
            + ' [role="link"], input, select, textarea, summary';
  const out = [];
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
    if (r.width <= 1 || r.height <= 1) continue;                      // visually hidden (skip link)
    if (cs.visibility === 'hidden' || cs.display === 'none' || +cs.opacity === 0) continue;
    if (r.right <= 0 || r.left >= innerWidth) continue;               // off screen (collapsed sidebar)
    if (el.closest('[data-testid="stSidebar"][aria-expanded="false"]')) continue;
    out.push({what: (el.getAttribute('aria-label') || el.innerText || el.tagName).trim().slice(0, 30),
              testid: el.getAttribute('data-testid') || '', w: r.width, h: r.height});
  }
  return out;
}
"""

LAYOUT_JS = """
() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
  const main = document.querySelector('[data-testid="stMain"]');
  const side = document.querySelector('[data-testid="stSidebar"]');
  const stamp = Array.from(document.querySelectorAll('div.stamp')).find(e => e.getClientRects().length);
  const cards = Array.from(document.querySelectorAll('.st-key-ov_kpis [data-testid="stMetric"]')).map(m => ({
      label: m.querySelector('[data-testid="stMetricLabel"]').innerText.trim(), ...box(m.closest('[data-testid="stColumn"]'))}));
  // the content column's centre: what a finger touches there must be page content, not the sidebar
  const hit = document.elementFromPoint(innerWidth / 2, innerHeight / 2);
  return {
    doc_sw: document.documentElement.scrollWidth, body_sw: document.body.scrollWidth,
    main_sw: main.scrollWidth, main_cw: main.clientWidth,
    scrolled: [document.scrollingElement.scrollTop, main.scrollTop],
    sidebar: side ? {expanded: side.getAttribute('aria-expanded'), ...box(side)} : null,
    centre_in_sidebar: !!(hit && hit.closest('[data-testid="stSidebar"]')),
    centre_in_main: !!(hit && hit.closest('[data-testid="stMain"]')),
    stamp: stamp ? {text: stamp.innerText, ...box(stamp)} : null,
    attention: box(document.querySelector('#attention')),
    first_red: box(document.querySelector('.al-badge.s-红')),
    ages: box(document.querySelector('.al-ages')),
    oldest: box(document.querySelector('.al-oldest')),
    cards,
    cut: Array.from(document.querySelectorAll('.al-age, .al-age b, .al-age span, .al-oldest, .al-row, .al-head'))
      .filter(e => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > innerWidth + 0.5)
      .map(e => e.className + ':' + e.innerText.slice(0, 20)),
    wide: Array.from(document.querySelectorAll('[data-testid="stMain"] *'))
      .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > innerWidth + 0.5
                   && !e.closest('[data-testid="stDataFrame"], .js-plotly-plot svg, [data-testid="stSidebar"]'))
      .map(e => (e.getAttribute('data-testid') || e.tagName) + ':' + Math.round(e.getBoundingClientRect().right)).slice(0, 10),
  };
}
"""

# 园区对比's x tick labels: position along the axis, rotation, font size and box.
PARK_TICKS_JS = """
() => Array.from(document.querySelectorAll('.st-key-ov_park_cmp .xtick text')).map(t => {
  const m = /rotate\\(([-\\d.e]+)/.exec(t.getAttribute('transform') || '');
  const tr = /translate\\(([-\\d.e]+)/.exec(t.getAttribute('transform') || '');
  const r = t.getBoundingClientRect();
  return {text: t.textContent, angle: m ? +m[1] : 0, x: tr ? +tr[1] : r.left, size: parseFloat(getComputedStyle(t).fontSize),
          left: r.left, right: r.right, top: r.top, bottom: r.bottom};
})
"""


def _labels_overlap(ticks: list[dict]) -> list[tuple[str, str]]:
    """Pairs of neighbouring labels that overlap. Labels turned by θ are parallel strips one font size thick
    whose anchors are d apart along the axis: they are clear of each other when d·|sin θ| ≥ the font size."""
    bad = []
    ticks = sorted(ticks, key=lambda t: t["x"])
    for a, b in zip(ticks, ticks[1:]):
        theta = math.radians(abs(a["angle"]) % 180)
        if theta < 1e-6:
            if a["right"] > b["left"] + 0.5:
                bad.append((a["text"], b["text"]))
        elif (b["x"] - a["x"]) * abs(math.sin(theta)) < a["size"] - 0.01:
            bad.append((a["text"], b["text"]))
    return bad


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_overview_on_a_phone(phone, streamlit_server, scheme):
    from dashboard import kpis
    _open_overview(phone, streamlit_server, scheme)
    assert not app_exceptions(phone)
    m = phone.evaluate(LAYOUT_JS)
    # no horizontal scrolling, nothing sticking out to the right
    assert m["doc_sw"] <= PHONE["width"] and m["body_sw"] <= PHONE["width"], m
    assert m["main_sw"] <= m["main_cw"] <= PHONE["width"], m
    assert m["wide"] == [], m["wide"]
    # the sidebar is collapsed and a touch in the middle of the screen lands on the page
    assert m["sidebar"] is None or m["sidebar"]["expanded"] == "false" or m["sidebar"]["right"] <= 0, m["sidebar"]
    assert m["centre_in_main"] and not m["centre_in_sidebar"]
    # the first two screens hold the scope, 需关注事项 (with its first 滞后 item), the overdue appeals and the
    # headline cards
    assert m["scrolled"] == [0, 0]
    assert m["stamp"] and "2026Q3 · 全区" in m["stamp"]["text"], m["stamp"]
    for part in ("stamp", "attention", "first_red", "ages", "oldest"):
        assert 0 <= m[part]["top"] and m[part]["bottom"] <= TWO_SCREENS, (part, m[part])
    headline = [k.label for k in kpis.OVERVIEW_KPIS if k.group in HEADLINE_GROUPS]
    cards = {c["label"]: c for c in m["cards"]}
    assert set(headline) <= set(cards), (headline, list(cards))
    late = {lab: round(cards[lab]["bottom"]) for lab in headline if cards[lab]["bottom"] > TWO_SCREENS}
    assert not late, f"headline cards below the second screen: {late}"
    # the overdue boxes and lines are whole (not cut at the right edge or inside their box)
    assert m["cut"] == [], m["cut"]
    # 园区对比: 13 park names, none over another
    ticks = phone.evaluate(PARK_TICKS_JS)
    assert len(ticks) == 13
    assert _labels_overlap(ticks) == [], ticks
    # every tap target is at least 44 × 44 px
    small = [t for t in phone.evaluate(TAP_TARGETS_JS) if t["w"] < 44 - 0.5 or t["h"] < 44 - 0.5]
    assert small == [], small
    screenshot(phone, f"phone-overview-{scheme}")
    screenshot(phone, f"phone-overview-{scheme}-full", full_height=True)


@pytest.mark.browser
def test_tap_a_chain_in_attention_opens_the_chain_page(phone, streamlit_server, raw):
    chains = dict(raw.sql("SELECT name, chain_id FROM chains").fetchall())
    _open_overview(phone, streamlit_server, "dark")
    links = phone.locator("[class*='st-key-alrow_ov_al_'] [data-testid='stBaseButton-tertiary']:visible")
    names = [t.strip() for t in links.all_inner_texts()]
    i, name = next((i, n) for i, n in enumerate(names) if n in chains)   # the first chain in the list
    links.nth(i).scroll_into_view_if_needed()
    links.nth(i).tap()
    chain_id = chains[name]
    phone.wait_for_url(re.compile(rf"/chain\?.*chain={chain_id}"), timeout=30_000)
    phone.get_by_role("heading", name=f"{chain_id} {name}").wait_for(timeout=30_000)
    assert "quarter=2026Q3" in phone.url
    wait_for_layout(phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not app_exceptions(phone)
    screenshot(phone, "phone-chain")
