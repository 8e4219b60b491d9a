"""Geometry and the positioned primitives of a deck slide, shared by the PPTX and PDF renderers.

A slide is a 13.333 × 7.5 in canvas (16:9). Every block has a box (x, y, w, h) in inches and fixed
font sizes in points. Whether a text fits its box is decided by a deliberately conservative estimate
(`text_height`): CJK glyphs 1 em wide, Latin glyphs by class, ×1.1 safety, lines 1.5 em high (Noto
Sans CJK's ascent + descent is 1.45 em). Builders truncate or split what would not fit, and the
checker (`check.py`) applies the same estimate to the finished PPTX.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from .. import theme

SLIDE_W = 13.333
SLIDE_H = 7.5
# The deck names 微软雅黑 (Microsoft YaHei) for Latin and East Asian text: government Windows/WPS machines
# have it, so the deck keeps its layout there. Here fonts/fonts.conf resolves the name to an installed
# CJK sans (WenQuanYi Micro Hei, else Noto Sans CJK SC) for the PDF.
FONT = "微软雅黑"
FONT_PANOSE = "020B0503020204020204"      # Microsoft YaHei's PANOSE, as PowerPoint writes it
# the print page's font stack: a TrueType CJK font first (embedded as CID TrueType, never Type 3)
PRINT_FONTS = ["WenQuanYi Micro Hei", FONT, "Microsoft YaHei", "Noto Sans CJK SC", "sans-serif"]
LINE = 1.5                    # line height in em
SAFETY = 1.10                 # width safety factor
BOLD = 1.05                   # bold glyphs are a little wider

# content area under the header band and above the footer
MARGIN_X = 0.5
TOP = 1.12
BOTTOM = 6.95
CONTENT_W = SLIDE_W - 2 * MARGIN_X

# palette: theme colours plus the deck's deep navy
NAVY = "#0f2d5c"
NAVY_DARK = "#0a1f40"
RED = theme.RED
GOLD = theme.GOLD
TEXT = "#1b2a41"
MUTED = "#5b6b82"
LIGHT = "#f2f5fa"
RULE = "#d5deea"
WHITE = "#ffffff"
STATUS_COLOR = {k: theme.STATUS_COLOR[k] for k in ("绿", "黄", "红")}    # the product's 正常/关注/滞后
SERIES = [theme.SCREEN_BORDER, theme.RED, theme.GOLD, theme.TEAL, theme.PURPLE, theme.ORANGE]

# text insets (inches) used by both renderers
TEXT_INSET_X = 0.08
TEXT_INSET_Y = 0.04
CELL_INSET_X = 0.05
CELL_INSET_Y = 0.03

_NARROW = set("ijlI.,:;'|!()[]{} `")
_WIDE = set("mwMW%@")


_FULLWIDTH = {",": "\uff0c", ";": "\uff1b", ":": "\uff1a", "?": "\uff1f", "!": "\uff01",
              "(": "\uff08", ")": "\uff09"}


def _is_cjk(c: str) -> bool:
    if not c:
        return False
    o = ord(c)
    return 0x3400 <= o <= 0x9FFF or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or c in "\u201c\u201d"


def zh(text: str) -> str:
    """Chinese typesetting: ASCII , ; : ? ! ( ) next to Chinese text become full-width (parentheses
    in pairs); numbers such as '44,029' and '58.2%' are left alone."""
    if not text:
        return text
    out = list(text)
    stack: list[bool] = []
    for i, c in enumerate(text):
        if c not in _FULLWIDTH:
            continue
        prev = out[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if c == "(":
            conv = _is_cjk(prev) or _is_cjk(nxt)
            stack.append(conv)
        elif c == ")":
            conv = stack.pop() if stack else (_is_cjk(prev) or _is_cjk(nxt))
        else:
            conv = _is_cjk(prev) or _is_cjk(nxt)
        if conv:
            out[i] = _FULLWIDTH[c]
    return "".join(out)


def char_em(c: str) -> float:
    """Conservative advance width of one character, in em."""
    o = ord(c)
    if o >= 0x2E80 or 0xFF00 <= o <= 0xFFEF or c in "“”‘’—…·●":
        return 1.0
    if c in _NARROW:
        return 0.36
    if c in _WIDE:
        return 0.95
    if c.isupper():
        return 0.75
    return 0.62


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in inches of one line of `text` at `size` pt."""
    em = sum(char_em(c) for c in text) * SAFETY * (BOLD if bold else 1.0)
    return em * size / 72.0


def _tokens(text: str) -> list[str]:
    """Break opportunities: each CJK character alone, runs of Latin letters/digits together."""
    out, buf = [], ""
    for c in text:
        if ord(c) >= 0x2E80 or c == " ":
            if buf:
                out.append(buf)
                buf = ""
            out.append(c)
        else:
            buf += c
    if buf:
        out.append(buf)
    return out


