"""Chart craft of the pages' pure chart builders and KPI-card formatters (no Streamlit, no database):
rate axes tick at 0/20/40/60/80/100 %, like with like on an axis, no invisible series, a KPI card's
colour says what is good for that KPI and only for a real change, "0.0" is never signed, and a first
quarter without history says so."""
import datetime as dt

import plotly.graph_objects as go
import polars as pl
import pytest

from dashboard import charts, kpis, theme, ui
from dashboard.charts import appeals as ac
from dashboard.charts import topics as tc
from dashboard.charts.base import FIRST_QUARTER_NOTE, RATE_TICKS

K = kpis.BY_KEY
BACKGROUNDS = {"#0b1a33", "#f5f7fb", "#ffffff", "#fff", "white", "rgba(0,0,0,0)"}


def _trend_rows(n: int = 12) -> pl.DataFrame:
    """Quarter rows shaped like shared/kpi_trend (only the columns the charts read)."""
    qs = [dt.date(2023 + (9 + 3 * i) // 12, (9 + 3 * i) % 12 + 3, 30 if ((9 + 3 * i) % 12 + 3) in (6, 9) else 31)
          for i in range(n)]
    return pl.DataFrame({
        "quarter_end": qs, "quarter_label": [f"{q.year}Q{(q.month - 1) // 3 + 1}" for q in qs],
        "n_enterprises": [40_000 + 300 * i for i in range(n)], "n_sme": [39_000 + 290 * i for i in range(n)],
        "n_xjr": [20 + i for i in range(n)], "n_lgsx": [300 + 4 * i for i in range(n)], "n_dxgj": [5 + i // 4 for i in range(n)],
        "org_coverage_rate": [0.401 + 0.017 * i for i in range(n)], "work_coverage_rate": [0.602 + 0.011 * i for i in range(n)],
        "appeal_resolved_rate": [0.7 + 0.01 * i for i in range(n)],
        "n_appeals_received": [120 + i for i in range(n)], "n_appeals_resolved": [100 + i for i in range(n)],
        "n_secretaries": [110 + i for i in range(n)], "n_pairings": [200 + 3 * i for i in range(n)],
    })


def _axis_of(fig: go.Figure, trace) -> dict:
    name = "yaxis" if (trace.yaxis or "y") == "y" else "yaxis" + trace.yaxis[1:]
    return fig.layout[name]


def _is_rate_axis(ax) -> bool:
    return list(ax.tickvals or []) == RATE_TICKS and list(ax.ticktext) == [f"{t}%" for t in RATE_TICKS]


def _visible_series(fig: go.Figure) -> None:
    """Every series draws something a reader can see: a non-null value and a colour that is not the page's."""
    for t in fig.data:
        vals = [v for v in (t.x if t.orientation == "h" else t.y) if v is not None]
        assert vals, f"{t.name}: no values"
        colors = []
        if getattr(t, "marker", None) is not None and isinstance(t.marker.color, str):
            colors.append(t.marker.color)
        if getattr(t, "line", None) is not None and isinstance(t.line.color, str):
            colors.append(t.line.color)
        for c in colors:
            assert c.lower() not in BACKGROUNDS, f"{t.name}: drawn in the background colour {c}"


# ------------------------------------------------------------------ nice ticks on rate axes
def test_rate_axes_tick_at_round_percentages():
    tr = _trend_rows()
    fig = charts.trend(tr, ["org_coverage_rate", "work_coverage_rate"])
    assert _is_rate_axis(fig.layout.yaxis)
    fig = charts.trend(tr, ["n_appeals_received", "n_appeals_resolved", "appeal_resolved_rate"],
                       bars=["n_appeals_received", "n_appeals_resolved"])
    rate_trace = next(t for t in fig.data if t.name.startswith(K["appeal_resolved_rate"].label))
    assert rate_trace.yaxis == "y2" and _is_rate_axis(fig.layout.yaxis2)
    parks = pl.DataFrame({"park_id": ["P01", "P02"], "park_name": ["甲园", "乙园"], "n_enterprises": [900, 1200],
                          "org_coverage_rate": [0.534, 0.609], "work_coverage_rate": [0.701, 0.802]})
    fig = charts.column_bar(parks, ["n_enterprises", "org_coverage_rate", "work_coverage_rate"], "park_id", "park_name")
    assert _is_rate_axis(fig.layout.yaxis2)
    ranking = parks.rename({"park_id": "chain_id", "park_name": "chain_label"}).with_columns(
        n_red=pl.lit(0), n_yellow=pl.lit(0))
    fig = charts.ranking_bar(ranking, "org_coverage_rate", "chain_id", "chain_label", status_col="n_red")
    assert _is_rate_axis(fig.layout.xaxis)
    fig = tc.rate_trend(tr.with_columns(own_org_rate=pl.col("org_coverage_rate") / 2))
    assert _is_rate_axis(fig.layout.yaxis)
    group = pl.DataFrame({"label": ["甲", "乙"], "resolved_rate": [0.731, 0.902]})
    assert _is_rate_axis(ac.group_bars(group, "resolved_rate").layout.xaxis)


# ------------------------------------------------------------------ like with like
def test_small_counts_are_not_flattened_on_a_large_count_axis():
    tr = _trend_rows()
    fig = charts.trend(tr, ["n_xjr", "n_lgsx", "n_dxgj"])
    axes = {t.name: t.yaxis for t in fig.data}
    assert axes == {"小巨人(右轴)": "y2", "两高四新(左轴)": "y", "单项冠军(右轴)": "y2"}, axes
    assert fig.layout.yaxis2.visible and fig.layout.yaxis2.overlaying == "y"
    assert fig.layout.yaxis2.tickmode == "auto" and fig.layout.yaxis2.tickformat == ",d"   # round ticks of its own
    fig = charts.trend(tr, ["n_enterprises", "n_xjr"], bars=["n_enterprises"])
    assert {t.name: t.yaxis for t in fig.data} == {K["n_enterprises"].label + "(左轴)": "y", "小巨人(右轴)": "y2"}
    # counts of the same size share one axis and the legend does not talk about axes
    fig = charts.trend(tr, ["n_enterprises", "n_sme"])
    assert {t.yaxis for t in fig.data} == {"y"} and not fig.layout.yaxis2.visible
    assert [t.name for t in fig.data] == [K["n_enterprises"].label, K["n_sme"].label]
    # different units (人, 对) never share an axis
    fig = charts.trend(tr, ["n_secretaries", "n_pairings"])
    assert len({t.yaxis for t in fig.data}) == 2


def test_count_axes_rule():
    from dashboard.charts.base import count_axes
    assert count_axes({"a": 1000, "b": 199}) == {"a": "y", "b": "y2"}
    assert count_axes({"a": 1000, "b": 201}) == {"a": "y", "b": "y"}
    assert count_axes({"a": 0, "b": 0}) == {"a": "y", "b": "y"}


# ------------------------------------------------------------------ no invisible series
def test_no_invisible_series():
    tr = _trend_rows()
    for metrics, bars in [(["n_xjr", "n_lgsx", "n_dxgj"], []), (["n_enterprises", "n_xjr"], ["n_enterprises"]),
                          (["n_appeals_received", "n_appeals_resolved", "appeal_resolved_rate"],
                           ["n_appeals_received", "n_appeals_resolved"])]:
        _visible_series(charts.trend(tr, metrics, bars=bars))
    reach = pl.DataFrame({"ord": [1, 2, 3], "way": ["单独组建", "联合组建", "联络员"], "n": [500, 300, 200],
                          "n_union_or_youth": [400, 200, 100]})
    _visible_series(tc.reach_bars(reach))


# ------------------------------------------------------------------ KPI cards: colour by what is good, only a real change
def _head(key, value, prev, yoy=None):
    return kpis.Headline(K[key], value, prev, yoy, None)


@pytest.mark.parametrize("key,value,prev,colour", [
    ("n_enterprises", 44_000, 43_000, "green"),      # more enterprises: good
    ("n_enterprises", 43_000, 44_000, "red"),
    ("n_appeals_overdue", 30, 20, "red"),            # more overdue: bad
    ("n_appeals_overdue", 20, 30, "green"),
    ("n_enterprises", 44_000 * 0.997, 44_000, "gray"),     # −0.3 %: not a real change
    ("org_coverage_rate", 0.582, 0.584, "gray"),            # −0.2 个百分点
    ("org_coverage_rate", 0.560, 0.584, "red"),
    ("n_appeals_overdue", 3, 0, "red"),             # from 0 any change is real
])
def test_card_colour_follows_what_is_good_and_a_threshold(key, value, prev, colour):
    spark, text, color, _ = ui.card_delta(_head(key, value, prev), [prev, value])
    assert color == colour, (key, value, prev, text)
    assert kpis.change_tone(K[key], value, prev) == {"green": "good", "red": "bad", "gray": "flat"}[colour]


def test_zero_change_is_never_signed():
    assert kpis.fmt_delta(K["org_coverage_rate"], 0.5820, 0.58204) == "0.0 个百分点"
    assert kpis.fmt_delta(K["org_coverage_rate"], 0.58204, 0.5820) == "0.0 个百分点"
    assert kpis.fmt_delta(K["avg_resolve_days"], 20.01, 20.03) == "0.0 天"
    assert kpis.fmt_delta(K["n_enterprises"], 40_000, 40_000) == "持平(0 家)"
    assert kpis.fmt_delta(K["n_enterprises"], 100_001, 100_000) == "+1 家(0.0%)"
    assert kpis.fmt_delta(K["org_coverage_rate"], 0.60, 0.58) == "+2.0 个百分点"
    assert kpis.fmt_delta(K["n_enterprises"], 90, 100) == "-10 家(-10.0%)"
    for key, a, b in [("org_coverage_rate", 0.50001, 0.5), ("n_enterprises", 7, 7), ("avg_resolve_days", 3.0, 3.04)]:
        assert "-0.0" not in kpis.fmt_delta(K[key], a, b) and "+0.0" not in kpis.fmt_delta(K[key], a, b)


# ------------------------------------------------------------------ a first quarter without history says so
def test_first_quarter_says_it_has_no_history():
    one = _trend_rows(1)
    fig = charts.trend(one, ["n_enterprises", "n_sme"])
    assert [a.text for a in fig.layout.annotations] == [FIRST_QUARTER_NOTE]
    assert all(t.text for t in fig.data)             # the lone points carry their values
    assert not charts.trend(_trend_rows(2), ["n_enterprises"]).layout.annotations
    assert [a.text for a in tc.rate_trend(one.with_columns(own_org_rate=pl.lit(0.3))).layout.annotations] == \
        [FIRST_QUARTER_NOTE]
    spark, text, color, arrow = ui.card_delta(_head("n_enterprises", 40_000, None), [40_000])
    assert spark is None and text == ui.NO_PREV and color == "gray" and arrow == "off"
    spark, text, color, _ = ui.card_delta(_head("n_enterprises", 40_100, 40_000), [40_000, 40_100])
    assert spark == [40_000, 40_100] and text == "+100 家(+0.2%)" and color == "gray"


def test_status_colours_are_one_set():
    from dashboard.charts.chain import STATUS_WORD_COLORS
    assert {w: STATUS_WORD_COLORS[w] for w in ("正常", "关注", "滞后")} == \
        {kpis.STATUS_WORD[s]: theme.STATUS_COLOR[s] for s in ("绿", "黄", "红")}
    css = (ui.ROOT / "static" / "css" / "alerts.css").read_text(encoding="utf-8")
    for s, c in theme.STATUS_COLOR.items():
        if s:
            assert f".al-badge.s-{s} {{ background: {c}; }}" in css
            assert f"b.s-{s} {{ color: {c}; }}" in ui.CSS
