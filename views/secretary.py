"""第一书记:沿链统筹派驻 — 派出单位类型、分产业链、成效(12 个季度)、典型案例、在岗名册。"""
import polars as pl
import streamlit as st

from dashboard import safe
from dashboard import alerts_ui, drill, ui
from dashboard import labels as L
from dashboard.charts import topics
from dashboard.db import run_query

CASE_LIMIT = 60      # newest cases fetched; 9 shown until 显示全部
CASE_FIRST = 9
KEYS = ["n_secretaries", "n_secretary_units", "n_secretary_enterprises", "n_outcomes", "n_problems_solved",
        "n_problems_solved_ytd"]

f = ui.page("第一书记")
alerts_ui.css()
scope = dict(quarter_end=f.quarter_end, chain_id=f.chain_key, park_id=f.park_key)
st.caption("口径 · 在岗:任职开始日期 ≤ 季末,且未离任或离任日期 > 季末。成效按发生日期计入季度(本季)或截至季末(累计),"
           "数量为各条成效的数量之和。链/园范围按派驻企业所属产业链(一企可属多链)与所在园区。")

# ------------------------------------------------------------------ KPI cards
ui.scope_kpis(f, KEYS, per_row=6)
alerts_ui.metric_targets(f, ["n_problems_solved_ytd"], key="se_tg")

# ------------------------------------------------------------------ in post: by unit type / by chain
c1, c2 = st.columns([1, 1.2], gap="large")
with c1:
    st.subheader("按派出单位类型")
    ut = run_query("secretary/by_unit_type", **scope)
    if int(ut["n_secretaries"].sum()) == 0:
        ui.empty("季末无在岗第一书记")
    else:
        st.plotly_chart(topics.unit_type_bars(ut), key="se_unit_type", config=topics.CONFIG)
        utv = ut.select(L.col("unit_type", "secretary_unit_type"), L.col("n_secretaries", "n_secretaries_on_post"),
                        L.col("n_units"), L.col("n_enterprises", "served_enterprises"),
                        L.col("n_outcomes"))
        st.dataframe(utv, hide_index=True, key="se_unit_type_tbl", height=38 + 35 * utv.height)
        st.caption("人选覆盖区主要经济部门、区行业党委部门、各镇街及有关国企。")
with c2:
    st.subheader("按产业链")
    bc = run_query("secretary/by_chain", quarter_end=f.quarter_end, park_id=f.park_key)
    if int(bc["n_secretaries"].sum()) == 0:
        ui.empty("季末无在岗第一书记")
    else:
        st.plotly_chart(topics.chain_secretary_bars(bc, selected=f.chain_id), key="se_chain",
                        on_select=drill.on_select("se_chain", "secretary", "chain"), selection_mode="points",
                        config=topics.CONFIG)
        st.caption(("各链与所选园区交叉。" if f.park_id else "")
                   + "派驻企业属多条产业链时在每条链各计一次。点击某条产业链查看该链的第一书记。")

# ------------------------------------------------------------------ outcomes
st.subheader("工作成效")
o1, o2 = st.columns([1.5, 1], gap="large")
trend = run_query("secretary/outcomes_trend", **scope)
totals = run_query("secretary/outcome_totals", **scope)
with o1:
    if int(trend["n"].sum()) == 0:
        ui.empty("无成效记录")
    else:
        st.markdown("**各类成效数量 · 12 个季度**")
        st.plotly_chart(topics.stacked_outcomes(trend), key="se_outcomes", config=topics.CONFIG)
with o2:
    st.markdown(f"**{f.quarter} 本季 · 本年累计 · 累计(截至季末)**")
    tv = totals.select(L.col("kind", "outcome_kind"), L.col("n_quarter"),
                       L.col("n_ytd"), L.col("n_cum"),
                       L.col("n_cases_cum"))
    sums = tv.select(pl.lit("合计").alias(L.label("outcome_kind")), *[pl.col(c).sum() for c in tv.columns[1:]])
    tv = pl.concat([tv, sums])
    st.dataframe(tv, hide_index=True, key="se_totals", height=38 + 35 * tv.height)
    st.caption("本季:发生日期在所选季度内;本年累计:当年 1 月 1 日至季末;累计:截至季末的全部成效(含已离任书记)。")

# ------------------------------------------------------------------ typical cases
cases = run_query("secretary/cases", **scope, limit=CASE_LIMIT)
n_cases = int(cases["n_total"][0]) if cases.height else 0
n_cases_q = int(totals["n_cases_quarter"].sum())
st.subheader("典型案例")
st.html(safe.html("<div class='kpi-foot'>截至 {} 末累计 <b>{:,}</b> 个典型案例,其中本季 {:,} 个;从新到旧排列。</div>",
                  f.quarter, n_cases, n_cases_q))
if n_cases == 0:
    ui.empty("无典型案例")
else:
    show_all = st.toggle(f"显示全部(最新 {min(n_cases, CASE_LIMIT)} 个)", key="se_cases_all") \
        if cases.height > CASE_FIRST else False
    shown = cases if show_all else cases.head(CASE_FIRST)
    rows = shown.to_dicts()
    for start in range(0, len(rows), 3):
        cols = st.columns(3)
        for col, c in zip(cols, rows[start:start + 3]):
            with col, st.container(border=True):
                st.html(safe.html("<div class='se-case-kind'><b class='dot' style='--c:{}'>●</b> {} · {:%Y-%m-%d}</div>"
                                  "<b>{}</b><div class='kpi-foot'>第一书记 {} · 派出单位 {}({})</div>",
                                  topics.OUTCOME_COLORS.get(c['kind']), c['kind'], c['occurred_on'], c['title'],
                                  c['secretary_name'], c['unit_name'], c['unit_type']))
                st.button(safe.label(c['enterprise_name']) + " · 企业档案", key=f"se_case_{c['outcome_id']}", icon=":material/apartment:",
                          help="打开企业档案", type="tertiary",
                          on_click=drill.request, args=("enterprise",), kwargs={"enterprise": c["enterprise_id"]})
    if n_cases > CASE_LIMIT and show_all:
        st.caption(f"另有 {n_cases - CASE_LIMIT:,} 个更早的案例未显示。")

# ------------------------------------------------------------------ roster
st.subheader("在岗第一书记名册")
roster = run_query("secretary/roster", **scope)
if roster.is_empty():
    ui.empty("季末无在岗第一书记")
else:
    ui.enterprise_table(
        roster, key="se_roster", filename=f"第一书记名册_{f.quarter}_{f.scope_label}",
        columns=L.headers(("secretary_name", "secretary_person"), ("unit_name", "secretary_source_unit"), "unit_type",
            ("name", "secretary_enterprise"), "chain_names", "park_name", ("started_on", "secretary_started_on"),
            "n_outcomes", "n_problems"),
        column_config={"派驻企业": st.column_config.TextColumn("派驻企业", width="medium")},
        search_cols=("name", "uscc", "secretary_name", "unit_name"), noun="人")
