"""Shared page chrome: data stamp, title with breadcrumbs, KPI cards, empty states."""
from __future__ import annotations

import streamlit as st

from . import filters as flt
from . import labels as L
from . import safe, targets
from .db import WarehouseError, run_query
from .kpis import BY_KEY, STATUS_TEXT, TARGET_RULE, Headline, fmt_delta, fmt_value
from .paths import ROOT

CSS = """
<style>
/* KPI cards: compact, legible on large displays */
[data-testid="stMetricValue"] { font-variant-numeric: tabular-nums; }
div.kpi-foot { font-size: 0.82rem; opacity: 0.85; margin-top: -0.35rem; line-height: 1.5; }
b.s-绿 { color: #22a06b; } b.s-黄 { color: #d69e2e; } b.s-红 { color: #e8473c; } b.s-none { color: #4da3ff; }
div.stamp { font-size: 0.85rem; opacity: 0.8; text-align: right; }
span.crumbs, span.crumb-sep { font-size: 0.9rem; opacity: 0.85; }
.st-key-crumbs { margin-bottom: -1.2rem; }
.st-key-crumbs button { padding: 0; min-height: 0; font-size: 0.9rem; }
.st-key-crumbs button p { text-decoration: underline dotted; text-underline-offset: 3px; }
/* safe.label(): a warehouse value in a widget label is a Markdown code span, drawn as ordinary text */
button code, [data-testid="stExpander"] summary code, [data-testid="stTab"] code {
  background: none !important; color: inherit !important; font: inherit !important; padding: 0 !important; }
</style>
"""


RESPONSIVE_CSS = ROOT / "static" / "css" / "responsive.css"
LEGIBLE_CSS = ROOT / "static" / "css" / "legible.css"


def meta() -> dict[str, str]:
    return {r["key"]: r["value"] for r in run_query("shared/meta").iter_rows(named=True)}


def stamp_text() -> str:
    m = meta()
    src = m.get("source", "")
    kind = "演示数据" if src == "demo" else ("导入数据" if src.startswith("import") else src)
    return f"数据截至 {m.get('as_of', '—')} · {kind}"


def page(title: str, crumbs: list[str] | None = None) -> flt.Filters:
    """Standard page top: filters, breadcrumbs (全区 › 链/园 › …), title and the data stamp."""
    st.markdown(CSS, unsafe_allow_html=True)
    st.html(RESPONSIVE_CSS)              # phones: stacked layout, 44 px tap targets
    st.html(LEGIBLE_CSS)                 # both themes ≥ 4.5:1
    try:
        f = flt.current()
    except WarehouseError as e:          # missing or unreadable warehouse: one Chinese sentence
        st.error(str(e), icon=":material/database:")
        st.stop()
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    with left:
        breadcrumbs(f, crumbs or [])
        st.title(title)
    with right:
        st.html(safe.html("<div class='stamp'>{}<br>{} · {}</div>", stamp_text(), f.quarter, f.scope_label))
    return f


def breadcrumbs(f: flt.Filters, tail: list[str]) -> None:
    """全区 › 链 › 园 › …: every level above the current one is a link back, with the quarter kept."""
    from . import drill
    levels = [("全区", "overview", {"chain": "", "park": ""})]
    if f.chain_id:
        levels.append((f.chain_name, "chain", {"chain": f.chain_id, "park": ""}))
    if f.park_id:
        levels.append((f.park_name, "park", {"chain": f.chain_id or "", "park": f.park_id}))
    last = None if tail else levels.pop()[0]      # the deepest filter level is where we are
    with st.container(horizontal=True, gap="small", vertical_alignment="center", key="crumbs"):
        for i, (label, target, params) in enumerate(levels):
            st.button(safe.label(label), key=f"crumb_{i}", type="tertiary", on_click=drill.request,
                      args=(target,), kwargs=params, help="返回上一级" if i else "返回全区")
            st.html("<span class='crumb-sep'>›</span>", width="content")
        here = " › ".join(([last] if last else []) + tail)
        st.html(safe.html("<span class='crumbs'>{}</span>", here), width="content")


def crumb_trail(at) -> str:
    """The breadcrumb trail as text, from an AppTest run (for tests)."""
    import html
    links = [b.label.strip("`").strip() if b.label.startswith("`") else b.label
             for b in at.button if (b.key or "").startswith("crumb_")]
    here = [h.proto.body for h in at.get("html") if "class='crumbs'" in h.proto.body]
    text = html.unescape(here[0].split(">", 1)[1].rsplit("<", 1)[0]) if here else ""
    return " › ".join(links + ([text] if text else []))


NO_PREV = "上季无数据(首个季度),无环比"
TONE_COLOR = {"good": "green", "bad": "red", "flat": "gray", None: "gray"}


