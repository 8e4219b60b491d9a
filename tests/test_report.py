"""季度汇报材料: the decks built by `python -m dashboard report`, checked against independent SQL over the
raw tables and against the `kpis` CLI. Each deck is built once for the module (district, C02, P01).
"""
import datetime as dt
import math
import re
import shutil
import subprocess

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from dashboard import cli, kpis, labels
from dashboard.report import check, content, layout, pdf, pptx_deck
from dashboard.report.layout import zh

Q = dt.date(2026, 9, 30)
Q_LABEL = "2026Q3"
YOY = dt.date(2025, 9, 30)
SCOPES = {"district": (None, None), "C02": ("C02", None), "P01": (None, "P01")}
HONOR_KEYS = {"n_cxx": "创新型中小企业", "n_sjzjtx": "省级专精特新", "n_xjr": "小巨人", "n_dxgj": "单项冠军",
              "n_lgsx": "两高四新", "n_gxjs": "高新技术企业"}


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def decks(warehouse_path, tmp_path_factory):
    """PPTX for district, C02, P01 and PDF for district and C02, all through the CLI."""
    out = tmp_path_factory.mktemp("decks")
    files = {}
    for name, (chain, park) in SCOPES.items():
        scope = (["--chain", chain] if chain else []) + (["--park", park] if park else [])
        formats = ("pptx", "pdf") if name != "P01" else ("pptx",)
        for fmt in formats:
            path = out / f"{name}.{fmt}"
            argv = ["--db", warehouse_path, "report", "--quarter", Q_LABEL, *scope, "--format", fmt, "--out", str(path)]
            assert cli.main(argv) == 0
            files[(name, fmt)] = path
    return files


@pytest.fixture(scope="module")
def prs(decks):
    return {name: Presentation(str(decks[(name, "pptx")])) for name in SCOPES}


@pytest.fixture(scope="module")
def census(raw):
    """Independent per-quarter, per-scope counts from the raw tables (DESIGN.md 口径):
    {(quarter_end, 'C|P'): dict(n_ent, n_base, n_org, n_work)} for '*', every chain, park and chain × park."""
    rows = raw.sql("""
        WITH qs AS (SELECT DISTINCT quarter_end AS q FROM enterprise_party),
        members AS (
            SELECT enterprise_id, '*|*' AS scope FROM enterprises
            UNION ALL SELECT enterprise_id, chain_id || '|*' FROM enterprise_chains
            UNION ALL SELECT enterprise_id, '*|' || park_id FROM enterprises WHERE park_id IS NOT NULL
            UNION ALL SELECT ec.enterprise_id, ec.chain_id || '|' || e.park_id
                      FROM enterprise_chains ec JOIN enterprises e USING (enterprise_id) WHERE e.park_id IS NOT NULL
        ), alive AS (
            SELECT qs.q, e.enterprise_id, e.employees >= 10 AS is_base
            FROM qs JOIN enterprises e ON e.founded_on <= qs.q AND (e.closed_on IS NULL OR e.closed_on > qs.q)
        ), flags AS (
            SELECT a.q, a.enterprise_id, a.is_base,
                   coalesce(p.org_type IN ('单独组建', '联合组建'), false) AS has_org,
                   coalesce(p.has_liaison, false) AS has_liaison,
                   EXISTS (SELECT 1 FROM secretaries s WHERE s.enterprise_id = a.enterprise_id
                           AND s.started_on <= a.q AND (s.ended_on IS NULL OR s.ended_on > a.q)) AS has_secretary
            FROM alive a LEFT JOIN enterprise_party p ON p.enterprise_id = a.enterprise_id AND p.quarter_end = a.q
        )
        SELECT f.q, m.scope, count(*), count(*) FILTER (WHERE is_base),
               count(*) FILTER (WHERE is_base AND has_org),
               count(*) FILTER (WHERE is_base AND (has_org OR has_liaison OR has_secretary))
        FROM flags f JOIN members m USING (enterprise_id)
        GROUP BY ALL""").fetchall()
    return {(q, scope): dict(n_ent=a, n_base=b, n_org=o, n_work=w) for q, scope, a, b, o, w in rows}


@pytest.fixture(scope="module")
def names(raw):
    chains = dict(raw.sql("SELECT chain_id, name FROM chains ORDER BY chain_id").fetchall())
    parks = dict(raw.sql("SELECT park_id, name FROM parks ORDER BY park_id").fetchall())
    return chains, parks


# ----------------------------------------------------------------------------- helpers
def unsigned(text):
    """A zero is never signed: '+0.0 个百分点' → '0.0 个百分点', '+0 家(-0.0%)' → '0 家(0.0%)'."""
    return re.sub(r"[+-](0(?:\.0+)?)(?![\d.])", r"\1", text) if text else text


def shapes_by_name(slide) -> dict:
    return {sh.name: sh for sh in slide.shapes}


