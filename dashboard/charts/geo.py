"""The district map, drawn here for every surface: 黄埔区 highlighted, neighbouring districts faint, the parks
as points. The park page (`park_map_options`, light or dark theme) and the big screen
(`charts.screen.district_map`, which adds its frame) share one GeoJSON simplification (`district_geojson`),
one label placement (`place_labels`, then ECharts' labelLayout `hideOverlap` as the guarantee that no two
labels overlap) and one colour rule (`point_colour`):

- a park with its own annual target for the metric: the target's status colour (正常/关注/滞后, the
  product's `theme.STATUS_COLOR`), so an ordinary park on track never looks alarming;
- a rate without a target: fixed 10-point bands of one blue hue (never red);
- a count: the value ramp (more is better: blue → gold; more is worse: grey → red).

Builders are pure: DataFrame in, ECharts option dict out. Sizes go through `scale` (identity on the park
page; the big screen passes `screen.px`, which scales 1920×1080 design pixels to the viewport).
"""
from __future__ import annotations

import json
import math

import polars as pl

from .. import safe, theme
from ..kpis import BY_KEY, STATUS_WORD, fmt_value
from ..paths import ROOT

MAP_NAME = "huangpu"
GEOJSON_PATH = ROOT / "data" / "geo" / "guangzhou.geojson"
DISTRICT = "黄埔区"
# The view: 黄埔区 plus 广州国际生物岛 (P13), which lies inside 海珠区's polygon, west of the district.
VIEW = (113.315, 23.015, 113.665, 23.440)          # lon_min, lat_min, lon_max, lat_max
MAP_METRICS = ["n_enterprises", "n_xjr", "org_coverage_rate", "work_coverage_rate", "appeal_resolved_rate",
               "n_appeals_overdue"]
# One colour ramp per direction: more is better (blue → gold) or more is worse (amber → red).
RAMP_GOOD = ["#2a5d9f", "#4da3ff", "#7fd6ff", theme.GOLD]
RAMP_BAD = ["#7a8aa3", theme.ORANGE, theme.RED]
# A rate without a target: fixed bands (lower bound, colour), one hue, deeper = higher; never alarming.
RATE_BANDS = [(0.0, "#5b7aa6"), (0.4, "#3f7fc4"), (0.5, "#3a97e0"), (0.6, "#36b3f2"), (0.7, "#5fd0ff"),
              (0.8, "#9be4ff")]
# The neighbours named on the map: those ECharts labels well inside the view (番禺/花都/从化/增城 would put
# their names on or past the chart's edge, cut; 荔湾/越秀 crowd each other).
NAMED_NEIGHBOURS = ("白云区", "天河区", "海珠区")


def _round(coords, nd: int = 4):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], nd), round(coords[1], nd)]
    return [_round(c, nd) for c in coords]


def _bbox(coords) -> tuple[float, float, float, float]:
    xs, ys = [], []

    def walk(c):
        if isinstance(c[0], (int, float)):
            xs.append(c[0])
            ys.append(c[1])
        else:
            for x in c:
                walk(x)
    walk(coords)
    return min(xs), min(ys), max(xs), max(ys)


