"""Bounded cost of a bad file (issue 10 point 3): every refusal is a Chinese sentence, exits non-zero without a
traceback, leaves the warehouse's bytes as they were, and keeps the importing process's peak memory under
1 GiB — measured on the real CLI (`python -m dashboard import`) in a child process (its rusage via wait4).

The hostile files are generated here, in tmp_path: a 2 MiB → 2 GiB zip bomb (honest and lying headers), a
5 KB workbook whose used range is the whole sheet, a 200 MB CSV, and a CSV just under the limits whose every
cell is wrong.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from dashboard.dataio import limits
from dashboard.dataio import publish as pub
from dashboard.dataio import readers
from dashboard.dataio import template as T

ROOT = Path(__file__).resolve().parent.parent
GiB = 1 << 30
MiB = 1 << 20


# ------------------------------------------------------------------------------------------- helpers
def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).resolve().read_bytes()).hexdigest()


MEASURED = r"""
import runpy, sys
code = 0
try:
    runpy.run_module("dashboard", run_name="__main__", alter_sys=True)
except SystemExit as e:
    code = e.code if isinstance(e.code, int) else 1
finally:
    status = open("/proc/self/status").read()
    with open(sys.argv[0] + ".hwm", "w") as fh:
        fh.write(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
sys.exit(code)
"""


def run_cli(args: list[str], cwd: Path) -> dict:
    """`python -m dashboard …` (the real CLI) in a child process; returns rc, stdout, stderr, the child's own
    peak RSS (VmHWM from /proc/self/status, read by the child as it exits) and its CPU seconds (wait4)."""
    out, err, script = cwd / "cli.out", cwd / "cli.err", cwd / "measured_cli.py"
    script.write_text(MEASURED, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(out, "wb") as o, open(err, "wb") as e:
        proc = subprocess.Popen([sys.executable, str(script), *args], cwd=ROOT, env=env, stdout=o, stderr=e)
        _, status, ru = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    hwm_kb = int(Path(str(script) + ".hwm").read_text())
    return {"rc": proc.returncode, "out": out.read_text("utf-8"), "err": err.read_text("utf-8"),
            "peak_rss": hwm_kb * 1024, "cpu_s": ru.ru_utime + ru.ru_stime}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, warehouse_path) -> Path:
    d = tmp_path_factory.mktemp("hostile_wh")
    w = d / "warehouse.duckdb"
    shutil.copyfile(warehouse_path, w)
    return w


@pytest.fixture(scope="module")
def baseline(warehouse, tmp_path_factory) -> dict:
    """What refusing a tiny bad file costs (interpreter start, imports): the bombs are measured against it."""
    d = tmp_path_factory.mktemp("baseline")
    bad = d / "企业党建.csv"
    bad.write_text("企业编号,季末日期\nE1,不是日期\n", encoding="utf-8")
    r = run_cli(["--db", str(warehouse), "import", str(bad)], d)
    assert r["rc"] == 1 and "Traceback" not in r["err"]
    return r


def assert_refused(r: dict, warehouse: Path, before: str, *words: str) -> None:
    assert r["rc"] == 1, r
    assert "Traceback" not in r["err"] + r["out"]
    assert "校验未通过" in r["err"] and "数据未作任何改动" in r["err"]
    for w in words:
        assert w in r["err"], (w, r["err"][:2000])
    assert r["peak_rss"] < 1 * GiB, r["peak_rss"] / MiB
    assert sha(warehouse) == before                                    # the warehouse's bytes are unchanged
    assert [v.id for v in pub.Store(warehouse).versions()] == []       # nothing was published
    vdir = pub.Store(warehouse).dir
    assert not vdir.exists() or [p.name for p in vdir.iterdir() if p.suffix == ".duckdb"] == []


def _zip(entries: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip from (name, raw data, method, crc, declared size) — written by hand, so a part's declared size
    may differ from what its data inflates to."""
    body, central = b"", b""
    for name, raw, method, crc, size in entries:
        n = name.encode()
        local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, len(raw), size, len(n), 0)
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 0x21, crc, len(raw), size,
                               len(n), 0, 0, 0, 0, 0, len(body)) + n
        body += local + n + raw
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), len(body), 0)
    return body + central + end


def _deflated(text: bytes) -> tuple[bytes, int, int]:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(text) + c.flush(), zlib.crc32(text), len(text)


def _repeated(prefix: bytes, unit: bytes, times: int, suffix: bytes) -> tuple[bytes, int, int]:
    """prefix + unit×times + suffix as one raw deflate stream, without ever holding it inflated: the unit is
    compressed once into a self-contained (full-flush) block that is repeated."""
    def part(data: bytes, final: bool) -> bytes:
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        return c.compress(data) + c.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)
    crc = zlib.crc32(prefix)
    for _ in range(times):
        crc = zlib.crc32(unit, crc)
    crc = zlib.crc32(suffix, crc)
    return (part(prefix, False) + part(unit, False) * times + part(suffix, True), crc,
            len(prefix) + len(unit) * times + len(suffix))


NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
PARTS = {
    "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                           b'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxml'
                           b'formats-package.relationships+xml"/><Default Extension="xml" ContentType="application/'
                           b'xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                           b'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.'
                           b'xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+'
                           b'xml"/></Types>',
    "_rels/.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   b'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": b'<?xml version="1.0" encoding="UTF-8"?><workbook ' + NS + b' xmlns:r="http://schemas.'
                       b'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="\xe4\xbc\x81\xe4'
                       b'\xb8\x9a\xe5\x85\x9a\xe5\xbb\xba" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                                  b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
                                  b'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                                  b'Target="worksheets/sheet1.xml"/></Relationships>',
}


def bomb_xlsx(path: Path, declared: int | None = None) -> Path:
    """企业党建 whose one cell holds a 2 GiB string: about 2 MiB on disk. `declared`: lie about its size."""
    prefix = b'<?xml version="1.0" encoding="UTF-8"?><worksheet ' + NS + b'><sheetData><row r="1"><c r="A1" ' \
             b't="inlineStr"><is><t>'
    raw, crc, size = _repeated(prefix, b"x" * (64 * MiB), 32, b"</t></is></c></row></sheetData></worksheet>")
    entries = [(name, *_deflated(text)) for name, text in PARTS.items()]
    entries.append(("xl/worksheets/sheet1.xml", raw, crc, declared or size))
    path.write_bytes(_zip([(name, data, DEFLATED, crc_, size_) for name, data, crc_, size_ in entries]))
    return path


DEFLATED = 8


# --------------------------------------------------------------------------------------------- tests
def test_upload_limit_is_one_setting_shown_before_upload(warehouse, monkeypatch):
    """server.maxUploadSize in .streamlit/config.toml is the limit the importer applies and the page shows."""
    import tomllib

    from streamlit.testing.v1 import AppTest
    with open(ROOT / ".streamlit" / "config.toml", "rb") as fh:
        configured = tomllib.load(fh)["server"]["maxUploadSize"]
    assert limits.max_upload_mb() == configured and limits.max_upload_bytes() == configured * MiB
    assert configured <= 100                  # Streamlit's default of 200 MB would let a 200 MB CSV in
    monkeypatch.setenv("DASHBOARD_DB", str(warehouse))
    at = AppTest.from_file(str(ROOT / "views" / "data_admin.py"), default_timeout=120)
    at.run()
    assert not at.exception
    shown = [c.value for c in at.caption] + [m.value for m in at.markdown]
    assert any(f"单个文件不超过 {configured} MB" in t for t in shown), shown


def test_an_upload_over_the_limit_is_refused_from_its_size(warehouse):
    """The page's uploaded files: one over the limit is refused from .size, its bytes never read."""
    class Uploaded:                           # what st.file_uploader hands over: name, size, getvalue()
        name = "大文件.csv"
        size = limits.max_upload_bytes() + 1

        def getvalue(self):
            raise AssertionError("an over-limit upload must not be read")
    res = pub.check([Uploaded()], warehouse)
    assert not res.plan.ok and res.plan.issues[0].rule == "超过导入上限"
    assert f"超过单个文件上限 {limits.max_upload_mb()} MB" in res.plan.issues[0].message


def test_zip_bomb_is_refused_before_inflating(warehouse, tmp_path, baseline):
    """2 MiB that inflate to 2 GiB: refused from the zip directory, nothing inflated."""
    before = sha(warehouse)
    bomb = bomb_xlsx(tmp_path / "企业党建.xlsx")
    assert bomb.stat().st_size < 3 * MiB
    r = run_cli(["--db", str(warehouse), "import", str(bomb)], tmp_path)
    assert_refused(r, warehouse, before, "文件结构异常", "压缩炸弹", "未解压")
    assert r["peak_rss"] < baseline["peak_rss"] + 64 * MiB
    assert r["cpu_s"] < baseline["cpu_s"] + 1.0                        # "costs at most a second of a core"


def test_zip_bomb_lying_about_its_size_is_stopped_at_the_declared_size(warehouse, tmp_path, baseline):
    """The same bomb declaring 20 MiB (an ordinary ratio): inflation stops at 20 MiB, in 1 MiB steps."""
    before = sha(warehouse)
    bomb = bomb_xlsx(tmp_path / "企业党建.xlsx", declared=20 * MiB)
    r = run_cli(["--db", str(warehouse), "import", str(bomb)], tmp_path)
    assert_refused(r, warehouse, before, "超过其声明的大小", "已停止解压")
    assert r["peak_rss"] < baseline["peak_rss"] + 64 * MiB
    assert r["cpu_s"] < baseline["cpu_s"] + 1.0


