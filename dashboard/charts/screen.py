"""Large-screen (大屏) chart builders: DataFrame in, ECharts option dict out. They never query.

All charts share one dark theme (`THEME`, passed to streamlit-echarts) and the large-screen palette of
`dashboard.theme`. Sizes (fonts, line widths, symbol sizes) are written with `px(n)`: a JS expression
that streamlit-echarts evaluates in the browser, scaling `n` design pixels (drawn for 1920×1080) to the
real viewport, so the same options are legible on a 1080p and on a 4K screen without reflow.

Each builder returns plain ECharts options (JSON-able dicts); `px` values are the placeholder strings
streamlit-echarts (and pyecharts' JsCode) use, so the options also work with `st_echarts` as they are.
"""
from __future__ import annotations

import math

import polars as pl

from .. import theme
from ..kpis import BY_KEY, STATUS_WORD

JS = "--x_x--0_0--"          # streamlit-echarts / pyecharts JsCode placeholder
MAP_NAME = "bigscreen_huangpu"
DISTRICT = "黄埔区"
# Map view: 黄埔区 plus 广州国际生物岛 (in 海珠区's polygon, west of the district).
VIEW = (113.315, 23.015, 113.665, 23.440)      # lon_min, lat_min, lon_max, lat_max
DISTRICT_CP = (113.480541, 23.181706)            # where ECharts puts the region label (the feature's cp)
DISTRICT_LABEL_AT = (113.545, 23.300)

TEXT = theme.SCREEN_TEXT
MUTED = theme.SCREEN_MUTED
ACCENT = theme.SCREEN_ACCENT
GOLD = theme.GOLD
STATUS = {"绿": "#35d08f", "黄": theme.GOLD, "红": "#ff5a4e", None: ACCENT}
GRID_LINE = "rgba(79, 140, 220, 0.16)"
AXIS_LINE = "rgba(120, 170, 235, 0.35)"


def js(expr: str) -> str:
    """A JS expression evaluated in the browser (streamlit-echarts JsCode)."""
    return f"{JS}{expr}{JS}"


def px(n: float) -> str:
    """`n` pixels of the 1920×1080 design, scaled to the viewport (fits 16:9 at any size)."""
    return js(f"Math.round({n}*Math.min(innerWidth/1920,innerHeight/1080)*10)/10")


def is_js(v) -> bool:
    return isinstance(v, str) and v.startswith(JS) and v.endswith(JS)


# One dark theme for every chart on the screen.
THEME = {
    "color": [ACCENT, GOLD, "#2ee6c9", theme.PURPLE, theme.ORANGE, theme.RED, "#7fd6ff", "#a3e635"],
    "backgroundColor": "transparent",
    "textStyle": {"fontFamily": theme.FONT_STACK, "color": TEXT},
    "title": {"textStyle": {"color": TEXT}, "subtextStyle": {"color": MUTED}},
    "legend": {"textStyle": {"color": MUTED}},
    "categoryAxis": {"axisLine": {"lineStyle": {"color": AXIS_LINE}}, "axisTick": {"show": False},
                     "axisLabel": {"color": MUTED}, "splitLine": {"show": False}},
    "valueAxis": {"axisLine": {"show": False}, "axisTick": {"show": False}, "axisLabel": {"color": MUTED},
                  "splitLine": {"lineStyle": {"color": GRID_LINE, "type": "dashed"}}},
    "tooltip": {"backgroundColor": "rgba(5, 20, 48, 0.92)", "borderColor": ACCENT, "textStyle": {"color": TEXT}},
    "gauge": {"title": {"color": MUTED}, "detail": {"color": TEXT}},
}


def gradient(c0: str, c1: str, horizontal: bool = False) -> dict:
    return {"type": "linear", "x": 0, "y": 0, "x2": 1 if horizontal else 0, "y2": 0 if horizontal else 1,
            "colorStops": [{"offset": 0, "color": c0}, {"offset": 1, "color": c1}]}


def _num(v) -> float:
    return 0.0 if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def fmt(key: str, v) -> str:
    """Compact value text for chart labels: '2,668', '58.2%'."""
    if v is None:
        return "—"
    k = BY_KEY[key]
    if k.is_rate:
        return f"{v * 100:.1f}%"
    if k.unit == "天":
        return f"{v:.1f}"
    return f"{int(round(v)):,}"