def _rdp(points: list, eps: float) -> list:
    """Ramer–Douglas–Peucker line simplification (iterative)."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = points[a][:2], points[b][:2]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy) or 1e-12
        best, idx = -1.0, -1
        for i in range(a + 1, b):
            x0, y0 = points[i][:2]
            d = abs(dy * x0 - dx * y0 + x2 * y1 - y2 * x1) / norm if (dx or dy) else math.hypot(x0 - x1, y0 - y1)
            if d > best:
                best, idx = d, i
        if best > eps and idx > 0:
            keep[idx] = True
            stack += [(a, idx), (idx, b)]
    return [p for p, k in zip(points, keep) if k]


def trim_geojson(gj: dict, view: tuple[float, float, float, float] = VIEW, margin: float = 0.05,
                 eps: float = 0.0005) -> dict:
    """The one simplification of the map: the districts near the view (`margin` degrees around it), lines
    simplified to ≈50 m (below a pixel even at 4K) and rounded to ~10 m: a small payload for every surface."""
    x0, y0, x1, y1 = view[0] - margin, view[1] - margin, view[2] + margin, view[3] + margin
    feats = []
    for f in gj["features"]:
        g = f["geometry"]
        bx0, by0, bx1, by1 = _bbox(g["coordinates"])
        if bx1 < x0 or bx0 > x1 or by1 < y0 or by0 > y1:
            continue
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        new = [[_round([list(p[:2]) for p in _rdp(ring, eps)]) for ring in poly] for poly in polys]
        props = {"name": f["properties"]["name"]}
        if "cp" in f["properties"]:
            props["cp"] = f["properties"]["cp"]
        feats.append({"type": "Feature", "id": f.get("id"), "properties": props,
                      "geometry": {"type": g["type"], "coordinates": new if g["type"] == "MultiPolygon" else new[0]}})
    return {"type": "FeatureCollection", "features": feats}


def _load() -> dict:
    with open(GEOJSON_PATH, encoding="utf-8") as fh:
        return trim_geojson(json.load(fh))


try:  # one copy per server process; plain function outside Streamlit
    import streamlit as _st
    district_geojson = _st.cache_resource(show_spinner=False)(_load)
except Exception:  # noqa: BLE001 - streamlit missing (not expected here)
    district_geojson = _load


def _text_px(text: str, font: float = 13) -> float:
    return sum(font if ord(ch) > 0x2e80 else font * 0.6 for ch in text)


# candidate label placements: (ECharts position, offset [dx, dy] in px)
_CANDIDATES = [("right", [0, 0]), ("left", [0, 0]), ("top", [0, 0]), ("bottom", [0, 0]),
               ("right", [0, -14]), ("right", [0, 14]), ("left", [0, -14]), ("left", [0, 14]),
               ("top", [0, -12]), ("bottom", [0, 12])]


def place_labels(points: list[dict], width_px: float, height_px: float,
                 view: tuple[float, float, float, float] = VIEW, font: float = 13) -> dict[str, tuple[str, list[int]]]:
    """Greedy label placement: each point (id, lon, lat, size, text) gets the candidate position whose
    box overlaps least with labels already placed, the other points and the view's edges.
    Points are placed in the given order (most important first). Pure geometry, approximate."""
    x0, y0, x1, y1 = view
    aspect = math.cos(math.radians((y0 + y1) / 2))
    scale = min(height_px / (y1 - y0), width_px / ((x1 - x0) * aspect))      # px per degree of latitude
    cx, cy = width_px / 2, height_px / 2
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2

    def px(lon, lat):
        return cx + (lon - mx) * aspect * scale, cy - (lat - my) * scale

    boxes = []
    for p in points:   # the points themselves are obstacles
        x, y = px(p["lon"], p["lat"])
        r = p["size"] / 2
        boxes.append((x - r, y - r, x + r, y + r))

    def overlap(a, b):
        w = min(a[2], b[2]) - max(a[0], b[0])
        h = min(a[3], b[3]) - max(a[1], b[1])
        return w * h if w > 0 and h > 0 else 0.0

    out = {}
    for p in points:
        x, y = px(p["lon"], p["lat"])
        r, gap = p["size"] / 2, 6
        w, h = _text_px(p["text"], font) + 6, font * 1.5
        best = None
        for pos, off in _CANDIDATES:
            off = [round(o * font / 13) for o in off]
            if pos == "right":
                bx = (x + r + gap, y - h / 2)
            elif pos == "left":
                bx = (x - r - gap - w, y - h / 2)
            elif pos == "top":
                bx = (x - w / 2, y - r - gap - h)
            else:
                bx = (x - w / 2, y + r + gap)
            box = (bx[0] + off[0], bx[1] + off[1], bx[0] + off[0] + w, bx[1] + off[1] + h)
            own = (x - r, y - r, x + r, y + r)
            cost = sum(overlap(box, b) for b in boxes if b != own)
            edge = max(0, -(box[0] - (cx - width_px / 2))) + max(0, box[2] - (cx + width_px / 2))
            edge += max(0, -box[1]) + max(0, box[3] - height_px)
            cost += edge * h * 2 + (0.5 if off != [0, 0] else 0)
            if best is None or cost < best[0]:
                best = (cost, pos, off, box)
        out[p["id"]] = (best[1], best[2])
        boxes.append(best[3])
    return out


def _lerp_color(ramp: list[str], t: float) -> str:
    t = min(max(t, 0.0), 1.0) * (len(ramp) - 1)
    i = min(int(t), len(ramp) - 2)
    f = t - i
    a, b = ramp[i].lstrip("#"), ramp[i + 1].lstrip("#")
    rgb = [round(int(a[k:k + 2], 16) * (1 - f) + int(b[k:k + 2], 16) * f) for k in (0, 2, 4)]
    return "#" + "".join(f"{c:02x}" for c in rgb)


def point_colour(metric: str, value, t: float, status: str | None) -> str:
    """The one colour rule of a park point (see the module docstring). `t`: the value's place 0..1 among
    the parks (counts only)."""
    k = BY_KEY[metric]
    if status in theme.STATUS_COLOR and status is not None:
        return theme.STATUS_COLOR[status]
    if k.is_rate:
        if value is None:
            return RATE_BANDS[0][1]
        return [c for lo, c in RATE_BANDS if value >= lo - 1e-9][-1]
    return _lerp_color(RAMP_GOOD if k.higher_is_better else RAMP_BAD, t)


def legend_entries(metric: str, statuses: dict[str, str] | None, values: list) -> list[tuple[str, str]]:
    """(text, colour) of the colour legend for what the map shows."""
    k = BY_KEY[metric]
    if statuses:
        return [(f"{STATUS_WORD[s]}(年度目标)", theme.STATUS_COLOR[s]) for s in ("绿", "黄", "红")]
    if k.is_rate:
        lo = min([v for v in values if v is not None], default=0.0)
        hi = max([v for v in values if v is not None], default=0.0)
        shown = [(b, c) for b, c in RATE_BANDS if b <= hi + 1e-9]
        shown = [x for i, x in enumerate(shown) if i + 1 == len(shown) or shown[i + 1][0] > lo]
        out = []
        for i, (b, c) in enumerate(shown):
            nxt = [bb for bb, _ in RATE_BANDS if bb > b]
            out.append((f"{b * 100:.0f}–{nxt[0] * 100:.0f}%" if nxt else f"≥{b * 100:.0f}%", c))
        return out
    return []


# text and area colours for the dark (cockpit) and light themes
_INK = {
    True: dict(text="#e8eef7", muted=theme.SCREEN_MUTED, halo="rgba(5,13,31,0.9)", area="rgba(60,90,140,0.10)",
               border="rgba(143,179,224,0.30)", region_label="rgba(200,215,235,0.55)", hp_area="rgba(57,197,255,0.16)",
               hp_border=theme.SCREEN_ACCENT, tip_bg="rgba(11,26,51,0.95)", point_border="#e8eef7",
               label_bg="rgba(4,16,40,0.78)"),
    False: dict(text="#14213d", muted="#4a5b78", halo="rgba(255,255,255,0.95)", area="rgba(100,116,139,0.08)",
                border="rgba(100,116,139,0.45)", region_label="rgba(20,33,61,0.55)", hp_area="rgba(29,95,191,0.10)",
                hp_border="#1d5fbf", tip_bg="rgba(255,255,255,0.97)", point_border="#14213d",
                label_bg="rgba(255,255,255,0.85)"),
}


def _same(v):
    return v


def map_options(df: pl.DataFrame, metric: str, *, selected: str | None = None, dark: bool = True,
                statuses: dict[str, str] | None = None, map_name: str = MAP_NAME, width_px: float = 760,
                height_px: float = 700, font: float = 13, scale=_same, ripple: bool = True,
                size_metric: str | None = None,
                tooltips: bool = True, title: str | None = None, subtitle: str | None = None) -> dict:
    """ECharts option: district map + one point per park sized by enterprises (or the metric) and coloured by
    `point_colour`. `df` needs park_id, park_name, lon, lat and the metric column; `statuses`: park_id → the
    park's target status for `metric` (parks without a target are absent). Each point's value is
    [lon, lat, metric, park_id]; a click selects the point. `width_px`/`height_px`/`font` are the design
    sizes the labels are placed for; every size goes through `scale`. `size_metric`: what the point's size
    shows (default: the metric itself); it is then the value's fifth element."""
    ink = _INK[bool(dark)]
    k = BY_KEY[metric]
    statuses = statuses or {}
    vals = [v for v in df[metric].to_list() if v is not None]
    lo, hi = (min(vals), max(vals)) if vals else (0, 1)
    span = (hi - lo) or 1
    smax = max([v for v in df[size_metric].to_list() if v is not None] + [1]) if size_metric else None
    rows = []
    for r in df.iter_rows(named=True):
        v = r[metric]
        t = 0.0 if v is None else (v - lo) / span
        if size_metric:
            st = math.sqrt((r[size_metric] or 0) / smax)
        else:
            st = math.sqrt(t) if not k.is_rate else t
        size = 12 + 30 * st + (6 if r["park_id"] == selected else 0)
        rows.append((r, v, t, size, f"{r['park_name']} {fmt_value(k, v).replace(' ', '')}"))
    # most important labels first: the selected park, then the larger points
    order = sorted(rows, key=lambda x: (x[0]["park_id"] != selected, -x[3]))
    pos = place_labels([{"id": r["park_id"], "lon": r["lon"], "lat": r["lat"], "size": size, "text": text}
                        for r, _, _, size, text in order], width_px, height_px * 0.94, font=font)
    data = []
    for r, v, t, size, text in rows:
        sel = r["park_id"] == selected
        colour = point_colour(metric, v, t, statuses.get(r["park_id"]))
        item = {
            "name": r["park_name"],
            "value": [r["lon"], r["lat"], v, r["park_id"]] + ([r[size_metric]] if size_metric else []),
            "symbolSize": round(size, 1) if scale is _same else scale(round(size, 1)),
            "itemStyle": {"color": colour, "borderColor": theme.GOLD if sel else ink["point_border"],
                          "borderWidth": scale(3 if sel else 1), "shadowBlur": scale(12 if sel else 4),
                          "shadowColor": "rgba(0,0,0,0.5)"},
            "label": {"position": pos[r["park_id"]][0],
                      "offset": pos[r["park_id"]][1] if scale is _same else [scale(o) for o in pos[r["park_id"]][1]],
                      "formatter": text,
                      "fontWeight": "bold" if sel else "normal",
                      "color": (theme.GOLD if dark else theme.RED) if sel else ink["text"]},
        }
        if tooltips:
            # the tooltip is HTML in the browser: every value escaped (dashboard.safe)
            tip = [safe.html("<b>{} {}</b>", r['park_id'], r['park_name']), f"{k.label}:{fmt_value(k, v)}"]
            if statuses.get(r["park_id"]):
                tip.append(f"年度目标进度:{STATUS_WORD[statuses[r['park_id']]]}")
            for extra in ("n_enterprises", "org_coverage_rate", "n_appeals_overdue"):
                if extra != metric and extra in r:
                    tip.append(f"{BY_KEY[extra].label}:{fmt_value(extra, r[extra])}")
            if r.get("has_park_chief") is not None:
                tip.append("园长制:" + ("是" if r["has_park_chief"] else "否"))
            tip.append("点击查看园区详情")
            item["tooltip"] = {"formatter": str(safe.join("<br/>", tip))}
        data.append(item)
    series = [{
        "type": "scatter", "name": "园区", "coordinateSystem": "geo", "geoIndex": 0, "data": data,
        "symbol": "circle", "z": 3,
        "label": {"show": True, "fontSize": scale(font), "distance": scale(6), "fontFamily": theme.FONT_STACK,
                  "textBorderColor": ink["halo"], "textBorderWidth": scale(3)},
        # the guarantee: a label that would still touch another (after `place_labels`) is hidden, never drawn
        # over it; the smaller park gives way (its name stays in the tooltip and the ranking)
        "labelLayout": {"hideOverlap": True},
        "emphasis": {"scale": 1.25, "label": {"color": theme.GOLD}},
    }]
    if selected and selected in df["park_id"].to_list() and ripple:
        r = df.filter(pl.col("park_id") == selected).row(0, named=True)
        series.append({
            "type": "effectScatter", "name": "所选园区", "coordinateSystem": "geo", "geoIndex": 0,
            "data": [{"name": r["park_name"], "value": [r["lon"], r["lat"], r[metric], r["park_id"]]}],
            "symbolSize": scale(18), "rippleEffect": {"scale": 3.2, "brushType": "stroke"},
            "itemStyle": {"color": theme.GOLD}, "z": 2, "silent": True, "label": {"show": False},
            "tooltip": {"show": False},
        })
    x0, y0, x1, y1 = VIEW
    legend = legend_entries(metric, statuses, vals)
    graphic = []
    if legend:
        children = []
        for i, (txt, c) in enumerate(legend):
            y = i * font * 1.6
            children += [{"type": "circle", "shape": {"cx": scale(font * 0.45), "cy": scale(y + font * 0.6),
                                                      "r": scale(font * 0.42)}, "style": {"fill": c}},
                         {"type": "text", "x": scale(font * 1.2), "y": scale(y),
                          "style": {"text": txt, "fill": ink["muted"], "fontSize": scale(font),
                                    "fontFamily": theme.FONT_STACK}}]
        # top left, under the title: the corner of the view the district does not reach (no park label there)
        graphic.append({"type": "group", "left": scale(10), "top": scale(round(font * 3.6 + 8)), "children": children})
    return {
        "backgroundColor": "transparent",
        "textStyle": {"fontFamily": theme.FONT_STACK},
        "title": {"text": title if title is not None else f"{DISTRICT} · 园区分布",
                  "subtext": subtitle if subtitle is not None else f"点大小与颜色:{k.label}(点击园区查看详情)",
                  "left": scale(8), "top": scale(4),
                  "textStyle": {"color": ink["text"], "fontSize": scale(font + 3), "fontFamily": theme.FONT_STACK},
                  "subtextStyle": {"color": ink["muted"], "fontSize": scale(font - 1 if font < 18 else font),
                                   "fontFamily": theme.FONT_STACK}},
        "tooltip": {"trigger": "item", "confine": True, "backgroundColor": ink["tip_bg"], "show": tooltips,
                    "borderColor": ink["border"], "textStyle": {"color": ink["text"], "fontSize": scale(font)}},
        "geo": {
            "map": map_name, "roam": False, "silent": True,
            "boundingCoords": [[x0, y1], [x1, y0]],
            "aspectScale": round(math.cos(math.radians((y0 + y1) / 2)), 3),
            "layoutCenter": ["50%", "50%"], "layoutSize": "94%",
            "itemStyle": {"areaColor": ink["area"], "borderColor": ink["border"], "borderWidth": scale(1)},
            "label": {"show": False, "color": ink["region_label"], "fontSize": scale(font)},
            "regions": [*({"name": n, "label": {"show": True}} for n in NAMED_NEIGHBOURS),
                        {"name": DISTRICT,
                         "itemStyle": {"areaColor": ink["hp_area"], "borderColor": ink["hp_border"],
                                       "borderWidth": scale(2.5), "shadowColor": ink["hp_border"],
                                       "shadowBlur": scale(14 if dark else 4)},
                         "label": {"show": False}}],
        },
        "graphic": graphic,
        "series": series,
    }


