"""The quarterly deck's content for one quarter and scope: numbers, tables, chart series and the
speaker-note sentences, laid out as positioned blocks (layout.py). One model, two renderers
(pptx_deck.py, pdf.py).

Scopes: district (no chain, no park), one chain, one park, or chain × park. A scoped deck holds
only its scope: a chain deck has that chain's slide and breaks the chain down by park; a park deck
breaks the park down by chain.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import polars as pl

from .. import kpis, labels, vocab
from .. import targets as tg
from ..db import quarter_label, run_query
from ..kpis import BY_KEY, STATUS_WORD, TARGET_RULE, Headline, fmt_value
from ..kpis import fmt_delta as _fmt_delta
from . import layout as L
from .layout import Cell, Chart, P, Para, Rect, Run, Series, Slide, Text, grid, table_block, text_block

DECK_TITLE = "链长制·党建引领工作季度汇报"
APP_NAME = "链长制·党建引领监测驾驶舱"
N_TREND = 12
TOP_APPEALS = 3
MAX_TABLE_ROWS = 13
MAX_UNIT_ROWS = 10
N_CASES = 3

LADDER = ["n_cxx", "n_sjzjtx", "n_xjr", "n_dxgj", "n_lgsx", "n_gxjs"]
LADDER_LABEL = {"n_cxx": "创新型中小企业", "n_sjzjtx": "省级专精特新", "n_xjr": "专精特新“小巨人”",
                "n_dxgj": "单项冠军", "n_lgsx": "两高四新", "n_gxjs": "高新技术企业"}
# the ladder's two charts: the broad tiers (hundreds, thousands) and the national titles (tens)
LADDER_CHARTS = {"base": ["n_cxx", "n_sjzjtx", "n_lgsx", "n_gxjs"], "top": ["n_xjr", "n_dxgj"]}
LADDER_CAPTION = {"base": "培育梯度企业数(家)· 本季与上年同季",
                  "top": "国家级:专精特新“小巨人”与单项冠军(家)· 本季与上年同季"}
CHAIN_TILES = ["n_enterprises", "n_xjr", "org_coverage_rate", "work_coverage_rate", "appeal_resolved_rate",
               "n_appeals_overdue"]
COVERAGE_TILES = ["org_coverage_rate", "work_coverage_rate", "own_org_rate", "n_base", "n_new_members", "n_base_gap"]
SECRETARY_TILES = ["n_secretaries", "n_secretary_enterprises", "n_secretary_units", "n_outcomes",
                   "n_problems_solved", "n_problems_solved_ytd"]
APPEAL_TILES = ["n_appeals_received", "n_appeals_resolved", "appeal_resolved_rate", "n_appeals_overdue",
                "avg_resolve_days", "n_appeals_open"]
PAIRING_TILES = ["n_pairings", "n_pairing_activities", "n_pairing_activities_ytd", "n_topic_meetings"]
OUTCOME_KINDS = list(vocab.OUTCOME_KINDS)
PROGRAMS = list(vocab.PROGRAMS)
QUARTER_CN = {1: "一", 2: "二", 3: "三", 4: "四"}


class ScopeError(ValueError):
    pass


# ----------------------------------------------------------------------------- words from numbers
_SIGNED_ZERO = re.compile(r"[+\-−](0(?:\.0+)?)(?![\d.])")


def unsigned_zero(text: str | None) -> str | None:
    """'+0.0 个百分点' → '0.0 个百分点', '-0 家(-0.0%)' → '0 家(0.0%)': a zero is never signed."""
    return _SIGNED_ZERO.sub(r"\1", text) if text else text


def fmt_delta(kpi, cur, prev) -> str | None:
    """kpis.fmt_delta with zeros unsigned (a −0.04-point change reads 0.0, not −0.0)."""
    return unsigned_zero(_fmt_delta(kpi, cur, prev))


def signed(d: int) -> str:
    """A count change: +531, −1, and 0 for none."""
    return f"{d:+,}" if d else "0"


def quarter_cn(q: dt.date) -> str:
    return f"{q.year}年第{QUARTER_CN[(q.month - 1) // 3 + 1]}季度"


def date_cn(s: str) -> str:
    try:
        d = dt.date.fromisoformat(str(s)[:10])
    except ValueError:
        return str(s)
    return f"{d.year}年{d.month}月{d.day}日"


def change(key: str, cur, prev, ref: str = "上季度") -> str:
    """'较上季度提高0.4个百分点' / '较上季度增加12家' / '与上季度持平'."""
    k = BY_KEY[key]
    if cur is None or prev is None:
        return f"{ref}无可比数据"
    if k.is_rate:
        d = (cur - prev) * 100
        if abs(d) < 0.05:
            return f"与{ref}持平"
        return f"较{ref}{'提高' if d > 0 else '下降'}{abs(d):.1f}个百分点"
    if k.unit == "天":
        d = cur - prev
        if abs(d) < 0.05:
            return f"与{ref}持平"
        return f"较{ref}{'延长' if d > 0 else '缩短'}{abs(d):.1f}天"
    d = int(round(cur - prev))
    if d == 0:
        return f"与{ref}持平"
    return f"较{ref}{'增加' if d > 0 else '减少'}{abs(d):,}{k.unit}"


_COMPANY_SUFFIX = re.compile(r"(股份有限公司|有限责任公司|有限公司)$")


def short_name(name: str) -> str:
    """An enterprise's name for a table cell: without the legal-form suffix (…股份有限公司), as meeting
    materials write it; the full name stays in the speaker notes."""
    short = _COMPANY_SUFFIX.sub("", name or "")
    return short if len(short) >= 2 else name


def fit_list(items: list[str], size: float, width: float, prefix: str = "", lead: str = "") -> str:
    """As many items as fit one line of `width` inches after `lead` (measured as bold, like the checker
    measures a paragraph with a bold run), then “等 N 项”: never a word cut in half."""
    for k in range(len(items), 0, -1):
        text = L.zh(prefix + "、".join(items[:k]) + (f" 等 {len(items)} 项" if k < len(items) else ""))
        if L.n_lines(lead + text, size, width, True) <= 1:
            return text
    return ""


def v(key: str, value) -> str:
    """Value in running text: '58.2%', '32家' (no space before the unit)."""
    return fmt_value(key, value).replace(" ", "")


def target_phrase(h: Headline) -> str | None:
    """'年度目标58.4%,本季应达55.9%(关注),按当前进度预计全年57.5%' — the same judgement as every surface."""
    if not h.target:
        return None
    t = h.target
    return (f"年度目标{v(h.kpi.key, t['target_value'])},本季应达{tg.value(t, 'expected').replace(' ', '')}"
            f"({STATUS_WORD[t['status']]}),按当前进度预计全年{v(h.kpi.key, t['forecast'])}")


def pct(x) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


def num(x) -> str:
    return "—" if x is None else f"{int(round(x)):,}"


# ----------------------------------------------------------------------------- data access
@dataclass
class Scope:
    quarter_end: dt.date
    chain_id: str | None
    park_id: str | None
    chains: pl.DataFrame
    parks: pl.DataFrame

    @property
    def c(self) -> str:
        return self.chain_id or "*"

    @property
    def p(self) -> str:
        return self.park_id or "*"

    @property
    def chain_name(self) -> str | None:
        return self._name(self.chains, "chain_id", self.chain_id)

    @property
    def park_name(self) -> str | None:
        return self._name(self.parks, "park_id", self.park_id)

    @staticmethod
    def _name(df, col, key):
        if not key:
            return None
        row = df.filter(pl.col(col) == key)
        return row["name"][0] if row.height else key

    @property
    def label(self) -> str:
        parts = [x for x in (self.chain_name, self.park_name) if x]
        return " × ".join(parts) if parts else "全区"

    @property
    def is_district(self) -> bool:
        return not (self.chain_id or self.park_id)

    @property
    def key(self) -> str:
        return f"{self.c}|{self.p}"

    def q(self, name: str, **params) -> pl.DataFrame:
        return run_query(name, quarter_end=self.quarter_end, **params)


def _headlines(s: Scope, keys: list[str], chain_id=None, park_id=None) -> dict[str, Headline]:
    c = chain_id if chain_id is not None else s.chain_id
    p = park_id if park_id is not None else s.park_id
    return {h.kpi.key: h for h in kpis.headline(s.quarter_end, c, p, keys=keys)}


def _trend(s: Scope, chain_id=None, park_id=None) -> pl.DataFrame:
    c = chain_id if chain_id is not None else s.chain_id
    p = park_id if park_id is not None else s.park_id
    return kpis.trend(s.quarter_end, c, p).tail(N_TREND)


# ----------------------------------------------------------------------------- blocks
def kpi_tile(h: Headline, box, scope_key: str, *, yoy: bool | None = None) -> Text:
    """Label, value (exactly fmt_value), 环比 (同比 for year-to-date counts) and target status;
    shape name kpi:<scope>:<key>."""
    k = h.kpi
    if yoy is None:
        yoy = k.key.endswith("_ytd")
    paras = [P(k.label, 10, color=L.MUTED), P(h.text, 18, bold=True, color=L.NAVY)]
    delta = fmt_delta(k, h.value, h.yoy if yoy else h.prev)
    # a quarter without history says so (the first quarter of the data, a KPI that starts later)
    paras.append(P(f"{'同比' if yoy else '环比'} {delta or ('无上年同期数据' if yoy else '无上季数据')}", 9, color=L.MUTED))
    if h.target:
        t = h.target
        paras.append(Para([Run(f"本季应达 {tg.value(t, 'expected')} ", 9, color=L.MUTED),
                           Run(f"● {STATUS_WORD[t['status']]}", 9, True, L.STATUS_COLOR[t["status"]])]))
    return text_block(f"kpi:{scope_key}:{k.key}", box, paras, fill=L.LIGHT, line=L.RULE)


def tiles_row(heads: dict[str, Headline], keys: list[str], scope_key: str, y: float = L.TOP,
              h: float = 1.12) -> list[Text]:
    boxes = grid(L.MARGIN_X, y, L.CONTENT_W, h, len(keys), len(keys), row_h=h)
    return [kpi_tile(heads[k], b, scope_key) for k, b in zip(keys, boxes)]


def caption(name: str, box, text: str, size: float = 11.5) -> Text:
    x, y, w, h = box
    return Text(name, box, [P(L.truncate(text, size, w - 2 * L.TEXT_INSET_X, True), size, True, L.NAVY)])


def sentence_box(name: str, box, sentences: list[str], size: float = 12) -> Text:
    return text_block(name, box, [P("■ " + s, size) for s in sentences], fill=L.LIGHT)


def status_cell(h: Headline) -> Cell:
    if not h.target:
        return Cell("—", L.MUTED)
    st_ = h.target["status"]
    return Cell(f"● {STATUS_WORD[st_]}", L.STATUS_COLOR[st_], True)


# ----------------------------------------------------------------------------- slides
def slide_cover(deck: L.Deck) -> Slide:
    s = Slide("cover", deck.title, chrome=False, section="封面")
    scope = deck.scope_label + ("产业链" if deck.chain_id and not deck.park_id else "")
    s.blocks = [
        Rect("cover:bg", (0, 0, L.SLIDE_W, L.SLIDE_H), L.NAVY_DARK),
        Rect("cover:band", (0, 4.9, L.SLIDE_W, 0.08), L.RED),
        Rect("cover:mark", (1.0, 1.55, 1.2, 0.08), L.GOLD),
        Text("cover:title", (1.0, 1.85, 11.3, 1.0), [P(deck.title, 36, True, L.WHITE)]),
        Text("cover:scope", (1.0, 3.0, 11.3, 0.75), [P(L.truncate(f"{scope} · {quarter_cn(deck.quarter_end)}", 24, 11.1, True),
                                                       24, True, L.GOLD)]),
        Text("cover:date", (1.0, 5.15, 11.3, 0.5), [P(f"数据截至 {date_cn(deck.as_of)}", 16, color=L.WHITE)]),
        Text("cover:org", (1.0, 5.7, 11.3, 0.45), [P(f"{APP_NAME} 自动生成 · {deck.source}", 13,
                                                     color="#c5d3e8")]),
    ]
    s.notes = [f"本材料由{APP_NAME}根据{deck.quarter}数据自动生成,数据截至{date_cn(deck.as_of)},范围:{deck.scope_label}。",
               "图表均为可编辑的原生图表,可在 PowerPoint 中右键“编辑数据”修改;指标口径见附录。"]
    s.key_points = [f"{deck.scope_label} · {quarter_cn(deck.quarter_end)}", f"数据截至 {deck.as_of}"]
    return s


def slide_summary(s: Scope, heads: dict[str, Headline], items: pl.DataFrame) -> Slide:
    """The scope's headline KPIs with every annual target of the scope itself (year-to-date targets beside
    year-to-date values): target, expected at this quarter, status."""
    title = {True: "全区概况"}.get(s.is_district, f"{s.label} 概况")
    sl = Slide("summary", title, section=title)
    hl = list(heads.values())
    own = items.filter((pl.col("chain_id") == s.c) & (pl.col("park_id") == s.p))
    n_own = tg.counts(own)
    e, o, w = heads["n_enterprises"], heads["org_coverage_rate"], heads["work_coverage_rate"]
    scope_word = "全区" if s.is_district else s.label
    lead = (f"在营企业 {e.text}(中小企业 {heads['n_sme'].text});组织覆盖率 {o.text}、工作覆盖率 {w.text};"
            f"{scope_word}本级年度目标 {own.height} 项:{tg.counts_text(n_own)}。")
    if s.is_district and items.height > own.height:
        lead += f"含各产业链、各园区共 {items.height} 项:{tg.counts_text(tg.counts(items))}(见需关注事项)。"
    sl.blocks.append(text_block("summary:lead", (L.MARGIN_X, L.TOP, L.CONTENT_W, 0.56), [P(lead, 11.5, True, L.NAVY)]))
    widths = [2.1, 1.75, 2.45, 2.45, 1.45, 0.95, 1.18]
    rows = []
    for h in hl:
        t = h.target
        rows.append([Cell(h.kpi.label, bold=True), Cell(h.text, L.NAVY, True),
                     Cell(fmt_delta(h.kpi, h.value, h.prev) or "—"), Cell(fmt_delta(h.kpi, h.value, h.yoy) or "—"),
                     Cell(fmt_value(h.kpi, t["target_value"]) if t else "—"),
                     Cell(tg.value(t, "expected") if t else "—"), status_cell(h)])
    sl.blocks.append(table_block(f"table:summary:{s.key}", L.MARGIN_X, 1.72,
                                 ["指标", "本季", "环比", "同比", "年度目标", "本季应达", "状态"], rows, widths,
                                 size=10.5, row_h=0.3, align=["l", "r", "r", "r", "r", "r", "c"]))
    notes = [f"本季度{scope_word}在营企业{v('n_enterprises', e.value)},{change('n_enterprises', e.value, e.prev)},"
             f"其中中小企业{v('n_sme', heads['n_sme'].value)}。",
             f"组织覆盖率{v('org_coverage_rate', o.value)},{change('org_coverage_rate', o.value, o.prev)};"
             f"工作覆盖率{v('work_coverage_rate', w.value)},{change('work_coverage_rate', w.value, w.prev)}。"]
    x = heads["n_xjr"]
    notes.append(f"现有专精特新“小巨人”{v('n_xjr', x.value)},{change('n_xjr', x.value, x.prev)}"
                 + (f",{target_phrase(x)}。" if x.target else "。"))
    r, ov = heads["appeal_resolved_rate"], heads["n_appeals_overdue"]
    notes.append(f"诉求累计办结率{v('appeal_resolved_rate', r.value)},超期未办结{v('n_appeals_overdue', ov.value)}。")
    behind = [f"{row['label']}({STATUS_WORD[row['status']]})" for row in tg.alerts(own).iter_rows(named=True)]
    notes.append(f"{scope_word}本级年度目标{own.height}项:{tg.counts_text(n_own)}"
                 + (f",其中{'、'.join(behind)}。" if behind else "。"))
    sl.notes = notes
    sl.key_points = [f"在营企业 {e.text}", f"小巨人 {x.text}", f"组织覆盖率 {o.text}", f"工作覆盖率 {w.text}",
                     f"诉求办结率 {r.text}", f"本级年度目标:{tg.counts_text(n_own)}"]
    return sl


ATTENTION_WIDTHS = [0.62, 2.25, 1.1, 0.85, 0.85, 1.35, 1.6, 3.71]


def slides_attention(s: Scope, items: pl.DataFrame) -> list[Slide]:
    """需关注事项 (right after the cover): every 滞后 then 关注 target in scope — the same items, order and
    counts as `python -m dashboard alerts` — with actual vs expected, the gap, the forecast and who answers."""
    c = tg.counts(items)
    al = tg.alerts(items)
    scope_word = "全区(含各产业链、各园区)" if s.is_district else s.label
    lead = f"{quarter_cn(s.quarter_end)} · {scope_word} · 年度目标 {items.height} 项:{tg.counts_text(c)}"
    rows = []
    for r in al.iter_rows(named=True):
        rows.append([Cell(f"● {STATUS_WORD[r['status']]}", L.STATUS_COLOR[r["status"]], True),
                     Cell(tg.scope_text(r), bold=True), r["label"], tg.value(r, "actual"), tg.value(r, "expected"),
                     Cell(tg.gap_text(r), L.STATUS_COLOR[r["status"]]),
                     tg.forecast_text(r).replace("按当前进度预计全年 ", ""), tg.responsible_short(r)])
    header = ["状态", "范围", "指标", "实际", "本季应达", "差距", "全年预计(占目标)", "责任"]
    size = 9.5
    pages: list[list] = [[]]
    for row in rows:            # greedy: as many rows per slide as the table (wrapped) fits above the footer
        trial = table_block("t", L.MARGIN_X, 1.72, header, pages[-1] + [row], ATTENTION_WIDTHS, size=size,
                            row_h=0.27, wrap=True)
        if pages[-1] and 1.72 + trial.box[3] > L.BOTTOM:
            pages.append([row])
        else:
            pages[-1].append(row)
    out = []
    for i, page_rows in enumerate(pages):
        title = "需关注事项" + (f"({i + 1}/{len(pages)})" if len(pages) > 1 else "")
        sl = Slide("attention", title, section="需关注事项")
        sl.blocks.append(text_block(f"attention:lead:{i + 1}", (L.MARGIN_X, L.TOP, L.CONTENT_W, 0.5),
                                    [Para([Run(lead.split(":")[0] + ":", 12, True, L.NAVY),
                                           Run(f"滞后 {c['红']} 项", 12, True, L.STATUS_COLOR["红"]),
                                           Run("、", 12, True, L.NAVY),
                                           Run(f"关注 {c['黄']} 项", 12, True, L.STATUS_COLOR["黄"]),
                                           Run("、", 12, True, L.NAVY),
                                           Run(f"正常 {c['绿']} 项", 12, True, L.STATUS_COLOR["绿"])])]))
        if page_rows:
            sl.blocks.append(table_block(f"table:attention:{i + 1}", L.MARGIN_X, 1.72, header, page_rows,
                                         ATTENTION_WIDTHS, size=size, row_h=0.27, wrap=True,
                                         align=["c", "l", "l", "r", "r", "r", "r", "l"]))
        else:
            sl.blocks.append(text_block("empty:attention", (L.MARGIN_X, 1.72, 8, 0.5),
                                        [P("本范围全部年度目标进度正常。" if items.height else
                                           "本范围(产业链 × 园区交叉)不设年度目标。", 12)]))
        first = sum(len(pg) for pg in pages[:i])
        sl.notes = ([lead + "。", "判断规则:" + TARGET_RULE] if i == 0 else [lead + "(续)。"]) + \
            [tg.sentence(r) + "。" for r in al.slice(first, len(page_rows)).iter_rows(named=True)]
        sl.key_points = [lead] + [f"{tg.scope_text(r)} {r['label']} {STATUS_WORD[r['status']]}"
                                  for r in al.slice(first, len(page_rows)).iter_rows(named=True)]
        out.append(sl)
    return out


def _remaining(r: dict) -> str:
    """What the rest of the year has to deliver: target − actual, in the metric's unit."""
    k = BY_KEY[r["metric"]]
    left = (r["target_value"] or 0) - (r["actual"] or 0)
    if k.is_rate:
        return f"{left * 100:.1f}个百分点"
    return f"{left:,.0f}{k.unit}"


