"""One Chinese label for every column a page, a table header or a download shows — defined once.

Pages never write a column's Chinese name themselves: `labels.col("received_on")` is
`pl.col("received_on").alias("收到日期")`, `labels.headers("name", "uscc")` the {column: label} map of a
table. A KPI's column is labelled by the KPI's own name (dashboard.kpis), so a number is called the same on
a card, in a ranking and in a table. Where one warehouse column means something narrower on one page (the
`name` of a secretary's enterprise is the 派驻企业), a label of its own is named here with a key of its own
(`labels.col("name", "secretary_enterprise")`) — still in this one map.

Table names (the 指标口径 page, KPI help texts) read in Chinese too: TABLES, tables_text().
"""
from __future__ import annotations

import polars as pl

from . import kpis

# column (or label key) → Chinese label. Units in brackets where a table shows bare numbers.
_COLUMNS: dict[str, str] = {
    # enterprises, chains, parks, units
    "enterprise_id": "企业编号", "uscc": "统一社会信用代码", "name": "企业名称", "enterprise_name": "企业",
    "chain_id": "产业链编号", "chain_name": "产业链", "chain_label": "产业链", "chain_names": "所属产业链",
    "chain_roles": "产业链 · 角色", "chains": "所属产业链(角色)", "role": "角色",
    "park_id": "园区编号", "park_name": "园区", "park_type": "类型", "street": "镇街", "size": "规模",
    "employees": "从业人员", "revenue_10k": "营业收入(万元)", "founded_on": "成立日期", "closed_on": "注销日期",
    "coverage_mode": "覆盖模式", "leader_title": "链长", "master_names": "链主", "mechanism": "特色机制",
    "has_park_chief": "园长制", "unit_name": "机关单位", "unit_type": "单位类型", "source_unit_name": "派出单位",
    "is_active": "状态", "quarter_label": "季度", "year": "年度",
    # party building
    "org_type": "党组织", "n_members": "党员", "has_liaison": "指导员/联络员", "has_union": "工会",
    "has_youth_league": "团组织", "has_secretary": "有第一书记", "n_union": "有工会", "n_youth_league": "有共青团",
    "way": "覆盖途径", "n": "企业数",
    # honours
    "honor": "认定类型", "honors": "有效荣誉", "award_kind": "类型", "batch": "批次", "awarded_on": "认定日期",
    "first_awarded_on": "认定日期", "expires_on": "到期日期", "lost_on": "失效日期", "loss_kind": "情形",
    "days_left": "剩余天数", "n_awards": "认定数", "n_awarded": "本季认定", "n_valid": "季末仍有效",
    "n_renewed": "其中复核", "n_revoked": "已撤销", "n_expiring": "12月内到期", "n_lapsed": "近12月未续",
    # first secretaries
    "secretary_name": "第一书记", "started_on": "开始日期", "ended_on": "结束日期", "occurred_on": "日期",
    "is_case": "典型案例", "revoked_on": "撤销日期", "kind": "类型", "title": "事项", "n_cases": "典型案例",
    "n_cases_cum": "典型案例", "n_units": "派出单位数", "n_quarter": "本季", "n_ytd": "本年累计", "n_cum": "累计",
    "n_problems": "本季解决问题",
    # appeals and meetings
    "appeal_id": "诉求编号", "category": "类别", "source": "来源", "handler_unit_name": "承办单位",
    "received_on": "收到日期", "transferred_on": "转办日期", "due_on": "办理期限", "resolved_on": "办结日期",
    "days_open": "已办天数", "days_overdue": "超期天数", "satisfaction": "满意度", "meeting_id": "会议编号",
    "held_on": "日期", "n_attendees": "参会人数", "n_appeals": "收集诉求", "n_received": "本季收到",
    "n_resolved": "已办结", "n_open": "未办结", "n_overdue": "超期未办结", "resolved_rate": "办结率",
    "avg_satisfaction": "满意度", "n_cum_received": "累计收到", "n_cum_resolved": "累计办结",
    "by_category": "按类别",
    # pairings
    "pairing_id": "结对编号", "program": "项目", "n_activities": "本季活动", "n_activities_cum": "累计活动",
    "n_participants": "本季参与人次", "n_results": "本季成果", "n_chains": "涉及产业链",
    "last_activity_on": "最近活动", "ytd_a": "年内活动", "ytd_p": "年内人次", "ytd_r": "年内成果",
    # chain masters
    "has_task_force": "工作专班", "task_force": "工作专班", "task_force_mode": "专班方式",
    "has_party_plan": "年度党建规划", "party_plan": "年度党建规划", "score": "评分",
    "fiscal_support_10k": "财政支持(万元)", "land_mu": "用地(亩)", "n_projects": "项目(个)",
    "n_standards": "标准(项)",
    # targets
    "target_status": "目标状态", "status": "状态",
}

