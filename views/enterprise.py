"""企业档案:一家企业的基本信息、所在产业链与角色、荣誉、党建、第一书记、诉求、红联共建与链主培育计划。"""
import re

import polars as pl
import streamlit as st

from dashboard import safe
from dashboard import drill, ui
from dashboard import labels as L
from dashboard.charts import appeals as ch
from dashboard.db import WarehouseError, run_query
from dashboard.scope import ScopeDenied


def _date(col: str) -> pl.Expr:
    return pl.col(col).dt.strftime("%Y-%m-%d").fill_null("—")


def _pick(eid: str) -> None:
    st.session_state["enterprise"] = eid
    st.query_params["enterprise"] = eid


def _clear() -> None:
    st.session_state.pop("enterprise", None)
    if "enterprise" in st.query_params:
        del st.query_params["enterprise"]


def _on_search_select() -> None:
    rows = st.session_state.get("ent_search_table", {}).get("selection", {}).get("rows", [])
    ids = st.session_state.get("_ent_search_ids", [])
    if rows and rows[0] < len(ids):
        _pick(ids[rows[0]])


# The id comes from the URL (drill-down links, bookmarks) or, after navigation cleared the URL, the session.
eid = st.query_params.get("enterprise") or st.session_state.get("enterprise")
eid = eid if eid and re.fullmatch(r"[A-Za-z0-9_.-]{1,40}", str(eid)) else None   # a junk URL value → the search
profile = None
denied = False
if eid:
    try:
        found = run_query("enterprise/profile", enterprise_id=str(eid))
        profile = found.row(0, named=True) if found.height else None
    except WarehouseError:
        profile = None  # ui.page explains
    except ScopeDenied:
        denied = True
        _clear()

f = ui.page("企业档案", crumbs=[profile["name"]] if profile else None)

# ------------------------------------------------------------------ search state
if profile is None:
    if denied:
        st.error("无权查看该企业:该企业不在您的授权范围内。", icon=":material/lock:")
    elif eid:
        st.warning(f"未找到企业编号 {safe.label(eid)},请重新检索。", icon=":material/search_off:")   # eid: from the URL
    st.html(safe.html("<div class='kpi-foot'>在{}范围内按企业名称或统一社会信用代码检索(最多显示 50 家);"
                      "不输入时列出本范围链主、核心企业。点击某行打开企业档案。</div>", f.scope_label))
    term = st.text_input("企业名称或统一社会信用代码", key="ent_search_term", placeholder="输入关键字,如:科技、9144011…")
    hits = run_query("enterprise/search", search=term.strip(), chain_id=f.chain_key, park_id=f.park_key)
    if hits.is_empty():
        ui.empty("未检索到企业")
        st.stop()
    st.session_state["_ent_search_ids"] = hits["enterprise_id"].to_list()
    st.dataframe(hits.select(
        L.col("name"), L.col("uscc"),
        L.col("chain_roles"), pl.col("park_name").fill_null("—").alias(L.label("park_name")),
        L.col("street"), L.col("size"), L.col("employees"),
        L.col("revenue_10k")),
        hide_index=True, key="ent_search_table", on_select=_on_search_select, selection_mode="single-row",
        height=min(38 + 35 * hits.height, 640),
        column_config={"营业收入(万元)": st.column_config.NumberColumn(format="localized")})
    st.stop()

# ------------------------------------------------------------------ one enterprise
eid = profile["enterprise_id"]
_pick(eid)  # keep URL and session in step so the page reopens on this enterprise
E = dict(enterprise_id=eid, quarter_end=f.quarter_end)
chains = run_query("enterprise/chains", enterprise_id=eid)
honors = run_query("enterprise/honors", **E)
party = run_query("enterprise/party", **E)
secs = run_query("enterprise/secretaries", **E)
outcomes = run_query("enterprise/outcomes", **E)
appeals = run_query("enterprise/appeals", **E)
pairings = run_query("enterprise/pairings", **E)
plans = run_query("enterprise/plans", enterprise_id=eid, year=f.quarter_end.year)

