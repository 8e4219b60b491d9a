"""Render a deck as a PDF: a self-contained print HTML (inline CSS, inline SVG charts, no URL of any
kind) printed by headless Chromium with networking disabled. A4 landscape, one page per slide.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from html import escape
from pathlib import Path

from . import layout as L
from .svg import svg_chart

from ..chromium import CHROMIUM_ARGS
from ..chromium import CHROMIUM_PATH as CHROMIUM

PAGE_W_MM, PAGE_H_MM = 297.0, 210.0
SCALE = 0.86                      # 13.333 in → 11.47 in wide on the 11.69 in page
_IN_MM = 25.4
CANVAS_LEFT_MM = (PAGE_W_MM - L.SLIDE_W * _IN_MM * SCALE) / 2
CANVAS_TOP_MM = (PAGE_H_MM - L.SLIDE_H * _IN_MM * SCALE) / 2

FONTS_CONF = Path(__file__).with_name("fonts") / "fonts.conf"
FONT_STACK = ", ".join(f'"{f}"' if f != "sans-serif" else f for f in L.PRINT_FONTS)

CSS = f"""
@page {{ size: A4 landscape; margin: 0; }}
* {{ box-sizing: border-box; font-synthesis: none; }}
/* WenQuanYi Micro Hei has no bold face and Chromium prints a synthesised bold as Type 3 glyphs. Bold is
   the regular glyph plus a copy a hairline to its right, both text in the embedded TrueType font: per
   character, so pdftotext drops the copy as a duplicate; left/top auto put the copy at the character's
   own place and baseline. */