def card_delta(h: Headline, chart_data: list | None) -> tuple[list | None, str, str, str]:
    """(sparkline data, 环比 text, colour, arrow) of a KPI card: coloured by what is good for this KPI
    (kpis.change_tone: green when better, red when worse) and only for a real change (grey below the
    threshold); a quarter without a previous one says so and draws no one-point sparkline."""
    from .kpis import change_tone
    k = h.kpi
    points = [v for v in (chart_data or []) if v is not None]   # rates are undefined on an empty base
    spark = points if len(points) >= 2 else None
    if h.prev is None or h.value is None:
        return spark, NO_PREV if h.prev is None else "本季无数据", "gray", "off"
    tone = change_tone(k, h.value, h.prev)
    text = fmt_delta(k, h.value, h.prev)
    return spark, text, TONE_COLOR[tone], "off" if h.value == h.prev else "auto"


def kpi_card(h: Headline, chart_data: list | None = None) -> None:
    k = h.kpi
    help_text = f"**口径**:{k.definition}\n\n来源表:{L.tables_text(k.tables)}"
    if h.target:
        t = h.target
        help_text += (f"\n\n**年度目标**:{fmt_value(k, t['target_value'])};年初基数 {fmt_value(k, t['base'])},"
                      f"本季应达 {targets.value(t, 'expected')};{targets.forecast_text(t)}。"
                      f"\n\n**判断规则**:{TARGET_RULE}")
    chart_data, delta, delta_color, arrow = card_delta(h, chart_data)
    with st.container(border=True):
        st.metric(k.label, h.text, delta=delta, delta_description="环比" if h.prev is not None else None,
                  delta_color=delta_color, delta_arrow=arrow, help=help_text,
                  chart_data=chart_data, chart_type="line" if k.is_rate else "bar")
        foot = []
        yoy = fmt_delta(k, h.value, h.yoy)
        foot.append(f"同比 {yoy}" if yoy else "同比:上年同季无数据")
        if h.target:
            t = h.target
            foot.append(safe.html("年度目标 {} · 应达 {} <b class='s-{}'>{}</b>", fmt_value(k, t['target_value']),
                                  targets.value(t, 'expected'), t['status'], STATUS_TEXT[t['status']]))
        st.html(safe.html("<div class='kpi-foot'>{}</div>", safe.join("<br>", foot)))


def kpi_grid(items: list[Headline], trend_rows: dict[str, list] | None = None, per_row: int = 5) -> None:
    for start in range(0, len(items), per_row):
        cols = st.columns(per_row)
        for col, h in zip(cols, items[start:start + per_row]):
            with col:
                kpi_card(h, (trend_rows or {}).get(h.kpi.key))


def scope_kpis(f: flt.Filters, keys: list[str] | None = None, per_row: int = 5,
               heads: list[Headline] | None = None):
    """KPI cards of the filtered scope (values, 环比/同比, targets, 12-quarter sparklines); default: the
    headline KPIs plus the year-to-date ones that carry a target (kpis.OVERVIEW_KPIS).

    Returns (headlines, trend DataFrame) for pages that also chart the trend or reuse values.
    """
    from . import kpis
    keys = keys or [k.key for k in kpis.OVERVIEW_KPIS]
    heads = heads or kpis.headline(f.quarter_end, f.chain_id, f.park_id, keys=keys)
    tr = kpis.trend(f.quarter_end, f.chain_id, f.park_id)
    kpi_grid(heads, {h.kpi.key: tr[h.kpi.key].to_list() for h in heads}, per_row=per_row)
    return heads, tr


def empty(msg: str = "无数据") -> None:
    st.info(f"{msg}:当前筛选范围内没有记录。可调整季度、产业链或园区筛选。", icon=":material/info:")


UPLOADER_CSS = ROOT / "static" / "css" / "uploader.css"


def file_uploader(label: str, types: list[str], **kw):
    """st.file_uploader in Chinese: the dropzone says 拖放文件到此处 with the real size limit
    (server.maxUploadSize, dashboard.dataio.limits) and the accepted types, and its button 选择文件."""
    from .dataio.limits import max_upload_mb
    hint = f"拖放文件到此处,或点击“选择文件”· 单个文件不超过 {max_upload_mb()} MB · 支持 " + \
        "、".join(t.upper() for t in types)
    st.html(UPLOADER_CSS)
    st.html(safe.html("<style>:root{{--lz-upload-hint:{};}}</style>", safe.script(hint)))
    return st.file_uploader(label, type=types, **kw)


def download_buttons(df, filename: str, key: str, sheet: str = "数据", *, formats: dict | None = None,
                     column_config: dict | None = None) -> None:
    """Excel and CSV downloads of exactly the rows shown (files are generated only on click), formula-safe,
    numbers formatted as shown: pass the table's `column_config` (percent/decimal formats are read from it)
    or `formats={"列": "percent" | "int" | "0.0"}`; rates named …率 are percentages anyway (dashboard.export)."""
    from .auth.web import deferred, exporter
    from .export import to_csv, to_xlsx
    by = exporter()
    c1, c2, _ = st.columns([1, 1, 4])
    c1.download_button("下载 Excel", deferred(lambda: to_xlsx(df, sheet, formats, column_config, exporter=by),
                                             file=f"{filename}.xlsx", rows=df.height),
                       file_name=f"{filename}.xlsx", key=f"{key}_xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:", on_click="ignore")
    c2.download_button("下载 CSV", deferred(lambda: to_csv(df, formats, column_config), file=f"{filename}.csv",
                                           rows=df.height),
                       file_name=f"{filename}.csv", key=f"{key}_csv",
                       mime="text/csv", icon=":material/download:", on_click="ignore")


