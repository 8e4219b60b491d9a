"""需关注事项 on the pages: the 督办 list (滞后 then 关注, each with who answers for it and a link to its
scope's page), the overdue appeals by age with the oldest named, and a scope's status banner.

Everything comes from `dashboard.targets` (one mart, one set of words). Warehouse text reaches HTML only
through dashboard.safe (escaped), and a widget label only as safe.label.
"""
from __future__ import annotations

import polars as pl
import streamlit as st

from . import drill, filters as flt, lazy, safe, targets
from .db import run_query
from .kpis import STATUS_WORD, TARGET_RULE
from .paths import ROOT

CSS_FILE = ROOT / "static" / "css" / "alerts.css"
ROW_PX = 64                # height of one 督办 row in the scrolling box


def css() -> None:
    st.html(CSS_FILE)


def _badge(status: str) -> safe.Markup:
    return safe.html("<span class='al-badge s-{}'>{}</span>", status, STATUS_WORD[status])


def counts_html(c: dict[str, int], total: int, cls: str = "al-n") -> safe.Markup:
    return safe.html("<span class='{cls} al-red'>● 滞后 {} 项</span>"
                     "<span class='{cls} al-yellow'>● 关注 {} 项</span>"
                     "<span class='{cls} al-green'>● 正常 {} 项</span>"
                     "<span class='{cls} al-muted'>共 {} 项年度目标</span>", c['红'], c['黄'], c['绿'], total, cls=cls)


def _row(r: dict, key: str, link: bool, with_scope: bool = True) -> None:
    with st.container(key=f"alrow_{key}"):
        if with_scope:
            c1, c2, c3 = st.columns([0.55, 1.5, 4.6], gap="small", vertical_alignment="top")
        else:
            c1, c3 = st.columns([0.55, 6.1], gap="small", vertical_alignment="top")
            c2 = None
        c1.html(_badge(r["status"]))
        if c2 is not None and link and r["scope_type"] != "district":
            page, params = targets.page_link(r)
            c2.button(safe.label(r["scope_name"]), key=f"algo_{key}", type="tertiary", on_click=drill.request,
                      args=(page,), kwargs=params, help=f"打开该{targets.SCOPE_WORD[r['scope_type']]}的页面")
        elif c2 is not None:
            c2.html(safe.html("<div class='al-row'><b>{}</b></div>", r['scope_name']))
        c3.html(safe.html("<div class='al-row'><span class='al-metric'>{}</span> {}({})· 年度目标 {}"
                          "<br><span class='al-sub'>{} · 责任:{}</span></div>",
                          r['label'], targets.versus_text(r), targets.gap_text(r), targets.value(r, 'target_value'),
                          targets.forecast_text(r), r['responsible']))


