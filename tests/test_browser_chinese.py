"""Chinese only, in a real Chromium: every page a leader and a data administrator can open shows no English
UI word and no raw column name; `/overview` opens 总览; the uploader speaks Chinese with the real limit;
there is no English ⋮ menu.

What is looked at is what a reader sees: visible text nodes (HTML and the SVG text of charts), input
placeholders and text drawn by CSS (::before/::after). Material icon ligatures (their text is an icon's
name, drawn as a glyph) are not text. Proper nouns are allowed (file formats, units of file size).
"""
import re

import pytest

from browser_support import app_exceptions, screenshot, wait_for_app

# Proper nouns a Chinese UI keeps: file formats and their programs, size units, the 1+N+X formula's letters.
ALLOWED = {"Excel", "CSV", "PDF", "PPTX", "XLSX", "XLSM", "XLS", "ET", "TXT", "PowerPoint", "WPS", "KB", "MB", "GB"}
ENGLISH = re.compile(r"[A-Za-z][A-Za-z_]+")
# a raw column name: snake_case with a known suffix/prefix of the warehouse's naming rules
RAW_COLUMN = re.compile(r"\b(?:n_[a-z_]+|[a-z]+_(?:on|id|rate|10k|mu|ytd|cum|label|name|names|type|mode|at)|is_[a-z_]+|has_[a-z_]+)\b")

VISIBLE_TEXT_JS = """
() => {
  const out = [];
  const shown = el => el.checkVisibility({opacityProperty: true, visibilityProperty: true})
                      && el.getBoundingClientRect().width > 1 && el.getBoundingClientRect().height > 1
                      && parseFloat(getComputedStyle(el).fontSize) >= 1;
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (w.nextNode()) {
    const n = w.currentNode, t = n.nodeValue.trim(), el = n.parentElement;
    if (!t || !el || el.closest('[data-testid="stIconMaterial"], script, style, noscript, title')) continue;
    if (/Material Symbols|Material Icons/.test(getComputedStyle(el).fontFamily)) continue;   // an icon's ligature
    if (shown(el)) out.push(t);
  }
  for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder]'))
    if (shown(el) && el.placeholder) out.push(el.placeholder);
  for (const el of document.querySelectorAll('[data-testid="stFileUploader"] *, [data-testid="stHeader"] *'))
    for (const pseudo of ['::before', '::after']) {
      const st = getComputedStyle(el, pseudo), c = st.content;
      if (c && c !== 'none' && c !== 'normal' && parseFloat(st.fontSize) >= 1
          && el.checkVisibility({visibilityProperty: true})) out.push(c.replace(/^"|"$/g, ''));
    }
  return out;
}
"""


def english_words(texts: list[str], allowed: set[str] = frozenset()) -> set[str]:
    """The English words and raw column names in `texts` (minus the proper nouns allowed)."""
    bad = set()
    for t in texts:
        bad.update(w for w in ENGLISH.findall(t) if w not in ALLOWED and w not in allowed)
        bad.update(RAW_COLUMN.findall(t))
    return bad


def test_the_word_check_catches_what_it_must():
    """The check itself (no browser): English words and column names are found, Chinese and formats pass."""
    assert english_words(["Drag and drop files here"]) == {"Drag", "and", "drop", "files", "here"}
    assert english_words(["收到日期(received_on)"]) == {"received_on"}
    assert english_words(["下载 Excel", "下载 CSV", "1+N+X", "C01 新一代信息技术", "单个文件不超过 50 MB"]) == set()
    assert "n_participants" in english_words(["参与 n_participants 人次"])


def _pages_for(role: str) -> list[tuple[str, str]]:
    from dashboard import nav
    from dashboard.auth import roles
    return [(p[4], p[2]) for p in nav.existing() if roles.may_open(role, p[4]) and p[4] != "bigscreen"]


def _user_words(role: str) -> set[str]:
    """The signed-in account's own name (test accounts have Latin names): data, not UI."""
    import conftest
    name = conftest.ROLE_USER[role]
    return set(ENGLISH.findall(name)) | set(ENGLISH.findall(name[2:]))


