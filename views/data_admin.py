"""数据管理:每季度导入真实数据(上传 → 校验 → 预览 → 发布),版本列表与回滚,导入日志。"""
import polars as pl
import streamlit as st

from dashboard import safe
from dashboard import db, ui
from dashboard.auth import web
from dashboard.dataio import limits
from dashboard.dataio import publish as pub
from dashboard.dataio import template as T

web.require("data_admin")

RES = "da_result"          # session key: the checked upload (ImportResult) waiting to be published
MODES = {"auto": "自动判断", "update": "增量更新", "replace": "全量替换"}
MODE_HELP = ("**自动判断**:上传的文件包含全部 15 个工作表且每张都有数据(如“导出当前数据”后修改的完整工作簿)时全量替换,"
             "否则增量更新。**增量更新**:只改动上传中有数据的表——企业党建按季度整体替换(上传中出现的季度,原有该季度数据"
             "全部被替换;新季度即追加);企业所属产业链按企业整体替换;其余各表按编号新增或覆盖,不删除已有行。"
             "**全量替换**:仓库内容与上传文件完全一致,须包含全部 15 个工作表。")

broken = None
try:
    db.connection()                 # opens the current file: a missing or unreadable warehouse is said here
    have_db = True
except db.WarehouseMissing:
    have_db = False
except db.WarehouseError as e:
    have_db, broken = False, str(e)
if have_db:
    ui.page("数据管理", crumbs=["数据管理"])
else:
    st.title("数据管理")
    if broken:
        st.error(broken, icon=":material/database:")
    else:
        st.warning("还没有数据仓库:请上传包含全部 15 个工作表的完整工作簿(选择“全量替换”),发布后驾驶舱即可使用。",
                   icon=":material/warning:")

store = pub.Store(db.db_path())
st.caption("每季度导入区内真实数据:上传 Excel/CSV → 一次列出全部错误 → 预览行数与核心指标变化 → 发布为新版本。"
           "发布是原子的:驾驶舱与大屏在下一次刷新时显示新数据,无需重启;任何已发布版本都可一键回滚。")

c1, c2, c3 = st.columns([1, 1, 3], vertical_alignment="center")
c1.download_button("下载导入模板", T.template_bytes, file_name="数据导入模板.xlsx", key="da_tpl",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   icon=":material/download:", on_click="ignore", width="stretch")


def _export_bytes() -> bytes:
    import tempfile
    from pathlib import Path
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "export.xlsx"
        pub.export_warehouse(out, store.db)
        return out.read_bytes()


if have_db:
    c2.download_button("导出当前数据", web.deferred(_export_bytes, file="当前数据.xlsx"), file_name="当前数据.xlsx",
                       key="da_export",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/table_view:", on_click="ignore", width="stretch",
                       help="按导入模板的格式导出当前版本的全部数据(约 10 秒);修改后可整本重新导入。")
with c3.popover("导入规则与文件要求", icon=":material/rule:"):
    st.markdown(MODE_HELP)
    st.dataframe(pl.DataFrame([{"工作表": t.sheet, "表": t.name, "增量更新时的处理方式": T.MODE_TEXT[t.mode],
                                "键": " + ".join(t.col(k).zh for k in t.key)} for t in T.TABLES.values()]),
                 hide_index=True, width="stretch")
    st.markdown("- 文件:.xlsx(Excel、WPS 均可),或单张表的 .csv(UTF-8、UTF-8 带 BOM、GBK),可一次上传多个文件。\n"
                "- 第 1 行为表头(中文表头或英文字段名),第 2 行说明行与示例行会自动忽略。\n"
                "- 数据截至日期 = 企业党建表中最新的季末日期;事件日期不得晚于该日期。\n"
                f"- 保留最近 {pub.KEEP} 个版本;每次导入(含未通过的)都记入导入日志。")

tab_imp, tab_ver, tab_log = st.tabs(["导入数据", "版本与回滚", "导入日志"])

