"""Chart builders of the 产业链 / 链主 / 园区 pages (DataFrame → plotly Figure). They never query."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from . import memo
from .. import labels as L
from .. import safe, theme
from .base import _layout

MEETING_KINDS = ["专题会议", "党建联席会议", "战略咨询会议", "吐槽大会"]
MEETING_COLORS = {"专题会议": theme.BLUE, "党建联席会议": theme.RED, "战略咨询会议": theme.GOLD,
                  "吐槽大会": theme.TEAL}

# 链主培育扶持 measures: column → (label, unit)
SUPPORT = {
    "fiscal_support_10k": ("财政支持", "万元"),
    "land_mu": ("优先供地", "亩"),
    "n_projects": ("优先纳入项目", "个"),
    "n_standards": ("参与制修订标准", "项"),
}
# earlier years muted, the quarter's year in gold (the last colour)
YEAR_COLORS = ["#3b4d6b", "#5d7396", theme.BLUE, theme.GOLD]


def meetings_by_quarter(df: pl.DataFrame, *, height: int = 330) -> go.Figure:
    """Stacked bars: meetings held per quarter by kind (one row per quarter × kind in `df`)."""
    fig = go.Figure()
    quarters = df.select("quarter_end", "quarter_label").unique().sort("quarter_end")["quarter_label"].to_list()
    for kind in MEETING_KINDS:
        d = df.filter(pl.col("kind") == kind).sort("quarter_end")
        if d.is_empty():
            continue
        fig.add_trace(go.Bar(
            x=d["quarter_label"].to_list(), y=d["n_meetings"].to_list(), name=kind,
            marker_color=MEETING_COLORS.get(kind, theme.GREY), customdata=d["n_attendees"].to_list(),
            hovertemplate=kind + " %{x}:%{y} 次(参会 %{customdata} 人次)<extra></extra>"))
    _layout(fig, height, barmode="stack", bargap=0.35,
            xaxis=dict(title=None, type="category", categoryorder="array", categoryarray=quarters),
            yaxis=dict(title=None, rangemode="tozero", dtick=1, ticksuffix=" 次"))
    return fig


def support_by_chain(df: pl.DataFrame, measure: str, *, selected: str | None = None,
                     height: int = 420) -> go.Figure:
    """Grouped bars: a 链主 support measure per chain, one bar per year; customdata = chain id."""
    label, unit = SUPPORT[measure]
    years = sorted(df["year"].unique().to_list())
    chains = df.select("chain_id", "chain_name").unique().sort("chain_id")
    names = [safe.plotly_text(f"{c} {n}") for c, n in chains.iter_rows()]   # Plotly renders tags in categories
    fig = go.Figure()
    for i, y in enumerate(years):
        d = chains.join(df.filter(pl.col("year") == y).select("chain_id", measure), on="chain_id", how="left")
        color = YEAR_COLORS[max(0, len(YEAR_COLORS) - len(years) + i)]
        fig.add_trace(go.Bar(
            x=names, y=d[measure].to_list(), name=f"{y} 年", marker_color=color,
            marker_line=dict(width=[3 if c == selected else 0 for c in d["chain_id"].to_list()], color=theme.GOLD),
            customdata=d["chain_id"].to_list(),
            hovertemplate="%{x}<br>" + f"{y} 年 {label}:" + "%{y:,.1f} " + unit + "<extra>点击查看该链链主</extra>"))
    _layout(fig, height, barmode="group", bargap=0.2, clickmode="event+select",
            xaxis=dict(title=None, type="category", automargin=True),
            yaxis=dict(title=None, rangemode="tozero", ticksuffix=f" {unit}"))
    return fig


STATUS_WORD_COLORS = {"滞后": theme.STATUS_COLOR["红"], "关注": theme.STATUS_COLOR["黄"],
                      "正常": theme.STATUS_COLOR["绿"], "超期": theme.STATUS_COLOR["红"]}
DONE_WORD_COLORS = {"已": theme.GREEN, "未": theme.GOLD}


def status_styler(pdf, columns: list[str], colors: dict[str, str] | None = None):
    """A pandas Styler colouring cells of `columns` by the first word of `colors` they contain
    (default: '● 滞后/关注/正常', '● 超期…', in the status colours of dashboard/theme.py)."""
    colors = colors or STATUS_WORD_COLORS

    def color(v):
        if not isinstance(v, str):
            return ""
        for word, c in colors.items():
            if word in v:
                return f"color: {c}; font-weight: 600"
        return ""
    return pdf.style.map(color, subset=[c for c in columns if c in pdf.columns])


def open_appeals_view(df: pl.DataFrame, *, with_chain: bool = False, with_park: bool = False) -> pl.DataFrame:
    """Display columns of an open-appeals list (from shared/open_appeals), overdue ones flagged."""
    cols = [L.col("enterprise_name")]
    if with_chain:
        cols.append(pl.col("chain_name").fill_null("—").alias(L.label("chain_name")))
    if with_park:
        cols.append(pl.col("park_name").fill_null("园区外").alias(L.label("park_name")))
    cols += [
        L.col("category"), L.col("source"),
        L.col("handler_unit_name"),
        pl.col("received_on").dt.to_string("%Y-%m-%d").alias(L.label("received_on")),
        pl.col("due_on").dt.to_string("%Y-%m-%d").alias(L.label("due_on")), L.col("days_open"),
        pl.when(pl.col("is_overdue")).then(pl.format("● 超期 {} 天", pl.col("days_overdue")))
          .otherwise(pl.lit("办理中")).alias(L.label("status")),
    ]
    return df.select(cols)


def support_history(df: pl.DataFrame, *, height: int = 300) -> go.Figure:
    """One chain: the four support measures per year (bars), each on its own small panel."""
    from plotly.subplots import make_subplots
    years = [str(y) for y in df["year"].to_list()]
    fig = make_subplots(rows=1, cols=len(SUPPORT), subplot_titles=[f"{lab}({u})" for lab, u in SUPPORT.values()],
                        horizontal_spacing=0.06)
    for i, (col, (lab, unit)) in enumerate(SUPPORT.items(), start=1):
        vals = df[col].to_list()
        fig.add_trace(go.Bar(x=years, y=vals, name=lab, marker_color=theme.SERIES[i - 1],
                             text=[f"{v:,.1f}" if isinstance(v, float) else f"{v:,}" for v in vals],
                             textposition="outside", cliponaxis=False,
                             hovertemplate="%{x} 年 " + lab + ":%{y:,} " + unit + "<extra></extra>"),
                      row=1, col=i)
    _layout(fig, height, showlegend=False)
    fig.update_xaxes(type="category")
    fig.update_yaxes(rangemode="tozero")
    for i, col in enumerate(SUPPORT, start=1):   # head-room for the value labels above the bars
        top = max([v for v in df[col].to_list() if v is not None], default=0)
        fig.update_yaxes(range=[0, top * 1.18 if top else 1], row=1, col=i)
    fig.update_annotations(font=dict(size=13, family=theme.FONT_STACK))
    return fig


memo.memoise_builders(globals())
