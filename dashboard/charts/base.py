"""Pure chart builders: DataFrame in, plotly Figure out. They never query."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from . import memo
from .. import safe, theme
from ..kpis import BY_KEY, fmt_value


def _layout(fig: go.Figure, height: int, **kw) -> go.Figure:
    fig.update_layout(
        height=height, margin=dict(l=8, r=16, t=72 if kw.get("title") else 36, b=8),
        font=dict(family=theme.FONT_STACK, size=13),
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        hoverlabel=dict(font_family=theme.FONT_STACK), **kw)
    return fig


def _text(key: str, values) -> list[str]:
    return [fmt_value(key, v) for v in values]


RATE_TICKS = [0, 20, 40, 60, 80, 100]
SCALE_GAP = 5          # counts whose peaks differ more than this many times do not share an axis
FIRST_QUARTER_NOTE = "仅有 1 个季度的数据(数据首季),尚无历史趋势"


def rate_axis(**kw) -> dict:
    """A 0–100 % axis ticked at 0/20/40/60/80/100 % (a little head-room so a 100 % marker is not cut)."""
    return dict(title=None, range=[0, 104], tickmode="array", tickvals=RATE_TICKS,
                ticktext=[f"{t}%" for t in RATE_TICKS], **kw)


def count_axes(peaks: dict[str, float]) -> dict[str, str]:
    """metric → 'y' or 'y2' for count series: like with like — a series whose peak is more than SCALE_GAP times
    smaller than the largest one goes to the right axis (小巨人 is not flattened on an enterprise-count axis)."""
    top = max([v for v in peaks.values() if v] or [0])
    axis = {m: ("y2" if top and (v or 0) * SCALE_GAP < top else "y") for m, v in peaks.items()}
    return axis if "y" in axis.values() else {m: "y" for m in peaks}


def first_quarter_note(fig: go.Figure, n_quarters: int) -> go.Figure:
    """A trend over a single quarter says so instead of drawing lone dots without comment."""
    if n_quarters == 1:
        fig.add_annotation(text=FIRST_QUARTER_NOTE, xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
                           font=dict(size=14, color=theme.GREY), name="first_quarter_note")
    return fig


def ranking_bar(df: pl.DataFrame, metric: str, id_col: str, name_col: str, *,
                status_col: str | None = None, height: int | None = None,
                selected: str | None = None) -> go.Figure:
    """Horizontal bars, best at the top; colour by target status; customdata = id for drill-down."""
    d = df.sort(metric, descending=False, nulls_last=False)
    colors = []
    for row in d.iter_rows(named=True):
        st_ = None
        if status_col and row.get("n_red"):
            st_ = "红"
        elif status_col and row.get("n_yellow"):
            st_ = "黄"
        c = theme.GREY if row[id_col] == "-" else theme.STATUS_COLOR[st_]
        colors.append(c)
    k = BY_KEY[metric]
    vals = [v * 100 if k.is_rate and v is not None else v for v in d[metric].to_list()]
    fig = go.Figure(go.Bar(
        x=vals, y=[safe.plotly_text(v) for v in d[name_col].to_list()], orientation="h",
        marker=dict(color=colors,
                    line=dict(width=[3 if i == selected else 0 for i in d[id_col].to_list()], color=theme.GOLD)),
        text=_text(metric, d[metric].to_list()), textposition="auto", cliponaxis=False,
        insidetextfont=dict(color="#000000"),  # ≥ 4.5:1 on the red status bar too
        customdata=d[id_col].to_list(),
        hovertemplate="%{y}<br>" + k.label + ":%{text}<extra>点击查看</extra>"))
    _layout(fig, height or max(260, 30 * d.height + 60),
            xaxis=rate_axis(showgrid=True) if k.is_rate else dict(title=None, showgrid=True),
            yaxis=dict(title=None, automargin=True), showlegend=False, clickmode="event+select")
    return fig


def column_bar(df: pl.DataFrame, metrics: list[str], id_col: str, name_col: str, *,
               height: int = 340) -> go.Figure:
    """Grouped vertical bars of one or more metrics per item (rates on a second axis)."""
    fig = go.Figure()
    for i, m in enumerate(metrics):
        k = BY_KEY[m]
        vals = df[m].to_list()
        if k.is_rate:
            fig.add_trace(go.Scatter(
                x=[safe.plotly_text(v) for v in df[name_col].to_list()], y=[None if v is None else v * 100 for v in vals], name=k.label,
                mode="lines+markers", yaxis="y2", customdata=df[id_col].to_list(),
                line=dict(color=theme.SERIES[i % len(theme.SERIES)], width=3),
                hovertemplate="%{x}<br>" + k.label + ":%{y:.1f}%<extra></extra>"))
        else:
            fig.add_trace(go.Bar(
                x=[safe.plotly_text(v) for v in df[name_col].to_list()], y=vals, name=k.label, customdata=df[id_col].to_list(),
                marker_color=theme.SERIES[i % len(theme.SERIES)],
                hovertemplate="%{x}<br>" + k.label + ":%{y:,}" + k.unit + "<extra></extra>"))
    _layout(fig, height, barmode="group", xaxis=dict(title=None, autotickangles=[0, 30, 60, 90]),
            yaxis=dict(title=None, rangemode="tozero"),
            yaxis2=rate_axis(overlaying="y", side="right", showgrid=False))
    return fig


def trend(df: pl.DataFrame, metrics: list[str], *, title: str | None = None, height: int = 280,
          bars: list[str] | None = None) -> go.Figure:
    """12-quarter trend: counts as bars or lines, rates (%) on a 0–100 % axis (the right one beside counts);
    counts of very different size on two axes (like with like, the legend says which); a single quarter
    says it has no history."""
    bars = bars or []
    x = df["quarter_label"].to_list()
    rates = [m for m in metrics if BY_KEY[m].is_rate]
    counts = [m for m in metrics if not BY_KEY[m].is_rate]
    if counts:
        units = list(dict.fromkeys(BY_KEY[m].unit for m in counts))
        if len(units) > 1:              # 人 and 对 are not counted on one axis
            axis = {m: "y" if BY_KEY[m].unit == units[0] else "y2" for m in counts}
        else:
            axis = count_axes({m: max([v for v in df[m].to_list() if v is not None] or [0]) for m in counts})
        if rates:                       # rates take the right axis; counts share the left one
            axis = {m: "y" for m in counts} | {m: "y2" for m in rates}
    else:
        axis = {m: "y" for m in rates}
    two = "y2" in axis.values()
    one = len(x) == 1
    fig = go.Figure()
    for i, m in enumerate(metrics):
        k = BY_KEY[m]
        vals = df[m].to_list()
        color = theme.SERIES[i % len(theme.SERIES)]
        name = k.label + (("(右轴)" if axis[m] == "y2" else "(左轴)") if two else "")
        if k.is_rate:
            ys = [None if v is None else round(v * 100, 1) for v in vals]
            fig.add_trace(go.Scatter(x=x, y=ys, name=name, mode="lines+markers" + ("+text" if one else ""),
                                     yaxis=axis[m], line=dict(color=color, width=3),
                                     text=[fmt_value(k, v) for v in vals] if one else None, textposition="top center",
                                     hovertemplate=k.label + " %{x}:%{y:.1f}%<extra></extra>"))
        elif m in bars:
            fig.add_trace(go.Bar(x=x, y=vals, name=name, marker_color=color, yaxis=axis[m],
                                 hovertemplate=k.label + " %{x}:%{y:,}" + k.unit + "<extra></extra>"))
        else:
            fig.add_trace(go.Scatter(x=x, y=vals, name=name, mode="lines+markers" + ("+text" if one else ""),
                                     yaxis=axis[m], line=dict(color=color, width=3),
                                     text=[fmt_value(k, v) for v in vals] if one else None, textposition="top center",
                                     hovertemplate=k.label + " %{x}:%{y:,}" + k.unit + "<extra></extra>"))
    left_rate = any(BY_KEY[m].is_rate for m in metrics if axis[m] == "y")
    right_rate = any(BY_KEY[m].is_rate for m in metrics if axis[m] == "y2")
    _layout(fig, height, title=dict(text=title, font=dict(size=15), y=0.97, yref="container", x=0.01) if title else None,
            xaxis=dict(title=None, type="category"),
            yaxis=rate_axis() if left_rate else dict(title=None, rangemode="tozero"),
            yaxis2=(rate_axis(overlaying="y", side="right", showgrid=False, visible=two) if right_rate else
                    dict(title=None, overlaying="y", side="right", rangemode="tozero", showgrid=False, visible=two,
                         tickmode="auto", tickformat=",d")),   # its own round ticks (not synced to the left grid)
            barmode="group")
    return first_quarter_note(fig, len(x))


memo.memoise_builders(globals())
