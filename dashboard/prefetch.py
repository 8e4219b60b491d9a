"""Every scope's panels ready before anyone asks for them.

Under the load benchmark (tools/bench/load.py, ×25 warehouse) about 60 % of the server's script time was
the warehouse answering a panel query for a scope nobody had opened yet (the first 总览 of 纳米科技, the
first 企业培育 of 园区 P05 …): 0.1–1.2 s each, paid by whoever came first, while the same query for a scope
already seen costs nothing (`db.run_query` caches per warehouse version).

So the server learns, from the page runs themselves, which queries a page asks for with which
parameters — as templates in which the chain and the park are variables — and a background thread runs
each template for every scope (the district, each chain, each park) of the current warehouse version,
filling the same cache the pages read. When a new version is published it does the same for that
version. Nothing a page shows changes: the same named queries with the same parameters, only earlier.

The templates learnt are kept beside the warehouse (`<warehouse>.prefetch.json`), so a restarted server
or a new replica warms at once. `DASHBOARD_PREFETCH=0` turns all of this off.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
import time
from pathlib import Path

from . import db, queries

log = logging.getLogger("dashboard.prefetch")

CHAIN, PARK = "chain_id", "park_id"
VAR = {CHAIN: "<chain>", PARK: "<park>"}   # a template's variables
POLL_S = 10.0                               # how often the thread looks for a new warehouse version
_lock = threading.Lock()
_templates: set[tuple] = set()              # (query name, items with <chain>/<park> in place of an id)
_ids: dict[tuple, tuple[frozenset, frozenset]] = {}
_dirty = threading.Event()                  # a template was learnt: warm it, and save the list
_thread: threading.Thread | None = None
_learning = False                           # start() was called: page runs teach templates
_done: set = set()                          # (version key, name, items) warmed already
_last_use = 0.0                             # time.monotonic() of the last query a page asked for
_pending = False                            # the last pass gave way to a page: try again soon
IDLE_S = 2.0                                # chain × park views are computed only after this much quiet


def enabled() -> bool:
    return os.environ.get("DASHBOARD_PREFETCH", "1") != "0"


def _scope_ids(v: db.Version) -> tuple[frozenset, frozenset]:
    got = _ids.get(v.key)
    if got is None:
        chains = frozenset(db.warm("shared/chains", (), v)["chain_id"].to_list())     # the sidebar's lists
        parks = frozenset(db.warm("shared/parks", (), v)["park_id"].to_list())
        _ids.clear()
        _ids[v.key] = got = (chains, parks)
    return got


def learn(name: str, items: tuple, version: db.Version) -> None:
    """Called by `db.run_query` for every query a page asks for (cheap: one set lookup)."""
    global _last_use
    if not _learning:
        return
    _last_use = time.monotonic()
    q = queries.load(name)
    if not ({CHAIN, PARK} & set(q.params)) or dict(items).get("search"):
        return                                      # not a panel of a scope (an enterprise, a search term)
    try:
        chains, parks = _scope_ids(version)
    except Exception:  # noqa: BLE001 - an unreadable warehouse: the page says so; nothing to learn
        return
    ids = {CHAIN: chains, PARK: parks}
    tpl = (name, tuple((k, VAR[k] if k in VAR and val in ids[k] else val) for k, val in items))
    if tpl not in _templates:
        with _lock:
            _templates.add(tpl)
        _dirty.set()


def is_pair(tpl: tuple) -> bool:
    """A chain × park view's template (a chain account looking at one park …)."""
    d = dict(tpl[1])
    return d.get(CHAIN) == VAR[CHAIN] and d.get(PARK) == VAR[PARK]


def expand(tpl: tuple, chains, parks) -> list[tuple]:
    """The items of every scope a template covers: a chain's template → every chain; a park's → every
    park; the district's (no id) → the district, every chain and every park; a chain × park template →
    every chain × park view (computed last, and only while no page is running: see warm_now)."""
    name, items = tpl
    d = dict(items)
    has_c, has_p = d.get(CHAIN) == VAR[CHAIN], d.get(PARK) == VAR[PARK]
    if has_c and has_p:
        return [tuple(sorted({**d, CHAIN: c, PARK: p}.items())) for c in sorted(chains) for p in sorted(parks)]
    out = []
    if has_c:
        out += [{**d, CHAIN: c} for c in sorted(chains)]
    elif has_p:
        out += [{**d, PARK: p} for p in sorted(parks)]
    else:
        out.append(d)
        if CHAIN in d:
            out += [{**d, CHAIN: c} for c in sorted(chains)]
        if PARK in d:
            out += [{**d, PARK: p} for p in sorted(parks)]
    return [tuple(sorted(x.items())) for x in out]


