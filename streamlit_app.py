"""链长制·党建引领监测驾驶舱 — router and shared chrome (sign-in, filters in the URL). No SQL here."""
# Imported completely before any page runs: plotly looks pandas up in sys.modules without importing
# it, so while one session's thread is still importing pandas another one's chart fails with
# "partially initialized module 'pandas'" (seen on a fresh server when several sessions start at once).
import pandas  # noqa: F401
import streamlit as st

from dashboard import drill, filters, nav
from dashboard.auth import roles, web
from dashboard.db import WarehouseError

st.set_page_config(page_title="链长制·党建引领监测驾驶舱", page_icon="static/favicon.png",
                   layout="wide", initial_sidebar_state="auto")   # collapsed on a phone

login_path, login_title, login_icon, login_url = nav.LOGIN
a = web.resolve()
web.cookie_sync()
if a is None or (a["kind"] == "user" and a.get("must_change")):
    if a is None:   # anonymous: every url path shows the login form (a deep link opens after sign-in)
        st.navigation([st.Page(login_path, title=login_title, icon=login_icon, url_path=login_url, default=True)]
                      + [st.Page(web.login_form, title=login_title, url_path=p[4]) for p in nav.PAGES],
                      position="hidden").run()
    else:
        web.password_form(a)
    st.stop()

pending = drill.apply_pending()          # a chart click asked to open another page
role = a["role"]
default = roles.DEFAULT_PAGE.get(role, "overview")
sections: dict[str, list] = {}
start = None
for section, path, title, icon, url_path in nav.for_role(role):
    pg = st.Page(path, title=title, icon=icon, url_path=url_path)
    start = pg if url_path == default else start
    sections.setdefault(section, []).append(pg)
# The start page answers at its own path too (/overview opens 总览, not "Page not found"): Streamlit serves
# the default page only at "/", so "/" is a hidden page that switches to it, keeping the filters in the URL.
if start is not None:
    sections[next(iter(sections))].insert(0, st.Page(web.go_to(start, keep_query=True), title=start.title,
                                                     url_path="start", default=True, visibility="hidden"))
# The paths this role may not open answer "无权访问" (their links are hidden below), not Streamlit's
# English "page not found"; a kiosk token gets the login form there.
denied = [p for p in nav.PAGES if not roles.may_open(role, p[4])] + [(None, login_path, login_title, None, login_url)]
last = list(sections)[-1]
for _, path, title, _, url_path in denied:
    if role == roles.KIOSK:
        target = login_path if url_path == login_url else web.login_form
    else:       # /login after signing in leads to the start page
        target = web.go_to(start) if url_path == login_url else web.denied_page(url_path)
    sections[last].append(st.Page(target, title=f"{title}(无权访问)", url_path=url_path))
page = st.navigation(sections, position="hidden" if role == roles.KIOSK else "sidebar", expanded=True)
web.hide_nav_links([p[4] for p in denied])
if start is not None and page.url_path == "" and not pending:   # "/": on to the start page before any chrome
    page.run()
if role == roles.KIOSK and page.url_path != "bigscreen":
    page.run()
    st.stop()

web.watermark(a)
f = None
if page.url_path != "bigscreen":
    st.logo("static/logo.svg", size="medium")
    with st.sidebar:
        st.markdown("**链长制 · 党建引领监测驾驶舱**")
    if roles.reads_data(role):
        try:
            f = filters.sidebar()
        except WarehouseError as e:          # missing or unreadable: one Chinese sentence, never a traceback
            if page.url_path != "data":      # 数据管理 stays usable: first import, rollback, re-import
                st.error(str(e), icon=":material/database:")
                if roles.may_open(role, "data"):
                    st.page_link("views/data_admin.py", label="前往 数据管理 导入数据或回滚",
                                 icon=":material/database:")
                st.stop()
            f = None
    web.sidebar_account(a, filters.grant_text() if f is not None else "")
    if pending and f is not None:
        target, extra = pending
        st.switch_page(target, query_params=f.params(**extra))
web.record_view(page.url_path, **({"quarter": f.quarter, "chain": f.chain_id, "park": f.park_id,
                                    "enterprise": st.query_params.get("enterprise")} if f is not None else {}))
try:
    page.run()
except WarehouseError as e:              # the file went bad while the page was drawn
    st.error(str(e), icon=":material/database:")