closed = profile["closed_on"]
operating = profile["founded_on"] <= f.quarter_end and (closed is None or closed > f.quarter_end)
head_l, head_r = st.columns([4, 1], vertical_alignment="center")
with head_l:
    status = ("s-绿", "在营") if operating else ("s-红", "已注销" if closed else "未成立")
    st.html(safe.html("<h3>{} <b class='{}' style='font-size:0.9rem'>● {}</b></h3>", profile['name'], *status))
    st.html(safe.html("统一社会信用代码 <b>{}</b> · 园区 <b>{}</b> · 镇街 <b>{}</b> · 规模 <b>{}型</b> · 成立 <b>{}</b>{}",
                      profile['uscc'], profile['park_name'] or '不在园区', profile['street'], profile['size'],
                      profile['founded_on'], safe.html(" · 注销 <b>{}</b>", closed) if closed else ""))
with head_r:
    st.button("换一家企业", icon=":material/search:", on_click=_clear, key="ent_change", width="stretch")

if chains.is_empty():
    st.caption("未登记在重点产业链上。")
else:
    cols = st.columns([1, 2, 2, 2, 2], vertical_alignment="center")
    cols[0].markdown("**所在产业链 · 角色**")
    for i, r in enumerate(chains.iter_rows(named=True)):
        cols[1 + i % 4].button(safe.label(f"{r['chain_id']} {r['chain_name']}") + f" · {r['role']}", key=f"ent_chain_{r['chain_id']}",
                               on_click=drill.request, args=("chain",), kwargs={"chain": r["chain_id"]},
                               type="primary" if r["role"] == "链主" else "secondary",
                               help="查看该产业链详情", width="stretch")

n_valid = honors.filter(pl.col("status") == "有效").height
n_open = appeals.filter(pl.col("status") != "已办结").height
n_overdue = appeals.filter(pl.col("status") == "超期未办结").height
last_party = party.filter(pl.col("is_surveyed")).tail(1)
members = int(last_party["n_members"][0]) if last_party.height else 0
m = st.columns(7)
m[0].metric("从业人员", f"{profile['employees']:,} 人", border=True)
m[1].metric("营业收入(万元)", f"{profile['revenue_10k']:,.0f}", border=True)
m[2].metric("有效荣誉", f"{n_valid} 项", border=True,
            help="季末 Q 仍有效的认定:认定日期 ≤ Q,且(无到期日或到期日 > Q),且(未撤销或撤销日期 > Q)。"
                 f"共 {honors.height} 条认定记录(含已到期、已撤销)。")
m[3].metric("党员人数", f"{members} 人", border=True, help="最近一次党建统计(≤ Q)的党员人数。")
m[4].metric("在岗第一书记", f"{secs.filter(pl.col('is_active')).height} 人", border=True,
            help=f"任职开始 ≤ Q 且未离任或离任日期 > Q。历任 {secs.height} 人。")
m[5].metric("诉求", f"{appeals.height} 件", border=True,
            help=f"收到日期 ≤ Q 的全部诉求;截至 Q 未办结 {n_open} 件,其中超期 {n_overdue} 件。")
m[6].metric("红联共建在结对", f"{pairings.filter(pl.col('is_active')).height} 对", border=True,
            help=f"开始日期 ≤ Q 且未结束或结束日期 > Q 的结对;历史结对 {pairings.height} 对。")

