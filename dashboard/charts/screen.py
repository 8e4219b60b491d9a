"""Large-screen (大屏) chart builders: DataFrame in, ECharts option dict out. They never query.

All charts share one dark theme (`THEME`, passed to streamlit-echarts) and the large-screen palette of
`dashboard.theme`. Sizes (fonts, line widths, symbol sizes) are written with `px(n)`: a JS expression
that streamlit-echarts evaluates in the browser, scaling `n` design pixels (drawn for 1920×1080) to the
real viewport, so the same options are legible on a 1080p and on a 4K screen without reflow.

Each builder returns plain ECharts options (JSON-able dicts); `px` values are the placeholder strings
streamlit-echarts (and pyecharts' JsCode) use, so the options also work with `st_echarts` as they are.
"""
from __future__ import annotations

import json
import math

import polars as pl

from .. import theme
from . import geo
from ..kpis import BY_KEY, STATUS_WORD

JS = "--x_x--0_0--"          # streamlit-echarts / pyecharts JsCode placeholder

TEXT = theme.SCREEN_TEXT
MUTED = theme.SCREEN_MUTED
ACCENT = theme.SCREEN_ACCENT
GOLD = theme.GOLD
STATUS = {**theme.STATUS_COLOR, None: ACCENT}       # 正常/关注/滞后: the product's colours
FONT = 18                    # the smallest text on the screen, in design pixels (18 px at 1080p, 36 px at 4K)
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
    # room on the right for the longest value label (design px of a ~480 px wide chart, bold 18 px digits)
    longest = max([len(fmt(metric, r.get(metric))) for r in rows] + [1])
    side_w = (40 + 10.5 * max([len(fmt(side_metric, r.get(side_metric))) for r in rows] + [1])) if side_metric else 0
    right = min(45.0, (16 + 11 * longest + side_w) / 480 * 100)
    rich_badge = {"width": px(24), "height": px(24), "lineHeight": px(24), "align": "center", "borderRadius": px(3),
                  "fontSize": px(FONT), "fontWeight": "bold", "color": "#06122b"}
    return _base(
        grid={"left": "1%", "right": f"{right:.1f}%", "top": "1%", "bottom": "1%",
              "containLabel": True},
        xAxis={"type": "value", "show": False, "max": (vmax * (100 if k.is_rate else 1)) * 1.02},
        yAxis={"type": "category", "inverse": True, "data": names,
               "axisLine": {"show": False}, "axisTick": {"show": False},
               "axisLabel": {"color": TEXT, "fontSize": px(FONT), "margin": px(10), "rich": {
                   "b1": {**rich_badge, "backgroundColor": GOLD},
                   "b2": {**rich_badge, "backgroundColor": theme.ORANGE},
                   "b3": {**rich_badge, "backgroundColor": ACCENT},
                   "bn": {**rich_badge, "backgroundColor": "rgba(57,197,255,0.18)", "color": MUTED},
                   "nm": {"color": TEXT, "fontSize": px(FONT), "padding": [0, 0, 0, px(4)]},
                   "cur": {"color": GOLD, "fontSize": px(FONT + 1), "fontWeight": "bold", "padding": [0, 0, 0, px(4)]},
                   "red": {"color": STATUS["红"], "fontSize": px(FONT)},
                   "amber": {"color": STATUS["黄"], "fontSize": px(FONT)},
               }}},
        series=[{"type": "bar", "data": data, "barWidth": "52%", "showBackground": True,
                 "backgroundStyle": {"color": "rgba(57,197,255,0.06)", "borderRadius": px(3)},
                 "label": {"show": True, "position": "right", "color": TEXT, "fontSize": px(FONT),
                           "fontWeight": "bold", "fontFamily": theme.FONT_STACK,
                           "rich": {"side": {"color": MUTED, "fontSize": px(FONT), "fontWeight": "normal"}}},
                 "animationDelay": js("function (i) { return i * 40; }")}],
        tooltip={"show": False},
    )


