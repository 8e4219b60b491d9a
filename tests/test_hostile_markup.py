"""Imported text is data, never markup — checked over the code (issue 10 point 1).

The rule, in terms a reviewer can check by reading one call:

1. **Raw HTML sinks** — ``st.html(x)`` / ``<container>.html(x)`` — receive only *safe expressions*:
   - a string constant (or a constant-only f-string / concatenation), or a module constant (an
     ALL_CAPS name or attribute, e.g. ``bs.CSS``, built at import time from code, never from data);
   - a call to a ``dashboard.safe`` helper (``safe.html(TEMPLATE, …)``, ``safe.join``, ``safe.text``):
     these escape every argument with MarkupSafe, and ``safe.html``'s template must itself be a constant;
   - a call to a function of the code base whose return annotation is ``Markup`` — and every
     ``return`` of such a function is again a safe expression (checked here, recursively by name).
   An f-string that interpolates anything else into HTML fails. A call with ``unsafe_allow_html=True``
   (or ``st.html(..., unsafe_allow_javascript=True)``)
   gets a constant only (Markdown still runs over escaped HTML, so escaped text must go to ``st.html``).
2. **Markdown sinks** — ``st.markdown`` (without ``unsafe_allow_html``), ``st.caption``, ``st.title``,
   ``st.header``, ``st.subheader``, ``st.info/success/warning/error/toast``, ``st.write``, the label of
   a button, download button, expander, tab, metric, and every ``help=`` — Streamlit renders these as
   Markdown, images and links included. They may interpolate only code-made values (numbers, dates,
   quarter labels, KPI labels): an interpolated expression that reads a *warehouse text field* — any
   ``x["k"]``/``x.k`` whose k is a free-text column of the import contract (``contract.TABLES`` columns
   of type str: name, title, mechanism, category…), a ``*_name`` / ``*_title`` field, or
   ``scope_label`` — fails, unless it goes through ``safe.label(...)`` (a CommonMark code span, literal
   content; only for widget labels).
Files checked: views/*.py, streamlit_app.py and the dashboard package (the PPTX/PDF report writes XML
through python-pptx / escaped SVG and is checked by the deck test instead).

The rule is syntactic: a warehouse value first copied into a variable with an innocent name is not
seen. The browser test (tests/test_hostile_pages.py) is the runtime backstop for that.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted([*ROOT.glob("views/*.py"), ROOT / "streamlit_app.py",
                *[p for p in ROOT.glob("dashboard/**/*.py") if "report" not in p.parts and p.name != "safe.py"]])

MARKDOWN_SINKS = {"markdown", "caption", "title", "header", "subheader", "info", "success", "warning",
                  "error", "toast", "write"}
LABEL_SINKS = {"button", "download_button", "expander", "metric", "popover", "page_link", "checkbox",
               "toggle", "radio", "form_submit_button"}
SAFE_HELPERS = {"html", "join", "text", "script", "label", "plotly_text"}


def _text_fields() -> set[str]:
    from dashboard import contract
    return {c.name for t in contract.TABLES.values() for c in t.cols if c.type == "str"} | {"scope_label"}


TEXT_FIELDS = _text_fields()


def _is_text_field(key: str) -> bool:
    return key in TEXT_FIELDS or key.endswith("_name") or key.endswith("_title")


def _call_name(node: ast.Call) -> tuple[str | None, str | None]:
    """(receiver, attribute) of `recv.attr(...)`, or (None, name) of `name(...)`."""
    f = node.func
    if isinstance(f, ast.Attribute):
        recv = f.value.id if isinstance(f.value, ast.Name) else (f.value.attr if isinstance(f.value, ast.Attribute) else "?")
        return recv, f.attr
    if isinstance(f, ast.Name):
        return None, f.id
    return None, None


def _is_safe_call(node: ast.AST) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "safe"
            and node.func.attr in SAFE_HELPERS)


class Index:
    """Functions of the code base annotated `-> Markup`, by name."""

    def __init__(self, trees: dict[Path, ast.Module]):
        self.markup_funcs: dict[str, list[ast.FunctionDef]] = {}
        for tree in trees.values():
            for n in ast.walk(tree):
                if isinstance(n, ast.FunctionDef) and n.returns is not None:
                    r = n.returns
                    name = r.id if isinstance(r, ast.Name) else (r.attr if isinstance(r, ast.Attribute) else
                                                                 (r.value if isinstance(r, ast.Constant) else None))
                    if name in ("Markup", "safe.Markup"):
                        self.markup_funcs.setdefault(n.name, []).append(n)

    def safe_html(self, node: ast.AST) -> bool:
        """Is `node` a safe expression for a raw HTML sink (rule 1)?"""
        if isinstance(node, ast.Constant):
            return isinstance(node.value, str)
        if isinstance(node, ast.JoinedStr):
            return all(isinstance(v, ast.Constant) or self.safe_html(v.value) for v in node.values)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.safe_html(node.left) and self.safe_html(node.right)
        if isinstance(node, ast.Name):
            return node.id.isupper()
        if isinstance(node, ast.Attribute):
            return node.attr.isupper()
        if isinstance(node, ast.IfExp):
            return self.safe_html(node.body) and self.safe_html(node.orelse)
        if isinstance(node, ast.Call):
            if _is_safe_call(node):
                if node.func.attr == "html":
                    return bool(node.args) and isinstance(node.args[0], ast.Constant) or \
                        (bool(node.args) and node.args[0].__class__ is ast.Name and node.args[0].id.isupper())
                return True
            if isinstance(node.func, ast.Attribute) and not isinstance(node.func.value, (ast.Name, ast.Attribute)):
                return False                                  # "x".join(...), f"..".format(...)
            _, name = _call_name(node)
            return name in self.markup_funcs
        return False


def _tainted(node: ast.AST) -> str | None:
    """The warehouse text field an expression reads outside safe.label(...), or None."""
    if _is_safe_call(node) and node.func.attr == "label":
        return None
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
        if _is_text_field(node.slice.value):
            return node.slice.value
    if isinstance(node, ast.Attribute) and _is_text_field(node.attr) and not node.attr.isupper():
        return node.attr
    for child in ast.iter_child_nodes(node):
        t = _tainted(child)
        if t:
            return t
    return None


def _interpolated(node: ast.AST):
    """The non-constant parts of a string expression (f-string values, operands, format args)."""
    if isinstance(node, ast.JoinedStr):
        for v in node.values:
            if isinstance(v, ast.FormattedValue):
                yield v.value
    elif isinstance(node, ast.Constant):
        return
    else:
        yield node


def _has_call(node: ast.AST) -> bool:
    return any(isinstance(n, (ast.Call, ast.FormattedValue)) for n in ast.walk(node))


def violations(sources: dict[Path, str] | None = None) -> list[str]:
    if sources is None:
        sources = {p: p.read_text(encoding="utf-8") for p in FILES}
    trees = {p: ast.parse(s, str(p)) for p, s in sources.items()}
    idx = Index(trees)
    out = []

    def where(p: Path, n: ast.AST) -> str:
        return f"{p.relative_to(ROOT)}:{n.lineno}"

    for fns in idx.markup_funcs.values():               # a `-> Markup` function returns safe expressions only
        for fn in fns:
            path = next(p for p, t in trees.items() if any(x is fn for x in ast.walk(t))) \
                if any(any(x is fn for x in ast.walk(t)) for t in trees.values()) else None
            if path is None:
                continue
            for r in ast.walk(fn):
                if isinstance(r, ast.Return) and r.value is not None and not idx.safe_html(r.value):
                    out.append(f"{where(path, r)}: {fn.name}() -> Markup returns an unescaped expression")

    for p, tree in trees.items():
        for n in ast.walk(tree):
            if not isinstance(n, ast.Call):
                continue
            recv, name = _call_name(n)
            unsafe = any(k.arg in ("unsafe_allow_html", "unsafe_allow_javascript") and not (isinstance(k.value, ast.Constant) and k.value.value is False)
                         for k in n.keywords)
            arg0 = n.args[0] if n.args else next((k.value for k in n.keywords if k.arg in ("body", "label")), None)
            if unsafe:                  # Markdown still runs over escaped HTML: constants only
                if arg0 is not None and not (idx.safe_html(arg0) and not _has_call(arg0)):
                    out.append(f"{where(p, n)}: {recv}.{name}(unsafe_allow_html=True) gets more than a constant")
                continue
            if name == "html" and recv not in ("safe", "e", "html", None):
                if arg0 is not None and not idx.safe_html(arg0):
                    out.append(f"{where(p, n)}: {recv}.{name}() gets HTML that is not a constant or a safe.* result")
                continue
            sinks = []
            if recv is not None and name in MARKDOWN_SINKS and recv not in ("safe", "re", "pl", "logging", "log"):
                sinks.append(("text", arg0))
            if recv is not None and (name in LABEL_SINKS or name == "tabs"):
                sinks.append(("label", arg0))
            sinks += [("help", k.value) for k in n.keywords if k.arg in ("help", "label")]
            for kind, a in sinks:
                if a is None:
                    continue
                for part in (_interpolated(a) if not isinstance(a, (ast.List, ast.Tuple)) else a.elts):
                    t = _tainted(part)
                    if t:
                        out.append(f"{where(p, n)}: {recv}.{name}() {kind} interpolates warehouse text `{t}` "
                                   "into Markdown")
    return sorted(set(out))


def test_imported_text_reaches_markup_only_through_the_escape_helpers():
    bad = violations()
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("src, ok", [
    ("st.html('<b>x</b>')", True),
    ("st.html(safe.html('<b>{}</b>', r['name']))", True),
    ("st.html(f\"<b>{r['name']}</b>\")", False),
    ("st.markdown(f'<b>{x}</b>', unsafe_allow_html=True)", False),
    ("st.markdown(safe.html('<b>{}</b>', x), unsafe_allow_html=True)", False),
    ("st.markdown('<style>b{color:red}</style>', unsafe_allow_html=True)", True),
    ("st.html(safe.html('<b>{}</b>', x), unsafe_allow_javascript=True)", False),
    ("st.markdown(f\"**{r['name']}**\")", False),
    ("st.caption(f'{f.scope_label} · {n:,} 家')", False),
    ("st.caption(f'{f.quarter} · {n:,} 家')", True),
    ("st.button(prof['chain_name'], key='k')", False),
    ("st.button(safe.label(prof['chain_name']), key='k')", True),
    ("st.metric('x', 1, help=f\"{r['park_name']}\")", False),
    ("st.html(safe.html(template, x))", False),
    ("st.markdown('<b>' + '、'.join(names) + '</b>', unsafe_allow_html=True)", False),
    ("def f(x) -> Markup:\n    return f'<b>{x}</b>'\nst.html(f(1))", False),
    ("def f(x) -> Markup:\n    return safe.html('<b>{}</b>', x)\nst.html(f(1))", True),
])
def test_the_checker_itself(src, ok):
    """The rule can fail: each line above, alone in a view, passes or fails as stated."""
    got = violations({ROOT / "views" / "probe.py": src + "\n"})
    assert (not got) == ok, (src, got)
