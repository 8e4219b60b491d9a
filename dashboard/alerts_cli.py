"""`python -m dashboard alerts`: every annual target of a quarter's year in scope, 滞后 first (the 督办 list).

Reads the same mart as every page (dashboard.targets); registered in dashboard/cli.py's EXTRA_COMMAND_MODULES.
"""
from __future__ import annotations

import json
import sys


def register(sub) -> None:
    a = sub.add_parser("alerts", help="年度目标判断:某季度各范围全部年度目标,滞后在前(与页面、大屏、汇报材料一致)")
    a.add_argument("--quarter", required=True, help="季度,如 2026Q3")
    g = a.add_mutually_exclusive_group()
    g.add_argument("--chain", help="只看该产业链的目标,如 C01")
    g.add_argument("--park", help="只看该园区的目标,如 P01")
    a.add_argument("--json", action="store_true", help="以 JSON 输出(比率为 0–1 小数)")
    a.set_defaults(func=cmd_alerts)


def cmd_alerts(args) -> int:
    from . import db, targets
    from .cli import _quiet_streamlit
    from .kpis import STATUS_TEXT
    if getattr(args, "db", None):
        db.set_db_path(args.db)
    _quiet_streamlit()
    label = args.quarter.upper()
    quarters = [r["label"] for r in db.run_query("shared/quarters").iter_rows(named=True)]
    if label not in quarters:
        print(f"错误:季度 {args.quarter} 不在数据范围内(可选:{quarters[-1]}…{quarters[0]})", file=sys.stderr)
        return 2
    chains = {r["chain_id"]: r["name"] for r in db.run_query("shared/chains").iter_rows(named=True)}
    parks = {r["park_id"]: r["name"] for r in db.run_query("shared/parks").iter_rows(named=True)}
    if args.chain and args.chain not in chains:
        print(f"错误:未知产业链 {args.chain}(可选:{', '.join(chains)})", file=sys.stderr)
        return 2
    if args.park and args.park not in parks:
        print(f"错误:未知园区 {args.park}(可选:{', '.join(parks)})", file=sys.stderr)
        return 2
    df = targets.items(db.quarter_end(label), args.chain, args.park)
    rows = list(df.iter_rows(named=True))
    c = targets.counts(df)
    if args.json:
        print(json.dumps({"quarter": label, "chain": args.chain, "park": args.park,
                          "counts": c, "items": [targets.as_json(r) for r in rows]}, ensure_ascii=False, indent=2))
        return 0
    scope = chains.get(args.chain) or parks.get(args.park) or "全区(含各产业链、各园区)"
    print(f"{label} · {scope} · 年度目标 {df.height} 项:{targets.counts_text(c)}")
    for r in rows:
        print(f"{STATUS_TEXT[r['status']]}  {targets.scope_text(r)} · {r['label']}  {targets.versus_text(r)}"
              f"({targets.gap_text(r)})· 目标 {targets.value(r, 'target_value')} · {targets.forecast_text(r)}"
              f" · 责任:{r['responsible']}")
    return 0
