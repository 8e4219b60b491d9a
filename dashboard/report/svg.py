"""Charts as inline SVG, drawn by pure functions from the deck's Chart blocks (no JS, no request).

Coordinates are points (1/72 in) in a viewBox the size of the block's box, so font sizes match
the PPTX charts.
"""
from __future__ import annotations

import math
import re
from html import escape

from . import layout as L

AXIS = "#8a9bb5"
GRID = L.RULE
LABEL = L.TEXT


def fmt(v, unit: str, tick: bool = False) -> str:
    if v is None:
        return ""
    if tick:
        return L.tick_label(v, unit)
    if unit == "rate":
        return f"{v * 100:.1f}%"
    if unit == "days":
        return f"{v:.1f}"
    return f"{v:,.0f}"


def _w(text: str, size: float) -> float:
    """Width in points (same conservative estimate as the PPTX checker)."""
    return L.text_width(text, size) * 72


def _text(x, y, s, size, anchor="middle", color=LABEL, weight="normal", baseline="auto") -> str:
    def one(x_):
        return (f'<text x="{x_:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{color}" '
                f'dominant-baseline="{baseline}">{escape(s)}</text>')
    # bold: the regular glyphs and a copy a hairline to the right (a synthesised bold face would be
    # printed as Type 3 glyphs; pdftotext drops the overlapping copy)
    return one(x) + (one(x + size * 0.05) if weight == "bold" else "")


def _split_label(label: str) -> list[str]:
    m = re.fullmatch(r"(\d{4})(Q\d)", label)
    if m:
        return [m.group(1), m.group(2)]
    half = math.ceil(len(label) / 2)
    return [label[:half], label[half:]]


def _legend(ch: L.Chart, W: float, size: float) -> tuple[str, float]:
    if not (ch.legend and len(ch.series) > 1):
        return "", 0.0
    items, parts, x = [], [], 0.0
    for i, s in enumerate(ch.series):
        color = s.color or L.SERIES[i % len(L.SERIES)]
        parts.append((x, color, s.name))
        x += 14 + _w(s.name, size) + 14
    off = (W - x) / 2
    for x0, color, name in parts:
        items.append(f'<rect x="{off + x0:.1f}" y="3" width="10" height="10" fill="{color}"/>')
        items.append(_text(off + x0 + 14, 12, name, size, "start"))
    return "".join(items), 20.0


def svg_chart(ch: L.Chart) -> str:
    W, H = ch.box[2] * 72, ch.box[3] * 72
    size = ch.font_size
    legend, top = _legend(ch, W, size)
    body = {"column": _columns, "line": _columns, "bar": _bars}[ch.kind](ch, W, H, top + 6, size)
    return (f'<svg viewBox="0 0 {W:.1f} {H:.1f}" width="{ch.box[2]}in" height="{ch.box[3]}in" '
            f'role="img" aria-label="{escape(ch.name)}">{legend}{body}</svg>')


