"""Subcommands of `python -m dashboard` for 数据管理: template, export, import, versions, rollback.

The warehouse is the top-level --db (else $DASHBOARD_DB, else data/warehouse.duckdb); the CLI has
already called db.set_db_path(--db) when given, so `db.db_path()` is the path (a symlink is kept).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _pad(s, width: int, right: bool = False) -> str:
    """Pad to a display width (CJK characters take two columns in a terminal)."""
    import unicodedata
    s = str(s)
    w = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)
    fill = " " * max(0, width - w)
    return fill + s if right else s + fill


def _db(args):
    from .. import db
    return db.db_path() if not getattr(args, "db", None) else Path(args.db)


def cmd_template(args) -> int:
    from ..cli import out_path
    from .template import write_template
    out = write_template(out_path(args.out, "导入模板", "数据导入模板.xlsx"))
    print(f"已生成导入模板:{out}")
    return 0


def cmd_export(args) -> int:
    from ..cli import out_path
    from .publish import export_warehouse
    from .. import db
    out_path(args.out, "导出", "当前数据.xlsx")
    try:
        info = export_warehouse(args.out, _db(args))
    except db.WarehouseMissing as e:
        print(f"错误:{e}", file=sys.stderr)
        return 2
    print(f"已导出当前数据(数据截至 {info['as_of']})→ {args.out},用时 {info['seconds']:.1f} 秒")
    for t, n in info["rows"].items():
        print(f"  {t:<22}{n:>12,}")
    return 0


def _print_issues(plan) -> None:
    print(plan.summary(), file=sys.stderr)
    for i in plan.issues:
        print("  " + i.message, file=sys.stderr)
    if plan.rule_counts:
        print("按规则统计:", file=sys.stderr)
        for rule, n in plan.rule_counts:
            print(f"  {rule}:{n:,} 处", file=sys.stderr)


def cmd_import(args) -> int:
    from ..cli import _quiet_streamlit
    from .publish import Busy, PublishError, import_files
    from . import template as T
    _quiet_streamlit()
    missing = [f for f in args.files if not Path(f).is_file()]
    if missing:
        print(f"错误:找不到文件 {'、'.join(missing)}", file=sys.stderr)
        return 2
    def waiting():
        print(f"另一项数据导入正在进行,等待其完成(最多 {args.wait:g} 秒)……", file=sys.stderr, flush=True)

    try:
        res = import_files(args.files, _db(args), mode=args.mode, dry_run=args.dry_run, keep=args.keep,
                           wait_s=args.wait, on_wait=waiting)
    except Busy as e:
        print(f"错误:{e};当前数据未作改动", file=sys.stderr)
        return 3
    except PublishError as e:
        print(f"错误:{e};当前数据未作改动" if "未作改动" not in str(e) else f"错误:{e}", file=sys.stderr)
        return 1
    plan = res.plan
    if res.store.log_error:
        print(f"提示:{res.store.log_error}", file=sys.stderr)
    if not plan.ok:
        _print_issues(plan)
        return 1
    if "wait_s" in res.timings:
        print(f"已等待另一项导入完成({res.timings['wait_s']:.0f} 秒),本次基于其发布后的数据校验。")
    print(f"校验通过 · {plan.mode_text} · 数据截至 {plan.as_of}")
    for w in plan.warnings:
        print(f"提示:{w}")
    print(_pad("工作表", 16) + _pad("导入前", 12, True) + _pad("本次上传", 12, True) + _pad("导入后", 12, True)
          + "  处理方式")
    for t in T.TABLES:
        print(_pad(T.TABLES[t].sheet, 16) + _pad(f"{plan.before.get(t, 0):,}", 12, True)
              + _pad(f"{plan.uploaded.get(t, 0):,}", 12, True) + _pad(f"{plan.after.get(t, 0):,}", 12, True)
              + f"  {plan.changes.get(t, '')}")
    if res.kpis:
        print("核心指标(全区,最新季度)导入前 → 导入后:")
        for r in res.kpis:
            print("  " + _pad(r["指标"], 16) + _pad(r["导入前"], 22, True) + " → " + _pad(r["导入后"], 22)
                  + r["变化"])
    tm = res.timings
    names = {"read_s": "读取", "validate_s": "校验", "build_s": "生成新版本", "verify_s": "检查与预览", "publish_s": "发布"}
    print("用时:" + ",".join(f"{names.get(k, k)} {v:.1f} 秒" for k, v in tm.items()))
    print(res.message)
    return 0


def cmd_versions(args) -> int:
    from .publish import Store
    store = Store(_db(args))
    vs = store.versions()
    if not vs:
        print(f"还没有发布过版本({store.db} 尚未经导入发布)。")
        return 0
    print("  " + _pad("版本", 22) + _pad("创建时间", 21) + _pad("数据截至", 12) + _pad("行数", 10, True) + "  来源")
    for v in vs:
        print(f"{'*' if v.current else ' '} " + _pad(v.id, 22) + _pad(v.created.replace("T", " "), 21)
              + _pad(v.as_of or "—", 12) + _pad(f"{v.total_rows:,}", 10, True) + f"  {v.source}")
    if not any(v.current for v in vs):
        print(f"注意:{store.db} 当前不指向任何版本(可能被 build-demo 覆盖);下次导入时会自动纳入版本管理。")
    return 0


def cmd_rollback(args) -> int:
    from .publish import PublishError, rollback
    try:
        v = rollback(args.version, _db(args))
    except PublishError as e:
        print(f"错误:{e}", file=sys.stderr)
        return 2
    print(f"已回滚到版本 {v.id}(数据截至 {v.as_of}),正在运行的驾驶舱会在下一次刷新时显示该版本。")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    from .publish import IMPORT_WAIT_S, KEEP
    t = sub.add_parser("template", help="生成数据导入模板(Excel)")
    t.add_argument("--out", required=True, help="输出文件,如 模板.xlsx")
    t.set_defaults(func=cmd_template)

    e = sub.add_parser("export", help="按导入模板格式导出当前数据(Excel)")
    e.add_argument("--out", required=True, help="输出文件,如 当前数据.xlsx")
    e.set_defaults(func=cmd_export)

    i = sub.add_parser("import", help="导入 Excel/CSV:校验 → 生成并检查新版本 → 发布(--dry-run 只校验)",
                       description="导入一个或多个 .xlsx / .csv(UTF-8、UTF-8 BOM、GBK)。"
                                   "全部错误一次列出;校验通过后生成新版本并原子发布,可用 rollback 回退。")
    i.add_argument("files", nargs="+", metavar="FILE", help="要导入的文件")
    i.add_argument("--dry-run", action="store_true", help="只校验并预览,不发布")
    i.add_argument("--mode", choices=["auto", "update", "replace"], default="auto",
                   help="auto(默认):15 个工作表都有数据时全量替换,否则增量更新;update:增量更新;replace:全量替换")
    i.add_argument("--keep", type=int, default=KEEP, help=f"保留最近几个版本(默认 {KEEP})")
    i.add_argument("--wait", type=float, default=IMPORT_WAIT_S, metavar="秒",
                   help=f"另一项导入正在进行时最多等待的秒数(默认 {IMPORT_WAIT_S:g};超时则不导入,退出码 3)")
    i.set_defaults(func=cmd_import)

    v = sub.add_parser("versions", help="列出已发布的数据版本(* 为当前版本)")
    v.set_defaults(func=cmd_versions)

    r = sub.add_parser("rollback", help="回滚到某个已发布的版本")
    r.add_argument("version", metavar="VERSION", help="版本号,如 v20261001-093000")
    r.set_defaults(func=cmd_rollback)
