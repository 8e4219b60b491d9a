"""Every `kpis` number equals an independent SQL over the raw tables (district, a chain, a park)."""
import datetime as dt
import json
import math

import pytest

import independent
from dashboard import cli

Q = dt.date(2026, 9, 30)
SCOPES = [(None, None), ("C02", None), (None, "P01")]


def cli_kpis(capsys, warehouse_path, quarter="2026Q3", chain=None, park=None) -> dict:
    argv = ["--db", warehouse_path, "kpis", "--quarter", quarter, "--json"]
    argv += ["--chain", chain] if chain else []
    argv += ["--park", park] if park else []
    capsys.readouterr()
    assert cli.main(argv) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("chain,park", SCOPES, ids=["district", "chain-C02", "park-P01"])
def test_cli_kpis_equal_independent_sql(capsys, warehouse_path, raw, chain, park):
    got = cli_kpis(capsys, warehouse_path, chain=chain, park=park)["kpis"]
    want = independent.kpis(raw, Q, chain, park)
    assert set(got) == set(want)
    for label, value in want.items():
        assert math.isclose(got[label], value, rel_tol=1e-12, abs_tol=1e-12), (label, got[label], value)


def test_earlier_quarter_and_chain_park_intersection(capsys, warehouse_path, raw):
    got = cli_kpis(capsys, warehouse_path, quarter="2024Q4", chain="C12")["kpis"]
    want = independent.kpis(raw, dt.date(2024, 12, 31), "C12", None)
    for label, value in want.items():
        assert math.isclose(got[label], value, rel_tol=1e-12), label
    # chain × park (used when both filters are set on a page)
    from dashboard import kpis
    heads = {h.kpi.label: h.value for h in kpis.headline(Q, "C02", "P13")}
    want = independent.kpis(raw, Q, "C02", "P13")
    for label, value in want.items():
        assert math.isclose(heads[label], value, rel_tol=1e-12), label


def test_cli_rejects_unknown_scope_in_chinese(capsys, warehouse_path):
    assert cli.main(["--db", warehouse_path, "kpis", "--quarter", "2026Q3", "--chain", "C99"]) == 2
    assert "未知产业链 C99" in capsys.readouterr().err
    assert cli.main(["--db", warehouse_path, "kpis", "--quarter", "2019Q1"]) == 2
    assert "不在数据范围内" in capsys.readouterr().err
