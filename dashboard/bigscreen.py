"""大屏 (large-screen cockpit): URL options, rotation state, frame assembly, and its HTML/CSS/JS.

The page (views/bigscreen.py) is thin: it reads `Config` from the URL, keeps one `Rotation` in session
state, asks `assemble()` for the frame of the current item (all numbers and chart options, from named
queries only) and draws it. Rotation is driven by a timer in the browser (the `bigscreen_top` component
sends `advance` after `interval` seconds, or `toggle` on a click / the space bar); a fragment tick re-reads
the data so a newly published warehouse shows up without a page reload.
"""
from __future__ import annotations

import datetime as dt
import math
import time
from dataclasses import dataclass

import polars as pl

from . import kpis, safe, targets, theme
from .charts import geo, screen
from .db import run_query
from .paths import ROOT

MODES = {"chain": "产业链轮播", "park": "园区轮播"}
DEFAULT_INTERVAL = 20
MIN_INTERVAL, MAX_INTERVAL = 3, 3600
MAX_TICK = 30                       # data re-read at least this often (seconds), paused or not
TILE_KEYS = ["n_enterprises", "n_xjr", "n_lgsx", "org_coverage_rate", "work_coverage_rate",
             "n_secretaries", "n_problems_solved"]
MAP_METRIC = "org_coverage_rate"
PHONE_MAX_PX = 768                  # a viewport narrower than this is a phone: /bigscreen sends it to the phone view
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
def map_geojson() -> dict:
    """The district map as every surface draws it (`charts.geo`), registered as `geo.MAP_NAME`."""
    return geo.district_geojson()


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
    return {"date": d.strftime("%Y-%m-%d") if d else "", "kind": r["kind"], "title": r["title"],
            "who": f"第一书记 {r['secretary_name']}", "where": r["enterprise_name"]}


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
        "rank": screen.ranking(rank_df, "n_enterprises", rank_cur),
        "trend_title": "近 12 个季度趋势",      # the scope is named in the band above and in the map title
        "trend": screen.trend(tr),
        "map": screen.district_map(parks_df, MAP_METRIC, item.id if item.kind == "park" else None,
                                   statuses=geo.statuses_for(targets.items(q_end), MAP_METRIC) if chain == "*" else None,
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


CASE_VH = 10.8                       # one ticker card (2 fit in the panel)
CASE_STEP_S = 6                      # the ticker moves up one card every CASE_STEP_S seconds (JS in TOP_JS)


def cases_html(cases: list[dict], note: str = "") -> safe.Markup:
    """The 典型案例 ticker: fixed-height cards, the list twice; the browser moves it up one card at a time
    (a short transition, not a continuous scroll: the screen repaints only while a card slides)."""
    if not cases:
        return safe.html("<div class='bs-cases'><div class='bs-cases-empty'>暂无典型案例</div></div>")
    cards = safe.join("", (
        safe.html("<div class='bs-case'><div class='bs-case-h'><span class='bs-case-k'>{}</span>"
                  "<span class='bs-case-p'>{}</span><span class='bs-case-d'>{}</span></div>"
                  "<div class='bs-case-t'>{}</div><div class='bs-case-w'>{}</div></div>",
                  c['kind'], c['who'], c['date'], c['title'], c['where'])
        for c in cases))
    n = len(cases)
    body = (safe.html("<div class='bs-cases-roll' data-n='{}' data-step-vh='{}'>{}{}</div>", n, CASE_VH, cards, cards)
            if n > 2 else safe.html("<div class='bs-cases-still'>{}</div>", cards))
    nt = safe.html("<div class='bs-cases-note'>{}</div>", note) if note else ""
    return safe.html("<div class='bs-cases'>{}<div class='bs-cases-win'>{}</div></div>", nt, body)


WARN_ITEM_VH = 5.8                   # one 预警 ticker line (3 fit under the age row)


def warn_title_extra(warn: dict) -> safe.Markup:
    c = warn["counts"]
    return safe.html("年度目标 <b class='bs-c-bad'>滞后 {}</b> · <b class='bs-c-warn'>关注 {}</b> / {} 项",
                     c['红'], c['黄'], warn['n_targets'])


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


OK, WARN, BAD = screen.STATUS["绿"], screen.STATUS["黄"], screen.STATUS["红"]
ASSETS = ROOT / "static" / "bigscreen"
FLOOR_VH = 1.7                       # the smallest text: 18.4 px at 1080p, 36.7 px at 4K (floor 18 / 36 px)


def _asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def css_vars() -> dict[str, str]:
    """The values the style sheet takes from Python: theme colours and the layout's heights."""
    v = {"bg": theme.SCREEN_BG, "panel": theme.SCREEN_PANEL, "border": theme.SCREEN_BORDER,
         "text": theme.SCREEN_TEXT, "muted": theme.SCREEN_MUTED, "accent": theme.SCREEN_ACCENT, "gold": theme.GOLD,
         "ok": OK, "warn": WARN, "bad": BAD, "font": theme.FONT_STACK, "floor": f"{FLOOR_VH}vh",
         "top-h": f"{TOP_VH}vh", "body-h": f"{BODY_VH}vh", "gap": f"{GAP_VH}vh", "chrome": f"{PANEL_CHROME_VH}vh",
         "case-h": f"{CASE_VH}vh", "warn-item-h": f"{WARN_ITEM_VH}vh"}
    v.update({f"h-{k}": f"{h}vh" for k, h in PANELS_VH.items()})
    return v


def _css() -> str:
    """static/bigscreen/bigscreen.css with its variables, as one <style> block."""
    root = "; ".join(f"--bs-{k}: {val}" for k, val in css_vars().items())
    return f"<style>\n:root {{ {root}; }}\n{_asset('bigscreen.css')}\n</style>"


# The page's assets, read once at import from static/bigscreen/ (code, never data; nothing fetched from outside)
CSS = _css()
TOP_HTML = _asset("top.html")
TOP_JS = _asset("top.js")
PHONE_JS = _asset("phone.js")


def top_data(frame: dict, rot: Rotation, cfg: Config) -> dict:
    """What the header/KPI component needs (no chart options)."""
    keys = ("as_of", "quarter", "source", "scope", "scope_kind", "idx", "n", "mode", "tiles")
    d = {k: frame[k] for k in keys}
    d.update(item_key=rot.key, paused=rot.paused, interval=cfg.interval, case_step_s=CASE_STEP_S)
    return d


RANK_LEGEND_HTML = safe.html("<b class='bs-c-bad'>●</b> 滞后 <b class='bs-c-warn'>●</b> 关注")
