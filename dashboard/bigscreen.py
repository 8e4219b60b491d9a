"""大屏 (large-screen cockpit): URL options, rotation state, frame assembly, and its HTML/CSS/JS.

The page (views/bigscreen.py) is thin: it reads `Config` from the URL, keeps one `Rotation` in session
state, asks `assemble()` for the frame of the current item (all numbers and chart options, from named
queries only) and draws it. Rotation is driven by a timer in the browser (the `bigscreen_top` component
sends `advance` after `interval` seconds, or `toggle` on a click / the space bar); a fragment tick re-reads
the data so a newly published warehouse shows up without a page reload.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import time
from dataclasses import dataclass
from functools import lru_cache

import polars as pl

from . import kpis, safe, targets, theme
from .charts import screen
from .db import run_query
from .paths import GEO_DIR

MODES = {"chain": "产业链轮播", "park": "园区轮播"}
DEFAULT_INTERVAL = 20
MIN_INTERVAL, MAX_INTERVAL = 3, 3600
MAX_TICK = 30                       # data re-read at least this often (seconds), paused or not
TILE_KEYS = ["n_enterprises", "n_xjr", "n_lgsx", "org_coverage_rate", "work_coverage_rate",
             "n_secretaries", "n_problems_solved"]
MAP_METRIC = "org_coverage_rate"
N_CASES = 12
STATE_KEY = "bs_rotation"
FRAME_KEY = "bs_last_frame"

# Heights (vh) of the layout; everything fits in 100vh.
TOP_VH = 23.6
BODY_VH = 75.5                      # the three columns (below the KPI band); 23.6 + 0.3 + 75.5 < 100
GAP_VH = 0.7
PANELS_VH = {"rank": 40.3, "gauge": 24.0, "warn": 23.0}
PANELS_VH.update(trend=round(BODY_VH - PANELS_VH["rank"] - GAP_VH, 2), map=BODY_VH,
                 cases=round(BODY_VH - PANELS_VH["gauge"] - PANELS_VH["warn"] - 2 * GAP_VH, 2))
PANEL_CHROME_VH = 5.5               # title bar + paddings + borders inside a panel


# ------------------------------------------------------------------------------------------- config
@dataclass(frozen=True)
class Config:
    rotate: str = "chain"           # 'chain' | 'park'
    interval: int = DEFAULT_INTERVAL
    quarter: str | None = None      # '2026Q3'; None = latest
    start: str | None = None        # chain/park id to start at

    @property
    def tick(self) -> int:
        """Seconds between fragment reruns that re-read the data (rotation reruns come on top of these)."""
        return MAX_TICK


def config(params) -> Config:
    """Config from the query string (?rotate=park&interval=20&quarter=2026Q3&start=C03); bad values → defaults."""
    def get(k):
        v = params.get(k)
        if isinstance(v, list):
            v = v[0] if v else None
        return (str(v).strip() or None) if v is not None else None
    rotate = (get("rotate") or "chain").lower()
    rotate = rotate if rotate in MODES else "chain"
    try:                                # '1e309', 'inf', 'nan', '20秒', '' → the default, never an error box
        seconds = float(get("interval") or DEFAULT_INTERVAL)
        interval = int(seconds) if math.isfinite(seconds) else DEFAULT_INTERVAL
    except (ValueError, OverflowError):
        interval = DEFAULT_INTERVAL
    interval = max(MIN_INTERVAL, min(MAX_INTERVAL, interval))
    q = get("quarter")
    return Config(rotate, interval, q.upper() if q else None, get("start"))


# ------------------------------------------------------------------------------------------- items
@dataclass(frozen=True)
class Item:
    kind: str                       # 'district' | 'chain' | 'park'
    id: str | None
    name: str

    @property
    def chain_key(self) -> str:
        return self.id if self.kind == "chain" else "*"

    @property
    def park_key(self) -> str:
        return self.id if self.kind == "park" else "*"

    @property
    def title(self) -> str:
        if self.kind == "district":
            return "黄埔区 · 全区"
        return self.name


def items(rotate: str, chains: pl.DataFrame, parks: pl.DataFrame) -> list[Item]:
    """District first, then every chain (or every park) in id order."""
    out = [Item("district", None, "全区")]
    if rotate == "park":
        out += [Item("park", r["park_id"], r["name"]) for r in parks.sort("park_id").iter_rows(named=True)]
    else:
        out += [Item("chain", r["chain_id"], r["name"]) for r in chains.sort("chain_id").iter_rows(named=True)]
    return out


# ------------------------------------------------------------------------------------------- rotation
class Rotation:
    """Rotation state in one small dict (kept in session state; never grows).

    idx: current item; seq: bumps on every change so the browser restarts its timer; paused;
    since: monotonic time the current item started (for the server-side fallback)."""

    def __init__(self, state: dict):
        self.s = state
        self.s.setdefault("idx", 0)
        self.s.setdefault("seq", 0)
        self.s.setdefault("paused", False)
        self.s.setdefault("since", time.monotonic())
        self.s.setdefault("n", 1)           # number of items at the last good frame

    def index(self, n: int) -> int:
        return self.s["idx"] % max(n, 1)

    @property
    def key(self) -> str:
        return f"{self.s['idx']}-{self.s['seq']}"

    @property
    def paused(self) -> bool:
        return bool(self.s["paused"])

    def start_at(self, idx: int) -> None:
        self.s["idx"] = idx
        self.s["seq"] += 1
        self.s["since"] = time.monotonic()

    def advance(self, n: int, expected_key: str | None = None) -> bool:
        """Next item (wrapping). With `expected_key`, only if it is still the current item (a late or
        repeated browser event must not skip an item)."""
        if self.paused or (expected_key is not None and expected_key != self.key):
            return False
        self.s["idx"] = (self.s["idx"] + 1) % max(n, 1)
        self.s["seq"] += 1
        self.s["since"] = time.monotonic()
        return True

    def toggle(self) -> None:
        self.s["paused"] = not self.s["paused"]
        if not self.s["paused"]:      # resuming restarts the current item's full interval
            self.s["seq"] += 1
            self.s["since"] = time.monotonic()

    def overdue(self, interval: int, now: float | None = None) -> bool:
        """True when the browser's timer evidently did not fire (fallback advance on a tick)."""
        now = time.monotonic() if now is None else now
        return not self.paused and now - self.s["since"] > 2 * interval + 10