def n_lines(text: str, size: float, width: float, bold: bool = False) -> int:
    """Lines `text` needs in a column `width` inches wide (greedy wrapping, words kept whole)."""
    if width <= 0:
        return 10 ** 6
    total = 0
    for para in (text.split("\n") if text else [""]):
        lines, cur = 1, 0.0
        for tok in _tokens(para):
            w = text_width(tok, size, bold)
            if cur + w <= width:
                cur += w
                continue
            if w <= width:           # the token moves to a new line
                lines += 1
                cur = 0.0 if tok == " " else w
                continue
            for c in tok:            # a token longer than the line breaks anywhere
                cw = text_width(c, size, bold)
                if cur + cw > width:
                    lines += 1
                    cur = 0.0
                cur += cw
        total += lines
    return total


def line_height(size: float) -> float:
    return size * LINE / 72.0


def truncate(text: str, size: float, width: float, bold: bool = False) -> str:
    """`text` (typeset by `zh`) cut with '…' so that it takes one line of `width` inches."""
    text = zh(text)
    if n_lines(text, size, width, bold) <= 1:
        return text
    lo, hi = 0, len(text)          # longest prefix that fits with the ellipsis
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if n_lines(text[:mid] + "…", size, width, bold) <= 1:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…"


# ----------------------------------------------------------------------------- primitives
@dataclass
class Run:
    text: str
    size: float = 12
    bold: bool = False
    color: str = TEXT

    def __post_init__(self):
        self.text = zh(self.text)


@dataclass
class Para:
    runs: list[Run]
    align: str = "l"          # l / c / r

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    @property
    def size(self) -> float:
        return max((r.size for r in self.runs), default=12)

    @property
    def bold(self) -> bool:
        return any(r.bold for r in self.runs)


def P(text: str, size: float = 12, bold: bool = False, color: str = TEXT, align: str = "l") -> Para:
    return Para([Run(text, size, bold, color)], align)


@dataclass
class Text:
    name: str
    box: tuple[float, float, float, float]
    paras: list[Para]
    fill: str | None = None
    line: str | None = None
    valign: str = "t"         # t / m / b
    rounded: bool = False

    def inner_width(self) -> float:
        return self.box[2] - 2 * TEXT_INSET_X

    def needed_height(self) -> float:
        return para_height(self.paras, self.inner_width()) + 2 * TEXT_INSET_Y

    def fits(self) -> bool:
        return self.needed_height() <= self.box[3] + 1e-6


def para_height(paras: list[Para], width: float) -> float:
    return sum(n_lines(p.text, p.size, width, p.bold) * line_height(p.size) for p in paras)


@dataclass
class Cell:
    text: str
    color: str = TEXT
    bold: bool = False
    fill: str | None = None

    def __post_init__(self):
        self.text = zh(self.text)


@dataclass
class Table:
    name: str
    box: tuple[float, float, float, float]     # h = sum of row heights
    header: list[str]
    rows: list[list[Cell]]
    widths: list[float]
    size: float = 10.5
    row_h: list[float] = field(default_factory=list)
    align: list[str] = field(default_factory=list)   # per column: l / c / r
    header_fill: str = NAVY
    wrap: bool = False                                # True: cells may wrap (row heights computed)


def cell_lines(text: str, size: float, width: float, bold: bool = False) -> int:
    return n_lines(text, size, width - 2 * CELL_INSET_X, bold)


def min_row_height(size: float, lines: int = 1) -> float:
    return lines * line_height(size) + 2 * CELL_INSET_Y


@dataclass
class Series:
    name: str
    values: list
    color: str | None = None


@dataclass
class Chart:
    name: str
    box: tuple[float, float, float, float]
    kind: str                       # column / bar / line
    categories: list[str]
    series: list[Series]
    unit: str = "count"             # count / rate / days
    legend: bool = True
    labels: bool = True
    font_size: float = 9

    def __post_init__(self):
        self.categories = [zh(str(c)) for c in self.categories]

    @property
    def number_format(self) -> str:
        return {"rate": "0.0%", "days": "0.0"}.get(self.unit, "#,##0")


def _step(raw: float, mantissas=(1, 2, 5)) -> float:
    """The smallest m × 10^k (m in `mantissas`) at least `raw`."""
    mag = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for k in (mag, mag * 10):
        for m in mantissas:
            if m * k >= raw - 1e-12:
                return m * k
    return mag * 10


def axis_ticks(ch: "Chart") -> list[float]:
    """The value axis of a chart, the same for the PPTX and the PDF: round steps only.

    Rates: bars and columns on a fixed 0–100 % axis (0/20/40/60/80/100 %); lines on whole-percent steps
    of 1/2/5/10/20 points around the data. Counts: 0 to above the largest value (room for the labels)
    in steps of 1/2/5 × 10^k, never below 1 (no 0.5 enterprise). Days: steps of 1/2/5 × 10^k."""
    vals = [v for s in ch.series for v in s.values if v is not None]
    if ch.unit == "rate" and (not vals or (min(vals) >= 0 and max(vals) <= 1)):
        if ch.kind != "line" or not vals:
            return [i / 5 for i in range(6)]
        lo, hi = min(vals), max(vals)
        pad = max((hi - lo) * 0.15, 0.01)
        step = _step(((hi + pad) - (lo - pad)) / 5, (1, 2, 5))
        step = max(step, 0.01)
        a = max(0.0, math.floor((lo - pad) / step) * step)
        b = min(1.0, math.ceil((hi + pad) / step) * step)
        n = int(round((b - a) / step))
        return [round(a + i * step, 6) for i in range(n + 1)]
    top = max(vals) if vals else 1.0
    top = max(top * (1.12 if ch.labels else 1.04), 1e-9)
    lo = min(0.0, min(vals) if vals else 0.0)
    step = _step((top - lo) / 5)
    if ch.unit == "count":
        step = max(step, 1.0)
    a = math.floor(lo / step) * step
    n = max(1, math.ceil((top - a) / step - 1e-9))
    return [round(a + i * step, 6) for i in range(n + 1)]


