"""园区 page under AppTest (district, P01, a chain filter) and the pure map builder; displayed numbers equal
independent SQL over the RAW tables (DESIGN.md 口径)."""
import datetime as dt
import json

import polars as pl
import pytest

from conftest import scalar
from conftest import shown_text

Q = dt.date(2026, 9, 30)
ALIVE = "e.founded_on <= $q AND (e.closed_on IS NULL OR e.closed_on > $q)"


def _n_park_enterprises(raw, park, chain=None):
    sql = f"SELECT count(*) FROM enterprises e WHERE e.park_id = $p AND {ALIVE}"
    if chain:
        sql += " AND e.enterprise_id IN (SELECT enterprise_id FROM enterprise_chains WHERE chain_id = $c)"
    return scalar(raw, sql, {"q": Q, "p": park} | ({"c": chain} if chain else {}))


def _appeals(raw, park, chain=None):
    cond = "a.park_id = $p AND a.received_on <= $q AND (a.resolved_on IS NULL OR a.resolved_on > $q)"
    p = {"q": Q, "p": park}
    if chain:
        cond += " AND a.chain_id = $c"
        p["c"] = chain
    return (scalar(raw, f"SELECT count(*) FROM appeals a WHERE {cond}", p),
            scalar(raw, f"SELECT count(*) FROM appeals a WHERE {cond} AND a.due_on < $q", p))


def _map_data(at) -> dict:
    comps = [c for c in at.get("bidi_component") if c.proto.component_name.endswith("streamlit_echarts")]
    assert len(comps) == 1
    return json.loads(comps[0].proto.json)


def test_district_map_and_table_equal_raw_tables(app, raw):
    at = app("views/park.py", quarter="2026Q3")
    assert [t.value for t in at.title] == ["园区"]
    data = _map_data(at)
    # the GeoJSON is registered with the chart: 黄埔区 plus faint neighbours (海珠区 holds 生物岛)
    names = {f["properties"]["name"] for f in data["map"]["geoJson"]["features"]}
    assert {"黄埔区", "海珠区", "天河区"} <= names and data["map"]["mapName"] == data["options"]["geo"]["map"]
    pts = data["options"]["series"][0]["data"]
    assert len(pts) == 13
    by_id = {p["value"][3]: p for p in pts}
    for pid in ("P01", "P13"):
        assert by_id[pid]["value"][2] == _n_park_enterprises(raw, pid)
        lon, lat = raw.sql("SELECT lon, lat FROM parks WHERE park_id = $p", params={"p": pid}).fetchall()[0]
        assert by_id[pid]["value"][:2] == [lon, lat]
    # the park table: 13 parks and the 未入园 remainder (enterprises outside every park, from the raw tables)
    df = at.dataframe[0].value
    assert len(df) == 14 and df["园区"].iloc[-1] == "未入园"
    assert df["企业数"].iloc[-1] == raw.sql("""SELECT count(*) FROM enterprises WHERE park_id IS NULL
        AND founded_on <= $q AND (closed_on IS NULL OR closed_on > $q)""", params={"q": Q}).fetchall()[0][0]
    df = df.iloc[:13]
    r = {row["园区"].split(" ")[0]: row for _, row in df.iterrows()}
    chief = dict(raw.sql("SELECT park_id, has_park_chief FROM parks").fetchall())
    for pid in ("P01", "P04", "P13"):
        assert r[pid]["企业数"] == _n_park_enterprises(raw, pid)
        assert r[pid]["园长制"] == ("是" if chief[pid] else "否")
        assert r[pid]["超期未办结"] == _appeals(raw, pid)[1]
    assert "暖企党建“三化”" in r["P04"]["特色机制"]


def test_map_metric_follows_the_segmented_control(app, raw):
    at = app("views/park.py", quarter="2026Q3")
    at.segmented_control(key="pk_metric").set_value("n_appeals_overdue").run()
    assert not at.exception
    pts = {p["value"][3]: p for p in _map_data(at)["options"]["series"][0]["data"]}
    assert pts["P01"]["value"][2] == _appeals(raw, "P01")[1]
    assert "超期未办结" in _map_data(at)["options"]["title"]["subtext"]