def _columns(ch: L.Chart, W, H, top, size) -> str:
    ticks = L.axis_ticks(ch)
    y0, y1 = ticks[0], ticks[-1]
    tick_size = size - 1
    left = max(_w(fmt(t, ch.unit, True), tick_size) for t in ticks) + 8
    n = len(ch.categories) or 1
    plot_w = W - left - 6
    slot = plot_w / n
    wide = [_w(c, size - 0.5) > slot - 2 for c in ch.categories]
    bottom = (size + 3) * (2 if any(wide) else 1) + 6
    plot_h = H - top - bottom
    ys = lambda v: top + plot_h * (1 - (v - y0) / (y1 - y0))  # noqa: E731
    out = []
    for t in ticks:
        y = ys(t)
        out.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{W - 6:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="0.6"/>')
        out.append(_text(left - 4, y + tick_size * 0.35, fmt(t, ch.unit, True), tick_size, "end", L.MUTED))
    out.append(f'<line x1="{left:.1f}" y1="{ys(y0):.1f}" x2="{W - 6:.1f}" y2="{ys(y0):.1f}" stroke="{AXIS}" stroke-width="0.8"/>')
    for i, c in enumerate(ch.categories):
        cx = left + slot * (i + 0.5)
        lines = _split_label(c) if wide[i] else [c]
        for k, ln in enumerate(lines):
            out.append(_text(cx, top + plot_h + (size + 2) * (k + 1), L.truncate(ln, size - 0.5, slot / 72) if slot > 8 else "",
                             size - 0.5, "middle", L.MUTED))
    ns = len(ch.series)
    for si, s in enumerate(ch.series):
        color = s.color or L.SERIES[si % len(L.SERIES)]
        if ch.kind == "line":
            pts = [(left + slot * (i + 0.5), ys(v)) for i, v in enumerate(s.values) if v is not None]
            if pts:
                out.append('<polyline fill="none" stroke="{}" stroke-width="2.2" points="{}"/>'.format(
                    color, " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)))
                out += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.8" fill="{color}"/>' for x, y in pts]
                x, y = pts[-1]      # the latest value is always labelled
                out.append(_text(x - 2, y - 6, fmt(s.values[-1], ch.unit), size - 0.5, "end", color, "bold"))
            continue
        group = slot * (0.72 if ns > 1 else 0.6)
        bw = group / ns
        for i, v in enumerate(s.values):
            if v is None:
                continue
            x = left + slot * i + (slot - group) / 2 + bw * si
            y = ys(v)
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bw:.1f}" height="{max(ys(y0) - y, 0):.1f}" fill="{color}"/>')
            if ch.labels:
                out.append(_text(x + bw / 2, y - 3, fmt(v, ch.unit), size - 1, "middle", LABEL))
    return "".join(out)


def _bars(ch: L.Chart, W, H, top, size) -> str:
    vals = [v for s in ch.series for v in s.values if v is not None]
    ticks = L.axis_ticks(ch)
    x0v, x1v = ticks[0], ticks[-1]
    label_w = min(max((_w(c, size) for c in ch.categories), default=20) + 8, W * 0.42)
    left = label_w
    right = (max(_w(fmt(v, ch.unit), size - 1) for v in vals) + 8) if (ch.labels and vals) else 10
    bottom = size + 8
    plot_w = W - left - right
    plot_h = H - top - bottom
    n = len(ch.categories) or 1
    slot = plot_h / n
    xs = lambda v: left + plot_w * (v - x0v) / (x1v - x0v)  # noqa: E731
    out = []
    for t in ticks:
        x = xs(t)
        out.append(f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{top + plot_h:.1f}" stroke="{GRID}" stroke-width="0.6"/>')
        out.append(_text(x, top + plot_h + size + 3, fmt(t, ch.unit, True), size - 1, "middle", L.MUTED))
    out.append(f'<line x1="{left:.1f}" y1="{top:.1f}" x2="{left:.1f}" y2="{top + plot_h:.1f}" stroke="{AXIS}" stroke-width="0.8"/>')
    for i, c in enumerate(ch.categories):
        cy = top + slot * (i + 0.5)
        out.append(_text(left - 5, cy + size * 0.35, L.truncate(c, size, (label_w - 8) / 72), size, "end"))
    ns = len(ch.series)
    group = slot * (0.72 if ns > 1 else 0.62)
    bh = group / ns
    for si, s in enumerate(ch.series):
        color = s.color or L.SERIES[si % len(L.SERIES)]
        for i, v in enumerate(s.values):
            if v is None:
                continue
            y = top + slot * i + (slot - group) / 2 + bh * si
            x = xs(v)
            out.append(f'<rect x="{left:.1f}" y="{y:.1f}" width="{max(x - left, 0):.1f}" height="{bh:.1f}" fill="{color}"/>')
            if ch.labels:
                fs = min(size - 1, max(bh * 0.9, 6))
                out.append(_text(x + 3, y + bh / 2 + fs * 0.35, fmt(v, ch.unit), fs, "start", LABEL))
    return "".join(out)