@pytest.mark.browser
@pytest.mark.parametrize("role", ["leader", "data_admin"])
def test_no_english_and_no_column_names_on_any_page(context_as, streamlit_server, role):
    page = context_as(role).new_page()
    found: dict[str, set[str]] = {}
    for url_path, title in _pages_for(role):
        page.goto(f"{streamlit_server}/{url_path}?quarter=2026Q3")
        wait_for_app(page, timeout=180_000)          # a busy machine: the first page of a session is the slowest
        page.get_by_role("heading", name=title).first.wait_for(timeout=120_000)
        texts = page.evaluate(VISIBLE_TEXT_JS)
        bad = english_words(texts, _user_words(role))
        if bad:
            found[url_path] = bad
        assert not app_exceptions(page), url_path
    assert not found, found


@pytest.mark.browser
def test_overview_path_opens_the_overview(page, streamlit_server, offsite_requests):
    page.goto(streamlit_server + "/overview?quarter=2025Q4")
    wait_for_app(page, timeout=180_000)
    page.get_by_role("heading", name="总览").first.wait_for(timeout=60_000)
    assert "Page not found" not in page.evaluate("document.body.innerText")
    assert page.url.endswith("/overview?quarter=2025Q4")
    # the root goes to the same page, with the filters of the link kept
    page.goto(streamlit_server + "/?quarter=2025Q4&chain=C08")
    wait_for_app(page)
    page.get_by_role("heading", name="总览").first.wait_for(timeout=60_000)
    page.wait_for_url("**/overview?*", timeout=30_000)
    assert "quarter=2025Q4" in page.url and "chain=C08" in page.url
    assert not app_exceptions(page)


@pytest.mark.browser
def test_uploader_and_menu_in_chinese(context_as, streamlit_server, tmp_path):
    from dashboard.dataio.limits import max_upload_mb
    page = context_as("data_admin").new_page()
    page.goto(streamlit_server + "/data")
    wait_for_app(page, timeout=180_000)
    zone = page.locator('[data-testid="stFileUploaderDropzone"]')
    zone.wait_for(timeout=60_000)
    texts = page.evaluate(VISIBLE_TEXT_JS)
    joined = " ".join(texts)
    assert f"单个文件不超过 {max_upload_mb()} MB" in joined and "选择文件" in joined, texts
    assert "Drag and drop" not in joined and "per file" not in joined and "Upload" not in joined
    # a chosen file is listed without English either
    f = tmp_path / "企业党建.csv"
    f.write_text("enterprise_id,quarter_end\n", encoding="utf-8")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(f))
    page.get_by_text("企业党建.csv").first.wait_for(timeout=30_000)
    wait_for_app(page)
    assert not english_words(page.evaluate(VISIBLE_TEXT_JS), _user_words("data_admin") | {"csv"})  # the file's name
    # no ⋮ main menu (Streamlit's is English only)
    assert page.locator('[data-testid="stMainMenu"]').count() == 0
    screenshot(page, "data-admin-uploader")


# ------------------------------------------------------------------ tables fit 1920 px
TABLE_WIDTHS_JS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')].map(d => {
  const s = d.querySelector('.dvn-scroller');
  const key = (d.closest('[class*="st-key-"]')?.className.match(/st-key-[^ ]+/) || [''])[0];
  return s && s.clientWidth > 0 ? [key, s.scrollWidth, s.clientWidth] : null;
}).filter(Boolean)"""


@pytest.mark.browser
def test_tables_fit_1920_without_horizontal_scrolling(page, streamlit_server, offsite_requests):
    """Every table drawn on the analysis pages at 1920×1080 (the sidebar open) shows all its columns without
    a horizontal scroll bar (各链对比 with its 14 columns included)."""
    too_wide = {}
    for url_path in ("chain", "park", "chain-master", "appeals", "cultivation", "coverage", "secretary", "pairing"):
        page.set_viewport_size({"width": 1920, "height": 1080})
        page.goto(f"{streamlit_server}/{url_path}?quarter=2026Q3")
        wait_for_app(page, timeout=180_000)
        page.set_viewport_size({"width": 1920, "height": 4000})     # every table on screen (lazily drawn ones too)
        wait_for_app(page, timeout=120_000)
        page.wait_for_function("(" + TABLE_WIDTHS_JS + ")().length > 0", timeout=120_000)
        for key, scroll_w, client_w in page.evaluate(TABLE_WIDTHS_JS):
            if scroll_w > client_w + 1:
                too_wide.setdefault(url_path, []).append((key, scroll_w, client_w))
    page.set_viewport_size({"width": 1920, "height": 1080})
    assert not too_wide, too_wide
