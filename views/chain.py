"""产业链:13 条重点产业链并列对比;选定一条链时显示链长制架构、1+N+X、指标、园区分布、会议与诉求。"""
import polars as pl
import streamlit as st

from dashboard import safe
from dashboard import alerts_ui, charts, drill, kpis, targets, ui
from dashboard import labels as L
from dashboard.charts import chain as cc
from dashboard.db import run_query

# 覆盖模式:种子材料中“两个覆盖”的三种铺排方式(一句话说明)。
COVERAGE_MODES = {
    "行业党委统筹": "链上企业、机构与相关行业党委成员单位基本重合:由区委两新工委抓总,以专题会议制度和联合调度制度"
                   "为主要措施,着重加强党的工作覆盖(专题会议与战略咨询会议、党建联席会议同步召开,“吐槽大会”收集诉求并转办会办)。",
    "职能部门共建": "产业链业务属性与相关经济职能部门业务指导范围基本重合:每条链配置牵头部门和配合单位,开展党组织定向共建,"
                   "以“红联共建”“六红工程”(红领精英、红创人才、红联众创)推动机关党组织与链上企业党组织结对。",
    "园区延伸": "链上企业、机构分布与园区范围相对重合:向下延伸“链长制”工作触角,因“园”施策,"
                "如科学城“园长制”赋予园长党建与社会综合治理“综合指挥权”、加速器园区暖企党建“三化”机制。",
}
RANK_METRICS = ["n_enterprises", "n_xjr", "org_coverage_rate", "work_coverage_rate", "appeal_resolved_rate",
                "n_appeals_overdue"]
PLOT_CFG = {"displayModeBar": False}

f = ui.page("产业链")
alerts_ui.css()
st.markdown("<style>div.nx{display:flex;align-items:flex-end;gap:.6rem;margin-top:.4rem}"
            "div.nx>div{display:flex;flex-direction:column;align-items:center}"
            "div.nx b{font-size:2.1rem;font-weight:500;line-height:1.2;font-variant-numeric:tabular-nums}"
            "div.nx span{font-size:.85rem;opacity:.8}div.nx span.nx-op{font-size:1.6rem;opacity:.6;padding-bottom:1.3rem}"
            "</style>", unsafe_allow_html=True)


