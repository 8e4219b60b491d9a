"""园区:全区园区地图与对比;选定园区时显示园长制与特色机制、指标与趋势、各链企业、企业名单与诉求。"""
import polars as pl
import streamlit as st
from streamlit_echarts import Map, st_echarts

from dashboard import safe
from dashboard import alerts_ui, charts, drill, kpis, targets, ui
from dashboard import labels as L
from dashboard.charts import chain as cc
from dashboard.charts import geo
from dashboard.db import run_query

PLOT_CFG = {"displayModeBar": False}
MAX_LIST = 5000          # rows of the park's enterprise list sent to the browser (链主/核心 and largest first)
CHIEF_NOTE = ("园长制:从机关单位抽调业务能力强的党员干部任园区“园长”,赋予园区党建、社会综合治理等职能上的“综合指挥权”,"
              "扩大园区组织覆盖和工作覆盖;科技企业加速器园区党委构建暖企党建“三化”机制"
              "(党组织覆盖区域化、党群服务一体化、党企发展融合化)。")

f = ui.page("园区")
alerts_ui.css()
everything = run_query("park/overview", quarter_end=f.quarter_end, chain_id=f.chain_key)
parks = everything.filter(~pl.col("is_remainder"))
if parks.is_empty():
    ui.empty()
    st.stop()
names_to_ids = dict(zip(parks["park_name"].to_list(), parks["park_id"].to_list()))
sel = parks.filter(pl.col("park_id") == f.park_id).row(0, named=True) if f.park_id else None

# ------------------------------------------------------------------ map
map_key = f"pk_map_{f.park_id or 'all'}"   # a new component per selected park: a click always registers


def _on_map_click():
    pid = geo.park_from_event(st.session_state.get(map_key), names_to_ids)
    if pid and pid != f.park_id:
        drill.request("park", park=pid)


metric = st.segmented_control("地图指标", geo.MAP_METRICS, default="n_enterprises", key="pk_metric",
                              format_func=lambda m: kpis.BY_KEY[m].label, label_visibility="collapsed")
metric = metric or "n_enterprises"
map_col, side_col = st.columns([1.1, 1], gap="large")
with map_col:
    dark = st.context.theme.type != "light"
    # a park's own target colours its point (all enterprises; a chain × park value has no target)
    statuses = None if f.chain_id else geo.statuses_for(targets.items(f.quarter_end), metric)
    st_echarts(geo.park_map_options(parks, metric, selected=f.park_id, dark=dark, statuses=statuses),
               map=Map(geo.MAP_NAME, geo.district_geojson()), height="700px", key=map_key,
               on_select=_on_map_click, selection_mode="points",
               # client-side only (returns nothing): exposes the instance for the browser test
               events={"finished": "function () { window.__parkMapChart = chart; }"})
    scope = f"{f.chain_name} 企业" if f.chain_id else "全部企业"
    st.caption(f"{f.quarter} · {scope}。黄埔区高亮,周边区县淡显;广州国际生物岛位于海珠区图斑内(由黄埔区/开发区管理)。"
               "点击园区查看详情。")