# --------------------------------------------------------------------------------------------- trend
def rate_axis(rates: list[float]) -> tuple[int, int, int]:
    """(min, max, interval) of a percent axis ending at 100 with round ticks (…/60/80/100 or …/90/100)
    that holds every value: 0/20/40/60/80/100, never 40.1 %."""
    lo = min(rates, default=0.0)
    step = 10 if lo >= 60 else 20
    return max(0, 100 - step * math.ceil((100 - lo) / step - 1e-9)), 100, step


def _wan() -> str:
    """A JS axis-label formatter: 50000 → '5万', 2500 → '2,500'."""
    return js("function (v) { return v >= 10000 ? (Math.round(v / 1000) / 10) + '万' : v.toLocaleString('en-US'); }")


def trend(df: pl.DataFrame, bar: str = "n_enterprises",
          lines: tuple[str, ...] = ("org_coverage_rate", "work_coverage_rate")) -> dict:
    """12-quarter trend of one scope: a count as glowing bars on the left axis, rates as smooth lines on
    their own right axis (0–100 %, round ticks); the legend carries each series' latest value."""
    x = [short_quarter(q) for q in df["quarter_label"].to_list()]
    colors = [GOLD, "#2ee6c9", theme.PURPLE]
    counts = [_num(v) for v in df[bar].to_list()]
    series = [{"name": BY_KEY[bar].label, "type": "bar", "data": counts,
               "barWidth": "42%", "yAxisIndex": 0,
               "itemStyle": {"color": gradient(ACCENT, "rgba(57,197,255,0.08)"), "borderRadius": [px(3), px(3), 0, 0]}}]
    latest = {BY_KEY[bar].label: f"{int(counts[-1]):,}" if counts else "—"}
    rates = []
    for i, m in enumerate(lines):
        vals = [None if v is None else round(v * 100, 1) for v in df[m].to_list()]
        rates += [v for v in vals if v is not None]
        c = colors[i % len(colors)]
        last = next((v for v in reversed(vals) if v is not None), None)
        latest[BY_KEY[m].label] = "—" if last is None else f"{last:.1f}%"
        series.append({"name": BY_KEY[m].label, "type": "line", "data": vals, "yAxisIndex": 1, "smooth": True,
                       "symbol": "circle", "symbolSize": px(7), "showSymbol": True,
                       "lineStyle": {"width": px(3), "color": c, "shadowBlur": px(10), "shadowColor": c},
                       "itemStyle": {"color": c, "borderColor": "#fff", "borderWidth": px(1)},
                       "areaStyle": {"color": gradient(c + "40", "rgba(0,0,0,0)")}})
    r_min, r_max, r_step = rate_axis(rates)
    table = ", ".join(f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(v)}" for k, v in latest.items())
    return _base(
        grid={"left": "1%", "right": "1%", "top": px(40), "bottom": "2%", "containLabel": True},
        legend={"top": 0, "left": "center", "itemWidth": px(16), "itemHeight": px(10), "itemGap": px(14),
                "textStyle": {"color": TEXT, "fontSize": px(FONT)},
                "formatter": js("function (n) { var v = {" + table + "}[n]; return v ? n + ' ' + v : n; }")},
        xAxis={"type": "category", "data": x,
               "axisLabel": {"fontSize": px(FONT), "color": MUTED,   # every other quarter, ending on the latest
                             "interval": js(f"function (i) {{ return ({len(x) - 1} - i) % 2 === 0; }}")},
               "axisLine": {"lineStyle": {"color": AXIS_LINE}}},
        yAxis=[{"type": "value", "name": "家", "nameTextStyle": {"color": MUTED, "fontSize": px(FONT), "align": "right"},
                "axisLabel": {"fontSize": px(FONT), "color": MUTED, "formatter": _wan()}, "splitNumber": 3,
                "splitLine": {"lineStyle": {"color": GRID_LINE, "type": "dashed"}}},
               {"type": "value", "name": "%", "nameTextStyle": {"color": MUTED, "fontSize": px(FONT), "align": "left"},
                "min": r_min, "max": r_max, "interval": r_step,
                "axisLabel": {"fontSize": px(FONT), "color": MUTED, "formatter": "{value}%"},
                "splitLine": {"show": False}}],
        series=series, tooltip={"show": False},
    )


