"""Deterministic demo data for the district (quarters 2023Q4…2026Q3, as_of 2026-09-30).

Everything is drawn from one seeded numpy Generator in a fixed order, so the same scale gives the
same rows on every run and machine. Nothing depends on today's date. Names of enterprises and
people are synthetic. At scale 1 the 2026Q3 honours are calibrated exactly (32 小巨人, 7 单项冠军,
343 两高四新) and there are more than 40,000 在营中小企业.

One function per table family (reference_tables, enterprises, enterprise_chains, honors, secretaries,
enterprise_party, meetings, appeals, pairings, chain_master_plans), called in that order by
`generate`; `make_targets` sets the annual targets once the marts are built.
"""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from . import vocab
from .uscc import make_usccs

SEED = 20260930
AS_OF = dt.date(2026, 9, 30)
QUARTER_ENDS = [
    dt.date(2023, 12, 31), dt.date(2024, 3, 31), dt.date(2024, 6, 30), dt.date(2024, 9, 30),
    dt.date(2024, 12, 31), dt.date(2025, 3, 31), dt.date(2025, 6, 30), dt.date(2025, 9, 30),
    dt.date(2025, 12, 31), dt.date(2026, 3, 31), dt.date(2026, 6, 30), dt.date(2026, 9, 30),
]
REF_DIR = Path(__file__).resolve().parent.parent / "data" / "ref"

# Calibration at 2026Q3, scale 1 (shared/DESIGN.md and the seed text).
N_ENTERPRISES = 48_000
HONOR_TARGETS = {"小巨人": 32, "单项冠军": 7, "两高四新": 343}

D = np.datetime64


def _d(x: dt.date) -> np.datetime64:
    return np.datetime64(x, "D")


QE = np.array([_d(q) for q in QUARTER_ENDS])
QS = np.array([_d(dt.date(q.year, q.month - 2, 1)) for q in QUARTER_ENDS])  # quarter starts
AS_OF_D = _d(AS_OF)

# Chain size weights, lagging factor (party coverage, closure speed) and park affinity.
CHAIN_WEIGHT = {"C01": 6, "C02": 9, "C03": 6, "C04": 8, "C05": 8, "C06": 4, "C07": 14,
                "C08": 7, "C09": 6, "C10": 8, "C11": 13, "C12": 3, "C13": 3}
CHAIN_LAG = {"C01": 0.02, "C02": 0.05, "C03": 0.0, "C04": 0.0, "C05": -0.04, "C06": -0.08,
             "C07": 0.03, "C08": -0.12, "C09": 0.0, "C10": 0.04, "C11": 0.01, "C12": -0.16,
             "C13": -0.10}
CHAIN_PARKS = {
    "C01": ["P02", "P03", "P07"], "C02": ["P13", "P01", "P02", "P04"], "C03": ["P03", "P02", "P01"],
    "C04": ["P07", "P08", "P09"], "C05": ["P08", "P07", "P06", "P09"], "C06": ["P11", "P12", "P09"],
    "C07": ["P07", "P08", "P09", "P06"], "C08": ["P07", "P05", "P12"], "C09": ["P08", "P12", "P06"],
    "C10": ["P01", "P04", "P05"], "C11": ["P01", "P04", "P05", "P10"], "C12": ["P02", "P01"],
    "C13": ["P02", "P11", "P06"],
}
PARK_WEIGHT = [14, 10, 3, 5, 7, 6, 9, 7, 8, 6, 5, 4, 4]
STREETS = ["黄埔街道", "红山街道", "鱼珠街道", "大沙街道", "文冲街道", "穗东街道", "南岗街道",
           "长洲街道", "夏港街道", "萝岗街道", "联和街道", "永和街道", "云埔街道", "长岭街道",
           "九佛街道", "龙湖街道", "新龙镇"]

CHAIN_WORDS = {
    "C01": ["光电", "显示", "视讯", "晶显"], "C02": ["生物", "医药", "医疗器械", "基因"],
    "C03": ["微电子", "半导体", "芯片", "集成电路"], "C04": ["汽车科技", "新能源", "智能驾驶", "动力电池"],
    "C05": ["新材料", "高分子", "复合材料", "化工材料"], "C06": ["氢能", "能源", "储能", "燃料电池"],
    "C07": ["智能装备", "机械", "自动化", "精密制造"], "C08": ["化妆品", "日化", "美容", "健康"],
    "C09": ["食品", "饮品", "营养", "健康食品"], "C10": ["通信", "电子", "终端", "网络技术"],
    "C11": ["软件", "信息技术", "人工智能", "数据科技"], "C12": ["纳米科技", "纳米材料", "微纳"],
    "C13": ["航空", "无人机", "航天科技", "飞行器"],
}
OTHER_WORDS = ["贸易", "商贸", "物流", "建材", "印刷", "服装", "咨询", "建筑工程", "餐饮管理", "物业管理",
               "电器", "五金", "包装", "设计", "文化传播", "环保科技", "供应链", "检测"]
NAME_CHARS = list("华科创新达信源通宏嘉瑞恒泰盛广粤穗埔岭萝云永金明德兴益丰安顺利和瀚睿博智康健"
                  "鑫宇航星远景辉晨光中海天力思合众祥隆富昌启正诚宝美佳优捷凯威锐聚汇融森林川峰")
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红燕鹏辉建宁浩凯婷雪琳晨欣怡"
             "晓峰海波志斌俊慧颖倩文博宇鑫昊然子涵思远嘉")

