"""需关注事项 on the pages: the 督办 list (滞后 then 关注, each with who answers for it and a link to its
scope's page), the overdue appeals by age with the oldest named, and a scope's status banner.

Everything comes from `dashboard.targets` (one mart, one set of words). Warehouse text is escaped with
html.escape before it becomes HTML.
"""
from __future__ import annotations

import html

import polars as pl
import streamlit as st

from . import drill, filters as flt, targets
from .db import run_query
from .kpis import STATUS_WORD, TARGET_RULE
from .paths import ROOT

CSS_FILE = ROOT / "static" / "css" / "alerts.css"
e = html.escape


def css() -> None:
    st.html(CSS_FILE)


def _badge(status: str) -> str:
    return f"<span class='al-badge s-{e(status)}'>{STATUS_WORD[status]}</span>"


def counts_html(c: dict[str, int], total: int) -> str:
    return (f"<span class='al-n al-red'>● 滞后 {c['红']} 项</span>"
            f"<span class='al-n al-yellow'>● 关注 {c['黄']} 项</span>"
            f"<span class='al-n al-green'>● 正常 {c['绿']} 项</span>"
            f"<span class='al-n al-muted'>共 {total} 项年度目标</span>")


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
            c2.button(r["scope_name"], key=f"algo_{key}", type="tertiary", on_click=drill.request,
                      args=(page,), kwargs=params,
                      help=f"打开{targets.SCOPE_WORD[r['scope_type']]}“{r['scope_name']}”页面")
        elif c2 is not None:
            c2.html(f"<div class='al-row'><b>{e(r['scope_name'])}</b></div>")
        c3.html(f"<div class='al-row'><span class='al-metric'>{e(r['label'])}</span> "
                f"{e(targets.versus_text(r))}({e(targets.gap_text(r))})· 年度目标 {e(targets.value(r, 'target_value'))}"
                f"<br><span class='al-sub'>{e(targets.forecast_text(r))} · 责任:{e(r['responsible'])}</span></div>")


def attention_panel(f: flt.Filters, *, key: str = "al", height: int = 440, title: str = "需关注事项",
                    link: bool = True, df: pl.DataFrame | None = None) -> pl.DataFrame:
    """The scope's 滞后 and 关注 targets (district: every district, chain and park target), red first.
    `df`: the items to show (default: those of the filtered scope). Returns all items (green included)."""
    df = targets.items(f.quarter_end, f.chain_id, f.park_id) if df is None else df
    c = targets.counts(df)
    st.html(f"<div class='al-head' id='attention'><span class='al-title'>{e(title)}</span>"
            f"{counts_html(c, df.height)}</div>")
    if df.is_empty():
        st.info("本范围(产业链 × 园区交叉)不设年度目标:年度目标按全区、各产业链、各园区分别设定。",
                icon=":material/info:")
        return df
    al = targets.alerts(df)
    if al.is_empty():
        st.success(f"{f.quarter} 全部 {df.height} 项年度目标进度正常。")
        return df
    one_scope = df["scope_id"].n_unique() == 1 and not link
    with st.container(height=min(height, 64 * al.height + 26), border=True, key=f"{key}_list"):
        for i, r in enumerate(al.iter_rows(named=True)):
            _row(r, f"{key}_{i}", link, with_scope=not one_scope)
    st.caption("判断规则(时间过半、任务过半):流量指标应达 = 年度目标 × 时间进度;存量与比率指标应达 = 年初基数 + "
               "(目标 − 基数)× 时间进度。达到应达为正常,差距在全年计划量 10% 以内为关注,其余为滞后。",
               help=TARGET_RULE)
    return df


def overdue_ages(f: flt.Filters, *, key: str = "age") -> pl.DataFrame:
    """Overdue appeals by how long overdue (≤30 / 31–90 / 91–180 / >180 days) and the oldest one."""
    p = dict(quarter_end=f.quarter_end, chain_id=f.chain_key, park_id=f.park_key)
    ages = run_query("appeals/overdue_age", **p)
    total = int(ages["n_overdue"].sum())
    st.html(f"<div class='al-head'><span class='al-title'>超期未办结诉求</span>"
            f"<span class='al-n {'al-red' if total else 'al-green'}'>{total} 件</span>"
            "<span class='al-n al-muted'>按超期时长</span></div>")
    boxes = "".join(
        f"<div class='al-age{' hot' if r['overdue_bucket'] >= 3 and r['n_overdue'] else ''}'>"
        f"<b>{r['n_overdue']:,}</b><span>超期 {e(r['overdue_bucket_label'])}</span></div>"
        for r in ages.iter_rows(named=True))
    st.html(f"<div class='al-ages'>{boxes}</div>")
    if total:
        o = run_query("appeals/overdue", **p).row(0, named=True)
        st.html(f"<div class='al-oldest'>超期最久:<b>{e(o['name'])}</b> 的{e(o['category'])}诉求,"
                f"承办单位 {e(o['handler_unit_name'])},{o['received_on']:%Y-%m-%d} 收到、"
                f"办理期限 {o['due_on']:%Y-%m-%d},已超期 <b class='al-red'>{o['days_overdue']:,} 天</b>"
                f"(来源:{e(o['source'])} · 产业链:{e(o['chain_name'])} · 园区:{e(o['park_name'])})。</div>")
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
    st.html(f"<div class='al-banner s-{worst}' id='status-banner'><b class='{cls}'>"
            f"● {e(scope_label)} · {lead}</b>:{counts_html(c, df.height)}"
            + (f"<br>{e(names)}" if names else "") + "</div>")


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
            lines.append(f"{_badge(r['status'])} <b>{e(r['label'])}</b>({e(f.scope_label)}):"
                         f"{e(targets.versus_text(r))}({e(targets.gap_text(r))}),年度目标 {e(targets.value(r, 'target_value'))},"
                         f"{e(targets.forecast_text(r))}")
        others = df.filter(~((pl.col("chain_id") == f.chain_key) & (pl.col("park_id") == f.park_key)))
        c = targets.counts(others)
        if others.height:
            lines.append(f"<span class='al-muted'>各产业链、各园区的同类目标 {others.height} 项:</span>"
                         + counts_html(c, others.height).replace("al-n", "al-n al-small"))
        st.html("<div class='al-head'><span class='al-title'>本专题年度目标</span></div>"
                + "".join(f"<div class='al-row'>{x}</div>" for x in lines))
        al = targets.alerts(others)
        if al.height:
            with st.expander(f"各产业链、各园区中滞后 / 需关注的 {al.height} 项", icon=":material/flag:"):
                for i, r in enumerate(al.iter_rows(named=True)):
                    _row(r, f"{key}_{i}", True)
    return df