# ====================================================================== district: all chains
if not f.chain_id:
    everything = run_query("chain/overview", quarter_end=f.quarter_end, park_id=f.park_key)
    df = everything.filter(~pl.col("is_remainder"))
    if df.is_empty():
        ui.empty()
        st.stop()
    scope = f"{f.park_name} 园区内" if f.park_id else "全区"
    st.html(safe.html("<div class='kpi-foot'>{} · {} 13 条重点产业链并列对比。链上企业按企业所属产业链计(一企可属多链);"
                      "1+N+X = 链主 + 核心企业 + 配套企业(季末在营)。点击表格某行或右侧条形进入该链详情。</div>",
                      f.quarter, scope))
    n_red = df.filter(pl.col("target_status") == "红").height
    n_yellow = df.filter(pl.col("target_status") == "黄").height
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("重点产业链", f"{df.height} 条")
    c2.metric("链上企业(按链累计)", f"{int(df['n_enterprises'].sum()):,} 家",
              help="各链季末在营企业数之和;一家企业属于多条链时重复计数。")
    c3.metric("链主企业", f"{int(df['n_role_master'].sum())} 家", help="链上角色为“链主”且季末在营的企业(按链计)。")
    c4.metric("有滞后 / 需关注目标的链", f"{n_red} / {n_yellow} 条",
              help="每条链取其各项年度目标中最差的状态。" + kpis.TARGET_RULE)

    st.subheader("各链对比")
    view = everything.select(
        pl.when(pl.col("is_remainder")).then(pl.col("chain_name"))
          .otherwise(pl.concat_str([pl.col("chain_id"), pl.lit(" "), pl.col("chain_name")])).alias(L.label("chain_name")),
        pl.when(pl.col("is_remainder")).then(pl.lit("—"))
          .when(pl.col("target_status").is_null()).then(pl.lit("— 未设目标"))
          .otherwise(pl.lit("● ") + pl.col("target_status").replace_strict(kpis.STATUS_WORD, default=pl.col("target_status")))
          .alias(L.label("target_status")),
        pl.col("coverage_mode").fill_null("—").alias(L.label("coverage_mode")),
        pl.col("master_names").fill_null("—").alias(L.label("master_names")),
        L.col("n_enterprises"),
        pl.format("{}+{}+{}", "n_role_master", "n_role_core", "n_role_support").alias("1+N+X"),
        L.col("n_xjr"),
        L.col("org_coverage_rate"),
        L.col("work_coverage_rate"),
        L.col("n_secretaries"),
        L.col("appeal_resolved_rate"),
        L.col("n_appeals_overdue"),
        L.col("n_pairings"),
        pl.col("leader_title").fill_null("—").alias(L.label("leader_title")),
    )
    ids = everything["chain_id"].to_list()

    def _open_chain():
        rows = st.session_state.get("ch_table", {}).get("selection", {}).get("rows", [])
        if rows and rows[0] < len(ids) and ids[rows[0]] != "-":
            drill.request("chain", chain=ids[rows[0]])

    pct = dict(format="percent", min_value=0, max_value=1, color="blue", width=100)
    st.dataframe(
        cc.status_styler(view.to_pandas(), ["目标状态"]), hide_index=True, key="ch_table",
        on_select=_open_chain, selection_mode="single-row", height=38 + 35 * view.height,
        column_order=[c for c in view.columns if c != "覆盖模式"],
        column_config={
            # widths chosen so the 14 columns fit 1920 px without horizontal scrolling
            # (覆盖模式 is in the download and in 三种覆盖模式 below, not on screen)
            "产业链": st.column_config.TextColumn(width=200, pinned=True),
            "链主": st.column_config.TextColumn(width=180, help="链上角色为“链主”的企业(链主培育对象)"),
            "企业数": st.column_config.NumberColumn(width=66), "小巨人": st.column_config.NumberColumn(width=60),
            "第一书记在岗": st.column_config.NumberColumn(width=92), "超期未办结": st.column_config.NumberColumn(width=84),
            "结对共建数": st.column_config.NumberColumn(width=84), "链长": st.column_config.TextColumn(width=130),
            "1+N+X": st.column_config.TextColumn(width=92, help="链主 + 核心 + 配套企业数(季末在营)"),
            "组织覆盖率": st.column_config.ProgressColumn(help=kpis.BY_KEY["org_coverage_rate"].definition, **pct),
            "工作覆盖率": st.column_config.ProgressColumn(help=kpis.BY_KEY["work_coverage_rate"].definition, **pct),
            "诉求办结率": st.column_config.ProgressColumn(help=kpis.BY_KEY["appeal_resolved_rate"].definition, **pct),
            "目标状态": st.column_config.TextColumn(width=80, help="该链各项年度目标中最差的状态。" + kpis.TARGET_RULE),
        })
    ui.download_buttons(view, f"产业链对比_{f.quarter}", "ch_table_dl")
    district = ui.total_row(f.quarter_end, "*", f.park_key)
    st.caption("末行“未归链”为不属任何产业链的企业、未登记产业链的诉求。"
               + ui.reconcile_text(everything, "n_enterprises", district)
               + ui.reconcile_text(everything, "n_appeals_overdue", district).replace("对账:", ""))
    if f.park_id:
        st.caption("园区筛选下为“链 × 园”交叉口径;年度目标按链、按园分别设定,交叉范围不设目标。")

    left, right = st.columns([1.3, 1], gap="large")
    with left:
        st.subheader("产业链排名")
        metric = st.segmented_control("排名指标", RANK_METRICS, default="n_enterprises", key="ch_rank_metric",
                                      format_func=lambda m: kpis.BY_KEY[m].label, label_visibility="collapsed")
        metric = metric or "n_enterprises"
        ranking = df.with_columns(pl.concat_str([pl.col("chain_id"), pl.lit(" "), pl.col("chain_name")])
                                  .alias("chain_label"))
        st.plotly_chart(charts.ranking_bar(ranking, metric, "chain_id", "chain_label", status_col="n_red",
                                           height=470),
                        key="ch_rank", on_select=drill.on_select("ch_rank", "chain", "chain"),
                        selection_mode="points", config=PLOT_CFG)
        st.markdown("<div class='kpi-foot'>颜色:<b class='s-红'>● 有滞后目标</b> · <b class='s-黄'>● 有需关注目标</b>"
                    " · <b class='s-none'>● 其他(正常或未设目标)</b>。点击某条产业链进入详情。</div>",
                    unsafe_allow_html=True)
    with right:
        st.subheader("三种覆盖模式")
        for mode, text in COVERAGE_MODES.items():
            members = df.filter(pl.col("coverage_mode") == mode)["chain_name"].to_list()
            with st.container(border=True):
                st.html(safe.html("<b>{}</b> · {} 条链:{}", mode, len(members), safe.join("、", members) or "—"))
                st.caption(text)
    st.stop()

