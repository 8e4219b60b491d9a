"""dashboard/charts/memo.py: the same inputs give the same (shared) figure, identical to a fresh build;
other data gives another figure; what cannot be keyed is simply built."""
import plotly.io as pio
import polars as pl

from dashboard.charts import base, memo


def _frame(n_ent: int) -> pl.DataFrame:
    return pl.DataFrame({"quarter_label": ["2026Q2", "2026Q3"], "n_enterprises": [n_ent, n_ent + 10],
                         "n_sme": [n_ent - 5, n_ent + 2]})


def test_same_data_same_figure_identical_to_a_fresh_build():
    a, b = _frame(100), _frame(100)          # equal content, two objects (as two page runs derive them)
    assert a is not b
    fig = base.trend(a, ["n_enterprises", "n_sme"], title="t")
    assert base.trend(b, ["n_enterprises", "n_sme"], title="t") is fig
    fresh = base.trend.unmemoised(a, ["n_enterprises", "n_sme"], title="t")
    assert pio.to_json(fig, validate=False) == pio.to_json(fresh, validate=False)


def test_other_data_or_options_another_figure():
    fig = base.trend(_frame(100), ["n_enterprises", "n_sme"], title="t")
    other = base.trend(_frame(101), ["n_enterprises", "n_sme"], title="t")
    assert other is not fig
    assert 101 in other.data[0].y and 101 not in fig.data[0].y
    assert base.trend(_frame(100), ["n_enterprises"], title="t") is not fig
    assert base.trend(_frame(100), ["n_enterprises", "n_sme"], title="u") is not fig


def test_what_cannot_be_keyed_is_built_each_time():
    big = pl.DataFrame({"quarter_label": [f"q{i}" for i in range(memo.MAX_ROWS + 1)],
                        "n_enterprises": list(range(memo.MAX_ROWS + 1)), "n_sme": [0] * (memo.MAX_ROWS + 1)})
    assert base.trend(big, ["n_enterprises"]) is not base.trend(big, ["n_enterprises"])
