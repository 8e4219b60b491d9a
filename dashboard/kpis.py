"""KPI registry (names, units, 口径) and the headline KPIs of a scope — one source for pages and CLI."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from . import vocab
from .db import quarter_label, run_query
from .scope import keys as scope_keys


@dataclass(frozen=True)
class KPI:
    key: str                 # column in mart_kpi
    label: str               # Chinese label
    unit: str                # 家 / 人 / 件 / 个 / % / 天 / 次
    definition: str          # 口径
    tables: str              # source tables
    target: str | None = None        # metric name in targets (may differ: YTD flow)
    higher_is_better: bool = True
    group: str = ""

    @property
    def is_rate(self) -> bool:
        return self.unit == "%"


_Q = "Q 为所选季度的季末日期。"
KPIS: list[KPI] = [
    KPI("n_enterprises", "企业数", "家", "在营企业:成立日期 ≤ Q 且(未注销或注销日期 > Q)。链范围按企业所属产业链(一企可属多链),园区范围按企业所在园区。" + _Q,
        "enterprises, enterprise_chains", group="企业"),
    KPI("n_sme", "中小企业数", "家", "在营企业中企业规模为 中/小/微 的企业数。", "enterprises", group="企业"),
    KPI("n_xjr", "小巨人", "家", "在营企业中持有有效国家级专精特新“小巨人”认定的企业数:认定日期 ≤ Q,且(无到期日或到期日 > Q),且(未撤销或撤销日期 > Q)。",
        "honors, enterprises", target="n_xjr", group="培育"),
    KPI("n_dxgj", "单项冠军", "家", "在营企业中持有有效制造业单项冠军认定的企业数(有效口径同小巨人)。", "honors, enterprises", group="培育"),
    KPI("n_lgsx", "两高四新", "家", "在营企业中持有有效“两高四新”认定的企业数(有效口径同小巨人)。", "honors, enterprises",
        target="n_lgsx", group="培育"),
    KPI("org_coverage_rate", "组织覆盖率", "%", "党建统计基数 = 在营且从业人员 ≥ 10 人的企业;组织覆盖率 = 基数中已建党组织(单独组建或联合组建)的企业数 ÷ 基数。",
        "enterprise_party, enterprises", target="org_coverage_rate", group="党建"),
    KPI("work_coverage_rate", "工作覆盖率", "%", "基数中已建党组织、或有党建指导员/联络员、或有在岗第一书记的企业数 ÷ 基数。",
        "enterprise_party, secretaries, enterprises", target="work_coverage_rate", group="党建"),
    KPI("n_secretaries", "第一书记在岗", "人", "任职开始日期 ≤ Q 且(未离任或离任日期 > Q)的第一书记人数;链/园范围按派驻企业归属。",
        "secretaries, enterprises", group="第一书记"),
    KPI("n_problems_solved", "本季解决问题数", "个", "第一书记成效中类型为“解决问题”、发生日期在本季度内的数量(n)之和(本季口径;年度目标对照“年内累计解决问题”)。",
        "secretary_outcomes, secretaries", group="第一书记"),
    KPI("n_appeals_received", "诉求收到", "件", "本季度内登记收到(收到日期在本季)的企业诉求件数;链/园范围按诉求登记的产业链、园区。",
        "appeals", higher_is_better=False, group="诉求"),
    KPI("n_appeals_resolved", "诉求办结", "件", "本季度内办结(办结日期在本季)的诉求件数。", "appeals", group="诉求"),
    KPI("appeal_resolved_rate", "诉求办结率", "%", "累计口径:收到日期 ≤ Q 的诉求中,办结日期 ≤ Q 的件数 ÷ 收到日期 ≤ Q 的件数。",
        "appeals", target="appeal_resolved_rate", group="诉求"),
    KPI("n_appeals_overdue", "超期未办结", "件", "截至 Q 未办结(无办结日期或办结日期 > Q)且办理期限早于 Q 的诉求件数。",
        "appeals", higher_is_better=False, group="诉求"),
    KPI("n_pairings", "结对共建数", "对", "红联共建结对:开始日期 ≤ Q 且(未结束或结束日期 > Q)的结对数;链范围按结对登记的产业链,园区按企业所在园区。",
        "pairings, enterprises", group="共建"),
]
# Further KPIs shown on topic pages and in the 指标口径 page.
EXTRA_KPIS: list[KPI] = [
    KPI("own_org_rate", "单独组建率", "%", "党建统计基数中单独组建党组织的企业数 ÷ 基数。", "enterprise_party, enterprises", group="党建"),
    KPI("n_base", "党建统计基数", "家", "在营且从业人员 ≥ 10 人的企业数。", "enterprises", group="党建"),
    KPI("n_party_members", "党员人数", "人", "基数企业在 Q 的党员人数之和(企业党建表“党员人数”)。", "enterprise_party", group="党建"),
    KPI("n_new_members", "新发展党员", "人", "基数企业本季发展党员数之和(企业党建表“本季发展党员数”)。", "enterprise_party", group="党建"),
    KPI("n_should_own_org", "应单独组建未组建", "家", "基数中党员 ≥ 3 人但未单独组建党组织的企业数。", "enterprise_party",
        higher_is_better=False, group="党建"),
    KPI("n_base_gap", "双覆盖空白企业", "家", "基数中既无党组织、也无党建指导员/联络员、也无在岗第一书记的企业数。",
        "enterprise_party, secretaries", higher_is_better=False, group="党建"),
    KPI("n_gxjs", "高新技术企业", "家", "在营企业中持有有效高新技术企业认定的企业数。", "honors", group="培育"),
    KPI("n_sjzjtx", "省级专精特新", "家", "在营企业中持有有效省级专精特新中小企业认定的企业数。", "honors", group="培育"),
    KPI("n_cxx", "创新型中小企业", "家", "在营企业中持有有效创新型中小企业评价的企业数。", "honors", group="培育"),
    KPI("n_secretary_enterprises", "第一书记服务企业", "家", "有在岗第一书记的企业数。", "secretaries", group="第一书记"),
    KPI("n_secretary_units", "第一书记派出单位", "个", "在岗第一书记的派出单位数。", "secretaries", group="第一书记"),
    KPI("n_outcomes", "本季成效数", "项", "第一书记本季各类成效的数量(n)之和。", "secretary_outcomes", group="第一书记"),
    KPI("n_problems_solved_ytd", "年内累计解决问题", "个", "年初至 Q 第一书记成效中类型为“解决问题”的数量(n)之和(年内累计,与年度目标同口径)。",
        "secretary_outcomes, secretaries", target="n_problems_solved_ytd", group="第一书记"),
    KPI("avg_resolve_days", "平均办结天数", "天", "本季度内办结的诉求,办结日期减收到日期的平均天数。", "appeals",
        higher_is_better=False, group="诉求"),
    KPI("n_appeals_open", "未办结诉求", "件", "截至 Q 已收到但未办结的诉求件数。", "appeals", higher_is_better=False, group="诉求"),
    KPI("n_pairing_units", "结对机关单位", "个", "有在结对(开始日期 ≤ Q 且未结束或结束日期 > Q)红联共建的机关单位数。", "pairings", group="共建"),
    KPI("n_pairing_activities", "本季共建活动", "次", "本季度内举办的红联共建活动次数(红领精英/红创人才/红联众创)。", "pairing_activities", group="共建"),
    KPI("n_pairing_activities_ytd", "年内累计共建活动", "次", "年初至 Q 举办的红联共建活动次数(年内累计,与年度目标同口径)。",
        "pairing_activities, pairings", target="n_pairing_activities_ytd", group="共建"),
    KPI("n_topic_meetings", "专题会议", "次", "本季度召开的产业链专题会议次数(与党建联席会议同步召开)。", "meetings", group="会议"),
    KPI("n_tucao_meetings", "吐槽大会", "次", "本季度召开的“吐槽大会”场次。", "meetings", group="会议"),
]
BY_KEY = {k.key: k for k in KPIS + EXTRA_KPIS}
# 总览's cards: the headline KPIs plus the year-to-date ones that carry a target (like beside like).
OVERVIEW_KPIS: list[KPI] = [k for k in KPIS if k.group != "共建"] + [BY_KEY["n_problems_solved_ytd"]] + \
    [k for k in KPIS if k.group == "共建"] + [BY_KEY["n_pairing_activities_ytd"]]
TARGET_KPI = {k.target: k for k in KPIS + EXTRA_KPIS if k.target}
# KPI groups in display order (总览 groups its cards by these, not by list position).
GROUPS = {"企业": "企业", "培育": "梯度培育", "党建": "党建覆盖", "第一书记": "第一书记", "诉求": "诉求办理(吐槽大会 · 联合调度)",
          "共建": "红联共建", "会议": "会议"}


@dataclass(frozen=True)
class TargetMetric:
    """A metric that takes an annual target (targets.metric); written into dim_target_metric at build."""
    metric: str
    label: str              # short Chinese name, as the CLI and the 需关注事项 lists print it
    kind: str               # 'flow' (年内累计, base 0) | 'stock' (存量与比率, base = value at the year's start)
    sort: int

    @property
    def kpi(self) -> KPI:
        return BY_KEY[self.metric]


TARGET_METRICS: dict[str, TargetMetric] = {
    metric: TargetMetric(metric, label, vocab.TARGET_KINDS.get(metric, "stock"), i)
    for i, (metric, label) in enumerate(vocab.TARGET_METRICS.items(), start=1)}
TARGET_LABELS = vocab.TARGET_METRICS
KIND_WORD = {"flow": "流量(年内累计)", "stock": "存量/比率"}
STATUS_TEXT = {"绿": "● 正常", "黄": "● 关注", "红": "● 滞后"}
STATUS_WORD = {"绿": "正常", "黄": "关注", "红": "滞后"}
STATUS_ORDER = ["红", "黄", "绿"]
TARGET_RULE = ("“时间过半、任务过半”:按当年目标与时间进度 s(一季度 25%、二季度 50%、三季度 75%、四季度 100%)判断。"
               "流量指标(年内累计解决问题、年内共建活动)应达 = 年度目标 × s;"
               "存量与比率指标(小巨人、两高四新、组织覆盖率、工作覆盖率、诉求办结率)以上年 12 月 31 日的值为年初基数,"
               "应达 = 基数 + (目标 − 基数) × s。"
               "正常:实际 ≥ 目标或 ≥ 应达;关注:实际 ≥ 应达 − 全年计划量的 10%(流量为目标,存量/比率为 |目标 − 基数|);"
               "滞后:其余。按当前进度预计全年:流量 = 实际 ÷ s,存量/比率 = 基数 + (实际 − 基数) ÷ s。")


def target_metric_rows() -> list[dict]:
    """Rows of dim_target_metric (the warehouse's copy of TARGET_METRICS)."""
    return [{"metric": m.metric, "label": m.label, "kind": m.kind, "unit": m.kpi.unit, "sort": m.sort}
            for m in TARGET_METRICS.values()]


def fmt_value(kpi: KPI | str, value) -> str:
    """Display text of a KPI value, e.g. '44,029 家', '58.2%', '27.5 天'."""
    k = BY_KEY[kpi] if isinstance(kpi, str) else kpi
    if value is None:
        return "—"
    if k.is_rate:
        return f"{value * 100:.1f}%"
    if k.unit == "天":
        return f"{value:.1f} 天"
    return f"{int(round(value)):,} {k.unit}"


def _signed(v: float, decimals: int) -> str:
    """'+1.2' / '-0.4' / '0.0': a change that rounds to zero carries no sign ("-0.0" never shows)."""
    r = round(v, decimals)
    return f"{0:.{decimals}f}" if r == 0 else f"{r:+,.{decimals}f}"


def fmt_delta(kpi: KPI, cur, prev) -> str | None:
    """环比/同比 text: percentage points for rates, relative % (and absolute) for counts; no change = 持平."""
    if cur is None or prev is None:
        return None
    if kpi.is_rate:
        return f"{_signed((cur - prev) * 100, 1)} 个百分点"
    if kpi.unit == "天":
        return f"{_signed(cur - prev, 1)} 天"
    diff = int(round(cur - prev))
    if diff == 0:
        return f"持平(0 {kpi.unit})"
    if prev == 0:
        return f"{diff:+,} {kpi.unit}"
    return f"{diff:+,} {kpi.unit}({_signed((cur - prev) / prev * 100, 1)}%)"


# A change counts as real (coloured good or bad on a KPI card) from these sizes on; smaller ones are grey.
MATERIAL_RATE_PP = 0.5        # rates: percentage points
MATERIAL_RELATIVE = 0.01      # counts and days: share of the earlier value (1 %); from 0, any change is real


def change_tone(kpi: KPI, cur, prev) -> str | None:
    """'good' / 'bad' for a real change in the direction that is good / bad for this KPI (more overdue
    appeals is bad, more enterprises is good), 'flat' for a change below the threshold, None without a
    comparison value."""
    if cur is None or prev is None:
        return None
    d = cur - prev
    if kpi.is_rate:
        real = abs(d) * 100 >= MATERIAL_RATE_PP
    elif prev == 0:
        real = abs(d) >= 0.5
    else:
        real = abs(d) / abs(prev) >= MATERIAL_RELATIVE
    if not real:
        return "flat"
    return "good" if (d > 0) == kpi.higher_is_better else "bad"


@dataclass
class Headline:
    kpi: KPI
    value: object
    prev: object          # 上季
    yoy: object           # 上年同季
    target: dict | None   # the mart_target_status row of this KPI's target (base, expected, status …)

    @property
    def text(self) -> str:
        return fmt_value(self.kpi, self.value)


def scope_ids(chain_id: str | None, park_id: str | None) -> tuple[str, str]:
    """(chain_key, park_key) as the marts use them ('*' = all): the package's one Scope."""
    return scope_keys(chain_id, park_id)


def trend(quarter_end: dt.date, chain_id: str | None = None, park_id: str | None = None) -> pl.DataFrame:
    c, p = scope_ids(chain_id, park_id)
    return run_query("shared/kpi_trend", quarter_end=quarter_end, chain_id=c, park_id=p)


def headline(quarter_end: dt.date, chain_id: str | None = None, park_id: str | None = None,
             keys: list[str] | None = None) -> list[Headline]:
    """The headline KPIs of a scope at a quarter, with 上季/上年同季 values and target status."""
    c, p = scope_ids(chain_id, park_id)
    tr = trend(quarter_end, c, p)
    by_q = {row["quarter_end"]: row for row in tr.iter_rows(named=True)}
    cur = by_q.get(quarter_end, {})
    prev_q = _prev_quarter_end(quarter_end)
    yoy_q = dt.date(quarter_end.year - 1, quarter_end.month, quarter_end.day)
    prev, yoy = by_q.get(prev_q), by_q.get(yoy_q)
    targets = {r["metric"]: r for r in run_query("shared/target_status", quarter_end=quarter_end,
                                                 chain_id=c, park_id=p).iter_rows(named=True)}
    out = []
    for k in ([BY_KEY[x] for x in keys] if keys else KPIS):
        out.append(Headline(k, cur.get(k.key), prev.get(k.key) if prev else None,
                            yoy.get(k.key) if yoy else None, targets.get(k.target) if k.target else None))
    return out


def _prev_quarter_end(q: dt.date) -> dt.date:
    first = dt.date(q.year, q.month - 2, 1)
    return first - dt.timedelta(days=1)


def as_dict(items: list[Headline]) -> dict:
    """Plain numbers by Chinese label (rates as 0–1 ratios), as the CLI prints them."""
    return {h.kpi.label: (None if h.value is None else (float(h.value) if h.kpi.is_rate else int(h.value)))
            for h in items}


def label(q: dt.date) -> str:
    return quarter_label(q)
