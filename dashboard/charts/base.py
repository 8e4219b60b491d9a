"""Pure chart builders: DataFrame in, plotly Figure out. They never query."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from .. import theme
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
        x=vals, y=d[name_col].to_list(), orientation="h",
        marker=dict(color=colors,
                    line=dict(width=[3 if i == selected else 0 for i in d[id_col].to_list()], color=theme.GOLD)),
        text=_text(metric, d[metric].to_list()), textposition="auto", cliponaxis=False,
        insidetextfont=dict(color="#000000"),  # ≥ 4.5:1 on the red status bar too
        customdata=d[id_col].to_list(),
        hovertemplate="%{y}<br>" + k.label + ":%{text}<extra>点击查看</extra>"))
    _layout(fig, height or max(260, 30 * d.height + 60),
            xaxis=dict(title=None, ticksuffix="%" if k.is_rate else "", showgrid=True),
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
                x=df[name_col].to_list(), y=[None if v is None else v * 100 for v in vals], name=k.label,
                mode="lines+markers", yaxis="y2", customdata=df[id_col].to_list(),
                line=dict(color=theme.SERIES[i % len(theme.SERIES)], width=3),
                hovertemplate="%{x}<br>" + k.label + ":%{y:.1f}%<extra></extra>"))
        else:
            fig.add_trace(go.Bar(
                x=df[name_col].to_list(), y=vals, name=k.label, customdata=df[id_col].to_list(),
                marker_color=theme.SERIES[i % len(theme.SERIES)],
                hovertemplate="%{x}<br>" + k.label + ":%{y:,}" + k.unit + "<extra></extra>"))
    _layout(fig, height, barmode="group", xaxis=dict(title=None, autotickangles=[0, 30, 60, 90]),
            yaxis=dict(title=None, rangemode="tozero"),
            yaxis2=dict(title=None, overlaying="y", side="right", ticksuffix="%", rangemode="tozero",
                        showgrid=False))
    return fig


def trend(df: pl.DataFrame, metrics: list[str], *, title: str | None = None, height: int = 280,
          bars: list[str] | None = None) -> go.Figure:
    """12-quarter trend: counts as bars or lines, rates (%) on the right axis."""
    bars = bars or []
    x = df["quarter_label"].to_list()
    fig = go.Figure()
    has_rate = False
    for i, m in enumerate(metrics):
        k = BY_KEY[m]
        vals = df[m].to_list()
        color = theme.SERIES[i % len(theme.SERIES)]
        if k.is_rate:
            has_rate = True
            fig.add_trace(go.Scatter(x=x, y=[None if v is None else round(v * 100, 1) for v in vals],
                                     name=k.label, mode="lines+markers", yaxis="y2" if len(metrics) > 1 and any(
                                         not BY_KEY[o].is_rate for o in metrics) else "y",
                                     line=dict(color=color, width=3),
                                     hovertemplate=k.label + " %{x}:%{y:.1f}%<extra></extra>"))
        elif m in bars:
            fig.add_trace(go.Bar(x=x, y=vals, name=k.label, marker_color=color,
                                 hovertemplate=k.label + " %{x}:%{y:,}" + k.unit + "<extra></extra>"))
        else:
            fig.add_trace(go.Scatter(x=x, y=vals, name=k.label, mode="lines+markers",
                                     line=dict(color=color, width=3),
                                     hovertemplate=k.label + " %{x}:%{y:,}" + k.unit + "<extra></extra>"))
    only_rates = all(BY_KEY[m].is_rate for m in metrics)
    _layout(fig, height, title=dict(text=title, font=dict(size=15), y=0.97, yref="container", x=0.01) if title else None,
            xaxis=dict(title=None, type="category"),
            yaxis=dict(title=None, rangemode="tozero", ticksuffix="%" if only_rates else ""),
            yaxis2=dict(overlaying="y", side="right", ticksuffix="%", rangemode="tozero", showgrid=False,
                        visible=has_rate and not only_rates),
            barmode="group")
    return fig
