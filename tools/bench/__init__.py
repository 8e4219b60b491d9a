"""Benchmarks behind `python -m dashboard bench` (and `make bench`).

- pages.py      build time, page server times under AppTest (cold/warm), query times, peak RSS; runs the
                extras below and writes bench-output/bench.md
- bigscreen.py  the large screen in real Chromium against a real server: render time, JS heap, server RSS
- report.py     time of the district deck (PPTX and PDF)
- dataio.py     export the ×1 warehouse as the template workbook, then validate + publish it
- load.py       many simulated browser sessions over Streamlit's websocket protocol (`bench --load`)
"""
