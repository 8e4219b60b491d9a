"""The district map: 黄埔区 highlighted, neighbouring districts faint, the parks as points.

`park_map_options` is a pure builder (parks DataFrame + GeoJSON → ECharts option dict) rendered
offline by streamlit-echarts, which registers the GeoJSON under `MAP_NAME` in the browser.
`district_geojson()` loads and trims data/geo/guangzhou.geojson once per process.
"""
from __future__ import annotations

import json
import math

import polars as pl

from .. import safe, theme
from ..kpis import BY_KEY, fmt_value
from ..paths import ROOT

MAP_NAME = "huangpu"
GEOJSON_PATH = ROOT / "data" / "geo" / "guangzhou.geojson"
DISTRICT = "黄埔区"
# The view: 黄埔区 plus 广州国际生物岛 (P13), which lies inside 海珠区's polygon, west of the district.
VIEW = (113.335, 23.020, 113.640, 23.430)          # lon_min, lat_min, lon_max, lat_max
MAP_METRICS = ["n_enterprises", "n_xjr", "org_coverage_rate", "work_coverage_rate", "appeal_resolved_rate",
               "n_appeals_overdue"]
# One colour ramp per direction: more is better (blue → gold) or more is worse (amber → red).
RAMP_GOOD = ["#2a5d9f", "#4da3ff", "#7fd6ff", theme.GOLD]
RAMP_BAD = ["#7a8aa3", theme.ORANGE, theme.RED]


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


def trim_geojson(gj: dict, view: tuple[float, float, float, float] = VIEW) -> dict:
    """Only the districts that reach into the view, coordinates rounded to ~10 m (smaller payload)."""
    x0, y0, x1, y1 = view
    feats = []
    for f in gj["features"]:
        bx0, by0, bx1, by1 = _bbox(f["geometry"]["coordinates"])
        if bx1 < x0 or bx0 > x1 or by1 < y0 or by0 > y1:
            continue
        feats.append({"type": "Feature", "id": f.get("id"), "properties": {"name": f["properties"]["name"]},
                      "geometry": {"type": f["geometry"]["type"],
                                   "coordinates": _round(f["geometry"]["coordinates"])}})
    return {"type": "FeatureCollection", "features": feats}


def _load() -> dict:
    with open(GEOJSON_PATH, encoding="utf-8") as fh:
        return trim_geojson(json.load(fh))


try:  # one copy per server process; plain function outside Streamlit
    import streamlit as _st
    district_geojson = _st.cache_resource(show_spinner=False)(_load)
except Exception:  # noqa: BLE001 - streamlit missing (not expected here)
    district_geojson = _load


def _text_px(text: str, font: int = 13) -> float:
    return sum(font if ord(ch) > 0x2e80 else font * 0.6 for ch in text)


# candidate label placements: (ECharts position, offset [dx, dy] in px)
_CANDIDATES = [("right", [0, 0]), ("left", [0, 0]), ("top", [0, 0]), ("bottom", [0, 0]),
               ("right", [0, -14]), ("right", [0, 14]), ("left", [0, -14]), ("left", [0, 14]),
               ("top", [0, -12]), ("bottom", [0, 12])]


def place_labels(points: list[dict], width_px: float, height_px: float,
                 view: tuple[float, float, float, float] = VIEW) -> dict[str, tuple[str, list[int]]]:
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
        w, h = _text_px(p["text"]) + 6, 20
        best = None
        for pos, off in _CANDIDATES:
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


# text and area colours for the dark (cockpit) and light themes
_INK = {
    True: dict(text="#e8eef7", muted=theme.SCREEN_MUTED, halo="rgba(5,13,31,0.9)", area="rgba(60,90,140,0.10)",
               border="rgba(143,179,224,0.30)", region_label="rgba(200,215,235,0.35)", hp_area="rgba(57,197,255,0.16)",
               hp_border=theme.SCREEN_ACCENT, tip_bg="rgba(11,26,51,0.95)", point_border="#e8eef7"),
    False: dict(text="#14213d", muted="#4a5b78", halo="rgba(255,255,255,0.95)", area="rgba(100,116,139,0.08)",
                border="rgba(100,116,139,0.45)", region_label="rgba(20,33,61,0.40)", hp_area="rgba(29,95,191,0.10)",
                hp_border="#1d5fbf", tip_bg="rgba(255,255,255,0.97)", point_border="#14213d"),
}