APPEAL_CATEGORIES = [  # category, weight, handler unit, due days
    ("用地厂房", 12, "U08", 60), ("融资信贷", 11, "U11", 30), ("人才引进与住房", 12, "U07", 30),
    ("审批许可", 13, "U12", 15), ("政策兑现", 14, "U06", 30), ("交通物流", 7, "U13", 30),
    ("水电气保障", 8, "U09", 15), ("知识产权", 6, "U15", 30), ("市场拓展", 9, "U04", 30),
    ("环保审批", 5, "U14", 30), ("科技项目申报", 8, "U03", 30), ("其他事项", 5, None, 30),
]
# handler units that are slow (so overdue lists and red states exist)
SLOW_HANDLERS = {"U08": 1.8, "U14": 1.6, "U12": 0.7, "U11": 1.3}
OUTCOME_KINDS = list(vocab.OUTCOME_KINDS)
OUTCOME_TITLES = {
    "解决问题": ["协调解决厂房用电增容问题", "协调解决员工子女入学问题", "协调解决人才公寓申请问题",
             "协助对接银行解决流动资金贷款", "协调解决进口设备通关问题", "协调解决产品注册审批堵点",
             "协调解决厂区周边交通接驳问题", "协调解决研发用地规划调整问题", "协助申报并兑现技改补贴"],
    "政策宣讲": ["宣讲专精特新培育政策", "宣讲研发费用加计扣除政策", "宣讲稳岗扩岗支持政策", "宣讲知识产权质押融资政策"],
    "党建指导": ["指导企业党支部规范化建设", "指导开展主题党日活动", "指导建立党员先锋岗", "指导党组织按期换届"],
    "发展党员": ["把业务骨干发展为入党积极分子", "吸收技术骨干递交入党申请书", "培养发展对象并完成政审"],
    "技术攻关": ["发动党员骨干领衔关键工艺攻关", "组建党员技术攻关小组突破检测瓶颈", "促成校企联合攻关项目"],
    "人才引进": ["协助引进博士研发团队", "对接高校开展校园招聘", "协助申报区高层次人才认定"],
}
CASE_TITLES = [
    "结合派出单位口岸业务,助力企业上线国际贸易结算电子化服务,实现收付汇全程零接触",
    "推动党员骨干领衔攻关,企业关键材料国产化替代项目提前半年完成",
    "打造“党建聚人才”品牌,为企业引进海内外高层次人才团队",
    "牵线产业链上下游,促成链主企业与配套企业签订本地化采购协议",
    "协调多部门会商,企业新厂房提前三个月取得施工许可",
    "把骨干发展成党员、把党员培养成骨干,企业党支部获评区级示范党支部",
    "联合金融服务超市对接融资,帮助企业获得科技信贷支持",
    "推动企业建立党员先锋岗,产品良率提升并通过国际认证",
    "协调海关与口岸部门,企业进口研发样品通关时间由两周缩短至三天",
    "依托科技创新促进会搭桥,企业与高校共建联合实验室",
    "组织党员技术骨干攻关检测工艺,企业首款产品获医疗器械注册证",
    "推动链上党组织联建,促成三家配套企业进入链主供应商名录",
    "协助申报专精特新,企业当年获评省级专精特新中小企业",
    "牵头召开企业专场“吐槽大会”,当场协调解决用电增容等四项诉求",
    "对接区人才服务专员,为企业研发团队解决十二套人才公寓",
    "指导企业党支部开展“党员亮身份”,带动青年骨干递交入党申请",
    "推动企业与红联共建单位开展“红创人才”培训,培养技术骨干二十余名",
    "协调规划部门优化用地指标,企业扩产项目提前开工",
    "帮助企业梳理研发费用加计扣除,当年减免税费逾百万元",
    "引导企业党员领衔标准制定,参与修订一项行业标准",
]


@dataclass
class Ref:
    chains: pl.DataFrame
    parks: pl.DataFrame
    units: pl.DataFrame


