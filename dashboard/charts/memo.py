"""One figure per distinct input: the chart builders are pure (DataFrame + options → plotly Figure), and
building a figure is the costliest Python step of a page run after the queries (plotly validates every
property it is given: ~15 % of the server's script time under the load benchmark). Twenty leaders
looking at the same chain get the same figure object, built once.

The key is the builder and its arguments, a DataFrame by its schema and the hash of every row (so a
frame derived anew in each run still finds its figure); arguments that cannot be keyed (another figure,
a frame over MAX_ROWS rows) just build. Figures handed out are shared: nobody may change them after the
builder returns (Streamlit only serialises them; the pages never touch them). A builder called inside
another one is not memoised (the outer one may still change what it gets).
"""
from __future__ import annotations

import functools
import inspect
import threading
from collections import OrderedDict

import polars as pl

SIZE = 1024               # figures kept (least recently used dropped)
MAX_ROWS = 5000
_lock = threading.Lock()
_figs: OrderedDict = OrderedDict()
_depth = threading.local()


class _Unkeyed(Exception):
    pass


def _part(x):
    if isinstance(x, pl.DataFrame):
        if x.height > MAX_ROWS:
            raise _Unkeyed
        return ("frame", tuple((n, str(t)) for n, t in x.schema.items()), tuple(x.hash_rows(seed=0).to_list()))
    if isinstance(x, (list, tuple)):
        return (type(x).__name__, tuple(_part(v) for v in x))
    if isinstance(x, dict):
        return ("dict", tuple((k, _part(v)) for k, v in sorted(x.items(), key=lambda kv: repr(kv[0]))))
    if x is None or isinstance(x, (str, int, float, bool)):
        return x
    raise _Unkeyed


def figure(fn):
    @functools.wraps(fn)
    def built(*args, **kw):
        if getattr(_depth, "n", 0):
            return fn(*args, **kw)
        try:
            key = (fn.__module__, fn.__qualname__, _part(args), _part(kw))
        except (_Unkeyed, pl.exceptions.PolarsError):
            key = None
        if key is not None:
            with _lock:
                fig = _figs.get(key)
                if fig is not None:
                    _figs.move_to_end(key)
                    return fig
        _depth.n = getattr(_depth, "n", 0) + 1
        try:
            fig = fn(*args, **kw)
        finally:
            _depth.n -= 1
        if key is not None:
            with _lock:
                _figs[key] = fig
                while len(_figs) > SIZE:
                    _figs.popitem(last=False)
        return fig
    built.unmemoised = fn
    return built


def memoise_builders(namespace: dict) -> None:
    """Wrap every public builder of a chart module: a function taking a DataFrame first and returning
    a go.Figure (helpers that change a figure they are given are left alone)."""
    for name, fn in list(namespace.items()):
        if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != namespace["__name__"]:
            continue
        params = list(inspect.signature(fn).parameters.values())
        ann = fn.__annotations__
        if ann.get("return") in ("go.Figure", "Figure") and params and \
                str(ann.get(params[0].name, "")) == "pl.DataFrame":
            namespace[name] = figure(fn)