def slide_executive(s: Scope, heads: dict[str, Headline], items: pl.DataFrame, ages: pl.DataFrame,
                    oldest: dict | None) -> Slide:
    """工作摘要: 亮点 / 问题 / 下步工作建议, each sentence written from the numbers of this deck."""
    sl = Slide("executive", "工作摘要 · 亮点 / 问题 / 下步工作建议", section="工作摘要")
    scope_word = "全区" if s.is_district else s.label
    c = tg.counts(items)
    red = items.filter(pl.col("status") == "红")
    yellow = items.filter(pl.col("status") == "黄")
    # 亮点: targets running ahead of plan, and the year-on-year gains of the headline KPIs
    good = []
    ahead = items.filter((pl.col("status") == "绿") & (pl.col("forecast_rate") >= 1.0)).sort(
        "forecast_rate", descending=True)
    for r in ahead.head(2).iter_rows(named=True):
        good.append(f"{tg.scope_phrase(r)}{r['label']}{tg.value(r, 'actual')},按当前进度预计全年完成目标的"
                    f"{r['forecast_rate'] * 100:.0f}%。")
    for key in ("n_xjr", "org_coverage_rate", "work_coverage_rate", "n_problems_solved_ytd"):
        h = heads.get(key)
        if h is not None and h.value is not None and h.yoy is not None and h.value > h.yoy:
            good.append(f"{h.kpi.label}{v(key, h.value)},{change(key, h.value, h.yoy, '上年同期')}。")
    if c["绿"]:
        good.append(f"年度目标{items.height}项中{c['绿']}项进度正常。")
    # 问题: the red items, the overdue appeals by age
    issues = [f"年度目标滞后{c['红']}项、关注{c['黄']}项。"]
    for r in red.head(4).iter_rows(named=True):
        issues.append(f"{tg.scope_phrase(r)}{r['label']}:{tg.versus_text(r)}({tg.gap_text(r)})。")
    by_chain = red.filter(pl.col("scope_type") == "chain").group_by("scope_name").len().sort(
        ["len", "scope_name"], descending=[True, False])
    if s.is_district and by_chain.height:
        top = by_chain.filter(pl.col("len") == by_chain["len"][0])["scope_name"].to_list()
        issues.append(f"滞后目标最多的产业链:{'、'.join(top)}(各{by_chain['len'][0]}项)。")
    n_over = int(ages["n_overdue"].sum())
    if n_over:
        old = int(ages.filter(pl.col("overdue_bucket") >= 3)["n_overdue"].sum())
        issues.append(f"超期未办结诉求{n_over}件,其中超期90天以上{old}件"
                      + (f",最久{oldest['days_overdue']}天({oldest['name']},承办:{oldest['handler_unit_name']})。"
                         if oldest else "。"))
    # 下步工作建议: one line per red item (who, what is left), then the appeals and the yellow items
    todo = []
    for r in red.head(4).iter_rows(named=True):
        who = r["responsible"] if r["scope_type"] != "district" else "区有关部门"
        todo.append(f"请{who}牵头推进{tg.scope_phrase(r)}{r['label']}:全年目标{tg.value(r, 'target_value')},"
                    f"年内还需{_remaining(r)},建议列入督办。")
    if red.height > 4:
        todo.append(f"其余{red.height - 4}项滞后目标见“需关注事项”,逐项明确责任单位和完成时限。")
    if n_over:
        todo.append(f"对超期未办结的{n_over}件诉求逐件督办、限期办结,超期90天以上的优先。")
    if yellow.height:
        todo.append(f"对{yellow.height}项“关注”目标按月跟踪,防止转为滞后。")
    if not todo:
        todo.append(f"{scope_word}各项年度目标进度正常,保持当前工作节奏。")
    cols = [("亮点", good[:5], L.STATUS_COLOR["绿"]), ("问题", issues[:6], L.STATUS_COLOR["红"]),
            ("下步工作建议", todo[:6], L.NAVY)]
    boxes = grid(L.MARGIN_X, L.TOP, L.CONTENT_W, L.BOTTOM - L.TOP, 3, 3, gap=0.2)
    for (name, sentences, color), b in zip(cols, boxes):
        sl.blocks.append(text_block(f"executive:{name}", b, [P(name, 16, True, color)]
                                    + [P("■ " + x, 11.5) for x in (sentences or ["—"])], fill=L.LIGHT, line=L.RULE))
    sl.notes = [f"亮点:{''.join(good) or '—'}", f"问题:{''.join(issues)}", f"下步工作建议:{''.join(todo)}"]
    sl.key_points = [f"亮点 {len(good)} 条", f"滞后 {c['红']} 项 · 关注 {c['黄']} 项", f"建议 {len(todo)} 条"]
    return sl