# ------------------------------------------------------------------------------------------ import tab
with tab_imp:
    st.caption(f"文件大小与数据量上限:{limits.describe()}")
    files = ui.file_uploader("上传 Excel 或 CSV(可多选)", ["xlsx", "xlsm", "csv", "txt", "xls", "et"],
                             accept_multiple_files=True, key="da_files",
                             help="把要导入的文件拖到这里。CSV 文件名请用工作表名,如 企业党建.csv。")
    mode = st.radio("导入方式", list(MODES), format_func=MODES.get, horizontal=True, key="da_mode",
                    index=0 if have_db else 2, help=MODE_HELP)
    st.caption({"auto": "完整工作簿(15 个工作表都有数据)→ 全量替换;其他 → 增量更新。",
                "update": "企业党建按季度替换/追加;企业所属产业链按企业替换;其余表按编号新增或覆盖,不删除。",
                "replace": "发布后的数据与上传文件完全一致(未上传的内容会被删除)。"}[mode])

    def _check():
        old = st.session_state.pop(RES, None)
        if old is not None and not old.published:
            pub.discard(old, log=old.plan.ok)
        up = st.session_state.get("da_files") or []
        if not up:
            st.session_state["da_msg"] = ("warning", "请先选择要上传的文件。")
            return
        with st.spinner("正在读取并校验……"):
            try:
                res = pub.check(up, store.db, st.session_state.get("da_mode", "auto"))
            except db.WarehouseError as e:
                st.session_state["da_msg"] = ("error", f"{e}(增量更新需要读取当前数据;可回滚后再导入,或用“全量替换”)")
                return
        if res.plan.ok:
            with st.spinner("校验通过,正在生成并检查新版本……"):
                try:
                    pub.build_candidate(res)
                except Exception as e:  # noqa: BLE001 - show it, nothing was published
                    st.session_state["da_msg"] = ("error", f"生成新版本失败:{e};当前数据未作改动。")
                    return
            res.plan.tables = {}          # the merged tables are in the candidate file now
        else:
            pub.log_refusal(res)
        st.session_state[RES] = res

    st.button("校验并预览", type="primary", icon=":material/fact_check:", key="da_check", on_click=_check)

    msg = st.session_state.pop("da_msg", None)
    if msg:
        getattr(st, msg[0])(msg[1])

    res = st.session_state.get(RES)
    if res is not None:
        plan = res.plan
        names = "、".join(safe.label(f.name) for f in plan.files)   # a file name is the uploader's text
        if not plan.ok:
            st.error(f"{plan.summary()}。文件:{names}", icon=":material/error:")
            counts = pl.DataFrame(plan.rule_counts, schema=["规则", "处数"], orient="row")
            left, right = st.columns([1, 3])
            with left:
                st.markdown("**按规则统计**")
                st.dataframe(counts, hide_index=True, width="stretch")
            with right:
                st.markdown(f"**错误明细**(前 {len(plan.issues)} 处,按文件、工作表、行排列)")
                issues = pl.DataFrame([i.as_dict() for i in plan.issues],
                                      schema={"文件": pl.String, "工作表": pl.String, "行": pl.Int64, "列": pl.String,
                                              "值": pl.String, "规则": pl.String, "说明": pl.String})
                st.dataframe(issues, hide_index=True, width="stretch", height=min(420, 40 + 35 * issues.height),
                             column_config={"说明": st.column_config.TextColumn(width="large")})
                ui.download_buttons(issues, "导入错误清单", key="da_issues")
        elif res.published:
            st.success(res.message + "。驾驶舱与大屏会在下一次刷新时显示新数据。", icon=":material/check_circle:")
        else:
            st.success(f"{plan.summary()}。文件:{names}", icon=":material/check_circle:")
            for w in plan.warnings:
                st.warning(w, icon=":material/warning:")
            a, b, c = st.columns(3)
            a.metric("导入方式", "全量替换" if plan.mode == "replace" else "增量更新")
            b.metric("数据截至", str(plan.as_of), delta=(f"原 {plan.as_of_before}" if plan.as_of_before
                                                       and plan.as_of_before != plan.as_of else None),
                     delta_color="off")
            c.metric("新版本号", res.version or "—")
            left, right = st.columns([1.2, 1])
            with left:
                st.markdown("**各表行数:导入前 → 导入后**")
                st.dataframe(pl.DataFrame(res.rows_table()).drop("表"), hide_index=True, width="stretch",
                             height=560, column_config={
                                 "处理方式": st.column_config.TextColumn(width="large"),
                                 **{k: st.column_config.NumberColumn(format="localized")
                                    for k in ("导入前", "本次上传", "导入后", "变化")}})
            with right:
                st.markdown("**核心指标(全区 · 最新季度):导入前 → 导入后**")
                if res.kpis:
                    st.dataframe(pl.DataFrame(res.kpis).select("指标", "导入前", "导入后", "变化"), hide_index=True,
                                 width="stretch", height=560)

            def _publish():
                r = st.session_state.get(RES)
                try:
                    pub.publish(r)
                except pub.Busy as e:           # nothing changed; the checked upload stays ready to publish
                    st.session_state["da_msg"] = ("warning", str(e))
                except pub.PublishError as e:
                    st.session_state["da_msg"] = ("error", str(e))
                    pub.discard(r)
                    st.session_state.pop(RES, None)

            def _discard():
                r = st.session_state.pop(RES, None)
                if r is not None:
                    pub.discard(r, log=True)
                    st.session_state["da_msg"] = ("info", "已放弃本次导入,当前数据未作改动。")

            p1, p2, _ = st.columns([1, 1, 3])
            p1.button("发布为新版本", type="primary", icon=":material/publish:", key="da_publish", on_click=_publish,
                      width="stretch")
            p2.button("放弃", icon=":material/close:", key="da_discard", on_click=_discard, width="stretch")