def all_charts(p):
    for i, slide in enumerate(p.slides, start=1):
        for sh in slide.shapes:
            if sh.has_chart:
                yield i, sh.name, sh.chart


def chart_data(chart) -> dict[str, dict[str, float]]:
    plot = chart.plots[0]
    cats = [str(c) for c in plot.categories]
    return {s.name: dict(zip(cats, s.values)) for s in plot.series}


def all_text(p) -> str:
    parts = []
    for slide in p.slides:
        for sh in slide.shapes:
            if sh.has_text_frame:
                parts.append(sh.text_frame.text)
            if sh.has_table:
                parts += [c.text_frame.text for r in sh.table.rows for c in r.cells]
            if sh.has_chart:
                for plot in sh.chart.plots:
                    parts += [str(c) for c in plot.categories]
                    parts += [s.name for s in plot.series]
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    parts.append(p.core_properties.title or "")
    return "\n".join(parts)


def quarter_label(q: dt.date) -> str:
    return f"{q.year}Q{(q.month - 1) // 3 + 1}"


def last_quarters(raw, n=12) -> list[dt.date]:
    qs = [r[0] for r in raw.sql("SELECT DISTINCT quarter_end FROM enterprise_party WHERE quarter_end <= $q "
                                "ORDER BY 1", params={"q": Q}).fetchall()]
    return qs[-n:]


def ladder_counts(raw, q, chain, park) -> dict[str, int]:
    cond = ["e.founded_on <= $q", "(e.closed_on IS NULL OR e.closed_on > $q)"]
    params = {"q": q}
    if chain:
        cond.append("e.enterprise_id IN (SELECT enterprise_id FROM enterprise_chains WHERE chain_id = $c)")
        params["c"] = chain
    if park:
        cond.append("e.park_id = $p")
        params["p"] = park
    rows = raw.sql(f"""SELECT h.honor, count(DISTINCT e.enterprise_id) FROM honors h JOIN enterprises e USING (enterprise_id)
        WHERE h.awarded_on <= $q AND (h.expires_on IS NULL OR h.expires_on > $q)
          AND (h.revoked_on IS NULL OR h.revoked_on > $q) AND {' AND '.join(cond)} GROUP BY 1""", params=params).fetchall()
    return dict(rows)


def sec_scope(chain, park, params):
    cond = []
    if chain:
        cond.append("s.enterprise_id IN (SELECT enterprise_id FROM enterprise_chains WHERE chain_id = $c)")
        params["c"] = chain
    if park:
        cond.append("s.enterprise_id IN (SELECT enterprise_id FROM enterprises WHERE park_id = $p)")
        params["p"] = park
    return " AND ".join(["TRUE"] + cond)


