"""链主:各产业链链主企业的工作专班、年度党建规划、培育评分与扶持(财政、用地、项目、标准)。"""
import polars as pl
import streamlit as st

from dashboard import safe
from dashboard import drill, ui
from dashboard import labels as L
from dashboard.charts import chain as cc
from dashboard.db import run_query

PLOT_CFG = {"displayModeBar": False}
INTRO = ("链主企业、机构处于产业链核心地位:按社会责任感、行业影响力、系统集成能力、产业链带动作用、本地根植性、"
         "产值或市场占有率等标准优选;各链主以内部选定、跨企选派、外聘专员等方式组建**工作专班**,向区委和链长负责;"
         "**培育计划**在财政上加大支持、用地上优先供应、项目上优先纳入评定、科技创新上支持参与行业标准制修订;"
         "同步指导链主党组织制定**年度党建规划**,一体考核、一体激励。")

f = ui.page("链主", crumbs=["链主培育"])
year = f.quarter_end.year

masters = run_query("chain_master/masters", quarter_end=f.quarter_end, chain_id=f.chain_key)
by_year = run_query("chain_master/support_by_year", quarter_end=f.quarter_end, chain_id=f.chain_key)


def _fmt_num(v, unit: str, nd: int = 1) -> str:
    if v is None:
        return "—"
    return f"{v:,.{nd}f} {unit}"


def _delta(cur, prev, unit: str, nd: int = 1):
    if cur is None or prev is None:
        return None
    return f"{cur - prev:+,.{nd}f} {unit}"


