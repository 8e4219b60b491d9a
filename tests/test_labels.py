"""One Chinese label per column, from one map (dashboard/labels.py); status words from one vocabulary.

- The page scripts and chart builders name no column in Chinese themselves: no `.alias("中文")` and no
  {"column": "中文"} header maps outside dashboard/labels.py.
- The map is consistent: a KPI column is called by the KPI's name; no label is English.
- Every table on every page (AppTest, leader, a chain and a park scope) has Chinese headers (no raw column
  name) and its status column speaks 正常 / 关注 / 滞后 only.
"""
import ast
import re
from pathlib import Path

import pytest

from dashboard import kpis, labels, nav

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")
RAW = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$|^(name|uscc|size|role|kind|batch|honor|n)$")
# the pages and chart builders that draw tables/charts of the dashboard (the big screen's own helper files
# screen.py / geo.py and the export module are out of this rule's scope)
SOURCES = sorted((ROOT / "views").glob("*.py")) + [
    ROOT / "dashboard" / "charts" / n for n in ("base.py", "chain.py", "topics.py", "appeals.py")] + [
    ROOT / "dashboard" / "ui.py"]


def _inline_labels(path: Path) -> list[str]:
    """`.alias("…中文…")` calls and {"snake_case": "…中文…"} dict entries in a source file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "alias"
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                and CJK.search(node.args[0].value)):
            found.append(f"{path.name}:{node.lineno} .alias({node.args[0].value!r})")
        if isinstance(node, ast.Dict):       # a header map: {"snake_case_column": "短中文"} (descriptions are longer)
            for k, v in zip(node.keys, node.values):
                if (isinstance(k, ast.Constant) and isinstance(k.value, str) and RAW.match(k.value)
                        and isinstance(v, ast.Constant) and isinstance(v.value, str) and CJK.search(v.value)
                        and len(v.value) <= 12 and "·" not in v.value):
                    found.append(f"{path.name}:{k.lineno} {{{k.value!r}: {v.value!r}}}")
    return found


def test_no_inline_column_labels_in_pages_and_charts():
    found = [hit for p in SOURCES for hit in _inline_labels(p)]
    assert not found, "name these columns through dashboard.labels:\n" + "\n".join(found)


def test_the_map_itself():
    for k in kpis.KPIS + kpis.EXTRA_KPIS:
        assert labels.label(k.key) == k.label               # one name for a KPI on cards, rankings and tables
    for key, text in labels.LABELS.items():
        assert CJK.search(text) or text in ("1+N+X",), (key, text)
        assert not re.search(r"[a-z]{2,}", text), (key, text)
    with pytest.raises(KeyError):
        labels.label("no_such_column")                   # a missing label fails, it never falls back to English
    assert labels.headers("received_on", ("name", "secretary_enterprise")) == {"received_on": "收到日期",
                                                                              "name": "派驻企业"}
    assert labels.tables_text("appeals, enterprises") == "企业诉求、企业"
    from dashboard import contract
    for name, t in contract.TABLES.items():
        assert labels.table(name) == t.sheet                # the import template's sheet names


def test_same_column_same_label_where_pages_name_it():
    """The synonyms the pages used to mix now have one name each."""
    assert labels.label("has_party_plan") == "年度党建规划"
    assert labels.label("n_standards") == "标准(项)" and labels.label("n_projects") == "项目(个)"
    assert labels.label("n_secretaries") == kpis.BY_KEY["n_secretaries"].label
    assert labels.label("n_pairings") == kpis.BY_KEY["n_pairings"].label


# ------------------------------------------------------------------ every table on every page (AppTest)
DATA_PAGES = [p[1] for p in nav.existing() if p[4] not in ("bigscreen", "accounts", "audit", "data", "login", "report")]
STATUS_WORDS = {"● 正常", "● 关注", "● 滞后", "— 未设目标", "—", "正常", "关注", "滞后"}


def _frames(at):
    out = []
    for el in at.get("arrow_data_frame") + at.get("table"):
        try:
            out.append(el.value)
        except Exception:                                # pragma: no cover - an element without data
            continue
    return out


@pytest.mark.parametrize("page", DATA_PAGES)
def test_tables_have_chinese_headers_and_one_status_vocabulary(app, page):
    for scope in ({}, {"chain": "C02"}, {"park": "P01"}):
        at = app(page, **scope)
        for df in _frames(at):
            cols = [str(c) for c in df.columns] + [str(i) for i in (df.index.names or []) if i]
            raw = [c for c in cols if RAW.match(c)]
            assert not raw, (page, scope, raw)
            for c in cols:
                if "状态" in c and c != "状态" or c == "目标状态":
                    vals = {v for v in df[c].tolist() if isinstance(v, str)} if c in df.columns else set()
                    assert vals <= STATUS_WORDS, (page, scope, c, vals - STATUS_WORDS)
        for cap in at.caption:
            assert not re.search(r"\b[a-z]+_[a-z_]+\b", cap.value), (page, scope, cap.value)
        for m in at.metric:
            assert not re.search(r"\b[a-z]+_[a-z_]+\b", m.help or ""), (page, scope, m.label, m.help)