def span(tr: pl.DataFrame) -> str:
    """The trend's reach in a caption: '近 12 个季度', or, when the data start later, what there is."""
    n = tr.height
    if n >= N_TREND:
        return f"近 {N_TREND} 个季度"
    if n <= 1:
        return "本季为数据首个季度,暂无历史趋势"
    return f"{tr['quarter_label'][0]} 以来 {n} 个季度"


def _trend_charts(name: str, tr: pl.DataFrame, x: float, w: float) -> list:
    cats = tr["quarter_label"].to_list()
    return [
        caption(f"cap:{name}:ent", (x, 1.5, w, 0.32), f"在营企业数(家)· {span(tr)}"),
        Chart(f"chart:trend_enterprises:{name}", (x, 1.82, w, 2.3), "column", cats,
              [Series("在营企业数", [int(v_) if v_ is not None else None for v_ in tr["n_enterprises"].to_list()],
                      L.SERIES[0])], legend=False),
        caption(f"cap:{name}:cov", (x, 4.22, w, 0.32), f"组织覆盖率 / 工作覆盖率 · {span(tr)}"),
        Chart(f"chart:trend_coverage:{name}", (x, 4.54, w, 2.38), "line", cats,
              [Series("组织覆盖率", tr["org_coverage_rate"].to_list(), L.SERIES[0]),
               Series("工作覆盖率", tr["work_coverage_rate"].to_list(), L.SERIES[1])], unit="rate", labels=False),
    ]