# Narrower meanings of a column on one page: label key → label.
_CONTEXT: dict[str, str] = {
    "appeal_enterprise": "企业",                  # appeals.name
    "master_enterprise": "链主企业",              # chain_master_plans' enterprise name
    "secretary_enterprise": "派驻企业",           # secretaries.enterprise_id → name
    "pairing_enterprise": "结对企业",             # pairings.enterprise_id → name, and the count of them
    "served_enterprises": "服务企业数",           # secretaries: enterprises served
    "secretary_person": "姓名",                   # secretaries.name
    "secretary_unit_type": "派出单位类型",
    "secretary_source_unit": "派出单位",
    "secretary_started_on": "任职开始",
    "secretary_ended_on": "离任",
    "pairing_started_on": "结对开始",
    "pairing_ended_on": "结对结束",
    "pairing_unit_type": "类型",
    "outcome_kind": "成效类型",
    "outcomes_cum": "累计成效",
    "n_pairings_live": "在结对数",
    "n_pairings_all": "结对数",
    "n_secretaries_on_post": "在岗人数",
    "n_members_party": "党员人数",
    "n_new_members_quarter": "本季新发展党员",
    "current_org_type": "现组织形式",
    "n_base_count": "基数(家)",
    "n_base_gap_count": "双覆盖空白",
    "n_should_own_org_count": "应单独组建",
    "n_liaison": "有联络员",
    "n_valid_end": "季末有效",
    "n_revoked_12m": "近12月撤销",
    "n_resolved_quarter": "本季办结",
    "avg_resolve_days_quarter": "平均办结天数",
    "meeting_day": "日期",
    "honor_short": "认定",
    "item_count": "数量",
    "scope_name": "名称",
    # the 指标口径 page's own tables
    "kpi_group": "分组", "target_rule": "目标状态规则", "field_name": "字段名", "table_name": "表名", "row_count": "当前行数",                       # a chain's or a park's name in a list of both
}

LABELS: dict[str, str] = {k.key: k.label for k in kpis.KPIS + kpis.EXTRA_KPIS} | _COLUMNS | _CONTEXT
# The KPI columns keep the KPI's name even where _COLUMNS would say otherwise.
LABELS.update({k.key: k.label for k in kpis.KPIS + kpis.EXTRA_KPIS})

# Warehouse tables in Chinese: the import template's sheet names for the raw tables, and the marts.
TABLES: dict[str, str] = {
    "meta": "数据说明", "dim_quarter": "季度维表", "dim_scope": "范围维表", "dim_scope_enterprise": "范围企业桥表",
    "dim_enterprise": "企业维表", "dim_target_metric": "目标指标维表", "mart_open_appeal": "季末未办结诉求",
    "mart_honor_valid": "季末有效认定", "mart_enterprise_quarter": "企业季度快照", "mart_kpi": "指标汇总表",
    "mart_target_status": "年度目标判断表", "alerts": "需关注事项",
}


def _contract_tables() -> dict[str, str]:
    from .contract import TABLES as CONTRACT
    return {name: t.sheet for name, t in CONTRACT.items()}


TABLES = _contract_tables() | TABLES


def label(key: str) -> str:
    """The Chinese label of a column (or of a label key); a name not in the map is an error, not English."""
    return LABELS[key]


def col(name: str, key: str | None = None) -> pl.Expr:
    """`pl.col(name)` under its Chinese label (`key`: a narrower label of this map)."""
    return pl.col(name).alias(LABELS[key or name])


def headers(*items: str | tuple[str, str]) -> dict[str, str]:
    """{column: label} for a table, in display order: "received_on", or ("name", "secretary_enterprise")."""
    out = {}
    for it in items:
        c, k = (it, it) if isinstance(it, str) else it
        out[c] = LABELS[k]
    return out


def table(name: str) -> str:
    return TABLES.get(name, name)


def tables_text(names: str) -> str:
    """'appeals, enterprises' → '企业诉求、企业' (a KPI's source tables, as the 指标口径 page shows them)."""
    return "、".join(table(t.strip()) for t in names.split(",") if t.strip())