def park_map_options(df: pl.DataFrame, metric: str, *, selected: str | None = None, dark: bool = True,
                     map_name: str = MAP_NAME, width_px: int = 760, height_px: int = 700) -> dict:
    """ECharts option: district map + one point per park sized/coloured by `metric`.

    `df` needs park_id, park_name, lon, lat and the metric column (a `mart_kpi` column in the
    KPI registry). Each point's value is [lon, lat, metric, park_id]; a click selects the point.
    """
    ink = _INK[bool(dark)]
    k = BY_KEY[metric]
    vals = [v for v in df[metric].to_list() if v is not None]
    lo, hi = (min(vals), max(vals)) if vals else (0, 1)
    span = (hi - lo) or 1
    ramp = RAMP_GOOD if k.higher_is_better else RAMP_BAD
    rows = []
    for r in df.iter_rows(named=True):
        v = r[metric]
        t = 0.0 if v is None else (v - lo) / span
        size = (12 + 30 * math.sqrt(t) if not k.is_rate else 12 + 30 * t) + (6 if r["park_id"] == selected else 0)
        rows.append((r, v, t, size, f"{r['park_name']} {fmt_value(k, v).replace(' ', '')}"))
    # most important labels first: the selected park, then the larger points
    order = sorted(rows, key=lambda x: (x[0]["park_id"] != selected, -x[3]))
    pos = place_labels([{"id": r["park_id"], "lon": r["lon"], "lat": r["lat"], "size": size, "text": text}
                        for r, _, _, size, text in order], width_px, height_px * 0.94)
    data = []
    for r, v, t, size, text in rows:
        sel = r["park_id"] == selected
        # the tooltip is HTML in the browser: every value escaped (dashboard.safe)
        tip = [safe.html("<b>{} {}</b>", r['park_id'], r['park_name']), f"{k.label}:{fmt_value(k, v)}"]
        for extra in ("n_enterprises", "org_coverage_rate", "n_appeals_overdue"):
            if extra != metric and extra in r:
                tip.append(f"{BY_KEY[extra].label}:{fmt_value(extra, r[extra])}")
        if r.get("has_park_chief") is not None:
            tip.append("园长制:" + ("是" if r["has_park_chief"] else "否"))
        tip.append("点击查看园区详情")
        data.append({
            "name": r["park_name"],
            "value": [r["lon"], r["lat"], v, r["park_id"]],
            "symbolSize": round(size, 1),
            "itemStyle": {"color": _lerp_color(ramp, t), "borderColor": theme.GOLD if sel else ink["point_border"],
                          "borderWidth": 3 if sel else 1, "shadowBlur": 12 if sel else 4,
                          "shadowColor": "rgba(0,0,0,0.5)"},
            "label": {"position": pos[r["park_id"]][0], "offset": pos[r["park_id"]][1],
                      "formatter": text,
                      "fontWeight": "bold" if sel else "normal",
                      "color": (theme.GOLD if dark else theme.RED) if sel else ink["text"]},
            "tooltip": {"formatter": str(safe.join("<br/>", tip))},
        })
    series = [{
        "type": "scatter", "name": "园区", "coordinateSystem": "geo", "geoIndex": 0, "data": data,
        "symbol": "circle", "z": 3,
        "label": {"show": True, "fontSize": 13, "distance": 6, "fontFamily": theme.FONT_STACK,
                  "textBorderColor": ink["halo"], "textBorderWidth": 3},
        "emphasis": {"scale": 1.25, "label": {"color": theme.GOLD}},
    }]
    if selected and selected in df["park_id"].to_list():
        r = df.filter(pl.col("park_id") == selected).row(0, named=True)
        series.append({
            "type": "effectScatter", "name": "所选园区", "coordinateSystem": "geo", "geoIndex": 0,
            "data": [{"name": r["park_name"], "value": [r["lon"], r["lat"], r[metric], r["park_id"]]}],
            "symbolSize": 18, "rippleEffect": {"scale": 3.2, "brushType": "stroke"},
            "itemStyle": {"color": theme.GOLD}, "z": 2, "silent": True, "label": {"show": False},
            "tooltip": {"show": False},
        })
    x0, y0, x1, y1 = VIEW
    return {
        "backgroundColor": "transparent",
        "textStyle": {"fontFamily": theme.FONT_STACK},
        "title": {"text": f"{DISTRICT} · 园区分布", "subtext": f"点大小与颜色:{k.label}(点击园区查看详情)",
                  "left": 8, "top": 4,
                  "textStyle": {"color": ink["text"], "fontSize": 16, "fontFamily": theme.FONT_STACK},
                  "subtextStyle": {"color": ink["muted"], "fontSize": 12, "fontFamily": theme.FONT_STACK}},
        "tooltip": {"trigger": "item", "confine": True, "backgroundColor": ink["tip_bg"],
                    "borderColor": ink["border"], "textStyle": {"color": ink["text"], "fontSize": 13}},
        "geo": {
            "map": map_name, "roam": False, "silent": True,
            "boundingCoords": [[x0, y1], [x1, y0]],
            "aspectScale": round(math.cos(math.radians((y0 + y1) / 2)), 3),
            "layoutCenter": ["50%", "50%"], "layoutSize": "94%",
            "itemStyle": {"areaColor": ink["area"], "borderColor": ink["border"], "borderWidth": 1},
            "label": {"show": True, "color": ink["region_label"], "fontSize": 13},
            "regions": [{"name": DISTRICT,
                         "itemStyle": {"areaColor": ink["hp_area"], "borderColor": ink["hp_border"],
                                       "borderWidth": 2.5, "shadowColor": ink["hp_border"],
                                       "shadowBlur": 14 if dark else 4},
                         "label": {"show": False}}],
        },
        "series": series,
    }


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