def _masters_block(masters: pl.DataFrame, scope_key: str, y: float) -> list:
    blocks = [caption(f"cap:{scope_key}:masters", (L.MARGIN_X, y, 6.2, 0.32), "链主企业 · 培育计划与党组织")]
    if masters.is_empty():
        blocks.append(text_block(f"empty:{scope_key}:masters", (L.MARGIN_X, y + 0.32, 6.2, 0.4),
                                 [P("本范围内暂无在营链主企业。", 11, color=L.MUTED)]))
        return blocks
    rows = []
    for m in masters.head(3).iter_rows(named=True):
        tf = m["task_force_mode"] if m["has_task_force"] else ("未组建" if m["has_task_force"] is not None else "—")
        plan = {True: "已制定", False: "未制定"}.get(m["has_party_plan"], "—")
        rows.append([short_name(m["enterprise_name"]), tf or "—", plan, m["org_type"] if m["org_type"] != "无" else "未建",
                     "—" if m["score"] is None else f"{m['score']:.1f}"])
    blocks.append(table_block(f"table:masters:{scope_key}", L.MARGIN_X, y + 0.32,
                              ["企业", "工作专班", "党建规划", "党组织", "培育评分"], rows,
                              [2.3, 1.1, 0.95, 0.95, 0.9], size=10, row_h=0.28, align=["l", "c", "c", "c", "r"]))
    return blocks


def _appeals_block(appeals: pl.DataFrame, scope_key: str, y: float) -> list:
    blocks = [caption(f"cap:{scope_key}:appeals", (L.MARGIN_X, y, 6.2, 0.32), "未办结诉求 · 超期在前")]
    if appeals.is_empty():
        blocks.append(text_block(f"empty:{scope_key}:appeals", (L.MARGIN_X, y + 0.32, 6.2, 0.4),
                                 [P("截至季末无未办结诉求。", 11, color=L.MUTED)]))
        return blocks
    rows = []
    for a in appeals.head(TOP_APPEALS).iter_rows(named=True):
        state = (Cell(f"超期 {a['days_overdue']} 天", L.RED, True) if a["is_overdue"]
                 else Cell(f"已办 {a['days_open']} 天"))
        rows.append([short_name(a["enterprise_name"]), a["category"], a["handler_unit_name"], state])
    blocks.append(table_block(f"table:appeals:{scope_key}", L.MARGIN_X, y + 0.32, ["企业", "类别", "承办单位", "状态"],
                              rows, [1.9, 1.35, 1.95, 1.0], size=10, row_h=0.28, align=["l", "l", "l", "r"]))
    return blocks


def slide_focus(s: Scope, chain_id: str | None, park_id: str | None, masters: pl.DataFrame,
                appeals: pl.DataFrame, items: pl.DataFrame) -> Slide:
    """One chain (or park, or chain × park): its annual targets' statuses, KPI tiles, 12-quarter trend
    charts, 链主, top open appeals."""
    c_key, p_key = chain_id or "*", park_id or "*"
    scope_key = f"{c_key}|{p_key}"
    names = []
    info = ""
    if chain_id:
        ch = s.chains.filter(pl.col("chain_id") == chain_id).row(0, named=True)
        names.append(ch["name"])
    if park_id:
        pk = s.parks.filter(pl.col("park_id") == park_id).row(0, named=True)
        names.append(pk["name"])
    label = " × ".join(names)
    heads = _headlines(s, CHAIN_TILES + ["n_secretaries", "n_pairings", "n_appeals_open"], chain_id, park_id)
    if chain_id:
        title = f"{label} 产业链" if not park_id else label
        info = (f"链长:{ch['leader_title']} · 牵头部门:{ch['lead_unit_name'] or ch['lead_unit_id']} · "
                f"覆盖方式:{ch['coverage_mode']} · 第一书记在岗 {heads['n_secretaries'].text} · "
                f"结对共建 {heads['n_pairings'].text}")
    else:
        title = f"{label} 园区"
        chief = f"园长制(园长单位:{pk['chief_unit_name']})" if pk["has_park_chief"] else "未设园长制"
        info = (f"{pk['park_type']} · {chief} · 第一书记在岗 {heads['n_secretaries'].text} · "
                f"结对共建 {heads['n_pairings'].text}" + (f" · {pk['mechanism']}" if pk["mechanism"] else ""))
    sl = Slide("focus", title, section="重点产业链" if chain_id else "园区")
    own = items.filter((pl.col("chain_id") == c_key) & (pl.col("park_id") == p_key))
    oc = tg.counts(own)
    if own.height:
        worst = "红" if oc["红"] else ("黄" if oc["黄"] else "绿")
        names_ = [f"{r['label']}({STATUS_WORD[r['status']]})" for r in tg.alerts(own).iter_rows(named=True)]
        z = 10.5
        runs = [Run(f"年度目标 {own.height} 项:", z, True, L.NAVY),
                Run(f"滞后 {oc['红']} 项", z, True, L.STATUS_COLOR["红"]), Run("、", z, True, L.NAVY),
                Run(f"关注 {oc['黄']} 项", z, True, L.STATUS_COLOR["黄"]), Run("、", z, True, L.NAVY),
                Run(f"正常 {oc['绿']} 项", z, True, L.STATUS_COLOR["绿"])]
        if names_:
            lead = "".join(r.text for r in runs)
            runs.append(Run(fit_list(names_, z, L.CONTENT_W - 2 * L.TEXT_INSET_X, prefix=" · ", lead=lead), z, False,
                            L.STATUS_COLOR[worst]))
        sl.blocks.append(Text(f"status:{scope_key}", (L.MARGIN_X, 0.98, L.CONTENT_W, 0.31), [Para(runs)]))
    sl.blocks.append(Text(f"info:{scope_key}", (L.MARGIN_X, 1.22, L.CONTENT_W, 0.3),
                          [P(L.truncate(info, 10, L.CONTENT_W - 2 * L.TEXT_INSET_X), 10, color=L.MUTED)]))
    boxes = grid(L.MARGIN_X, 1.5, 6.2, 2.3, 6, 3, row_h=1.12)
    sl.blocks += [kpi_tile(heads[k], b, scope_key) for k, b in zip(CHAIN_TILES, boxes)]
    tr = _trend(s, chain_id, park_id)
    sl.blocks += _trend_charts(scope_key, tr, 6.9, L.SLIDE_W - L.MARGIN_X - 6.9)
    sl.blocks += _masters_block(masters, scope_key, 3.95)
    sl.blocks += _appeals_block(appeals, scope_key, 5.45)

    e, o, w = heads["n_enterprises"], heads["org_coverage_rate"], heads["work_coverage_rate"]
    x = heads["n_xjr"]
    who = f"{label}产业链" if chain_id and not park_id else label
    notes = [f"{who}在营企业{v('n_enterprises', e.value)},{change('n_enterprises', e.value, e.prev)};"
             f"小巨人{v('n_xjr', x.value)},{change('n_xjr', x.value, x.prev)}。",
             f"组织覆盖率{v('org_coverage_rate', o.value)},{change('org_coverage_rate', o.value, o.prev)};"
             f"工作覆盖率{v('work_coverage_rate', w.value)},{change('work_coverage_rate', w.value, w.prev)}。"]
    if chain_id and not masters.is_empty():
        parts = []
        for m in masters.iter_rows(named=True):
            tf = f"已组建工作专班({m['task_force_mode']})" if m["has_task_force"] else "尚未组建工作专班"
            plan = "已制定年度党建规划" if m["has_party_plan"] else "尚未制定年度党建规划"
            parts.append(f"{m['enterprise_name']}{tf}、{plan}")
        notes.append("链主:" + ";".join(parts) + "。")
    ov, op = heads["n_appeals_overdue"], heads["n_appeals_open"]
    if not appeals.is_empty() and appeals["is_overdue"][0]:
        a = appeals.row(0, named=True)
        notes.append(f"未办结诉求{v('n_appeals_open', op.value)},其中超期{v('n_appeals_overdue', ov.value)};"
                     f"超期最长的是{a['enterprise_name']}的{a['category']}诉求(承办:{a['handler_unit_name']},"
                     f"超期{a['days_overdue']}天),建议会上督办。")
    else:
        notes.append(f"未办结诉求{v('n_appeals_open', op.value)},无超期诉求。")
    if own.height:
        notes.append(f"年度目标{own.height}项:{tg.counts_text(oc)}。")
    for r in tg.alerts(own).iter_rows(named=True):
        notes.append(tg.sentence(r) + "。")
    sl.notes = notes
    sl.key_points = [f"在营企业 {e.text}", f"小巨人 {x.text}", f"组织覆盖率 {o.text}",
                     f"超期诉求 {ov.text}"] + ([f"年度目标:{tg.counts_text(oc)}"] if own.height else [])
    return sl