def expected_chart(raw, census, names, deck_scope, chart_name) -> dict[str, dict[str, float]]:
    """What a chart must hold, from the raw tables (series name → {category → value})."""
    chains, parks = names
    chain, park = SCOPES[deck_scope]
    kind = chart_name.split(":")[1]
    qs = last_quarters(raw)
    qstart = dt.date(Q.year, Q.month - 2, 1)
    if kind in ("trend_enterprises", "trend_coverage"):
        scope = chart_name.split(":", 2)[2]
        cats = [quarter_label(q) for q in qs]
        if kind == "trend_enterprises":
            return {"在营企业数": {c: census[(q, scope)]["n_ent"] for c, q in zip(cats, qs)}}
        return {"组织覆盖率": {c: census[(q, scope)]["n_org"] / census[(q, scope)]["n_base"] for c, q in zip(cats, qs)},
                "工作覆盖率": {c: census[(q, scope)]["n_work"] / census[(q, scope)]["n_base"] for c, q in zip(cats, qs)}}
    c_key, p_key = chain or "*", park or "*"
    if kind in ("breakdown", "coverage"):
        by = chart_name.split(":")[2]
        if by == "park":
            keys = {f"{c_key}|{pid}": zh(n) for pid, n in parks.items()}
        else:
            keys = {f"{cid}|{p_key}": zh(n) for cid, n in chains.items()}
        got = {label: census.get((Q, k)) for k, label in keys.items()}
        if kind == "breakdown":
            ranked = sorted(((census[(Q, k)]["n_ent"], k, label) for k, label in keys.items()
                             if census.get((Q, k)) and census[(Q, k)]["n_ent"] > 0), key=lambda t: (-t[0], t[1]))
            assert len(ranked) <= content.MAX_TABLE_ROWS
            return {"在营企业数": {label: n for n, _, label in ranked}}
        live = {label: v for label, v in got.items() if v and v["n_base"] > 0}
        live = dict(sorted(live.items(), key=lambda kv: -kv[1]["n_org"] / kv[1]["n_base"]))   # best first
        return {"组织覆盖率": {label: v["n_org"] / v["n_base"] for label, v in live.items()},
                "工作覆盖率": {label: v["n_work"] / v["n_base"] for label, v in live.items()}}
    if kind == "ladder":
        now, yoy = ladder_counts(raw, Q, chain, park), ladder_counts(raw, YOY, chain, park)
        part = chart_name.split(":")[2]                    # base (broad tiers) / top (national titles)
        cats = {content.LADDER_LABEL[k]: HONOR_KEYS[k] for k in content.LADDER_CHARTS[part]}
        return {"本季": {zh(c): now.get(h, 0) for c, h in cats.items()},
                "上年同季": {zh(c): yoy.get(h, 0) for c, h in cats.items()}}
    if kind == "outcomes":
        params = {"q": Q, "qs": qstart}
        rows = dict(raw.sql(f"""SELECT o.kind, sum(o.n) FROM secretary_outcomes o JOIN secretaries s USING (secretary_id)
            WHERE o.occurred_on BETWEEN $qs AND $q AND {sec_scope(chain, park, params)} GROUP BY 1""",
                            params=params).fetchall())
        return {"本季成效": {k: rows.get(k, 0) for k in ("解决问题", "政策宣讲", "党建指导", "发展党员", "技术攻关", "人才引进")}}
    if kind == "appeal_trend":
        cond, params = ["TRUE"], {}
        if chain:
            cond.append("a.chain_id = $c")
            params["c"] = chain
        if park:
            cond.append("a.park_id = $p")
            params["p"] = park
        out = {"收到": {}, "办结": {}}
        for q in qs:
            qs0 = dt.date(q.year, q.month - 2, 1)
            p = {**params, "q": q, "qs": qs0}
            out["收到"][quarter_label(q)] = raw.sql(
                f"SELECT count(*) FROM appeals a WHERE a.received_on BETWEEN $qs AND $q AND {' AND '.join(cond)}",
                params=p).fetchall()[0][0]
            out["办结"][quarter_label(q)] = raw.sql(
                f"SELECT count(*) FROM appeals a WHERE a.resolved_on BETWEEN $qs AND $q AND {' AND '.join(cond)}",
                params=p).fetchall()[0][0]
        return out
    if kind == "programs":
        cond, params = ["TRUE"], {"q": Q, "qs": qstart}
        if chain:
            cond.append("pr.chain_id = $c")
            params["c"] = chain
        if park:
            cond.append("pr.enterprise_id IN (SELECT enterprise_id FROM enterprises WHERE park_id = $p)")
            params["p"] = park
        rows = dict(raw.sql(f"""SELECT a.program, count(*) FROM pairing_activities a JOIN pairings pr USING (pairing_id)
            WHERE a.held_on BETWEEN $qs AND $q AND {' AND '.join(cond)} GROUP BY 1""", params=params).fetchall())
        return {"活动次数": {k: rows.get(k, 0) for k in ("红领精英", "红创人才", "红联众创")}}
    raise AssertionError(f"no independent check for chart {chart_name}")


def cli_kpi_texts(capsys, warehouse_path, chain=None, park=None) -> dict[str, tuple[str, str]]:
    """{label: (value text, target part)} as `python -m dashboard kpis` prints them."""
    argv = ["--db", warehouse_path, "kpis", "--quarter", Q_LABEL]
    argv += ["--chain", chain] if chain else []
    argv += ["--park", park] if park else []
    capsys.readouterr()
    assert cli.main(argv) == 0
    out = {}
    for line in capsys.readouterr().out.splitlines()[1:]:
        m = re.match(r"^  (\S+)\s+(.+?)(?:  (年度目标 .*))?$", line)
        assert m, line
        out[m.group(1)] = (m.group(2), m.group(3) or "")
    assert len(out) == len(kpis.KPIS)
    return out


# ----------------------------------------------------------------------------- slide structure
def test_slide_counts_and_titles(prs, names):
    chains, parks = names
    for name, p in prs.items():
        titles = [next((sh.text_frame.text for sh in s.shapes if sh.name == "chrome:title"), "") for s in p.slides]
        n_appendix = sum(t.startswith("附录") for t in titles)
        assert n_appendix >= 1
        n_attention = sum(t.startswith("需关注事项") for t in titles)
        assert n_attention >= 1 and all(t.startswith("需关注事项") for t in titles[1:1 + n_attention])  # after the cover
        assert titles[1 + n_attention] == "目录" and titles[2 + n_attention].startswith("工作摘要")
        n_focus = len(chains) if name == "district" else 1
        # cover, 需关注事项, contents, 工作摘要, summary, focus, breakdown, 5 topics, appendix
        assert len(p.slides) == 1 + n_attention + 1 + 1 + 1 + n_focus + 1 + 5 + n_appendix, (name, titles)
        assert len(p.slides) == content.expected_slide_count(n_focus, n_appendix, n_attention=n_attention)
        assert abs(p.slide_width / p.slide_height - 16 / 9) < 0.01
    district = [next((sh.text_frame.text for sh in s.shapes if sh.name == "chrome:title"), "")
                for s in prs["district"].slides]
    for cname in chains.values():
        assert district.count(zh(f"{cname} 产业链")) == 1, cname
    c02 = all_text(prs["C02"])
    assert zh(f"{chains['C02']} 产业链") in c02
    assert "园区分布" in c02
    p01 = [next((sh.text_frame.text for sh in s.shapes if sh.name == "chrome:title"), "") for s in prs["P01"].slides]
    assert zh(f"{parks['P01']} 园区") in p01 and "产业链分布" in p01


