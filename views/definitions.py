"""指标口径:每个指标的名称、单位、口径、统计基数、来源表、年度目标及红黄绿规则;数据仓库契约表说明。"""
import polars as pl
import streamlit as st

from dashboard import kpis, ui
from dashboard import labels as L
from dashboard.db import run_query

f = ui.page("指标口径")
st.caption("Q 为所选季度的季末日期(如 2026Q3 → 2026-09-30)。链范围按企业所属产业链(一企可属多链),"
           "园区范围按企业所在园区;诉求、会议按登记的产业链/园区,红联共建按结对登记的产业链与结对企业所在园区。")

# 统计基数 / 统计时点 of each KPI (by key; a KPI added later falls back to its group's basis).
BASIS = {
    "n_enterprises": "季末时点 · 在营企业", "n_sme": "季末时点 · 在营企业",
    "n_xjr": "季末时点 · 在营企业的有效认定", "n_dxgj": "季末时点 · 在营企业的有效认定",
    "n_lgsx": "季末时点 · 在营企业的有效认定", "n_gxjs": "季末时点 · 在营企业的有效认定",
    "n_sjzjtx": "季末时点 · 在营企业的有效认定", "n_cxx": "季末时点 · 在营企业的有效认定",
    "org_coverage_rate": "季末时点 · 党建统计基数(在营且从业人员 ≥ 10 人)",
    "work_coverage_rate": "季末时点 · 党建统计基数", "own_org_rate": "季末时点 · 党建统计基数",
    "n_base": "季末时点 · 在营企业", "n_party_members": "季末时点 · 党建统计基数",
    "n_new_members": "本季 · 党建统计基数", "n_should_own_org": "季末时点 · 党建统计基数",
    "n_base_gap": "季末时点 · 党建统计基数",
    "n_secretaries": "季末时点 · 在岗第一书记", "n_secretary_enterprises": "季末时点 · 在岗第一书记",
    "n_secretary_units": "季末时点 · 在岗第一书记", "n_problems_solved": "本季 · 第一书记成效(按发生日期)",
    "n_problems_solved_ytd": "年初至 Q · 第一书记成效", "n_outcomes": "本季 · 第一书记成效",
    "n_appeals_received": "本季 · 诉求(按收到日期)", "n_appeals_resolved": "本季 · 诉求(按办结日期)",
    "appeal_resolved_rate": "累计至 Q · 收到日期 ≤ Q 的诉求", "n_appeals_overdue": "季末时点 · 未办结诉求",
    "avg_resolve_days": "本季 · 本季办结的诉求", "n_appeals_open": "季末时点 · 收到日期 ≤ Q 的诉求",
    "n_pairings": "季末时点 · 在结对的结对", "n_pairing_units": "季末时点 · 在结对的结对",
    "n_pairing_activities": "本季 · 共建活动(按举办日期)", "n_pairing_activities_ytd": "年初至 Q · 共建活动",
    "n_topic_meetings": "本季 · 会议(按召开日期)", "n_tucao_meetings": "本季 · 会议(按召开日期)",
}
GROUP_BASIS = {"企业": "季末时点 · 在营企业", "培育": "季末时点 · 有效认定", "党建": "季末时点 · 党建统计基数",
               "第一书记": "第一书记", "诉求": "诉求", "共建": "红联共建", "会议": "本季 · 会议"}

rows = []
for k in kpis.KPIS + kpis.EXTRA_KPIS:
    metric = k.target or (k.key if k.key in kpis.TARGET_LABELS else None)
    rows.append({
        "group": k.group or "其他", "label": k.label, "unit": k.unit, "definition": k.definition,
        "basis": BASIS.get(k.key, GROUP_BASIS.get(k.group, "季末时点")), "tables": L.tables_text(k.tables),
        "target": (f"有 · {kpis.KIND_WORD[kpis.TARGET_METRICS[metric].kind]}") if metric else "—",
        "rule": kpis.TARGET_RULE if metric else "", "direction": "越高越好" if k.higher_is_better else "越低越好",
        "headline": "核心指标" if k in kpis.KPIS else "专题指标", "key": k.key,
    })
df = pl.DataFrame(rows)
group_order = list(dict.fromkeys(df["group"].to_list()))

st.info(f"**年度目标判断规则(正常 / 关注 / 滞后)**:{kpis.TARGET_RULE}\n\n"
        "总览的“需关注事项”、产业链与园区页、各专题页、大屏、汇报材料与命令行提醒读取同一张判断表"
        f"({L.table('mart_target_status')}),不各自计算。责任单位:产业链为链长职务与牵头部门,园区为园长单位,全区为全区。",
        icon=":material/flag:")
term = st.text_input("搜索指标", key="def_search", placeholder="输入指标名称、口径或来源表关键字,如:覆盖率、诉求、企业荣誉")
view = df
if term.strip():
    t = term.strip()
    view = df.filter(pl.any_horizontal([pl.col(c).str.contains(t, literal=True)
                                        for c in ("label", "definition", "basis", "tables", "key", "group")]))
st.caption(f"共 {view.height} 个指标(核心指标 {view.filter(pl.col('headline') == '核心指标').height} 个)。")

HEAD = {"label": "指标", "unit": "单位", "definition": "口径", "basis": "统计时点 · 基数", "tables": "来源表",
        "target": "年度目标", "direction": "方向", "headline": "类别"}
if view.is_empty():
    ui.empty("没有匹配的指标")
for g in group_order:
    part = view.filter(pl.col("group") == g)
    if part.is_empty():
        continue
    st.markdown(f"##### {g} · {part.height} 个")
    st.table(part.select([pl.col(c).alias(h) for c, h in HEAD.items()]).to_pandas().set_index("指标"))