def short_quarter(label: str) -> str:
    """'2026Q3' → '26Q3'."""
    return label[2:] if len(label) == 6 else label


def _base(**kw) -> dict:
    opts = {"backgroundColor": "transparent", "animationDuration": 900, "animationEasing": "cubicOut",
            "animationDurationUpdate": 600, "textStyle": {"fontFamily": theme.FONT_STACK}}
    opts.update(kw)
    return opts


# --------------------------------------------------------------------------------------------- ranking
def ranking(df: pl.DataFrame, metric: str = "n_enterprises", current_id: str | None = None,
            *, id_col: str = "item_id", name_col: str = "item_name", side_metric: str | None = None,
            side_label: str | None = None) -> dict:
    """Horizontal ranking bars, best at the top. The current item glows gold; the rank badge of the top
    three is gold/amber/blue; a ● after the name shows the worst target status (red/amber)."""
    rows = sorted(df.iter_rows(named=True), key=lambda r: (-_num(r.get(metric)), r[id_col]))
    k = BY_KEY[metric]
    names, data = [], []
    vmax = max([_num(r.get(metric)) for r in rows] + [1e-9])
    for i, r in enumerate(rows):
        cur = r[id_col] == current_id
        badge = ("b1", "b2", "b3")[i] if i < 3 else "bn"
        dot = ""
        if r.get("n_red"):
            dot = " {red|●}"
        elif r.get("n_yellow"):
            dot = " {amber|●}"
        nm = r[name_col]
        names.append(f"{{{badge}|{i + 1}}} {{{'cur' if cur else 'nm'}|{nm}}}{dot}")
        v = _num(r.get(metric)) * (100 if k.is_rate else 1)
        label = fmt(metric, r.get(metric))
        if side_metric and r.get(side_metric) is not None:
            label += f" {{side|{side_label or BY_KEY[side_metric].label} {fmt(side_metric, r.get(side_metric))}}}"
        item = {"value": round(v, 4), "id": r[id_col], "name": nm,
                "label": {"formatter": label},
                "itemStyle": {"color": gradient("rgba(242,193,78,0.25)", GOLD, True) if cur
                              else gradient("rgba(57,197,255,0.12)", ACCENT, True),
                              "borderRadius": [0, px(3), px(3), 0],
                              "shadowBlur": px(14) if cur else 0, "shadowColor": GOLD if cur else "transparent"}}
        data.append(item)
    # room on the right for the longest value label (design px of a ~458 px wide chart)
    longest = max([len(fmt(metric, r.get(metric))) for r in rows] + [1])
    side_w = (34 + 7.5 * max([len(fmt(side_metric, r.get(side_metric))) for r in rows] + [1])) if side_metric else 0
    right = min(40.0, (14 + 9.5 * longest + side_w) / 458 * 100)
    rich_badge = {"width": px(20), "height": px(20), "align": "center", "borderRadius": px(3),
                  "fontSize": px(13), "fontWeight": "bold", "color": "#06122b"}
    return _base(
        grid={"left": "1%", "right": f"{right:.1f}%", "top": "2%", "bottom": "1%",
              "containLabel": True},
        xAxis={"type": "value", "show": False, "max": (vmax * (100 if k.is_rate else 1)) * 1.02},
        yAxis={"type": "category", "inverse": True, "data": names,
               "axisLine": {"show": False}, "axisTick": {"show": False},
               "axisLabel": {"color": TEXT, "fontSize": px(15), "margin": px(10), "rich": {
                   "b1": {**rich_badge, "backgroundColor": GOLD},
                   "b2": {**rich_badge, "backgroundColor": theme.ORANGE},
                   "b3": {**rich_badge, "backgroundColor": ACCENT},
                   "bn": {**rich_badge, "backgroundColor": "rgba(57,197,255,0.18)", "color": MUTED},
                   "nm": {"color": TEXT, "fontSize": px(15), "padding": [0, 0, 0, px(4)]},
                   "cur": {"color": GOLD, "fontSize": px(16), "fontWeight": "bold", "padding": [0, 0, 0, px(4)]},
                   "red": {"color": STATUS["红"], "fontSize": px(13)},
                   "amber": {"color": STATUS["黄"], "fontSize": px(13)},
               }}},
        series=[{"type": "bar", "data": data, "barWidth": "46%", "showBackground": True,
                 "backgroundStyle": {"color": "rgba(57,197,255,0.06)", "borderRadius": px(3)},
                 "label": {"show": True, "position": "right", "color": TEXT, "fontSize": px(15),
                           "fontWeight": "bold", "fontFamily": theme.FONT_STACK,
                           "rich": {"side": {"color": MUTED, "fontSize": px(13), "fontWeight": "normal"}}},
                 "animationDelay": js("function (i) { return i * 40; }")}],
        tooltip={"show": False},
    )


