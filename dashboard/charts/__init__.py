"""Pure chart builders (DataFrame → plotly Figure / pyecharts chart). They never query.

Generic builders live in `base`; topic modules (one per page family) add their own.
"""
from .base import column_bar, ranking_bar, trend  # noqa: F401
