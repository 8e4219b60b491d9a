"""Render a deck (content.build_deck) as an editable 16:9 PPTX with native charts (python-pptx).

Every run of text names the font for Latin and East Asian text (a:latin and a:ea), charts carry
the same font in their text properties, slides are built on the blank layout (no placeholders),
and the theme's major/minor fonts are set too, so text a staff member adds later is also CJK.
"""
from __future__ import annotations

import io
from xml.sax.saxutils import escape as xml_escape

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt

from . import layout as L

ANCHOR = {"t": MSO_ANCHOR.TOP, "m": MSO_ANCHOR.MIDDLE, "b": MSO_ANCHOR.BOTTOM}
CHART_TYPE = {"column": XL_CHART_TYPE.COLUMN_CLUSTERED, "bar": XL_CHART_TYPE.BAR_CLUSTERED,
              "line": XL_CHART_TYPE.LINE_MARKERS}


def rgb(hex_: str) -> RGBColor:
    return RGBColor.from_string(hex_.lstrip("#")[:6].upper())


# ----------------------------------------------------------------------------- fonts
# 微软雅黑 as PowerPoint (zh-CN) writes it: PANOSE and the GB2312 charset let PowerPoint/WPS pick the
# same face, or the closest CJK sans where it is missing.
_FONT_ATTRS = {"typeface": L.FONT, "panose": L.FONT_PANOSE, "pitchFamily": "34", "charset": "-122"}
_FONT_XML = " ".join(f'{k}="{v}"' for k, v in _FONT_ATTRS.items())


def set_rpr_font(rPr) -> None:
    """Name the font for Latin and East Asian text on an a:rPr / a:defRPr / a:endParaRPr element."""
    for tag in ("a:latin", "a:ea", "a:cs"):
        el = rPr.find(qn(tag))
        if el is None:
            el = etree.SubElement(rPr, qn(tag))
        for k, v in _FONT_ATTRS.items():
            el.set(k, v)
    # schema order: … latin, ea, cs, sym, hlinkClick …
    latin, ea, cs = (rPr.find(qn(t)) for t in ("a:latin", "a:ea", "a:cs"))
    latin.addnext(ea)
    ea.addnext(cs)


_NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_ALGN = {"l": "l", "c": "ctr", "r": "r"}


def _esc(t: str) -> str:
    return xml_escape(t)


def _rpr_xml(size: float, bold: bool, color: str) -> str:
    """a:rPr naming the font for Latin and East Asian text (python-pptx's font.name sets Latin only)."""
    return (f'<a:rPr lang="zh-CN" altLang="en-US" sz="{int(round(size * 100))}" b="{1 if bold else 0}" dirty="0">'
            f'<a:solidFill><a:srgbClr val="{color.lstrip("#")[:6].upper()}"/></a:solidFill>'
            f'<a:latin {_FONT_XML}/><a:ea {_FONT_XML}/><a:cs {_FONT_XML}/></a:rPr>')


def _paras_xml(paras: list[L.Para]) -> str:
    out = []
    for para in paras:
        runs = "".join(f"<a:r>{_rpr_xml(r.size, r.bold, r.color)}<a:t>{_esc(r.text)}</a:t></a:r>" for r in para.runs)
        end = _rpr_xml(para.size, para.bold, para.runs[0].color if para.runs else L.TEXT).replace(
            "<a:rPr", "<a:endParaRPr", 1).replace("</a:rPr>", "</a:endParaRPr>")
        out.append(f'<a:p><a:pPr algn="{_ALGN[para.align]}"><a:spcBef><a:spcPts val="0"/></a:spcBef>'
                   f'<a:spcAft><a:spcPts val="0"/></a:spcAft></a:pPr>{runs}{end}</a:p>')
    return "".join(out)


def set_paragraphs(txBody, paras: list[L.Para]) -> None:
    """Replace the a:p children of a txBody (text box, table cell, notes) with these paragraphs."""
    for p in txBody.findall(f"{{{_NS_A}}}p"):
        txBody.remove(p)
    frag = parse_xml(f'<a:txBody xmlns:a="{_NS_A}">{_paras_xml(paras) or "<a:p/>"}</a:txBody>')
    for p in list(frag):
        txBody.append(p)


def fill_text_frame(tf, paras: list[L.Para], *, inset_x=L.TEXT_INSET_X, inset_y=L.TEXT_INSET_Y,
                    valign: str = "t") -> None:
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.margin_left = tf.margin_right = Inches(inset_x)
    tf.margin_top = tf.margin_bottom = Inches(inset_y)
    tf.vertical_anchor = ANCHOR[valign]
    set_paragraphs(tf._txBody, paras)


def _box(b):
    x, y, w, h = b
    return Inches(x), Inches(y), Inches(w), Inches(h)