# --------------------------------------------------------------------------------------------- trend
def trend(df: pl.DataFrame, bar: str = "n_enterprises",
          lines: tuple[str, ...] = ("org_coverage_rate", "work_coverage_rate")) -> dict:
    """12-quarter trend of one scope: a count as glowing bars (left axis), rates as smooth lines (right, %)."""
    x = [short_quarter(q) for q in df["quarter_label"].to_list()]
    colors = [GOLD, "#2ee6c9", theme.PURPLE]
    series = [{"name": BY_KEY[bar].label, "type": "bar", "data": [_num(v) for v in df[bar].to_list()],
               "barWidth": "42%", "yAxisIndex": 0,
               "itemStyle": {"color": gradient(ACCENT, "rgba(57,197,255,0.08)"), "borderRadius": [px(3), px(3), 0, 0]}}]
    rates = []
    for i, m in enumerate(lines):
        vals = [None if v is None else round(v * 100, 1) for v in df[m].to_list()]
        rates += [v for v in vals if v is not None]
        c = colors[i % len(colors)]
        series.append({"name": BY_KEY[m].label, "type": "line", "data": vals, "yAxisIndex": 1, "smooth": True,
                       "symbol": "circle", "symbolSize": px(7), "showSymbol": True,
                       "lineStyle": {"width": px(3), "color": c, "shadowBlur": px(10), "shadowColor": c},
                       "itemStyle": {"color": c, "borderColor": "#fff", "borderWidth": px(1)},
                       "areaStyle": {"color": gradient(c.replace(")", ",0.25)") if c.startswith("rgb") else c + "40",
                                                       "rgba(0,0,0,0)")},
                       "endLabel": {"show": True, "formatter": "{c}%", "color": c, "fontSize": px(14),
                                    "fontWeight": "bold"}})
    lo = math.floor(min(rates, default=0) / 10) * 10
    return _base(
        grid={"left": "2%", "right": "11%", "top": "17%", "bottom": "2%", "containLabel": True},
        legend={"top": 0, "right": "2%", "itemWidth": px(16), "itemHeight": px(9), "itemGap": px(14),
                "textStyle": {"color": MUTED, "fontSize": px(13)}},
        xAxis={"type": "category", "data": x,
               "axisLabel": {"fontSize": px(12), "color": MUTED,   # every other quarter, ending on the latest
                             "interval": js(f"function (i) {{ return ({len(x) - 1} - i) % 2 === 0; }}")},
               "axisLine": {"lineStyle": {"color": AXIS_LINE}}},
        yAxis=[{"type": "value", "axisLabel": {"fontSize": px(12), "color": MUTED}, "splitNumber": 3,
                "splitLine": {"lineStyle": {"color": GRID_LINE, "type": "dashed"}}},
               {"type": "value", "min": max(0, lo - 10), "max": 100, "splitNumber": 3,
                "axisLabel": {"show": False}, "splitLine": {"show": False}}],
        series=series, tooltip={"show": False},
    )


# --------------------------------------------------------------------------------------------- map
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


