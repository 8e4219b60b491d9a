"""One vocabulary: the enumerations of the warehouse, defined once.

The import contract (dashboard/contract.py: template dropdowns, validators, the DDL's CHECK constraints),
the charts, the report and the demo generator import these tuples instead of writing the values again.
The order of each tuple is the order the template's dropdown and the charts show.
"""
from __future__ import annotations

COVERAGE_MODES = ("行业党委统筹", "职能部门共建", "园区延伸")          # chains.coverage_mode (the seed's three ways)
UNIT_TYPES = ("经济部门", "行业党委", "镇街", "国企", "其他")              # units.unit_type
SIZES = ("大", "中", "小", "微")                                          # enterprises.size
SME_SIZES = ("中", "小", "微")                                            # 中小企业
ROLES = ("链主", "核心", "配套")                                          # enterprise_chains.role (1+N+X)
ORG_TYPES = ("单独组建", "联合组建", "无")                                 # enterprise_party.org_type
ORG_BUILT = ("单独组建", "联合组建")                                      # 组织覆盖: a party organisation exists
HONORS = ("小巨人", "单项冠军", "两高四新", "高新技术企业", "省级专精特新", "创新型中小企业")  # honors.honor
HONOR_LADDER = ("创新型中小企业", "省级专精特新", "小巨人", "单项冠军")      # the 梯度培育 ladder, bottom → top
HONOR_PARALLEL = ("两高四新", "高新技术企业")                              # honours outside the ladder
OUTCOME_KINDS = ("解决问题", "政策宣讲", "党建指导", "发展党员", "技术攻关", "人才引进")  # secretary_outcomes.kind
MEETING_KINDS = ("专题会议", "战略咨询会议", "党建联席会议", "吐槽大会", "联合调度会")   # meetings.kind
APPEAL_SOURCES = ("吐槽大会", "联合调度", "第一书记", "园长", "其他")        # appeals.source
PROGRAMS = ("红领精英", "红创人才", "红联众创")                            # pairing_activities.program (六红工程)
TASK_FORCE_MODES = ("内部选定", "跨企选派", "外聘专员")                     # chain_master_plans.task_force_mode
# targets.metric → its Chinese name (the metrics mart_target_status tracks), in display order
TARGET_METRICS = {
    "n_xjr": "小巨人", "n_lgsx": "两高四新", "org_coverage_rate": "组织覆盖率",
    "work_coverage_rate": "工作覆盖率", "n_problems_solved_ytd": "年内解决问题",
    "appeal_resolved_rate": "诉求办结率", "n_pairing_activities_ytd": "年内共建活动",
}
# 'flow' = 年内累计 (base 0); 'stock' = 存量与比率 (base = the value at the start of the year)
TARGET_KINDS = {"n_problems_solved_ytd": "flow", "n_pairing_activities_ytd": "flow"}

# Every enumeration by the contract's name for it (template dropdowns, validation, DDL CHECKs).
ENUMS: dict[str, tuple[str, ...]] = {
    "coverage_mode": COVERAGE_MODES, "unit_type": UNIT_TYPES, "size": SIZES, "role": ROLES,
    "org_type": ORG_TYPES, "honor": HONORS, "outcome_kind": OUTCOME_KINDS, "meeting_kind": MEETING_KINDS,
    "source": APPEAL_SOURCES, "program": PROGRAMS, "task_force_mode": TASK_FORCE_MODES,
    "metric": tuple(TARGET_METRICS),
}


def _check() -> None:
    """Subsets and orderings that restate a set must stay consistent with it (checked at import)."""
    problems = []
    if set(HONOR_LADDER) | set(HONOR_PARALLEL) != set(HONORS) or set(HONOR_LADDER) & set(HONOR_PARALLEL):
        problems.append("HONOR_LADDER + HONOR_PARALLEL must split HONORS")
    if not set(SME_SIZES) < set(SIZES):
        problems.append("SME_SIZES must be a subset of SIZES")
    if not set(ORG_BUILT) < set(ORG_TYPES):
        problems.append("ORG_BUILT must be a subset of ORG_TYPES")
    for name, values in ENUMS.items():
        if len(set(values)) != len(values):
            problems.append(f"{name} has duplicates")
    if problems:
        raise ImportError("dashboard.vocab: " + "; ".join(problems))


_check()