def tick_label(v: float, unit: str) -> str:
    """An axis tick as the deck shows it: 40%, 2,000, 12.5."""
    if unit == "rate":
        return f"{v * 100:.0f}%"
    if unit == "days":
        return f"{v:g}"
    return f"{v:,.0f}"


@dataclass
class Rect:
    name: str
    box: tuple[float, float, float, float]
    fill: str


@dataclass
class Slide:
    kind: str
    title: str
    blocks: list = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    key_points: list[str] = field(default_factory=list)
    section: str = ""
    chrome: bool = True             # header band and footer
    page: int = 0


@dataclass
class Deck:
    title: str
    quarter: str
    quarter_end: object
    as_of: str
    source: str
    scope_label: str
    chain_id: str | None
    park_id: str | None
    slides: list[Slide] = field(default_factory=list)

    @property
    def file_stem(self) -> str:
        return f"季度汇报_{self.quarter}_{self.scope_label.replace(' × ', '_')}"


# ----------------------------------------------------------------------------- builders
def fit_paras(paras: list[Para], width: float, height: float) -> list[Para]:
    """The leading paragraphs that fit `height` (inches of text, insets excluded)."""
    out, used = [], 0.0
    for p in paras:
        h = n_lines(p.text, p.size, width, p.bold) * line_height(p.size)
        if used + h > height + 1e-6:
            break
        out.append(p)
        used += h
    return out


def text_block(name: str, box, paras: list[Para], **kw) -> Text:
    """A text box holding as many of `paras` as fit (the rest is dropped, never overflowing)."""
    t = Text(name, box, paras, **kw)
    t.paras = fit_paras(paras, t.inner_width(), box[3] - 2 * TEXT_INSET_Y)
    return t


def table_block(name: str, x: float, y: float, header: list[str], rows: list[list], widths: list[float],
                *, size: float = 10.5, row_h: float | None = None, align: list[str] | None = None,
                wrap: bool = False, header_fill: str = NAVY) -> Table:
    """A table whose cells fit: single-line cells are truncated to their column; with `wrap`,
    row heights grow to the estimated number of lines. Headers wrap, never truncated."""
    cells = [[c if isinstance(c, Cell) else Cell(str(c)) for c in r] for r in rows]
    base = max(row_h or 0.0, min_row_height(size))
    # headers are never cut (a unit such as “(天)” is part of the header): a narrow column wraps its header
    head = [zh(h) for h in header]
    head_lines = max((cell_lines(h, size, w, True) for h, w in zip(head, widths)), default=1)
    heights = [max(base, min_row_height(size, head_lines))]
    for r in cells:
        if wrap:
            lines = max(cell_lines(c.text, size, w, c.bold) for c, w in zip(r, widths))
            heights.append(max(base, min_row_height(size, lines)))
        else:
            for c, w in zip(r, widths):
                c.text = truncate(c.text, size, w - 2 * CELL_INSET_X, c.bold)
            heights.append(base)
    box = (x, y, sum(widths), sum(heights))
    return Table(name, box, head, cells, widths, size, heights, align or ["l"] * len(widths), header_fill, wrap)


def split_rows_by_height(rows: list[list], widths: list[float], size: float, height: float,
                         row_h: float | None = None) -> list[list[list]]:
    """Split wrapped table rows into pages so that header + rows fit `height` inches."""
    base = max(row_h or 0.0, min_row_height(size))
    pages, cur, used = [], [], base
    for r in rows:
        lines = max(cell_lines(str(c.text if isinstance(c, Cell) else c), size, w) for c, w in zip(r, widths))
        h = max(base, min_row_height(size, lines))
        if cur and used + h > height:
            pages.append(cur)
            cur, used = [], base
        cur.append(r)
        used += h
    if cur:
        pages.append(cur)
    return pages


def grid(x: float, y: float, w: float, h: float, n: int, cols: int, gap: float = 0.12,
         row_h: float | None = None) -> list[tuple[float, float, float, float]]:
    """Boxes of an n-cell grid with `cols` columns inside (x, y, w, ·)."""
    rows = math.ceil(n / cols)
    cw = (w - gap * (cols - 1)) / cols
    rh = row_h if row_h else (h - gap * (rows - 1)) / rows
    return [(x + (i % cols) * (cw + gap), y + (i // cols) * (rh + gap), cw, rh) for i in range(n)]
