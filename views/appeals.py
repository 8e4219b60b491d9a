"""诉求办理:吐槽大会 · 联合调度收集的企业诉求,收集 → 转办 → 办结 闭环,按承办单位/类别/来源分析,超期清单。"""
import polars as pl
import streamlit as st

from dashboard import alerts_ui, ui
from dashboard import labels as L
from dashboard.charts import appeals as ch
from dashboard.db import run_query

f = ui.page("诉求办理")
alerts_ui.css()
P = dict(quarter_end=f.quarter_end, chain_id=f.chain_key, park_id=f.park_key)
st.caption("“吐槽大会”、联合调度、第一书记、园长等渠道收集企业问题诉求,经转办会办交相关单位解决。"
           "链/园范围按诉求登记的产业链、园区;Q 为所选季度的季末日期。")

KPI_KEYS = ["n_appeals_received", "n_appeals_resolved", "appeal_resolved_rate", "n_appeals_overdue",
            "avg_resolve_days", "n_appeals_open"]
ui.scope_kpis(f, KPI_KEYS, per_row=6)
alerts_ui.metric_targets(f, ["appeal_resolved_rate"], key="ap_tg")

# ------------------------------------------------------------------ closed loop + satisfaction + 吐槽大会
funnel = run_query("appeals/funnel", **P)
sat = run_query("appeals/satisfaction", **P).row(0, named=True)
sessions = run_query("appeals/tucao_sessions", **P)

left, right = st.columns([1.5, 1], gap="large")
with left:
    st.subheader("闭环办理:收集 → 转办 → 办结")
    if funnel["n"][0] == 0:
        ui.empty("本季无新收诉求")
    else:
        st.plotly_chart(ch.funnel(funnel), key="ap_funnel", config={"displayModeBar": False})
    st.caption("口径:收集 = 本季收到(收到日期在本季)的诉求;转办 = 其中转办日期不为空且 ≤ Q;"
               "其中已办结 = 本季收到的诉求中截至 Q 已办结(办结日期 ≤ Q)。百分比为占本季收集件数之比。"
               "与指标卡“诉求办结”口径不同:指标卡按办结日期计本季内办结的全部诉求(含往季收到的)。")
with right:
    st.subheader("满意度与“吐槽大会”")
    c1, c2 = st.columns(2)
    c1.metric("满意度(本季办结)", "—" if sat["avg_satisfaction"] is None else f"{sat['avg_satisfaction']:.2f} 分",
              help="口径:本季办结(办结日期在本季)且已评价的诉求满意度(1–5 分)平均值。"
                   f"已评价 {sat['n_rated']:,} 件 / 本季办结 {sat['n_resolved']:,} 件。", border=True)
    c1.metric("已评价件数", f"{sat['n_rated']:,} 件", help="本季办结且有满意度评价的诉求件数。", border=True)
    c2.metric("吐槽大会场次", f"{sessions.height:,} 场",
              help="口径:本季召开(召开日期在本季)的“吐槽大会”场次;链/园范围按会议登记的产业链、园区。", border=True)
    c2.metric("吐槽大会收集诉求", f"{int(sessions['n_appeals'].sum()):,} 件",
              help="本季各场“吐槽大会”收集(诉求登记了该会议编号)的诉求件数之和。", border=True)
    if sat["n_rated"]:
        dist = " · ".join(f"{s} 分 {sat[f'n_{s}']:,} 件" for s in (5, 4, 3, 2, 1))
        st.caption(f"评分分布:{dist}")

# ------------------------------------------------------------------ by handler unit / category / source
st.subheader("按承办单位 · 诉求类别 · 诉求来源")
st.caption("口径:办结率 = 收到日期 ≤ Q 的诉求中截至 Q 已办结的件数 ÷ 收到日期 ≤ Q 的件数(累计);"
           "平均办结天数 = 本季办结的诉求(办结日期 − 收到日期)平均天数;超期未办结 = 截至 Q 未办结且办理期限早于 Q;"
           "满意度 = 本季办结诉求的平均评分(1–5)。")
bd = run_query("appeals/breakdown", **P)
SOURCE_ORDER = ["吐槽大会", "联合调度", "第一书记", "园长", "其他"]
TABLE_COLS = {"label": None} | L.headers("n_received", "resolved_rate", ("n_resolved", "n_resolved_quarter"),
                                         "avg_resolve_days", "n_overdue", "n_open", "avg_satisfaction",
                                         "n_cum_received", "n_cum_resolved")