# ====================================================================== one chain
prof = run_query("chain/profile", chain_id=f.chain_id).row(0, named=True)
roles = run_query("chain/roles", quarter_end=f.quarter_end, chain_id=f.chain_id, park_id=f.park_key)
n_role = {r: 0 for r in ("链主", "核心", "配套")} | dict(zip(roles["role"].to_list(), roles["n_enterprises"].to_list()))

head_l, head_r = st.columns([4, 1], vertical_alignment="center")
with head_l:
    scope_note = f" × {f.park_name}" if f.park_id else ""
    st.html(safe.html("<h2>{} {}{}</h2>", prof['chain_id'], prof['chain_name'], scope_note))
with head_r:
    st.button("返回全部产业链", icon=":material/arrow_back:", key="ch_back", width="stretch",
              on_click=drill.request, args=("chain",), kwargs={"chain": None})

# ------------------------------------------------------------------ the chain's own 需关注事项 first
own = targets.items(f.quarter_end, f.chain_id, None)
alerts_ui.status_banner(own, f"{prof['chain_name']}产业链 · {f.quarter}")
alerts_ui.attention_panel(f, key="ch_al", height=260, title="本链需关注事项", link=False, df=own)

a, b, c = st.columns([1.15, 1.25, 1], gap="medium")
with a, st.container(border=True, height=175):
    st.markdown("**链长制架构**")
    st.html(safe.html("链长:<b>{}</b><br>牵头部门:<b>{}</b><br>配合单位({} 个):{}", prof['leader_title'],
                      prof['lead_unit_name'] or '—', prof['n_partner_units'], prof['partner_unit_names'] or '—'))
with b, st.container(border=True, height=175):
    mode = prof["coverage_mode"]
    st.html(safe.html("<b>覆盖模式:{}</b>", mode))
    st.caption(COVERAGE_MODES.get(mode, ""))
with c, st.container(border=True, height=175):
    st.markdown("**1+N+X 链上企业**", help="季末在营企业按链上角色计数:链主(1)+ 核心企业(N)+ 配套企业(X)。"
                + ("园区筛选下限本园区。" if f.park_id else ""))
    st.html(safe.html("<div class='nx'>{}</div>", safe.join("<span class='nx-op'>+</span>", (
        safe.html("<div><b>{:,}</b><span>{}</span></div>", n_role[r], lab)
        for r, lab in (("链主", "链主"), ("核心", "核心 N"), ("配套", "配套 X"))))))

# ------------------------------------------------------------------ KPIs & trends
st.html(safe.html("<h5>核心指标 · {} · {}</h5>", f.quarter, f.scope_label))
_, tr = ui.scope_kpis(f, per_row=5)

st.markdown("##### 12 个季度趋势")
t1, t2 = st.columns(2)
with t1:
    st.plotly_chart(charts.trend(tr, ["n_enterprises", "n_xjr"], bars=["n_enterprises"],
                                 title="链上企业与小巨人(家)", height=260), config=PLOT_CFG)
    st.plotly_chart(charts.trend(tr, ["n_appeals_received", "n_appeals_resolved", "appeal_resolved_rate"],
                                 bars=["n_appeals_received", "n_appeals_resolved"],
                                 title="诉求收到 · 办结(件)与累计办结率", height=260), config=PLOT_CFG)
