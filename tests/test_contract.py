"""One contract: the DDL, the import template and the validators come from dashboard/contract.py, the
enumerations from dashboard/vocab.py; table names reach SQL text only through a real whitelist check."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb
import polars as pl
import pytest

from dashboard import contract, vocab, warehouse
from dashboard.dataio import template as T
from dashboard.dataio import validate as V

ROOT = Path(__file__).resolve().parent.parent


def test_schema_sql_is_the_generated_ddl():
    """queries/_build/schema.sql is the rendered copy of contract.ddl() (regenerate: python -m dashboard.contract)."""
    assert (ROOT / "queries" / "_build" / "schema.sql").read_text(encoding="utf-8") == contract.ddl()


def test_built_warehouse_matches_the_contract(raw):
    """Every raw table of the demo warehouse has the contract's columns, types, NOT NULLs and enumerations."""
    sql_type = {"VARCHAR": "VARCHAR", "INTEGER": "INTEGER", "DOUBLE": "DOUBLE", "BOOLEAN": "BOOLEAN",
                "DATE": "DATE", "VARCHAR[]": "VARCHAR[]"}
    for name, t in T.TABLES.items():
        cols = raw.sql("SELECT column_name, data_type, is_nullable FROM information_schema.columns "
                       "WHERE table_name = $t ORDER BY ordinal_position", params={"t": name}).fetchall()
        assert [c[0] for c in cols] == t.columns, name
        for (col, dtype, nullable), c in zip(cols, t.cols):
            assert dtype == sql_type[contract.SQL_TYPE[c.type]], (name, col, dtype)
            assert (nullable == "NO") == c.required, (name, col)
        checks = " ".join(r[0] for r in raw.sql(
            "SELECT expression FROM duckdb_constraints() WHERE table_name = $t AND constraint_type = 'CHECK'",
            params={"t": name}).fetchall())
        for c in t.cols:
            for v in c.enum:
                assert f"'{v}'" in checks, (name, c.name, v)
        for c in t.cols:        # the data honours every enumeration (checked independently of the DDL)
            if c.enum:
                have = {r[0] for r in raw.sql(f'SELECT DISTINCT "{c.name}" FROM {contract.ident(name)} '
                                              f'WHERE "{c.name}" IS NOT NULL').fetchall()}
                assert have <= set(c.enum), (name, c.name, have - set(c.enum))


@pytest.mark.parametrize("table,column,bad", [
    ("secretary_outcomes", "kind", "喝茶"), ("honors", "honor", "金牌"), ("appeals", "source", "热线"),
    ("meetings", "kind", "茶话会"), ("pairing_activities", "program", "红色旅游"), ("units", "unit_type", "外资"),
])
def test_ddl_refuses_a_value_outside_the_vocabulary(tmp_path, raw, table, column, bad):
    """The DDL's CHECKs are the vocabulary: a warehouse built from the contract refuses any other value."""
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    try:
        con.execute(contract.ddl())
        row = raw.sql(f"SELECT * FROM {contract.ident(table)} LIMIT 1").pl().with_columns(pl.lit(bad).alias(column))
        with pytest.raises(duckdb.ConstraintException):
            warehouse._insert(con, table, row)
        warehouse._insert(con, table, raw.sql(f"SELECT * FROM {contract.ident(table)} LIMIT 1").pl())
        assert con.sql(f"SELECT count(*) FROM {contract.ident(table)}").fetchall() == [(1,)]
    finally:
        con.close()


def test_enumerations_are_the_vocabulary():
    """The template's dropdowns, the validators and the DDL read the same tuples; charts and the deck too."""
    from dashboard import kpis
    from dashboard.charts import appeals as charts_appeals
    from dashboard.charts import topics
    from dashboard.report import content
    by_col = {c.name: c.enum for t in T.TABLES.values() for c in t.cols if c.enum}
    assert by_col["kind"] in (vocab.OUTCOME_KINDS, vocab.MEETING_KINDS)
    assert T.TABLES["secretary_outcomes"].col("kind").enum is vocab.OUTCOME_KINDS
    assert T.TABLES["meetings"].col("kind").enum is vocab.MEETING_KINDS
    assert T.TABLES["honors"].col("honor").enum is vocab.HONORS
    assert T.TABLES["appeals"].col("source").enum is vocab.APPEAL_SOURCES
    assert T.TABLES["pairing_activities"].col("program").enum is vocab.PROGRAMS
    assert T.TABLES["enterprise_party"].col("org_type").enum is vocab.ORG_TYPES
    assert T.TABLES["targets"].col("metric").enum == tuple(vocab.TARGET_METRICS)
    assert T.TARGET_METRICS is vocab.TARGET_METRICS is kpis.TARGET_LABELS
    assert tuple(topics.OUTCOME_KINDS) == vocab.OUTCOME_KINDS == tuple(content.OUTCOME_KINDS)
    assert tuple(content.PROGRAMS) == vocab.PROGRAMS == tuple(charts_appeals.PROGRAM_COLORS)
    assert tuple(topics.LADDER) + tuple(topics.PARALLEL) == vocab.HONOR_LADDER + vocab.HONOR_PARALLEL


# Files that may spell an enumeration out: only the vocabulary itself.
KNOWN_LITERALS = {"dashboard/vocab.py"}


def test_no_enumeration_is_written_twice_in_the_package():
    """No module of the package writes two consecutive values of an enumeration as literals (the way a
    copied list looks): they import dashboard.vocab instead."""
    patterns = {}
    for name, values in vocab.ENUMS.items():
        if len(values) >= 3 and name != "metric":      # metric values are KPI keys, listed by many panels
            a, b = values[0], values[1]
            patterns[name] = re.compile(rf"[\"']{re.escape(a)}[\"']\s*[,:]\s*[^,\n]*?[\"']?{re.escape(b)}[\"']")
    found = []
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in KNOWN_LITERALS:
            continue
        text = path.read_text(encoding="utf-8")
        for name, rx in patterns.items():
            if rx.search(text):
                found.append(f"{rel}: {name}")
    assert found == []


def test_ident_is_a_real_whitelist(tmp_path):
    """Only contract table names become SQL identifiers — an unknown name raises before any SQL runs."""
    assert contract.ident("enterprise_party") == '"enterprise_party"'
    assert contract.ident("meta") == '"meta"'
    for bad in ("mart_kpi", "chains; DROP TABLE chains", 'chains" --', "", None, "CHAINS"):
        with pytest.raises(contract.UnknownTable):
            contract.ident(bad)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    try:
        con.execute(contract.ddl())
        with pytest.raises(contract.UnknownTable):
            warehouse._insert(con, "chains; DROP TABLE chains", pl.DataFrame({"x": [1]}))
        assert con.sql("SELECT count(*) FROM chains").fetchall() == [(0,)]
    finally:
        con.close()
    with pytest.raises(contract.UnknownTable):
        warehouse.write_warehouse(tmp_path / "x.duckdb", {"not_a_table": pl.DataFrame({"x": [1]})},
                                  {"as_of": "2026-09-30"}, make_targets=False)
    assert not (tmp_path / "x.duckdb").exists()


def test_validator_types_follow_the_contract():
    for t in T.TABLES.values():
        for c in t.cols:
            assert c.type in V.DTYPE and c.type in contract.SQL_TYPE, (t.name, c.name)
