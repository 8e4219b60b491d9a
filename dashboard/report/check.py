"""Checks of a finished PPTX, used by the tests (and handy after editing the template):

- no placeholder left empty;
- every shape inside the slide;
- every text frame's text fits its box, and every table cell its row, by the conservative estimate
  of layout.py (fixed font sizes; CJK 1 em; lines 1.5 em);
- every run of text (slides, tables, notes) names the CJK font for Latin and East Asian text;
  every chart's text properties do too.
"""
from __future__ import annotations

from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu

from . import layout as L

EMU_PER_IN = 914400
TOL = 0.005          # inches


def _in(v) -> float:
    return Emu(v or 0) / EMU_PER_IN


def _run_font_problems(run, where: str) -> list[str]:
    rPr = run._r.find(qn("a:rPr"))
    faces = {}
    if rPr is not None:
        for tag in ("a:latin", "a:ea"):
            el = rPr.find(qn(tag))
            faces[tag] = el.get("typeface") if el is not None else None
    bad = [t for t in ("a:latin", "a:ea") if faces.get(t) != L.FONT]
    return [f"{where}: run {run.text[:20]!r} font {faces} (need {L.FONT} for {bad})"] if bad else []


def _run(text: str, size: float, bold: bool) -> L.Run:
    """A layout Run for measuring text as it is in the file (no re-typesetting)."""
    r = L.Run.__new__(L.Run)
    r.text, r.size, r.bold, r.color = text, size, bold, L.TEXT
    return r


def _paras(tf) -> list[L.Para]:
    out = []
    for p in tf.paragraphs:
        runs = [_run(r.text, r.font.size.pt if r.font.size is not None else 18.0, bool(r.font.bold)) for r in p.runs]
        out.append(L.Para(runs or [_run("", 0.0, False)]))
    return out


def text_fits(tf, width_in: float, height_in: float) -> tuple[bool, float]:
    """Does this text frame's text fit (width, height) inches? Returns (ok, needed height)."""
    inner_w = width_in - _in(tf.margin_left) - _in(tf.margin_right)
    inner_h = height_in - _in(tf.margin_top) - _in(tf.margin_bottom)
    need = L.para_height([p for p in _paras(tf) if p.text], inner_w)
    return need <= inner_h + TOL, need


def check_slide(slide, idx: int, sw: float, sh: float) -> list[str]:
    problems = []
    for ph in slide.placeholders:
        if not (ph.has_text_frame and ph.text_frame.text.strip()):
            problems.append(f"slide {idx}: empty placeholder {ph.name!r}")
    for shape in slide.shapes:
        where = f"slide {idx} {shape.name!r}"
        x, y, w, h = _in(shape.left), _in(shape.top), _in(shape.width), _in(shape.height)
        if x < -TOL or y < -TOL or x + w > sw + TOL or y + h > sh + TOL:
            problems.append(f"{where}: outside the slide ({x:.2f}, {y:.2f}, {w:.2f}, {h:.2f})")
        if shape.has_text_frame and shape.text_frame.text.strip():
            ok, need = text_fits(shape.text_frame, w, h)
            if not ok:
                problems.append(f"{where}: text needs {need:.2f} in, box is {h:.2f} in")
            for p in shape.text_frame.paragraphs:
                for r in p.runs:
                    problems += _run_font_problems(r, where)
        if getattr(shape, "has_table", False) and shape.has_table:
            tbl = shape.table
            widths = [_in(c.width) for c in tbl.columns]
            heights = [_in(r.height) for r in tbl.rows]
            if abs(sum(heights) - h) > 0.02:
                problems.append(f"{where}: rows add up to {sum(heights):.2f} in, frame is {h:.2f} in")
            for i, row in enumerate(tbl.rows):
                for j, cell in enumerate(row.cells):
                    tf = cell.text_frame
                    inner_w = widths[j] - _in(cell.margin_left) - _in(cell.margin_right)
                    inner_h = heights[i] - _in(cell.margin_top) - _in(cell.margin_bottom)
                    need = L.para_height([p for p in _paras(tf) if p.text], inner_w)
                    if need > inner_h + TOL:
                        problems.append(f"{where}: cell ({i},{j}) {tf.text[:20]!r} needs {need:.2f} in, "
                                        f"row gives {inner_h:.2f} in")
                    for p in tf.paragraphs:
                        for r in p.runs:
                            problems += _run_font_problems(r, f"{where} cell ({i},{j})")
        if getattr(shape, "has_chart", False) and shape.has_chart:
            cs = shape.chart._chartSpace
            txPr = cs.find(qn("c:txPr"))
            faces = set()
            if txPr is not None:
                for d in txPr.iter(qn("a:defRPr")):
                    for tag in ("a:latin", "a:ea"):
                        el = d.find(qn(tag))
                        faces.add((tag, el.get("typeface") if el is not None else None))
            if faces != {("a:latin", L.FONT), ("a:ea", L.FONT)}:
                problems.append(f"{where}: chart text font {sorted(faces, key=str)}")
    if slide.has_notes_slide:
        for p in slide.notes_slide.notes_text_frame.paragraphs:
            for r in p.runs:
                problems += _run_font_problems(r, f"slide {idx} notes")
    return problems


def check_pptx(source) -> list[str]:
    """All problems found in a PPTX (path, file object or Presentation); [] when the deck is clean."""
    prs = source if hasattr(source, "slides") else Presentation(source)
    sw, sh = _in(prs.slide_width), _in(prs.slide_height)
    problems = []
    for i, slide in enumerate(prs.slides, start=1):
        problems += check_slide(slide, i, sw, sh)
    return problems