def test_appendix_holds_every_definition(prs):
    for p in prs.values():
        cells = []
        for s in p.slides:
            for sh in s.shapes:
                if sh.name.startswith("table:appendix:"):
                    cells += [c.text_frame.text for r in sh.table.rows for c in r.cells]
        for k in kpis.KPIS:
            assert zh(k.definition) in cells, k.label
            assert zh(k.label) in cells
        # the source tables by their Chinese names, never the warehouse's identifiers
        assert any(labels.tables_text("appeals") in c for c in cells)        # 企业诉求
        assert not [c for c in cells if re.search(r"\b[a-z]+_[a-z_]+\b|\b(appeals|enterprises|targets)\b", c)]


def test_checker_passes_layout_fonts_placeholders(prs):
    for name, p in prs.items():
        assert check.check_pptx(p) == [], name
        n_runs = 0
        for slide in p.slides:
            assert len(slide.placeholders) == 0 or all(ph.text_frame.text.strip() for ph in slide.placeholders)
            for sh in slide.shapes:
                assert sh.left >= 0 and sh.top >= 0, sh.name
                assert sh.left + sh.width <= p.slide_width and sh.top + sh.height <= p.slide_height, sh.name
                if sh.has_text_frame:
                    n_runs += sum(len(par.runs) for par in sh.text_frame.paragraphs)
            assert slide.notes_slide.notes_text_frame.text.strip()
        assert n_runs > 100


def test_checker_catches_overflow_and_fonts():
    """The checker is not a rubber stamp: overflowing text, a shape off the slide, a cell too small."""
    L = layout
    long_text = "组织覆盖率较上季度提高两个百分点" * 12
    deck = L.Deck("t", Q_LABEL, Q, "2026-09-30", "演示数据", "全区", None, None)
    sl = L.Slide("x", "x", chrome=False)
    sl.blocks = [L.Text("too-long", (1, 1, 3, 0.5), [L.P(long_text, 14)]),
                 L.Text("off-slide", (12.5, 7.0, 2.0, 1.0), [L.P("超出", 12)]),
                 L.Table("tight", (1, 3, 2, 0.2), ["指标"], [[L.Cell(long_text)]], [2.0], 12, [0.1, 0.1], ["l"])]
    deck.slides = [sl]
    p = pptx_deck.build(deck)
    problems = check.check_pptx(p)
    assert any("'too-long'" in x and "text needs" in x for x in problems)
    assert any("'off-slide'" in x and "outside the slide" in x for x in problems)
    assert any("'tight'" in x and "cell" in x for x in problems)
    # a run without the East Asian font is reported
    tb = p.slides[0].shapes.add_textbox(0, 0, 914400, 914400)
    tb.text_frame.text = "未设字体"
    assert any("未设字体" in x and "a:ea" in x for x in check.check_pptx(p))


YAHEI = "微软雅黑"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
PARTS = {"slide": "ppt/slides/slide", "notes": "ppt/notesSlides/notesSlide", "chart": "ppt/charts/chart",
         "theme": "ppt/theme/theme"}


def test_every_run_names_microsoft_yahei_for_latin_and_east_asian(decks):
    """Parsed from the PPTX's XML parts (not through python-pptx): every run, paragraph end, chart text
    property and the theme's major/minor fonts name 微软雅黑 for Latin and East Asian text, and no part
    names Noto (which government Windows/WPS machines lack)."""
    import zipfile

    from lxml import etree
    for name in ("district", "C02", "P01"):
        seen = {"slide": 0, "notes": 0, "chart": 0, "theme": 0}
        with zipfile.ZipFile(decks[(name, "pptx")]) as z:
            for part in z.namelist():
                if not part.endswith(".xml"):
                    continue
                data = z.read(part)
                assert b"Noto" not in data, (name, part)
                kind = next((k for k, prefix in PARTS.items() if part.startswith(prefix)), None)
                if kind is None:
                    continue
                root = etree.fromstring(data)
                if kind == "theme":
                    for fs in root.iter(A + "majorFont", A + "minorFont"):
                        assert fs.find(A + "latin").get("typeface") == YAHEI, (name, part)
                        assert fs.find(A + "ea").get("typeface") == YAHEI, (name, part)
                        seen["theme"] += 1
                    continue
                for el in root.iter(A + "rPr", A + "endParaRPr", A + "defRPr"):
                    if el.tag == A + "defRPr" and kind != "chart":
                        continue                   # list styles of the notes page: text runs carry their own
                    latin, ea = el.find(A + "latin"), el.find(A + "ea")
                    assert latin is not None and latin.get("typeface") == YAHEI, (name, part, etree.tostring(el)[:200])
                    assert ea is not None and ea.get("typeface") == YAHEI, (name, part, etree.tostring(el)[:200])
                    seen[kind] += 1
        assert seen["slide"] > 300 and seen["notes"] > 30 and seen["chart"] > 20 and seen["theme"] >= 2, (name, seen)


