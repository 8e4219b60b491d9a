"""企业培育(梯度培育):创新型中小企业 → 省级专精特新 → 专精特新“小巨人” → 单项冠军,及两高四新、高新技术企业。

季末有效认定、12 个季度趋势、分链/分园区、认定批次、本季新认定、12 个月内到期、近 12 个月失去认定、持有企业名单。
"""
import polars as pl
import streamlit as st

from dashboard import safe
from dashboard import alerts_ui, drill, ui
from dashboard import labels as L
from dashboard.charts import topics
from dashboard.charts.base import trend as trend_chart
from dashboard.db import execute, run_query
from dashboard.auth.web import deferred
from dashboard.export import to_csv

LIMIT = 500          # rows shown per list (the full list is a CSV download generated on click)
HONOR_KEYS = ["n_xjr", "n_dxgj", "n_lgsx", "n_gxjs", "n_sjzjtx", "n_cxx"]
VALID_RULE = "有效认定:认定日期 ≤ 季末,且(无到期日或到期日 > 季末),且(未撤销或撤销日期 > 季末);只计季末在营企业。"

f = ui.page("企业培育")
alerts_ui.css()
scope = dict(quarter_end=f.quarter_end, chain_id=f.chain_key, park_id=f.park_key)
st.caption(f"梯度培育口径 · {VALID_RULE}链范围按企业所属产业链(一企可属多链),园区范围按企业所在园区。")

# ------------------------------------------------------------------ KPI cards
_, tr = ui.scope_kpis(f, HONOR_KEYS, per_row=6)
alerts_ui.metric_targets(f, ["n_xjr", "n_lgsx"], key="cu_tg")

flow = run_query("cultivation/honor_flow", **scope)
scope_empty = int(flow["n_valid"].sum() or 0) == 0 and int(flow["n_awarded"].sum() or 0) == 0

# ------------------------------------------------------------------ ladder + flows
st.subheader("梯度培育阶梯")
left, right = st.columns([1, 1.15], gap="large")
with left:
    if scope_empty:
        ui.empty()
    else:
        st.plotly_chart(topics.honor_ladder(flow), key="cu_ladder", config=topics.CONFIG)
        st.markdown("<div class='kpi-foot'>并行认定(不在阶梯内)</div>", unsafe_allow_html=True)
        st.plotly_chart(topics.parallel_honors(flow), key="cu_parallel", config=topics.CONFIG)
with right:
    st.html(safe.html("<b>{} · {} 认定存量与流量</b>", f.scope_label, f.quarter))
    view = flow.select(
        pl.col("honor").replace_strict(topics.HONOR_LABEL, default=pl.col("honor")).alias(L.label("honor")),
        L.col("n_valid", "n_valid_end"),
        L.col("n_awarded"),
        L.col("n_renewed"),
        L.col("n_expiring"),
        L.col("n_revoked", "n_revoked_12m"),
        L.col("n_lapsed"))
    st.dataframe(view, hide_index=True, key="cu_flow", height=38 + 35 * view.height,
                 column_config={"认定类型": st.column_config.TextColumn("认定类型", width="medium")})
    st.caption("季末有效:季末持有该认定的在营企业数。本季认定:认定日期在本季度内;其中复核:同一企业此前已获同类认定"
               "(期满复核通过后重新认定)。12月内到期:季末有效且到期日在季末后 12 个月内,需组织复核。"
               "近12月撤销:撤销日期在季末前 12 个月内。近12月未续:到期日在季末前 12 个月内、未撤销,"
               "且季末不再持有同类有效认定(未通过或未申请复核)。")

# ------------------------------------------------------------------ trend
st.subheader("12 个季度趋势")
t1, t2 = st.columns(2)
with t1:
    st.plotly_chart(trend_chart(tr, ["n_xjr", "n_dxgj"], bars=["n_xjr", "n_dxgj"], title="小巨人 · 单项冠军(家)"),
                    key="cu_tr1", config=topics.CONFIG)
with t2:
    st.plotly_chart(trend_chart(tr, ["n_cxx", "n_sjzjtx", "n_lgsx", "n_gxjs"],
                                title="创新型中小企业 · 省级专精特新 · 两高四新 · 高新技术企业(家)"),
                    key="cu_tr2", config=topics.CONFIG)

# ------------------------------------------------------------------ by chain / by park
HEAT_COLS = [(c, L.label(c)) for c in ("n_cxx", "n_sjzjtx", "n_xjr", "n_dxgj", "n_lgsx", "n_gxjs")]


def heat_table(df: pl.DataFrame, id_col: str, name_col: str, key: str, param: str) -> None:
    """Counts per honour as in-cell bars (scaled to the column maximum); click a row → that chain/park."""
    ids = df[id_col].to_list()
    name = L.label("scope_name")
    shown = df.select([pl.col(name_col).alias(name)] + [pl.col(c).alias(h) for c, h in HEAT_COLS])
    cfg = {name: st.column_config.TextColumn(name, width="medium")}
    cfg |= {h: st.column_config.ProgressColumn(h, format="%d", min_value=0,
                                              max_value=max(1, int(df[c].max() or 0)), width="small")
           for c, h in HEAT_COLS}

    def _open():
        rows = st.session_state.get(key, {}).get("selection", {}).get("rows", [])
        if rows and rows[0] < len(ids) and ids[rows[0]] != "-":        # '-': the remainder row
            drill.request("cultivation", **{param: ids[rows[0]]})

    st.dataframe(shown, hide_index=True, key=key, on_select=_open, selection_mode="single-row",
                 column_config=cfg, height=38 + 35 * shown.height)