def slide_breakdown(s: Scope, rows_df: pl.DataFrame, by: str) -> Slide:
    """Parks (district, chain deck) or chains (park deck): table and a native bar chart."""
    id_col, name_col = ("park_id", "park_name") if by == "park" else ("chain_id", "chain_name")
    if by == "park":
        title = "园区概况" if s.is_district else "园区分布"
    else:
        title = "产业链分布"
    sl = Slide("breakdown", title, section=title)
    d = rows_df.filter(pl.col("n_enterprises") > 0).sort(["n_enterprises", id_col], descending=[True, False])
    shown, rest = d.head(MAX_TABLE_ROWS), d.slice(MAX_TABLE_ROWS)
    who = "园区" if by == "park" else "产业链"
    if d.is_empty():
        sl.blocks.append(text_block("empty:breakdown", (L.MARGIN_X, 1.6, 8, 0.5), [P(f"本范围内无{who}数据。", 12)]))
        sl.notes = [f"本范围内无{who}数据。"]
        return sl
    top = d.row(0, named=True)
    best = d.sort("org_coverage_rate", descending=True, nulls_last=True).row(0, named=True)
    worst = d.sort("org_coverage_rate", descending=False, nulls_last=True).row(0, named=True)
    lead = (f"共 {d.height} 个{who}有在营企业;企业数最多:{top[name_col]}({num(top['n_enterprises'])} 家);"
            f"组织覆盖率最高:{best[name_col]}({pct(best['org_coverage_rate'])})。")
    sl.blocks.append(text_block("breakdown:lead", (L.MARGIN_X, L.TOP, L.CONTENT_W, 0.5), [P(lead, 12, True, L.NAVY)]))
    rows = [[Cell(r[name_col], bold=True), num(r["n_enterprises"]), num(r["n_xjr"]), pct(r["org_coverage_rate"]),
             pct(r["work_coverage_rate"]), pct(r["appeal_resolved_rate"]),
             Cell(num(r["n_appeals_overdue"]), L.RED if (r["n_appeals_overdue"] or 0) > 0 else L.TEXT)]
            for r in shown.iter_rows(named=True)]
    sl.blocks.append(table_block(f"table:breakdown:{by}", L.MARGIN_X, 1.72,
                                 [who, "企业数", "小巨人", "组织覆盖率", "工作覆盖率", "诉求办结率", "超期诉求"], rows,
                                 [2.0, 1.0, 0.8, 1.05, 1.05, 1.05, 0.85], size=10.5, row_h=0.33,
                                 align=["l", "r", "r", "r", "r", "r", "r"]))
    cx = 8.55
    sl.blocks.append(caption("cap:breakdown", (cx, 1.68, L.SLIDE_W - L.MARGIN_X - cx, 0.32),
                             f"各{who}在营企业数(家)"))
    sl.blocks.append(Chart(f"chart:breakdown:{by}", (cx, 2.0, L.SLIDE_W - L.MARGIN_X - cx, 4.9), "bar",
                           shown[name_col].to_list(), [Series("在营企业数", shown["n_enterprises"].to_list(), L.SERIES[0])],
                           legend=False))
    notes = [f"企业数最多的{who}是{top[name_col]}({num(top['n_enterprises'])}家)。",
             f"组织覆盖率最高的是{best[name_col]}({pct(best['org_coverage_rate'])}),"
             f"最低的是{worst[name_col]}({pct(worst['org_coverage_rate'])})。"]
    if by == "park":
        chiefs = d.filter(pl.col("has_park_chief"))
        if chiefs.height:
            notes.append(f"实行园长制的园区{chiefs.height}个:{'、'.join(chiefs['park_name'].to_list())}。")
    over = d.filter(pl.col("n_appeals_overdue") > 0).sort("n_appeals_overdue", descending=True)
    if over.height:
        notes.append(f"有超期未办结诉求的{who}{over.height}个,最多的是{over[name_col][0]}"
                     f"({num(over['n_appeals_overdue'][0])}件)。")
    if rest.height:
        notes.append(f"表中列出企业数前{MAX_TABLE_ROWS}个{who},其余{rest.height}个见驾驶舱。")
    sl.notes = notes
    sl.key_points = [f"{who}数 {d.height}", f"企业数最多:{top[name_col]}"]
    return sl


def slide_cultivation(s: Scope, heads: dict[str, Headline], ladder: pl.DataFrame) -> Slide:
    sl = Slide("cultivation", "企业培育 · 梯度", section="企业培育")
    by = {r["kpi_key"]: r for r in ladder.iter_rows(named=True)}
    cats = [LADDER_LABEL[k] for k in LADDER]
    now = [int(by[k]["n_now"]) if k in by else 0 for k in LADDER]
    yoy = [int(by[k]["n_yoy"]) if k in by else 0 for k in LADDER]
    # like with like: the national titles (tens) on their own axis, not flattened under the thousands
    y = L.TOP
    for part, keys in LADDER_CHARTS.items():
        h = 3.0 if part == "base" else 1.9
        sl.blocks.append(caption(f"cap:ladder:{part}", (L.MARGIN_X, y, 6.4, 0.32), LADDER_CAPTION[part]))
        idx = [LADDER.index(k) for k in keys]
        sl.blocks.append(Chart(f"chart:ladder:{part}", (L.MARGIN_X, y + 0.32, 6.4, h), "column", [cats[i] for i in idx],
                               [Series("本季", [now[i] for i in idx], L.SERIES[0]),
                                Series("上年同季", [yoy[i] for i in idx], L.SERIES[2])]))
        y += 0.32 + h + 0.1
    rows = []
    for k in LADDER:
        r = by.get(k, {"n_now": 0, "n_prev": 0, "n_new": 0, "n_yoy": 0})
        d = int(r["n_now"]) - int(r["n_prev"])
        rows.append([Cell(LADDER_LABEL[k], bold=True), Cell(f"{int(r['n_now']):,}", L.NAVY, True), signed(d),
                     f"{int(r['n_new']):,}", f"{int(r['n_yoy']):,}"])
    x = 7.1
    tw = L.SLIDE_W - L.MARGIN_X - x
    sl.blocks.append(caption("cap:ladder_table", (x, L.TOP, tw, 0.32), "梯度明细(家)"))
    sl.blocks.append(table_block("table:ladder", x, 1.46, ["梯度", "本季", "较上季", "本季新增", "上年同季"], rows,
                                 [1.95, 0.9, 0.9, 1.0, 0.98], size=11, row_h=0.38, align=["l", "r", "r", "r", "r"]))
    xr = by.get("n_xjr", {"n_now": 0, "n_prev": 0, "n_new": 0})
    hx, hl = heads["n_xjr"], heads["n_lgsx"]
    sentences = [f"本季度新增小巨人{int(xr['n_new'])}家,现有小巨人{v('n_xjr', hx.value)}"
                 + (f";{target_phrase(hx)}" if hx.target else "") + "。",
                 f"两高四新{v('n_lgsx', hl.value)},{change('n_lgsx', hl.value, hl.prev)}"
                 + (f";{target_phrase(hl)}" if hl.target else "") + "。",
                 f"单项冠军{v('n_dxgj', heads['n_dxgj'].value)}、高新技术企业{v('n_gxjs', heads['n_gxjs'].value)}、"
                 f"省级专精特新{v('n_sjzjtx', heads['n_sjzjtx'].value)}、创新型中小企业{v('n_cxx', heads['n_cxx'].value)}。"]
    cx = by.get("n_cxx", {"n_new": 0})
    sentences.append(f"本季新增创新型中小企业{int(cx['n_new'])}家,为梯度培育储备后备力量。")
    sl.blocks.append(sentence_box("cultivation:points", (x, 4.3, tw, 2.6), sentences, 12))
    sl.notes = sentences
    sl.key_points = [f"小巨人 {hx.text}(本季新增 {int(xr['n_new'])} 家)", f"两高四新 {hl.text}",
                     f"单项冠军 {heads['n_dxgj'].text}"]
    return sl