with t2:
    st.plotly_chart(charts.trend(tr, ["org_coverage_rate", "work_coverage_rate"], title="组织覆盖率与工作覆盖率",
                                 height=260), config=PLOT_CFG)
    st.plotly_chart(charts.trend(tr, ["n_secretaries", "n_pairings"], title="第一书记在岗(人)与结对共建(对)",
                                 height=260), config=PLOT_CFG)

# ------------------------------------------------------------------ parks & meetings
p_col, m_col = st.columns([1, 1.25], gap="large")
with p_col:
    st.subheader("园区分布")
    parks = run_query("chain/parks", quarter_end=f.quarter_end, chain_id=f.chain_id)
    if parks.is_empty():
        ui.empty()
    else:
        st.plotly_chart(charts.ranking_bar(parks, "n_enterprises", "park_id", "park_name", selected=f.park_id,
                                           height=max(300, 28 * parks.height + 50)),
                        key="ch_parks", on_select=drill.on_select("ch_parks", "park", "park"),
                        selection_mode="points", config=PLOT_CFG)
        st.caption("该链季末在营企业在各园区的分布(“未入园”为不在 13 个园区内的企业,各行合计等于该链企业数)。点击园区进入园区详情,产业链筛选保留。")
with m_col, ui.granted("会议统计(全链)"):
    st.subheader("会议召开情况")
    meet = run_query("chain/meetings", quarter_end=f.quarter_end, chain_id=f.chain_id)
    now = meet.filter(pl.col("quarter_end") == f.quarter_end)
    counts = dict(zip(now["kind"].to_list(), now["n_meetings"].to_list()))
    st.markdown(" · ".join(f"{k} **{counts.get(k, 0)}** 次" for k in cc.MEETING_KINDS) + f"({f.quarter})")
    st.plotly_chart(cc.meetings_by_quarter(meet), config=PLOT_CFG, key="ch_meetings")
    st.caption("每季度召开产业链专题会议,与战略咨询会议、党建联席会议同步召开;“吐槽大会”收集链上企业诉求。"
               "按会议登记的产业链统计(全链,不受园区筛选影响)。")

# ------------------------------------------------------------------ 1+N enterprises
st.subheader("链主与核心企业")
key_ent = run_query("chain/key_enterprises", quarter_end=f.quarter_end, chain_id=f.chain_id, park_id=f.park_key)
ui.enterprise_table(
    key_ent, "ch_key_ent", f"{prof['chain_name']}_链主与核心企业_{f.quarter}",
    L.headers("role", "name", "park_name", "size", "employees", "revenue_10k", "org_type", "n_members",
            "honors", "uscc"),
    height=360,
    column_config={"营业收入(万元)": st.column_config.NumberColumn(format="%.0f"),
                   "企业名称": st.column_config.TextColumn(width="medium")})

# ------------------------------------------------------------------ open appeals
st.subheader("未办结诉求")
ap = run_query("shared/open_appeals", quarter_end=f.quarter_end, chain_id=f.chain_id, park_id=f.park_key)
n_over = ap.filter(pl.col("is_overdue")).height
st.html(safe.html("截至 {:%Y-%m-%d} 共 <b>{}</b> 件未办结,其中 <b class='s-红'>● 超期 {} 件</b>"
                  "(超期 = 未办结且办理期限早于季末)。", f.quarter_end, ap.height, n_over))
if ap.is_empty():
    st.success("该链当前无未办结诉求。")
else:
    apv = cc.open_appeals_view(ap, with_park=True)
    st.dataframe(cc.status_styler(apv.to_pandas(), ["状态"]), hide_index=True, key="ch_appeals",
                 height=min(38 + 35 * apv.height, 400))
    ui.download_buttons(apv, f"{prof['chain_name']}_未办结诉求_{f.quarter}", "ch_appeals_dl")
