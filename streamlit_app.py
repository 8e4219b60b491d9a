"""链长制·党建引领监测驾驶舱 — router and shared chrome (filters in the URL). No SQL here."""
# Imported completely before any page runs: plotly looks pandas up in sys.modules without importing
# it, so while one session's thread is still importing pandas another one's chart fails with
# "partially initialized module 'pandas'" (seen on a fresh server when several sessions start at once).
import pandas  # noqa: F401
import streamlit as st

from dashboard import drill, filters, nav
from dashboard.db import WarehouseError

st.set_page_config(page_title="链长制·党建引领监测驾驶舱", page_icon="static/favicon.png",
                   layout="wide", initial_sidebar_state="expanded")

pending = drill.apply_pending()          # a chart click asked to open another page
sections: dict[str, list] = {}
for section, path, title, icon, url_path in nav.existing():
    sections.setdefault(section, []).append(st.Page(path, title=title, icon=icon, url_path=url_path,
                                                    default=(url_path == "overview")))
page = st.navigation(sections, position="sidebar", expanded=True)

if page.url_path != "bigscreen":
    st.logo("static/logo.svg", size="medium")
    with st.sidebar:
        st.markdown("**链长制 · 党建引领监测驾驶舱**")
    try:
        f = filters.sidebar()
    except WarehouseError as e:          # missing or unreadable: one Chinese sentence, never a traceback
        if page.url_path != "data":      # 数据管理 stays usable: first import, rollback, re-import
            st.error(str(e), icon=":material/database:")
            st.page_link("views/data_admin.py", label="前往 数据管理 导入数据或回滚", icon=":material/database:")
            st.stop()
        f = None
    if pending and f is not None:
        target, extra = pending
        st.switch_page(target, query_params=f.params(**extra))
try:
    page.run()
except WarehouseError as e:              # the file went bad while the page was drawn
    st.error(str(e), icon=":material/database:")
