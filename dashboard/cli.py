"""Command line: python -m dashboard <subcommand> [--db PATH] …

The warehouse is found the same way everywhere: --db PATH, else $DASHBOARD_DB, else
data/warehouse.duckdb.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys

from .paths import absolute_path, resolve_db


def _quiet_streamlit() -> None:
    """run_query's cache works outside a Streamlit server; silence its "no runtime" chatter."""
    from streamlit import logger as st_logger
    st_logger.set_log_level(logging.ERROR)


def cmd_build_demo(args) -> int:
    from .warehouse import build_demo
    out = absolute_path(args.out) if args.out else resolve_db(args.db)  # a symlink stays a link
    print(f"生成演示数据(规模 ×{args.scale:g})→ {out}")
    info = build_demo(out, args.scale)
    print(f"完成:生成 {info['generate_s']:.1f} 秒,建库 {info['write_s']:.1f} 秒,"
          f"文件 {info['size_bytes'] / 2**20:.1f} MiB")
    for t, n in info["rows"].items():
        print(f"  {t:<22}{n:>12,}")
    return 0


def cmd_kpis(args) -> int:
    from . import db, kpis
    if args.db:
        db.set_db_path(args.db)
    _quiet_streamlit()
    q = db.quarter_end(args.quarter)
    quarters = [r["label"] for r in db.run_query("shared/quarters").iter_rows(named=True)]
    if args.quarter.upper() not in quarters:
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
    items = kpis.headline(q, args.chain, args.park)
    scope = "全区" if not (args.chain or args.park) else " × ".join(
        x for x in (chains.get(args.chain), parks.get(args.park)) if x)
    if args.json:
        print(json.dumps({"quarter": args.quarter.upper(), "chain": args.chain, "park": args.park,
                          "scope": scope, "kpis": kpis.as_dict(items)}, ensure_ascii=False, indent=2))
        return 0
    print(f"{args.quarter.upper()} · {scope}")
    for h in items:
        extra = ""
        if h.target:
            extra = f"  目标 {kpis.fmt_value(h.kpi, h.target['target_value'])} 进度 {h.target['progress'] * 100:.0f}% {h.target['status']}"
        print(f"  {h.kpi.label:<10}{h.text:>14}{extra}")
    return 0


def cmd_bench(args) -> int:
    from .bench import run_bench
    scales = [float(s) for s in args.scale.split(",") if s.strip()]
    return run_bench(scales, keep=args.keep, runs=args.runs)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m dashboard", description="链长制·党建引领监测驾驶舱 命令行工具")
    p.add_argument("--db", help="数据仓库文件(默认:$DASHBOARD_DB 或 data/warehouse.duckdb)")
    sub = p.add_subparsers(dest="cmd", required=True, metavar="子命令")

    b = sub.add_parser("build-demo", help="生成确定性的演示数据仓库")
    b.add_argument("--scale", type=float, default=1.0, help="企业规模倍数(默认 1;25 约 100 万企业)")
    b.add_argument("--out", help="输出文件(默认同 --db 规则)")
    b.set_defaults(func=cmd_build_demo)

    k = sub.add_parser("kpis", help="打印某季度某范围的核心指标(与页面一致)")
    k.add_argument("--quarter", required=True, help="季度,如 2026Q3")
    g = k.add_mutually_exclusive_group()
    g.add_argument("--chain", help="产业链编号,如 C01")
    g.add_argument("--park", help="园区编号,如 P01")
    k.add_argument("--json", action="store_true", help="以 JSON 输出(比率为 0–1 小数)")
    k.set_defaults(func=cmd_kpis)

    be = sub.add_parser("bench", help="性能基准:建库、页面服务端耗时、查询耗时、内存峰值")
    be.add_argument("--scale", default="1,25", help="规模列表,逗号分隔(默认 1,25)")
    be.add_argument("--runs", type=int, default=5, help="热启动重复次数(默认 5)")
    be.add_argument("--keep", help="保留生成的仓库到此目录")
    be.set_defaults(func=cmd_bench)

    for mod in _extra_commands():
        mod.register(sub)

    args = p.parse_args(argv)
    if getattr(args, "db", None) and args.cmd != "build-demo":
        from . import db
        db.set_db_path(args.db)
    return args.func(args) or 0


EXTRA_COMMAND_MODULES = ["dashboard.report.cli", "dashboard.dataio.cli", "dashboard.auth.cli"]


def _extra_commands():
    """Subcommands contributed by other packages: each module has `register(subparsers)`."""
    import importlib
    import importlib.util
    mods = []
    for name in EXTRA_COMMAND_MODULES:
        try:
            found = importlib.util.find_spec(name) is not None
        except ModuleNotFoundError:
            found = False
        if found:
            mods.append(importlib.import_module(name))
    return mods