def enterprise_table(df, key: str, filename: str, columns: dict[str, str], *, height: int = 420,
                     column_config: dict | None = None, search_cols: tuple[str, ...] = ("name", "uscc"),
                     total: int | None = None, noun: str = "家") -> None:
    """A searchable, sortable enterprise list; clicking a row opens 企业档案; Excel/CSV downloads.

    `df` must hold `enterprise_id`; `columns` maps source column → Chinese header (in display order).
    `total`: the full row count when `df` holds only the first rows of a longer list (said in the caption);
    `noun`: what a row counts (家 / 人 / 条).
    """
    import polars as pl

    from . import drill
    q = st.text_input("搜索企业名称或统一社会信用代码", key=f"{key}_search", placeholder="输入关键字筛选…",
                      label_visibility="collapsed")
    view = df
    if q:
        cond = pl.lit(False)
        for c in search_cols:
            if c in df.columns:
                cond = cond | pl.col(c).cast(pl.Utf8).str.contains(q, literal=True)
        view = df.filter(cond)
    shown = view.select([pl.col(c).alias(h) for c, h in columns.items()])
    shown = shown.with_columns(pl.col(pl.Utf8).fill_null(""))  # "None" means nothing to a reader
    if total is not None and total > df.height:
        st.caption(f"共 {total:,} {noun},表格显示排序最前的 {df.height:,} {noun}"
                   + (f",其中符合搜索的 {view.height:,} {noun}" if q else "") + "(点击表头排序;点击某行查看企业档案)")
    else:
        st.caption(f"共 {view.height:,} {noun}(点击表头排序;点击某行查看企业档案)")
    if view.is_empty():
        empty()
        return
    ids = view["enterprise_id"].to_list()

    def _open():
        rows = st.session_state.get(key, {}).get("selection", {}).get("rows", [])
        if rows and rows[0] < len(ids):
            drill.request("enterprise", enterprise=ids[rows[0]])

    cfg = {h: st.column_config.DateColumn(h, format="YYYY-MM-DD")
           for h, dtype in shown.schema.items() if dtype in (pl.Date, pl.Datetime)}
    cfg.update(column_config or {})
    st.dataframe(shown, hide_index=True, height=height, key=key, on_select=_open,
                 selection_mode="single-row", column_config=cfg)
    download_buttons(shown, filename, key, column_config=cfg)


def total_row(quarter_end: str, chain_key: str = "*", park_key: str = "*") -> dict | None:
    """The KPI row of a total (the district, a chain over all parks, a park over all chains) if the
    session's grant may see it, else None: a chain or park role is not shown district totals."""
    from . import scope
    if not scope.current_grant().allows(chain_key, park_key):
        return None
    return run_query("shared/kpi_trend", quarter_end=quarter_end, chain_id=chain_key, park_id=park_key).row(-1, named=True)


def reconcile_text(df, metric: str, total_row: dict | None, *, who: str = "产业链", remainder: str = "未归链") -> str:
    """How a per-chain (per-park) breakdown adds up to the total (`total_row`, from `total_row()`), from
    the breakdown's own remainder row (is_remainder): '各产业链合计 42 件 + 未归链 5 件 = 全区 47 件', or,
    when an enterprise sits on several chains, '各产业链按链累计 … + 未归链 …;全区(去重)…'. Empty when
    the total is not the session's to see."""
    import polars as pl
    if total_row is None:
        return ""
    total = total_row.get(metric)
    k = BY_KEY[metric]
    rem = df.filter(pl.col("is_remainder"))
    r = rem[metric][0] if rem.height else None
    if k.is_rate or k.unit == "天":
        return f"{remainder}:{k.label} {fmt_value(k, r)};全区 {fmt_value(k, total)}。"
    parts = df.filter(~pl.col("is_remainder"))[metric].fill_null(0).sum()
    r = r or 0
    if total is not None and parts + r == total:
        return (f"对账:各{who}合计 {fmt_value(k, parts)} + {remainder} {fmt_value(k, r)} = 全区 {fmt_value(k, total)}。")
    return (f"对账:各{who}按{who}累计 {fmt_value(k, parts)}(一家企业可属多条链,重复计入)+ {remainder} {fmt_value(k, r)};"
            f"全区去重 {fmt_value(k, total)}。")


class granted:
    """`with ui.granted():` around a panel that compares scopes (all chains, all parks, the district):
    for a session whose grant does not cover it the panel is left out with a short note instead of
    failing the page (the query loader refused it; nothing was read)."""

    def __init__(self, what: str = "该板块"):
        self.what = what

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        from .scope import ScopeDenied
        if exc_type is not None and issubclass(exc_type, ScopeDenied):
            st.caption(f":material/lock: {self.what}涉及授权范围以外的产业链、园区或全区数据,不对当前账号显示。")
            return True
        return False