# ---------------------------------------------------------------------------------------- persistence
def _file() -> Path:
    return Path(str(db.db_path()) + ".prefetch.json")


def _encode(v):
    if isinstance(v, dt.date):
        return {"date": v.isoformat()}
    if isinstance(v, tuple):
        return {"tuple": [_encode(x) for x in v]}
    return v


def _decode(v):
    if isinstance(v, dict) and "date" in v:
        return dt.date.fromisoformat(v["date"])
    if isinstance(v, dict) and "tuple" in v:
        return tuple(_decode(x) for x in v["tuple"])
    return v


def save() -> None:
    with _lock:
        rows = sorted([name, [[k, _encode(v)] for k, v in items]] for name, items in _templates)
    path = _file()
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as e:                             # a read-only data directory: learn again next time
        log.info("cannot save prefetch templates to %s: %s", path, e)


def load() -> int:
    try:
        rows = json.loads(_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    known = set(queries.all_names())
    with _lock:
        for name, items in rows:
            if name in known:                        # a query removed since is forgotten
                _templates.add((name, tuple((k, _decode(v)) for k, v in items)))
    return len(_templates)


# ---------------------------------------------------------------------------------------- the thread
def warm_now(idle_s: float | None = None) -> int:
    """One pass: every learnt template for every scope of the current version (what the thread does
    whenever something new was learnt or the version changed). The district's, chains' and parks' views
    first; then the chain × park views (13 × 13 for each such page), but only while no page has asked for
    anything for `idle_s` seconds — they yield to the people using the server and resume on the next pass.
    Returns the number of results computed."""
    global _pending
    idle_s = IDLE_S if idle_s is None else idle_s
    _pending = False
    done = _done
    v = db.current_version()
    first = next(iter(done), None)
    if first is not None and first[0] != v.key:
        done.clear()                                 # a new version: everything again
    chains, parks = _scope_ids(v)
    n = 0
    with _lock:
        tpls = sorted(_templates, key=lambda t: (is_pair(t), repr(t)))
    for name, items in tpls:
        try:
            queries.check_params(queries.load(name), dict(items))
        except queries.QueryError:                   # the query's parameters changed since it was learnt
            continue
        for it in expand((name, items), chains, parks):
            key = (v.key, name, it)
            if key in done:
                continue
            if is_pair((name, items)) and time.monotonic() - _last_use < idle_s:
                _pending = True                      # people are using the server: later
                return n
            db.warm(name, it, v)
            done.add(key)
            n += 1
            if db.current_version() != v:            # published meanwhile: start on the new version
                _dirty.set()
                return n
    return n


def _loop() -> None:
    while True:
        _dirty.wait(IDLE_S if _pending else POLL_S)
        save_now = _dirty.is_set()
        _dirty.clear()
        try:
            t0 = time.perf_counter()
            n = warm_now()
            if n:
                log.info("prefetched %d panel results in %.1f s", n, time.perf_counter() - t0)
            if save_now:
                save()
        except db.WarehouseError:
            pass                                     # no readable warehouse now: the pages say so
        except Exception:  # noqa: BLE001 - the thread must outlive one bad query
            log.exception("prefetch failed")
            time.sleep(POLL_S)


def start(background: bool = True) -> bool:
    """Learn from page runs from now on and start the background thread (once per process; the server
    does it at start). `background=False`: learn only (call warm_now() yourself)."""
    global _thread, _learning
    if _thread is not None or not enabled():
        return False
    load()
    _learning = True
    if not background:
        return True
    _thread = threading.Thread(target=_loop, name="dashboard-prefetch", daemon=True)
    _thread.start()
    if _templates:
        _dirty.set()
    return True