# --------------------------------------------------------------------------------------------- map
# The map chart's size in design pixels (48 % of a 1920×1080 screen, inside its panel): what the park labels
# are placed for (everything scales together with px()).
MAP_DESIGN = (867.0, 700.0)


def district_map(parks: pl.DataFrame, metric: str = "org_coverage_rate", current_id: str | None = None,
                 *, statuses: dict[str, str] | None = None, size_metric: str = "n_enterprises",
                 scope_label: str = "全区") -> dict:
    """The big screen's map: the one district map of `charts.geo` (same simplification, labels and colour
    rule as the park page, dark theme, 18-px design text scaled with px()), no tooltips and no continuous
    animation (a TV box without a GPU would repaint the layer every frame), with a box of facts on the right.
    `parks`: bigscreen/parks rows (item_id, item_name, lon, lat, the metric); `statuses`: park_id → that
    park's target status for the metric (the district frame; a chain × park value has no target)."""
    k = BY_KEY[metric]
    df = parks.rename({"item_id": "park_id", "item_name": "park_name"})
    o = geo.map_options(df, metric, selected=current_id, dark=True, statuses=statuses, map_name=geo.MAP_NAME,
                        width_px=MAP_DESIGN[0], height_px=MAP_DESIGN[1], font=FONT, scale=px, ripple=False,
                        size_metric=size_metric,
                        tooltips=False, title=f"{scope_label} · 园区{k.label}",
                        subtitle="点大小:在营企业数 · 颜色:" + ("各园区年度目标进度" if statuses else k.label))
    n_parks = parks.height
    n_chief = int(parks["has_park_chief"].sum()) if "has_park_chief" in parks.columns else None
    n_in = int(sum(_num(v) for v in parks[size_metric].to_list()))
    facts = [("园区", f"{n_parks}", "个"), ("实行园长制", f"{n_chief}" if n_chief is not None else "—", "个"),
             ("园区内企业", f"{n_in:,}", "家")]
    rows = []
    for i, (lab, val, unit) in enumerate(facts):
        y = 12 + i * 36
        rows += [{"type": "text", "x": px(14), "y": px(y + 4), "style": {
                     "text": lab, "fill": MUTED, "fontSize": px(FONT), "fontFamily": theme.FONT_STACK}},
                 {"type": "text", "x": px(244), "y": px(y), "style": {
                     "text": f"{{v|{val}}}{{u| {unit}}}", "align": "right", "fontFamily": theme.FONT_STACK,
                     "rich": {"v": {"fontSize": px(24), "fontWeight": "bold", "fill": GOLD if i == 2 else ACCENT},
                              "u": {"fontSize": px(FONT), "fill": MUTED}}}}]
    o["graphic"].append({"type": "group", "right": px(8), "top": px(8), "z": 100, "children": [
        {"type": "rect", "shape": {"x": 0, "y": 0, "width": px(256), "height": px(122), "r": px(3)},
         "style": {"fill": "rgba(6,22,52,0.82)", "stroke": "rgba(57,197,255,0.5)", "lineWidth": 1}},
        *rows]})
    return _base(**o)


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
         "title": {"show": True, "offsetCenter": [0, "40%"], "color": MUTED, "fontSize": px(FONT)},
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
                "rich": {"v": {"fontSize": px(24), "fontWeight": "bold", "fill": c, "lineHeight": px(26)},
                         "l": {"fontSize": px(FONT), "fill": MUTED, "lineHeight": px(21)}}}}]})
    return _base(series=series, graphic=graphic, tooltip={"show": False})
