"""Two builds produce identical table contents (hash of every table)."""
from dashboard.warehouse import MART_TABLES, RAW_TABLES, build_demo


def table_hashes(path) -> dict:
    import duckdb
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        for t in RAW_TABLES + MART_TABLES:
            where = "WHERE key <> 'loaded_at'" if t == "meta" else ""  # the load time is not data
            out[t] = con.sql(f"SELECT count(*), coalesce(sum(hash(x::VARCHAR)), 0) FROM {t} x {where}").fetchall()[0]
        return out
    finally:
        con.close()


def test_two_builds_are_identical(tmp_path, warehouse_path):
    b = tmp_path / "b.duckdb"
    build_demo(b, 1.0)
    ha, hb = table_hashes(warehouse_path), table_hashes(b)
    assert ha == hb
    assert all(n > 0 for n, _ in ha.values())


def test_scale_multiplies_the_population(tmp_path):
    import duckdb
    small = tmp_path / "s.duckdb"
    build_demo(small, 0.1)
    con = duckdb.connect(str(small), read_only=True)
    n = con.sql("SELECT count(*) FROM enterprises").fetchall()[0][0]
    con.close()
    assert 4_000 <= n <= 5_600
