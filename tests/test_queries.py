"""Every .sql file in queries/ runs with sample params; a header/param mismatch is an error."""
import pytest

from dashboard import db, queries
from sample_params import SAMPLES


@pytest.mark.parametrize("name", queries.all_names())
def test_query_runs_with_sample_params(warehouse_path, name):
    q = queries.load(name)
    assert q.description and not q.description.lower().startswith("params")
    params = {p: SAMPLES[p] for p in q.params}
    df = db.execute(name, params)
    assert df.width > 0


def test_header_must_declare_exactly_the_placeholders():
    with pytest.raises(queries.QueryError, match="undeclared"):
        queries.parse("x/y", "-- 说明。One row.\n-- params: a\nSELECT $a, $b")
    with pytest.raises(queries.QueryError, match="unused"):
        queries.parse("x/y", "-- 说明。One row.\n-- params: a, b\nSELECT $a")
    with pytest.raises(queries.QueryError):
        queries.parse("x/y", "SELECT 1")  # no header
    ok = queries.parse("x/y", "-- 说明。One row.\n-- params: a\nSELECT $a -- not $b in a comment")
    assert ok.params == ("a",)


def test_run_query_checks_params(warehouse_path):
    with pytest.raises(queries.QueryError):
        db.run_query("shared/kpi_trend", quarter_end=SAMPLES["quarter_end"])  # missing chain_id, park_id
    with pytest.raises(queries.QueryError):
        db.run_query("shared/quarters", bogus=1)
    with pytest.raises(queries.QueryError):
        db.run_query("../etc/passwd")


def test_no_sql_is_built_from_strings_in_pages():
    import pathlib
    import re
    root = pathlib.Path(__file__).resolve().parent.parent
    for p in list((root / "views").glob("*.py")) + [root / "streamlit_app.py"]:
        text = p.read_text(encoding="utf-8")
        assert not re.search(r"\bSELECT\b|\bFROM\s+\w+\s+WHERE\b", text), f"SQL in {p.name}"
        assert "duckdb" not in text, f"{p.name} talks to the database directly"