# ------------------------------------------------------------------------------------------- frame
@lru_cache(maxsize=1)
def map_geojson() -> dict:
    """The district map, trimmed to the view and simplified, registered as `screen.MAP_NAME`."""
    gj = json.loads((GEO_DIR / "guangzhou.geojson").read_text(encoding="utf-8"))
    return screen.simplify_geojson(gj)


def meta() -> dict[str, str]:
    return {r["key"]: r["value"] for r in run_query("shared/meta").iter_rows(named=True)}


def quarter(cfg: Config) -> tuple[str, dt.date]:
    qs = run_query("shared/quarters")
    labels = qs["label"].to_list()
    ends = dict(zip(labels, qs["quarter_end"].to_list()))
    label = cfg.quarter if cfg.quarter in ends else labels[0]
    return label, ends[label]


def _delta(k: kpis.KPI, cur, prev) -> dict | None:
    """Compact 环比: relative % for counts (absolute when the base is 0), points for rates."""
    if cur is None or prev is None:
        return None
    diff = cur - prev
    if k.is_rate:
        text = f"{abs(diff) * 100:.1f} 个百分点"
    elif prev == 0 or abs(diff) / abs(prev) < 0.0005:     # a tiny change: say how many, not "0.0%"
        text = f"{abs(int(round(diff))):,} {k.unit}"
    else:
        text = f"{abs(diff) / prev * 100:.1f}%"
    if abs(diff) < 1e-12:
        return {"arrow": "■", "text": "持平", "cls": "flat"}
    good = (diff > 0) == k.higher_is_better
    return {"arrow": "▲" if diff > 0 else "▼", "text": text, "cls": "good" if good else "bad"}


def tile(h: kpis.Headline) -> dict:
    """One KPI tile: the number as shown (text) and as a number to animate (value, dec)."""
    k = h.kpi
    if h.value is None:
        value, dec, text = 0.0, 0, "—"
    elif k.is_rate:
        value, dec = round(float(h.value) * 100, 1), 1
        text = f"{value:.1f}"
    else:
        value, dec = float(int(round(h.value))), 0
        text = f"{int(value):,}"
    status = None
    if h.target and h.target.get("status"):
        t = h.target
        status = {"word": kpis.STATUS_WORD[t["status"]], "cls": {"绿": "ok", "黄": "warn", "红": "bad"}[t["status"]],
                  "text": f"应达{targets.value(t, 'expected').replace(' ', '')}"}
    return {"key": k.key, "label": k.label, "unit": "%" if k.is_rate else k.unit, "value": value, "dec": dec,
            "text": text, "delta": _delta(k, h.value, h.prev), "status": status}


def _case(r: dict) -> dict:
    d = r["occurred_on"]
    unit = f"({r['source_unit_name']})" if r.get("source_unit_name") else ""
    return {"date": d.strftime("%Y-%m-%d") if d else "", "kind": r["kind"], "title": r["title"],
            "who": f"第一书记 {r['secretary_name']}{unit}", "where": r["enterprise_name"]}


def assemble(cfg: Config, item: Item, idx: int, all_items: list[Item]) -> dict:
    """Everything the screen shows for one rotation item (numbers, chart options, texts)."""
    q_label, q_end = quarter(cfg)
    m = meta()
    chain, park = item.chain_key, item.park_key
    heads = kpis.headline(q_end, chain, park, keys=TILE_KEYS + ["appeal_resolved_rate"])
    gauge_head = heads[-1]
    tiles = [tile(h) for h in heads[:-1]]
    tr = kpis.trend(q_end, chain, park).tail(12)
    row = tr.row(-1, named=True) if tr.height else {}

    if cfg.rotate == "park":
        rank_df = run_query("bigscreen/parks", quarter_end=q_end, chain_id="*")
        rank_title, rank_cur = "园区排名 · 在营企业", item.id if item.kind == "park" else None
    else:
        rank_df = run_query("bigscreen/chain_ranking", quarter_end=q_end, park_id="*")
        rank_title, rank_cur = "产业链排名 · 在营企业", item.id if item.kind == "chain" else None
    parks_df = run_query("bigscreen/parks", quarter_end=q_end, chain_id=chain)
    warn = warning(q_end, item)
    cases_df = run_query("bigscreen/cases", quarter_end=q_end, chain_id=chain, park_id=park, limit=N_CASES)
    cases_note = ""
    if cases_df.is_empty() and item.kind != "district":
        cases_df = run_query("bigscreen/cases", quarter_end=q_end, chain_id="*", park_id="*", limit=N_CASES)
        cases_note = "本范围暂无典型案例 · 以下为全区最新案例"

    overdue = row.get("n_appeals_overdue")
    stats = [("本季收到 · 件", f"{int(row.get('n_appeals_received') or 0):,}", theme.SCREEN_ACCENT),
             ("本季办结 · 件", f"{int(row.get('n_appeals_resolved') or 0):,}", screen.STATUS["绿"]),
             ("超期未办结 · 件", f"{int(overdue or 0):,}", screen.STATUS["红"] if overdue else theme.SCREEN_MUTED)]
    src = m.get("source", "")
    kind = "演示数据" if src == "demo" else ("导入数据" if src.startswith("import") else src)
    mode = MODES[cfg.rotate]
    return {
        "as_of": m.get("as_of", "—"), "data_version": m.get("data_version", ""), "quarter": q_label,
        "source": kind, "scope": item.title, "scope_kind": {"district": "全区", "chain": "产业链", "park": "园区"}[item.kind],
        "idx": idx, "n": len(all_items), "names": [i.name for i in all_items], "mode": mode,
        "tiles": tiles,
        "rank_title": rank_title,
        "rank": screen.ranking(rank_df, "n_enterprises", rank_cur, side_metric=MAP_METRIC, side_label="覆盖"),
        "trend_title": f"{item.name if item.kind != 'district' else '全区'} · 12 个季度趋势",
        "trend": screen.trend(tr),
        "map": screen.district_map(parks_df, MAP_METRIC, item.id if item.kind == "park" else None,
                                   scope_label=item.name if item.kind == "chain" else "全区"),
        "gauge": screen.gauge(gauge_head.value, gauge_head.target, stats),
        "warn": warn,
        "warn_title": "预警",
        "cases": [_case(r) for r in cases_df.iter_rows(named=True)],
        "cases_note": cases_note,
    }


