"""`python -m dashboard report --quarter 2026Q3 [--chain C02 | --park P01] --format pptx|pdf --out FILE`.

The warehouse is the global `--db` (else $DASHBOARD_DB, else data/warehouse.duckdb).
"""
from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

FORMATS = ("pptx", "pdf")


def _quiet_streamlit() -> None:
    """run_query's cache works outside a Streamlit server; silence its "no runtime" chatter
    (streamlit sets its loggers' levels on import, so import it first)."""
    import streamlit.runtime.caching  # noqa: F401
    for name in ("streamlit", "streamlit.runtime.caching.cache_data_api",
                 "streamlit.runtime.scriptrunner_utils.script_run_context"):
        logging.getLogger(name).setLevel(logging.ERROR)


def register(subparsers) -> None:
    r = subparsers.add_parser("report", help="生成季度汇报材料(可编辑 PPTX,原生图表;或 PDF)")
    r.add_argument("--quarter", required=True, help="季度,如 2026Q3")
    g = r.add_mutually_exclusive_group()
    g.add_argument("--chain", help="只含该产业链,如 C02")
    g.add_argument("--park", help="只含该园区,如 P01")
    r.add_argument("--format", choices=FORMATS, help="输出格式(默认按 --out 的扩展名,否则 pptx)")
    r.add_argument("--out", help="输出文件(默认:当前目录下 季度汇报_<季度>_<范围>.<格式>)")
    r.set_defaults(func=cmd_report)


def cmd_report(args) -> int:
    from .. import db
    from . import content
    if getattr(args, "db", None):
        db.set_db_path(args.db)
    _quiet_streamlit()
    fmt = args.format
    if not fmt:
        suffix = Path(args.out).suffix.lower().lstrip(".") if args.out else ""
        fmt = suffix if suffix in FORMATS else "pptx"
    from ..cli import out_path, parse_quarter
    q = parse_quarter(args.quarter)
    if args.out:
        out_path(args.out, "汇报材料", f"季度汇报.{fmt}")
    quarters = [r["label"] for r in db.run_query("shared/quarters").iter_rows(named=True)]
    if args.quarter.upper() not in quarters:
        print(f"错误:季度 {args.quarter} 不在数据范围内(可选:{quarters[-1]}…{quarters[0]})", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    try:
        deck = content.build_deck(q, args.chain, args.park)
    except content.ScopeError as e:
        chains = ", ".join(db.run_query("shared/chains")["chain_id"].to_list())
        parks = ", ".join(db.run_query("shared/parks")["park_id"].to_list())
        print(f"错误:{e}(产业链可选:{chains};园区可选:{parks})", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else Path(f"{deck.file_stem}.{fmt}")
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "pptx":
        from . import pptx_deck
        pptx_deck.save(deck, out)
    else:
        from . import pdf
        try:
            pdf.save(deck, out)
        except RuntimeError as e:
            print(f"错误:{e}", file=sys.stderr)
            return 1
    dt_ = time.perf_counter() - t0
    print(f"已生成 {out}({fmt.upper()},{len(deck.slides)} 页,{deck.scope_label} · {deck.quarter},用时 {dt_:.1f} 秒)")
    return 0