def test_park_view_p01_equals_raw_tables(app, raw):
    at = app("views/park.py", quarter="2026Q3", park="P01")
    md = shown_text(at)
    assert "P01 广州科学城" in md.splitlines()
    unit = raw.sql("SELECT u.name FROM parks p JOIN units u ON u.unit_id = p.chief_unit_id "
                   "WHERE p.park_id = 'P01'").fetchall()[0][0]
    assert f"园长派出/牵头单位:{unit}" in md and "园长制:是" in md
    m = {}
    for x in at.metric:
        m.setdefault(x.label, x.value)
    n = _n_park_enterprises(raw, "P01")
    assert m["企业数"] == f"{n:,} 家"
    total, overdue = _appeals(raw, "P01")
    assert m["未办结诉求"] == f"{total:,} 件" and m["超期未办结"] == f"{overdue:,} 件"
    frames = {tuple(d.value.columns)[0]: d.value for d in at.dataframe}
    assert len(frames["企业名称"]) == n                    # the park's enterprise list
    assert len(frames["企业"]) == total                    # open appeals
    assert (frames["企业"]["状态"].str.startswith("● 超期")).sum() == overdue
    # enterprises by chain (clickable bar): C11 in P01
    figs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    bar = next(f["data"][0] for f in figs if "C11" in (f["data"][0].get("customdata") or []))
    assert dict(zip(bar["customdata"], bar["x"]))["C11"] == _n_park_enterprises(raw, "P01", "C11")
    # the selected park is highlighted with a ripple on the map
    series = _map_data(at)["options"]["series"]
    assert series[1]["type"] == "effectScatter" and series[1]["data"][0]["value"][3] == "P01"


def test_park_view_with_chain_filter_is_chain_x_park(app, raw):
    at = app("views/park.py", quarter="2026Q3", park="P01", chain="C02")
    frames = {tuple(d.value.columns)[0]: d.value for d in at.dataframe}
    assert len(frames["企业名称"]) == _n_park_enterprises(raw, "P01", "C02")
    assert len(frames["企业"]) == _appeals(raw, "P01", "C02")[0]


# ---------------------------------------------------------------- pure builders
@pytest.fixture(scope="module")
def parks_df(warehouse_path):
    from dashboard.db import execute
    df = execute("park/overview", {"quarter_end": Q, "chain_id": "*"})
    return df.filter(~df["is_remainder"])          # the map shows the 13 parks (not the 未入园 remainder)


def test_map_builder_is_pure_and_labels_do_not_overlap(parks_df):
    from dashboard.charts import geo
    opts = geo.park_map_options(parks_df, "n_enterprises", selected="P13")
    assert json.loads(json.dumps(opts)) == opts              # plain JSON, no JS code
    pts = opts["series"][0]["data"]
    assert len(pts) == 13 and opts["series"][1]["data"][0]["value"][3] == "P13"
    # the view contains every park (生物岛 lies west of 黄埔区, inside 海珠区)
    x0, y0, x1, y1 = geo.VIEW
    assert all(x0 < p["value"][0] < x1 and y0 < p["value"][1] < y1 for p in pts)
    # label boxes as placed (same geometry as the builder) do not overlap each other
    order = sorted(pts, key=lambda p: -p["symbolSize"])
    placed = geo.place_labels([{"id": p["value"][3], "lon": p["value"][0], "lat": p["value"][1],
                                "size": p["symbolSize"], "text": p["label"]["formatter"]} for p in order],
                              760, 700 * 0.94)
    assert {p["value"][3]: (p["label"]["position"], p["label"]["offset"]) for p in pts} == {
        k: (v[0], v[1]) for k, v in placed.items()}


def test_place_labels_moves_a_label_away_from_a_close_neighbour():
    from dashboard.charts import geo
    pts = [{"id": "a", "lon": 113.45, "lat": 23.2, "size": 20, "text": "甲园区 100家"},
           {"id": "b", "lon": 113.47, "lat": 23.2, "size": 20, "text": "乙园区 200家"}]
    pos = geo.place_labels(pts, 760, 660)
    assert pos["a"][0] != "right"       # "right" would run into b


def test_park_from_event_reads_the_id_in_the_point_value():
    from dashboard.charts import geo
    ev = {"selection": {"points": [{"value": [113.4, 23.1, 5, "P07"], "name": "云埔工业区"}]}}
    assert geo.park_from_event(ev) == "P07"
    assert geo.park_from_event({"selection": {"points": [{"value": 3, "name": "云埔工业区"}]}},
                               {"云埔工业区": "P07"}) == "P07"
    assert geo.park_from_event({"selection": {"points": []}}) is None
    assert geo.park_from_event(None) is None


def test_geojson_is_trimmed_to_the_view():
    from dashboard.charts import geo
    gj = geo.district_geojson()
    names = {f["properties"]["name"] for f in gj["features"]}
    assert "黄埔区" in names and "海珠区" in names and "南沙区" not in names
    assert len(json.dumps(gj)) < 300_000


def test_rates_colour_ramp_direction():
    from dashboard.charts import geo
    df = pl.DataFrame({"park_id": ["P1", "P2"], "park_name": ["甲", "乙"], "lon": [113.4, 113.5],
                       "lat": [23.1, 23.2], "n_appeals_overdue": [0, 10]})
    pts = geo.park_map_options(df, "n_appeals_overdue")["series"][0]["data"]
    assert pts[1]["itemStyle"]["color"] == geo.RAMP_BAD[-1]     # most overdue = red end
    assert pts[1]["symbolSize"] > pts[0]["symbolSize"]
