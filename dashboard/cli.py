"""Command line: python -m dashboard [--db PATH] <subcommand> [--db PATH] …

The warehouse is found the same way everywhere: --db PATH (before or after the subcommand), else
$DASHBOARD_DB, else data/warehouse.duckdb.

Every failure is one Chinese sentence on stderr and a non-zero exit code, never a traceback (set
DASHBOARD_DEBUG=1 to see one): 1 = the command failed, 2 = bad arguments or no usable warehouse,
3 = another import is running (see `import --wait`), 130 = interrupted.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys

from .paths import resolve_db


def _quiet_streamlit() -> None:
    """run_query's cache works outside a Streamlit server; silence its "no runtime" chatter."""
    from streamlit import logger as st_logger
    st_logger.set_log_level(logging.ERROR)


def cmd_build_demo(args) -> int:
    from .warehouse import build_demo
    out = out_path(args.out, "数据仓库", "warehouse.duckdb") if args.out else resolve_db(args.db)  # a link stays
    print(f"生成演示数据(规模 ×{args.scale:g})→ {out}")
    info = build_demo(out, args.scale)
    print(f"完成:生成 {info['generate_s']:.1f} 秒,建库 {info['write_s']:.1f} 秒,"
          f"文件 {info['size_bytes'] / 2**20:.1f} MiB")
    for t, n in info["rows"].items():
        print(f"  {t:<22}{n:>12,}")
    return 0


