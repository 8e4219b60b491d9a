"""年度目标判断(督办): what every surface shows of `mart_target_status`, and the words it uses.

The status of a target is computed once, in the warehouse (queries/_build/mart_target_status.sql, the
rule in `kpis.TARGET_RULE`). Pages, the big screen, the deck and the CLI read it through `items()` and
print it with the helpers below, so they agree on every item, every count and every sentence.
"""
from __future__ import annotations

import datetime as dt

import polars as pl

from .db import run_query
from .kpis import BY_KEY, STATUS_ORDER, STATUS_WORD, fmt_value

SCOPE_WORD = {"district": "全区", "chain": "产业链", "park": "园区"}
PAGE_OF_SCOPE = {"district": "overview", "chain": "chain", "park": "park"}


def items(quarter_end: dt.date, chain_id: str | None = None, park_id: str | None = None) -> pl.DataFrame:
    """Every target of the quarter's year in scope, 滞后 first (then by how far behind).

    No chain and no park: all targets (the district's, every chain's, every park's). A chain or a park:
    that scope's own targets. A chain × park view has no targets of its own (empty)."""
    return run_query("targets/items", quarter_end=quarter_end, chain_id=chain_id or "*", park_id=park_id or "*")


def alerts(df: pl.DataFrame) -> pl.DataFrame:
    """The 需关注事项: 滞后 then 关注 (the order of `items`)."""
    return df.filter(pl.col("status") != "绿")


def counts(df: pl.DataFrame) -> dict[str, int]:
    """{'红': n, '黄': n, '绿': n} over the rows given."""
    got = dict(zip(*df.group_by("status").len().select("status", "len").to_dict(as_series=False).values())) \
        if df.height else {}
    return {s: int(got.get(s, 0)) for s in STATUS_ORDER}


def counts_text(c: dict[str, int], with_green: bool = True) -> str:
    """'滞后 11 项、关注 14 项、正常 99 项'."""
    parts = [f"{STATUS_WORD[s]} {c[s]} 项" for s in STATUS_ORDER if with_green or s != "绿"]
    return "、".join(parts)


# ------------------------------------------------------------------------------------------- words
def _count(x: float) -> str:
    """A count that may be fractional (expected = target × s): '705', '2.8'."""
    return f"{x:,.0f}" if abs(x - round(x)) < 0.05 else f"{x:,.1f}"


def value(row: dict, key: str) -> str:
    """A value of the row in the metric's unit: '55.2%', '32 家', '2.8 家' (an expected count), '544 次'."""
    k = BY_KEY[row["metric"]]
    x = row[key]
    if x is None or k.is_rate:
        return fmt_value(k, x)
    return f"{_count(float(x))} {k.unit}"


def gap_text(row: dict) -> str:
    """Actual − expected: '差 0.7 个百分点' / '差 161 次' (behind), '超 3 家' (ahead) or '持平'."""
    k = BY_KEY[row["metric"]]
    g = row["gap"]
    if g is None:
        return "—"
    if k.is_rate:
        if abs(g) < 0.0005:
            return "持平"
        amount = f"{abs(g) * 100:.1f} 个百分点"
    else:
        if abs(g) < 0.05:
            return "持平"
        amount = f"{_count(abs(g))} {k.unit}"
    return ("差 " if g < 0 else "超 ") + amount


def forecast_text(row: dict) -> str:
    """'按当前进度预计全年 725 次(为目标的 77%)'."""
    if row["forecast"] is None:
        return "按当前进度预计全年 —"
    rate = row["forecast_rate"]
    share = f"(为目标的 {rate * 100:.0f}%)" if rate is not None else ""
    return f"按当前进度预计全年 {fmt_value(BY_KEY[row['metric']], row['forecast'])}{share}"


def scope_phrase(row: dict) -> str:
    """In running text: '全区' / '美妆大健康产业链' / '广州科学城园区'."""
    if row["scope_type"] == "district":
        return "全区"
    return f"{row['scope_name']}{'产业链' if row['scope_type'] == 'chain' else '园区'}"


def scope_text(row: dict) -> str:
    """'全区' / '产业链 · 美妆大健康' / '园区 · 广州科学城'."""
    if row["scope_type"] == "district":
        return "全区"
    return f"{SCOPE_WORD[row['scope_type']]} · {row['scope_name']}"


def versus_text(row: dict) -> str:
    """'实际 55.2% / 应达 55.9%'."""
    return f"实际 {value(row, 'actual')} / 应达 {value(row, 'expected')}"


def sentence(row: dict) -> str:
    """One item as a sentence (deck notes, CLI): scope, metric, status, actual vs expected, gap, target,
    forecast and who answers for it."""
    return (f"{scope_text(row)} {row['label']}:{STATUS_WORD[row['status']]},{versus_text(row)}({gap_text(row)}),"
            f"年度目标 {value(row, 'target_value')},{forecast_text(row)};责任:{row['responsible']}")


def responsible_short(row: dict) -> str:
    """'副区长(分管市场监管) · 区市场监督管理局' / '科学城园区管理办公室' / '全区' (tables)."""
    if row["scope_type"] == "chain":
        return f"{row['responsible_title']} · {row['responsible_unit']}"
    return row["responsible_unit"]


def page_link(row: dict) -> tuple[str, dict]:
    """(page key for drill.request, its params) of the item's scope."""
    page = PAGE_OF_SCOPE[row["scope_type"]]
    params = {"district": {"chain": "", "park": ""}, "chain": {"chain": row["chain_id"], "park": ""},
              "park": {"chain": "", "park": row["park_id"]}}[row["scope_type"]]
    return page, params


def as_json(row: dict) -> dict:
    """One item as the CLI's JSON prints it (numbers as stored: rates 0–1)."""
    def num(x):
        return None if x is None else float(x)
    return {
        "scope_type": row["scope_type"], "scope_id": row["scope_id"], "scope_name": row["scope_name"],
        "metric": row["metric"], "label": row["label"], "kind": row["kind"], "unit": row["unit"],
        "base": num(row["base"]), "actual": num(row["actual"]), "expected": num(row["expected"]),
        "target": num(row["target_value"]), "status": row["status"], "gap": num(row["gap"]),
        "forecast": num(row["forecast"]), "forecast_rate": num(row["forecast_rate"]),
        "responsible": row["responsible"],
    }

