"""Every failure is a Chinese sentence and an exit code, never a traceback (issue 10 point 5): the CLI's
failures, a warehouse that is not a DuckDB file on every page, bad URL values on every page (including the big
screen's interval/start/rotate), and --db before or after every subcommand."""
from __future__ import annotations

import argparse
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from browser_support import StreamlitServer, app_exceptions, wait_for_app
from dashboard import cli, db, nav
from dashboard.dataio import publish as pub
from test_dataio import demo_tables, small_tables  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_LEAKS = ("Traceback", "Exception", "Error:", "Errno", "Permission denied", "No such file", "IO Error",
                 "usage:", "error:")


def run(args: list[str], *, cwd: Path = ROOT, env: dict | None = None, drop_root: bool = False):
    """The real CLI in a child process. drop_root: as root, without the capabilities that let root ignore
    file permissions (so a read-only folder is read-only for it too)."""
    cmd = [sys.executable, "-m", "dashboard", *args]
    if drop_root and os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("setpriv (util-linux) is needed to test an unwritable folder as root")
        cmd = [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", "--", *cmd]
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    full_env.pop("DASHBOARD_DEBUG", None)
    return subprocess.run(cmd, cwd=cwd, env=full_env, capture_output=True, text=True, timeout=600)


def assert_chinese_failure(r, code: int | None = None, *words: str) -> str:
    text = r.stderr + r.stdout
    assert r.returncode != 0 and (code is None or r.returncode == code), (r.returncode, text)
    for leak in ENGLISH_LEAKS:
        assert leak not in text, (leak, text)
    err_lines = [ln for ln in r.stderr.splitlines() if ln.startswith("错误:")]
    assert err_lines and CJK.search(err_lines[0]), r.stderr
    for w in words:
        assert w in r.stderr, (w, r.stderr)
    return r.stderr


@pytest.fixture(scope="module")
def corrupt(tmp_path_factory) -> Path:
    """A file where the warehouse should be that is not a DuckDB file (e.g. a copy gone wrong)."""
    p = tmp_path_factory.mktemp("corrupt") / "warehouse.duckdb"
    p.write_bytes(b"PK\x03\x04 not a warehouse " * 4096)
    return p


# ------------------------------------------------------------------------------------------------ CLI
def test_kpis_with_a_bad_quarter(warehouse_path):
    r = run(["kpis", "--quarter", "abcd", "--db", warehouse_path])
    assert_chinese_failure(r, 2, "季度应写作 2026Q3", "「abcd」")


def test_kpis_with_no_warehouse(tmp_path):
    missing = tmp_path / "nowhere" / "warehouse.duckdb"
    r = run(["kpis", "--quarter", "2026Q3"], cwd=tmp_path, env={"DASHBOARD_DB": str(missing)})
    assert_chinese_failure(r, 2, "找不到数据仓库文件", str(missing))


@pytest.mark.parametrize("args", [["kpis", "--quarter", "2026Q3"], ["report", "--quarter", "2026Q3", "--out", "x.pptx"],
                                  ["export", "--out", "x.xlsx"]], ids=["kpis", "report", "export"])
def test_a_warehouse_that_is_not_duckdb(corrupt, tmp_path, args):
    r = run([*args, "--db", str(corrupt)], cwd=tmp_path)
    assert_chinese_failure(r, 2, "数据仓库文件无法读取", str(corrupt), "回滚")


def test_report_out_naming_a_directory(warehouse_path, tmp_path):
    r = run(["report", "--quarter", "2026Q3", "--out", str(tmp_path), "--db", warehouse_path])
    assert_chinese_failure(r, 2, "--out 指向的是文件夹", str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_import_when_the_versions_folder_is_not_writable(warehouse_path, tmp_path):
    """data/ writable, data/versions/ not: refused before anything is built, in Chinese; nothing changed."""
    d = tmp_path / "data"
    d.mkdir()
    w = d / "warehouse.duckdb"
    shutil.copyfile(warehouse_path, w)
    upload = tmp_path / "企业党建.csv"
    upload.write_text("企业编号,季末日期,党组织组建方式,党员人数,本季发展党员数,是否有党建指导员/联络员,是否建立工会,是否建立团组织\n"
                      "E0000001,2026-09-30,单独组建,3,0,是,是,否\n", encoding="utf-8")
    versions = d / "versions"
    versions.mkdir()
    versions.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    before = w.read_bytes()
    try:
        r = run(["--db", str(w), "import", str(upload)], cwd=tmp_path, drop_root=True)
    finally:
        versions.chmod(0o755)
    assert_chinese_failure(r, 1, "版本目录", "不可写", "权限不足", "当前数据未作改动")
    assert w.read_bytes() == before and not w.is_symlink() and list(versions.iterdir()) == []


def test_argument_errors_are_chinese(warehouse_path):
    r = run(["kpis", "--quarter", "2026Q3", "--nope", "--db", warehouse_path])
    assert_chinese_failure(r, 2, "无法识别的参数:--nope")
    r = run(["report", "--db", warehouse_path])
    assert_chinese_failure(r, 2, "缺少必需的参数:--quarter")
    r = run(["import", "--mode", "all", "x.csv"])
    assert_chinese_failure(r, 2, "参数 --mode 的取值「all」无效")


def test_db_before_or_after_every_subcommand(tmp_path):
    """Every subcommand accepts --db before and after its name (and after wins when both are given)."""
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "cmd")
    # the arguments a subcommand requires, from its parser (nested commands: their `list`)
    values = {"quarter": "2026Q3", "out": "x.xlsx", "files": "f.csv", "version": "v20260101-000000"}

    def required_args(sp) -> list[str]:
        out = []
        for a in sp._actions:
            if isinstance(a, argparse._SubParsersAction):
                out += ["list", *required_args(a.choices["list"])]
            elif a.required and a.option_strings:
                out += [a.option_strings[0], values[a.dest]]
            elif not a.option_strings and a.nargs not in ("?", "*"):
                out.append(values[a.dest])
        return out
    required = {name: required_args(sp) for name, sp in sub.choices.items()}
    assert set(sub.choices) >= {"build-demo", "kpis", "bench", "report", "template", "export", "import",
                                "versions", "rollback"}
    for name in sub.choices:
        rest = required.get(name, [])
        assert parser.parse_args(["--db", "A.duckdb", name, *rest]).db == "A.duckdb", name
        assert parser.parse_args([name, *rest, "--db", "B.duckdb"]).db == "B.duckdb", name
        assert parser.parse_args(["--db", "A.duckdb", name, *rest, "--db", "B.duckdb"]).db == "B.duckdb", name
        assert parser.parse_args([name, *rest]).db is None, name
    # and for real: a --db after the subcommand is the warehouse the command uses
    missing = tmp_path / "after.duckdb"
    for args in (["kpis", "--quarter", "2026Q3"], ["export", "--out", str(tmp_path / "e.xlsx")],
                 ["report", "--quarter", "2026Q3", "--out", str(tmp_path / "r.pptx")]):
        r = run([*args, "--db", str(missing)], cwd=tmp_path)
        assert_chinese_failure(r, 2, str(missing))
    r = run(["versions", "--db", str(missing)], cwd=tmp_path)
    assert r.returncode == 0 and str(missing) in r.stdout


# ------------------------------------------------------------------------------------------- the pages
PAGE_FILES = [p[1] for p in nav.existing()]


@pytest.mark.parametrize("page", PAGE_FILES + ["streamlit_app.py"])
def test_a_warehouse_that_is_not_duckdb_on_every_page(corrupt, monkeypatch, page):
    """One Chinese message on every page (and through the shell), never an exception box."""
    from streamlit.testing.v1 import AppTest
    monkeypatch.setenv("DASHBOARD_DB", str(corrupt))
    db.set_db_path(None)
    at = AppTest.from_file(str(ROOT / page), default_timeout=120)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    if page == "views/bigscreen.py":                 # the wall display keeps its dignified waiting screen
        assert any("数据更新中" in h.proto.body for h in at.get("html"))
        return
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "数据仓库文件无法读取" in errors[0] and str(corrupt) in errors[0], errors
    if page == "views/data_admin.py":                # and 数据管理 stays usable to roll back or re-import
        assert [t.label for t in at.tabs] == ["导入数据", "版本与回滚", "导入日志"]


JUNK = {"quarter": "abcd", "chain": "<script>x</script>", "park": "1e309", "enterprise": "![x](http://evil.example/x)",
        "interval": "1e309", "start": "../../etc", "rotate": "<b>", "mode": "nan"}


@pytest.mark.parametrize("page", PAGE_FILES)
def test_bad_url_values_fall_back_to_defaults(warehouse_path, monkeypatch, page):
    from streamlit.testing.v1 import AppTest
    monkeypatch.setenv("DASHBOARD_DB", warehouse_path)
    db.set_db_path(None)
    at = AppTest.from_file(str(ROOT / page), default_timeout=120)
    for k, v in JUNK.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert [e.value for e in at.error] == []
    stamp = [h.proto.body for h in at.get("html") if "class='stamp'" in h.proto.body]
    if stamp:                                        # the defaults: latest quarter, whole district
        assert "2026Q3 · 全区" in stamp[0], stamp[0]
    text = " ".join(m.value for m in at.markdown) + " ".join(w.value for w in at.warning)
    assert "evil.example" not in text and "<script>" not in text


def test_bigscreen_config_falls_back_to_defaults():
    from dashboard import bigscreen as bs
    default = bs.config({})
    for junk in ("1e309", "inf", "-inf", "nan", "", "二十", "20s", "1" * 400):
        assert bs.config({"interval": junk}).interval == default.interval, junk
    assert bs.config({"rotate": "<b>"}).rotate == "chain" and bs.config({"rotate": "PARK"}).rotate == "park"
    assert bs.config({"interval": "0"}).interval == bs.MIN_INTERVAL
    assert bs.config({"interval": "99999999"}).interval == bs.MAX_INTERVAL


@pytest.mark.browser
def test_real_server_corrupt_warehouse_and_junk_urls(corrupt, warehouse_path, page, context_as, offsite_requests):
    """Chromium, the real server, the viewer's error details as configured ("type"): a non-DuckDB warehouse
    gives the Chinese sentence on every page, to the role that may open it (no "IOException … redacted"
    box); with a good warehouse the big screen opened with ?interval=1e309 draws, without an error box."""
    from conftest import role_for_page
    bad = StreamlitServer("app.py", env={"DASHBOARD_DB": str(corrupt)})
    base = bad.start(timeout=90)
    try:
        for _, file, title, _, url in nav.existing():
            p = context_as(role_for_page(file)).new_page()
            p.goto(f"{base}/{url}")                  # (no filters in the sidebar: the warehouse cannot be read)
            wait_for_app(p)
            if url == "bigscreen":
                p.get_by_text("数据更新中").first.wait_for(timeout=30_000)
            else:
                p.get_by_text("数据仓库文件无法读取").first.wait_for(timeout=30_000)
            assert not app_exceptions(p), (url, app_exceptions(p))
            body = p.locator("body").inner_text()
            assert "IOException" not in body and "redacted" not in body, url
            p.close()
    finally:
        bad.stop()
    good = StreamlitServer("streamlit_app.py", env={"DASHBOARD_DB": warehouse_path})
    base = good.start(timeout=90)
    try:
        page.goto(base + "/bigscreen?interval=1e309&start=%3Cb%3E&rotate=nan")
        wait_for_app(page)
        page.locator(".bs-run").first.wait_for(timeout=60_000)
        assert not app_exceptions(page)
        assert "每 20 秒" in page.locator(".bs-run").first.inner_text()
    finally:
        good.stop()


def test_a_broken_warehouse_is_recovered_by_a_full_replacement(tmp_path, small_tables):
    """数据管理's way out of a broken file: an update is refused (it needs the current data), a full
    replacement publishes a new version; the broken file is kept aside, never listed as a version."""
    from dashboard.dataio import template as T
    w = tmp_path / "warehouse.duckdb"
    w.write_bytes(b"not a warehouse" * 1000)
    full = T.write_export(tmp_path / "全量.xlsx", small_tables)
    r = run(["--db", str(w), "import", str(full), "--mode", "update"], cwd=tmp_path)
    assert_chinese_failure(r, 2, "数据仓库文件无法读取")
    r = run(["--db", str(w), "import", str(full), "--mode", "replace"], cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    store = pub.Store(w)
    versions = store.versions()
    assert len(versions) == 1 and versions[0].current and w.is_symlink()
    assert [p.name.endswith(".duckdb.unreadable") for p in store.dir.iterdir() if "unreadable" in p.name] == [True]
    r = run(["kpis", "--quarter", "2026Q3", "--db", str(w)], cwd=tmp_path)
    assert r.returncode == 0 and "2026Q3 · 全区" in r.stdout and "企业数" in r.stdout