def warning(q_end: dt.date, item: Item) -> dict:
    """The 预警 panel of an item: its annual targets' 滞后 items (关注 when none is 滞后; for the district every
    district, chain and park target) from the one target mart, and its overdue appeals by age."""
    df = targets.items(q_end, item.id if item.kind == "chain" else None, item.id if item.kind == "park" else None)
    c = targets.counts(df)
    shown = df.filter(pl.col("status") == ("红" if c["红"] else "黄"))
    rows = [{"status": r["status"], "word": kpis.STATUS_WORD[r["status"]],
             "scope": r["scope_name"] if item.kind == "district" else "",
             "label": r["label"], "line": f"{targets.versus_text(r)} · {targets.gap_text(r)}"}
            for r in shown.iter_rows(named=True)]
    ages = run_query("appeals/overdue_age", quarter_end=q_end, chain_id=item.chain_key, park_id=item.park_key)
    return {"counts": c, "n_targets": df.height, "items": rows,
            "ages": [(r["overdue_bucket_label"], int(r["n_overdue"]), r["overdue_bucket"] >= 3)
                     for r in ages.iter_rows(named=True)],
            "n_overdue": int(ages["n_overdue"].sum())}


# ------------------------------------------------------------------------------------------- HTML
# Warehouse text (case titles, names, scope labels) reaches HTML only through dashboard.safe.
def panel_title(title: str, extra: str = "", extra_html: safe.Markup | None = None) -> safe.Markup:
    ex = safe.html("<span class='bs-ptitle-x'>{}</span>", extra_html or extra) if (extra or extra_html) else ""
    return safe.html("<div class='bs-ptitle'><span class='bs-ptitle-t'>{}</span>{}</div>", title, ex)


CASE_VH = 10.5                       # one ticker card (2 fit in the panel)
CASE_STEP_S = 6                      # the ticker moves up one card every CASE_STEP_S seconds (JS in TOP_JS)


def cases_html(cases: list[dict], note: str = "") -> safe.Markup:
    """The 典型案例 ticker: fixed-height cards, the list twice; the browser moves it up one card at a time
    (a short transition, not a continuous scroll: the screen repaints only while a card slides)."""
    if not cases:
        return safe.html("<div class='bs-cases'><div class='bs-cases-empty'>暂无典型案例</div></div>")
    cards = safe.join("", (
        safe.html("<div class='bs-case'><div class='bs-case-h'><span class='bs-case-k'>{}</span>"
                  "<span class='bs-case-d'>{}</span></div><div class='bs-case-t'>{}</div>"
                  "<div class='bs-case-w'>{} · {}</div></div>", c['kind'], c['date'], c['title'], c['who'], c['where'])
        for c in cases))
    n = len(cases)
    body = (safe.html("<div class='bs-cases-roll' data-n='{}' data-step-vh='{}'>{}{}</div>", n, CASE_VH, cards, cards)
            if n > 2 else safe.html("<div class='bs-cases-still'>{}</div>", cards))
    nt = safe.html("<div class='bs-cases-note'>{}</div>", note) if note else ""
    return safe.html("<div class='bs-cases'>{}<div class='bs-cases-win'>{}</div></div>", nt, body)


WARN_ITEM_VH = 4.3                   # one 预警 ticker line (3 fit under the age row)


def warn_title_extra(warn: dict) -> safe.Markup:
    c = warn["counts"]
    return safe.html("年度目标 <b style='color:{}'>滞后 {}</b> · <b style='color:{}'>关注 {}</b> / {} 项",
                     BAD, c['红'], WARN, c['黄'], warn['n_targets'])


def warn_html(warn: dict) -> safe.Markup:
    """The 预警 panel: overdue appeals by age on top, then the 滞后 targets (关注 when none), rolling when long."""
    ages = safe.join("", (safe.html("<div class='bs-age{}'><b>{:,}</b><span>{}</span></div>",
                                    ' hot' if hot and n else '', n, lab) for lab, n, hot in warn["ages"]))
    head = safe.html("<div class='bs-ages'><div class='bs-age-t'>超期诉求<span><b>{:,}</b> 件</span></div>{}</div>",
                     warn['n_overdue'], ages)
    if not warn["n_targets"]:
        body = safe.html("<div class='bs-warn-empty'>本范围未设年度目标</div>")
    elif not warn["items"]:
        body = safe.html("<div class='bs-warn-empty ok'>年度目标进度均正常</div>")
    else:
        lines = safe.join("", (
            safe.html("<div class='bs-warn-i'><div class='bs-warn-h'><span class='bs-warn-s s-{}'>{}</span>"
                      "<span class='bs-warn-n'>{}{}</span></div><div class='bs-warn-l'>{}</div></div>",
                      r['status'], r['word'], r['scope'] + ' · ' if r['scope'] else '', r['label'], r['line'])
            for r in warn["items"]))
        n = len(warn["items"])
        body = (safe.html("<div class='bs-cases-roll bs-warn-roll' data-n='{}' data-step-vh='{}'>{}{}</div>",
                          n, WARN_ITEM_VH, lines, lines)
                if n > 3 else safe.html("<div class='bs-cases-still'>{}</div>", lines))
    return safe.html("<div class='bs-warn'>{}<div class='bs-warn-win'>{}</div></div>", head, body)


