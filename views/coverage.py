"""两个覆盖:党的组织覆盖与工作覆盖 — 分链/分园区、12 个季度趋势、工作覆盖实现途径、应单独组建与双覆盖空白名单。"""
import polars as pl
import streamlit as st

from dashboard import safe
from dashboard import alerts_ui, drill, kpis, ui
from dashboard import labels as L
from dashboard.charts import topics
from dashboard.db import execute, run_query
from dashboard.auth.web import deferred
from dashboard.export import to_csv

LIMIT = 500          # rows shown per list (the full list is a CSV download generated on click)
KEYS = ["org_coverage_rate", "own_org_rate", "work_coverage_rate", "n_base",
        "n_party_members", "n_new_members", "n_should_own_org", "n_base_gap"]

f = ui.page("两个覆盖")
alerts_ui.css()
scope = dict(quarter_end=f.quarter_end, chain_id=f.chain_key, park_id=f.park_key)

heads = kpis.headline(f.quarter_end, f.chain_id, f.park_id, keys=KEYS)
n_base = next(h.value for h in heads if h.kpi.key == "n_base") or 0

# ------------------------------------------------------------------ 口径
with st.container(border=True):
    st.html(safe.html(
        "<b>统计口径</b> · 党建统计基数 = 季末在营(成立日期 ≤ 季末,且未注销或注销日期 > 季末)且从业人员 ≥ 10 人的企业,"
        "{} {} 共 <b>{:,} 家</b>。", f.scope_label, f.quarter, int(n_base)))
    st.markdown(
        "- **组织覆盖率** = 基数中已建党组织(单独组建或联合组建)的企业 ÷ 基数;**单独组建率** = 单独组建党组织的企业 ÷ 基数。\n"
        "- **工作覆盖率** = 基数中已建党组织、或有党建指导员/联络员、或有在岗第一书记的企业 ÷ 基数;"
        "工会、共青团组织单独列示,不计入工作覆盖率。\n"
        "- **应单独组建** = 基数中党员 ≥ 3 人但未单独组建党组织的企业;**双覆盖空白** = 基数中既无党组织、"
        "也无党建指导员/联络员、也无在岗第一书记的企业。\n"
        "- 链范围按企业所属产业链(一企可属多链),园区范围按企业所在园区;党员数、新发展党员数为基数企业之和。")

# ------------------------------------------------------------------ KPI cards
_, tr = ui.scope_kpis(f, per_row=4, heads=heads)
alerts_ui.metric_targets(f, ["org_coverage_rate", "work_coverage_rate"], key="co_tg")

if not n_base:
    ui.empty("本范围无党建统计基数企业")
    st.stop()

# ------------------------------------------------------------------ by chain / by park (click → drill)
c1, c2 = st.columns(2, gap="large")
with c1:
    st.subheader("分产业链")
    by_chain = run_query("coverage/by_chain", quarter_end=f.quarter_end, park_id=f.park_key)
    by_chain = by_chain.filter(pl.col("n_base") > 0)
    if by_chain.filter(~pl.col("is_remainder")).is_empty():
        ui.empty()
    else:
        st.plotly_chart(topics.rate_bars(by_chain.filter(~pl.col("is_remainder")), "chain_id", "chain_name",
                                         selected=f.chain_id),
                        key="cv_chain", on_select=drill.on_select("cv_chain", "coverage", "chain"),
                        selection_mode="points", config=topics.CONFIG)
        st.caption(("各链与所选园区交叉。" if f.park_id else "") + "按工作覆盖率从高到低。点击某条产业链查看该链的两个覆盖。")
with c2:
    st.subheader("分园区")
    by_park = run_query("coverage/by_park", quarter_end=f.quarter_end, chain_id=f.chain_key)
    by_park = by_park.filter(pl.col("n_base") > 0)
    if by_park.filter(~pl.col("is_remainder")).is_empty():
        ui.empty()
    else:
        st.plotly_chart(topics.rate_bars(by_park.filter(~pl.col("is_remainder")), "park_id", "park_name",
                                         selected=f.park_id),
                        key="cv_park", on_select=drill.on_select("cv_park", "coverage", "park"),
                        selection_mode="points", config=topics.CONFIG)
        st.caption(("各园区与所选产业链交叉。" if f.chain_id else "") + "不在园区内的企业不计入任何园区。点击某个园区查看该园区的两个覆盖。")

