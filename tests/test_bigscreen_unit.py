"""大屏: pure parts (URL options, rotation, tiles, chart builders, label layout) and the assembled frame
checked against independent SQL over the raw tables; the page under AppTest (normal and data missing)."""
from __future__ import annotations

import datetime as dt
import json
import re

import polars as pl
import pytest

import independent
from dashboard import bigscreen as bs
from dashboard import kpis
from dashboard.charts import screen

Q = dt.date(2026, 9, 30)


# ------------------------------------------------------------------------------------------- config
def test_config_defaults_and_bad_values():
    assert bs.config({}) == bs.Config("chain", 20, None, None)
    c = bs.config({"rotate": "PARK", "interval": "7", "quarter": "2026q2", "start": "P03"})
    assert (c.rotate, c.interval, c.quarter, c.start) == ("park", 7, "2026Q2", "P03")
    assert bs.config({"rotate": "bogus", "interval": "abc"}) == bs.Config()
    assert bs.config({"interval": "1"}).interval == 3            # clamped
    assert bs.config({"interval": "999999"}).interval == 3600
    assert bs.config({"interval": "3"}).tick == 30                # data re-read every 30 s at least


def test_items_district_first_then_each_chain_or_park():
    chains = pl.DataFrame({"chain_id": ["C02", "C01"], "name": ["乙", "甲"]})
    parks = pl.DataFrame({"park_id": ["P01"], "name": ["园"]})
    it = bs.items("chain", chains, parks)
    assert [(i.kind, i.id) for i in it] == [("district", None), ("chain", "C01"), ("chain", "C02")]
    assert (it[0].chain_key, it[0].park_key, it[1].chain_key, it[1].park_key) == ("*", "*", "C01", "*")
    pk = bs.items("park", chains, parks)
    assert [(i.kind, i.id, i.park_key) for i in pk] == [("district", None, "*"), ("park", "P01", "P01")]


# ------------------------------------------------------------------------------------------- rotation
def test_rotation_advances_wraps_and_ignores_stale_events():
    state: dict = {}
    r = bs.Rotation(state)
    k0 = r.key
    assert r.advance(3, expected_key=k0) and r.index(3) == 1
    assert not r.advance(3, expected_key=k0)          # a repeated/late browser event must not skip an item
    assert r.index(3) == 1
    r.advance(3)
    r.advance(3)
    assert r.index(3) == 0                            # wraps to the district
    assert set(state) == {"idx", "seq", "paused", "since", "n"}   # the state never grows


def test_rotation_pause_blocks_and_resume_restarts_the_item():
    r = bs.Rotation({})
    key = r.key
    r.toggle()
    assert r.paused and r.key == key                  # pausing keeps the item (the bar holds)
    assert not r.advance(14, expected_key=key) and not r.advance(14)
    assert not r.overdue(3, now=r.s["since"] + 1000)  # paused: never overdue
    r.toggle()
    assert not r.paused and r.key != key              # resuming restarts the full interval
    assert not r.overdue(20, now=r.s["since"] + 49) and r.overdue(20, now=r.s["since"] + 51)


# ------------------------------------------------------------------------------------------- tiles
def _head(key, value, prev, target=None):
    return kpis.Headline(kpis.BY_KEY[key], value, prev, None, target)


def test_tile_texts_and_deltas():
    t = bs.tile(_head("n_enterprises", 44029, 43333))
    assert (t["text"], t["unit"], t["value"], t["dec"]) == ("44,029", "家", 44029.0, 0)
    assert t["delta"] == {"arrow": "▲", "text": "1.6%", "cls": "good"}
    r = bs.tile(_head("org_coverage_rate", 0.58165, 0.5577,
                      {"metric": "org_coverage_rate", "status": "黄", "expected": 0.5934, "target_value": 0.63}))
    assert (r["text"], r["unit"], r["dec"]) == ("58.2", "%", 1)
    assert r["delta"]["text"] == "2.4 个百分点" and r["delta"]["cls"] == "good"
    assert r["status"] == {"word": "关注", "cls": "warn", "text": "应达59.3%"}
    bad = bs.tile(_head("n_appeals_overdue", 12, 10))        # more overdue appeals is worse
    assert bad["delta"]["arrow"] == "▲" and bad["delta"]["cls"] == "bad"
    assert bs.tile(_head("n_secretaries", 5, 5))["delta"]["cls"] == "flat"
    assert bs.tile(_head("n_lgsx", 8575, 8578))["delta"] == {"arrow": "▼", "text": "3 家", "cls": "bad"}
    assert bs.tile(_head("n_xjr", None, None))["text"] == "—"