DATE = st.column_config.DateColumn(format="YYYY-MM-DD")
# widths: the table sits beside its chart and fits there at 1920 px without horizontal scrolling
COL_CFG = {h: st.column_config.NumberColumn(h, width=68) for c, h in TABLE_COLS.items() if h} | {
    "办结率": st.column_config.ProgressColumn("办结率", format="percent", min_value=0, max_value=1, width=90),
    "平均办结天数": st.column_config.NumberColumn("平均办结天数", format="%.1f", width=92),
    "满意度": st.column_config.NumberColumn("满意度", format="%.2f", width=62)}
metric = st.segmented_control("图表指标", list(ch.APPEAL_METRICS), default="n_overdue", key="ap_metric",
                              format_func=lambda m: ch.APPEAL_METRICS[m][0]) or "n_overdue"
tabs = st.tabs(["承办单位", "诉求类别", "诉求来源"], key="ap_dim_tab", on_change="rerun")  # charts: open tab only
for tab, (dim, head) in zip(tabs, [("handler", "承办单位"), ("category", "诉求类别"), ("source", "诉求来源")]):
    with tab:
        d = bd.filter(pl.col("dim") == dim)
        if d.is_empty():
            ui.empty()
            continue
        if dim == "source":
            d = d.with_columns(pl.col("key").replace_strict({s: i for i, s in enumerate(SOURCE_ORDER)}, default=9)
                               .alias("_o")).sort("_o").drop("_o")
        g1, g2 = st.columns([1, 1.5], gap="large")
        with g1:
            if tab.open:  # the other tabs' charts are drawn when they are opened
                positive = (pl.col(metric) > 0) | pl.lit(metric == "resolved_rate")
                bars = d.filter(pl.col(metric).is_not_null() & positive)
                if bars.is_empty():
                    st.success(f"本范围各{head}{ch.APPEAL_METRICS[metric][0]}均为 0。")
                else:
                    top = 15 if dim == "handler" else bars.height
                    st.plotly_chart(ch.group_bars(bars, metric, top=top), key=f"ap_bars_{dim}",
                                    config={"displayModeBar": False})
                    if bars.height > top:
                        st.caption(f"图中显示最需关注的 {top} 个{head},完整数据见右表。")
        with g2:
            table = d.select([pl.col(c).alias(h or head) for c, h in TABLE_COLS.items()])
            st.dataframe(table, hide_index=True, key=f"ap_table_{dim}", column_config=COL_CFG,
                         height=min(38 + 35 * table.height, 560))
            ui.download_buttons(table, f"诉求办理_{head}_{f.quarter}", key=f"ap_dl_{dim}", column_config=COL_CFG)

# ------------------------------------------------------------------ overdue list
overdue = run_query("appeals/overdue", **P)
st.subheader(f"超期未办结诉求清单 · {overdue.height:,} 件")
st.caption("截至 Q 未办结且办理期限早于 Q 的诉求,按超期天数从多到少;点击表头排序,点击某行查看企业档案。")
if overdue.is_empty():
    st.success("本范围无超期未办结诉求。")
else:
    ui.enterprise_table(
        overdue, key="ap_overdue", filename=f"超期未办结诉求_{f.quarter}_{f.scope_label}",
        columns=L.headers(("name", "appeal_enterprise"), "handler_unit_name", "category", "source", "received_on",
            "due_on", "days_overdue", "chain_name", "park_name", "appeal_id"),
        column_config={"超期天数": st.column_config.NumberColumn("超期天数", format="%d 天"),
                       "收到日期": DATE, "办理期限": DATE})

# ------------------------------------------------------------------ 吐槽大会 sessions
st.subheader(f"本季“吐槽大会” · {sessions.height:,} 场")
st.caption("每场会议收集的诉求(诉求登记了该会议编号)、截至 Q 办结件数及按类别分布。")
if sessions.is_empty():
    ui.empty("本季未召开“吐槽大会”")
else:
    view = sessions.select(
        L.col("held_on"), pl.col("chain_name").fill_null("—").alias(L.label("chain_name")),
        pl.col("park_name").fill_null("—").alias(L.label("park_name")), L.col("n_attendees"),
        L.col("n_appeals"), L.col("n_resolved"),
        L.col("resolved_rate"), L.col("by_category"),
        L.col("meeting_id"))
    st.dataframe(view, hide_index=True, key="ap_sessions", height=min(38 + 35 * view.height, 460),
                 column_config={"办结率": st.column_config.ProgressColumn("办结率", format="percent",
                                                                         min_value=0, max_value=1),
                                "按类别": st.column_config.TextColumn("按类别", width="large"), "日期": DATE})
    ui.download_buttons(view, f"吐槽大会_{f.quarter}_{f.scope_label}", key="ap_sessions_dl")