with side_col:
    if sel is None:
        st.subheader("园长制 · 特色机制")
        st.caption(CHIEF_NOTE)
        mech = parks.filter(pl.col("has_park_chief") | pl.col("mechanism").is_not_null())
        with st.container(height=540, border=False):
            for r in mech.iter_rows(named=True):
                with st.container(border=True):
                    badge = ("s-红", "园长制") if r["has_park_chief"] else ("s-黄", "特色机制")
                    st.html(safe.html("<b>{} {}</b> <b class='{}'>● {}</b><br>{}<br>"
                                      "<span style='opacity:.75'>牵头单位:{}</span>", r['park_id'], r['park_name'],
                                      *badge, r['mechanism'] or '—', r['chief_unit_name'] or '—'))
    else:
        h1, h2 = st.columns([3, 2], vertical_alignment="center")
        h1.html(safe.html("<h2>{} {}</h2>", sel['park_id'], sel['park_name']))
        h2.button("返回全部园区", icon=":material/arrow_back:", key="pk_back", width="stretch",
                  on_click=drill.request, args=("park",), kwargs={"park": None})
        # the park's own 需关注事项 first
        own = targets.items(f.quarter_end, None, f.park_id)
        alerts_ui.status_banner(own, f"{sel['park_name']} · {f.quarter}")
        alerts_ui.attention_panel(f, key="pk_al", height=220, title="本园区需关注事项", link=False, df=own)
        with st.container(border=True):
            chief = "是" if sel["has_park_chief"] else "否"
            st.html(safe.html("<b>园区类型</b>:{}<br><b>园长制</b>:{} · <b>园长派出/牵头单位</b>:{}<br>"
                              "<b>特色机制</b>:{}", sel['park_type'], chief, sel['chief_unit_name'] or '—',
                              sel['mechanism'] or '—'))
            st.caption(CHIEF_NOTE)
        m1, m2, m3 = st.columns(3)
        m1.metric("企业数", kpis.fmt_value("n_enterprises", sel["n_enterprises"]))
        m2.metric("未办结诉求", kpis.fmt_value("n_appeals_open", sel["n_appeals_open"]))
        m3.metric("超期未办结", kpis.fmt_value("n_appeals_overdue", sel["n_appeals_overdue"]))
        m4, m5, m6 = st.columns(3)
        m4.metric("组织覆盖率", kpis.fmt_value("org_coverage_rate", sel["org_coverage_rate"]))
        m5.metric("工作覆盖率", kpis.fmt_value("work_coverage_rate", sel["work_coverage_rate"]))
        m6.metric("本季吐槽大会", f"{sel['n_tucao_meetings']} 场")


# ------------------------------------------------------------------ park table
def park_table() -> None:
    view = everything.select(
        pl.when(pl.col("is_remainder")).then(pl.col("park_name"))
          .otherwise(pl.concat_str([pl.col("park_id"), pl.lit(" "), pl.col("park_name")])).alias(L.label("park_name")),
        pl.col("park_type").fill_null("—").alias(L.label("park_type")),
        pl.when(pl.col("is_remainder")).then(pl.lit("—"))
          .when(pl.col("has_park_chief")).then(pl.lit("是")).otherwise(pl.lit("否")).alias(L.label("has_park_chief")),
        pl.col("mechanism").fill_null("—").alias(L.label("mechanism")),
        L.col("n_enterprises"), L.col("n_xjr"),
        L.col("org_coverage_rate"), L.col("work_coverage_rate"),
        L.col("n_secretaries"), L.col("appeal_resolved_rate"),
        L.col("n_appeals_overdue"), L.col("n_pairings"),
        pl.when(pl.col("is_remainder")).then(pl.lit("—"))
          .when(pl.col("target_status").is_null()).then(pl.lit("— 未设目标"))
          .otherwise(pl.lit("● ") + pl.col("target_status").replace_strict(kpis.STATUS_WORD, default=pl.col("target_status")))
          .alias(L.label("target_status")),
    )
    ids = everything["park_id"].to_list()

    def _open():
        rows = st.session_state.get("pk_table", {}).get("selection", {}).get("rows", [])
        if rows and rows[0] < len(ids) and ids[rows[0]] not in (f.park_id, "-"):
            drill.request("park", park=ids[rows[0]])

    pct = dict(format="percent", min_value=0, max_value=1, color="blue", width=125)
    st.dataframe(
        cc.status_styler(view.to_pandas(), ["目标状态"]), hide_index=True, key="pk_table", on_select=_open,
        selection_mode="single-row", height=38 + 35 * view.height,
        column_config={
            "园区": st.column_config.TextColumn(width="medium", pinned=True),
            "类型": st.column_config.TextColumn(width=120),
            "园长制": st.column_config.TextColumn(width=60),
            "特色机制": st.column_config.TextColumn(width=190),
            "组织覆盖率": st.column_config.ProgressColumn(help=kpis.BY_KEY["org_coverage_rate"].definition, **pct),
            "工作覆盖率": st.column_config.ProgressColumn(help=kpis.BY_KEY["work_coverage_rate"].definition, **pct),
            "诉求办结率": st.column_config.ProgressColumn(help=kpis.BY_KEY["appeal_resolved_rate"].definition, **pct),
            "目标状态": st.column_config.TextColumn(help="该园区各项年度目标中最差的状态。" + kpis.TARGET_RULE),
        })
    ui.download_buttons(view, f"园区对比_{f.quarter}", "pk_table_dl")
    district = ui.total_row(f.quarter_end, f.chain_key, "*")
    st.caption("末行“未入园”为不在 13 个园区内的企业、未登记园区的诉求。"
               + ui.reconcile_text(everything, "n_enterprises", district, who="园区", remainder="未入园")
               + ui.reconcile_text(everything, "n_appeals_overdue", district, who="园区",
                                   remainder="未入园").replace("对账:", ""))
    if f.chain_id:
        st.html(safe.html("<div class='kpi-foot'>产业链筛选下为“{} × 园区”交叉口径;年度目标按园区设定,交叉范围不设目标。</div>",
                          f.chain_name))