def attention_panel(f: flt.Filters, *, key: str = "al", height: int = 440, title: str = "需关注事项",
                    link: bool = True, df: pl.DataFrame | None = None) -> pl.DataFrame:
    """The scope's 滞后 and 关注 targets (district: every district, chain and park target), red first.
    `df`: the items to show (default: those of the filtered scope). Returns all items (green included)."""
    df = targets.items(f.quarter_end, f.chain_id, f.park_id) if df is None else df
    c = targets.counts(df)
    st.html(safe.html("<div class='al-head' id='attention'><span class='al-title'>{}</span>{}</div>",
                      title, counts_html(c, df.height)))
    if df.is_empty():
        st.info("本范围(产业链 × 园区交叉)不设年度目标:年度目标按全区、各产业链、各园区分别设定。",
                icon=":material/info:")
        return df
    al = targets.alerts(df)
    if al.is_empty():
        st.success(f"{f.quarter} 全部 {df.height} 项年度目标进度正常。")
        return df
    one_scope = df["scope_id"].n_unique() == 1 and not link
    box = min(height, ROW_PX * al.height + 26)
    # Before the browser has drawn a page of this session, only the rows that fit the box (the rest
    # follow right after the first paint: dashboard/lazy.py).
    shown = al if lazy.painted() else al.head(box // ROW_PX + 1)
    with st.container(height=box, border=True, key=f"{key}_list"):
        for i, r in enumerate(shown.iter_rows(named=True)):
            _row(r, f"{key}_{i}", link, with_scope=not one_scope)
        if shown.height < al.height:
            st.caption(f"其余 {al.height - shown.height} 项加载中…")
            lazy.report_when_painted()
    st.caption("判断规则(时间过半、任务过半):流量指标应达 = 年度目标 × 时间进度;存量与比率指标应达 = 年初基数 + "
               "(目标 − 基数)× 时间进度。达到应达为正常,差距在全年计划量 10% 以内为关注,其余为滞后。",
               help=TARGET_RULE)
    return df


def overdue_ages(f: flt.Filters, *, key: str = "age") -> pl.DataFrame:
    """Overdue appeals by how long overdue (≤30 / 31–90 / 91–180 / >180 days) and the oldest one."""
    p = dict(quarter_end=f.quarter_end, chain_id=f.chain_key, park_id=f.park_key)
    ages = run_query("appeals/overdue_age", **p)
    total = int(ages["n_overdue"].sum())
    st.html(safe.html("<div class='al-head'><span class='al-title'>超期未办结诉求</span>"
                      "<span class='al-n {}'>{} 件</span><span class='al-n al-muted'>按超期时长</span></div>",
                      'al-red' if total else 'al-green', total))
    boxes = safe.join("", (
        safe.html("<div class='al-age{}'><b>{:,}</b><span>超期 {}</span></div>",
                  ' hot' if r['overdue_bucket'] >= 3 and r['n_overdue'] else '', r['n_overdue'],
                  r['overdue_bucket_label'])
        for r in ages.iter_rows(named=True)))
    st.html(safe.html("<div class='al-ages'>{}</div>", boxes))
    if total:
        o = run_query("appeals/overdue", **p).row(0, named=True)
        st.html(safe.html("<div class='al-oldest'>超期最久:<b>{}</b> 的{}诉求,承办单位 {},{:%Y-%m-%d} 收到、"
                          "办理期限 {:%Y-%m-%d},已超期 <b class='al-red'>{:,} 天</b>"
                          "(来源:{} · 产业链:{} · 园区:{})。</div>",
                          o['name'], o['category'], o['handler_unit_name'], o['received_on'], o['due_on'],
                          o['days_overdue'], o['source'], o['chain_name'], o['park_name']))
    else:
        st.success("无超期未办结诉求。")
    st.caption("超期 = 截至季末未办结且办理期限早于季末;按诉求登记的产业链、园区统计。")
    return ages


def status_banner(df: pl.DataFrame, scope_label: str) -> None:
    """One line under a scope's title: '滞后 3 项、关注 2 项' in the colour of the worst status."""
    if df.is_empty():
        return
    c = targets.counts(df)
    worst = "红" if c["红"] else ("黄" if c["黄"] else "绿")
    lead = {"红": "年度目标滞后", "黄": "年度目标需关注", "绿": "年度目标进度正常"}[worst]
    items = targets.alerts(df)
    names = "、".join(f"{r['label']}({STATUS_WORD[r['status']]})" for r in items.iter_rows(named=True))
    cls = {"红": "al-red", "黄": "al-yellow", "绿": "al-green"}[worst]
    st.html(safe.html("<div class='al-banner s-{}' id='status-banner'><b class='{}'>● {} · {}</b>:{}{}</div>",
                      worst, cls, scope_label, lead, counts_html(c, df.height),
                      safe.html("<br>{}", names) if names else ""))


def metric_targets(f: flt.Filters, metrics: list[str], *, key: str) -> pl.DataFrame:
    """A topic page's own targets (e.g. 年内共建活动 on 红联共建): this scope's status of each metric, then
    every 滞后/关注 item of these metrics in scope (district: the chains' and parks' too), with links."""
    df = targets.items(f.quarter_end, f.chain_id, f.park_id).filter(pl.col("metric").is_in(metrics))
    if df.is_empty():
        return df
    here = df.filter((pl.col("chain_id") == f.chain_key) & (pl.col("park_id") == f.park_key))
    with st.container(border=True, key=f"{key}_box"):
        lines = []
        for r in here.iter_rows(named=True):
            lines.append(safe.html("{} <b>{}</b>({}):{}({}),年度目标 {},{}", _badge(r['status']), r['label'],
                                   f.scope_label, targets.versus_text(r), targets.gap_text(r),
                                   targets.value(r, 'target_value'), targets.forecast_text(r)))
        others = df.filter(~((pl.col("chain_id") == f.chain_key) & (pl.col("park_id") == f.park_key)))
        c = targets.counts(others)
        if others.height:
            lines.append(safe.html("<span class='al-muted'>各产业链、各园区的同类目标 {} 项:</span>{}",
                                   others.height, counts_html(c, others.height, "al-n al-small")))
        st.html(safe.html("<div class='al-head'><span class='al-title'>本专题年度目标</span></div>{}",
                          safe.join("", (safe.html("<div class='al-row'>{}</div>", x) for x in lines))))
        al = targets.alerts(others)
        if al.height:
            with st.expander(f"各产业链、各园区中滞后 / 需关注的 {al.height} 项", icon=":material/flag:"):
                for i, r in enumerate(al.iter_rows(named=True)):
                    _row(r, f"{key}_{i}", True)
    return df
