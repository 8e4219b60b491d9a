"""Imported text is data: the one place where values meet markup (issue 10 point 1).

Every value that comes from the warehouse (names, titles, mechanisms, categories…) may hold anything a
spreadsheet cell can: HTML, <script>, Markdown images and links, formula prefixes. It is shown as text,
escaped for the context it lands in, only through these helpers (checked over the code by
tests/test_hostile_markup.py):

- HTML (``st.html``, CSS-classed fragments, SVG text, ECharts HTML tooltips, Plotly hover/label text):
  ``html(template, *args)`` — the template is a constant string of the code, every argument is escaped
  by MarkupSafe unless it already is ``Markup`` (a fragment built by these helpers); ``join`` and
  ``text`` likewise. The result is a ``Markup`` (a ``str``).
- JavaScript inside a page (``<script>``, a JS object literal): ``script(value)`` (Jinja's
  ``htmlsafe_json_dumps``: JSON with ``< > & '`` as ``\\u`` escapes, so no ``</script>`` can close it).
- Widget labels (buttons, expanders, tabs) — Streamlit renders them as Markdown, images included: a
  warehouse value goes in as ``label(value)``, a CommonMark code span, the one inline construct whose
  content is literal (Streamlit's own ``errors._markdown_code_span`` does the same); CSS in
  static/css/safe.css draws it as ordinary text.
- Markdown bodies (``st.markdown``, ``st.caption``, ``st.info``…) never receive warehouse text: use
  ``st.html(safe.html(...))``, ``st.text`` or ``st.dataframe``.
- XML (PPTX) is written by python-pptx/lxml, which escapes text itself; SVG/PDF use ``text``.
"""
from __future__ import annotations

from typing import Any, Iterable

from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup, escape

__all__ = ["Markup", "html", "join", "text", "script", "label", "plotly_text"]


def html(template: str, /, *args: Any, **kwargs: Any) -> Markup:
    """HTML from a constant `template` with ``{}`` fields: each argument escaped (Markup ones kept)."""
    return Markup(template).format(*args, **kwargs)


def join(sep: str, parts: Iterable[Any]) -> Markup:
    """`parts` joined by the constant `sep`, each escaped unless it is Markup already."""
    return Markup(sep).join(parts)


def text(value: Any) -> Markup:
    """One value as HTML text (None → empty)."""
    return escape("" if value is None else value)


def plotly_text(value: Any) -> str:
    """A value for Plotly text, hover text, category and legend names (Plotly renders <b>, <a href>,
    <span style> and entities in them): HTML-escaped, so the tags show as text."""
    return str(escape("" if value is None else value))


def script(value: Any) -> Markup:
    """A value as a JSON/JavaScript literal that is safe inside a raw-text element (<script>, and a CSS
    string in <style>: "<", ">", "&", "'" become \\u escapes, so nothing can close the element)."""
    return htmlsafe_json_dumps(value, ensure_ascii=False)


def label(value: Any) -> str:
    """A warehouse value inside a Markdown-rendered widget label: a code span (CommonMark 6.1) whose
    fence is longer than any backtick run in the value, padded when the value starts or ends with one."""
    s = " ".join(str("" if value is None else value).split())     # a code span is one line
    n = 1
    while "`" * n in s:
        n += 1
    pad = " " if s.startswith("`") or s.endswith("`") else ""
    return f"{'`' * n}{pad}{s}{pad}{'`' * n}"
