"""python -m dashboard bench [--scale 1,25]: build time, file size, page server times under AppTest
(cold and warm median), each query's median time, peak RSS; plus the large-screen, deck and import
figures when those parts are present. Each scale runs in its own process so peak RSS is its own.
"""
from __future__ import annotations

import importlib
import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dashboard.paths import ROOT

TARGETS = {"warm_ms": 300, "cold_ms": 2000, "build_s_x1": 30, "screen_s": 3, "deck_s_x1": 15, "deck_s_x25": 30,
           "import_s_x1": 30}


def _samples() -> dict:
    spec = importlib.util.spec_from_file_location("sample_params", ROOT / "tests" / "sample_params.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.SAMPLES


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _time_pages(runs: int) -> list[dict]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboard import db, nav
    out = []
    for _, path, title, _, url_path in nav.existing():
        if url_path == "bigscreen":   # measured in a real browser below
            continue
        st.cache_data.clear()
        db.close_all()
        t = time.perf_counter()
        at = AppTest.from_file(str(ROOT / path), default_timeout=300)
        at.run()
        cold = time.perf_counter() - t
        warm = []
        for _ in range(runs):
            t = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - t)
        out.append({"page": title, "cold_ms": cold * 1000, "warm_ms": statistics.median(warm) * 1000,
                    "error": bool(at.exception)})
    return out


def _time_queries(runs: int) -> list[dict]:
    from dashboard import db, queries
    samples = _samples()
    out = []
    for name in queries.all_names():
        q = queries.load(name)
        if not set(q.params) <= set(samples):
            continue  # a query still without sample values (tests/test_queries.py reports it)
        params = {p: samples[p] for p in q.params}
        ts = []
        for _ in range(runs):
            t = time.perf_counter()
            db.execute(name, params)
            ts.append(time.perf_counter() - t)
        out.append({"query": name, "median_ms": statistics.median(ts) * 1000})
    return out


def child(scale: float, runs: int, keep: str | None) -> dict:
    """Measure one scale in this process (called in a subprocess by run_bench)."""
    from dashboard import db
    from dashboard.cli import _quiet_streamlit
    from dashboard.warehouse import build_demo
    _quiet_streamlit()
    folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"warehouse-x{scale:g}.duckdb"
    t = time.perf_counter()
    info = build_demo(path, scale)
    build_s = time.perf_counter() - t
    os.environ["DASHBOARD_DB"] = str(path)
    db.set_db_path(path)
    res = {"scale": scale, "db": str(path), "build_s": build_s, "size_mb": path.stat().st_size / 2**20,
           "n_enterprises": info["rows"]["enterprises"], "pages": _time_pages(runs),
           "queries": _time_queries(runs)}
    res["peak_rss_mb"] = _peak_rss_mb()
    extras = {}
    for label, module in (("bigscreen", "tools.bench.bigscreen"), ("report", "tools.bench.report"),
                          ("import", "tools.bench.dataio")):
        if label == "import" and scale > 1:
            continue  # the issue sets the import target for the ×1 workbook
        try:
            mod = importlib.import_module(module)
            extras[label] = mod.measure(str(path))
        except Exception as e:  # noqa: BLE001 - report, don't abort the whole bench
            extras[label] = {"error": f"{type(e).__name__}: {e}"}
    res["extras"] = extras
    if not keep:
        for p in folder.glob("*"):
            if p.is_file():
                p.unlink()
    return res


def _fmt_table(rows: list[list], header: list[str]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = ["| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |" for r in rows]
    return "\n".join([line, sep, *body])


def report(results: list[dict]) -> str:
    scales = [r["scale"] for r in results]
    out = ["## Benchmark", "", f"machine: {os.cpu_count()} cores · python {sys.version.split()[0]}", ""]
    rows = [["build-demo (s)"] + [f"{r['build_s']:.1f}" for r in results],
            ["enterprises"] + [f"{r['n_enterprises']:,}" for r in results],
            ["file size (MiB)"] + [f"{r['size_mb']:.0f}" for r in results],
            ["peak RSS (MiB)"] + [f"{r['peak_rss_mb']:.0f}" for r in results]]
    out += [_fmt_table(rows, ["scale"] + [f"×{s:g}" for s in scales]), ""]
    pages = [p["page"] for p in results[0]["pages"]]
    rows = []
    for i, name in enumerate(pages):
        row = [name]
        for r in results:
            p = r["pages"][i]
            flag = "" if p["warm_ms"] <= TARGETS["warm_ms"] and p["cold_ms"] <= TARGETS["cold_ms"] else " !"
            row.append(f"{p['cold_ms']:.0f} / {p['warm_ms']:.0f}{flag}{' ERR' if p['error'] else ''}")
        rows.append(row)
    out += ["Page server time under AppTest, cold / warm median (ms); target cold ≤ 2000, warm ≤ 300:", "",
            _fmt_table(rows, ["page"] + [f"×{s:g}" for s in scales]), ""]
    names = [q["query"] for q in results[0]["queries"]]
    by = [{q["query"]: q["median_ms"] for q in r["queries"]} for r in results]
    rows = [[n] + [f"{b[n]:.1f}" if n in b else "—" for b in by] for n in names]
    out += ["Query median time, uncached (ms):", "", _fmt_table(rows, ["query"] + [f"×{s:g}" for s in scales]), ""]
    for label in ("bigscreen", "report", "import"):
        vals = [(r["scale"], r["extras"].get(label)) for r in results if r["extras"].get(label)]
        if vals:
            out.append(f"{label}:")
            for s, v in vals:
                out.append(f"  ×{s:g}: " + ", ".join(f"{k}={v[k]:.2f}" if isinstance(v[k], float) else f"{k}={v[k]}"
                                                    for k in v))
            out.append("")
    return "\n".join(out)


def run_bench(scales: list[float], keep: str | None = None, runs: int = 5) -> int:
    results = []
    for s in scales:
        print(f"… 规模 ×{s:g}", file=sys.stderr, flush=True)
        cmd = [sys.executable, "-c",
               "import json,sys; from tools.bench.pages import child; "
               f"print('@@'+json.dumps(child({s!r}, {runs!r}, {keep!r})))"]
        p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        line = [x for x in p.stdout.splitlines() if x.startswith("@@")]
        if p.returncode != 0 or not line:
            print(p.stdout[-3000:], p.stderr[-3000:], file=sys.stderr)
            return 1
        results.append(json.loads(line[-1][2:]))
    text = report(results)
    print(text)
    out = ROOT / "bench-output"
    out.mkdir(exist_ok=True)
    (out / "bench.md").write_text(text + "\n", encoding="utf-8")
    (out / "bench.json").write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return 0