def test_fontconfig_resolves_yahei_to_an_installed_cjk_font():
    """The repo's fonts.conf (used by the PDF printing) makes 微软雅黑 / Microsoft YaHei resolve to an
    installed CJK font; the system's own configuration does not."""
    if shutil.which("fc-match") is None:
        pytest.skip("fontconfig tools not installed")
    env = pdf.font_env()
    assert env["FONTCONFIG_FILE"] == str(pdf.FONTS_CONF) and pdf.FONTS_CONF.is_file()
    for family in (YAHEI, "Microsoft YaHei"):
        got = subprocess.run(["fc-match", "-f", "%{family}|%{lang}", family], env=env, capture_output=True,
                             text=True, check=True).stdout
        fam, langs = got.split("|", 1)
        assert "WenQuanYi Micro Hei" in fam.split(","), got
        assert "zh-cn" in langs.split("|"), got               # it has the Simplified Chinese glyphs
    # the print page asks for the TrueType CJK font first, then the deck's font
    assert pdf.FONT_STACK.startswith('"WenQuanYi Micro Hei", "微软雅黑"')


# ----------------------------------------------------------------------------- numbers
def test_every_native_chart_equals_independent_sql(prs, raw, census, names):
    n = 0
    for deck_scope, p in prs.items():
        for slide_no, name, chart in all_charts(p):
            want = expected_chart(raw, census, names, deck_scope, name)
            got = chart_data(chart)
            assert set(got) == set(want), (deck_scope, name)
            for series, values in want.items():
                assert list(got[series]) == list(values), (deck_scope, name, series)  # categories, in order
                for cat, v in values.items():
                    assert math.isclose(got[series][cat], v, rel_tol=1e-9, abs_tol=1e-12), \
                        (deck_scope, slide_no, name, series, cat, got[series][cat], v)
            n += 1
    # district: 13 chains × 2 trend charts + parks, ladder, coverage, outcomes, appeals, programs
    assert n >= 26 + 6 + 2 * 8


def test_chain_trend_and_ladder_for_c02(prs, raw):
    """Spelled out for one chain: the trend and the ladder the meeting looks at first."""
    charts = {name: chart for _, name, chart in all_charts(prs["C02"])}
    trend = chart_data(charts["chart:trend_enterprises:C02|*"])["在营企业数"]
    assert len(trend) == 12 and list(trend)[-1] == Q_LABEL
    n = raw.sql("""SELECT count(*) FROM enterprises e JOIN enterprise_chains ec USING (enterprise_id)
        WHERE ec.chain_id = 'C02' AND e.founded_on <= DATE '2026-09-30'
          AND (e.closed_on IS NULL OR e.closed_on > DATE '2026-09-30')""").fetchall()[0][0]
    assert trend[Q_LABEL] == n
    ladder = chart_data(charts["chart:ladder:top"])["本季"]
    xjr = raw.sql("""SELECT count(DISTINCT h.enterprise_id) FROM honors h JOIN enterprises e USING (enterprise_id)
        JOIN enterprise_chains ec USING (enterprise_id)
        WHERE ec.chain_id = 'C02' AND h.honor = '小巨人' AND h.awarded_on <= DATE '2026-09-30'
          AND (h.expires_on IS NULL OR h.expires_on > DATE '2026-09-30')
          AND (h.revoked_on IS NULL OR h.revoked_on > DATE '2026-09-30')
          AND e.founded_on <= DATE '2026-09-30' AND (e.closed_on IS NULL OR e.closed_on > DATE '2026-09-30')""").fetchall()[0][0]
    assert ladder[zh(content.LADDER_LABEL["n_xjr"])] == xjr