# ------------------------------------------------------------------------------------------- builders
def _rank_df():
    return pl.DataFrame({"item_id": ["C01", "C02", "C03"], "item_name": ["甲链", "乙链", "丙链"],
                         "n_enterprises": [10, 30, 20], "org_coverage_rate": [0.5, 0.6, None],
                         "n_red": [0, 1, 0], "n_yellow": [1, 0, 0]})


def test_ranking_orders_best_first_and_highlights_the_current_item():
    o = screen.ranking(_rank_df(), "n_enterprises", "C03", side_metric="org_coverage_rate")
    data = o["series"][0]["data"]
    assert [d["id"] for d in data] == ["C02", "C03", "C01"]
    assert [d["value"] for d in data] == [30, 20, 10]
    assert o["yAxis"]["inverse"] is True
    names = o["yAxis"]["data"]
    assert "{cur|丙链}" in names[1] and "{nm|乙链}" in names[0] and "{red|●}" in names[0] and "{amber|●}" in names[2]
    assert data[1]["itemStyle"]["shadowColor"] == screen.GOLD and data[0]["itemStyle"]["shadowColor"] == "transparent"
    assert "60.0%" in data[0]["label"]["formatter"]
    json.dumps(o)                                            # JSON-able as it is


def test_px_is_a_browser_expression_scaled_to_the_viewport():
    v = screen.px(16)
    assert screen.is_js(v) and "innerWidth/1920" in v and "innerHeight/1080" in v and "16*" in v


def test_trend_scales_rates_to_percent():
    df = pl.DataFrame({"quarter_label": ["2026Q2", "2026Q3"], "n_enterprises": [5, 6],
                       "org_coverage_rate": [0.5, 0.612], "work_coverage_rate": [0.7, None]})
    o = screen.trend(df)
    assert o["xAxis"]["data"] == ["26Q2", "26Q3"]
    assert o["series"][0]["data"] == [5, 6]
    assert o["series"][1]["data"] == [50.0, 61.2] and o["series"][2]["data"] == [70.0, None]


def _font_sizes(o) -> list[float]:
    """The design sizes (px(n) → n) of every fontSize in an option tree."""
    out = []

    def walk(x, key=None):
        if isinstance(x, dict):
            for k, v in x.items():
                walk(v, k)
        elif isinstance(x, list):
            for v in x:
                walk(v, key)
        elif key == "fontSize":
            m = re.search(r"Math\.round\(([0-9.]+)\*", str(x))
            out.append(float(m.group(1)) if m else float(x))
    walk(o)
    return out


def test_every_chart_text_is_at_least_18_design_px():
    df = pl.DataFrame({"quarter_label": ["2026Q2", "2026Q3"], "n_enterprises": [5, 6],
                       "org_coverage_rate": [0.5, 0.612], "work_coverage_rate": [0.7, None]})
    for o in (screen.ranking(_rank_df(), "n_enterprises", "C03"), screen.trend(df),
              screen.gauge(0.9578, {"target_value": 0.96, "status": "绿"}, [("本季收到 · 件", "421", "#fff")]),
              screen.district_map(_parks_df(), "org_coverage_rate", current_id="P13")):
        sizes = _font_sizes(o)
        assert sizes and min(sizes) >= screen.FONT == 18, sizes


def _parks_df():
    return pl.DataFrame({"item_id": ["P01", "P02", "P13"], "item_name": ["广州科学城", "中新广州知识城", "广州国际生物岛"],
                         "lon": [113.447, 113.495, 113.37], "lat": [23.168, 23.385, 23.066],
                         "n_enterprises": [100, 0, 50], "org_coverage_rate": [0.6, None, 0.5]})


