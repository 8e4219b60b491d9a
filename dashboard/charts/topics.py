"""Chart builders of the 企业培育 / 两个覆盖 / 第一书记 pages: DataFrame in, plotly Figure out. They never query."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from . import memo
from .. import labels as L
from .. import safe, theme, vocab
from .base import _layout, first_quarter_note, rate_axis

# 梯度培育: the ladder (bottom → top) and the honours held alongside it
LADDER = list(vocab.HONOR_LADDER)
PARALLEL = list(vocab.HONOR_PARALLEL)
HONOR_LABEL = {"小巨人": "专精特新“小巨人”", "单项冠军": "单项冠军", "省级专精特新": "省级专精特新",
               "创新型中小企业": "创新型中小企业", "两高四新": "两高四新", "高新技术企业": "高新技术企业"}
LADDER_COLORS = ["#7cb8f0", theme.BLUE, theme.GOLD, theme.RED]

RATE_METRICS = {m: L.label(m) for m in ("org_coverage_rate", "own_org_rate", "work_coverage_rate")}
RATE_COLORS = {"org_coverage_rate": theme.BLUE, "own_org_rate": theme.GOLD, "work_coverage_rate": theme.TEAL}

# 两个覆盖: how work coverage is reached (ord 1…6 of coverage/reach)
REACH_COLORS = {1: theme.RED, 2: theme.ORANGE, 3: theme.PURPLE, 4: theme.BLUE, 5: theme.TEAL, 6: theme.GREY}

OUTCOME_KINDS = list(vocab.OUTCOME_KINDS)
OUTCOME_COLORS = dict(zip(OUTCOME_KINDS, [theme.RED, theme.BLUE, theme.GOLD, theme.TEAL, theme.PURPLE, theme.ORANGE]))
UNIT_TYPE_COLORS = dict(zip(vocab.UNIT_TYPES, [theme.BLUE, theme.RED, theme.TEAL, theme.GOLD, theme.GREY]))

_NO_BAR = dict(displayModeBar=False)
CONFIG = _NO_BAR  # plotly config the pages pass to st.plotly_chart


def honor_ladder(df: pl.DataFrame, *, height: int = 360) -> go.Figure:
    """梯度培育阶梯: 创新型中小企业 → 省级专精特新 → 小巨人 → 单项冠军 as a funnel (top of the ladder at the
    bottom of the funnel), each step with its count and its share of the step below.

    `df` has columns honor, n_valid (any order; other honours are ignored)."""
    vals = {r["honor"]: int(r["n_valid"] or 0) for r in df.iter_rows(named=True)}
    steps = [h for h in LADDER]
    xs = [vals.get(h, 0) for h in steps]
    text = []
    for i, (h, n) in enumerate(zip(steps, xs)):
        t = f"{n:,} 家"
        if i and xs[i - 1]:
            t += f"<br>为上一梯度的 {n / xs[i - 1] * 100:.1f}%"
        text.append(t)
    top = max(xs + [1])
    # wide steps carry their label inside, narrow ones beside the bar (nothing is clipped at the edge)
    inside = [x >= 0.45 * top for x in xs]
    fig = go.Figure(go.Funnel(
        y=[HONOR_LABEL[h] for h in steps], x=xs, text=text, textinfo="text",
        textposition=["inside" if i else "outside" for i in inside],
        textfont=dict(size=15), outsidetextfont=dict(size=15),   # outside: the theme's text colour (both themes)
        insidetextfont=dict(size=15, color="#0b1a33"), marker=dict(color=LADDER_COLORS),
        connector=dict(line=dict(color=theme.GREY, width=1), fillcolor="rgba(138,155,181,0.15)"),
        hovertemplate="%{y}:%{x:,} 家<extra></extra>", cliponaxis=False))
    _layout(fig, height, showlegend=False, yaxis=dict(title=None, tickfont=dict(size=15), automargin=True))
    fig.update_layout(margin=dict(l=8, r=24, t=16, b=8))
    return fig


def parallel_honors(df: pl.DataFrame, *, height: int = 150) -> go.Figure:
    """两高四新 and 高新技术企业 (held alongside the ladder) as two horizontal bars."""
    vals = {r["honor"]: int(r["n_valid"] or 0) for r in df.iter_rows(named=True)}
    hs = list(reversed(PARALLEL))
    xs = [vals.get(h, 0) for h in hs]
    fig = go.Figure(go.Bar(
        x=xs, y=[HONOR_LABEL[h] for h in hs], orientation="h", marker_color=[theme.PURPLE, theme.TEAL],
        text=[f"{x:,} 家" for x in xs], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}:%{x:,} 家<extra></extra>"))
    _layout(fig, height, showlegend=False,
            xaxis=dict(title=None, visible=False, range=[0, max(xs + [1]) * 1.25]),
            yaxis=dict(title=None, tickfont=dict(size=14), automargin=True))
    fig.update_layout(margin=dict(l=8, r=60, t=8, b=8))
    return fig


def batch_bars(df: pl.DataFrame, *, height: int = 320) -> go.Figure:
    """认定批次: awards per batch (bar) and how many of them are still valid (overlay), oldest batch first.

    `df`: rows of one honour from cultivation/by_batch (batch, first_awarded_on, n_awards, n_valid)."""
    d = df.sort("first_awarded_on", "batch")
    x = [safe.plotly_text(b) for b in d["batch"].to_list()]     # batch names are imported text
    fig = go.Figure()
    fig.add_trace(go.Bar(x=x, y=d["n_awards"].to_list(), name="认定数", marker_color=theme.BLUE,
                         text=d["n_awards"].to_list(), textposition="outside", cliponaxis=False,
                         hovertemplate="%{x}<br>认定数:%{y:,} 家<extra></extra>"))
    fig.add_trace(go.Bar(x=x, y=d["n_valid"].to_list(), name="季末仍有效", marker_color=theme.GOLD,
                         hovertemplate="%{x}<br>季末仍有效:%{y:,} 家<extra></extra>"))
    ymax = max(d["n_awards"].to_list() + [1])
    _layout(fig, height, barmode="group", xaxis=dict(title=None, tickangle=-30, type="category"),
            yaxis=dict(title=None, rangemode="tozero", range=[0, ymax * 1.2], dtick=1 if ymax < 8 else None))
    return fig


def rate_bars(df: pl.DataFrame, id_col: str, name_col: str, *, selected: str | None = None,
              height: int | None = None) -> go.Figure:
    """组织覆盖率 / 单独组建率 / 工作覆盖率 per chain or park as grouped horizontal bars (best work coverage at
    the top); `customdata` = id so a click drills down."""
    d = df.sort("work_coverage_rate", descending=False, nulls_last=False)
    names = [safe.plotly_text(("● " if i == selected else "") + n) for i, n in zip(d[id_col].to_list(), d[name_col].to_list())]
    fig = go.Figure()
    for m, label in RATE_METRICS.items():
        vals = [None if v is None else v * 100 for v in d[m].to_list()]
        fig.add_trace(go.Bar(
            x=vals, y=names, orientation="h", name=label, marker_color=RATE_COLORS[m],
            customdata=d[id_col].to_list(),
            text=[("—" if v is None else f"{v:.1f}%") for v in vals], textposition="outside", cliponaxis=False,
            textfont=dict(size=11),
            hovertemplate="%{y}<br>" + label + ":%{x:.1f}%<extra>点击查看该范围</extra>"))
    _layout(fig, height or max(320, 58 * d.height + 70), barmode="group", bargap=0.25,
            xaxis=rate_axis(showgrid=True) | dict(range=[0, 112]),   # room for the value labels
            yaxis=dict(title=None, automargin=True, tickfont=dict(size=13)), clickmode="event+select")
    return fig


def reach_bars(df: pl.DataFrame, *, height: int = 330) -> go.Figure:
    """工作覆盖的实现途径: base enterprises by the (mutually exclusive) way they are reached, with the number of
    them that also have a union or youth-league organisation. `df` is coverage/reach."""
    d = df.sort("ord", descending=True)
    total = sum(d["n"].to_list()) or 1
    ys = d["way"].to_list()
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=d["n"].to_list(), y=ys, orientation="h", name="企业数",
        marker_color=[REACH_COLORS[o] for o in d["ord"].to_list()],
        text=[f"{n:,} 家 · " + (f"{n / total * 100:.1f}%" if n == 0 or n / total >= 0.001 else "<0.1%")
              for n in d["n"].to_list()], textposition="outside",
        cliponaxis=False, hovertemplate="%{y}:%{x:,} 家<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=d["n_union_or_youth"].to_list(), y=ys, mode="markers", name="其中有工会或共青团组织",
        marker=dict(symbol="line-ns-open", size=22, line=dict(width=3, color=theme.GREY)),
        hovertemplate="%{y}<br>其中有工会或共青团:%{x:,} 家<extra></extra>"))
    _layout(fig, height, xaxis=dict(title=None, range=[0, max(d["n"].to_list() + [1]) * 1.35], showgrid=True),
            yaxis=dict(title=None, automargin=True, tickfont=dict(size=13)))
    return fig


def stacked_outcomes(df: pl.DataFrame, *, height: int = 360) -> go.Figure:
    """第一书记成效 per quarter stacked by kind (sum of n). `df` is secretary/outcomes_trend."""
    fig = go.Figure()
    quarters = df.select("quarter_end", "quarter_label").unique().sort("quarter_end")["quarter_label"].to_list()
    for kind in OUTCOME_KINDS:
        d = df.filter(pl.col("kind") == kind).sort("quarter_end")
        fig.add_trace(go.Bar(x=d["quarter_label"].to_list(), y=d["n"].to_list(), name=kind,
                             marker_color=OUTCOME_COLORS[kind],
                             hovertemplate=kind + " %{x}:%{y:,} 项<extra></extra>"))
    totals = df.group_by("quarter_end", "quarter_label").agg(pl.col("n").sum()).sort("quarter_end")
    fig.add_trace(go.Scatter(x=totals["quarter_label"].to_list(), y=totals["n"].to_list(), mode="text",
                             text=[f"{v:,}" for v in totals["n"].to_list()], textposition="top center",
                             showlegend=False, hoverinfo="skip", textfont=dict(size=12)))
    ymax = max(totals["n"].to_list() + [1])
    _layout(fig, height, barmode="stack", xaxis=dict(title=None, type="category", categoryorder="array",
                                                     categoryarray=quarters),
            yaxis=dict(title=None, rangemode="tozero", range=[0, ymax * 1.15]))
    fig.update_layout(legend_traceorder="normal")
    return fig


def unit_type_bars(df: pl.DataFrame, *, height: int = 300) -> go.Figure:
    """在岗第一书记按派出单位类型: people (bar), with source units and served enterprises in the label."""
    d = df.sort("ord")
    fig = go.Figure(go.Bar(
        x=d["unit_type"].to_list(), y=d["n_secretaries"].to_list(),
        marker_color=[UNIT_TYPE_COLORS.get(t, theme.GREY) for t in d["unit_type"].to_list()],
        text=[f"{n} 人" for n in d["n_secretaries"].to_list()], textposition="outside", cliponaxis=False,
        textfont=dict(size=15),
        customdata=list(zip(d["n_units"].to_list(), d["n_enterprises"].to_list())),
        hovertemplate="%{x}:%{y} 人<br>派出单位 %{customdata[0]} 个 · 服务企业 %{customdata[1]} 家<extra></extra>"))
    ymax = max(d["n_secretaries"].to_list() + [1])
    _layout(fig, height, showlegend=False, xaxis=dict(title=None, tickfont=dict(size=14)),
            yaxis=dict(title=None, rangemode="tozero", range=[0, ymax * 1.2]))
    return fig


def chain_secretary_bars(df: pl.DataFrame, *, selected: str | None = None, height: int | None = None) -> go.Figure:
    """在岗第一书记 per chain (horizontal, most at the top), label with served enterprises; customdata = chain_id."""
    d = df.sort("n_secretaries", "chain_id", descending=[False, True])
    names = [safe.plotly_text(("● " if i == selected else "") + n)
             for i, n in zip(d["chain_id"].to_list(), d["chain_name"].to_list())]
    fig = go.Figure(go.Bar(
        x=d["n_secretaries"].to_list(), y=names, orientation="h", marker_color=theme.RED,
        marker_line=dict(width=[3 if i == selected else 0 for i in d["chain_id"].to_list()], color=theme.GOLD),
        customdata=d["chain_id"].to_list(),
        text=[f"{n} 人 · {e} 家企业" for n, e in zip(d["n_secretaries"].to_list(), d["n_enterprises"].to_list())],
        textposition="outside", cliponaxis=False,
        hovertemplate="%{y}:%{x} 人<extra>点击查看该链</extra>"))
    xmax = max(d["n_secretaries"].to_list() + [1])
    _layout(fig, height or max(300, 28 * d.height + 60), showlegend=False, clickmode="event+select",
            xaxis=dict(title=None, range=[0, xmax * 1.45], showgrid=True),
            yaxis=dict(title=None, automargin=True))
    return fig


def rate_trend(df: pl.DataFrame, *, height: int = 300) -> go.Figure:
    """组织覆盖率 / 单独组建率 / 工作覆盖率 over the quarters of `df` (kpi trend rows), same colours as rate_bars."""
    x = df["quarter_label"].to_list()
    fig = go.Figure()
    for m, label in RATE_METRICS.items():
        vals = [None if v is None else round(v * 100, 1) for v in df[m].to_list()]
        fig.add_trace(go.Scatter(x=x, y=vals, name=label, mode="lines+markers+text",
                                 line=dict(color=RATE_COLORS[m], width=3),
                                 text=[f"{v:.1f}%" if (v is not None and i == len(vals) - 1) else "" for i, v in enumerate(vals)],
                                 textposition="middle right", cliponaxis=False,
                                 hovertemplate=label + " %{x}:%{y:.1f}%<extra></extra>"))
    _layout(fig, height, xaxis=dict(title=None, type="category"),
            yaxis=rate_axis())
    fig.update_layout(margin=dict(l=8, r=56, t=36, b=8))
    return first_quarter_note(fig, len(x))


def members_trend(df: pl.DataFrame, *, height: int = 300) -> go.Figure:
    """党员人数 (line, left axis) and 本季新发展党员 (bars, right axis) over the quarters of `df`."""
    x = df["quarter_label"].to_list()
    fig = go.Figure()
    fig.add_trace(go.Bar(x=x, y=df["n_new_members"].to_list(), name="本季新发展党员(右轴)", yaxis="y2",
                         marker_color=theme.GOLD, opacity=0.85,
                         text=[f"{v:,}" for v in df["n_new_members"].to_list()], textposition="outside",
                         cliponaxis=False, textfont=dict(size=11),
                         hovertemplate="新发展党员 %{x}:%{y:,} 人<extra></extra>"))
    fig.add_trace(go.Scatter(x=x, y=df["n_party_members"].to_list(), name="党员人数(左轴)", mode="lines+markers",
                             line=dict(color=theme.RED, width=3),
                             hovertemplate="党员人数 %{x}:%{y:,} 人<extra></extra>"))
    new_max = max(df["n_new_members"].to_list() + [1])
    _layout(fig, height, xaxis=dict(title=None, type="category"),
            yaxis=dict(title=None, rangemode="tozero", tickformat=",d"),
            yaxis2=dict(title=None, overlaying="y", side="right", showgrid=False, range=[0, new_max * 3],
                        showticklabels=False))
    return first_quarter_note(fig, len(x))


memo.memoise_builders(globals())