.o::before {{ content: attr(data-c); position: absolute; margin-left: 0.045em; }}
html, body {{ margin: 0; padding: 0; background: #fff; }}
body {{ font-family: {FONT_STACK}; color: {L.TEXT};
        -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
section.page {{ position: relative; width: {PAGE_W_MM}mm; height: {PAGE_H_MM - 0.5}mm; overflow: hidden;
               break-after: page; page-break-after: always; }}
section.page:last-child {{ break-after: auto; page-break-after: auto; }}
/* zoom, not transform: a transformed canvas lets positioned overflow widen the printed document, which
   Chromium then shrinks to fit; zoom scales the canvas's own offsets too, hence the division */
.canvas {{ position: absolute; left: {CANVAS_LEFT_MM / SCALE:.2f}mm; top: {CANVAS_TOP_MM / SCALE:.2f}mm;
          width: {L.SLIDE_W}in; height: {L.SLIDE_H}in; zoom: {SCALE};
          outline: 0.6pt solid {L.RULE}; overflow: hidden; }}
.b {{ position: absolute; overflow: hidden; }}
.t {{ display: flex; flex-direction: column; padding: {L.TEXT_INSET_Y}in {L.TEXT_INSET_X}in; }}
.t p {{ margin: 0; line-height: 1.38; white-space: pre-wrap; overflow-wrap: anywhere; }}
table.tb {{ position: absolute; border-collapse: collapse; table-layout: fixed; }}
table.tb td, table.tb th {{ padding: {L.CELL_INSET_Y}in {L.CELL_INSET_X}in; line-height: 1.3; overflow: hidden;
                            border-bottom: 0.5pt solid {L.RULE}; }}
table.tb th {{ color: #fff; text-align: center; white-space: normal; overflow-wrap: anywhere; }}
table.nowrap td {{ white-space: nowrap; }}
table.wrap td {{ white-space: normal; overflow-wrap: anywhere; }}
svg text {{ font-family: {FONT_STACK}; }}
"""



def bold(text: str) -> str:
    """Escaped `text` drawn bold without a synthesised bold face (see CSS)."""
    return "".join(f'<span class="o" data-c="{escape(c, quote=True)}">{escape(c)}</span>' if not c.isspace()
                   else escape(c) for c in text)


def _t(text: str, is_bold: bool) -> str:
    return bold(text) if is_bold else escape(text)

_JUSTIFY = {"t": "flex-start", "m": "center", "b": "flex-end"}
_ALIGN = {"l": "left", "c": "center", "r": "right"}


def _pos(box) -> str:
    x, y, w, h = box
    return f"left:{x:.3f}in;top:{y:.3f}in;width:{w:.3f}in;height:{h:.3f}in"


def _rect(b: L.Rect) -> str:
    return f'<div class="b" style="{_pos(b.box)};background:{b.fill}"></div>'


def _text(b: L.Text) -> str:
    style = [_pos(b.box), f"justify-content:{_JUSTIFY[b.valign]}"]
    if b.fill:
        style.append(f"background:{b.fill}")
    if b.line:
        style.append(f"border:0.75pt solid {b.line}")
    paras = []
    for p in b.paras:
        runs = "".join(f'<span style="font-size:{r.size}pt;color:{r.color}">{_t(r.text, r.bold)}</span>'
                       for r in p.runs)
        paras.append(f'<p style="text-align:{_ALIGN[p.align]};font-size:{p.size}pt">{runs}</p>')
    return f'<div class="b t" data-name="{escape(b.name)}" style="{";".join(style)}">{"".join(paras)}</div>'


def _table(b: L.Table) -> str:
    x, y, w, h = b.box
    cols = "".join(f'<col style="width:{cw:.3f}in">' for cw in b.widths)
    head = "".join(f'<th style="background:{b.header_fill};font-size:{b.size}pt">{bold(t)}</th>' for t in b.header)
    rows = [f'<tr style="height:{b.row_h[0]:.3f}in">{head}</tr>']
    for i, r in enumerate(b.rows, start=1):
        bg_default = L.WHITE if i % 2 else L.LIGHT
        cells = "".join(
            f'<td style="text-align:{_ALIGN[b.align[j]]};font-size:{b.size}pt;color:{c.color};'
            f'background:{c.fill or bg_default}">{_t(c.text, c.bold)}</td>'
            for j, c in enumerate(r))
        rows.append(f'<tr style="height:{b.row_h[i]:.3f}in">{cells}</tr>')
    cls = "tb wrap" if b.wrap else "tb nowrap"
    return (f'<table class="{cls}" data-name="{escape(b.name)}" style="left:{x:.3f}in;top:{y:.3f}in;width:{w:.3f}in">'
            f"<colgroup>{cols}</colgroup>{''.join(rows)}</table>")


def _chart(b: L.Chart) -> str:
    return f'<div class="b" data-name="{escape(b.name)}" style="{_pos(b.box)}">{svg_chart(b)}</div>'


def watermark_layer(text: str) -> str:
    """The viewer's name and the date, faintly tiled over a whole page (text escaped; an inline SVG
    data URI, so nothing is fetched)."""
    from urllib.parse import quote
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="330" height="200">'
           f'<text x="20" y="140" transform="rotate(-22 165 100)" font-size="16" '
           f'font-family="{escape(FONT_STACK)}" fill="rgba(120,120,120,0.16)">'
           f"{escape(text)}</text></svg>")
    uri = "data:image/svg+xml;charset=utf-8," + quote(svg, safe="")
    return (f'<div class="wm" data-watermark="{escape(text)}" style="position:absolute;inset:0;z-index:50;'
            f'pointer-events:none;background-image:url(&quot;{uri}&quot;);background-repeat:repeat"></div>')


def html(deck: L.Deck, watermark: str | None = None, exporter: str | None = None) -> str:
    """The print page: one <section> per slide, nothing fetched from anywhere. `watermark`: text tiled
    over every page; `exporter`: "导出人 · 时间" in the page's bottom margin."""
    pages = []
    for sl in deck.slides:
        parts = []
        for b in sl.blocks:
            if isinstance(b, L.Rect):
                parts.append(_rect(b))
            elif isinstance(b, L.Text):
                parts.append(_text(b))
            elif isinstance(b, L.Table):
                parts.append(_table(b))
            elif isinstance(b, L.Chart):
                parts.append(_chart(b))
        extra = watermark_layer(watermark) if watermark else ""
        if exporter:
            extra += (f'<div class="exp" style="position:absolute;left:8mm;bottom:2mm;font-size:7pt;color:#999">'
                      f"导出人 · 时间:{escape(exporter)}</div>")
        pages.append(f'<section class="page" data-slide="{sl.page}"><div class="canvas">{"".join(parts)}</div>'
                     f"{extra}</section>")
    title = escape(f"{deck.title} · {deck.scope_label} · {deck.quarter}")
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{CSS}</style></head><body>{''.join(pages)}</body></html>")


def font_env(env: dict | None = None) -> dict:
    """The environment for whatever draws the deck here: fontconfig reads the repo's fonts.conf, so
    微软雅黑 / Microsoft YaHei resolve to an installed CJK font (the system configuration is included)."""
    out = dict(os.environ if env is None else env)
    out["FONTCONFIG_FILE"] = str(FONTS_CONF)
    return out


def print_pdf(html_path: Path, out_path: Path, timeout: float = 120.0) -> None:
    """Headless Chromium --print-to-pdf, networking off, a throw-away profile."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"找不到 Chromium:{CHROMIUM}(apt-get install chromium fonts-noto-cjk)")
    profile = tempfile.mkdtemp(prefix="report-chromium-")
    try:
        cmd = [CHROMIUM, "--headless", *CHROMIUM_ARGS, f"--user-data-dir={profile}",
               "--no-pdf-header-footer", "--hide-scrollbars", "--mute-audio",
               f"--print-to-pdf={out_path}", html_path.resolve().as_uri()]
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, env=font_env())
        if proc.returncode != 0 or not out_path.exists() or out_path.stat().st_size == 0:
            raise RuntimeError(f"Chromium 打印 PDF 失败(退出码 {proc.returncode}):"
                               f"{proc.stderr.decode('utf-8', 'replace')[-2000:]}")
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def render(deck: L.Deck, watermark: str | None = None, exporter: str | None = None) -> bytes:
    with tempfile.TemporaryDirectory(prefix="report-pdf-") as tmp:
        src, out = Path(tmp) / "deck.html", Path(tmp) / "deck.pdf"
        src.write_text(html(deck, watermark, exporter), encoding="utf-8")
        print_pdf(src, out)
        return out.read_bytes()


def save(deck: L.Deck, path, watermark: str | None = None, exporter: str | None = None) -> None:
    Path(path).write_bytes(render(deck, watermark, exporter))