def test_district_map_is_the_shared_map_coloured_by_target_status():
    from dashboard import theme
    from dashboard.charts import geo
    statuses = {"P01": "绿", "P13": "红"}
    o = screen.district_map(_parks_df(), "org_coverage_rate", current_id="P13", statuses=statuses)
    pts = {d["value"][3]: d for d in o["series"][0]["data"]}
    assert set(pts) == {"P01", "P02", "P13"}
    assert pts["P01"]["value"] == [113.447, 23.168, 0.6, "P01", 100]           # size: the park's enterprises
    # colour = the park's own target status in the product's colours; no target → a fixed band, never red
    assert pts["P01"]["itemStyle"]["color"] == theme.STATUS_COLOR["绿"]
    assert pts["P13"]["itemStyle"]["color"] == theme.STATUS_COLOR["红"]
    assert pts["P02"]["itemStyle"]["color"] == geo.RATE_BANDS[0][1]
    assert pts["P13"]["itemStyle"]["borderColor"] == theme.GOLD                 # the current park
    assert "visualMap" not in o                                                  # no stretched min–max ramp
    # the same map as the park page: one GeoJSON name, the district highlighted, labels that never overlap
    assert o["geo"]["map"] == geo.MAP_NAME and o["geo"]["regions"][-1]["name"] == "黄埔区"
    assert o["series"][0]["labelLayout"] == {"hideOverlap": True}
    # every text is sized for 5 m: px(≥ 18) (the browser test measures them as drawn)
    sizes = _font_sizes(o)
    assert sizes and min(sizes) >= 18, sizes
    # nothing animates continuously (no ripples: each frame would repaint the layer)
    assert {s["type"] for s in o["series"]} == {"scatter"}
    # without targets (a chain's parks): fixed 10-point bands of one hue, whatever the spread
    plain = screen.district_map(_parks_df(), "org_coverage_rate")
    cols = {d["value"][3]: d["itemStyle"]["color"] for d in plain["series"][0]["data"]}
    assert cols["P01"] == dict(geo.RATE_BANDS)[0.6] and cols["P13"] == dict(geo.RATE_BANDS)[0.5]
    assert not set(cols.values()) & {theme.RED, theme.STATUS_COLOR["红"], theme.STATUS_COLOR["黄"]}


def test_rate_axis_has_round_ticks_and_the_trend_a_right_axis():
    assert screen.rate_axis([53.4, 60.9]) == (40, 100, 20)
    assert screen.rate_axis([61.0, 70.0]) == (60, 100, 10)
    assert screen.rate_axis([]) == (0, 100, 20)
    df = pl.DataFrame({"quarter_label": ["2026Q2", "2026Q3"], "n_enterprises": [40000, 44029],
                       "org_coverage_rate": [0.534, 0.552], "work_coverage_rate": [0.70, 0.803]})
    o = screen.trend(df)
    left, right = o["yAxis"]
    assert [s["yAxisIndex"] for s in o["series"]] == [0, 1, 1]                  # rates never on the count axis
    assert (right["min"], right["max"], right["interval"]) == (40, 100, 20) and right["axisLabel"]["formatter"] == "{value}%"
    assert right["axisLabel"].get("show", True) is not False


def test_simplified_geojson_is_small_and_keeps_the_districts():
    import json as _json

    from dashboard.paths import GEO_DIR
    raw = _json.loads((GEO_DIR / "guangzhou.geojson").read_text(encoding="utf-8"))
    small = bs.map_geojson()
    names = {f["properties"]["name"] for f in small["features"]}
    assert {"黄埔区", "海珠区", "天河区", "白云区", "增城区"} <= names
    n_raw = sum(len(r) for f in raw["features"] for r in f["geometry"]["coordinates"])
    n_small = sum(len(r) for f in small["features"] for r in f["geometry"]["coordinates"])
    assert n_small < n_raw / 3
    hp = [f for f in small["features"] if f["properties"]["name"] == "黄埔区"][0]
    assert hp["id"] == "440112" and len(hp["geometry"]["coordinates"][0]) > 50
    assert len(_json.dumps(small)) < 100_000