# ---------------------------------------------------------------------------------------- versions tab
with tab_ver:
    versions = store.versions()
    if not versions:
        st.info("还没有通过导入发布的版本。第一次发布时,当前数据会自动保存为第一个版本,之后可随时回滚。",
                icon=":material/info:")
    else:
        st.caption(f"保留最近 {pub.KEEP} 个版本;● 为驾驶舱当前显示的版本。回滚只是切换当前版本,不删除任何版本。")
        st.dataframe(pl.DataFrame([v.as_row() for v in versions]), hide_index=True, width="stretch",
                     key="da_versions", column_config={"行数": st.column_config.NumberColumn(format="localized")})
        if not any(v.current for v in versions):
            st.warning("当前数据仓库不是上表中的任何版本(可能被重新生成过);下次导入或回滚时会先把它保存为一个版本。")
        others = [v.id for v in versions if not v.current]
        if others:
            r1, r2, r3 = st.columns([2, 2, 1], vertical_alignment="bottom")
            target = r1.selectbox("回滚到版本", others, key="da_rb_target", placeholder="请选择版本",
                                  format_func=lambda x: next(f"{v.id} · 数据截至 {v.as_of} · {v.source}"
                                                             for v in versions if v.id == x))
            sure = r2.checkbox("确认回滚(驾驶舱将显示该版本的数据)", key="da_rb_sure")

            def _rollback():
                vid = st.session_state.get("da_rb_target")
                try:
                    v = pub.rollback(vid, store.db)
                    st.session_state["da_rb_msg"] = ("success", f"已回滚到版本 {v.id}(数据截至 {v.as_of})。")
                except pub.PublishError as e:
                    st.session_state["da_rb_msg"] = ("error", str(e))
                st.session_state["da_rb_sure"] = False

            r3.button("回滚", icon=":material/history:", key="da_rollback", disabled=not sure, on_click=_rollback,
                      width="stretch")
    m = st.session_state.pop("da_rb_msg", None)
    if m:
        getattr(st, m[0])(m[1])

# --------------------------------------------------------------------------------------------- log tab
with tab_log:
    log = store.log(limit=200)
    if not log:
        st.info("还没有导入记录。", icon=":material/info:")
    else:
        ACTION = {"import": "导入", "dry-run": "试运行", "rollback": "回滚"}
        rows = []
        for e in log:
            files = e.get("files") or []
            rows.append({
                "时间": str(e.get("at", "")).replace("T", " "), "操作": ACTION.get(e.get("action"), e.get("action")),
                "结果": e.get("result", ""),
                "文件(SHA-256 前 12 位)": ";".join(f"{f['name']}({f['sha256'][:12]})" for f in files) or "—",
                "上传行数": sum((e.get("rows") or {}).values()), "错误数": e.get("n_errors", 0),
                "版本": e.get("version") or "—",
                "主要错误": ";".join(f"{k} {v}" for k, v in list((e.get("rules") or {}).items())[:3]),
            })
        st.dataframe(pl.DataFrame(rows), hide_index=True, width="stretch", key="da_log")
        st.caption(f"日志文件:{store.log_path}(每行一条 JSON,含完整 SHA-256)。")