def simplify_geojson(gj: dict, view: tuple[float, float, float, float] = VIEW, margin: float = 0.25,
                     eps: float = 0.0005) -> dict:
    """Keep the districts near the view, simplified (≈50 m, below a pixel at 4K) and rounded: a small map to send to the screen."""
    x0, y0, x1, y1 = view[0] - margin, view[1] - margin, view[2] + margin, view[3] + margin
    feats = []
    for f in gj["features"]:
        g = f["geometry"]
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        pts = [p for poly in polys for ring in poly for p in ring]
        if max(p[0] for p in pts) < x0 or min(p[0] for p in pts) > x1 or \
           max(p[1] for p in pts) < y0 or min(p[1] for p in pts) > y1:
            continue
        new_polys = [[[[round(x, 4), round(y, 4)] for x, y, *_ in _rdp(ring, eps)] for ring in poly]
                     for poly in polys]
        geom = ({"type": "MultiPolygon", "coordinates": new_polys} if g["type"] == "MultiPolygon"
                else {"type": "Polygon", "coordinates": new_polys[0]})
        props = {"name": f["properties"]["name"]}
        if "cp" in f["properties"]:
            props["cp"] = f["properties"]["cp"]
        feats.append({"type": "Feature", "id": f.get("id"), "properties": props, "geometry": geom})
    return {"type": "FeatureCollection", "features": feats}


def _ramp(t: float) -> str:
    """0..1 → red → gold → cyan (bad → good)."""
    stops = [(0.0, (255, 90, 78)), (0.5, (242, 193, 78)), (1.0, (57, 197, 255))]
    t = min(1.0, max(0.0, t))
    for (a, ca), (b, cb) in zip(stops, stops[1:]):
        if t <= b:
            u = (t - a) / (b - a)
            return "#%02x%02x%02x" % tuple(round(ca[i] + (cb[i] - ca[i]) * u) for i in range(3))
    return "#39c5ff"


# The map chart's size in design pixels (48 % of a 1920×1080 screen, inside its panel); used only to place
# the park labels so they do not collide (everything scales together with px()).
MAP_DESIGN = (867.0, 758.0)
_LABEL_H = 44.0


def project(lon: float, lat: float, size: tuple[float, float] = MAP_DESIGN) -> tuple[float, float]:
    """Approximate design-pixel position of a point in `district_map` (geo fitted into 94 % of the chart,
    aspectScale 0.92, as ECharts lays it out)."""
    W, H = size[0] * 0.94, size[1] * 0.94
    dlon, dlat = VIEW[2] - VIEW[0], VIEW[3] - VIEW[1]
    aspect = dlon / dlat * 0.92
    w, h = (H * aspect, H) if W / H > aspect else (W, W / aspect)
    x = size[0] / 2 + (lon - (VIEW[0] + VIEW[2]) / 2) / dlon * w
    y = size[1] / 2 - (lat - (VIEW[1] + VIEW[3]) / 2) / dlat * h
    return x, y


def _overlap(a, b) -> float:
    dx = min(a[2], b[2]) - max(a[0], b[0])
    dy = min(a[3], b[3]) - max(a[1], b[1])
    return dx * dy if dx > 0 and dy > 0 else 0.0


def place_labels(points: list[dict], size: tuple[float, float] = MAP_DESIGN) -> dict[str, tuple[float, float]]:
    """Greedy label placement: for each point (dict id, x, y, r, w; most important first) the candidate
    position (right, left, above, below, diagonals, further out) that overlaps the labels already placed,
    the other points and the chart border least. Returns id → (dx, dy) of the label centre from the point."""
    placed: list[tuple] = []
    circles = [(p["x"] - p["r"], p["y"] - p["r"], p["x"] + p["r"], p["y"] + p["r"]) for p in points]
    out = {}
    for p in points:
        w, h, r, g = p["w"], _LABEL_H, p["r"], 5.0
        cands = [(r + g + w / 2, 0), (-(r + g + w / 2), 0), (0, -(r + g + h / 2)), (0, r + g + h / 2),
                 (r + w / 2, -(r + h / 2)), (r + w / 2, r + h / 2), (-(r + w / 2), -(r + h / 2)),
                 (-(r + w / 2), r + h / 2), (r + g + w / 2 + 30, -30), (-(r + g + w / 2 + 30), -30),
                 (r + g + w / 2 + 30, 30), (-(r + g + w / 2 + 30), 30), (0, -(r + g + h / 2 + 34)),
                 (0, r + g + h / 2 + 34)]
        best, best_score = cands[0], None
        for i, (dx, dy) in enumerate(cands):
            cx, cy = p["x"] + dx, p["y"] + dy
            rect = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            score = sum(_overlap(rect, q) for q in placed) * 3
            score += sum(_overlap(rect, c) for c, q in zip(circles, points) if q is not p)
            out_x = max(0.0, -rect[0]) + max(0.0, rect[2] - size[0])
            out_y = max(0.0, -rect[1]) + max(0.0, rect[3] - size[1])
            score += (out_x * h + out_y * w) * 4 + i * 2          # small preference for the first candidates
            if best_score is None or score < best_score:
                best, best_score = (dx, dy), score
        cx, cy = p["x"] + best[0], p["y"] + best[1]
        placed.append((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))
        out[p["id"]] = best
    return out


