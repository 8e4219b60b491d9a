"""红联共建:机关党组织与产业链企业定向结对,“六红工程”红领精英 · 红创人才 · 红联众创 活动。"""
import polars as pl
import streamlit as st

from dashboard import alerts_ui, charts, drill, ui
from dashboard import labels as L
from dashboard.charts import appeals as ch
from dashboard.db import run_query

f = ui.page("红联共建")
alerts_ui.css()
DATE = st.column_config.DateColumn(format="YYYY-MM-DD")
P = dict(quarter_end=f.quarter_end, chain_id=f.chain_key, park_id=f.park_key)
st.caption("区直职能部门机关党组织与重点产业链企业党组织定向结对共建:以“红领精英”共享培训资源,"
           "以“红创人才”培育和服务产业链人才,以“红联众创”加速科研成果转化。"
           "链范围按结对登记的产业链,园区范围按结对企业所在园区;Q 为所选季度的季末日期。")

KPI_KEYS = ["n_pairings", "n_pairing_units", "n_pairing_activities", "n_pairing_activities_ytd"]
ui.scope_kpis(f, KPI_KEYS, per_row=4)
alerts_ui.metric_targets(f, ["n_pairing_activities_ytd"], key="pa_tg")

by_unit = run_query("pairing/by_unit", **P)
# chains side by side (the selected one outlined), within the park filter
by_chain = run_query("pairing/by_chain", quarter_end=f.quarter_end, chain_id="*", park_id=f.park_key)
programs = run_query("pairing/programs", **P)

# ------------------------------------------------------------------ programmes over 12 quarters
st.subheader("“六红工程”活动 · 近 12 个季度")
if programs["n_activities"].sum() == 0:
    ui.empty("近 12 个季度无共建活动")
else:
    left, right = st.columns([1.25, 1], gap="large")
    with left:
        st.plotly_chart(ch.program_stacked(programs), key="pr_programs", config={"displayModeBar": False})
        st.caption("柱:各项目活动次数(堆叠),柱顶为合计;悬停查看参与人次与成果数。")
    with right:
        cur = programs.filter(pl.col("quarter_end") == f.quarter_end)
        ytd = programs.filter(pl.col("quarter_end").dt.year() == f.quarter_end.year)
        tot = (ytd.group_by("program_order", "program")
                  .agg(pl.col("n_activities").sum().alias("ytd_a"), pl.col("n_participants").sum().alias("ytd_p"),
                       pl.col("n_results").sum().alias("ytd_r")))
        view = (cur.join(tot, on=["program_order", "program"], how="left").sort("program_order")
                   .select(L.col("program"), L.col("n_activities"),
                           L.col("n_participants"), L.col("n_results"),
                           L.col("ytd_a"), L.col("ytd_p"),
                           L.col("ytd_r")))
        st.markdown(f"**{f.quarter} 分项目**")
        st.dataframe(view, hide_index=True, key="pr_program_table")
        st.caption("口径:活动按举办日期归季;参与人次 = 各次活动参与人次之和;成果 = 各次活动成果数之和;"
                   "年内 = 当年 1 月 1 日至 Q。")

# ------------------------------------------------------------------ by unit / by chain
st.subheader("在结对情况")
st.caption("口径:在结对 = 开始日期 ≤ Q 且(未结束或结束日期 > Q)的结对。")
u_col, c_col = st.columns([1.3, 1], gap="large")
with u_col:
    st.markdown(f"**按机关单位 · {by_unit.height} 个单位**")
    if by_unit.is_empty():
        ui.empty()
    else:
        st.dataframe(by_unit.select(
            L.col("unit_name"), L.col("unit_type", "pairing_unit_type"),
            L.col("n_pairings", "n_pairings_all"), L.col("n_enterprises", "pairing_enterprise"),
            L.col("n_chains"), L.col("n_activities"),
            L.col("n_participants"), L.col("last_activity_on")),
            hide_index=True, key="pr_units", height=420, column_config={"最近活动": DATE})
with c_col:
    st.markdown(f"**按产业链 · {by_chain.height} 条**")
    if by_chain.is_empty():
        ui.empty()
    else:
        d = by_chain.with_columns(pl.concat_str([pl.col("chain_id"), pl.lit(" "), pl.col("chain_name")])
                                  .alias("chain_label"))
        st.plotly_chart(charts.ranking_bar(d, "n_pairings", "chain_id", "chain_label", selected=f.chain_id,
                                           height=max(220, 30 * d.height + 60)),
                        key="pr_chain_rank", on_select=drill.on_select("pr_chain_rank", "chain", "chain"),
                        selection_mode="points", config={"displayModeBar": False})
        st.caption("各产业链对比" + ("(金色描边为当前产业链)" if f.chain_id else "")
                   + ";点击某条产业链进入该链详情(筛选条件随之带入)。")

# ------------------------------------------------------------------ idle units
idle = by_unit.filter(pl.col("n_activities") == 0)
st.subheader(f"本季无共建活动的结对单位 · {idle.height} 个")
st.caption("有在结对、但本季其(范围内)结对均未开展活动的机关单位;最近活动为截至 Q 的最后一次活动日期。")
if by_unit.is_empty():
    ui.empty()
elif idle.is_empty():
    st.success("所有结对单位本季均已开展共建活动。")
else:
    iv = idle.sort("last_activity_on", nulls_last=False).select(
        L.col("unit_name"), L.col("unit_type", "pairing_unit_type"),
        L.col("n_pairings", "n_pairings_live"), L.col("last_activity_on"))
    st.dataframe(iv, hide_index=True, key="pr_idle", height=min(38 + 35 * iv.height, 400),
                 column_config={"最近活动": DATE})
    ui.download_buttons(iv, f"本季无活动结对单位_{f.quarter}_{f.scope_label}", key="pr_idle_dl")

# ------------------------------------------------------------------ pairing list
plist = run_query("pairing/list", **P)
st.subheader(f"结对清单 · {plist.height:,} 对")
if plist.is_empty():
    ui.empty()
else:
    ui.enterprise_table(
        plist, key="pr_list", filename=f"红联共建结对清单_{f.quarter}_{f.scope_label}",
        columns=L.headers("unit_name", ("name", "pairing_enterprise"), "chain_name", "park_name", ("started_on", "pairing_started_on"),
            "n_activities", "n_participants", "last_activity_on", "pairing_id"),
        search_cols=("name", "uscc", "unit_name"), column_config={"结对开始": DATE, "最近活动": DATE})