def _table_view(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(
        pl.concat_str([pl.col("chain_id"), pl.lit(" "), pl.col("chain_name")]).alias("chain_label"),
        pl.when(pl.col("has_task_force").is_null()).then(pl.lit("—"))
          .when(pl.col("has_task_force")).then(pl.lit("已组建 · ") + pl.col("task_force_mode").fill_null("方式未填"))
          .otherwise(pl.lit("未组建")).alias("task_force"),
        pl.when(pl.col("has_party_plan").is_null()).then(pl.lit("—"))
          .when(pl.col("has_party_plan")).then(pl.lit("已制定")).otherwise(pl.lit("未制定")).alias("party_plan"),
    )


COLS = (L.headers("chain_label", ("name", "master_enterprise"), "park_name", "task_force", "party_plan")
        | {c: f"{y} {L.label(c)}" for c, y in (("score", year), ("fiscal_support_10k", year))}
        | {"prev_fiscal_support_10k": f"{year - 1} {L.label('fiscal_support_10k')}"}
        | {c: f"{year} {L.label(c)}" for c in ("land_mu", "n_projects", "n_standards")}
        | L.headers("org_type", "n_members", "uscc"))
# widths chosen so the 14 columns fit 1920 px without horizontal scrolling
COL_CFG = {f"{year} 财政支持(万元)": st.column_config.NumberColumn(format="%.1f", width=118),
           f"{year} 用地(亩)": st.column_config.NumberColumn(format="%.1f", width=92),
           f"{year - 1} 财政支持(万元)": st.column_config.NumberColumn(format="%.1f", width=118),
           f"{year} 评分": st.column_config.NumberColumn(format="%.1f", width=72),
           f"{year} 项目(个)": st.column_config.NumberColumn(width=86),
           f"{year} 标准(项)": st.column_config.NumberColumn(width=86),
           "产业链": st.column_config.TextColumn(width=140), "园区": st.column_config.TextColumn(width=90),
           "工作专班": st.column_config.TextColumn(width=112), "年度党建规划": st.column_config.TextColumn(width=90),
           "党组织": st.column_config.TextColumn(width=72), "党员": st.column_config.NumberColumn(width=48),
           "统一社会信用代码": st.column_config.TextColumn(width=150),
           "链主企业": st.column_config.TextColumn(width=150)}

if f.park_id:
    st.html(safe.html("<div class='kpi-foot'>链主按产业链统计,不受园区筛选影响(“园区”一列显示链主所在园区;当前园区:{})。</div>",
                      f.park_name))

if masters.is_empty():
    ui.empty("没有链主企业")
elif not f.chain_id:
    # ================================================================== district: every chain's 链主
    st.markdown(INTRO)
    cur = by_year.filter(pl.col("year") == year)
    prev = by_year.filter(pl.col("year") == year - 1)
    n_m = masters.height
    n_tf = masters.filter(pl.col("has_task_force").fill_null(False)).height
    n_pp = masters.filter(pl.col("has_party_plan").fill_null(False)).height

    def tot(df, col):
        return float(df[col].sum()) if not df.is_empty() else None

    c = st.columns([1, 1, 1, 1.25, 1, 1, 1])
    c[0].metric("链主企业", f"{n_m} 家", help="链上角色为“链主”或列入当年链主培育计划的企业(按链计)。")
    c[1].metric("已组建工作专班", f"{n_tf} / {n_m}", help=f"{year} 年培育计划中已组建工作专班的链主数 / 链主数。")
    c[2].metric("已制定年度党建规划", f"{n_pp} / {n_m}", help=f"{year} 年培育计划中已制定年度党建规划的链主数 / 链主数。")
    for col, (m, (lab, unit)) in zip(c[3:], cc.SUPPORT.items()):
        nd = 1 if m == "land_mu" else 0
        col.metric(f"{year} {lab}", _fmt_num(tot(cur, m), unit, nd),
                   delta=_delta(tot(cur, m), tot(prev, m), unit, nd), delta_description=f"较 {year - 1} 年",
                   help=f"{year} 年各链主培育计划 {lab} 之和(来源表:{L.table('chain_master_plans')})。")

    st.subheader(f"各链链主 · {year} 年培育情况")
    ui.enterprise_table(_table_view(masters), "cm_table", f"链主培育_{year}", COLS, height=38 + 35 * min(n_m, 14),
                        column_config=COL_CFG)

    st.subheader("各链链主扶持")
    measure = st.segmented_control("扶持类型", list(cc.SUPPORT), default="fiscal_support_10k", key="cm_measure",
                                   format_func=lambda m: cc.SUPPORT[m][0], label_visibility="collapsed")
    measure = measure or "fiscal_support_10k"
    st.plotly_chart(cc.support_by_chain(by_year, measure, height=420), key="cm_support",
                    on_select=drill.on_select("cm_support", "chain_master", "chain"), selection_mode="points",
                    config=PLOT_CFG)
    modes = masters.filter(pl.col("has_task_force").fill_null(False)).group_by("task_force_mode").len()
    st.caption("按年度汇总各链链主获得的扶持;点击某条链查看该链链主详情。工作专班组建方式:" + " · ".join(
        f"{m or '未填'} {n} 家" for m, n in sorted(modes.iter_rows(), key=lambda r: -r[1])))
else:
    # ================================================================== one chain
    head_l, head_r = st.columns([4, 1], vertical_alignment="center")
    head_l.html(safe.html("<h2>{} {} · 链主</h2>", f.chain_id, f.chain_name))
    head_r.button("返回全部产业链", icon=":material/arrow_back:", key="cm_back", width="stretch",
                  on_click=drill.request, args=("chain_master",), kwargs={"chain": None})
    st.caption(INTRO.replace("**", ""))
    for r in masters.iter_rows(named=True):
        with st.container(border=True):
            info, *ms = st.columns([1.7, 0.8, 1, 0.8, 0.8, 0.8], vertical_alignment="center")
            tf = ("已组建(" + (r["task_force_mode"] or "方式未填") + ")") if r["has_task_force"] else (
                "未组建" if r["has_task_force"] is not None else "—")
            pp = "已制定" if r["has_party_plan"] else ("未制定" if r["has_party_plan"] is not None else "—")
            with info:
                st.html(safe.html("<h4>{}</h4>", r['name']))
                st.html(safe.html("{} · 规模 {} · 从业人员 {:,} 人<br>党组织 {}(党员 {} 人)<br>"
                                  "工作专班:<b>{}</b> · 年度党建规划:<b>{}</b>", r['park_name'] or '—', r['size'],
                                  r['employees'], r['org_type'] or '—', r['n_members'] or 0, tf, pp))
            ms[0].metric(f"{year} 培育评分", "—" if r["score"] is None else f"{r['score']:.1f}",
                         delta=None if r["score"] is None or r["prev_score"] is None else f"{r['score'] - r['prev_score']:+.1f}",
                         delta_description=f"较 {year - 1} 年")
            for col, (key, (lab, unit)) in zip(ms[1:], cc.SUPPORT.items()):
                nd = 1 if key == "land_mu" else 0
                col.metric(lab, _fmt_num(r[key], unit, nd), delta=_delta(r[key], r[f"prev_{key}"], unit, nd),
                           delta_description=f"较 {year - 1} 年")

    st.subheader("历年扶持(本链链主合计)")
    if by_year.is_empty():
        ui.empty("没有链主培育计划")
    else:
        st.plotly_chart(cc.support_history(by_year), config=PLOT_CFG, key="cm_history")
        plans = run_query("chain_master/plans", quarter_end=f.quarter_end, chain_id=f.chain_id)
        view = plans.select(
            L.col("name", "master_enterprise"), pl.col("year").cast(pl.Utf8).alias(L.label("year")),
            pl.when(pl.col("has_task_force")).then(pl.lit("已组建 · ") + pl.col("task_force_mode").fill_null(""))
              .otherwise(pl.lit("未组建")).alias(L.label("task_force")),
            pl.when(pl.col("has_party_plan")).then(pl.lit("已制定")).otherwise(pl.lit("未制定")).alias(L.label("has_party_plan")),
            L.col("score"), L.col("fiscal_support_10k"),
            L.col("land_mu"), L.col("n_projects"),
            L.col("n_standards"))
        st.dataframe(cc.status_styler(view.to_pandas(), ["工作专班", "年度党建规划"], cc.DONE_WORD_COLORS),
                     hide_index=True,
                     key="cm_plans", column_config={"评分": st.column_config.NumberColumn(format="%.1f"),
                                                    "财政支持(万元)": st.column_config.NumberColumn(format="%.1f"),
                                                    "用地(亩)": st.column_config.NumberColumn(format="%.1f")})
        ui.download_buttons(view, f"{f.chain_name}_链主培育明细", "cm_plans_dl")

    st.subheader("链主企业名单")
    ui.enterprise_table(_table_view(masters), "cm_table", f"{f.chain_name}_链主_{year}", COLS, height=38 + 35 * masters.height,
                        column_config=COL_CFG)