def waiting_html(message: str = "数据更新中,请稍候") -> safe.Markup:
    return safe.html("<div class='bs-wait'><div class='bs-wait-title'>链长制 · 党建引领监测驾驶舱</div>"
                     "<div class='bs-wait-ring'></div><div class='bs-wait-msg'>{}</div>"
                     "<div class='bs-wait-sub'>数据暂时无法读取,系统将自动重试</div></div>", message)


def stale_badge_html() -> safe.Markup:
    return safe.html("<div class='bs-stale'>● 数据更新中,请稍候(显示最近一次数据)</div>")


def chart_height(panel: str) -> str:
    return f"calc({PANELS_VH[panel]}vh - {PANEL_CHROME_VH}vh)"


BG, PANEL, BORDER, TEXT, MUTED, ACCENT, GOLD = (theme.SCREEN_BG, theme.SCREEN_PANEL, theme.SCREEN_BORDER,
                                              theme.SCREEN_TEXT, theme.SCREEN_MUTED, theme.SCREEN_ACCENT, theme.GOLD)
OK, WARN, BAD = screen.STATUS["绿"], screen.STATUS["黄"], screen.STATUS["红"]

CSS = f"""
<style>
/* ---- no Streamlit chrome, no scrollbars, forced dark ---- */
html, body {{ overflow: hidden !important; background: {BG} !important; margin: 0; }}
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header, [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"], footer,
[data-testid="stBottom"], [data-testid="stSidebarNav"] {{ display: none !important; }}
[data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"] {{
  background: radial-gradient(ellipse at 50% 38%, #0b2350 0%, {BG} 62%) !important;
  color: {TEXT}; overflow: hidden !important; height: 100vh; font-family: {theme.FONT_STACK}; }}
[data-testid="stApp"]::before {{ content: ""; position: fixed; inset: 0; pointer-events: none; z-index: 0;
  background-image: linear-gradient(rgba(57,197,255,0.045) 1px, transparent 1px),
                    linear-gradient(90deg, rgba(57,197,255,0.045) 1px, transparent 1px);
  background-size: 4vh 4vh; }}
[data-testid="stMainBlockContainer"] {{ padding: 0 0.8vw !important; max-width: none !important;
  height: 100vh; overflow: hidden; }}
[data-testid="stMain"] ::-webkit-scrollbar {{ display: none; }}
[data-testid="stMain"] {{ scrollbar-width: none; }}
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {{ gap: 0 !important; }}
[data-testid="stMainBlockContainer"] [data-testid="stHorizontalBlock"] {{ gap: 0.8vw !important; flex-wrap: nowrap !important;
  padding: 0 !important; margin: 0.3vh 0 0 0 !important; }}
[data-testid="stMainBlockContainer"] [data-testid="stHorizontalBlock"] {{ height: {BODY_VH}vh !important;
  flex: 0 0 auto !important; }}
[data-testid="stLayoutWrapper"]:has(> [data-testid="stHorizontalBlock"]) {{ flex: 0 0 auto !important; }}
[data-testid="stMainBlockContainer"] [data-testid="stColumn"] > [data-testid="stVerticalBlock"] {{ gap: {GAP_VH}vh !important;
  height: 100%; }}
[data-testid="stColumn"] > [data-testid="stVerticalBlock"] > [data-testid="stLayoutWrapper"] {{ flex-shrink: 0 !important; }}
div[class*="st-key-bsp-"] [data-testid="stMarkdownContainer"] {{ margin: 0 !important; }}
div[class*="st-key-bsp-"] [data-testid="stMarkdown"] {{ height: auto !important; }}
div[class*="st-key-bsp-"] [data-testid="stHtml"] {{ margin: 0 !important; height: auto !important; }}
/* the last panel of each column takes the rest of the column: the three columns end on one line */
[data-testid="stColumn"] > [data-testid="stVerticalBlock"] > [data-testid="stLayoutWrapper"]:last-child {{
  flex: 1 1 0 !important; min-height: 0; }}
[data-testid="stColumn"] > [data-testid="stVerticalBlock"] > [data-testid="stLayoutWrapper"]:last-child > div[class*="st-key-bsp-"] {{
  height: 100% !important; }}
[data-testid="stElementContainer"] {{ margin: 0 !important; }}
[data-stale="true"] {{ opacity: 1 !important; transition: none !important; }}
[data-testid="stSkeleton"] {{ display: none !important; }}

/* ---- panels ---- */
div[class*="st-key-bsp-"] {{ position: relative; box-sizing: border-box; overflow: hidden;
  background: linear-gradient(180deg, rgba(16,42,84,0.62) 0%, rgba(8,24,54,0.50) 100%);
  border: 1px solid rgba(31,79,143,0.75); padding: 0.5vh 0.6vw 0.6vh 0.6vw !important;
  box-shadow: inset 0 0 2.2vh rgba(57,197,255,0.10); margin: 0 !important; }}
div[class*="st-key-bsp-"]::before, div[class*="st-key-bsp-"]::after {{ content: ""; position: absolute;
  width: 1.2vw; height: 1.2vw; border: 0.22vh solid {ACCENT}; pointer-events: none; z-index: 2; }}
div[class*="st-key-bsp-"]::before {{ top: -1px; left: -1px; border-right: none; border-bottom: none; }}
div[class*="st-key-bsp-"]::after {{ bottom: -1px; right: -1px; border-left: none; border-top: none; }}
""" + "\n".join(f".st-key-bsp-{k} {{ height: {v}vh; }}" for k, v in PANELS_VH.items()) + f"""
.bs-ptitle {{ display: flex; align-items: center; justify-content: space-between; height: 3.6vh;
  margin: 0 0 0.4vh 0; padding-left: 1.6vh; position: relative; box-sizing: border-box;
  background: linear-gradient(90deg, rgba(57,197,255,0.22) 0%, rgba(57,197,255,0.04) 55%, transparent 100%);
  border-bottom: 1px solid rgba(57,197,255,0.35); }}
.bs-ptitle::before {{ content: ""; position: absolute; left: 0.3vh; top: 0.7vh; bottom: 0.7vh; width: 0.45vh;
  background: {ACCENT}; box-shadow: 0 0 1vh {ACCENT}; }}
.bs-ptitle-t {{ font-size: 2.0vh; font-weight: 700; letter-spacing: 0.12em; color: {TEXT};
  text-shadow: 0 0 1vh rgba(57,197,255,0.6); }}
.bs-ptitle-x {{ font-size: 1.45vh; color: {MUTED}; padding-right: 0.6vw; }}

/* ---- header + KPI band (component bigscreen_top) ---- */
.bs-top {{ height: {TOP_VH}vh; box-sizing: border-box; position: relative; font-family: {theme.FONT_STACK}; }}
.bs-head {{ height: 8.6vh; display: grid; grid-template-columns: 1fr 46vw 1fr; align-items: center; position: relative; }}
.bs-head::after {{ content: ""; position: absolute; left: 0; right: 0; bottom: 1.4vh; height: 1px;
  background: linear-gradient(90deg, transparent, rgba(57,197,255,0.7) 20%, rgba(57,197,255,0.7) 80%, transparent); }}
.bs-head-c {{ height: 100%; position: relative; display: flex; align-items: center; justify-content: center;
  background: linear-gradient(180deg, rgba(25,80,160,0.55), rgba(10,36,80,0.35));
  clip-path: polygon(0 0, 100% 0, 94% 100%, 6% 100%); }}
.bs-head-c::after {{ content: ""; position: absolute; left: 6%; right: 6%; bottom: 0; height: 0.35vh;
  background: linear-gradient(90deg, transparent, {ACCENT}, #bff0ff, {ACCENT}, transparent); box-shadow: 0 0 1.5vh {ACCENT}; }}
.bs-title {{ margin: 0; padding: 0; font-size: 4.1vh; font-weight: 900; letter-spacing: 0.22em; line-height: 1;
  background: linear-gradient(180deg, #ffffff 20%, #9fe3ff 70%, #39c5ff 100%); -webkit-background-clip: text;
  background-clip: text; color: transparent; filter: drop-shadow(0 0 1.2vh rgba(57,197,255,0.75)); white-space: nowrap; }}
.bs-head-l, .bs-head-r {{ font-size: 1.85vh; color: {MUTED}; display: flex; align-items: center; gap: 1.2vw;
  padding: 0 1vw 1.2vh 1vw; white-space: nowrap; }}
.bs-head-r {{ justify-content: flex-end; }}
.bs-clock {{ font-size: 2.5vh; font-weight: 700; color: {TEXT}; font-variant-numeric: tabular-nums; letter-spacing: 0.04em;
  text-shadow: 0 0 1vh rgba(57,197,255,0.7); }}
.bs-asof b {{ color: {TEXT}; font-weight: 700; }}
.bs-live {{ display: inline-flex; align-items: center; gap: 0.4vw; color: {OK}; }}
.bs-live i {{ width: 1vh; height: 1vh; border-radius: 50%; background: {OK}; box-shadow: 0 0 1vh {OK}; }}

.bs-band {{ height: 14.4vh; display: grid; grid-template-columns: 17.5vw 1fr; gap: 0.7vw; margin-top: 0.2vh; }}
.bs-scope {{ position: relative; box-sizing: border-box; padding: 1.1vh 0.9vw 0.9vh 0.9vw; overflow: hidden; height: 14.4vh;
  background: linear-gradient(135deg, rgba(242,193,78,0.18), rgba(16,42,84,0.55) 60%);
  border: 1px solid rgba(242,193,78,0.6); box-shadow: inset 0 0 2.4vh rgba(242,193,78,0.14); }}
.bs-scope-k {{ font-size: 1.55vh; line-height: 1.3; color: {MUTED}; letter-spacing: 0.08em; display: flex;
  justify-content: space-between; align-items: center; white-space: nowrap; }}
.bs-scope-n {{ font-size: 3.6vh; font-weight: 900; color: {GOLD}; line-height: 5vh; height: 5vh; margin-top: 0.4vh;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; text-shadow: 0 0 1.4vh rgba(242,193,78,0.6); }}
.bs-scope-n.long {{ font-size: 2.6vh; }}
.bs-scope-row {{ display: flex; align-items: center; gap: 0.6vw; margin-top: 0.5vh; font-size: 1.55vh; line-height: 1.3;
  color: {MUTED}; white-space: nowrap; }}
.bs-scope-i {{ font-size: 2.3vh; font-weight: 800; color: {TEXT}; font-variant-numeric: tabular-nums; }}
.bs-prog {{ flex: 1; height: 0.7vh; background: rgba(57,197,255,0.15); border-radius: 0.4vh; overflow: hidden; }}
.bs-prog i {{ display: block; height: 100%; width: 100%; transform-origin: left center; transform: scaleX(0);
  background: linear-gradient(90deg, {ACCENT}, {GOLD}); box-shadow: 0 0 1vh {ACCENT}; }}
.bs-dots {{ display: flex; gap: 0.22vw; margin-top: 1vh; }}
.bs-dots i {{ flex: 1; height: 0.55vh; background: rgba(143,179,224,0.22); }}
.bs-dots i.on {{ background: {GOLD}; box-shadow: 0 0 0.8vh {GOLD}; }}
.bs-dots i.done {{ background: rgba(57,197,255,0.55); }}
.bs-badge {{ display: none; font-size: 1.5vh; line-height: 1.4; font-weight: 800; color: #1a1200; background: {GOLD};
  padding: 0 0.5vw; border-radius: 0.3vh; letter-spacing: 0.1em; box-shadow: 0 0 1.2vh {GOLD}; }}
.bs-paused .bs-badge {{ display: inline-block; }}
.bs-paused .bs-run {{ display: none; }}

.bs-kpis {{ display: grid; grid-template-columns: repeat(7, minmax(0, 1fr)); gap: 0.55vw; height: 14.4vh; }}
.bs-kpi {{ position: relative; box-sizing: border-box; padding: 1.1vh 0.7vw 0.8vh 0.8vw; overflow: hidden; height: 14.4vh;
  background: linear-gradient(180deg, rgba(22,62,122,0.58), rgba(8,26,58,0.55));
  border: 1px solid rgba(31,79,143,0.85); box-shadow: inset 0 -1.4vh 2.4vh -1.4vh rgba(57,197,255,0.35); }}
.bs-kpi::before {{ content: ""; position: absolute; left: 0; top: 0; width: 100%; height: 0.3vh;
  background: linear-gradient(90deg, {ACCENT}, transparent); }}
.bs-kpi-l {{ font-size: 1.75vh; line-height: 1.3; color: {MUTED}; letter-spacing: 0.08em; white-space: nowrap; }}
.bs-kpi-v {{ margin-top: 0.3vh; white-space: nowrap; height: 5.4vh; overflow: hidden; display: flex; align-items: baseline; }}
.bs-kpi-n {{ font-size: 4.7vh; line-height: 5.4vh; font-weight: 800; color: #fff; font-variant-numeric: tabular-nums;
  text-shadow: 0 0 1.6vh rgba(57,197,255,0.85); letter-spacing: -0.01em; }}
.bs-kpi-u {{ font-size: 1.75vh; line-height: 2vh; color: {MUTED}; margin-left: 0.25vw; }}
.bs-kpi-d {{ font-size: 1.55vh; line-height: 1.3; margin-top: 0.45vh; white-space: nowrap; color: {MUTED}; }}
.bs-kpi-d .good {{ color: {OK}; font-weight: 700; }} .bs-kpi-d .bad {{ color: {BAD}; font-weight: 700; }}
.bs-kpi-d .flat {{ color: {MUTED}; }}
.bs-kpi-s {{ font-size: 1.5vh; line-height: 1.3; margin-top: 0.35vh; white-space: nowrap; color: {MUTED}; }}
.bs-kpi-s b.ok {{ color: {OK}; }} .bs-kpi-s b.warn {{ color: {WARN}; }} .bs-kpi-s b.bad {{ color: {BAD}; }}

/* ---- 典型案例 ticker ---- */
.bs-cases {{ height: calc({PANELS_VH['cases']}vh - {PANEL_CHROME_VH}vh); overflow: hidden; position: relative; }}
.bs-cases-note {{ font-size: 1.35vh; color: {GOLD}; margin-bottom: 0.4vh; }}
.bs-cases-win {{ height: 100%; overflow: hidden; position: relative; }}
.bs-cases-roll {{ will-change: transform; }}
.bs-case {{ height: {CASE_VH}vh; box-sizing: border-box; padding: 0.9vh 0.5vw 0.7vh 0.5vw; overflow: hidden;
  border-bottom: 1px dashed rgba(57,197,255,0.28); }}
.bs-case-h {{ display: flex; justify-content: space-between; align-items: center; height: 2.1vh; }}
.bs-case-k {{ font-size: 1.4vh; line-height: 2vh; color: #1a1200; background: {GOLD}; padding: 0 0.4vw; border-radius: 0.3vh; font-weight: 700; }}
.bs-case-d {{ font-size: 1.45vh; color: {MUTED}; font-variant-numeric: tabular-nums; }}
.bs-case-t {{ font-size: 1.8vh; color: {TEXT}; line-height: 2.45vh; height: 4.9vh; margin-top: 0.5vh; font-weight: 600;
  overflow: hidden; display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; }}
.bs-case-w {{ font-size: 1.45vh; line-height: 1.9vh; color: {MUTED}; margin-top: 0.3vh; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }}
.bs-cases-empty, .bs-empty {{ font-size: 1.8vh; color: {MUTED}; text-align: center; padding-top: 6vh; }}

/* ---- 预警: overdue appeals by age + 滞后 targets ticker ---- */
.bs-warn {{ height: calc({PANELS_VH['warn']}vh - {PANEL_CHROME_VH}vh); overflow: hidden; display: flex; flex-direction: column; }}
.bs-ages {{ display: grid; grid-template-columns: 1.1fr repeat(4, 1fr); gap: 0.3vw; height: 4.6vh; flex: 0 0 auto; }}
.bs-age, .bs-age-t {{ box-sizing: border-box; border: 1px solid rgba(57,197,255,0.25); padding: 0.2vh 0.3vw; overflow: hidden;
  display: flex; flex-direction: column; justify-content: center; }}
.bs-age b {{ font-size: 2.0vh; line-height: 2.3vh; color: {TEXT}; font-variant-numeric: tabular-nums; }}
.bs-age span, .bs-age-t {{ font-size: 1.25vh; line-height: 1.5vh; color: {MUTED}; white-space: nowrap; }}
.bs-age-t b {{ font-size: 1.9vh; color: {BAD}; }}
.bs-age.hot b {{ color: {BAD}; }}
.bs-warn-win {{ flex: 1 1 0; min-height: 0; overflow: hidden; margin-top: 0.5vh; }}
.bs-warn-i {{ height: {WARN_ITEM_VH}vh; box-sizing: border-box; padding: 0.35vh 0.2vw; overflow: hidden;
  border-bottom: 1px dashed rgba(57,197,255,0.25); }}
.bs-warn-h {{ display: flex; align-items: center; gap: 0.4vw; height: 2vh; white-space: nowrap; overflow: hidden; }}
.bs-warn-s {{ font-size: 1.3vh; line-height: 1.8vh; font-weight: 800; padding: 0 0.35vw; border-radius: 0.3vh; color: #fff; }}
.bs-warn-s.s-红 {{ background: {BAD}; }} .bs-warn-s.s-黄 {{ background: {WARN}; color: #1a1200; }}
.bs-warn-n {{ font-size: 1.6vh; font-weight: 700; color: {TEXT}; overflow: hidden; text-overflow: ellipsis; }}
.bs-warn-l {{ font-size: 1.35vh; line-height: 1.9vh; color: {MUTED}; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.bs-warn-empty {{ font-size: 1.8vh; color: {MUTED}; text-align: center; padding-top: 3vh; }}
.bs-warn-empty.ok {{ color: {OK}; }}

/* ---- waiting / stale states ---- */
.bs-wait {{ height: 100vh; display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 3vh; }}
.bs-wait-title {{ font-size: 5vh; font-weight: 900; letter-spacing: 0.2em; color: {TEXT}; text-shadow: 0 0 2vh {ACCENT}; }}
.bs-wait-ring {{ width: 9vh; height: 9vh; border-radius: 50%; border: 0.6vh solid rgba(57,197,255,0.2);
  border-top-color: {ACCENT}; animation: bs-spin 1.2s linear infinite; box-shadow: 0 0 2vh rgba(57,197,255,0.4); }}
@keyframes bs-spin {{ to {{ transform: rotate(360deg); }} }}
.bs-wait-msg {{ font-size: 3.6vh; color: {GOLD}; letter-spacing: 0.15em; }}
.bs-wait-sub {{ font-size: 2vh; color: {MUTED}; }}
.bs-stale {{ position: fixed; right: 1vw; top: 9vh; z-index: 50; font-size: 1.8vh; color: #1a1200; background: {GOLD};
  padding: 0.4vh 0.8vw; border-radius: 0.4vh; box-shadow: 0 0 1.6vh {GOLD}; }}
</style>
"""