def _label_layout(offsets: list) -> str:
    """ECharts labelLayout callback moving each label (by data index) by its design-pixel offset, scaled."""
    table = ",".join(f"[{dx},{dy}]" for dx, dy in offsets)
    return js("function (p) { var o = [" + table + "][p.dataIndex] || [0, 0];"
              " var s = Math.min(innerWidth / 1920, innerHeight / 1080);"
              " return {dx: o[0] * s, dy: o[1] * s}; }")


def district_map(parks: pl.DataFrame, metric: str = "org_coverage_rate", current_id: str | None = None,
                 *, size_metric: str = "n_enterprises", scope_label: str = "全区") -> dict:
    """黄埔区 glowing over faint neighbours (a shadow layer gives depth); each park a glowing point sized by
    `size_metric` and coloured by `metric` (visualMap, low = red, high = cyan); the current park is gold.
    Labels are placed so they do not collide (`place_labels`)."""
    k = BY_KEY[metric]
    vals = [r.get(metric) for r in parks.iter_rows(named=True) if r.get(metric) is not None]
    lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
    if hi - lo < 1e-9:
        lo, hi = lo - 0.05, hi + 0.05
    smax = max([_num(r.get(size_metric)) for r in parks.iter_rows(named=True)] + [1.0])
    points, current, empty = [], [], []
    rows = sorted(parks.iter_rows(named=True),
                  key=lambda r: (r["item_id"] != current_id, -_num(r.get(size_metric)), r["item_id"]))
    geom = []
    for r in rows:
        n = _num(r.get(size_metric))
        size = (10 + 26 * math.sqrt(n / smax) if n else 8) + (10 if r["item_id"] == current_id else 0)
        x, y = project(r["lon"], r["lat"])
        value_text = fmt(metric, r.get(metric))
        tail = f" · {int(n):,} 家"
        big = r["item_id"] == current_id
        wname = len(r["item_name"]) * (17 if big else 14)
        wval = len(value_text) * (9 if big else 8) + len(tail) * 7 + 6
        geom.append({"id": r["item_id"], "x": x, "y": y, "r": size / 2, "w": max(wname, wval) + 14, "size": size,
                     "row": r, "value_text": value_text, "tail": tail, "n": n})
    offsets = place_labels(geom)
    g_size = {g["id"]: g["size"] for g in geom}

    def halo_colour(it) -> str:
        v = it["value"][2]
        return _ramp(0.5 if v is None else ((v / (100 if k.is_rate else 1)) - lo) / (hi - lo))
    for g in geom:
        r, n, size = g["row"], g["n"], g["size"]
        v = r.get(metric)
        dx, dy = offsets[g["id"]]
        item = {"name": r["item_name"], "id": r["item_id"],
                "value": [r["lon"], r["lat"], None if v is None else round(v * (100 if k.is_rate else 1), 2), n],
                "symbolSize": px(round(size, 1)),
                "label": {"formatter": f"{{n|{r['item_name']}}}\n{{v|{g['value_text']}}}{{u|{g['tail']}}}"},
                "_offset": [round(dx, 1), round(dy, 1)]}
        if r["item_id"] == current_id:
            current.append(item)
        elif not n:
            empty.append(item)
        else:
            points.append(item)
    layouts = {}
    for name, lst in (("points", points), ("empty", empty), ("current", current)):
        layouts[name] = _label_layout([it.pop("_offset") for it in lst])
    label = {"show": True, "position": "inside", "align": "center", "verticalAlign": "middle",
             "backgroundColor": "rgba(4,16,40,0.78)",
             "borderColor": "rgba(57,197,255,0.45)", "borderWidth": 1, "borderRadius": px(3),
             "padding": [px(3), px(6)], "lineHeight": px(19),
             "rich": {"n": {"color": TEXT, "fontSize": px(14), "fontWeight": "bold"},
                      "v": {"color": ACCENT, "fontSize": px(14), "fontWeight": "bold"},
                      "u": {"color": MUTED, "fontSize": px(12)}}}
    guide = {"show": True, "smooth": False, "length2": 0,
             "lineStyle": {"color": "rgba(57,197,255,0.55)", "width": px(1)}}
    cur_label = {**label, "borderColor": GOLD, "backgroundColor": "rgba(40,28,4,0.85)",
                 "rich": {**label["rich"], "n": {"color": GOLD, "fontSize": px(17), "fontWeight": "bold"},
                          "v": {"color": GOLD, "fontSize": px(16), "fontWeight": "bold"}}}
    geo_common = {"map": MAP_NAME, "roam": False, "aspectScale": 0.92,
                  "boundingCoords": [[VIEW[0], VIEW[3]], [VIEW[2], VIEW[1]]],
                  "left": "3%", "right": "3%", "top": "3%", "bottom": "3%"}
    # the district's name in the empty middle-north of its polygon (not over the park cluster)
    lx, ly = (a - b for a, b in zip(project(*DISTRICT_LABEL_AT), project(*DISTRICT_CP)))
    region_hp = {"name": DISTRICT,
                 "itemStyle": {"areaColor": {"type": "radial", "x": 0.5, "y": 0.5, "r": 0.8, "colorStops": [
                     {"offset": 0, "color": "rgba(22, 92, 170, 0.85)"}, {"offset": 1, "color": "rgba(9, 40, 92, 0.92)"}]},
                     "borderColor": "#6fd8ff", "borderWidth": px(2.5), "shadowColor": "rgba(57,197,255,0.9)",
                     "shadowBlur": px(24)},
                 "label": {"show": True, "color": "rgba(232,238,247,0.5)", "fontSize": px(24), "fontWeight": "bold",
                           "offset": [px(round(lx, 1)), px(round(ly, 1))]},
                 "emphasis": {"disabled": True}}
    geos = [
        # depth layer: the same map, shifted down and darker
        {**geo_common, "top": "4.6%", "bottom": "1.4%", "silent": True, "z": 1,
         "itemStyle": {"areaColor": "rgba(3,10,26,0.9)", "borderColor": "rgba(57,197,255,0.10)", "borderWidth": 1},
         "regions": [{"name": DISTRICT, "itemStyle": {"areaColor": "#0a2a55", "borderColor": "#1c5fa8",
                                                      "borderWidth": px(2), "shadowColor": "rgba(0,0,0,0.8)",
                                                      "shadowBlur": px(18)}}],
         "label": {"show": False}},
        {**geo_common, "z": 2, "silent": True,
         "itemStyle": {"areaColor": "rgba(13, 33, 68, 0.55)", "borderColor": "rgba(90, 140, 210, 0.35)",
                       "borderWidth": px(1)},
         "label": {"show": True, "color": "rgba(143,179,224,0.38)", "fontSize": px(14)},
         "regions": [region_hp]},
    ]
    # No continuous animation (ripples, flying dots): without a GPU each frame repaints the whole layer, and
    # a command-room PC or TV box would spend a core on it. Glow halos are drawn once; the charts animate
    # when the rotation changes the data.
    halos = [{"name": it["name"], "value": it["value"][:2],
              "symbolSize": px(round(g_size[it["id"]] * 2.1, 1)),
              "itemStyle": {"color": {"type": "radial", "x": 0.5, "y": 0.5, "r": 0.5, "colorStops": [
                  {"offset": 0.35, "color": (GOLD if it in current else halo_colour(it)) + "66"},
                  {"offset": 1, "color": (GOLD if it in current else halo_colour(it)) + "00"}]}}}
             for it in current + points]
    series = [
        {"type": "scatter", "name": "halo", "coordinateSystem": "geo", "geoIndex": 1, "zlevel": 1, "data": halos,
         "silent": True, "label": {"show": False}, "animation": False},
        {"type": "scatter", "name": k.label, "coordinateSystem": "geo", "geoIndex": 1, "zlevel": 2,
         "data": points, "itemStyle": {"shadowBlur": px(12), "shadowColor": "rgba(57,197,255,0.8)",
                                       "borderColor": "rgba(255,255,255,0.85)", "borderWidth": px(1.5)},
         "label": label, "labelLayout": layouts["points"], "labelLine": guide},
        {"type": "scatter", "name": "无企业", "coordinateSystem": "geo", "geoIndex": 1, "zlevel": 2, "data": empty,
         "itemStyle": {"color": "rgba(143,179,224,0.45)"},
         "labelLayout": layouts["empty"], "labelLine": guide,
         "label": {**label, "rich": {**label["rich"], "n": {"color": MUTED, "fontSize": px(13)},
                                     "v": {"color": MUTED, "fontSize": px(12)}}}},
        {"type": "scatter", "name": "当前园区", "coordinateSystem": "geo", "geoIndex": 1, "zlevel": 2,
         "data": current, "itemStyle": {"color": GOLD, "shadowBlur": px(20), "shadowColor": GOLD,
                                        "borderColor": "#fff", "borderWidth": px(2)},
         "label": cur_label, "labelLayout": layouts["current"],
         "labelLine": {**guide, "lineStyle": {"color": GOLD, "width": px(1.2)}}},
    ]
    scale = 100 if k.is_rate else 1
    n_parks = parks.height
    n_chief = int(parks["has_park_chief"].sum()) if "has_park_chief" in parks.columns else None
    n_in = int(sum(_num(v) for v in parks[size_metric].to_list()))
    facts = [("园区", f"{n_parks}", "个"), ("实行园长制", f"{n_chief}" if n_chief is not None else "—", "个"),
             ("园区内企业", f"{n_in:,}", "家")]
    rows = []
    for i, (lab, val, unit) in enumerate(facts):
        y = 14 + i * 38
        rows += [{"type": "text", "z": 101, "zlevel": 2, "x": px(16), "y": px(y + 6), "style": {
                     "text": lab, "fill": MUTED, "fontSize": px(14), "fontFamily": theme.FONT_STACK}},
                 {"type": "text", "z": 101, "zlevel": 2, "x": px(192), "y": px(y), "style": {
                     "text": f"{{v|{val}}}{{u| {unit}}}", "align": "right", "fontFamily": theme.FONT_STACK,
                     "rich": {"v": {"fontSize": px(22), "fontWeight": "bold", "fill": GOLD if i == 2 else ACCENT},
                              "u": {"fontSize": px(13), "fill": MUTED}}}}]
    graphic = [{"type": "group", "right": "3%", "top": "3%", "zlevel": 2, "z": 100, "children": [
        {"type": "rect", "z": 100, "zlevel": 2, "shape": {"x": 0, "y": 0, "width": px(208), "height": px(128), "r": px(3)},
         "style": {"fill": "rgba(6,22,52,0.82)", "stroke": "rgba(57,197,255,0.5)", "lineWidth": 1,
                   "shadowBlur": px(12), "shadowColor": "rgba(57,197,255,0.35)"}},
        *rows]}]
    return _base(
        geo=geos, series=series, tooltip={"show": False}, graphic=graphic,
        visualMap={"type": "continuous", "seriesIndex": 1, "dimension": 2,
                   "min": round(lo * scale, 1), "max": round(hi * scale, 1), "calculable": False,
                   "inRange": {"color": [_ramp(0), _ramp(0.5), _ramp(1)]},
                   "right": "4%", "bottom": "5%", "itemWidth": px(12), "itemHeight": px(130),
                   "text": [f"高 {fmt(metric, hi)}", f"低 {fmt(metric, lo)}"], "textGap": px(8),
                   "textStyle": {"color": MUTED, "fontSize": px(13)}, "precision": 1},
        title={"text": f"{scope_label} · 园区{k.label}", "subtext": "点大小:在营企业数 · 颜色:" + k.label,
               "left": "3%", "top": "2%", "textStyle": {"color": TEXT, "fontSize": px(17), "fontWeight": "bold"},
               "subtextStyle": {"color": MUTED, "fontSize": px(13)}, "itemGap": px(6)},
    )