def slide_coverage(s: Scope, heads: dict[str, Headline], by_df: pl.DataFrame | None, by: str | None,
                   tr: pl.DataFrame) -> Slide:
    sl = Slide("coverage", "两个覆盖 · 组织覆盖与工作覆盖", section="两个覆盖")
    sl.blocks += tiles_row(heads, COVERAGE_TILES, s.key)
    o, w = heads["org_coverage_rate"], heads["work_coverage_rate"]
    cw = 8.0
    if by:
        who = "产业链" if by == "chain" else "园区"
        name_col = "chain_name" if by == "chain" else "park_name"
        d = by_df.filter(pl.col("n_base") > 0).sort("org_coverage_rate", descending=True, nulls_last=True)
        d = d.head(MAX_TABLE_ROWS)
        sl.blocks.append(caption("cap:coverage", (L.MARGIN_X, 2.4, cw, 0.32), f"各{who}组织覆盖率与工作覆盖率"))
        sl.blocks.append(Chart(f"chart:coverage:{by}", (L.MARGIN_X, 2.72, cw, 4.18), "bar", d[name_col].to_list(),
                               [Series("组织覆盖率", d["org_coverage_rate"].to_list(), L.SERIES[0]),
                                Series("工作覆盖率", d["work_coverage_rate"].to_list(), L.SERIES[1])], unit="rate"))
    else:
        sl.blocks.append(caption("cap:coverage", (L.MARGIN_X, 2.4, cw, 0.32), f"组织覆盖率与工作覆盖率 · {span(tr)}"))
        sl.blocks.append(Chart("chart:coverage:trend", (L.MARGIN_X, 2.72, cw, 4.18), "line", tr["quarter_label"].to_list(),
                               [Series("组织覆盖率", tr["org_coverage_rate"].to_list(), L.SERIES[0]),
                                Series("工作覆盖率", tr["work_coverage_rate"].to_list(), L.SERIES[1])], unit="rate",
                               labels=False))
    sentences = [f"组织覆盖率{v('org_coverage_rate', o.value)},{change('org_coverage_rate', o.value, o.prev)}"
                 + (f";{target_phrase(o)}" if o.target else "") + "。",
                 f"工作覆盖率{v('work_coverage_rate', w.value)},{change('work_coverage_rate', w.value, w.prev)}"
                 + (f";{target_phrase(w)}" if w.target else "") + "。"]
    if by and by_df is not None and by_df.height:
        d2 = by_df.filter(pl.col("n_base") > 0).sort("org_coverage_rate", nulls_last=True)
        if d2.height > 1:
            lo, hi = d2.row(0, named=True), d2.drop_nulls("org_coverage_rate").row(-1, named=True)
            sentences.append(f"组织覆盖率最高的{who}是{hi[name_col]}({pct(hi['org_coverage_rate'])}),"
                             f"最低的是{lo[name_col]}({pct(lo['org_coverage_rate'])})。")
    sentences.append(f"本季新发展党员{v('n_new_members', heads['n_new_members'].value)};"
                     f"双覆盖空白企业{v('n_base_gap', heads['n_base_gap'].value)},"
                     f"{change('n_base_gap', heads['n_base_gap'].value, heads['n_base_gap'].prev)}。")
    sentences.append(f"党员 3 人以上未单独组建党组织的企业{v('n_should_own_org', heads['n_should_own_org'].value)},"
                     "应推动单独组建。")
    x = L.MARGIN_X + cw + 0.2
    sl.blocks.append(sentence_box("coverage:points", (x, 2.4, L.SLIDE_W - L.MARGIN_X - x, 4.5), sentences, 12))
    sl.notes = sentences
    sl.key_points = [f"组织覆盖率 {o.text}", f"工作覆盖率 {w.text}",
                     f"双覆盖空白 {heads['n_base_gap'].text}"]
    return sl


def slide_secretary(s: Scope, heads: dict[str, Headline], outcomes: pl.DataFrame, cases: pl.DataFrame) -> Slide:
    sl = Slide("secretary", "第一书记 · 派驻成效与典型案例", section="第一书记")
    sl.blocks += tiles_row(heads, SECRETARY_TILES, s.key)
    by = {r["kind"]: int(r["n"]) for r in outcomes.iter_rows(named=True)}
    cw = 5.6
    sl.blocks.append(caption("cap:outcomes", (L.MARGIN_X, 2.4, cw, 0.32), "本季各类成效(项)"))
    sl.blocks.append(Chart("chart:outcomes", (L.MARGIN_X, 2.72, cw, 4.18), "column", OUTCOME_KINDS,
                           [Series("本季成效", [by.get(k, 0) for k in OUTCOME_KINDS], L.SERIES[1])], legend=False))
    x = L.MARGIN_X + cw + 0.25
    w = L.SLIDE_W - L.MARGIN_X - x
    sl.blocks.append(caption("cap:cases", (x, 2.4, w, 0.32), "典型案例"))
    if cases.is_empty():
        sl.blocks.append(text_block("empty:cases", (x, 2.75, w, 0.5), [P("截至本季末暂无典型案例。", 12, color=L.MUTED)]))
    case_notes = []
    for i, (c, b) in enumerate(zip(cases.head(N_CASES).iter_rows(named=True),
                                   grid(x, 2.75, w, 4.15, N_CASES, 1, gap=0.12))):
        when = "本季" if c["in_quarter"] else "往季"
        meta = (f"第一书记 {c['secretary_name']}(派出单位:{c['source_unit_name']})· {c['enterprise_name']} · "
                f"{c['occurred_on']:%Y-%m-%d}({when})· {c['kind']}")
        sl.blocks.append(text_block(f"case:{i + 1}", b, [P(c["title"], 13, True, L.NAVY), P(meta, 11, color=L.MUTED)],
                                    fill=L.LIGHT, line=L.RULE))
        case_notes.append(f"案例{i + 1}:{c['enterprise_name']},第一书记{c['secretary_name']}{c['title']}。")
    n, ent, units = heads["n_secretaries"], heads["n_secretary_enterprises"], heads["n_secretary_units"]
    ps, ytd = heads["n_problems_solved"], heads["n_problems_solved_ytd"]
    top_kind = max(by, key=by.get) if by else None
    notes = [f"在岗第一书记{v('n_secretaries', n.value)},服务企业{v('n_secretary_enterprises', ent.value)},"
             f"来自{v('n_secretary_units', units.value)}派出单位。",
             f"本季各类成效{v('n_outcomes', heads['n_outcomes'].value)},其中解决问题{v('n_problems_solved', ps.value)},"
             f"{change('n_problems_solved', ps.value, ps.prev)};年内累计解决问题{v('n_problems_solved_ytd', ytd.value)}"
             + (f",{target_phrase(ps)}" if ps.target else "") + "。"]
    if top_kind:
        notes.append(f"成效以“{top_kind}”最多({by[top_kind]:,}项)。")
    sl.notes = notes + case_notes
    sl.key_points = [f"在岗 {n.text}", f"本季解决问题 {ps.text}", f"典型案例 {min(cases.height, N_CASES)} 个"]
    return sl