class CliError(Exception):
    """A failure to report as `错误:<message>` with exit code `code`."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


def out_path(path, what: str = "文件", example: str = "结果.xlsx"):
    """An --out path that can be written: not a folder, its folder exists or can be made."""
    from pathlib import Path

    from .paths import absolute_path
    p = absolute_path(path)
    if p.is_dir():
        raise CliError(f"--out 指向的是文件夹「{p}」:请给出{what}的文件名,如 {p / example}")
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        from .dataio.publish import os_error_text
        raise CliError(f"无法创建输出文件所在的文件夹:{os_error_text(e)}", 1) from None
    if not os.access(p.parent, os.W_OK):
        raise CliError(f"输出文件夹「{p.parent}」不可写(权限不足):请换一个位置", 1)
    return Path(p)


def parse_quarter(label: str):
    from . import db
    try:
        return db.quarter_end(label)
    except ValueError as e:
        raise CliError(str(e)) from None


def cmd_kpis(args) -> int:
    from . import db, kpis, targets
    if args.db:
        db.set_db_path(args.db)
    _quiet_streamlit()
    q = parse_quarter(args.quarter)
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
            t = h.target
            extra = (f"  年度目标 {kpis.fmt_value(h.kpi, t['target_value'])} 应达 {targets.value(t, 'expected')}"
                     f" {kpis.STATUS_WORD[t['status']]}")
        print(f"  {h.kpi.label:<10}{h.text:>14}{extra}")
    return 0


def cmd_bench(args) -> int:
    # The benchmarks live in tools/bench (outside the package): loaded only for this subcommand.
    from .paths import ROOT
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    if args.load:
        from tools.bench.load import main_from_args
        return main_from_args(args)
    from tools.bench.pages import run_bench
    scales = [float(s) for s in args.scale.split(",") if s.strip()]
    return run_bench(scales, keep=args.keep, runs=args.runs)


_ARGPARSE_ZH = [
    (r"the following arguments are required: (.*)", r"缺少必需的参数:\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数:\1"),
    (r"argument (\S+): invalid choice: '?([^']*)'? \(choose from (.*)\)", r"参数 \1 的取值「\2」无效,可选:\3"),
    (r"argument (\S+): invalid (\w+) value: '?([^']*)'?", r"参数 \1 的取值「\3」无效:应为数字"),
    (r"argument (\S+): expected one argument", r"参数 \1 需要一个值"),
    (r"argument (\S+): not allowed with argument (\S+)", r"参数 \1 不能与 \2 同时使用"),
    (r"ambiguous option: (\S+) could match (.*)", r"参数 \1 不明确,可能是:\2"),
]


class ChineseParser(argparse.ArgumentParser):
    """argparse with Chinese help headings and error sentences (and exit code 2, as argparse)."""

    def __init__(self, *args, **kw):
        kw.setdefault("add_help", False)
        super().__init__(*args, **kw)
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示帮助并退出")

    def _zh(self, text: str) -> str:
        return (text.replace("usage:", "用法:").replace("positional arguments:", "位置参数:")
                .replace("options:", "选项:").replace("optional arguments:", "选项:"))

    def format_usage(self) -> str:
        return self._zh(super().format_usage())

    def format_help(self) -> str:
        return self._zh(super().format_help())

    def error(self, message: str):
        for pattern, zh in _ARGPARSE_ZH:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, zh, message)
                break
        else:
            message = f"命令行参数有误({message})"
        self.print_usage(sys.stderr)
        self.exit(2, f"错误:{message}。可用 `{self.prog} --help` 查看用法\n")


DB_HELP = "数据仓库文件(默认:$DASHBOARD_DB 或 data/warehouse.duckdb);子命令前后均可"


def build_parser() -> ChineseParser:
    p = ChineseParser(prog="python -m dashboard", description="链长制·党建引领监测驾驶舱 命令行工具")
    p.add_argument("--db", help=DB_HELP)
    sub = p.add_subparsers(dest="cmd", required=True, metavar="子命令", parser_class=ChineseParser,
                           title="子命令")

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

    be = sub.add_parser("bench", help="性能基准:建库、页面服务端耗时、查询耗时、内存峰值;--load 为多会话负载测试")
    be.add_argument("--scale", default="1,25", help="规模列表,逗号分隔(默认 1,25)")
    be.add_argument("--runs", type=int, default=5, help="热启动重复次数(默认 5)")
    be.add_argument("--keep", help="保留生成的仓库到此目录")
    ld = be.add_argument_group("负载测试(--load):模拟浏览器会话,经 websocket 逐页访问,随机产业链/园区范围")
    ld.add_argument("--load", action="store_true", help="运行负载测试,而不是上面的页面基准")
    ld.add_argument("--sessions", type=int, default=1, help="同时在线的会话数(默认 1)")
    ld.add_argument("--think", type=float, default=0.0, help="两次页面访问之间的平均思考时间,秒(默认 0:连续访问)")
    ld.add_argument("--duration", type=float,
                    help="持续秒数(至少;并持续到每个页面都已访问过)。默认:每个会话把每个页面访问一遍")
    ld.add_argument("--url", help="被测服务地址,如 http://127.0.0.1:8501(默认:自行启动一个服务)")
    ld.add_argument("--pid", type=int, action="append", help="被测服务的进程号(配合 --url 报告内存;可重复)")
    ld.add_argument("--idle-sessions", type=int, default=5, help="测量空闲会话内存所开的会话数(默认 5;0 为不测)")
    ld.add_argument("--seed", type=int, default=1, help="随机种子(默认 1)")
    ld.add_argument("--roles", default="leader,chain,park",
                    help="模拟会话的账号角色,轮流分配(默认 leader,chain,park;每个会话一个压测账号,建在服务所用的应用状态库中)")
    ld.add_argument("--json", help="把结果另存为 JSON 文件")
    be.set_defaults(func=cmd_bench)

    for mod in _extra_commands():
        mod.register(sub)
    # --db after the subcommand too, for every subcommand (also those registered by other modules): a
    # subparser option with default SUPPRESS leaves a --db given before the subcommand in place.
    def add_db(parsers) -> None:
        for sp in parsers:
            if not any("--db" in a.option_strings for a in sp._actions):
                sp.add_argument("--db", default=argparse.SUPPRESS, help=DB_HELP)
            for a in sp._actions:                       # nested: `users list --db …`
                if isinstance(a, argparse._SubParsersAction):
                    add_db(a.choices.values())
    add_db(sub.choices.values())
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "db", None) and args.cmd != "build-demo":
        from . import db
        db.set_db_path(args.db)
    try:
        return args.func(args) or 0
    except Exception as e:  # noqa: BLE001 - every failure becomes one Chinese sentence and an exit code
        if os.environ.get("DASHBOARD_DEBUG") == "1":
            raise
        message, code = describe_failure(e)
        print(f"错误:{message}", file=sys.stderr)
        return code
    except KeyboardInterrupt:
        print("已中断,当前数据未作改动。", file=sys.stderr)
        return 130


def describe_failure(e: BaseException) -> tuple[str, int]:
    """(Chinese sentence, exit code) for a failure that reached the command line."""
    import duckdb

    from .db import WarehouseError
    from .dataio.publish import PublishError, os_error_text
    if isinstance(e, CliError):
        return str(e), e.code
    if isinstance(e, WarehouseError):
        return str(e), 2
    if isinstance(e, PublishError):
        return str(e), 1
    if isinstance(e, OSError):
        return f"无法读写文件:{os_error_text(e)}", 1
    if isinstance(e, duckdb.Error):
        return f"数据仓库读写失败({type(e).__name__}):请检查文件是否完整、磁盘是否已满", 1
    if isinstance(e, MemoryError):
        return "内存不足,操作已停止", 1
    return (f"内部错误({type(e).__name__}),操作未完成。设置环境变量 DASHBOARD_DEBUG=1 后重试可查看技术细节", 1)


EXTRA_COMMAND_MODULES = ["dashboard.report.cli", "dashboard.dataio.cli", "dashboard.alerts_cli", "dashboard.cluster",
                         "dashboard.auth.cli"]


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
