"""Chart builders of the 诉求办理 / 红联共建 / 企业档案 pages: DataFrame in, plotly Figure out. They never query."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from . import memo
from .. import safe, theme, vocab
from .base import _layout, first_quarter_note, rate_axis

PROGRAM_COLORS = dict(zip(vocab.PROGRAMS, [theme.RED, theme.GOLD, theme.BLUE]))
STAGE_COLORS = [theme.BLUE, theme.TEAL, theme.GREEN]

# metric → (label, unit, is_rate, higher_is_better) for the per-group bars on the 诉求办理 page
APPEAL_METRICS: dict[str, tuple[str, str, bool, bool]] = {
    "resolved_rate": ("办结率(累计)", "%", True, True),
    "avg_resolve_days": ("平均办结天数(本季办结)", "天", False, False),
    "n_overdue": ("超期未办结", "件", False, False),
    "n_received": ("本季收到", "件", False, False),
    "avg_satisfaction": ("满意度(本季办结)", "分", False, True),
}


def _fmt(v, unit: str, is_rate: bool) -> str:
    if v is None:
        return "—"
    if is_rate:
        return f"{v * 100:.1f}%"
    if unit in ("天", "分"):
        return f"{v:.1f} {unit}"
    return f"{int(v):,} {unit}"


def funnel(df: pl.DataFrame, *, height: int = 300) -> go.Figure:
    """收集 → 转办 → 办结: one bar per stage, text = count and share of the collected."""
    d = df.sort("stage_order")
    base = d["n_base"].to_list()[0] if d.height else 0
    text = [f"{n:,} 件" + (f" · {n / base * 100:.1f}%" if base and i else "")
            for i, n in enumerate(d["n"].to_list())]
    fig = go.Figure(go.Funnel(
        y=d["stage"].to_list(), x=d["n"].to_list(), text=text, textinfo="text", textposition="inside",
        textfont=dict(size=16, color="#000000"),   # ≥ 4.5:1 on every step colour
        marker=dict(color=STAGE_COLORS[:d.height]),
        connector=dict(line=dict(color=theme.GREY, width=1)),
        hovertemplate="%{y}:%{x:,} 件<extra></extra>"))
    _layout(fig, height, showlegend=False, yaxis=dict(title=None, tickfont=dict(size=15)))
    return fig


def group_bars(df: pl.DataFrame, metric: str, label_col: str = "label", *, height: int | None = None,
               id_col: str | None = None, top: int | None = None) -> go.Figure:
    """Horizontal bars of one appeal metric per group (handler unit / category / source), worst at the top
    (at most `top` groups)."""
    label, unit, is_rate, higher_better = APPEAL_METRICS[metric]
    d = df.filter(pl.col(metric).is_not_null()).sort(metric, descending=not higher_better)
    if top:
        d = d.head(top)
    d = d.reverse()  # plotly draws the first row at the bottom
    vals = d[metric].to_list()
    color = theme.RED if metric == "n_overdue" else (theme.GOLD if metric == "avg_resolve_days" else theme.BLUE)
    fig = go.Figure(go.Bar(
        x=[v * 100 if is_rate else v for v in vals], y=[safe.plotly_text(v) for v in d[label_col].to_list()], orientation="h",
        marker_color=color, text=[_fmt(v, unit, is_rate) for v in vals], textposition="auto",
        insidetextfont=dict(color="#000000"),      # ≥ 4.5:1 on red, gold and blue (white is 3.9:1 on red)
        cliponaxis=False, customdata=d[id_col].to_list() if id_col else None,
        hovertemplate="%{y}<br>" + label + ":%{text}<extra></extra>"))
    _layout(fig, height or max(220, 28 * d.height + 60), showlegend=False,
            xaxis=rate_axis() if is_rate else dict(title=None, rangemode="tozero"),
            yaxis=dict(title=None, automargin=True))
    return fig


def program_stacked(df: pl.DataFrame, *, height: int = 330) -> go.Figure:
    """红联共建 activities per quarter stacked by 六红 programme; hover shows participants and results."""
    fig = go.Figure()
    for prog in PROGRAM_COLORS:
        d = df.filter(pl.col("program") == prog).sort("quarter_end")
        if d.is_empty():
            continue
        fig.add_trace(go.Bar(
            x=d["quarter_label"].to_list(), y=d["n_activities"].to_list(), name=prog,
            marker_color=PROGRAM_COLORS[prog],
            customdata=list(zip(d["n_participants"].to_list(), d["n_results"].to_list())),
            hovertemplate=prog + " %{x}<br>活动 %{y:,} 次<br>参与 %{customdata[0]:,} 人次<br>"
                                 "成果 %{customdata[1]:,} 项<extra></extra>"))
    tot = df.group_by("quarter_label", "quarter_end").agg(pl.col("n_activities").sum()).sort("quarter_end")
    fig.add_trace(go.Scatter(
        x=tot["quarter_label"].to_list(), y=tot["n_activities"].to_list(), mode="text",
        text=[f"{v:,}" for v in tot["n_activities"].to_list()], textposition="top center",
        showlegend=False, hoverinfo="skip"))
    top = max(tot["n_activities"].to_list() or [0])
    _layout(fig, height, barmode="stack", legend_traceorder="normal", xaxis=dict(title=None, type="category"),
            yaxis=dict(title=None, rangemode="tozero", range=[0, top * 1.15 + 1]))
    return fig


def members_line(df: pl.DataFrame, *, height: int = 260) -> go.Figure:
    """One enterprise over 12 quarters: party members (line) and newly developed members (bars)."""
    x = df["quarter_label"].to_list()
    fig = go.Figure()
    fig.add_trace(go.Bar(x=x, y=df["n_new_members"].to_list(), name="本季发展党员", marker_color=theme.GOLD,
                         yaxis="y2", hovertemplate="%{x} 发展党员 %{y} 人<extra></extra>"))
    fig.add_trace(go.Scatter(x=x, y=df["n_members"].to_list(), name="党员人数", mode="lines+markers",
                             line=dict(color=theme.RED, width=3),
                             hovertemplate="%{x} 党员 %{y} 人<extra></extra>"))
    new_top = max(df["n_new_members"].to_list() or [0])
    _layout(fig, height, xaxis=dict(title=None, type="category"),
            yaxis=dict(title=None, rangemode="tozero"),
            yaxis2=dict(title=None, overlaying="y", side="right", showgrid=False, rangemode="tozero",
                        range=[0, max(3, new_top * 3)], dtick=1 if new_top < 5 else None,
                        tickmode="linear" if new_top < 5 else "auto"))
    return first_quarter_note(fig, len(x))


memo.memoise_builders(globals())
