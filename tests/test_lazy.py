"""A session's first page leaves out what is below the first screen until its browser reports the first
paint (dashboard/lazy.py); the page then runs whole. Both runs show the same judgement (the counts and
the rows that are shown are the CLI's), and the whole run shows everything."""
from dashboard import lazy
from dashboard.alerts_ui import ROW_PX
from test_surfaces_agree import cli_alerts, counts_in, html_of, listed_items, triple


def _report_components(at) -> list:
    return [e for e in at.get("bidi_component") if lazy.COMPONENT in e.proto.component_name]


def test_first_run_then_whole_page(app, capsys, warehouse_path):
    want = cli_alerts(capsys, warehouse_path)
    rows = [(i["status"], i["label"]) for i in want["items"] if i["status"] != "绿"]
    assert len(rows) > 8, "the demo district must have more 需关注 items than fit the box"

    first = app("views/overview.py", quarter="2026Q3", painted=False)
    head = next(b for b in html_of(first) if "id='attention'" in b)
    assert counts_in(head) == triple(want["counts"])            # the counts are complete at once
    box = min(470, ROW_PX * len(rows) + 26)
    n_first = box // ROW_PX + 1
    assert listed_items(first, "ov_al") == rows[:n_first]       # the rows that fit, red first
    captions = [c.value for c in first.caption]
    assert f"其余 {len(rows) - n_first} 项加载中…" in captions
    assert "图表加载中…" in captions
    assert len(first.get("plotly_chart")) == 0                  # no chart before the first paint
    assert len(_report_components(first)) == 1                  # one report, however many parts wait
    assert len(first.metric) > 0                                # the KPI cards are in the first run

    whole = app("views/overview.py", quarter="2026Q3")          # after the browser's report
    assert listed_items(whole, "ov_al") == rows
    assert len(whole.get("plotly_chart")) == 6
    assert not _report_components(whole)
    assert not [c for c in whole.caption if "加载中" in c.value]
    assert [m.value for m in whole.metric] == [m.value for m in first.metric]