# --------------------------------------------------------------------------------------------- gauge
def gauge(rate: float | None, target: dict | None = None, stats: list[tuple[str, str, str]] | None = None,
          title: str = "累计办结率") -> dict:
    """Closure-rate gauge on the left (glowing arc, gold marker at the annual target, status under the
    number) and a column of figures (label, value, colour) on the right."""
    v = round(_num(rate) * 100, 1)
    status = target.get("status") if target else None
    color = STATUS.get(status, ACCENT)
    center, radius = ["29%", "54%"], "88%"
    common = {"type": "gauge", "center": center, "startAngle": 215, "endAngle": -35, "min": 0, "max": 100}
    series = [
        {**common, "radius": "100%", "splitNumber": 10,
         "axisLine": {"lineStyle": {"width": px(2), "color": [[1, "rgba(57,197,255,0.35)"]]}},
         "axisTick": {"show": True, "splitNumber": 4, "distance": px(3), "length": px(5),
                      "lineStyle": {"color": "rgba(57,197,255,0.45)", "width": 1}},
         "splitLine": {"distance": px(3), "length": px(10), "lineStyle": {"color": ACCENT, "width": px(2)}},
         "axisLabel": {"show": False}, "pointer": {"show": False}, "detail": {"show": False},
         "title": {"show": False}, "data": [{"value": 0}], "silent": True},
        {**common, "radius": radius,
         "progress": {"show": True, "width": px(15), "roundCap": True,
                      "itemStyle": {"color": gradient("#1b6fd8", color, True), "shadowBlur": px(16),
                                    "shadowColor": color}},
         "axisLine": {"roundCap": True, "lineStyle": {"width": px(15), "color": [[1, "rgba(57,197,255,0.10)"]]}},
         "axisTick": {"show": False}, "splitLine": {"show": False}, "axisLabel": {"show": False},
         "pointer": {"show": False}, "anchor": {"show": False},
         "title": {"show": True, "offsetCenter": [0, "38%"], "color": MUTED, "fontSize": px(14)},
         "detail": {"valueAnimation": True, "offsetCenter": [0, "-2%"], "formatter": "{value}%",
                    "fontSize": px(34), "fontWeight": "bold", "color": TEXT,
                    "textShadowColor": color, "textShadowBlur": px(14)},
         "data": [{"value": v, "name": title}]},
    ]
    if target and target.get("target_value") is not None:
        series.append({**common, "radius": radius, "axisLine": {"show": False}, "axisTick": {"show": False},
                       "splitLine": {"show": False}, "axisLabel": {"show": False}, "progress": {"show": False},
                       "pointer": {"show": True, "icon": "triangle", "length": px(13), "width": px(11),
                                   "offsetCenter": [0, "-112%"], "itemStyle": {"color": GOLD}},
                       "anchor": {"show": False}, "detail": {"show": False}, "title": {"show": False},
                       "data": [{"value": round(target["target_value"] * 100, 1)}], "silent": True})
    graphic = []
    rows = list(stats or [])
    if target and target.get("target_value") is not None:
        rows.insert(0, ("年度目标 · " + STATUS_WORD.get(status, ""), f"{target['target_value'] * 100:.0f}%",
                        color))
    n = max(len(rows), 1)
    for i, (lab, val, c) in enumerate(rows):
        top = 4 + i * 92 / n
        graphic.append({"type": "group", "left": "60%", "top": f"{top:.1f}%", "children": [
            {"type": "rect", "shape": {"x": 0, "y": px(3), "width": px(4), "height": px(34)},
             "style": {"fill": c, "shadowBlur": px(8), "shadowColor": c}},
            {"type": "text", "x": px(12), "y": 0, "style": {
                "text": f"{{v|{val}}}\n{{l|{lab}}}", "fill": c, "fontFamily": theme.FONT_STACK,
                "rich": {"v": {"fontSize": px(21), "fontWeight": "bold", "fill": c, "lineHeight": px(24)},
                         "l": {"fontSize": px(13), "fill": MUTED, "lineHeight": px(17)}}}}]})
    return _base(series=series, graphic=graphic, tooltip={"show": False})