def test_kpi_texts_equal_the_kpis_cli(prs, capsys, warehouse_path, names):
    chains, _ = names
    for deck_scope, p in prs.items():
        chain, park = SCOPES[deck_scope]
        key = f"{chain or '*'}|{park or '*'}"
        cli_text = cli_kpi_texts(capsys, warehouse_path, chain, park)
        heads = {h.kpi.label: h for h in kpis.headline(Q, chain, park)}
        table = next(sh.table for s in p.slides for sh in s.shapes if sh.name == f"table:summary:{key}")
        rows = [[c.text_frame.text for c in r.cells] for r in list(table.rows)[1:]]
        assert [r[0] for r in rows] == [k.label for k in kpis.OVERVIEW_KPIS]   # every target of the scope, like with like
        extra_heads = {h.kpi.label: h for h in kpis.headline(Q, chain, park, keys=[k.key for k in kpis.OVERVIEW_KPIS])}
        for label, value, mom, yoy, target, expected, status in rows:
            h = heads.get(label) or extra_heads[label]
            text, target_part = cli_text.get(label, (kpis.fmt_value(h.kpi, h.value), None))
            assert value == text, (deck_scope, label)
            assert mom == zh(unsigned(kpis.fmt_delta(h.kpi, h.value, h.prev)) or "—")
            assert yoy == zh(unsigned(kpis.fmt_delta(h.kpi, h.value, h.yoy)) or "—")
            if target_part:   # "年度目标 35 家 应达 33.75 家 滞后"
                m = re.match(r"年度目标 (.+) 应达 (.+) (滞后|关注|正常)", target_part)
                assert target == m.group(1) and expected == m.group(2)
                assert status == zh(f"● {m.group(3)}")
            elif h.target:    # a year-to-date KPI with a target that the kpis CLI does not list
                t = h.target
                assert (target, status) == (kpis.fmt_value(h.kpi, t["target_value"]), f"● {kpis.STATUS_WORD[t['status']]}")
            else:
                assert target == expected == status == "—"
        # tiles: every KPI value shown on a card equals the CLI text (or fmt_value for the extra KPIs)
        n_tiles = 0
        tile_scopes = {}
        for s in p.slides:
            for sh in s.shapes:
                if sh.name.startswith("kpi:"):
                    _, scope, k = sh.name.split(":")
                    tile_scopes.setdefault(scope, []).append((k, sh.text_frame.paragraphs[1].text))
        for scope, items in tile_scopes.items():
            c, pk = (None if x == "*" else x for x in scope.split("|"))
            texts = cli_kpi_texts(capsys, warehouse_path, c, pk) if (c, pk) != (chain, park) else cli_text
            extra = {h.kpi.key: h for h in kpis.headline(Q, c, pk, keys=[k for k, _ in items])}
            for k, shown in items:
                want = texts[kpis.BY_KEY[k].label][0] if kpis.BY_KEY[k] in kpis.KPIS else \
                    kpis.fmt_value(k, extra[k].value)
                assert shown == want, (deck_scope, scope, k)
                n_tiles += 1
        assert n_tiles >= 6 * 4
        if deck_scope == "district":
            assert set(tile_scopes) >= {f"{cid}|*" for cid in chains}


def test_speaker_notes_are_written_from_the_numbers(prs, raw, census):
    notes = {next((sh.text_frame.text for sh in s.shapes if sh.name == "chrome:title"), ""):
             s.notes_slide.notes_text_frame.text for s in prs["district"].slides}
    cult = notes["企业培育 · 梯度"]
    new_xjr = raw.sql("""
        WITH valid AS (SELECT DISTINCT h.enterprise_id, q FROM honors h, (VALUES (DATE '2026-09-30'), (DATE '2026-06-30')) t(q)
                       WHERE h.honor = '小巨人' AND h.awarded_on <= q AND (h.expires_on IS NULL OR h.expires_on > q)
                         AND (h.revoked_on IS NULL OR h.revoked_on > q))
        SELECT count(*) FROM valid v JOIN enterprises e USING (enterprise_id)
        WHERE v.q = DATE '2026-09-30' AND e.founded_on <= v.q AND (e.closed_on IS NULL OR e.closed_on > v.q)
          AND v.enterprise_id NOT IN (SELECT enterprise_id FROM valid WHERE q = DATE '2026-06-30')""").fetchall()[0][0]
    n_xjr = ladder_counts(raw, Q, None, None)["小巨人"]
    assert zh(f"本季度新增小巨人{new_xjr}家,现有小巨人{n_xjr}家") in cult
    cov = notes[zh("两个覆盖 · 组织覆盖与工作覆盖")]
    now, prev = census[(Q, "*|*")], census[(dt.date(2026, 6, 30), "*|*")]
    d = (now["n_org"] / now["n_base"] - prev["n_org"] / prev["n_base"]) * 100
    word = "提高" if d > 0 else "下降"
    assert zh(f"组织覆盖率{now['n_org'] / now['n_base'] * 100:.1f}%,较上季度{word}{abs(d):.1f}个百分点") in cov
    for title, text in notes.items():
        assert text.strip(), title


# ----------------------------------------------------------------------------- scope
def _leaks(text: str, other: str, raw, extra_tables=("enterprises",)) -> list[str]:
    """Occurrences of `other` (a chain or park name) not explained by an enterprise/unit name."""
    variants = {other, zh(other)}
    found = [v for v in variants if v in text]
    if not found:
        return []
    cleaned = text
    for table in extra_tables:
        for (n,) in raw.sql(f"SELECT name FROM {table} WHERE name LIKE '%' || $n || '%'", params={"n": other}).fetchall():
            cleaned = cleaned.replace(zh(n), "").replace(n, "")
    return [v for v in variants if v in cleaned]


