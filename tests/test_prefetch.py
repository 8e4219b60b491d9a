"""dashboard/prefetch.py: the server learns from the page runs which panel queries a page asks for, and
computes them for every scope of the current warehouse version before anyone asks — the same named
queries with the same parameters, so the numbers are the ones the page would compute itself.

Each test reads a copy of the demo warehouse of its own (a version no other test has cached)."""
from __future__ import annotations

import shutil

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from conftest import scalar
from sample_params import SAMPLES

from dashboard import db, prefetch

Q = SAMPLES["quarter_end"]


@pytest.fixture
def learning(monkeypatch, warehouse_path, tmp_path):
    """prefetch learning (no thread), fresh state, on a private copy of the warehouse."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(warehouse_path, copy)
    monkeypatch.setattr(db, "_override", None)
    db.set_db_path(copy)
    for name, value in (("_templates", set()), ("_done", set()), ("_ids", {}),
                        ("_learning", False), ("_thread", None)):
        monkeypatch.setattr(prefetch, name, value)
    executed: list[tuple[str, dict]] = []
    original = db.execute

    def counted(name, params, version=None, **kw):
        if name not in ("shared/chains", "shared/parks"):      # the scope lists prefetch reads for itself
            executed.append((name, dict(params)))
        return original(name, params, version, **kw)

    monkeypatch.setattr(db, "execute", counted)
    assert prefetch.start(background=False)
    yield executed, copy
    db.set_db_path(None)


def _n_chains_parks(raw) -> tuple[int, int]:
    return scalar(raw, "SELECT count(*) FROM chains"), scalar(raw, "SELECT count(*) FROM parks")


def test_a_district_visit_warms_every_chain_and_park(learning, raw):
    executed, _ = learning
    n_chains, n_parks = _n_chains_parks(raw)
    db.run_query("shared/kpi_trend", quarter_end=Q, chain_id="*", park_id="*")        # as 总览 asks
    db.run_query("overview/chain_ranking", quarter_end=Q, park_id="*")
    assert len(executed) == 2
    executed.clear()

    n = prefetch.warm_now()
    # kpi_trend: the district, every chain, every park; chain_ranking (no chain parameter): district + parks
    assert n == (1 + n_chains + n_parks) + (1 + n_parks)
    assert len(executed) == n - 2                       # the two asked for were cached already
    assert {p["chain_id"] for name, p in executed if name == "shared/kpi_trend"} >= {"C01", "*"}
    assert prefetch.warm_now() == 0                     # nothing new: nothing again

    # A chain's page now finds its result ready — the same frame the query gives when run directly.
    executed.clear()
    got = db.run_query("shared/kpi_trend", quarter_end=Q, chain_id="C03", park_id="*")
    park = db.run_query("overview/chain_ranking", quarter_end=Q, park_id="P05")
    assert executed == []
    assert_frame_equal(got, db.execute("shared/kpi_trend", {"quarter_end": Q, "chain_id": "C03", "park_id": "*"}))
    assert_frame_equal(park, db.execute("overview/chain_ranking", {"quarter_end": Q, "park_id": "P05"}))
    assert got.height > 0 and park.height > 0


def test_chain_park_views_wait_for_a_quiet_server_then_all_are_ready(learning, raw):
    executed, copy = learning
    n_chains, n_parks = _n_chains_parks(raw)
    db.run_query("shared/kpi_trend", quarter_end=Q, chain_id="C03", park_id="P05")    # a chain account's park
    assert prefetch.warm_now() == 0                     # a page just asked for something: pairs wait
    executed.clear()
    assert prefetch.warm_now(idle_s=0) == n_chains * n_parks   # quiet: every chain × park view
    assert len(executed) == n_chains * n_parks - 1
    executed.clear()
    db.run_query("shared/kpi_trend", quarter_end=Q, chain_id="C04", park_id="P06")
    assert executed == []
    db.run_query("shared/target_status", quarter_end=Q, chain_id="C03", park_id="*")
    assert prefetch.warm_now() == n_chains             # a chain's template: every chain, at once
    # a search term is not a template; the unfiltered list (empty term) is
    db.run_query("enterprise/search", search="科技", chain_id="C03", park_id="*")
    db.run_query("enterprise/search", search="", chain_id="C03", park_id="*")
    assert {t[0] for t in prefetch._templates} == {"shared/kpi_trend", "shared/target_status", "enterprise/search"}
    assert all(dict(t[1]).get("search", "") == "" for t in prefetch._templates)

    # the templates learnt survive a restart (kept beside the warehouse)
    prefetch.save()
    assert (copy.parent / (copy.name + ".prefetch.json")).is_file()
    templates = set(prefetch._templates)
    assert len(templates) == 3
    prefetch._templates.clear()
    assert prefetch.load() == 3 and prefetch._templates == templates


def test_a_new_version_is_warmed_again(learning, tmp_path):
    executed, copy = learning
    db.run_query("coverage/by_chain", quarter_end=Q, park_id="*")
    first = prefetch.warm_now()
    assert first > 1
    # publish: another file at the path the server reads (a new version of the warehouse)
    newer = tmp_path / "v2.duckdb"
    shutil.copyfile(copy, newer)
    db.set_db_path(newer)
    executed.clear()
    assert prefetch.warm_now() == first
    assert len(executed) == first                       # computed on the new version, nothing reused
    assert {name for name, _ in executed} == {"coverage/by_chain"}
    assert isinstance(db.run_query("coverage/by_chain", quarter_end=Q, park_id="P01"), pl.DataFrame)
    assert len(executed) == first