def test_park_labels_are_placed_apart_on_the_real_parks(raw):
    """The shared placement (before ECharts' hideOverlap) at the big screen's 18-px text: the labels of the
    parks with the most enterprises are placed without touching each other."""
    from dashboard.charts import geo
    rows = raw.sql("""SELECT p.park_id, p.name, p.lon, p.lat, count(e.enterprise_id) AS n FROM parks p
        LEFT JOIN enterprises e USING (park_id) GROUP BY ALL ORDER BY n DESC, p.park_id""").fetchall()
    pts = [{"id": pid, "lon": lon, "lat": lat, "size": 24, "text": f"{name} 55.5%"} for pid, name, lon, lat, _ in rows]
    pos = geo.place_labels(pts, *screen.MAP_DESIGN, font=screen.FONT)
    assert set(pos) == {p["id"] for p in pts}
    assert all(side in ("right", "left", "top", "bottom") for side, _ in pos.values())


def test_gauge_and_targets():
    g = screen.gauge(0.9578, {"target_value": 0.96, "status": "绿"}, [("本季收到 · 件", "421", "#fff")])
    assert g["series"][1]["data"][0]["value"] == 95.8
    assert g["series"][2]["data"][0]["value"] == 96.0              # the target marker
    texts = [c["style"]["text"] for grp in g["graphic"] for c in grp["children"] if c["type"] == "text"]
    assert texts[0].startswith("{v|96%}") and "421" in texts[1]


def test_warning_panel_html_escapes_and_rolls_only_when_long():
    warn = {"counts": {"红": 4, "黄": 1, "绿": 3}, "n_targets": 8, "n_overdue": 12,
            "ages": [("≤30天", 7, False), ("31–90天", 3, False), ("91–180天", 2, True), (">180天", 0, True)],
            "items": [{"status": "红", "word": "滞后", "scope": "<甲链>", "label": "小巨人", "line": "实际 2 家 / 应达 3 家 · 差 1 家"}]}
    h = bs.warn_html(warn)
    assert "&lt;甲链&gt;" in h and "<甲链>" not in h and "bs-warn-roll" not in h
    assert ">12</b> 件" in h and "bs-age hot" in h and ">2</b><span>91–180天" in h
    assert "滞后 4" in bs.warn_title_extra(warn) and "关注 1" in bs.warn_title_extra(warn)
    many = bs.warn_html({**warn, "items": warn["items"] * 5})
    assert "bs-warn-roll" in many and "data-n='5'" in many
    assert "进度均正常" in bs.warn_html({**warn, "items": []})
    assert "未设年度目标" in bs.warn_html({**warn, "items": [], "n_targets": 0})


def test_cases_html_escapes_and_rolls_only_when_long():
    one = [{"date": "2026-09-01", "kind": "解决问题", "title": "<b>x</b>", "who": "第一书记 甲", "where": "乙"}]
    h = bs.cases_html(one)
    assert "&lt;b&gt;x&lt;/b&gt;" in h and "<b>x</b>" not in h and "bs-cases-roll" not in h
    many = bs.cases_html(one * 5)
    assert "bs-cases-roll" in many and many.count("bs-case'") == 10     # the list twice, for a seamless loop
    assert "data-n='5'" in many
    assert "暂无典型案例" in bs.cases_html([])


# ------------------------------------------------------------------------------------------- frame vs raw SQL
def _tile_texts(frame) -> dict:
    return {t["label"]: t["text"] for t in frame["tiles"]}


def _expected_text(label, v) -> str:
    k = next(k for k in kpis.KPIS if k.label == label)
    return f"{v * 100:.1f}" if k.is_rate else f"{int(v):,}"


