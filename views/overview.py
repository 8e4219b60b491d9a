"""总览:所选季度与范围的核心指标、产业链排名、园区对比、12 个季度趋势与预警。"""
import polars as pl
import streamlit as st

from dashboard import charts, drill, kpis, ui
from dashboard.db import run_query

f = ui.page("总览")

# ------------------------------------------------------------------ KPI cards
heads = kpis.headline(f.quarter_end, f.chain_id, f.park_id)
tr = kpis.trend(f.quarter_end, f.chain_id, f.park_id)
spark = {k.key: tr[k.key].to_list() for k in kpis.KPIS}
groups = [("企业与梯度培育", 0, 5), ("党建覆盖 · 第一书记 · 红联共建", 5, 10), ("诉求办理(吐槽大会 · 联合调度)", 10, 14)]
for title, a, b in groups:
    st.markdown(f"##### {title}")
    ui.kpi_grid(heads[a:b], spark, per_row=5)

# ------------------------------------------------------------------ ranking & parks
RANK_METRICS = ["n_enterprises", "n_xjr", "org_coverage_rate", "work_coverage_rate", "appeal_resolved_rate",
                "n_appeals_overdue"]


left, right = st.columns([1.1, 1], gap="large")
with left:
    st.subheader("产业链排名")
    metric = st.segmented_control("排名指标", RANK_METRICS, default="n_enterprises", key="ov_rank_metric",
                                  format_func=lambda m: kpis.BY_KEY[m].label, label_visibility="collapsed")
    metric = metric or "n_enterprises"
    ranking = run_query("overview/chain_ranking", quarter_end=f.quarter_end, park_id=f.park_key)
    if ranking.is_empty():
        ui.empty()
    else:
        ranking = ranking.with_columns(pl.concat_str([pl.col("chain_id"), pl.lit(" "), pl.col("chain_name")])
                                       .alias("chain_label"))
        st.plotly_chart(charts.ranking_bar(ranking, metric, "chain_id", "chain_label", status_col="n_red",
                                           selected=f.chain_id),
                        key="ov_chain_rank", on_select=drill.on_select("ov_chain_rank", "chain", "chain"), selection_mode="points",
                        config={"displayModeBar": False})
        st.markdown("<div class='kpi-foot'>颜色:<b class='s-红'>● 有滞后目标</b> · <b class='s-黄'>● 有需关注目标</b> · <b style='color:#4da3ff'>● 目标正常</b>。点击某条产业链进入该链详情(筛选条件随之带入)。</div>", unsafe_allow_html=True)
with right:
    st.subheader("园区对比")
    parks = run_query("overview/park_comparison", quarter_end=f.quarter_end, chain_id=f.chain_key)
    if parks.is_empty():
        ui.empty()
    else:
        st.plotly_chart(charts.column_bar(parks, ["n_enterprises", "org_coverage_rate", "work_coverage_rate"],
                                          "park_id", "park_name", height=430),
                        key="ov_park_cmp", on_select=drill.on_select("ov_park_cmp", "park", "park"), selection_mode="points",
                        config={"displayModeBar": False})
        st.caption("柱:企业数(左轴);折线:组织/工作覆盖率(右轴)。点击园区进入该园区详情。")

# ------------------------------------------------------------------ trends
st.subheader("12 个季度趋势")
t1, t2 = st.columns(2)
with t1:
    st.plotly_chart(charts.trend(tr, ["n_enterprises", "n_sme"], title="在营企业与中小企业(家)"),
                    config={"displayModeBar": False})
    st.plotly_chart(charts.trend(tr, ["org_coverage_rate", "work_coverage_rate"], title="组织覆盖率与工作覆盖率"),
                    config={"displayModeBar": False})
with t2:
    st.plotly_chart(charts.trend(tr, ["n_xjr", "n_lgsx", "n_dxgj"], title="小巨人 · 两高四新 · 单项冠军(家)"),
                    config={"displayModeBar": False})
    st.plotly_chart(charts.trend(tr, ["n_appeals_received", "n_appeals_resolved", "appeal_resolved_rate"],
                                 bars=["n_appeals_received", "n_appeals_resolved"], title="诉求收到 · 办结(件)与累计办结率"),
                    config={"displayModeBar": False})

# ------------------------------------------------------------------ targets & alerts
st.subheader("年度目标与预警")
a1, a2 = st.columns([1, 1.3], gap="large")
with a1:
    st.markdown(f"**{f.scope_label} · {f.quarter} 年度目标进度**")
    tg = run_query("shared/target_status", quarter_end=f.quarter_end, chain_id=f.chain_key, park_id=f.park_key)
    if tg.is_empty():
        ui.empty("本范围未设年度目标")
    else:
        tg = tg.with_columns(pl.col("metric").replace_strict(kpis.TARGET_LABELS, default=pl.col("metric")).alias("指标"))
        st.plotly_chart(charts.progress_bars(tg, "指标"), config={"displayModeBar": False})
        st.caption(kpis.TARGET_RULE)
with a2:
    alerts = run_query("overview/alerts_targets", quarter_end=f.quarter_end)
    if not f.is_district:
        alerts = alerts.filter(((pl.col("chain_id") == f.chain_key) | (f.chain_id is None))
                               & ((pl.col("park_id") == f.park_key) | (f.park_id is None)))
    n_red = alerts.filter(pl.col("status") == "红").height
    st.markdown(f"<b>目标预警</b> · <b class='s-红'>● 滞后 {n_red} 项</b> · <b class='s-黄'>● 关注 {alerts.height - n_red} 项</b>", unsafe_allow_html=True)
    if alerts.is_empty():
        st.success("所有年度目标进度正常。")
    else:
        view = alerts.select(
            pl.when(pl.col("chain_id") != "*").then(pl.col("chain_name"))
              .when(pl.col("park_id") != "*").then(pl.col("park_name")).otherwise(pl.lit("全区")).alias("范围"),
            pl.col("metric").replace_strict(kpis.TARGET_LABELS, default=pl.col("metric")).alias("指标"),
            pl.col("progress").alias("进度"),
            pl.col("status").replace_strict(kpis.STATUS_WORD, default=pl.col("status")).alias("状态"))
        st.dataframe(view, hide_index=True, height=min(38 + 35 * view.height, 300),
                     column_config={"进度": st.column_config.ProgressColumn("进度", format="percent", min_value=0, max_value=1)})
    overdue = run_query("appeals/overdue", quarter_end=f.quarter_end, chain_id=f.chain_key, park_id=f.park_key)
    st.markdown(f"**超期未办结诉求** · {overdue.height} 件(按超期天数排序,显示前 10 件)")
    if overdue.is_empty():
        st.success("无超期未办结诉求。")
    else:
        st.dataframe(overdue.head(10).select(
            pl.col("name").alias("企业"), pl.col("category").alias("类别"),
            pl.col("source").alias("来源"), pl.col("handler_unit_name").alias("承办单位"),
            pl.col("received_on").alias("收到日期"), pl.col("days_overdue").alias("超期天数")),
            hide_index=True, column_config={"收到日期": st.column_config.DateColumn(format="YYYY-MM-DD")})