TOP_HTML = """
<div class="bs-top">
  <div class="bs-head">
    <div class="bs-head-l"><span class="bs-live"><i></i>实时</span><span class="bs-asof"></span></div>
    <div class="bs-head-c"><h1 class="bs-title">链长制 · 党建引领监测驾驶舱</h1></div>
    <div class="bs-head-r"><span class="bs-clock"></span></div>
  </div>
  <div class="bs-band">
    <div class="bs-scope">
      <div class="bs-scope-k"><span class="bs-mode"></span><span class="bs-badge">已暂停</span></div>
      <div class="bs-scope-n"></div>
      <div class="bs-scope-row"><span class="bs-scope-i"></span><div class="bs-prog"><i></i></div>
        <span class="bs-run"></span></div>
      <div class="bs-dots"></div>
    </div>
    <div class="bs-kpis"></div>
  </div>
</div>
"""

# The browser side: clock, count-up KPI numbers, rotation timer (sends `advance`), pause on click/space
# (sends `toggle`). Idempotent: called again with new data on every change, for the same element.
TOP_JS = r"""
const STATE = new WeakMap();
let active = null;
const pad = (n) => String(n).padStart(2, '0');
const WEEK = '日一二三四五六';
function clockText() {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} 星期${WEEK[d.getDay()]} ` +
         `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
function fmt(v, dec) {
  return v.toLocaleString('en-US', { minimumFractionDigits: dec, maximumFractionDigits: dec });
}
// Text goes into the DOM as textContent (never innerHTML): no escaping needed, none written by hand.
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}
function stepTickers() {
  // the 典型案例 lists: one card up per step; after the last card (the copy is showing) jump back unseen
  document.querySelectorAll('.bs-cases-roll').forEach((el) => {
    const n = +el.dataset.n, vh = +el.dataset.stepVh;
    let k = (+el.dataset.k || 0) + 1;
    el.style.transition = 'transform 0.8s ease-in-out';
    el.style.transform = `translateY(-${k * vh}vh)`;
    if (k >= n) {
      k = 0;
      setTimeout(() => { el.style.transition = 'none'; el.style.transform = 'translateY(0)'; }, 900);
    }
    el.dataset.k = k;
  });
}
// The rotation progress bar moves in 250 ms steps (no CSS animation: without a GPU a continuous one
// makes the browser recomposite the screen 60 times a second).
function restartProgress(s, root, paused) {
  s.done = 0;
  s.t0 = paused ? null : performance.now();
  root.classList.toggle('bs-paused', !!paused);
  drawProgress(s, root);
}
function holdProgress(s, root, paused) {
  if (paused && s.t0 != null) { s.done += performance.now() - s.t0; s.t0 = null; }
  if (!paused && s.t0 == null) s.t0 = performance.now();
  root.classList.toggle('bs-paused', !!paused);
}
function drawProgress(s, root) {
  const bar = root.querySelector('.bs-prog i');
  if (!bar || !s.interval) return;
  const ms = s.done + (s.t0 != null ? performance.now() - s.t0 : 0);
  const p = Math.min(1, ms / (s.interval * 1000));
  const v = `scaleX(${p.toFixed(3)})`;
  if (bar.style.transform !== v) bar.style.transform = v;
}
function fitNumbers(box, tiles) {
  // shrink a number that would not fit its tile (e.g. 1,100,729 at scale ×25), measured on the final text
  box.querySelectorAll('.bs-kpi').forEach((c, i) => {
    const n = c.querySelector('.bs-kpi-n'), v = c.querySelector('.bs-kpi-v');
    n.style.fontSize = '';
    n.textContent = tiles[i].text;
    const room = v.clientWidth, need = v.scrollWidth;
    if (need > room && room > 0) {
      const base = parseFloat(getComputedStyle(n).fontSize);
      n.style.fontSize = Math.floor(base * room / need * 0.97) + 'px';
    }
  });
}
function countUp(s, box, tiles) {
  if (s.raf) cancelAnimationFrame(s.raf);
  fitNumbers(box, tiles);
  const els = Array.from(box.querySelectorAll('.bs-kpi-n'));
  const from = tiles.map((t) => (s.prev[t.key] ?? 0));
  const t0 = performance.now(), dur = 1400;
  const step = (now) => {
    const p = Math.min(1, (now - t0) / dur), e = 1 - Math.pow(1 - p, 3);
    tiles.forEach((t, i) => {
      if (!els[i]) return;
      els[i].textContent = (p >= 1 || t.text === '—') ? t.text : fmt(from[i] + (t.value - from[i]) * e, t.dec);
    });
    s.raf = p < 1 ? requestAnimationFrame(step) : null;
    if (p >= 1) { box.dataset.settled = '1'; }
  };
  box.dataset.settled = '0';
  s.raf = requestAnimationFrame(step);
  tiles.forEach((t) => { s.prev[t.key] = t.value; });
}
function renderKpis(s, box, tiles) {
  const sig = tiles.map((t) => t.key).join(',');
  if (box.dataset.sig !== sig) {
    box.replaceChildren(...tiles.map((t) => {
      const card = el('div', 'bs-kpi');
      card.dataset.kpi = t.key;
      const v = el('div', 'bs-kpi-v');
      v.append(el('span', 'bs-kpi-n'), el('span', 'bs-kpi-u'));
      card.append(el('div', 'bs-kpi-l', t.label), v, el('div', 'bs-kpi-d'), el('div', 'bs-kpi-s'));
      return card;
    }));
    box.dataset.sig = sig;
  }
  const cards = box.querySelectorAll('.bs-kpi');
  tiles.forEach((t, i) => {
    const c = cards[i];
    c.dataset.value = t.text;
    c.querySelector('.bs-kpi-l').textContent = t.label;
    c.querySelector('.bs-kpi-u').textContent = t.unit;
    const d = c.querySelector('.bs-kpi-d');
    if (t.delta) d.replaceChildren('环比 ', el('span', t.delta.cls, `${t.delta.arrow} ${t.delta.text}`));
    else d.replaceChildren('环比 —');
    const st = c.querySelector('.bs-kpi-s');
    if (t.status) st.replaceChildren(el('b', t.status.cls, `● ${t.status.word}`), ` ${t.status.text}`);
    else st.replaceChildren('\u00a0');
  });
  countUp(s, box, tiles);
}
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const root = parentElement.querySelector('.bs-top');
  if (!root || !data) return;
  let s = STATE.get(parentElement);
  if (!s) {
    s = { clock: null, timer: null, key: null, paused: null, prev: {}, raf: null, send: null, sig: null };
    STATE.set(parentElement, s);
    const tick = () => { const el = root.querySelector('.bs-clock'); if (el) el.textContent = clockText(); };
    tick();
    s.clock = setInterval(tick, 1000);
    s.onKey = (e) => {
      if (e.code === 'Space' || e.key === ' ') { e.preventDefault(); active && active.toggle(); }
    };
    s.onClick = () => { active && active.toggle(); };
    document.addEventListener('keydown', s.onKey);
    document.addEventListener('click', s.onClick);
    s.ticker = setInterval(stepTickers, data.case_step_s * 1000);
    s.prog = setInterval(() => drawProgress(s, root), 250);
  }
  s.send = setTriggerValue;
  const schedule = () => {
    clearTimeout(s.timer);
    s.timer = null;
    if (s.paused) return;
    const fire = () => {
      s.send && s.send('advance', s.key);
      // if the server did not move on (connection hiccup), ask again later
      s.timer = setTimeout(fire, Math.max(3, data.interval / 2) * 1000);
    };
    s.timer = setTimeout(fire, data.interval * 1000);
  };
  active = {
    toggle: () => {
      s.paused = !s.paused;                    // show it at once; the server confirms
      holdProgress(s, root, s.paused);
      if (s.paused) { clearTimeout(s.timer); s.timer = null; }
      s.send && s.send('toggle', Date.now());
    },
  };

  root.querySelector('.bs-asof').replaceChildren('数据截至 ', el('b', '', data.as_of),
                                                 ` · ${data.quarter} · ${data.source}`);
  root.querySelector('.bs-mode').textContent = `当前范围 · ${data.mode}`;
  const nameEl = root.querySelector('.bs-scope-n');
  nameEl.textContent = data.scope;
  nameEl.classList.toggle('long', data.scope.length > 8);
  root.querySelector('.bs-scope-i').textContent = `${data.idx + 1} / ${data.n}`;
  root.querySelector('.bs-run').textContent = `每 ${data.interval} 秒`;
  const dots = root.querySelector('.bs-dots');
  if (dots.children.length !== data.n) dots.innerHTML = '<i></i>'.repeat(data.n);
  Array.from(dots.children).forEach((d, i) => {
    d.className = i === data.idx ? 'on' : (i < data.idx ? 'done' : '');
  });
  const sig = JSON.stringify(data.tiles);
  if (sig !== s.sig) { s.sig = sig; renderKpis(s, root.querySelector('.bs-kpis'), data.tiles); }
  if (data.item_key !== s.key) {               // a new item (or resumed): full interval again
    s.key = data.item_key;
    s.paused = !!data.paused;
    s.serverPaused = data.paused;
    s.interval = data.interval;
    restartProgress(s, root, s.paused);
    schedule();
  } else if (data.paused !== s.serverPaused) {  // paused on the server: hold the bar where it is
    s.paused = !!data.paused;
    s.serverPaused = data.paused;
    holdProgress(s, root, s.paused);
    schedule();
  }
  root.dataset.item = data.item_key;
  return () => {
    clearInterval(s.clock);
    clearInterval(s.ticker);
    clearInterval(s.prog);
    clearTimeout(s.timer);
    if (s.raf) cancelAnimationFrame(s.raf);
    document.removeEventListener('keydown', s.onKey);
    document.removeEventListener('click', s.onClick);
    STATE.delete(parentElement);
    active = null;
  };
}
"""


def top_data(frame: dict, rot: Rotation, cfg: Config) -> dict:
    """What the header/KPI component needs (no chart options)."""
    keys = ("as_of", "quarter", "source", "scope", "scope_kind", "idx", "n", "mode", "tiles")
    d = {k: frame[k] for k in keys}
    d.update(item_key=rot.key, paused=rot.paused, interval=cfg.interval, case_step_s=CASE_STEP_S)
    return d


RANK_LEGEND_HTML = safe.html("<b style='color:{}'>●</b> 有滞后目标 <b style='color:{}'>●</b> 需关注", BAD, WARN)