def test_chain_deck_mentions_no_other_chain(prs, raw, names):
    chains, _ = names
    text = all_text(prs["C02"])
    assert zh(chains["C02"]) in text
    for cid, cname in chains.items():
        if cid != "C02":
            assert not _leaks(text, cname, raw), cname
    # and the district deck does name them all (the search can find a chain name)
    district = all_text(prs["district"])
    assert all(zh(n) in district for n in chains.values())


def test_park_deck_mentions_no_other_park(prs, raw, names):
    _, parks = names
    text = all_text(prs["P01"])
    for pid, pname in parks.items():
        if pid != "P01":
            assert not _leaks(text, pname, raw, ("enterprises", "units")), pname


# ----------------------------------------------------------------------------- PDF
def _pdf_pages(path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_pages_text_and_pixels(decks, prs, raw, census, tmp_path):
    for name in ("district", "C02"):
        path = decks[(name, "pdf")]
        assert _pdf_pages(path) == len(prs[name].slides)
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
        assert abs(w - 841.9) < 2 and abs(h - 595.3) < 2           # A4 landscape
    text = subprocess.run(["pdftotext", "-layout", str(decks[("district", "pdf")]), "-"],
                          capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    n_xjr = ladder_counts(raw, Q, None, None)["小巨人"]
    now = census[(Q, "*|*")]
    assert f"{n_xjr}家" in flat and "小巨人" in flat
    assert "组织覆盖率" in flat and f"{now['n_org'] / now['n_base'] * 100:.1f}%" in flat
    assert "附录" in flat and "指标口径" in flat
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "2", "-l", "2", str(decks[("district", "pdf")]),
                    str(tmp_path / "page")], check=True)
    from PIL import Image, ImageStat
    png = next(tmp_path.glob("page*.png"))
    img = Image.open(png).convert("L")
    assert img.size[0] > img.size[1]                              # landscape
    assert ImageStat.Stat(img).stddev[0] > 20                     # not blank
    assert sum(1 for n in img.histogram() if n) > 20           # many grey levels: text and charts


def test_print_html_requests_nothing(warehouse_path):
    deck = content.build_deck(Q, "C02", None)
    html = pdf.html(deck)
    for needle in ("http:", "https:", "url(", "<link", "<script", "@import", "src="):
        assert needle not in html, needle
    assert "@page { size: A4 landscape" in html
    assert html.count('<section class="page"') == len(deck.slides)
    assert html.count("<svg") == sum(1 for s in deck.slides for b in s.blocks if isinstance(b, layout.Chart))
    assert "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" in pdf.CHROMIUM_ARGS


# ----------------------------------------------------------------------------- CLI and page
def test_cli_rejects_bad_scope_and_infers_format(capsys, warehouse_path, tmp_path):
    assert cli.main(["--db", warehouse_path, "report", "--quarter", Q_LABEL, "--chain", "C99",
                     "--out", str(tmp_path / "x.pptx")]) == 2
    assert "未知产业链 C99" in capsys.readouterr().err
    assert cli.main(["--db", warehouse_path, "report", "--quarter", "2019Q1", "--out", str(tmp_path / "x.pptx")]) == 2
    assert "不在数据范围内" in capsys.readouterr().err
    out = tmp_path / "c13.pptx"
    assert cli.main(["--db", warehouse_path, "report", "--quarter", "2025Q4", "--chain", "C13", "--out", str(out)]) == 0
    p = Presentation(str(out))
    assert check.check_pptx(p) == []
    assert "2025年第四季度" in all_text(p)


@pytest.mark.parametrize("query", [{}, {"chain": "C02"}], ids=["district", "chain-C02"])
def test_page_previews_the_slides(app, names, query):
    chains, _ = names
    at = app("views/report.py", quarter=Q_LABEL, **query)
    titles = at.dataframe[0].value["标题"].tolist()
    assert titles[1].startswith("需关注事项")
    assert ("全区概况" if not query else zh(f"{chains['C02']} 概况")) in titles
    labels = [b.label for b in at.get("download_button")]
    assert any("PPTX" in x for x in labels) and any("PDF" in x for x in labels)
    if query:
        assert zh(f"{chains['C02']} 产业链") in titles
        assert not any(zh(f"{n} 产业链") in titles for cid, n in chains.items() if cid != "C02")
    else:
        assert sum(t.endswith("产业链") for t in titles) == len(chains)
    assert len(at.expander) == len(titles)


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_pdf_embeds_truetype_fonts_and_its_chinese_text_extracts_once(decks, prs):
    """No Type 3 font (Chromium prints Noto Sans CJK's CFF outlines and any synthesised bold as Type 3):
    every font is an embedded (CID) TrueType font. The Chinese text, bold titles and headers included,
    comes back from pdftotext exactly as on the slide, once (bold is not drawn as a doubled text)."""
    for name in ("district", "C02"):
        path = decks[(name, "pdf")]
        rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
        assert rows, name
        for row in rows:
            assert "Type 3" not in row, (name, row)
            assert re.search(r"\b(CID TrueType|TrueType)\b", row), (name, row)
            assert re.search(r"\byes\s+yes\s+yes\b", row), (name, row)          # embedded, subset, unicode map
        assert any("WenQuanYi" in r for r in rows), name
        pages = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                               check=True).stdout.split("\f")
        n = 0
        for i, slide in enumerate(prs[name].slides):
            page = re.sub(r"\s+", "", pages[i])
            for sh in slide.shapes:
                if sh.name in ("chrome:title", "cover:title"):
                    texts = [sh.text_frame.text]
                elif sh.has_table:
                    texts = [c.text for c in sh.table.rows[0].cells]       # bold headers
                else:
                    continue
                for t in (re.sub(r"\s+", "", x) for x in texts):
                    assert t in page, (name, i + 1, t)
                    assert "".join(c + c for c in t) not in page, (name, i + 1, t)       # not 需需关关注注
                    assert sh.has_table or t + t not in page, (name, i + 1, t)
                    n += 1
        assert n > 40, name