# ------------------------------------------------------------------ honours, plans, secretary | party, pairings
left, right = st.columns(2, gap="large")
with left:
    st.subheader("荣誉认定")
    if honors.is_empty():
        st.caption("无认定记录。")
    else:
        st.dataframe(honors.select(
            L.col("honor", "honor_short"), L.col("batch"), _date("awarded_on").alias(L.label("awarded_on")),
            _date("expires_on").alias(L.label("expires_on")), _date("revoked_on").alias(L.label("revoked_on")),
            pl.col("status").alias(f"{f.quarter} 状态")), hide_index=True, key="ent_honors")
    if not plans.is_empty():
        st.subheader("链主培育计划")
        st.dataframe(plans.select(
            L.col("year"), L.col("chain_name"),
            L.col("has_task_force"), pl.col("task_force_mode").fill_null("—").alias(L.label("task_force_mode")),
            L.col("has_party_plan"), L.col("score"),
            L.col("fiscal_support_10k"), L.col("land_mu"),
            L.col("n_projects"), L.col("n_standards")),
            hide_index=True, key="ent_plans",
            column_config={"年度": st.column_config.NumberColumn(format="%d")})
    st.subheader("第一书记")
    if secs.is_empty():
        st.caption("未派驻第一书记。")
    else:
        st.dataframe(secs.select(
            L.col("name", "secretary_person"), L.col("source_unit_name"),
            _date("started_on").alias(L.label("secretary_started_on")), _date("ended_on").alias(L.label("secretary_ended_on")),
            pl.col("is_active").replace_strict({True: "在岗", False: "已离任"}).alias(L.label("is_active")),
            L.col("n_outcomes", "outcomes_cum"), L.col("n_cases")),
            hide_index=True, key="ent_secs")
        if not outcomes.is_empty():
            st.markdown(f"**成效记录 · {outcomes.height} 条**")
            st.dataframe(outcomes.select(
                _date("occurred_on").alias(L.label("occurred_on")), L.col("kind"), L.col("n", "item_count"),
                L.col("title"), pl.col("is_case").replace_strict({True: "典型案例", False: ""})
                .alias(L.label("is_case")), L.col("secretary_name")),
                hide_index=True, key="ent_outcomes", height=min(38 + 35 * outcomes.height, 320))
with right:
    st.subheader("党建状况 · 近 12 个季度")
    if not party["is_surveyed"].any():
        st.caption("未纳入党建统计(从业人员 < 10 人的企业不在统计基数内)。")
    else:
        st.plotly_chart(ch.members_line(party, height=230), key="ent_members", config={"displayModeBar": False})
        yn = {True: "有", False: "—"}
        st.dataframe(party.reverse().select(
            L.col("quarter_label"), L.col("org_type"),
            L.col("n_members"), L.col("n_new_members"),
            pl.col("has_liaison").replace_strict(yn).alias(L.label("has_liaison")),
            pl.col("has_union").replace_strict(yn).alias(L.label("has_union")),
            pl.col("has_youth_league").replace_strict(yn).alias(L.label("has_youth_league"))),
            hide_index=True, key="ent_party", height=260)

    st.subheader("红联共建")
    if pairings.is_empty():
        st.caption("无红联共建结对。")
    else:
        st.dataframe(pairings.select(
            L.col("unit_name"), L.col("chain_name"),
            _date("started_on").alias(L.label("pairing_started_on")), _date("ended_on").alias(L.label("pairing_ended_on")),
            L.col("n_activities"), L.col("n_activities_cum"),
            _date("last_activity_on").alias(L.label("last_activity_on"))), hide_index=True, key="ent_pairings")

# ------------------------------------------------------------------ appeals
st.subheader(f"诉求 · {appeals.height} 件(未办结 {n_open} 件,超期 {n_overdue} 件)")
if appeals.is_empty():
    st.caption("截至本季度末无诉求记录。")
else:
    st.dataframe(appeals.select(
        _date("received_on").alias(L.label("received_on")), L.col("source"), L.col("category"),
        L.col("handler_unit_name"), _date("due_on").alias(L.label("due_on")),
        _date("resolved_on").alias(L.label("resolved_on")), pl.col("status").alias(f"{f.quarter} 状态"),
        pl.col("satisfaction").cast(pl.Utf8).fill_null("—").alias(L.label("satisfaction")), L.col("appeal_id")),
        hide_index=True, key="ent_appeals", height=min(38 + 35 * appeals.height, 420))