# ----------------------------------------------------------------------------- blocks
def add_rect(slide, blk: L.Rect):
    sh = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, *_box(blk.box))
    sh.name = blk.name
    sh.fill.solid()
    sh.fill.fore_color.rgb = rgb(blk.fill)
    sh.line.fill.background()
    sh.shadow.inherit = False
    return sh


def add_text(slide, blk: L.Text):
    if blk.fill or blk.line:
        sh = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, *_box(blk.box))
        sh.shadow.inherit = False
        if blk.fill:
            sh.fill.solid()
            sh.fill.fore_color.rgb = rgb(blk.fill)
        else:
            sh.fill.background()
        if blk.line:
            sh.line.color.rgb = rgb(blk.line)
            sh.line.width = Pt(0.75)
        else:
            sh.line.fill.background()
    else:
        sh = slide.shapes.add_textbox(*_box(blk.box))
    sh.name = blk.name
    fill_text_frame(sh.text_frame, blk.paras, valign=blk.valign)
    return sh


def add_table(slide, blk: L.Table):
    n_rows, n_cols = len(blk.rows) + 1, len(blk.widths)
    gf = slide.shapes.add_table(n_rows, n_cols, *_box(blk.box))
    gf.name = blk.name
    tbl = gf.table
    tbl.first_row = True
    tbl.horz_banding = False
    tbl.vert_banding = False
    for j, w in enumerate(blk.widths):
        tbl.columns[j].width = Inches(w)
    for i, h in enumerate(blk.row_h):
        tbl.rows[i].height = Inches(h)
    header = [L.Cell(h, L.WHITE, True, blk.header_fill) for h in blk.header]
    mx, my = str(int(Inches(L.CELL_INSET_X))), str(int(Inches(L.CELL_INSET_Y)))
    for i, row in enumerate([header] + blk.rows):
        for j, c in enumerate(row):
            tc = tbl.cell(i, j)._tc
            bg = blk.header_fill if i == 0 else (c.fill or (L.WHITE if i % 2 else L.LIGHT))
            tcPr = tc.get_or_add_tcPr()
            for k, v_ in (("marL", mx), ("marR", mx), ("marT", my), ("marB", my), ("anchor", "ctr")):
                tcPr.set(k, v_)
            tcPr.append(parse_xml(f'<a:solidFill xmlns:a="{_NS_A}"><a:srgbClr val="{bg.lstrip("#").upper()}"/>'
                                  f'</a:solidFill>'))
            set_paragraphs(tc.get_or_add_txBody(), [L.Para([L.Run(c.text, blk.size, c.bold, c.color)],
                                                            "c" if i == 0 else blk.align[j])])
    return gf


def _chart_font(chart, size: float) -> None:
    chart.font.size = Pt(size)
    chart.font.name = L.FONT
    chart.font.color.rgb = rgb(L.TEXT)
    txPr = chart._chartSpace.find(qn("c:txPr"))
    for el in txPr.iter(qn("a:defRPr")):
        set_rpr_font(el)


