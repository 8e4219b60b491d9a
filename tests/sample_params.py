"""Sample values for every query parameter name used in queries/ (used to run each .sql file).

When a query declares a new parameter name, add a sample value here.
"""
import datetime as dt

SAMPLES = {
    "quarter_end": dt.date(2026, 9, 30),
    "prev_quarter_end": dt.date(2026, 6, 30),
    "chain_id": "C02",
    "park_id": "P01",
    "chain_ids": ["C01", "C02"],
    "enterprise_id": "E0000001",
    "search": "科技",
    "year": 2026,
    "limit": 50,
    "metric": "n_enterprises",
    "honor": "小巨人",
}
