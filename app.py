"""Serve the dashboard: `streamlit run app.py` (what `make run` does).

Streamlit's ASGI app (`st.App`) runs the router script streamlit_app.py and mounts two small routes
beside it that set and clear the HttpOnly session cookie (dashboard/auth/routes.py). Serving
streamlit_app.py directly also works, but a login then lasts only until the page is reloaded.
"""
import streamlit as st

from dashboard import prefetch, warmup
from dashboard.auth.routes import routes

warmup.run()        # once, at server start: warm imports, then out of the garbage collector's way
prefetch.start()    # every scope's panels computed in the background (dashboard/prefetch.py)

app = st.App("streamlit_app.py", routes=routes())