if sel is None:
    st.subheader(f"13 个园区对比 · {f.quarter}")
    st.caption("点击某行进入园区详情。")
    park_table()
else:
    # ================================================================== one park
    st.html(safe.html("<h5>核心指标 · {} · {}</h5>", f.quarter, f.scope_label))
    _, tr = ui.scope_kpis(f, per_row=5)

    c_col, t_col = st.columns([1, 1.2], gap="large")
    with c_col:
        st.subheader("各产业链企业")
        pc = run_query("park/chains", quarter_end=f.quarter_end, park_id=f.park_id)
        if pc.is_empty():
            ui.empty()
        else:
            pc = pc.with_columns(pl.concat_str([pl.col("chain_id"), pl.lit(" "), pl.col("chain_name")]).alias("label"))
            st.plotly_chart(charts.ranking_bar(pc, "n_enterprises", "chain_id", "label", selected=f.chain_id,
                                               height=max(420, 30 * pc.height + 60)),
                            key="pk_chains", on_select=drill.on_select("pk_chains", "chain", "chain"),
                            selection_mode="points", config=PLOT_CFG)
            st.caption("园区内季末在营企业按所属产业链计(一企可属多链)。点击产业链进入该链详情,园区筛选保留。")
    with t_col:
        st.subheader("12 个季度趋势")
        st.plotly_chart(charts.trend(tr, ["n_enterprises", "n_xjr"], bars=["n_enterprises"],
                                     title="园区企业与小巨人(家)", height=240), config=PLOT_CFG)
        st.plotly_chart(charts.trend(tr, ["org_coverage_rate", "work_coverage_rate", "appeal_resolved_rate"],
                                     title="组织覆盖率 · 工作覆盖率 · 诉求办结率", height=240), config=PLOT_CFG)

    st.subheader("未办结诉求")
    ap = run_query("shared/open_appeals", quarter_end=f.quarter_end, chain_id=f.chain_key, park_id=f.park_id)
    n_over = ap.filter(pl.col("is_overdue")).height
    st.html(safe.html("截至 {:%Y-%m-%d} 共 <b>{}</b> 件未办结,其中 <b class='s-红'>● 超期 {} 件</b>"
                      "(超期 = 未办结且办理期限早于季末;按诉求登记的园区统计)。", f.quarter_end, ap.height, n_over))
    if ap.is_empty():
        st.success("该园区当前无未办结诉求。")
    else:
        apv = cc.open_appeals_view(ap, with_chain=True)
        st.dataframe(cc.status_styler(apv.to_pandas(), ["状态"]), hide_index=True, key="pk_appeals",
                     height=min(38 + 35 * apv.height, 400))
        ui.download_buttons(apv, f"{sel['park_name']}_未办结诉求_{f.quarter}", "pk_appeals_dl")

    st.subheader("园区企业名单")
    ents = run_query("park/enterprises", quarter_end=f.quarter_end, park_id=f.park_id, chain_id=f.chain_key,
                     limit=MAX_LIST)
    ui.enterprise_table(
        ents, "pk_ents", f"{sel['park_name']}_企业名单_{f.quarter}",
        L.headers("name", "chains", "size", "employees", "revenue_10k", "org_type", "n_members", "honors",
            "uscc"),
        column_config={"营业收入(万元)": st.column_config.NumberColumn(format="%.0f"),
                       "企业名称": st.column_config.TextColumn(width="medium"),
                       "所属产业链(角色)": st.column_config.TextColumn(width="medium")},
        total=int(sel["n_enterprises"]))

    with st.expander("13 个园区对比", icon=":material/table:"):
        park_table()