def slide_appeals(s: Scope, heads: dict[str, Headline], by_unit: pl.DataFrame, tr: pl.DataFrame) -> Slide:
    sl = Slide("appeals", "诉求办理 · 吐槽大会与联合调度", section="诉求办理")
    sl.blocks += tiles_row(heads, APPEAL_TILES, s.key)
    tw = 6.0
    sl.blocks.append(caption("cap:overdue", (L.MARGIN_X, 2.4, tw, 0.32), "超期未办结诉求 · 按承办单位"))
    if by_unit.is_empty():
        sl.blocks.append(text_block("empty:overdue", (L.MARGIN_X, 2.75, tw, 0.5),
                                    [P("截至季末无超期未办结诉求。", 12, color=L.MUTED)]))
    else:
        shown, rest = by_unit.head(MAX_UNIT_ROWS), by_unit.slice(MAX_UNIT_ROWS)
        rows = [[Cell(r["unit_name"], bold=True), Cell(f"{r['n_overdue']:,}", L.RED, True), f"{r['max_days_overdue']:,}",
                 f"{r['avg_days_overdue']:.1f}"] for r in shown.iter_rows(named=True)]
        if rest.height:
            rows.append([Cell(f"其余 {rest.height} 个单位", L.MUTED), Cell(f"{int(rest['n_overdue'].sum()):,}", L.RED),
                         f"{int(rest['max_days_overdue'].max()):,}", "—"])
        sl.blocks.append(table_block("table:overdue_units", L.MARGIN_X, 2.75, ["承办单位", "超期件数", "最长超期(天)",
                                                                               "平均超期(天)"], rows,
                                     [2.1, 1.0, 1.45, 1.45], size=10.5, row_h=0.31, align=["l", "r", "r", "r"]))
    x = L.MARGIN_X + tw + 0.3
    cw = L.SLIDE_W - L.MARGIN_X - x
    sl.blocks.append(caption("cap:appeal_trend", (x, 2.4, cw, 0.32), f"诉求收到与办结(件)· {span(tr)}"))
    sl.blocks.append(Chart("chart:appeal_trend", (x, 2.72, cw, 4.18), "column", tr["quarter_label"].to_list(),
                           [Series("收到", tr["n_appeals_received"].to_list(), L.SERIES[0]),
                            Series("办结", tr["n_appeals_resolved"].to_list(), L.SERIES[2])], labels=False))
    rc, rs, rr = heads["n_appeals_received"], heads["n_appeals_resolved"], heads["appeal_resolved_rate"]
    ov, days = heads["n_appeals_overdue"], heads["avg_resolve_days"]
    notes = [f"本季度收到诉求{v('n_appeals_received', rc.value)}、办结{v('n_appeals_resolved', rs.value)},"
             f"累计办结率{v('appeal_resolved_rate', rr.value)},{change('appeal_resolved_rate', rr.value, rr.prev)}"
             + (f";{target_phrase(rr)}" if rr.target else "") + "。",
             f"本季办结诉求平均用时{v('avg_resolve_days', days.value)}。"]
    if by_unit.height:
        top = by_unit.head(3)
        lst = "、".join(f"{r['unit_name']}({r['n_overdue']}件)" for r in top.iter_rows(named=True))
        notes.append(f"超期未办结{v('n_appeals_overdue', ov.value)},涉及{by_unit.height}个承办单位,集中在{lst},"
                     "建议逐件督办、限期办结。")
    else:
        notes.append("截至季末无超期未办结诉求。")
    sl.notes = notes
    sl.key_points = [f"本季收到 {rc.text}", f"办结率 {rr.text}", f"超期未办结 {ov.text}"]
    return sl


def slide_pairing(s: Scope, heads: dict[str, Headline], programs: pl.DataFrame) -> Slide:
    sl = Slide("pairing", "红联共建 · 机关党组织与链上企业结对", section="红联共建")
    sl.blocks += tiles_row(heads, PAIRING_TILES, s.key)
    by = {r["program"]: r for r in programs.iter_rows(named=True)}
    cw = 6.4
    sl.blocks.append(caption("cap:programs", (L.MARGIN_X, 2.4, cw, 0.32), "本季共建活动(次)· 按项目"))
    sl.blocks.append(Chart("chart:programs", (L.MARGIN_X, 2.72, cw, 4.18), "column", PROGRAMS,
                           [Series("活动次数", [int(by[p]["n_activities"]) if p in by else 0 for p in PROGRAMS],
                                   L.SERIES[1])], legend=False))
    x = L.MARGIN_X + cw + 0.3
    tw = L.SLIDE_W - L.MARGIN_X - x
    rows, tot = [], [0, 0, 0]
    for p in PROGRAMS:
        r = by.get(p, {"n_activities": 0, "n_participants": 0, "n_results": 0})
        vals = [int(r["n_activities"]), int(r["n_participants"] or 0), int(r["n_results"] or 0)]
        tot = [a + b for a, b in zip(tot, vals)]
        rows.append([Cell(p, bold=True)] + [f"{x_:,}" for x_ in vals])
    rows.append([Cell("合计", L.NAVY, True)] + [Cell(f"{x_:,}", L.NAVY, True) for x_ in tot])
    sl.blocks.append(caption("cap:program_table", (x, 2.4, tw, 0.32), "项目明细"))
    sl.blocks.append(table_block("table:programs", x, 2.75, ["项目", "活动次数", "参与人次", "成果数"], rows,
                                 [tw - 3 * 1.2, 1.2, 1.2, 1.2], size=11, row_h=0.38, align=["l", "r", "r", "r"]))
    pr, act, ytd = heads["n_pairings"], heads["n_pairing_activities"], heads["n_pairing_activities_ytd"]
    detail = "、".join(f"{p}{int(by[p]['n_activities'])}次" for p in PROGRAMS if p in by)
    sentences = [f"现有结对共建{v('n_pairings', pr.value)},{change('n_pairings', pr.value, pr.prev)}。",
                 f"本季开展共建活动{v('n_pairing_activities', act.value)}" + (f"({detail})" if detail else "")
                 + f",参与{tot[1]:,}人次,形成成果{tot[2]:,}项。",
                 f"年内累计共建活动{v('n_pairing_activities_ytd', ytd.value)}"
                 + (f",{target_phrase(ytd)}" if ytd.target else "") + "。"]
    sl.blocks.append(sentence_box("pairing:points", (x, 4.85, tw, 2.05), sentences, 12))
    sl.notes = sentences
    sl.key_points = [f"结对 {pr.text}", f"本季活动 {act.text}"]
    return sl


def appendix_keys() -> list[str]:
    keys = [k.key for k in kpis.KPIS]
    for k in (COVERAGE_TILES + SECRETARY_TILES + APPEAL_TILES + PAIRING_TILES + LADDER + ["n_should_own_org"]):
        if k not in keys:
            keys.append(k)
    return keys


def slides_appendix() -> list[Slide]:
    widths = [1.7, 0.6, 8.0, L.CONTENT_W - 10.3]
    rows = [[Cell(BY_KEY[k].label, bold=True), BY_KEY[k].unit, BY_KEY[k].definition, labels.tables_text(BY_KEY[k].tables)]
            for k in appendix_keys()]
    rows.append([Cell("年度目标状态", bold=True), "—", TARGET_RULE, labels.tables_text("targets")])
    size = 10
    pages = L.split_rows_by_height(rows, widths, size, L.BOTTOM - 1.2, row_h=0.3)
    out = []
    for i, page_rows in enumerate(pages):
        title = "附录 · 指标口径" + (f"({i + 1}/{len(pages)})" if len(pages) > 1 else "")
        sl = Slide("appendix", title, section="附录 · 指标口径")
        sl.blocks.append(table_block(f"table:appendix:{i + 1}", L.MARGIN_X, 1.2, ["指标", "单位", "口径", "来源表"],
                                     page_rows, widths, size=size, row_h=0.3, wrap=True, align=["l", "c", "l", "l"]))
        sl.notes = ["本页列出汇报中各项指标的统计口径(Q 为所选季度的季末日期),与驾驶舱“指标口径”页一致。"]
        sl.key_points = [f"{len(page_rows)} 项口径"]
        out.append(sl)
    return out


