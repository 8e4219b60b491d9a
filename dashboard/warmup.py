"""Server start-up: import what every page run needs once, then take it out of the garbage collector.

app.py imports this module when the server starts (before the first session). Profiles under the load
benchmark (tools/bench/load.py) showed the cyclic garbage collector taking most of the GIL: each page
run allocates many short-lived containers (plotly figures, polars/pandas frames, protobuf messages), so
generation-2 collections ran often and each walked every object of the long-lived imports (pandas,
plotly's validators, polars, streamlit, duckdb) — millions of objects that never die.

- `gc.freeze()` after the warm imports moves those objects into the permanent generation, which no
  collection walks again;
- a higher generation-0 threshold makes young collections rarer (short-lived garbage mostly dies by
  reference counting anyway; the cycle collector only has to catch cycles).

Neither changes what a page computes or shows. `DASHBOARD_GC_THRESHOLD=700,10,10` (Python's default)
restores the default behaviour for comparison; `DASHBOARD_WARMUP=0` skips all of this.
"""
from __future__ import annotations

import gc
import importlib
import os
import time

# Imported by the pages on their first run; imported here once, before any session starts.
WARM_MODULES = (
    "pandas", "polars", "pyarrow", "duckdb", "numpy",
    "plotly.graph_objects", "plotly.io", "plotly.express",
    "dashboard.db", "dashboard.kpis", "dashboard.ui", "dashboard.charts", "dashboard.filters",
    "dashboard.drill", "dashboard.alerts_ui", "dashboard.targets", "dashboard.auth.web",
)
DEFAULT_THRESHOLD = (50_000, 20, 100)
_done: dict | None = None


def _threshold() -> tuple[int, int, int]:
    raw = os.environ.get("DASHBOARD_GC_THRESHOLD", "").strip()
    if raw:
        try:
            parts = tuple(int(x) for x in raw.split(","))
            if len(parts) == 3 and all(p >= 0 for p in parts):
                return parts  # type: ignore[return-value]
        except ValueError:
            pass
    return DEFAULT_THRESHOLD


def _warm_plotly() -> None:
    """Plotly builds its validators lazily, on the first figure of each trace type: build one of each
    kind the pages draw, so those objects exist (and are frozen) before the first session."""
    import plotly.graph_objects as go
    fig = go.Figure([go.Bar(x=[1], y=[1]), go.Scatter(x=[1], y=[1]), go.Funnel(x=[1], y=["a"]),
                     go.Heatmap(z=[[1]]), go.Pie(values=[1]), go.Indicator(value=1)])
    fig.update_layout(xaxis={"title": "x"}, yaxis2={"overlaying": "y", "side": "right"})
    fig.to_plotly_json()
    fig.to_json()


def run() -> dict:
    """Import, warm, collect once, freeze, raise the thresholds. Idempotent; returns what it did."""
    global _done
    if _done is not None:
        return _done
    if os.environ.get("DASHBOARD_WARMUP", "1") == "0":
        _done = {"skipped": True}
        return _done
    t0 = time.perf_counter()
    failed = []
    for name in WARM_MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a missing optional module must not stop the server
            failed.append(name)
    try:
        _warm_plotly()
    except Exception:  # noqa: BLE001
        failed.append("plotly figure")
    gc.collect()
    gc.freeze()
    threshold = _threshold()
    gc.set_threshold(*threshold)
    _done = {"seconds": round(time.perf_counter() - t0, 2), "frozen": gc.get_freeze_count(),
             "threshold": threshold, "failed": failed}
    return _done
