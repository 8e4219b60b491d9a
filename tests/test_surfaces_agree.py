"""One judgement on every surface: 总览, the chain and park pages, a topic page, the big screen and the deck
(read back from the PPTX) show the same 滞后/关注 items and counts as `python -m dashboard alerts`."""
import json
import re

import pytest
from pptx import Presentation

from dashboard import cli, safe
from dashboard.kpis import STATUS_WORD
from dashboard.report.layout import zh

COUNTS = re.compile(r"滞后 (\d+) 项.*?关注 (\d+) 项.*?正常 (\d+) 项", re.S)


def cli_alerts(capsys, warehouse_path, *extra) -> dict:
    capsys.readouterr()
    assert cli.main(["--db", warehouse_path, "alerts", "--quarter", "2026Q3", "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def triple(c: dict) -> tuple[int, int, int]:
    return c["红"], c["黄"], c["绿"]


def html_of(at) -> list[str]:
    return [h.proto.body for h in at.get("html")]


def counts_in(text: str) -> tuple[int, int, int]:
    m = COUNTS.search(re.sub(r"<[^>]+>", " ", text))
    assert m, text[:200]
    return tuple(int(x) for x in m.groups())


def listed_items(at, key: str) -> list[tuple[str, str]]:
    """(status word, metric label) of the rows of an attention list, in screen order."""
    bodies = html_of(at)
    out = []
    for i, b in enumerate(bodies):
        m = re.match(r"<span class='al-badge s-(\S)'>", b)
        if m:
            detail = next(x for x in bodies[i + 1:] if "al-metric" in x)
            out.append((m.group(1), re.search(r"<span class='al-metric'>([^<]+)</span>", detail).group(1)))
    return out


def test_overview_lists_the_cli_items_red_first(app, capsys, warehouse_path):
    want = cli_alerts(capsys, warehouse_path)
    at = app("views/overview.py", quarter="2026Q3")
    head = next(b for b in html_of(at) if "id='attention'" in b)
    assert counts_in(head) == triple(want["counts"])
    shown = listed_items(at, "ov_al")
    assert shown == [(i["status"], i["label"]) for i in want["items"] if i["status"] != "绿"]
    # each non-district row links to its scope's page
    links = [b.label for b in at.button if (b.key or "").startswith("algo_ov_al_")]
    assert links == [safe.label(i["scope_name"]) for i in want["items"]     # names are data: code-span labels
                     if i["status"] != "绿" and i["scope_type"] != "district"]


@pytest.mark.parametrize("page,param,scope", [("views/chain.py", "chain", "C12"), ("views/park.py", "park", "P10")])
def test_scope_pages_lead_with_their_own_status(app, capsys, warehouse_path, page, param, scope):
    want = cli_alerts(capsys, warehouse_path, f"--{param}", scope)
    at = app(page, quarter="2026Q3", **{param: scope})
    banner = next(b for b in html_of(at) if "id='status-banner'" in b)
    assert counts_in(banner) == triple(want["counts"])
    if want["counts"]["红"]:
        assert "年度目标滞后" in banner                      # a red scope says so in its header
    assert [x[1] for x in listed_items(at, "")] == [i["label"] for i in want["items"] if i["status"] != "绿"]


def test_topic_page_shows_its_own_target(app, capsys, warehouse_path):
    """年内共建活动 on 红联共建: the district's status and the chains'/parks' counts of that metric."""
    want = [i for i in cli_alerts(capsys, warehouse_path)["items"] if i["metric"] == "n_pairing_activities_ytd"]
    at = app("views/pairing.py", quarter="2026Q3")
    box = next(b for b in html_of(at) if "本专题年度目标" in b)
    district = next(i for i in want if i["scope_type"] == "district")
    assert f"s-{district['status']}'>{STATUS_WORD[district['status']]}</span> <b>年内共建活动</b>" in box
    others = [i for i in want if i["scope_type"] != "district"]
    assert counts_in(box.split("同类目标", 1)[1]) == tuple(sum(i["status"] == s for i in others) for s in "红黄绿")


def test_big_screen_warning_panel(capsys, warehouse_path, raw):
    from dashboard import bigscreen as bs
    from dashboard.db import run_query
    cfg = bs.Config(quarter="2026Q3")
    items = bs.items("chain", run_query("shared/chains"), run_query("shared/parks"))
    for idx in (0, [i.id for i in items].index("C12")):
        item = items[idx]
        want = cli_alerts(capsys, warehouse_path, *(["--chain", item.id] if item.id else []))
        frame = bs.assemble(cfg, item, idx, items)
        assert triple(frame["warn"]["counts"]) == triple(want["counts"])
        red = [i for i in want["items"] if i["status"] == "红"]
        assert [r["label"] for r in frame["warn"]["items"]] == [i["label"] for i in red]
        html = bs.warn_html(frame["warn"])
        assert all(i["label"] in html for i in red)
        # overdue appeals by age: the buckets add up to the scope's overdue count (independent SQL)
        cond = f"AND chain_id = '{item.id}'" if item.id else ""
        n = raw.sql(f"""SELECT count(*) FROM appeals WHERE received_on <= DATE '2026-09-30'
                        AND (resolved_on IS NULL OR resolved_on > DATE '2026-09-30') AND due_on < DATE '2026-09-30'
                        {cond}""").fetchall()[0][0]
        assert frame["warn"]["n_overdue"] == n == sum(x[1] for x in frame["warn"]["ages"])


def test_deck_attention_slide_is_the_cli_list(capsys, warehouse_path, tmp_path):
    want = cli_alerts(capsys, warehouse_path)
    path = tmp_path / "d.pptx"
    assert cli.main(["--db", warehouse_path, "report", "--quarter", "2026Q3", "--format", "pptx", "--out", str(path)]) == 0
    prs = Presentation(str(path))
    titles = [next((sh.text_frame.text for sh in s.shapes if sh.name == "chrome:title"), "") for s in prs.slides]
    assert titles[1].startswith("需关注事项")                           # right after the cover
    rows = []
    for s in prs.slides:
        shapes = {sh.name: sh for sh in s.shapes}
        for name, sh in shapes.items():
            if name.startswith("attention:lead"):
                assert counts_in(sh.text_frame.text) == triple(want["counts"])
            if name.startswith("table:attention"):
                rows += [[c.text_frame.text for c in r.cells] for r in list(sh.table.rows)[1:]]
    expected = [i for i in want["items"] if i["status"] != "绿"]
    assert [(r[0], r[2]) for r in rows] == [(f"● {STATUS_WORD[i['status']]}", i["label"]) for i in expected]
    assert [r[1].split("·")[-1].strip() for r in rows] == [zh(i["scope_name"]) for i in expected]
    # the district slide lists every district target, with the same status
    district = {i["label"]: i for i in want["items"] if i["scope_type"] == "district"}
    summary = next(sh.table for s in prs.slides for sh in s.shapes if sh.name == "table:summary:*|*")
    statuses = {r.cells[0].text_frame.text: r.cells[6].text_frame.text for r in list(summary.rows)[1:]}
    shown = {k: v for k, v in statuses.items() if v != "—"}
    assert len(shown) == len(district)
    assert sorted(v for v in shown.values()) == sorted(f"● {STATUS_WORD[i['status']]}" for i in district.values())
    # the executive summary states the same counts
    exe = next(s for s in prs.slides if any(sh.name == "executive:问题" for sh in s.shapes))
    text = next(sh.text_frame.text for sh in exe.shapes if sh.name == "executive:问题")
    assert f"年度目标滞后{want['counts']['红']}项、关注{want['counts']['黄']}项" in text


def test_an_item_links_to_its_scope_page(warehouse_path, capsys):
    """Clicking a 需关注事项 row's scope opens that chain's (park's) page with the filter set."""
    import os

    from streamlit.testing.v1 import AppTest

    from conftest import ROOT
    want = [i for i in cli_alerts(capsys, warehouse_path)["items"] if i["status"] != "绿" and i["scope_type"] != "district"]
    at = AppTest.from_file(os.path.join(ROOT, "streamlit_app.py"), default_timeout=120)
    at.query_params["quarter"] = "2026Q3"
    at.run()
    first = next(b for b in at.button if (b.key or "").startswith("algo_ov_al_"))
    assert first.label == safe.label(want[0]["scope_name"])
    first.click().run()
    assert not at.exception, [e.message for e in at.exception]
    param = "chain" if want[0]["scope_type"] == "chain" else "park"
    assert at.session_state[param] == want[0]["scope_id"]
    assert [t.value for t in at.title] == ["产业链" if param == "chain" else "园区"]
    assert at.query_params.get("quarter") in ("2026Q3", ["2026Q3"])