c1, c2 = st.columns(2, gap="large")
with c1:
    st.subheader("分产业链")
    by_chain = run_query("cultivation/by_chain", quarter_end=f.quarter_end, park_id=f.park_key)
    if by_chain.is_empty() or by_chain.select(pl.sum_horizontal([c for c, _ in HEAT_COLS]).sum()).item() == 0:
        ui.empty()
    else:
        heat_table(by_chain, "chain_id", "chain_name", "cu_by_chain", "chain")
        whole = ui.total_row(f.quarter_end, "*", f.park_key)
        st.caption(("各链与所选园区交叉。" if f.park_id else "") + "条形长度按列内最大值缩放。点击某行查看该产业链的梯度培育。"
                   "末行“未归链”为不属任何产业链的企业。" + ui.reconcile_text(by_chain, "n_xjr", whole))
with c2:
    st.subheader("分园区")
    by_park = run_query("cultivation/by_park", quarter_end=f.quarter_end, chain_id=f.chain_key)
    if by_park.is_empty() or by_park.select(pl.sum_horizontal([c for c, _ in HEAT_COLS]).sum()).item() == 0:
        ui.empty()
    else:
        heat_table(by_park, "park_id", "park_name", "cu_by_park", "park")
        whole = ui.total_row(f.quarter_end, f.chain_key, "*")
        st.caption(("各园区与所选产业链交叉。" if f.chain_id else "") + "末行“未入园”为不在任何园区内的企业。点击某行查看该园区的梯度培育。"
                   + ui.reconcile_text(by_park, "n_xjr", whole, who="园区", remainder="未入园"))

# ------------------------------------------------------------------ by batch
st.subheader("认定批次")
batches = run_query("cultivation/by_batch", **scope)
if batches.is_empty():
    ui.empty()
else:
    present = [h for h in ["小巨人", "单项冠军", "省级专精特新", "创新型中小企业", "两高四新", "高新技术企业"]
               if h in set(batches["honor"].to_list())]
    honor = st.segmented_control("认定类型", present, default=present[0], key="cu_batch_honor",
                                 format_func=lambda h: topics.HONOR_LABEL[h], label_visibility="collapsed")
    honor = honor or present[0]
    b = batches.filter(pl.col("honor") == honor)
    b1, b2 = st.columns([1.4, 1], gap="large")
    with b1:
        st.plotly_chart(topics.batch_bars(b), key="cu_batch_chart", config=topics.CONFIG)
    with b2:
        tbl = b.select(L.col("batch"), L.col("first_awarded_on"),
                       L.col("n_awards"), L.col("n_valid"),
                       L.col("n_revoked"))
        st.dataframe(tbl, hide_index=True, key="cu_batch_tbl", height=min(38 + 35 * tbl.height, 320),
                     column_config={"认定日期": st.column_config.DateColumn("认定日期", format="YYYY-MM-DD")})
    st.caption("按批次统计本范围季末在营企业获得的认定(认定日期 ≤ 季末);“复核通过”批次为期满复核后重新认定。")

# ------------------------------------------------------------------ lists
st.subheader("企业名单")
counts = {
    "new": int(flow["n_awarded"].sum() or 0),
    "expiring": int(flow["n_expiring"].sum() or 0),
    "lost": int(flow["n_revoked"].sum() or 0) + int(flow["n_lapsed"].sum() or 0),
    "holders": int(flow["n_valid"].sum() or 0),
}
LISTS = {
    "new": ("本季新认定", "cultivation/new_awards",
            L.headers("name", "uscc", "honor", "award_kind", "batch", "awarded_on", "expires_on", "chain_names",
            "park_name")),
    "expiring": ("12 个月内到期待复核", "cultivation/expiring",
                 L.headers("name", "uscc", "honor", "batch", "awarded_on", "expires_on", "days_left", "chain_names",
            "park_name")),
    "lost": ("近 12 个月撤销/未通过复核", "cultivation/lost",
             L.headers("name", "uscc", "honor", "batch", "loss_kind", "lost_on", "awarded_on", "chain_names",
            "park_name")),
    "holders": ("全部持有企业", "cultivation/holders",
                L.headers("name", "uscc", "honor", "batch", "awarded_on", "expires_on", "chain_names", "park_name")),
}
which = st.segmented_control("名单", list(LISTS), default="new", key="cu_list", label_visibility="collapsed",
                             format_func=lambda k: f"{LISTS[k][0]}({counts[k]:,})")
which = which or "new"
title, qname, cols = LISTS[which]
params = dict(scope)
if which == "holders":
    hsel = st.selectbox("认定类型", ["*"] + list(topics.HONOR_LABEL), key="cu_holder_honor", placeholder="请选择",
                        format_func=lambda h: "全部认定类型" if h == "*" else topics.HONOR_LABEL[h])
    params["honor"] = hsel
df = run_query(qname, **params, limit=LIMIT)
n_total = int(df["n_total"][0]) if df.height else 0
if n_total == 0:
    ui.empty(f"{title}:无数据")
else:
    ui.enterprise_table(df, key=f"cu_tbl_{which}", filename=f"{title}_{f.quarter}_{f.scope_label}", columns=cols,
                        total=n_total, noun="条",
                        column_config={"剩余天数": st.column_config.NumberColumn("剩余天数", format="%d 天")})
    if n_total > df.height:
        full_params = dict(params, limit=n_total)
        st.download_button(f"下载全部 {n_total:,} 条(CSV)",
                           deferred(lambda: to_csv(execute(qname, full_params).select(
                               [pl.col(c).alias(h) for c, h in cols.items()])),
                               file=f"{title}_{f.quarter}_{f.scope_label}_全部.csv", rows=n_total),
                           file_name=f"{title}_{f.quarter}_{f.scope_label}_全部.csv", mime="text/csv",
                           key=f"cu_{which}_all", icon=":material/download:", on_click="ignore")
