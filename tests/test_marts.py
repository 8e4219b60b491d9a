"""The warehouse's models: each states its grain ("One row per (a, b)") and the built table is unique on it;
every 口径 lives in a model, panel SQL only filters and shapes."""
import re

import pytest

from dashboard.paths import QUERIES_DIR
from dashboard.queries import all_names, load
from dashboard.warehouse import MART_TABLES

GRAIN = re.compile(r"One row per \(([^)]*)\)")


def grain(name: str) -> list[str]:
    text = (QUERIES_DIR / "_build" / f"{name}.sql").read_text(encoding="utf-8")
    header = "\n".join(line for line in text.splitlines() if line.startswith("--"))
    m = GRAIN.search(header)
    assert m, f"{name}.sql states no grain 'One row per (…)'"
    return [c.strip() for c in m.group(1).split(",")]


@pytest.mark.parametrize("name", MART_TABLES)
def test_declared_grain_is_unique(raw, name):
    cols = grain(name)
    have = {r[0] for r in raw.sql(f"SELECT column_name FROM information_schema.columns WHERE table_name = '{name}'").fetchall()}
    assert set(cols) <= have, (name, cols)
    key = ", ".join(cols)
    n, distinct = raw.sql(f"SELECT count(*), count(DISTINCT ({key})) FROM {name}").fetchall()[0]
    assert n > 0 and n == distinct, (name, n, distinct)


def test_bridge_matches_its_definition(raw):
    """dim_scope_enterprise: the chain scopes are enterprise_chains, the park scopes enterprises.park_id,
    '-' the enterprises without one; '*' × '*' is every enterprise once."""
    q = lambda sql: raw.sql(sql).fetchall()[0][0]  # noqa: E731
    assert q("SELECT count(*) FROM dim_scope_enterprise WHERE chain_id = '*' AND park_id = '*'") == \
        q("SELECT count(*) FROM enterprises")
    assert q("SELECT count(*) FROM dim_scope_enterprise WHERE chain_id = 'C02' AND park_id = '*'") == \
        q("SELECT count(*) FROM enterprise_chains WHERE chain_id = 'C02'")
    assert q("SELECT count(*) FROM dim_scope_enterprise WHERE chain_id = '*' AND park_id = '-'") == \
        q("SELECT count(*) FROM enterprises WHERE park_id IS NULL")
    assert q("SELECT count(*) FROM dim_scope_enterprise WHERE chain_id = '-' AND park_id = '*'") == \
        q("SELECT count(*) FROM enterprises WHERE enterprise_id NOT IN (SELECT enterprise_id FROM enterprise_chains)")
    assert q("SELECT count(*) FROM dim_scope_enterprise WHERE chain_id = 'C02' AND park_id = 'P13'") == \
        q("""SELECT count(*) FROM enterprise_chains ec JOIN enterprises e USING (enterprise_id)
             WHERE ec.chain_id = 'C02' AND e.park_id = 'P13'""")


def test_panel_sql_does_not_rederive_scope_or_open_appeals():
    """Scope membership comes from the bridge and 未办结 from mart_open_appeal, in every panel query."""
    for name in all_names():
        sql = load(name).sql
        assert "FROM enterprise_chains WHERE chain_id = $chain_id" not in sql, name
        assert "resolved_on IS NULL OR" not in sql, name
        assert "mart_target_status" not in sql or "status" in sql, name


def test_no_surface_computes_a_status():
    """The 正常/关注/滞后 judgement exists once (mart_target_status): no Python reads a 'progress' of a target
    or compares anything with the share of the year elapsed."""
    import pathlib
    root = pathlib.Path(__file__).resolve().parent.parent
    pattern = re.compile(r"""\[["']progress["']\]|year_share\s*[-<>]|actual\s*/\s*target""")
    for path in list((root / "dashboard").rglob("*.py")) + list((root / "views").glob("*.py")):
        assert not pattern.search(path.read_text(encoding="utf-8")), path