def load_ref() -> Ref:
    def read(name: str) -> pl.DataFrame:
        with open(REF_DIR / name, encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        return pl.DataFrame(rows)
    return Ref(read("chains.csv"), read("parks.csv"), read("units.csv"))


def _quarter_index(dates: np.ndarray) -> np.ndarray:
    """Index of the quarter (0…11) containing each date; -1 before, 12 after the window."""
    idx = np.searchsorted(QE, dates, side="left")
    idx = np.where(dates < QS[0], -1, idx)
    return idx


def _add_days(d: np.ndarray, days) -> np.ndarray:
    return d + np.asarray(days).astype("timedelta64[D]")


def _rand_dates(rng, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Uniform dates in [lo, hi] element-wise (hi >= lo)."""
    span = (hi - lo).astype(np.int64)
    return lo + (rng.random(len(lo)) * (span + 1)).astype(np.int64).astype("timedelta64[D]")


def _ids(prefix: str, n: int, width: int) -> list[str]:
    return [f"{prefix}{i:0{width}d}" for i in range(1, n + 1)]


def _person_names(rng, n: int) -> list[str]:
    s = rng.integers(0, len(SURNAMES), n)
    g1 = rng.integers(0, len(GIVEN), n)
    g2 = rng.integers(0, len(GIVEN), n)
    two = rng.random(n) < 0.7
    return [SURNAMES[a] + GIVEN[b] + (GIVEN[c] if t else "") for a, b, c, t in zip(s, g1, g2, two)]


def _size_of(employees: np.ndarray) -> np.ndarray:
    return np.where(employees >= 1000, "大", np.where(employees >= 300, "中", np.where(employees >= 20, "小", "微")))


# ==================================================================================== shared state
@dataclass
class Ctx:
    """What every table family reads: the one random stream, the scale and the reference data."""
    rng: np.random.Generator
    scale: float
    ref: Ref
    chain_ids: list[str]
    park_ids: list[str]
    unit_ids: np.ndarray
    unit_types: np.ndarray


@dataclass
class Population:
    """The enterprise population as arrays (index = enterprise row), shared by the later families."""
    ent_ids: np.ndarray
    founded: np.ndarray
    closed: np.ndarray
    employees: np.ndarray
    size: np.ndarray
    revenue: np.ndarray
    park_idx: np.ndarray
    in_park: np.ndarray
    on_chain: np.ndarray
    first_chain: np.ndarray
    second: np.ndarray
    second_chain: np.ndarray
    primary_chain: np.ndarray | None = None     # set by enterprise_chains()
    ent_lag: np.ndarray | None = None
    master_pairs: list[tuple[int, int]] | None = None

    @property
    def n(self) -> int:
        return len(self.ent_ids)

    @property
    def park_of(self) -> np.ndarray:
        return np.where(self.in_park, self.park_idx, -1)

    def alive_at(self, q) -> np.ndarray:
        return (self.founded <= q) & (np.isnat(self.closed) | (self.closed > q))

    def chain_of(self, ctx: Ctx, e: int) -> str | None:
        return ctx.chain_ids[self.primary_chain[e]] if self.primary_chain[e] >= 0 else None


@dataclass
class SecretaryInfo:
    start: np.ndarray
    end: np.ndarray
    ent: np.ndarray


@dataclass
class MeetingInfo:
    tucao: list[tuple]          # (meeting_id, chain_id, park_id, held_on) of every 吐槽大会
    chief_parks: list[str]


# ==================================================================================== families
def reference_tables(ref: Ref) -> dict[str, pl.DataFrame]:
    """chains, parks, units: from data/ref (names and structure of the district)."""
    chains = ref.chains.select(
        "chain_id", "name", "leader_title", "lead_unit_id",
        pl.col("partner_unit_ids").str.split(";"), "coverage_mode")
    parks = ref.parks.select(
        "park_id", "name", "park_type", pl.col("lon").cast(pl.Float64), pl.col("lat").cast(pl.Float64),
        (pl.col("has_park_chief") == "true").alias("has_park_chief"),
        pl.when(pl.col("chief_unit_id") == "").then(None).otherwise(pl.col("chief_unit_id")).alias("chief_unit_id"),
        pl.when(pl.col("mechanism") == "").then(None).otherwise(pl.col("mechanism")).alias("mechanism"))
    return {"chains": chains, "parks": parks, "units": ref.units}


def enterprises(ctx: Ctx) -> tuple[Population, pl.DataFrame]:
    """The enterprise population: founding/closing, size, park, chain choice, street and a unique name."""
    rng, ref, chain_ids, park_ids = ctx.rng, ctx.ref, ctx.chain_ids, ctx.park_ids
    n_chain, n_park = len(chain_ids), len(park_ids)
    n = max(200, int(round(N_ENTERPRISES * ctx.scale)))
    new = rng.random(n) < 0.30
    founded = np.where(
        new,
        _rand_dates(rng, np.full(n, D("2023-10-01")), np.full(n, D("2026-09-20"))),
        _rand_dates(rng, np.full(n, D("1996-01-01")), np.full(n, D("2023-09-30"))),
    )
    closes = rng.random(n) < 0.085
    close_lo = np.maximum(founded + np.timedelta64(180, "D"), D("2022-01-01"))
    close_on = _rand_dates(rng, close_lo, np.maximum(close_lo, np.full(n, D("2026-09-25"))))
    closed = np.where(closes & (close_on <= AS_OF_D), close_on, np.datetime64("NaT"))

    employees = np.maximum(1, np.round(np.exp(rng.normal(2.35, 1.25, n)))).astype(np.int64)
    big = rng.random(n) < 0.006
    employees = np.where(big, employees + rng.integers(1000, 6000, n), employees)
    size = _size_of(employees)
    revenue = np.round(employees * 45.0 * np.exp(rng.normal(0, 0.7, n)), 1)

    park_idx = rng.choice(n_park, n, p=np.array(PARK_WEIGHT) / sum(PARK_WEIGHT))
    in_park = rng.random(n) < 0.62
    # chain membership: ~36 % of firms, 15 % of those on a second chain; chain choice follows parks
    on_chain = rng.random(n) < 0.36
    affinity = np.ones((n_park, n_chain)) * 0.3
    for ci, c in enumerate(chain_ids):
        for rank, p in enumerate(CHAIN_PARKS[c]):
            affinity[park_ids.index(p), ci] += 6.0 / (rank + 1)
    affinity *= np.array([CHAIN_WEIGHT[c] for c in chain_ids])[None, :]
    cum = (affinity / affinity.sum(axis=1, keepdims=True)).cumsum(axis=1)
    u = rng.random(n)
    first_chain = (u[:, None] > cum[park_idx]).sum(axis=1)
    # firms outside parks choose by chain weight only
    w = np.array([CHAIN_WEIGHT[c] for c in chain_ids], dtype=float)
    free_choice = rng.choice(n_chain, n, p=w / w.sum())
    first_chain = np.where(in_park, first_chain, free_choice)
    second = on_chain & (rng.random(n) < 0.15)
    second_chain = (first_chain + rng.integers(1, n_chain, n)) % n_chain

    ent_ids = np.array(_ids("E", n, 7 if n < 10**7 else 8))
    street_of_park = {row["park_id"]: row["streets"].split(";") for row in ref.parks.iter_rows(named=True)}
    sidx = rng.integers(0, 17, n)
    pick = rng.integers(0, 2, n)
    streets = [street_of_park[park_ids[park_idx[i]]][pick[i] % len(street_of_park[park_ids[park_idx[i]]])]
               if in_park[i] else STREETS[sidx[i]] for i in range(n)]
    names = _enterprise_names(rng, on_chain, first_chain, size, chain_ids)
    org_numbers = (np.arange(n, dtype=np.int64) * 7919 + 12_345_678) % 100_000_000
    region = np.where(rng.random(n) < 0.8, "440112", "440116")
    pop = Population(ent_ids, founded, closed, employees, size, revenue, park_idx, in_park, on_chain,
                     first_chain, second, second_chain)
    df = pl.DataFrame({
        "enterprise_id": ent_ids,
        "uscc": make_usccs(org_numbers, region),
        "name": names,
        "park_id": [park_ids[p] if ip else None for p, ip in zip(park_idx, in_park)],
        "street": streets,
        "size": size,
        "employees": employees.astype(np.int32),
        "revenue_10k": revenue,
        "founded_on": founded.astype("datetime64[D]"),
        "closed_on": closed.astype("datetime64[D]"),
    })
    return pop, df


def _enterprise_names(rng, on_chain, first_chain, size, chain_ids) -> list[str]:
    """字号(2–3 chars) + 行业词 + 组织形式, unique by construction after a few redraws."""
    n = len(on_chain)
    words = np.empty(n, dtype=object)
    wsel = rng.integers(0, 4, n)
    osel = rng.integers(0, len(OTHER_WORDS), n)
    for i in range(n):
        if on_chain[i]:
            ws = CHAIN_WORDS[chain_ids[first_chain[i]]]
            words[i] = ws[wsel[i] % len(ws)]
        else:
            words[i] = OTHER_WORDS[osel[i]]
    form = np.where(size == "大", "股份有限公司", np.where(rng.random(n) < 0.12, "股份有限公司", "有限公司"))
    prefix = np.where(rng.random(n) < 0.8, "广州", np.where(rng.random(n) < 0.5, "广东", ""))
    names = np.empty(n, dtype=object)
    todo = np.arange(n)
    seen: set[str] = set()
    while len(todo):
        a = rng.integers(0, len(NAME_CHARS), len(todo))
        b = rng.integers(0, len(NAME_CHARS), len(todo))
        c = rng.integers(0, len(NAME_CHARS), len(todo))
        three = rng.random(len(todo)) < 0.25
        retry = []
        for k, i in enumerate(todo):
            zh = NAME_CHARS[a[k]] + NAME_CHARS[b[k]] + (NAME_CHARS[c[k]] if three[k] else "")
            nm = f"{prefix[i]}{zh}{words[i]}{'科技' if words[i] in ('光电', '微电子', '微纳') else ''}{form[i]}"
            if nm in seen or a[k] == b[k]:
                retry.append(i)
            else:
                seen.add(nm)
                names[i] = nm
        todo = np.array(retry, dtype=np.int64)
    return names.tolist()


def enterprise_chains(ctx: Ctx, pop: Population, ents: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Chain membership with roles (1–3 链主 by revenue, ~8 % 核心, the rest 配套); 链主 become large firms.
    Returns (enterprise_chains, enterprises with the 链主 sizes updated)."""
    chain_ids = ctx.chain_ids
    n_chain = len(chain_ids)
    member = np.flatnonzero(pop.on_chain)
    ec_e = np.concatenate([member, np.flatnonzero(pop.second)])
    ec_c = np.concatenate([pop.first_chain[member], pop.second_chain[pop.second]])
    alive_then = np.isnat(pop.closed) & (pop.founded <= D("2023-06-30"))
    role = np.full(len(ec_e), "配套", dtype=object)
    master_pairs: list[tuple[int, int]] = []
    for ci in range(n_chain):
        rows = np.flatnonzero(ec_c == ci)
        rev = pop.revenue[ec_e[rows]] * np.where(alive_then[ec_e[rows]], 1, 0)
        order = rows[np.argsort(-rev, kind="stable")]
        n_master = 1 + (ci % 3 == 0) + (ci in (1, 6))  # 1–3 链主 per chain
        for r in order[:n_master]:
            role[r] = "链主"
            master_pairs.append((ec_e[r], ci))
        n_core = max(3, int(len(rows) * 0.08))
        for r in order[n_master:n_master + n_core]:
            role[r] = "核心"
    for e, _ in master_pairs:        # 链主 are large, long-established firms
        pop.employees[e] = max(pop.employees[e], 1200 + int(pop.revenue[e]) % 3000)
    pop.size = _size_of(pop.employees)
    ents = ents.with_columns(pl.Series("employees", pop.employees.astype(np.int32)), pl.Series("size", pop.size))
    pop.primary_chain = np.full(pop.n, -1)
    pop.primary_chain[member] = pop.first_chain[member]
    lag = np.array([CHAIN_LAG[c] for c in chain_ids])
    pop.ent_lag = np.where(pop.primary_chain >= 0, lag[np.maximum(pop.primary_chain, 0)], -0.03)
    pop.master_pairs = master_pairs
    ec = pl.DataFrame({
        "enterprise_id": pop.ent_ids[ec_e], "chain_id": np.array(chain_ids)[ec_c], "role": role.astype(str),
    }).sort("enterprise_id", "chain_id")
    return ec, ents


def honors(ctx: Ctx, pop: Population) -> pl.DataFrame:
    """The honour ladder 创新型中小企业 → 省级专精特新 → 小巨人 → 单项冠军, plus 两高四新 and 高新技术企业.

    Awards come in named batches; a 3-year recognition is re-reviewed at its end and, when renewed, the
    new award carries the re-review year in its batch name. 小巨人, 单项冠军 and 两高四新 are calibrated
    to the seed's counts at as_of (HONOR_TARGETS, scaled)."""
    rng, scale = ctx.rng, ctx.scale
    founded, closed, size, employees = pop.founded, pop.closed, pop.size, pop.employees
    n = pop.n
    score = rng.random(n) + 0.8 * pop.on_chain + 0.4 * (size == "中") + 0.25 * (size == "小") \
        + 0.5 * (employees >= 50) - 2.0 * (founded > D("2021-06-30")) - 3.0 * ~np.isnat(closed)
    rank = np.argsort(-score, kind="stable")
    alive_at = pop.alive_at(AS_OF_D)
    honors_rows: list[list] = []

    def honor_batches(honor, batches, pool, years_valid, renew_p, revoke_p):
        """Award batches to enterprises taken in order from `pool`; return (rows, next pool position)."""
        rows = []
        used: set[int] = set()
        k = 0
        for batch, awarded, cnt in batches:
            cnt = max(1, int(round(cnt * scale)))
            got = 0
            while got < cnt and k < len(pool):
                e = pool[k]
                k += 1
                if e in used or founded[e] > _d(awarded) - np.timedelta64(365, "D"):
                    continue
                used.add(e)
                got += 1
                a = _d(awarded)
                exp = _d(awarded.replace(year=awarded.year + years_valid)) if years_valid else np.datetime64("NaT")
                rev = np.datetime64("NaT")
                if rng.random() < revoke_p:
                    rev = a + np.timedelta64(int(rng.integers(200, 700)), "D")
                    rev = rev if rev <= AS_OF_D else np.datetime64("NaT")
                rows.append([e, honor, batch, a, exp, rev])
                # re-review at the end of the term (before as_of): renewed as a new award of that year
                while years_valid and not np.isnat(exp) and exp <= AS_OF_D and np.isnat(rev):
                    if rng.random() >= renew_p:
                        break
                    a2 = exp
                    y = a2.astype(object).year
                    exp = _d(a2.astype(object).replace(year=y + years_valid))
                    rows.append([e, honor, f"{y}年复核通过", a2, exp, np.datetime64("NaT")])
        return rows, k

    def calibrate(rows, honor, target, pool, start_k, last_batch, last_date):
        """Make the number valid at as_of exactly `target` (scaled): revoke or add in the last batch."""
        target = max(1, int(round(target * scale)))

        def valid(r):
            return r[3] <= AS_OF_D and (np.isnat(r[4]) or r[4] > AS_OF_D) and (np.isnat(r[5]) or r[5] > AS_OF_D) \
                and alive_at[r[0]]
        cur = [r for r in rows if valid(r)]
        if len(cur) > target:
            # fail re-review / revoked in the latest quarter, oldest awards first
            cur.sort(key=lambda r: (r[3], r[0]))
            for r in cur[: len(cur) - target]:
                r[5] = D("2026-08-28")
        k = start_k
        used = {r[0] for r in rows}
        while len(cur) < target and k < len(pool):
            e = pool[k]
            k += 1
            if e in used or not alive_at[e] or founded[e] > _d(last_date) - np.timedelta64(365, "D"):
                continue
            used.add(e)
            r = [e, honor, last_batch, _d(last_date), _d(last_date.replace(year=last_date.year + 3)),
                 np.datetime64("NaT")]
            rows.append(r)
            cur.append(r)
        return rows

    top = [int(e) for e in rank]
    hi_pool = [e for e in top if size[e] in ("中", "小")]
    champ_pool = [e for e in top if size[e] in vocab.SIZES[:2]]
    rows, _ = honor_batches("创新型中小企业", [("2022年度", dt.date(2022, 9, 15), 420), ("2023年度", dt.date(2023, 9, 15), 460),
                                        ("2024年度", dt.date(2024, 9, 15), 520), ("2025年度", dt.date(2025, 9, 15), 560),
                                        ("2026年度", dt.date(2026, 9, 10), 600)], hi_pool[: int(6000 * scale) + 50], 3, 0.85, 0.0)
    honors_rows += rows
    rows, _ = honor_batches("省级专精特新", [("2021年第一批", dt.date(2021, 11, 20), 110), ("2022年第一批", dt.date(2022, 6, 20), 120),
                                       ("2023年第一批", dt.date(2023, 6, 20), 130), ("2024年第一批", dt.date(2024, 6, 25), 140),
                                       ("2025年第一批", dt.date(2025, 6, 25), 150), ("2026年第一批", dt.date(2026, 6, 25), 150)],
                            hi_pool[: int(2500 * scale) + 30], 3, 0.8, 0.01)
    honors_rows += rows
    xjr_pool = hi_pool[: int(400 * scale) + 20]
    rows, k = honor_batches("小巨人", [("第三批", dt.date(2021, 7, 15), 6), ("第四批", dt.date(2022, 8, 1), 7),
                                   ("第五批", dt.date(2023, 7, 20), 7), ("第六批", dt.date(2024, 8, 15), 6),
                                   ("第七批", dt.date(2025, 8, 20), 6), ("第八批", dt.date(2026, 8, 25), 5)],
                            xjr_pool, 3, 0.8, 0.03)
    honors_rows += calibrate(rows, "小巨人", HONOR_TARGETS["小巨人"], xjr_pool, k, "第八批", dt.date(2026, 8, 25))
    champ = champ_pool[: int(200 * scale) + 10]
    rows, k = honor_batches("单项冠军", [("第四批", dt.date(2019, 11, 20), 2), ("第五批", dt.date(2020, 12, 10), 1),
                                    ("第七批", dt.date(2022, 11, 25), 2), ("第八批", dt.date(2023, 12, 10), 2),
                                    ("第九批", dt.date(2025, 1, 10), 1)], champ, 3, 0.85, 0.0)
    honors_rows += calibrate(rows, "单项冠军", HONOR_TARGETS["单项冠军"], champ, k, "第九批", dt.date(2025, 1, 10))
    lg_pool = [e for e in top if founded[e] < D("2024-06-30")][: int(3000 * scale) + 50]
    rows, k = honor_batches("两高四新", [("2023年度", dt.date(2023, 4, 20), 150), ("2024年度", dt.date(2024, 4, 20), 90),
                                    ("2025年度", dt.date(2025, 4, 20), 70), ("2026年度", dt.date(2026, 4, 20), 60)],
                            lg_pool, 3, 0.7, 0.01)
    honors_rows += calibrate(rows, "两高四新", HONOR_TARGETS["两高四新"], lg_pool, k, "2026年度", dt.date(2026, 4, 20))
    gx_pool = [e for e in top if size[e] != "微" or rng.random() < 0.2][: int(9000 * scale) + 100]
    rows, _ = honor_batches("高新技术企业", [(f"{y}年度", dt.date(y, 12, 20), c) for y, c in
                                        [(2020, 520), (2021, 560), (2022, 600), (2023, 640), (2024, 680), (2025, 700)]],
                            gx_pool, 3, 0.75, 0.005)
    honors_rows += rows
    hr = list(zip(*honors_rows))
    return pl.DataFrame({
        "enterprise_id": pop.ent_ids[np.array(hr[0], dtype=np.int64)],
        "honor": list(hr[1]), "batch": list(hr[2]),
        "awarded_on": np.array(hr[3], dtype="datetime64[D]"),
        "expires_on": np.array(hr[4], dtype="datetime64[D]"),
        "revoked_on": np.array(hr[5], dtype="datetime64[D]"),
    }).sort("enterprise_id", "honor", "awarded_on")


def secretaries(ctx: Ctx, pop: Population) -> tuple[pl.DataFrame, pl.DataFrame, SecretaryInfo]:
    """第一书记 (≈124 people from ≈55 units in ≈100 SMEs at scale 1) and their quarterly outcomes."""
    rng, unit_ids, utype = ctx.rng, ctx.unit_ids, ctx.unit_types
    src_units = np.flatnonzero(np.isin(utype, [t for t in vocab.UNIT_TYPES if t != "其他"]))
    src_units = src_units[rng.permutation(len(src_units))][:52].tolist() + \
        [int(np.flatnonzero(unit_ids == u)[0]) for u in ("U55", "U53", "U58")]
    n_sec_ent = max(5, int(round(101 * ctx.scale)))
    cand = np.flatnonzero(pop.on_chain & np.isin(pop.size, ["中", "小"]) & (pop.employees >= 15)
                          & np.isnat(pop.closed) & (pop.founded < D("2023-01-01")))
    sec_ents = rng.choice(cand, min(n_sec_ent, len(cand)), replace=False)
    sec_rows = []
    for e in sec_ents:
        start = _d(dt.date(2023, 3, 1)) + np.timedelta64(int(rng.integers(0, 900)), "D")
        unit = src_units[int(rng.integers(0, len(src_units)))]
        if rng.random() < 0.22 and start < D("2025-06-30"):  # replaced: a second person follows
            end = start + np.timedelta64(int(rng.integers(300, 640)), "D")
            end = min(end, D("2026-09-01"))
            sec_rows.append([e, unit, start, end])
            unit2 = src_units[int(rng.integers(0, len(src_units)))]
            sec_rows.append([e, unit2, end + np.timedelta64(1, "D"), np.datetime64("NaT")])
        else:
            end = np.datetime64("NaT")
            if rng.random() < 0.22:  # a second secretary serving at the same time
                s2 = start + np.timedelta64(int(rng.integers(60, 400)), "D")
                if s2 <= D("2026-08-31"):
                    sec_rows.append([e, src_units[int(rng.integers(0, len(src_units)))], s2, np.datetime64("NaT")])
            if rng.random() < 0.06:
                end = start + np.timedelta64(int(rng.integers(400, 700)), "D")
                end = end if end <= AS_OF_D else np.datetime64("NaT")
            sec_rows.append([e, unit, start, end])
    sec_rows.sort(key=lambda r: (r[2], r[0]))
    n_sec = len(sec_rows)
    sec_ids = np.array(_ids("S", n_sec, 5))
    info = SecretaryInfo(np.array([r[2] for r in sec_rows], dtype="datetime64[D]"),
                         np.array([r[3] for r in sec_rows], dtype="datetime64[D]"),
                         np.array([r[0] for r in sec_rows]))
    secs = pl.DataFrame({
        "secretary_id": sec_ids, "name": _person_names(rng, n_sec),
        "source_unit_id": unit_ids[[r[1] for r in sec_rows]],
        "enterprise_id": pop.ent_ids[info.ent], "started_on": info.start, "ended_on": info.end,
    })

    # outcomes: per secretary per quarter of service; lagging chains' secretaries report fewer
    out_rows = []
    case_k = 0
    kind_p = np.array([0.33, 0.2, 0.19, 0.09, 0.1, 0.09])
    for s in range(n_sec):
        pace = 1.0 + 1.5 * min(0.0, float(pop.ent_lag[info.ent[s]]))
        for qi in range(len(QE)):
            lo = max(QS[qi], info.start[s])
            hi = QE[qi] if np.isnat(info.end[s]) else min(QE[qi], info.end[s] - np.timedelta64(1, "D"))
            if hi < lo:
                continue
            frac = ((hi - lo).astype(int) + 1) / 91.0
            m = rng.poisson(4.2 * frac * pace * (0.85 if qi % 4 == 1 else 1.0))
            for _ in range(m):
                kind = OUTCOME_KINDS[rng.choice(6, p=kind_p)]
                nn = 1 + rng.poisson(1.0) if kind == "解决问题" else 1 + rng.poisson(0.4)
                day = lo + np.timedelta64(int(rng.integers(0, (hi - lo).astype(int) + 1)), "D")
                is_case = rng.random() < 0.018
                if is_case:
                    title = CASE_TITLES[case_k % len(CASE_TITLES)]
                    case_k += 1
                else:
                    opts = OUTCOME_TITLES[kind]
                    title = opts[int(rng.integers(0, len(opts)))]
                out_rows.append((s, day, kind, int(nn), title, bool(is_case)))
    out_rows.sort(key=lambda r: (r[1], r[0]))
    outcomes = pl.DataFrame({
        "outcome_id": _ids("O", len(out_rows), 7),
        "secretary_id": sec_ids[[r[0] for r in out_rows]],
        "occurred_on": np.array([r[1] for r in out_rows], dtype="datetime64[D]"),
        "kind": [r[2] for r in out_rows], "n": np.array([r[3] for r in out_rows], dtype=np.int32),
        "title": [r[4] for r in out_rows], "is_case": [r[5] for r in out_rows],
    })
    return secs, outcomes, info


def enterprise_party(ctx: Ctx, pop: Population) -> tuple[pl.DataFrame, np.ndarray, np.ndarray]:
    """The quarterly party survey of the base (在营, ≥ 10 employees): organisation, members, liaison …

    Larger firms and chain firms organise more often (a large firm with many members and no organisation
    is rare); firms that never organise have few members. Lagging chains organise and appoint liaisons
    more slowly. Returns (table, base row indices, org_type matrix base × quarter)."""
    rng = ctx.rng
    employees, on_chain = pop.employees, pop.on_chain
    base = np.flatnonzero(employees >= 10)
    nb = len(base)
    emp = employees[base]
    alive = np.stack([pop.alive_at(q)[base] for q in QE], axis=1)  # nb × 12
    e_lag = pop.ent_lag[base]
    # propensity to organise, rising over time and with size; lagging chains lower
    prop = (0.58 + 2 * e_lag + 0.18 * on_chain[base] + 0.08 * (emp >= 50) + 0.22 * (emp >= 300)
            + 0.3 * (emp >= 1000) + rng.normal(0, 0.22, nb))
    had_org_before = rng.random(nb) < np.clip(prop, 0, 0.995)
    late = rng.random(nb) < 0.45
    start_q = np.where(had_org_before, np.where(late, rng.integers(0, 12, nb) + rng.integers(0, 6, nb), -1), 99)
    start_q = np.where(start_q > 11, 99, start_q)
    # members: firms that organise (now or later) have a stock by size; the others only a few
    m_org = rng.poisson(np.clip(emp * 0.035, 0.2, 40))
    m_none = rng.poisson(np.clip(emp * 0.006, 0.1, 1.6))
    m0 = np.where(start_q < 99, m_org, m_none)
    has_org = np.arange(12)[None, :] >= start_q[:, None]
    new_m = rng.poisson(np.where(has_org, 0.22, 0.04) * np.clip(emp / 60, 0.3, 4)[:, None])
    new_m = np.where(alive, new_m, 0)
    members = m0[:, None] + np.cumsum(new_m, axis=1)
    own = members >= 3
    joint_pref = rng.random(nb) < 0.18
    org_type = np.where(has_org, np.where(own & ~joint_pref[:, None], *vocab.ORG_BUILT), "无")
    liaison_p = np.clip(0.28 + e_lag[:, None] + 0.025 * np.arange(12)[None, :] + 0.1 * on_chain[base][:, None]
                        + 0.45 * (emp >= 200)[:, None], 0, 0.97)
    liaison_draw = rng.random(nb)
    has_liaison = (liaison_draw[:, None] < liaison_p) | (has_org & (liaison_draw[:, None] < 0.6))
    has_union = (rng.random(nb) < 0.42)[:, None] | (has_org & (rng.random(nb) < 0.5)[:, None])
    youth = (rng.random(nb) < 0.14)[:, None] & np.ones((1, 12), bool)
    bi, qi = np.nonzero(alive)
    df = pl.DataFrame({
        "enterprise_id": pop.ent_ids[base[bi]],
        "quarter_end": QE[qi],
        "org_type": org_type[bi, qi],
        "n_members": members[bi, qi].astype(np.int32),
        "n_new_members": new_m[bi, qi].astype(np.int32),
        "has_liaison": has_liaison[bi, qi],
        "has_union": has_union[bi, qi],
        "has_youth_league": youth[bi, qi],
    })
    return df, base, org_type


def meetings(ctx: Ctx, parks: pl.DataFrame) -> tuple[pl.DataFrame, MeetingInfo]:
    """专题会议 with 党建联席会议 every quarter per chain (lagging chains skip some), 战略咨询会议 every other
    quarter, 吐槽大会 per chain and per 园长制 park, three 联合调度会 a quarter."""
    rng, chain_ids, park_ids = ctx.rng, ctx.chain_ids, ctx.park_ids
    mrows = []
    chain_parks_idx = {c: [park_ids.index(p) for p in CHAIN_PARKS[c]] for c in chain_ids}
    chief_parks = [p for p, h in zip(park_ids, parks["has_park_chief"].to_list()) if h] + ["P04"]
    for qi in range(len(QE)):
        q_month3 = QE[qi] - np.timedelta64(int(rng.integers(3, 25)), "D")
        for ci, c in enumerate(chain_ids):
            skip = CHAIN_LAG[c] < -0.09 and rng.random() < 0.3
            if not skip:
                day = q_month3 - np.timedelta64(ci, "D")
                mrows.append(("专题会议", c, None, day, int(rng.integers(25, 60))))
                mrows.append(("党建联席会议", c, None, day, int(rng.integers(15, 40))))
            if qi % 2 == 1:
                mrows.append(("战略咨询会议", c, None, QS[qi] + np.timedelta64(int(rng.integers(20, 70)), "D"),
                              int(rng.integers(12, 30))))
            n_tc = 1 if (qi % 4 == 1 and rng.random() < 0.5) else (1 + (rng.random() < 0.35))  # Q1: Spring Festival
            for _ in range(n_tc):
                park = park_ids[chain_parks_idx[c][int(rng.integers(0, len(chain_parks_idx[c])))]]
                mrows.append(("吐槽大会", c, park, QS[qi] + np.timedelta64(int(rng.integers(10, 85)), "D"),
                              int(rng.integers(30, 120))))
        for p in chief_parks:
            mrows.append(("吐槽大会", None, p, QS[qi] + np.timedelta64(int(rng.integers(10, 85)), "D"),
                          int(rng.integers(30, 90))))
        for mth in range(3):
            mrows.append(("联合调度会", None, None, QS[qi] + np.timedelta64(mth * 30 + int(rng.integers(5, 25)), "D"),
                          int(rng.integers(15, 35))))
    mrows.sort(key=lambda r: (r[3], r[0], r[1] or "", r[2] or ""))
    meet_ids = _ids("M", len(mrows), 5)
    df = pl.DataFrame({
        "meeting_id": meet_ids, "kind": [r[0] for r in mrows],
        "chain_id": [r[1] for r in mrows], "park_id": [r[2] for r in mrows],
        "held_on": np.array([r[3] for r in mrows], dtype="datetime64[D]"),
        "n_attendees": np.array([r[4] for r in mrows], dtype=np.int32),
    })
    tucao = [(mid, r[1], r[2], r[3]) for mid, r in zip(meet_ids, mrows) if r[0] == "吐槽大会"]
    return df, MeetingInfo(tucao, chief_parks)


def appeals(ctx: Ctx, pop: Population, ec: pl.DataFrame, sec: SecretaryInfo, meet: MeetingInfo) -> pl.DataFrame:
    """诉求: 4–12 per 吐槽大会 plus ~230 a quarter from 联合调度 / 第一书记 / 园长 / other channels.

    Most are closed within their deadline; slow handler units and lagging chains take longer, so the
    overdue ones at a quarter end are mostly weeks overdue, and a handful stay open for more than a year."""
    rng, scale, chain_ids, park_ids, unit_ids = ctx.rng, ctx.scale, ctx.chain_ids, ctx.park_ids, ctx.unit_ids
    n = pop.n
    ent_index = {e: i for i, e in enumerate(pop.ent_ids.tolist())}
    chain_members = {c: np.array([ent_index[e] for e in g["enterprise_id"].to_list()])
                     for (c,), g in ec.group_by("chain_id", maintain_order=True)}
    park_of = pop.park_of
    arows = []
    cat_w = np.array([c[1] for c in APPEAL_CATEGORIES], dtype=float)
    cat_w /= cat_w.sum()
    sec_by_q = [np.flatnonzero((sec.start <= QE[qi]) & (np.isnat(sec.end) | (sec.end > QE[qi]))) for qi in range(len(QE))]

    def add_appeal(e, chain, park, source, meeting, day):
        cat = APPEAL_CATEGORIES[rng.choice(len(APPEAL_CATEGORIES), p=cat_w)]
        handler = cat[2] or unit_ids[29 + int(rng.integers(0, 17))]
        transferred = day + np.timedelta64(int(rng.integers(1, 6)), "D")
        due = day + np.timedelta64(cat[3], "D")
        slow = SLOW_HANDLERS.get(handler, 1.0) * (1.35 if chain and CHAIN_LAG[chain] < -0.09 else 1.0)
        days = int(rng.gamma(2.0, cat[3] * 0.3 * slow)) + 2
        if rng.random() < 0.004 * slow:               # a hard case: closed many months late, if at all
            days = cat[3] + int(rng.integers(90, 900))
        resolved = day + np.timedelta64(days, "D")
        if not np.isnat(resolved) and resolved > AS_OF_D:
            resolved = np.datetime64("NaT")
        sat = int(min(5, max(1, round(rng.normal(4.5 - 0.02 * max(0, days - cat[3]), 0.6))))) if not np.isnat(resolved) else None
        arows.append((int(e), chain, park, source, meeting, cat[0], day, handler, transferred, due, resolved, sat))

    # 吐槽大会: each collects 4–12 appeals (scaled) from firms of its chain/park
    for mid, c, p, day in meet.tucao:
        if day > AS_OF_D:
            continue
        k = max(1, int(rng.integers(4, 13) * min(scale, 3)))
        if c is not None:
            pool = chain_members[c]
            if p is not None:
                inpark = pool[park_of[pool] == park_ids.index(p)]
                pool = inpark if len(inpark) >= 3 else pool
        else:
            pool = np.flatnonzero(park_of == park_ids.index(p))
        for e in rng.choice(pool, min(k, len(pool)), replace=False):
            pk = park_ids[park_of[e]] if park_of[e] >= 0 else None
            add_appeal(e, c if c is not None else pop.chain_of(ctx, e), pk, "吐槽大会", mid, day)
    chain_pool = np.flatnonzero(pop.on_chain)
    for qi in range(len(QE)):
        qn = int(round(rng.normal(230, 20) * scale * (0.8 if qi % 4 == 1 else 1.0) * (1 + qi * 0.03)))
        srcs = rng.choice(4, qn, p=[0.35, 0.25, 0.22, 0.18])
        for s in srcs:
            day = QS[qi] + np.timedelta64(int(rng.integers(0, (QE[qi] - QS[qi]).astype(int) + 1)), "D")
            if s == 0:
                e = chain_pool[int(rng.integers(0, len(chain_pool)))]
                source = "联合调度"
            elif s == 1 and len(sec_by_q[qi]):
                e = sec.ent[sec_by_q[qi][int(rng.integers(0, len(sec_by_q[qi])))]]
                source = "第一书记"
            elif s == 2:
                p = meet.chief_parks[int(rng.integers(0, len(meet.chief_parks)))]
                cands = np.flatnonzero(park_of == park_ids.index(p))
                e = cands[int(rng.integers(0, len(cands)))]
                source = "园长"
            else:
                e = int(rng.integers(0, n))
                source = "其他"
            if pop.founded[e] > day or (not np.isnat(pop.closed[e]) and pop.closed[e] <= day):
                continue
            pk = park_ids[park_of[e]] if park_of[e] >= 0 else None
            add_appeal(e, pop.chain_of(ctx, e), pk, source, None, day)
    arows.sort(key=lambda r: (r[6], r[0]))
    return pl.DataFrame({
        "appeal_id": _ids("A", len(arows), 7),
        "enterprise_id": pop.ent_ids[[r[0] for r in arows]],
        "chain_id": [r[1] for r in arows], "park_id": [r[2] for r in arows],
        "source": [r[3] for r in arows], "meeting_id": [r[4] for r in arows],
        "category": [r[5] for r in arows],
        "received_on": np.array([r[6] for r in arows], dtype="datetime64[D]"),
        "handler_unit_id": [str(r[7]) for r in arows],
        "transferred_on": np.array([r[8] for r in arows], dtype="datetime64[D]"),
        "due_on": np.array([r[9] for r in arows], dtype="datetime64[D]"),
        "resolved_on": np.array([r[10] for r in arows], dtype="datetime64[D]"),
        "satisfaction": pl.Series([r[11] for r in arows], dtype=pl.Int32),
    })


def pairings(ctx: Ctx, pop: Population, base: np.ndarray, org_type: np.ndarray) -> tuple[pl.DataFrame, pl.DataFrame]:
    """红联共建: organ units paired with organised chain firms, and their activities (红领精英/红创人才/红联众创);
    lagging chains hold fewer, and a few units are quiet in the latest quarter."""
    rng, chain_ids, unit_ids, utype = ctx.rng, ctx.chain_ids, ctx.unit_ids, ctx.unit_types
    organ_units = np.flatnonzero(np.isin(utype, list(vocab.UNIT_TYPES[:2])) | np.isin(unit_ids, ["U53", "U54", "U55", "U57"]))
    last_org = org_type[:, -1]
    with_org = base[(last_org != "无") & pop.on_chain[base] & np.isnat(pop.closed[base])]
    n_pair = max(10, int(round(260 * ctx.scale)))
    pe = rng.choice(with_org, min(n_pair, len(with_org)), replace=False)
    prow = []
    for e in pe:
        cs = [pop.first_chain[e]] + ([pop.second_chain[e]] if pop.second[e] else [])
        c = chain_ids[cs[int(rng.integers(0, len(cs)))]]
        u = unit_ids[organ_units[int(rng.integers(0, len(organ_units)))]]
        start = D("2023-04-01") + np.timedelta64(int(rng.integers(0, 1200)), "D")
        end = np.datetime64("NaT")
        if rng.random() < 0.08:
            end = start + np.timedelta64(int(rng.integers(300, 700)), "D")
            end = end if end <= AS_OF_D else np.datetime64("NaT")
        prow.append((u, e, c, start, end))
    prow.sort(key=lambda r: (r[3], r[1]))
    pair_ids = np.array(_ids("R", len(prow), 5))
    pairs = pl.DataFrame({
        "pairing_id": pair_ids, "unit_id": [r[0] for r in prow],
        "enterprise_id": pop.ent_ids[[r[1] for r in prow]], "chain_id": [r[2] for r in prow],
        "started_on": np.array([r[3] for r in prow], dtype="datetime64[D]"),
        "ended_on": np.array([r[4] for r in prow], dtype="datetime64[D]"),
    })
    acts = []
    quiet_units = set(unit_ids[organ_units[rng.permutation(len(organ_units))[:6]]].tolist())
    for pi, (u, e, c, start, end) in enumerate(prow):
        for qi in range(len(QE)):
            lo = max(QS[qi], start)
            hi = QE[qi] if np.isnat(end) else min(QE[qi], end)
            if hi < lo:
                continue
            rate = 0.95 * (0.6 if qi % 4 == 1 else 1.0) * (1 + 0.08 * CHAIN_LAG[c] * 10)
            if qi == len(QE) - 1 and u in quiet_units:
                rate = 0.0
            for _ in range(rng.poisson(max(rate, 0))):
                prog = vocab.PROGRAMS[rng.choice(3, p=[0.4, 0.35, 0.25])]
                day = lo + np.timedelta64(int(rng.integers(0, (hi - lo).astype(int) + 1)), "D")
                acts.append((pi, day, prog, int(rng.integers(8, 60)), int(rng.poisson(1.2))))
    acts.sort(key=lambda r: (r[1], r[0]))
    activities = pl.DataFrame({
        "activity_id": _ids("H", len(acts), 6), "pairing_id": pair_ids[[r[0] for r in acts]],
        "held_on": np.array([r[1] for r in acts], dtype="datetime64[D]"),
        "program": [r[2] for r in acts], "n_participants": np.array([r[3] for r in acts], dtype=np.int32),
        "n_results": np.array([r[4] for r in acts], dtype=np.int32),
    })
    return pairs, activities


def chain_master_plans(ctx: Ctx, pop: Population) -> pl.DataFrame:
    """链主培育: per 链主 and year, task force, party plan, score and support."""
    rng, chain_ids = ctx.rng, ctx.chain_ids
    cm = []
    for e, ci in sorted(pop.master_pairs):
        c = chain_ids[ci]
        for y in (2024, 2025, 2026):
            tf = y > 2024 or rng.random() < 0.7
            mode = vocab.TASK_FORCE_MODES[int(rng.integers(0, 3))] if tf else None
            plan = rng.random() < (0.7 if y == 2024 else 0.9 if y == 2025 else 0.8 + CHAIN_LAG[c])
            cm.append((pop.ent_ids[e], c, y, bool(tf), mode, bool(plan),
                       round(float(np.clip(rng.normal(84 + 40 * CHAIN_LAG[c], 6), 55, 99)), 1),
                       round(float(rng.gamma(2.0, 400)), 1), round(float(rng.gamma(1.5, 20)), 1),
                       int(rng.integers(0, 6)), int(rng.integers(0, 4))))
    return pl.DataFrame(cm, schema=[
        "enterprise_id", "chain_id", "year", "has_task_force", "task_force_mode", "has_party_plan", "score",
        "fiscal_support_10k", "land_mu", "n_projects", "n_standards"], orient="row")


# ==================================================================================== the whole district
def generate(scale: float = 1.0) -> dict[str, pl.DataFrame]:
    """All raw tables of the contract except `targets` and `meta` (those need the marts)."""
    rng = np.random.default_rng(SEED)
    ref = load_ref()
    ctx = Ctx(rng, scale, ref, ref.chains["chain_id"].to_list(), ref.parks["park_id"].to_list(),
              np.array(ref.units["unit_id"].to_list()), np.array(ref.units["unit_type"].to_list()))
    t = reference_tables(ref)
    pop, ents = enterprises(ctx)
    t["enterprise_chains"], t["enterprises"] = enterprise_chains(ctx, pop, ents)
    t["honors"] = honors(ctx, pop)
    t["secretaries"], t["secretary_outcomes"], sec = secretaries(ctx, pop)
    t["enterprise_party"], base, org_type = enterprise_party(ctx, pop)
    t["meetings"], meet = meetings(ctx, t["parks"])
    t["appeals"] = appeals(ctx, pop, t["enterprise_chains"], sec, meet)
    t["pairings"], t["pairing_activities"] = pairings(ctx, pop, base, org_type)
    t["chain_master_plans"] = chain_master_plans(ctx, pop)
    return t


# ==================================================================================== targets
# How the district sets a year's target: a stretch over the path it plans from the year's starting
# point. Most scopes get a plan they can meet; a few are stretched; the lagging chains were given the
# district's common increase, which their slower pace does not reach.
STRETCH_NORMAL = ([0.85, 0.95, 1.0, 1.08, 1.13, 1.35], [0.2, 0.36, 0.35, 0.035, 0.035, 0.02])
STRETCH_LAGGING = ([0.95, 1.1, 1.35, 1.6], [0.3, 0.25, 0.25, 0.2])
# The district's own targets: pairing activities were planned well above last year's pace (the weakest
# district target), organisation coverage a little above it.
STRETCH_DISTRICT = {"n_pairing_activities_ytd": 1.3, "org_coverage_rate": 1.1}
HIGH_RATE = 0.9         # rates already this high get a "keep at least" level (closure rates always) …
KEEP_RATE = 0.96        # … of at most this (e.g. 诉求办结率 "保持 96% 以上")


def make_targets(basis: pl.DataFrame) -> pl.DataFrame:
    """Annual targets for the demo, one per row of `basis` (queries/_build/target_basis.sql: year, metric,
    kind, chain_id, park_id, base = value at the year's start (0 for flows), last_value = value at the
    year's last available quarter, last_share = that quarter's share of the year).

    The planned full-year amount is the year's pace (last_value extrapolated to the year end) times a
    deterministic stretch; stocks and rates aim at least one step above their starting point when the
    pace is flat. Rates are rounded to 0.1 percentage point, counts to whole numbers."""
    rng = np.random.default_rng(SEED + 1)
    m = basis.height
    chains, parks = basis["chain_id"].to_list(), basis["park_id"].to_list()
    lagging = np.array([CHAIN_LAG.get(c or "", 0.0) < -0.09 for c in chains])
    district = np.array([c is None and p is None for c, p in zip(chains, parks)])
    normal = rng.choice(STRETCH_NORMAL[0], m, p=STRETCH_NORMAL[1])
    lag = rng.choice(STRETCH_LAGGING[0], m, p=STRETCH_LAGGING[1])
    stretch = np.where(lagging, lag, normal)
    own = np.array([STRETCH_DISTRICT.get(x, 1.0) for x in basis["metric"].to_list()])
    stretch = np.where(district, own, stretch)
    flow = (basis["kind"] == "flow").to_numpy()
    rate = basis["metric"].str.ends_with("_rate").to_numpy()
    base = basis["base"].fill_null(0.0).to_numpy()
    last = basis["last_value"].to_numpy()
    share = basis["last_share"].to_numpy()
    pace = np.where(flow, last / share, (last - base) / share)          # planned full-year amount at this pace
    unit = np.where(rate, 0.001, 1.0)
    flat = pace <= np.where(rate, 0.005, 0.0)
    planned = np.where(~flat, pace * stretch, np.where(lagging, np.where(rate, 0.005, 1.0), 0.0))
    val = np.where(flow, planned, base + planned)
    # a met-or-exceeded plan rounds down, a stretched one up, so rounding never changes the judgement
    val = np.where(stretch > 1.0, np.ceil(val / unit - 1e-9), np.floor(val / unit + 1e-9)) * unit
    # a closure rate already high is set as a level to keep (e.g. 诉求办结率 "保持 96% 以上"), other high rates
    # when their pace is flat; the lagging chains are asked for a rise
    keep = rate & ~lagging & (base >= HIGH_RATE) & (flat | (basis["metric"] == "appeal_resolved_rate").to_numpy())
    val = np.where(keep, np.minimum(np.floor(base * 100 - 0.5) / 100, KEEP_RATE), val)
    val = np.where(flow & (val >= 200), np.round(val / 10) * 10, val)
    val = np.where(rate, np.clip(np.round(val, 3), 0.05, 0.99), np.where(flow, np.maximum(val, 1), val))
    return basis.select("year", "metric", "chain_id", "park_id").with_columns(
        pl.Series("target_value", val, dtype=pl.Float64))