export = view.select(pl.col("group").alias(L.label("kpi_group")), *[pl.col(c).alias(h) for c, h in HEAD.items()],
                     pl.col("rule").alias(L.label("target_rule")), pl.col("key").alias(L.label("field_name")))
ui.download_buttons(export, "指标口径", key="def_kpis_dl", sheet="指标口径")

# ------------------------------------------------------------------ warehouse contract
st.subheader("数据仓库契约表")
st.caption("原始表为每季度导入(或演示数据生成)的数据,列名固定;集市表由原始表在建库时计算,页面查询只做筛选与汇总。"
           "当前行数为整个数据仓库的行数(不受季度、产业链、园区筛选影响)。")
TABLES = [
    ("chains", "原始表", "每条重点产业链一行", "产业链:名称、链长职务、牵头部门、配合单位、覆盖模式(行业党委统筹/职能部门共建/园区延伸)"),
    ("parks", "原始表", "每个园区一行", "园区:名称、类型、坐标、是否实行“园长制”、园长派出单位、特色机制"),
    ("units", "原始表", "每个单位一行", "机关单位与行业党委、镇街、国企等:名称、单位类型"),
    ("enterprises", "原始表", "每家企业一行", "企业名录:统一社会信用代码、名称、园区、镇街、规模、从业人员、营业收入(万元)、成立与注销日期"),
    ("enterprise_chains", "原始表", "每个(企业, 产业链)一行", "企业所属产业链及角色(链主/核心/配套),一企可属多链"),
    ("enterprise_party", "原始表", "每个(企业, 季末)一行", "季度党建统计:组织形式、党员数、本季发展党员、党建指导员/联络员、工会、团组织"),
    ("honors", "原始表", "每条认定记录一行", "小巨人、单项冠军、两高四新、高新技术企业、省级专精特新、创新型中小企业认定:批次、认定/到期/撤销日期"),
    ("secretaries", "原始表", "每位第一书记(每次派驻)一行", "第一书记:姓名、派出单位、派驻企业、任职起止日期"),
    ("secretary_outcomes", "原始表", "每条成效记录一行", "第一书记成效:日期、类型(解决问题/政策宣讲/党建指导/发展党员/技术攻关/人才引进)、数量、事项、是否典型案例"),
    ("meetings", "原始表", "每次会议一行", "专题会议、战略咨询会议、党建联席会议、吐槽大会、联合调度会:所属产业链/园区、日期、参会人数"),
    ("appeals", "原始表", "每件诉求一行", "企业诉求:来源、所属会议、类别、收到/转办/办理期限/办结日期、承办单位、满意度(1–5)"),
    ("pairings", "原始表", "每个结对一行", "红联共建结对:机关单位、企业、产业链、起止日期"),
    ("pairing_activities", "原始表", "每次共建活动一行", "共建活动:日期、项目(红领精英/红创人才/红联众创)、参与人次、成果数"),
    ("chain_master_plans", "原始表", "每个(链主企业, 产业链, 年度)一行", "链主培育:工作专班及方式、年度党建规划、评分、财政支持、用地、项目与标准"),
    ("targets", "原始表", "每个(年度, 指标, 范围)一行", "年度目标值:全区或某产业链/园区"),
    ("meta", "原始表", "每个键一行", "数据截至日期、数据版本、来源(演示/导入文件)、装载时间"),
    ("dim_quarter", "集市", "每个季度一行", "季度维表:季末、季初、上季末、上年同季末、年初、时间进度占比"),
    ("dim_scope", "集市", "每个(产业链, 园区)范围一行", "范围维表:全区、各链、各园区及链×园交叉('*' 表示全部,'-' 表示未归链 / 未入园)"),
    ("dim_scope_enterprise", "集市", "每个(产业链, 园区, 企业)一行", "范围→企业桥表:每家企业属于哪些范围;各页面按此筛选范围内企业"),
    ("dim_enterprise", "集市", "每家企业一行", "企业维表:名称、信用代码、园区名、所属产业链及角色,供各清单共用"),
    ("dim_target_metric", "集市", "每个目标指标一行", "设年度目标的指标:中文名、类型(流量 / 存量与比率)"),
    ("mart_open_appeal", "集市", "每个(季末, 诉求)一行", "季末未办结诉求(唯一口径):已办天数、是否超期、超期天数与分档"),
    ("mart_honor_valid", "集市", "每个(季末, 企业, 认定)一行", "各季末仍有效的认定"),
    ("mart_enterprise_quarter", "集市", "每个(季末, 在营企业)一行", "企业季度快照:是否中小企业、是否统计基数、党建状态、在岗第一书记、各项有效认定"),
    ("mart_kpi", "集市", "每个(季末, 产业链, 园区)一行", "全部主要指标与比率,指标卡、排名与趋势均由此读取"),
    ("mart_target_status", "集市", "每个(季末, 范围, 指标)一行", "年度目标判断:类型、年初基数、实际、应达、目标、状态(正常/关注/滞后)、差距、全年预计、责任单位"),
]
rows_by_table = dict(run_query("definitions/tables").iter_rows())
tables = pl.DataFrame(TABLES, schema=["name", "层级", "粒度", "用途"], orient="row").select(
    pl.col("name").replace_strict(L.TABLES, default=pl.col("name")).alias(L.label("table_name")), "层级", "粒度", "用途",
    pl.col("name").replace_strict(rows_by_table, default=None, return_dtype=pl.Int64).alias(L.label("row_count")))
st.table(tables.to_pandas().set_index("表名").style.format({"当前行数": "{:,}"}))
ui.download_buttons(tables, "数据仓库契约表", key="def_tables_dl", sheet="契约表")