def add_chart(slide, blk: L.Chart):
    cd = CategoryChartData(number_format=blk.number_format)
    cd.categories = blk.categories
    for s in blk.series:
        cd.add_series(s.name, s.values)
    gf = slide.shapes.add_chart(CHART_TYPE[blk.kind], *_box(blk.box), cd)
    gf.name = blk.name
    chart = gf.chart
    _chart_font(chart, blk.font_size)
    chart.has_title = False
    chart.has_legend = blk.legend and len(blk.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
    plot = chart.plots[0]
    if blk.kind in ("column", "bar"):
        plot.gap_width = 60 if len(blk.series) > 1 else 80
        plot.overlap = 0
    for i, s in enumerate(blk.series):
        ser = plot.series[i]
        color = rgb(s.color or L.SERIES[i % len(L.SERIES)])
        if blk.kind == "line":
            ser.format.line.color.rgb = color
            ser.format.line.width = Pt(2.25)
            ser.smooth = False
            ser.marker.format.fill.solid()
            ser.marker.format.fill.fore_color.rgb = color
            ser.marker.format.line.color.rgb = color
            ser.marker.style = XL_MARKER_STYLE.CIRCLE
            ser.marker.size = 6
            if not blk.labels and s.values:      # label the latest value, as the PDF does
                dl = ser.points[len(s.values) - 1].data_label
                dl.position = XL_LABEL_POSITION.ABOVE
                dl.font.size = Pt(blk.font_size - 0.5)
                dl.font.bold = True
                dl.font.color.rgb = color
        else:
            ser.format.fill.solid()
            ser.format.fill.fore_color.rgb = color
            ser.invert_if_negative = False
    if blk.labels:
        plot.has_data_labels = True
        dl = plot.data_labels
        dl.number_format = blk.number_format
        dl.number_format_is_linked = False
        dl.font.size = Pt(blk.font_size - 0.5)
        dl.position = XL_LABEL_POSITION.OUTSIDE_END if blk.kind != "line" else XL_LABEL_POSITION.ABOVE
    va = chart.value_axis
    va.has_major_gridlines = True
    va.major_gridlines.format.line.color.rgb = rgb(L.RULE)
    va.format.line.fill.background()
    va.tick_labels.number_format = {"rate": "0%", "days": "General"}.get(blk.unit, "#,##0")
    va.tick_labels.number_format_is_linked = False
    va.tick_labels.font.size = Pt(blk.font_size - 1)
    ticks = L.axis_ticks(blk)           # round steps, the same axis as the PDF's
    va.minimum_scale, va.maximum_scale = ticks[0], ticks[-1]
    va.major_unit = round(ticks[1] - ticks[0], 6) if len(ticks) > 1 else None
    ca = chart.category_axis
    ca.tick_labels.font.size = Pt(blk.font_size - 0.5)
    ca.format.line.color.rgb = rgb(L.RULE)
    if blk.kind == "bar":
        ca.reverse_order = True       # first category on top …
        # … and the value axis stays at the bottom: it crosses the category axis at its maximum
        for cr in chart._chartSpace.iter(qn("c:valAx")):
            el = cr.find(qn("c:crosses"))
            if el is not None:
                el.set("val", "max")
    # text properties created above (axes, labels, legend, paragraph ends) carry the CJK font as well
    for el in chart._chartSpace.iter(qn("a:defRPr"), qn("a:rPr"), qn("a:endParaRPr")):
        set_rpr_font(el)
    return gf


def _notes(slide, sentences: list[str]) -> None:
    tf = slide.notes_slide.notes_text_frame
    set_paragraphs(tf._txBody, [L.P(x, 12) for x in sentences])


def _theme_fonts(prs) -> None:
    """Major/minor fonts of every theme (the slide master's, the notes master's) → the deck's font
    (Latin and East Asian)."""
    prs.notes_master                  # created now, so that its theme is among the parts
    for part in prs.part.package.iter_parts():
        if str(part.partname).startswith("/ppt/theme/"):
            _theme_part_fonts(part)


def _theme_part_fonts(part) -> None:
    xml_part = hasattr(part, "_element")           # an XmlPart serialises its element, a Part its blob
    root = part._element if xml_part else etree.fromstring(part.blob)
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    for fs in root.iterfind(".//a:fontScheme/*", ns):
        for tag in ("latin", "ea"):
            el = fs.find(f"a:{tag}", ns)
            if el is not None:
                el.set("typeface", L.FONT)
        for el in fs.iterfind("a:font", ns):           # the Simplified Chinese script font too
            if el.get("script") == "Hans":
                el.set("typeface", L.FONT)
    if not xml_part:
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _blank_layout(prs):
    for lay in prs.slide_layouts:
        if len(lay.placeholders) == 0:
            return lay
    return prs.slide_layouts[6]


def _exporter_footer(slide, text: str) -> None:
    """"导出人 · 时间" in small grey type at the bottom edge of the slide (its run names the font too)."""
    box = slide.shapes.add_textbox(Inches(0.35), Inches(L.SLIDE_H - 0.24), Inches(5.5), Inches(0.22))
    box.name = "exporter_footer"
    fill_text_frame(box.text_frame, [L.P(f"导出人 · 时间:{text}", 7, color="#999999")], inset_y=0)


def build(deck: L.Deck, exporter: str | None = None) -> Presentation:
    prs = Presentation()
    prs.slide_width = Inches(L.SLIDE_W)
    prs.slide_height = Inches(L.SLIDE_H)
    _theme_fonts(prs)
    core = prs.core_properties
    core.title = f"{deck.title} · {deck.scope_label} · {deck.quarter}"
    core.subject = "季度汇报材料"
    core.author = "链长制·党建引领监测驾驶舱"
    core.language = "zh-CN"
    if exporter:
        core.last_modified_by = exporter.split(" · ")[0]
        core.comments = f"导出人 · 时间:{exporter}"
    layout = _blank_layout(prs)
    for sl in deck.slides:
        slide = prs.slides.add_slide(layout)
        for ph in list(slide.placeholders):          # no empty placeholders
            ph._element.getparent().remove(ph._element)
        for blk in sl.blocks:
            if isinstance(blk, L.Rect):
                add_rect(slide, blk)
            elif isinstance(blk, L.Text):
                add_text(slide, blk)
            elif isinstance(blk, L.Table):
                add_table(slide, blk)
            elif isinstance(blk, L.Chart):
                add_chart(slide, blk)
        _notes(slide, sl.notes)
        if exporter:
            _exporter_footer(slide, exporter)
    return prs


def render(deck: L.Deck, exporter: str | None = None) -> bytes:
    buf = io.BytesIO()
    build(deck, exporter).save(buf)
    return buf.getvalue()


def save(deck: L.Deck, path, exporter: str | None = None) -> None:
    build(deck, exporter).save(str(path))