@pytest.mark.parametrize("chain", [None, "C02"])
def test_frame_numbers_match_independent_sql(raw, warehouse_path, chain):
    cfg = bs.Config()
    from dashboard.db import run_query
    all_items = bs.items("chain", run_query("shared/chains"), run_query("shared/parks"))
    idx = 0 if chain is None else [i.id for i in all_items].index(chain)
    f = bs.assemble(cfg, all_items[idx], idx, all_items)
    assert f["quarter"] == "2026Q3" and f["n"] == 14 and f["idx"] == idx
    ind = independent.kpis(raw, Q, chain)
    for label, text in _tile_texts(f).items():
        assert text == _expected_text(label, ind[label]), label
    # chain ranking: 在营 enterprises per chain, straight from the raw tables
    want = dict(raw.sql("""SELECT ec.chain_id, count(DISTINCT e.enterprise_id) FROM enterprises e
        JOIN enterprise_chains ec USING (enterprise_id)
        WHERE e.founded_on <= $q AND (e.closed_on IS NULL OR e.closed_on > $q) GROUP BY 1""",
                        params={"q": Q}).fetchall())
    got = {d["id"]: d["value"] for d in f["rank"]["series"][0]["data"]}
    assert got == want
    values = [d["value"] for d in f["rank"]["series"][0]["data"]]
    assert values == sorted(values, reverse=True)
    # gauge = cumulative closure rate of the scope
    assert f["gauge"]["series"][1]["data"][0]["value"] == round(ind["诉求办结率"] * 100, 1)
    # cases: typical cases (is_case) up to the quarter end, newest first, of the scope's enterprises
    scope = "TRUE" if chain is None else \
        "s.enterprise_id IN (SELECT enterprise_id FROM enterprise_chains WHERE chain_id = $c)"
    p = {"q": Q} if chain is None else {"q": Q, "c": chain}
    want_cases = raw.sql(f"""SELECT o.title, o.occurred_on FROM secretary_outcomes o JOIN secretaries s USING (secretary_id)
        WHERE o.is_case AND o.occurred_on <= $q AND {scope} ORDER BY o.occurred_on DESC, o.outcome_id LIMIT 12""",
                         params=p).fetchall()
    assert [(c["title"], c["date"]) for c in f["cases"]] == [(t, d.isoformat()) for t, d in want_cases]
    assert len(f["cases"]) > 0
    # map: one point per park, enterprises of the scope in each park
    pts = f["map"]["series"][0]["data"]
    assert len(pts) == raw.sql("SELECT count(*) FROM parks").fetchall()[0][0]
    chain_cond = "" if chain is None else "AND e.enterprise_id IN (SELECT enterprise_id FROM enterprise_chains WHERE chain_id = $c)"
    want_parks = dict(raw.sql(f"""SELECT park_id, count(*) FROM enterprises e WHERE park_id IS NOT NULL
        AND e.founded_on <= $q AND (e.closed_on IS NULL OR e.closed_on > $q) {chain_cond} GROUP BY 1""",
                              params=p).fetchall())
    assert {d["value"][3]: d["value"][4] for d in pts if d["value"][4]} == want_parks
    # coloured by each park's own 组织覆盖率 target (the district frame), as the target mart says
    if chain is None:
        want_status = dict(raw.sql("""SELECT scope_id, status FROM mart_target_status WHERE quarter_end = $q
            AND scope_type = 'park' AND metric = 'org_coverage_rate'""", params={"q": Q}).fetchall())
        from dashboard import theme
        assert {d["value"][3]: d["itemStyle"]["color"] for d in pts} == {
            k: theme.STATUS_COLOR[v] for k, v in want_status.items()}


# ------------------------------------------------------------------------------------------- the page
def test_page_runs_and_starts_where_asked(app):
    at = app("views/bigscreen.py", interval="5")
    comps = at.get("bidi_component")
    assert len(comps) == 6                                     # phone check, header/KPIs, 4 charts (预警 is HTML)
    phone = json.loads(comps[0].proto.json)
    assert phone == {"kiosk": False, "min_width": 768, "keep": ["chain", "park"]}
    top = json.loads(comps[1].proto.json)
    assert top["scope"] == "黄埔区 · 全区" and top["idx"] == 0 and top["n"] == 14 and top["interval"] == 5
    assert [t["key"] for t in top["tiles"]] == bs.TILE_KEYS
    at2 = app("views/bigscreen.py", start="C03", rotate="chain")
    top2 = json.loads(at2.get("bidi_component")[1].proto.json)
    assert top2["idx"] == 3 and top2["scope"] == "半导体和集成电路"
    at3 = app("views/bigscreen.py", rotate="park", start="P13")
    top3 = json.loads(at3.get("bidi_component")[1].proto.json)
    assert top3["mode"] == "园区轮播" and top3["scope"] == "广州国际生物岛" and top3["n"] == 14


def test_page_shows_a_dignified_waiting_screen_without_data(app, monkeypatch, tmp_path):
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "missing.duckdb"))
    at = app("views/bigscreen.py")
    bodies = [h.proto.body for h in at.get("html")]
    assert any("数据更新中,请稍候" in b for b in bodies)
    assert [c.key for c in at.get("bidi_component")] == ["bs_phone"]      # no header, no chart
    assert not re.search(r"Traceback|Error", " ".join(b for b in bodies if "bs-wait" in b))
