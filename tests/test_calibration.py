"""The demo district at 2026Q3 matches the seed's figures (DESIGN.md calibration)."""
import datetime as dt

import independent

Q = dt.date(2026, 9, 30)


def test_seed_figures_at_2026q3(raw):
    k = independent.kpis(raw, Q)
    assert k["中小企业数"] > 40_000
    assert k["小巨人"] == 32
    assert k["单项冠军"] == 7
    assert k["两高四新"] == 343


def test_every_contract_table_has_rows(raw):
    from dashboard.warehouse import RAW_TABLES
    for t in RAW_TABLES:
        assert raw.sql(f"SELECT count(*) FROM {t}").fetchall()[0][0] > 0, t


def test_thirteen_chains_and_parks_and_quarters(raw):
    assert raw.sql("SELECT count(*) FROM chains").fetchall()[0][0] == 13
    assert raw.sql("SELECT count(*) FROM parks").fetchall()[0][0] == 13
    labels = [r[0] for r in raw.sql("SELECT label FROM dim_quarter ORDER BY quarter_end").fetchall()]
    assert labels[0] == "2023Q4" and labels[-1] == "2026Q3" and len(labels) == 12
    meta = dict(raw.sql("SELECT key, value FROM meta").fetchall())
    assert meta["as_of"] == "2026-09-30" and meta["source"] == "demo"


def test_secretary_scheme_scale(raw):
    """≈120 people from ≈55 units in ≈100 SMEs, ~1,356 problems solved a year."""
    n, units, ents = raw.sql("""SELECT count(*), count(DISTINCT source_unit_id), count(DISTINCT enterprise_id)
        FROM secretaries WHERE started_on <= DATE '2026-09-30' AND (ended_on IS NULL OR ended_on > DATE '2026-09-30')""").fetchall()[0]
    assert 100 <= n <= 140 and 40 <= units <= 60 and 85 <= ents <= 110
    solved = raw.sql("""SELECT sum(n) FROM secretary_outcomes WHERE kind = '解决问题'
        AND occurred_on BETWEEN DATE '2025-10-01' AND DATE '2026-09-30'""").fetchall()[0][0]
    assert 1000 <= solved <= 1700


def test_red_and_yellow_states_exist(raw):
    states = dict(raw.sql("""SELECT status, count(*) FROM mart_target_status
        WHERE quarter_end = DATE '2026-09-30' AND park_id = '*' AND chain_id <> '*' GROUP BY 1""").fetchall())
    assert states.get("红", 0) > 0 and states.get("黄", 0) > 0 and states.get("绿", 0) > 0


def test_uscc_check_digits_valid_and_unique(raw):
    from dashboard.uscc import is_valid_uscc
    codes = [r[0] for r in raw.sql("SELECT uscc FROM enterprises").fetchall()]
    assert len(set(codes)) == len(codes)
    assert all(is_valid_uscc(c) for c in codes)


def test_uscc_validator_rejects_a_wrong_check_digit():
    from dashboard.uscc import is_valid_uscc, uscc_check_char
    good = "91440112" + "12345678" + "X"
    good = good[:17] + uscc_check_char(good[:17])
    assert is_valid_uscc(good)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    assert not is_valid_uscc(bad)
    assert not is_valid_uscc(good[:17] + "I")  # I is not in the charset
    # A published example code: 91350100M000100Y43
    assert is_valid_uscc("91350100M000100Y43")


def test_no_real_people_from_the_seed_in_names(raw):
    names = {r[0] for r in raw.sql("SELECT name FROM secretaries").fetchall()}
    assert "荣丽娟" not in names
    ent = raw.sql("SELECT count(*) FROM enterprises WHERE name LIKE '%迈普%' OR name LIKE '%电子口岸%'").fetchall()[0][0]
    assert ent == 0