def park_map_options(df: pl.DataFrame, metric: str, *, selected: str | None = None, dark: bool = True,
                     statuses: dict[str, str] | None = None, map_name: str = MAP_NAME, width_px: int = 760,
                     height_px: int = 700) -> dict:
    """The park page's map (light or dark theme): `map_options` with tooltips and the ripple on the
    selected park."""
    return map_options(df, metric, selected=selected, dark=dark, statuses=statuses, map_name=map_name,
                       width_px=width_px, height_px=height_px)


def statuses_for(targets_df: pl.DataFrame, metric: str) -> dict[str, str]:
    """park_id → the status of that park's own annual target for `metric` (rows of `targets.items`)."""
    if targets_df.is_empty():
        return {}
    t = targets_df.filter((pl.col("metric") == metric) & (pl.col("scope_type") == "park"))
    return dict(zip(t["scope_id"].to_list(), t["status"].to_list()))


def park_from_event(event, names_to_ids: dict[str, str] | None = None) -> str | None:
    """The park id of the first selected point of a streamlit-echarts selection event."""
    if not event:
        return None
    sel = event.get("selection", {}) if hasattr(event, "get") else getattr(event, "selection", {})
    pts = (sel.get("points") if hasattr(sel, "get") else None) or []
    if not pts:
        return None
    p = pts[0]
    val = p.get("value")
    if isinstance(val, (list, tuple)) and len(val) >= 4 and val[3]:
        return str(val[3])
    if names_to_ids and p.get("name") in names_to_ids:
        return names_to_ids[p["name"]]
    return None
