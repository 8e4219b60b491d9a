"""What is not on the first screen, after the first paint.

A fresh browser session draws nothing of a part until that part's library is loaded and laid out: on
this machine 总览's six charts held its KPI cards and 需关注事项 back by about 2.5 s, and the 25 rows of
its 督办 list by another 0.5 s. In a session's first page run a page leaves such parts out (`painted()`
is false): `below_fold(render)` shows a one-line placeholder instead, and a long list shows the rows
that fit its box. A tiny component reports once the browser has drawn the page and it has settled (no
part still loading, no change for a moment); the page then runs again, whole, with every part. From
then on the session draws everything at once — the libraries are loaded — so later pages and reruns
cost nothing extra (one more run per session, on its first page).
"""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit.errors import StreamlitDuplicateElementKey

PAINTED_KEY = "_lz_painted"        # set once the browser has drawn a page of this session
COMPONENT = "lz_painted"
_JS = """
// Report once the page has been drawn and has settled: no element still loading (Streamlit shows a
// skeleton while an element's code loads), no DOM change for QUIET_MS, then two animation frames.
// At most CAP_MS after mounting, whatever happens.
const QUIET_MS = 150, CAP_MS = 5000;
export default function (component) {
  const { data, setTriggerValue } = component;
  let quiet = null, done = false;
  const fire = () => {
    if (done) return;
    done = true;
    stop();
    requestAnimationFrame(() => requestAnimationFrame(() => setTriggerValue('painted', data)));
  };
  const check = () => {
    if (document.querySelector('[data-testid="stSkeleton"]')) settle(); else fire();
  };
  const settle = () => { clearTimeout(quiet); quiet = setTimeout(check, QUIET_MS); };
  const watch = new MutationObserver(settle);
  const cap = setTimeout(fire, CAP_MS);
  const stop = () => { watch.disconnect(); clearTimeout(quiet); clearTimeout(cap); };
  watch.observe(document.body, { subtree: true, childList: true, characterData: true });
  settle();
  return () => { done = true; stop(); };
}
"""
_component = None


def _report_component():
    global _component
    if _component is None:
        _component = st.components.v2.component(COMPONENT, js=_JS)
    return _component


def painted() -> bool:
    """Has this session's browser drawn a page before (are the parts below the first screen due)?"""
    return bool(st.session_state.get(PAINTED_KEY))


def _mark_painted() -> None:
    st.session_state[PAINTED_KEY] = True


def report_when_painted() -> None:
    """Place the component that reruns the page once the browser has drawn it (only before that; once a
    run, however many parts of the page wait for it)."""
    if painted():
        return
    try:
        _report_component()(key="lz_painted", data=1, on_painted_change=_mark_painted)
    except StreamlitDuplicateElementKey:      # another part of this page placed it already
        pass


def below_fold(render: Callable[[], None], note: str = "图表加载中…") -> None:
    """Run `render` now if this session's browser has drawn a page before, else after the first paint."""
    if painted():
        render()
        return
    st.caption(note)
    report_when_painted()
