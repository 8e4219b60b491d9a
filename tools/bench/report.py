"""Timing of the full district deck, for `python -m dashboard bench`: measure(db_path) → seconds.

Each format is timed from a cold query cache: content (queries + layout) plus rendering.
"""
from __future__ import annotations

import time


def _clear_cache() -> None:
    import streamlit as st
    st.cache_data.clear()


def measure(db_path) -> dict:
    from dashboard import db
    from dashboard.report import content, pdf, pptx_deck
    previous = db._override
    db.set_db_path(db_path)
    try:
        q = db.run_query("shared/quarters")["quarter_end"][0]     # latest quarter
        out = {}
        for key, render in (("pptx_s", pptx_deck.render), ("pdf_s", pdf.render)):
            _clear_cache()
            t0 = time.perf_counter()
            deck = content.build_deck(q)
            data = render(deck)
            out[key] = round(time.perf_counter() - t0, 2)
            out[key.replace("_s", "_bytes")] = len(data)
        out["slides"] = len(deck.slides)
        return out
    finally:
        db.set_db_path(previous)
