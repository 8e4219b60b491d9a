"""总览:先看问题——需关注事项(滞后、关注的年度目标及责任单位)与超期诉求,再看分组指标、产业链排名、园区对比与趋势。"""
import polars as pl
import streamlit as st

from dashboard import alerts_ui, charts, drill, kpis, lazy, safe, ui
from dashboard.db import run_query

f = ui.page("总览")
alerts_ui.css()

# ------------------------------------------------------------------ 需关注事项 (the first screen)
# The judgement comes first on every screen: on a phone the two columns stack (需关注事项, then the
# overdue appeals) and the KPI cards follow two to a row (static/css/responsive.css).
with st.container(key="ov_judgement"):
    left, right = st.columns([2.15, 1], gap="large")
    with left:
        title = "需关注事项" if f.is_district else f"需关注事项 · {f.scope_label}"
        targets_df = alerts_ui.attention_panel(f, key="ov_al", height=470, title=title)
    with right:
        alerts_ui.overdue_ages(f, key="ov_age")

# ------------------------------------------------------------------ KPI cards, grouped by KPI group
heads = kpis.headline(f.quarter_end, f.chain_id, f.park_id, keys=[k.key for k in kpis.OVERVIEW_KPIS])
tr = kpis.trend(f.quarter_end, f.chain_id, f.park_id)
spark = {h.kpi.key: tr[h.kpi.key].to_list() for h in heads}
by_group: dict[str, list] = {}
for h in heads:
    by_group.setdefault(h.kpi.group, []).append(h)
rows = [["企业", "培育"], ["党建", "第一书记"], ["诉求", "共建"]]
with st.container(key="ov_kpis"):
    st.html(safe.html("<h5>核心指标 · {} · {}</h5>", f.quarter, f.scope_label))
    for pair in rows:
        groups = [g for g in pair if g in by_group]
        cols = st.columns([len(by_group[g]) for g in groups], gap="medium")
        for col, g in zip(cols, groups):
            with col:
                st.html(safe.html("<div class='al-muted'><b>{}</b></div>", kpis.GROUPS[g]))
                ui.kpi_grid(by_group[g], spark, per_row=len(by_group[g]))
    st.caption("带“年度目标”的指标卡,目标与数值同口径(年内累计指标对照年度目标);状态取自统一的年度目标判断,规则见各卡片 ⓘ 与“指标口径”页。")


def below() -> None:
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
        chains_only = ranking.filter(~pl.col("is_remainder"))
        if chains_only.is_empty():
            ui.empty()
        else:
            chains_only = chains_only.with_columns(
                pl.concat_str([pl.col("chain_id"), pl.lit(" "), pl.col("chain_name")]).alias("chain_label"))
            st.plotly_chart(charts.ranking_bar(chains_only, metric, "chain_id", "chain_label", status_col="n_red",
                                               selected=f.chain_id),
                            key="ov_chain_rank", on_select=drill.on_select("ov_chain_rank", "chain", "chain"), selection_mode="points",
                            config={"displayModeBar": False})
            st.caption(ui.reconcile_text(ranking, metric, ui.total_row(f.quarter_end, "*", f.park_key)))
            st.markdown("<div class='kpi-foot'>颜色:<b class='s-红'>● 有滞后目标</b> · <b class='s-黄'>● 有需关注目标</b> · <b class='s-none'>● 其他(正常或未设目标)</b>。点击某条产业链进入该链详情(筛选条件随之带入)。</div>", unsafe_allow_html=True)
    with right:
        st.subheader("园区对比")
        parks = run_query("overview/park_comparison", quarter_end=f.quarter_end, chain_id=f.chain_key)
        parks_only = parks.filter(~pl.col("is_remainder"))
        if parks_only.is_empty():
            ui.empty()
        else:
            st.plotly_chart(charts.column_bar(parks_only, ["n_enterprises", "org_coverage_rate", "work_coverage_rate"],
                                              "park_id", "park_name", height=430),
                            key="ov_park_cmp", on_select=drill.on_select("ov_park_cmp", "park", "park"), selection_mode="points",
                            config={"displayModeBar": False})
            note = "柱:企业数(左轴);折线:组织/工作覆盖率(右轴)。点击园区进入该园区详情。"
            base_row = ui.total_row(f.quarter_end, f.chain_key, "*")
            st.caption(note + ui.reconcile_text(parks, "n_enterprises", base_row, who="园区", remainder="未入园")
                       + ui.reconcile_text(parks, "n_appeals_overdue", base_row, who="园区",
                                           remainder="未入园").replace("对账:", ""))

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

    # ------------------------------------------------------------------ every target (green included)
    with st.expander(f"全部年度目标 · {targets_df.height} 项({f.quarter})", icon=":material/flag:"):
        if targets_df.is_empty():
            ui.empty("本范围未设年度目标")
        else:
            from dashboard import targets as tg
            view = pl.DataFrame([{
                "状态": kpis.STATUS_WORD[r["status"]], "范围": tg.scope_text(r), "指标": r["label"],
                "实际": tg.value(r, "actual"), "应达": tg.value(r, "expected"), "差距": tg.gap_text(r),
                "年度目标": tg.value(r, "target_value"), "年初基数": tg.value(r, "base"),
                "全年预计": tg.forecast_text(r).replace("按当前进度预计全年 ", ""), "责任": r["responsible"]}
                for r in targets_df.iter_rows(named=True)])
            st.dataframe(view, hide_index=True, height=min(38 + 35 * view.height, 520))
            ui.download_buttons(view, f"年度目标判断_{f.quarter}_{f.scope_label}", "ov_targets_dl")


lazy.below_fold(below)