with st.expander("分链、分园区明细表"):
    d1, d2 = st.columns(2)
    detail_cols = L.headers(("n_base", "n_base_count"), "org_coverage_rate", "own_org_rate", "work_coverage_rate",
            ("n_should_own_org", "n_should_own_org_count"), ("n_base_gap", "n_base_gap_count"),
            "n_party_members", ("n_new_members", "n_new_members_quarter"))
    pct = {h: st.column_config.NumberColumn(h, format="percent") for c, h in detail_cols.items() if c.endswith("_rate")}
    d1.dataframe(by_chain.select([L.col("chain_name")]
                                 + [pl.col(c).alias(h) for c, h in detail_cols.items()]),
                 hide_index=True, column_config=pct, key="cv_chain_tbl")
    d2.dataframe(by_park.select([L.col("park_name")]
                                + [pl.col(c).alias(h) for c, h in detail_cols.items()]),
                 hide_index=True, column_config=pct, key="cv_park_tbl")
    st.caption("末行“未归链”“未入园”为不属任何产业链、不在任何园区的基数企业。"
               + ui.reconcile_text(by_chain, "n_base", ui.total_row(f.quarter_end, "*", f.park_key))
               + ui.reconcile_text(by_park, "n_base", ui.total_row(f.quarter_end, f.chain_key, "*"),
                                   who="园区", remainder="未入园").replace("对账:", ""))

# ------------------------------------------------------------------ over time
st.subheader("12 个季度趋势")
t1, t2 = st.columns(2)
with t1:
    st.markdown("**组织覆盖率 · 单独组建率 · 工作覆盖率**")
    st.plotly_chart(topics.rate_trend(tr), key="cv_tr_rates", config=topics.CONFIG)
with t2:
    st.markdown("**党员人数与本季新发展党员(人)**")
    st.plotly_chart(topics.members_trend(tr), key="cv_tr_members", config=topics.CONFIG)

# ------------------------------------------------------------------ how work coverage is reached
st.subheader("工作覆盖的实现途径")
reach = run_query("coverage/reach", **scope)
r1, r2 = st.columns([1.5, 1], gap="large")
with r1:
    st.plotly_chart(topics.reach_bars(reach), key="cv_reach", config=topics.CONFIG)
with r2:
    rv = reach.select(L.col("way"), L.col("n"),
                      L.col("n_union"), L.col("n_youth_league"))
    st.dataframe(rv, hide_index=True, key="cv_reach_tbl", height=38 + 35 * rv.height)
    n_union = int(reach["n_union"].sum())
    n_youth = int(reach["n_youth_league"].sum())
    gap = reach.filter(pl.col("ord") == 6)
    st.caption(f"基数企业按覆盖方式互斥分组(先看党组织,再看联络员,再看第一书记)。"
               f"基数中有工会组织 {n_union:,} 家、共青团组织 {n_youth:,} 家;"
               f"双覆盖空白企业中有工会或共青团的 {int(gap['n_union_or_youth'].sum()):,} 家,"
               "可作为延伸党的工作的桥梁。")

# ------------------------------------------------------------------ lists
st.subheader("企业名单")
counts = {"should": int(next(h.value for h in heads if h.kpi.key == "n_should_own_org") or 0),
          "gap": int(next(h.value for h in heads if h.kpi.key == "n_base_gap") or 0)}
LISTS = {
    "should": ("应单独组建", "coverage/should_own_org",
               L.headers("name", "uscc", "employees", ("n_members", "n_members_party"), ("org_type", "current_org_type"),
            ("has_liaison", "n_liaison"), "has_secretary", "chain_names", "park_name", "street"),
               "基数中季末党员 ≥ 3 人但未单独组建党组织(联合组建或无)的企业,按党员人数从多到少。"),
    "gap": ("双覆盖空白", "coverage/gap_list",
            L.headers("name", "uscc", "employees", "size", ("n_members", "n_members_party"), ("has_union", "n_union"),
            ("has_youth_league", "n_youth_league"), "chain_names", "park_name", "street"),
            "基数中季末无党组织(组织形式为“无”)、无党建指导员/联络员、无在岗第一书记的企业,按从业人员从多到少。"),
}
which = st.segmented_control("名单", list(LISTS), default="gap", key="cv_list", label_visibility="collapsed",
                             format_func=lambda k: f"{LISTS[k][0]}({counts[k]:,} 家)")
which = which or "gap"
title, qname, cols, rule = LISTS[which]
st.caption(rule)
df = run_query(qname, **scope, limit=LIMIT)
n_total = int(df["n_total"][0]) if df.height else 0
if n_total == 0:
    ui.empty(f"{title}:无数据")
else:
    ui.enterprise_table(df, key=f"cv_tbl_{which}", filename=f"{title}_{f.quarter}_{f.scope_label}", columns=cols,
                        total=n_total, noun="家")
    if n_total > df.height:
        full_params = dict(scope, limit=n_total)
        st.download_button(f"下载全部 {n_total:,} 家(CSV)",
                           deferred(lambda: to_csv(execute(qname, full_params).select(
                               [pl.col(c).alias(h) for c, h in cols.items()])),
                               file=f"{title}_{f.quarter}_{f.scope_label}_全部.csv", rows=n_total),
                           file_name=f"{title}_{f.quarter}_{f.scope_label}_全部.csv", mime="text/csv",
                           key=f"cv_{which}_all", icon=":material/download:", on_click="ignore")