def slide_contents(sections: list[tuple[str, int, int]], scope_label: str) -> Slide:
    sl = Slide("contents", "目录", section="目录")
    pitch = min(0.56, (L.BOTTOM - 1.45) / max(len(sections), 1))
    size = 16 if pitch >= 0.52 else 13
    for i, (name, first, last) in enumerate(sections):
        y = 1.45 + i * pitch
        pages = f"第 {first} 页" if first == last else f"第 {first}–{last} 页"
        sl.blocks.append(Text(f"toc:num:{i + 1}", (1.6, y, 0.62, pitch - 0.1), [P(f"{i + 1:02d}", 14, True, L.WHITE, "c")],
                              fill=L.RED, valign="m"))
        sl.blocks.append(Text(f"toc:item:{i + 1}", (2.35, y, 7.5, pitch - 0.1), [P(name, size, True, L.NAVY)], valign="m"))
        sl.blocks.append(Text(f"toc:page:{i + 1}", (9.9, y, 1.9, pitch - 0.1), [P(pages, 12, color=L.MUTED, align="r")],
                              valign="m"))
    sl.notes = [f"本次汇报({scope_label})共{len(sections)}部分:" + "、".join(s[0] for s in sections) + "。"]
    sl.key_points = [s[0] for s in sections]
    return sl


def add_chrome(deck: L.Deck) -> None:
    """Header band, title, scope stamp and footer on every content slide (as ordinary blocks)."""
    total = len(deck.slides)
    for i, sl in enumerate(deck.slides, start=1):
        sl.page = i
        if not sl.chrome:
            continue
        right = f"{quarter_cn(deck.quarter_end)} · {deck.scope_label}"
        rw = min(5.6, max(2.4, L.text_width(right, 11) + 0.3))
        right = L.truncate(right, 11, rw - 2 * L.TEXT_INSET_X)
        # a long title (chain × park) takes a smaller size before it would be cut
        tw = L.SLIDE_W - 2 * L.MARGIN_X - rw - 0.3
        tsize = next((z for z in (24, 22, 20, 18) if L.n_lines(sl.title, z, tw, True) <= 1), 18)
        chrome = [
            Rect("chrome:band", (0, 0, L.SLIDE_W, 0.9), L.NAVY),
            Rect("chrome:accent", (0, 0.9, L.SLIDE_W, 0.05), L.RED),
            Rect("chrome:mark", (L.MARGIN_X - 0.22, 0.24, 0.08, 0.44), L.GOLD),
            Text("chrome:title", (L.MARGIN_X, 0.13, L.SLIDE_W - 2 * L.MARGIN_X - rw - 0.1, 0.66),
                 [P(L.truncate(sl.title, tsize, tw, True), tsize, True, L.WHITE)], valign="m"),
            Text("chrome:scope", (L.SLIDE_W - L.MARGIN_X - rw, 0.25, rw, 0.42),
                 [P(right, 11, color="#c5d3e8", align="r")], valign="m"),
            Rect("chrome:rule", (L.MARGIN_X, 7.03, L.CONTENT_W, 0.01), L.RULE),
            Text("chrome:footer", (L.MARGIN_X, 7.07, 10.0, 0.32),
                 [P(L.truncate(f"{APP_NAME} · {deck.quarter} · {deck.scope_label} · 数据截至 {deck.as_of} · {deck.source}",
                               9, 9.8), 9, color=L.MUTED)]),
            Text("chrome:page", (L.SLIDE_W - L.MARGIN_X - 1.2, 7.07, 1.2, 0.32),
                 [P(f"{i} / {total}", 9, color=L.MUTED, align="r")]),
        ]
        sl.blocks = chrome + sl.blocks


# ----------------------------------------------------------------------------- the deck
def expected_slide_count(n_focus: int, n_appendix: int, breakdown: bool = True, n_attention: int = 1) -> int:
    """cover, 需关注事项 slide(s), contents, 工作摘要, summary, focus slides, [breakdown], cultivation, coverage,
    secretary, appeals, pairing, appendix slides."""
    return 1 + n_attention + 3 + n_focus + (1 if breakdown else 0) + 5 + n_appendix


def build_deck(quarter_end: dt.date, chain_id: str | None = None, park_id: str | None = None) -> L.Deck:
    chains = run_query("shared/chains")
    parks = run_query("shared/parks")
    if chain_id and chain_id not in chains["chain_id"].to_list():
        raise ScopeError(f"未知产业链 {chain_id}")
    if park_id and park_id not in parks["park_id"].to_list():
        raise ScopeError(f"未知园区 {park_id}")
    s = Scope(quarter_end, chain_id, park_id, chains, parks)
    meta = {r["key"]: r["value"] for r in run_query("shared/meta").iter_rows(named=True)}
    src = meta.get("source", "")
    source = "演示数据" if src == "demo" else ("导入数据" if src.startswith("import") else src)
    deck = L.Deck(DECK_TITLE, quarter_label(quarter_end), quarter_end, meta.get("as_of", "—"), source,
                  s.label, chain_id, park_id)

    all_keys = list(dict.fromkeys([k.key for k in kpis.OVERVIEW_KPIS] + COVERAGE_TILES + SECRETARY_TILES
                                  + APPEAL_TILES + PAIRING_TILES + LADDER + ["n_should_own_org"]))
    heads = _headlines(s, all_keys)
    summary_heads = {k.key: heads[k.key] for k in kpis.OVERVIEW_KPIS}
    tr = _trend(s)
    # one judgement of every target: the same rows as `python -m dashboard alerts` for this scope
    items = tg.items(quarter_end, chain_id, park_id)
    ages = s.q("appeals/overdue_age", chain_id=s.c, park_id=s.p)
    overdue = s.q("appeals/overdue", chain_id=s.c, park_id=s.p)
    attention = slides_attention(s, items)

    body: list[Slide] = [slide_executive(s, heads, items, ages, overdue.row(0, named=True) if overdue.height else None),
                         slide_summary(s, summary_heads, items)]
    # focus slides: every chain (district), the chain, the park, or chain × park
    masters = s.q("report/chain_masters", chain_id=s.c, park_id=s.p)
    appeals = s.q("report/open_appeals", chain_id=s.c, park_id=s.p, limit=TOP_APPEALS)
    if s.is_district:
        for cid in chains["chain_id"].to_list():
            body.append(slide_focus(s, cid, None, masters.filter(pl.col("chain_id") == cid),
                                    appeals.filter((pl.col("chain_id") == cid) & (pl.col("rank_in_chain") <= TOP_APPEALS)),
                                    items))
    else:
        top = appeals.filter(pl.col("rank_in_scope") <= TOP_APPEALS)
        body.append(slide_focus(s, chain_id, park_id, masters, top, items))
    # breakdown: parks (district, chain) or chains (park); none for chain × park
    if chain_id and park_id:
        cov_by, cov_df = None, None
    elif park_id:
        cov_df, cov_by = s.q("report/chains", park_id=s.p), "chain"
        body.append(slide_breakdown(s, cov_df, "chain"))
    else:
        parks_df = s.q("report/parks", chain_id=s.c)
        body.append(slide_breakdown(s, parks_df, "park"))
        if chain_id:
            cov_df, cov_by = parks_df, "park"
        else:
            cov_df, cov_by = s.q("report/chains", park_id="*"), "chain"
    body.append(slide_cultivation(s, heads, s.q("report/ladder", chain_id=s.c, park_id=s.p)))
    body.append(slide_coverage(s, heads, cov_df, cov_by, tr))
    body.append(slide_secretary(s, heads, s.q("report/secretary_outcomes", chain_id=s.c, park_id=s.p),
                                s.q("report/secretary_cases", chain_id=s.c, park_id=s.p, limit=N_CASES)))
    body.append(slide_appeals(s, heads, s.q("report/overdue_by_unit", chain_id=s.c, park_id=s.p), tr))
    body.append(slide_pairing(s, heads, s.q("report/pairing_programs", chain_id=s.c, park_id=s.p)))
    body += slides_appendix()

    # contents: sections in order with their page ranges (cover = 1, 需关注事项 right after it, then contents)
    sections: list[tuple[str, int, int]] = []
    numbered = [(2 + i, sl) for i, sl in enumerate(attention)] + \
        [(3 + len(attention) + i, sl) for i, sl in enumerate(body)]
    for i, sl in numbered:
        if sections and sections[-1][0] == sl.section:
            sections[-1] = (sl.section, sections[-1][1], i)
        else:
            sections.append((sl.section, i, i))
    deck.slides = [slide_cover(deck)] + attention + [slide_contents(sections, s.label)] + body
    for sl in deck.slides:
        sl.title = L.zh(sl.title)
        sl.notes = [L.zh(x) for x in sl.notes]
        sl.key_points = [L.zh(x) for x in sl.key_points]
    add_chrome(deck)
    return deck
