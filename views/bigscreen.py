"""大屏:指挥大厅 16:9 驾驶舱。全屏无边框,轮播 全区 → 各产业链(?rotate=park 为各园区),?interval=秒。

点击屏幕或按空格键暂停/继续。数据每隔不超过 30 秒重新读取(发布新版本数据后自动显示,不刷新整页)。
"""
import logging

import streamlit as st
from streamlit_echarts import Map, st_echarts

from dashboard import bigscreen as bs
from dashboard.charts import geo, screen
from dashboard.auth import roles, web
from dashboard.db import WarehouseMissing, run_query
from dashboard.scope import ScopeDenied

log = logging.getLogger("dashboard.bigscreen")

TOP = st.components.v2.component("bigscreen_top", html=bs.TOP_HTML, js=bs.TOP_JS, isolate_styles=False)
PHONE = st.components.v2.component("bigscreen_phone", html="<span hidden></span>", js=bs.PHONE_JS,
                                   isolate_styles=False)

# on a phone: to the phone view (总览), before any data is read
PHONE(key="bs_phone", data={"kiosk": (web.who() or {}).get("role") == roles.KIOSK, "min_width": bs.PHONE_MAX_PX,
                           "keep": ["chain", "park"]})
st.html(bs.CSS)
cfg = bs.config(st.query_params)
rot = bs.Rotation(st.session_state.setdefault(bs.STATE_KEY, {}))


def _items() -> list[bs.Item]:
    return bs.items(cfg.rotate, run_query("shared/chains"), run_query("shared/parks"))


def _on_advance() -> None:
    rot.advance(rot.s["n"], expected_key=(st.session_state.get("bs_top") or {}).get("advance"))


def _on_toggle() -> None:
    rot.toggle()


def _chart(name: str, options: dict, **kw) -> None:
    # client-side only (returns nothing): each chart's instance as window.__bsCharts[name], for the browser test
    expose = "function () { (window.__bsCharts = window.__bsCharts || {})['%s'] = chart; }" % name
    st_echarts(options, theme=screen.THEME, height=bs.chart_height(name), key=f"bs-chart-{name}",
               events={"finished": expose}, **kw)


def _draw(frame: dict) -> None:
    TOP(key="bs_top", data=bs.top_data(frame, rot, cfg), on_advance_change=_on_advance,
        on_toggle_change=_on_toggle)
    left, mid, right = st.columns([26, 48, 26], gap=None, wrap=False)
    with left:
        with st.container(key="bsp-rank"):
            st.html(bs.panel_title(frame["rank_title"], extra_html=bs.RANK_LEGEND_HTML))
            _chart("rank", frame["rank"])
        with st.container(key="bsp-trend"):
            st.html(bs.panel_title(frame["trend_title"]))
            _chart("trend", frame["trend"])
    with mid:
        with st.container(key="bsp-map"):
            st.html(bs.panel_title("园区分布 · 党组织覆盖", "黄埔区 · 含生物岛(位于海珠区)"))
            _chart("map", frame["map"], map=Map(geo.MAP_NAME, bs.map_geojson()))
    with right:
        with st.container(key="bsp-gauge"):
            st.html(bs.panel_title("诉求办理 · 吐槽大会 / 联合调度"))
            _chart("gauge", frame["gauge"])
        with st.container(key="bsp-warn"):
            st.html(bs.panel_title(frame["warn_title"], extra_html=bs.warn_title_extra(frame["warn"])))
            st.html(bs.warn_html(frame["warn"]))
        with st.container(key="bsp-cases"):
            st.html(bs.panel_title("第一书记 · 典型案例", f"{len(frame['cases'])} 例"))
            st.html(bs.cases_html(frame["cases"], frame["cases_note"]))


@st.fragment(run_every=cfg.tick)
def screen_fragment() -> None:
    try:
        web.still_valid()          # a revoked token or ended session stops the screen within seconds
    except ScopeDenied:
        st.rerun(scope="app")      # the shell shows the login form
    try:
        all_items = _items()
        if "bs_started" not in st.session_state:      # ?start=C03: begin at that chain/park
            st.session_state["bs_started"] = True
            ids = [i.id for i in all_items]
            if cfg.start and cfg.start in ids:
                rot.start_at(ids.index(cfg.start))
        rot.s["n"] = len(all_items)
        if rot.overdue(cfg.interval):                  # the browser timer did not fire: move on here
            rot.advance(len(all_items))
        idx = rot.index(len(all_items))
        frame = bs.assemble(cfg, all_items[idx], idx, all_items)
    except WarehouseMissing as e:  # the file is being replaced or not there yet: retry on the next tick
        log.warning("bigscreen: %s", e)
        _fallback()
        return
    except Exception:  # noqa: BLE001 - a TV must never show a traceback; retry on the next tick
        log.warning("bigscreen: data unavailable", exc_info=True)
        _fallback()
        return
    st.session_state[bs.FRAME_KEY] = frame            # one frame kept (replaced, never accumulated)
    _draw(frame)


def _fallback() -> None:
    """Keep the last good frame with a small badge, or a dignified waiting screen."""
    last = st.session_state.get(bs.FRAME_KEY)
    if last is None:
        st.html(bs.waiting_html())
    else:
        _draw(last)
        st.html(bs.stale_badge_html())


screen_fragment()