def test_a_cell_at_the_far_corner_is_refused_before_the_sheet_is_loaded(warehouse, tmp_path, baseline):
    """5 KB with a cell at XFD1048576: a spreadsheet reader would allocate the whole sheet (17 × 10⁹ cells)."""
    import xlsxwriter
    before = sha(warehouse)
    path = tmp_path / "企业党建.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("企业党建")
    ws.write_row(0, 0, [c.zh for c in T.TABLES["enterprise_party"].cols])
    ws.write(1_048_575, 16_383, "x")
    wb.close()
    assert path.stat().st_size < 20_000
    r = run_cli(["--db", str(warehouse), "import", str(path)], tmp_path)
    assert_refused(r, warehouse, before, "超过导入上限", "1,048,576 行 × 16,384 列")
    assert r["cpu_s"] < baseline["cpu_s"] + 1.0


def test_200_mb_csv_is_refused_before_it_is_read(warehouse, tmp_path, baseline):
    before = sha(warehouse)
    path = tmp_path / "企业党建.csv"
    line = "E0000001,2026-09-30,单独组建,3,0,是,是,否\n".encode()
    with open(path, "wb") as fh:
        fh.write("企业编号,季末日期,党组织组建方式,党员人数,本季发展党员数,是否有党建指导员/联络员,是否建立工会,是否建立团组织\n"
                 .encode())
        block = line * (4 * MiB // len(line))
        while fh.tell() < 200 * MiB:
            fh.write(block)
    r = run_cli(["--db", str(warehouse), "import", str(path)], tmp_path)
    assert_refused(r, warehouse, before, "超过导入上限", f"超过单个文件上限 {limits.max_upload_mb()} MB")
    assert r["peak_rss"] < baseline["peak_rss"] + 64 * MiB
    assert r["cpu_s"] < baseline["cpu_s"] + 1.0


def test_csv_just_under_the_limits_with_every_cell_wrong(warehouse, tmp_path):
    """The worst a CSV can do inside the limits: ~5 million cells, every one wrong, each wrong in its own way.
    Read in chunks, counted per rule (not a message per cell): refused in Chinese under 1 GiB."""
    before = sha(warehouse)
    path = tmp_path / "企业党建.csv"
    cols = [c.zh for c in T.TABLES["enterprise_party"].cols]
    n = limits.MAX_CELLS // len(cols) - 10
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(",".join(cols) + "\n")
        for i in range(0, n, 10_000):
            fh.write("".join(f"X{j:07d},2026-02-30,乱填,-3,abc,也许,真的,=1+1\n" for j in range(i, min(n, i + 10_000))))
    assert path.stat().st_size < limits.max_upload_bytes()
    t0 = time.perf_counter()
    r = run_cli(["--db", str(warehouse), "import", str(path)], tmp_path)
    assert_refused(r, warehouse, before, "日期不存在", f"{n:,} 处", "不在可选值范围内", "编号不存在")
    print(f"\n{path.stat().st_size / MiB:.0f} MiB CSV, {n * len(cols):,} cells refused: peak RSS "
          f"{r['peak_rss'] / MiB:.0f} MiB, CPU {r['cpu_s']:.1f} s, wall {time.perf_counter() - t0:.1f} s")


def test_over_the_cell_budget_stops_reading(tmp_path):
    """A CSV with more cells than one import may read is refused while streaming, at the row it crossed."""
    cols = [c.zh for c in T.TABLES["enterprise_party"].cols]
    rows = limits.MAX_CELLS // len(cols) + 5
    line = "E0000001,2026-09-30,单独组建,3,0,是,是,否\n"
    data = (",".join(cols) + "\n" + line * rows).encode()
    fr = readers.read_file("企业党建.csv", data)
    assert [i.rule for i in fr.issues] == ["超过导入上限"] and not fr.sheets
    assert f"{rows:,} 行 × {len(cols)} 列" in fr.issues[0].detail
    assert f"超过一次导入的上限 {limits.cells_text(limits.MAX_CELLS)}" in fr.issues[0].detail
    # the general reader (a quoted field forces it) stops while streaming, at the row it crossed
    fr = readers.read_file("企业党建.csv", data.replace(b"E0000001,", b'"E0000001",', 1))
    assert [i.rule for i in fr.issues] == ["超过导入上限"] and not fr.sheets
    assert "读到第" in fr.issues[0].detail


def test_a_large_valid_workbook_still_imports(warehouse, tmp_path):
    """The limits leave room for real data: the demo district's whole warehouse (×1) exported as one
    workbook reads within the budget."""
    out = tmp_path / "当前数据.xlsx"
    pub.export_warehouse(out, warehouse)
    budget = limits.Budget()
    fr = readers.read_path(out, budget)
    assert fr.issues == [] and len(fr.sheets) == len(T.TABLES)
    used = limits.MAX_CELLS - budget.cells
    assert 0 < used < limits.MAX_CELLS / 1.5                         # headroom over the demo's scale
