"""汇报材料:按当前筛选(季度 / 产业链 / 园区)预览季度汇报材料的页目与要点,一键下载可编辑 PPTX 与 PDF。"""
import polars as pl
import streamlit as st

from dashboard import safe
from dashboard import ui
from dashboard.auth import web
from dashboard.report import content

f = ui.page("汇报材料", crumbs=["汇报材料"])

deck = content.build_deck(f.quarter_end, f.chain_id, f.park_id)
n_charts = sum(1 for s in deck.slides for b in s.blocks if b.__class__.__name__ == "Chart")

st.html(safe.html("<b>{}</b> · {} · {} · 共 {} 页,{} 个可编辑原生图表。", deck.title, deck.scope_label,
                  content.quarter_cn(f.quarter_end), len(deck.slides), n_charts))
st.caption("PPTX 为 16:9 版式,图表为 PowerPoint 原生图表(右键“编辑数据”可修改),每页备注中附讲稿要点;"
           "PDF 为 A4 横向,每页对应一张幻灯片,在本机生成、不访问外部网络。"
           + ("" if f.is_district else "按当前筛选只包含所选范围的内容。"))


BY = web.exporter()                       # 导出人 · 时间, in the PPTX properties/footer and on every PDF page
WM = web.watermark_text(web.who() or {})
SCOPE = dict(quarter=f.quarter, chain=f.chain_id or "", park=f.park_id or "")


def _pptx() -> bytes:
    from dashboard.report import pptx_deck
    return pptx_deck.render(deck, exporter=BY)


def _pdf() -> bytes:
    from dashboard.report import pdf
    return pdf.render(deck, watermark=WM, exporter=BY)


_pptx = web.deferred(_pptx, "report", format="pptx", file=f"{deck.file_stem}.pptx", **SCOPE)
_pdf = web.deferred(_pdf, "report", format="pdf", file=f"{deck.file_stem}.pdf", **SCOPE)


c1, c2, _ = st.columns([1, 1, 3])
c1.download_button("下载 PPTX(可编辑)", _pptx, file_name=f"{deck.file_stem}.pptx", key="report_pptx",
                   mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                   icon=":material/slideshow:", on_click="ignore", type="primary")
c2.download_button("下载 PDF", _pdf, file_name=f"{deck.file_stem}.pdf", key="report_pdf",
                   mime="application/pdf", icon=":material/picture_as_pdf:", on_click="ignore")

st.subheader("页目")
slides = pl.DataFrame({
    "页码": [s.page for s in deck.slides],
    "标题": [s.title for s in deck.slides],
    "部分": [s.section for s in deck.slides],
    "要点": [" · ".join(s.key_points) for s in deck.slides],
})
st.dataframe(slides, hide_index=True, height=min(38 + 35 * slides.height, 560),
             column_config={"页码": st.column_config.NumberColumn("页码", width="small"),
                            "标题": st.column_config.TextColumn("标题", width="medium"),
                            "要点": st.column_config.TextColumn("要点", width="large")})

st.subheader("讲稿要点(各页备注)")
for s in deck.slides:
    with st.expander(safe.label(f"{s.page}. {s.title}"), expanded=s.kind == "summary"):
        st.html(safe.html("<ul>{}</ul>", safe.join("", (safe.html("<li>{}</li>", line) for line in s.notes))))
