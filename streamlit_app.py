"""链长制·党建引领监测驾驶舱 — router and shared chrome (filters in the URL). No SQL here."""
import streamlit as st

from dashboard import filters, nav
from dashboard.db import WarehouseMissing

st.set_page_config(page_title="链长制·党建引领监测驾驶舱", page_icon=":material/account_tree:",
                   layout="wide", initial_sidebar_state="expanded")

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
        filters.sidebar()
    except WarehouseMissing as e:
        st.error(str(e))
        st.stop()
page.run()