# ----------------------------------------------------------------------------- chart craft
def test_axes_tick_round_and_no_series_is_invisible(prs):
    """Every native chart has an explicit value axis in round steps (rates: whole percents; bars and
    columns of rates 0/20/40/60/80/100 %), and no series is flattened: its largest value reaches at
    least a twentieth of the axis (小巨人 and 单项冠军 have their own chart, not the thousands' axis)."""
    n = 0
    for name, p in prs.items():
        for slide_no, cname, chart in all_charts(p):
            va = chart.value_axis
            lo, hi, step = va.minimum_scale, va.maximum_scale, va.major_unit
            assert None not in (lo, hi, step), (name, cname)
            ticks = round((hi - lo) / step)
            assert abs(lo + ticks * step - hi) < 1e-9 and 2 <= ticks <= 8, (name, cname, lo, hi, step)
            fmt = va.tick_labels.number_format
            if fmt == "0%":
                assert round(step * 100, 6) in (1, 2, 5, 10, 20), (name, cname, step)
                assert round(lo * 100, 6) == int(round(lo * 100, 6)), (name, cname, lo)
                if chart.chart_type != XL_CHART_TYPE.LINE_MARKERS:
                    assert (lo, hi, step) == (0, 1, 0.2), (name, cname)
            else:
                mant = step / 10 ** math.floor(math.log10(step))
                assert round(mant, 6) in (1, 2, 5) and step >= 1, (name, cname, step)
                assert lo == 0, (name, cname)
            for s in chart.plots[0].series:
                vals = [v for v in s.values if v is not None]
                assert max(vals) <= hi + 1e-9, (name, cname, s.name)
                if chart.chart_type != XL_CHART_TYPE.LINE_MARKERS and max(vals) > 0:
                    assert max(vals) >= (hi - lo) / 20, (name, slide_no, cname, s.name, max(vals), hi)
            n += 1
    assert n > 40
    # the ladder: the national titles on their own chart, with every tier shown once
    charts = {cname: chart for _, cname, chart in all_charts(prs["district"])}
    top, base = chart_data(charts["chart:ladder:top"]), chart_data(charts["chart:ladder:base"])
    assert set(top["本季"]) == {zh(content.LADDER_LABEL["n_xjr"]), zh(content.LADDER_LABEL["n_dxgj"])}
    assert set(top["本季"]) | set(base["本季"]) == {zh(content.LADDER_LABEL[k]) for k in content.LADDER}


def test_no_signed_zero_no_cut_header_status_words(prs):
    """"0.0" is never signed; table headers keep their units (never cut with …); status cells use the
    words 正常/关注/滞后 in the product's colours, never the colour names."""
    colour = {"正常": "22A06B", "关注": "D69E2E", "滞后": "E8473C"}
    n_status = 0
    for name, p in prs.items():
        text = all_text(p)
        assert not re.search(r"[+\-−]0(\.0+)?(?![\d.])", text), (name, re.findall(r".{8}[+\-−]0(?:\.0+)?(?![\d.]).{4}", text)[:5])
        for slide in p.slides:
            for sh in slide.shapes:
                if not sh.has_table:
                    continue
                for c in sh.table.rows[0].cells:
                    assert "…" not in c.text, (name, sh.name, c.text)
                for row in list(sh.table.rows)[1:]:
                    for c in row.cells:
                        t = c.text_frame.text
                        assert not re.fullmatch(r"●?\s*[红黄绿]", t), (name, sh.name, t)
                        m = re.fullmatch(r"●?\s*(正常|关注|滞后)", t)
                        if m:
                            run = c.text_frame.paragraphs[0].runs[0]
                            assert str(run.font.color.rgb) == colour[m.group(1)], (name, sh.name, t)
                            n_status += 1
        assert "最长超期(天)" in text.replace("（", "(").replace("）", ")") or name != "district"
    assert n_status > 10
