"""The sign-in pages under AppTest: the lockout message, the forced password change, the 审计 page
(auditor only; filters, chain verification), 账号管理 (sys_admin), and the exporter marks on files."""
from __future__ import annotations

import datetime as dt
import io
import os

import openpyxl
import polars as pl

from conftest import ROOT, TEST_PASSWORD, ensure_test_users
from dashboard.auth import accounts, audit, web


def _login(at, user, pw):
    at.text_input(key="login_user").input(user)
    at.text_input(key="login_password").input(pw)
    at.button[0].click()     # the form's 登录
    at.run()
    return at


def _fresh(app):
    return app("streamlit_app.py", role=None)


def test_wrong_passwords_lock_the_account(app):
    accounts.add_user("lock_me", "leader", "Right2026pw", temporary=False)
    at = _fresh(app)
    for i in range(4):
        _login(at, "lock_me", "Wrong2026pw")
        assert any("用户名或密码错误" in e.value for e in at.error), i
    _login(at, "lock_me", "Wrong2026pw")
    assert any("账号已锁定" in e.value for e in at.error)
    _login(at, "lock_me", "Right2026pw")            # the right password does not open it now
    assert any("账号已锁定" in e.value for e in at.error)
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    recs = audit.query(user="lock_me")
    assert [r["action"] for r in recs].count("login_failed") == 6 and "lockout" in [r["action"] for r in recs]


def test_login_then_forced_password_change(app):
    accounts.add_user("newbie", "chain", "Temp2026pass", "C03")
    at = _login(_fresh(app), "newbie", "Temp2026pass")
    assert not at.exception
    assert any("请修改初始密码" in m.value for m in at.markdown)
    assert not at.metric                                  # no data until the password is changed
    at.text_input[0].input("Temp2026pass")
    at.text_input[1].input("Mine2026pass")
    at.text_input[2].input("Mine2026pass")
    at.button[0].click()
    at.run()
    assert not at.exception
    assert at.session_state["chain"] == "C03"             # its own chain, not the district
    assert at.metric
    assert accounts.authenticate("newbie", "Mine2026pass").user.must_change is False


def test_only_the_auditor_opens_the_audit_page(app):
    ensure_test_users()
    audit.record("download", "t_chain", "chain", file="x.xlsx")
    at = app("streamlit_app.py", role="auditor")
    assert [t.value for t in at.title] == ["审计日志"]      # the auditor's start page
    assert any("哈希链校验通过" in s.value for s in at.success)
    df = at.dataframe[0].value
    assert {"时间", "用户", "操作", "结果", "详情"} <= set(df.columns)
    assert "下载" in df["操作"].tolist()
    at.text_input(key="au_user").input("t_chain").run()
    assert set(at.dataframe[0].value["用户"]) == {"t_chain"}
    assert not at.metric and not at.get("plotly_chart")   # no business data on this page
    # the period: dates typed (the calendar pop-up would be English), a bad one said in Chinese
    at.selectbox(key="au_period").set_value(0).run()
    yesterday = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date() - dt.timedelta(days=1)
    at.text_input(key="au_to").input(str(yesterday)).run()
    assert "t_chain" not in set(at.dataframe[0].value["用户"])          # today's record is after the end
    at.text_input(key="au_to").input("2026/13/01").run()
    assert any("结束日期应写作 2026-11-01" in e.value and "2026/13/01" in e.value for e in at.error)
    assert set(at.dataframe[0].value["用户"]) == {"t_chain"}            # fell back to today
    for role in ("leader", "chain", "data_admin", "sys_admin"):
        at = app("views/audit.py", role=role)
        assert any("无权访问" in e.value for e in at.error), role
        assert not at.dataframe


def test_sys_admin_manages_accounts_and_sees_no_data(app):
    at = app("streamlit_app.py", role="sys_admin")
    assert [t.value for t in at.title] == ["账号管理"]
    users = at.dataframe[0].value
    assert "t_chain" in users["用户名"].tolist() and "C02" in users["授权范围"].tolist()
    assert not at.metric and not at.get("plotly_chart")


def test_xlsx_pptx_pdf_carry_the_exporter():
    from dashboard.export import to_xlsx
    from dashboard.report import content, pdf, pptx_deck
    by = "测试leader · 2026-12-02 10:00"
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(pl.DataFrame({"a": [1]}), "数据", exporter=by)))
    assert wb.properties.creator == "测试leader" and by in wb.properties.description
    assert by in wb["数据"].oddFooter.left.text
    deck = content.build_deck(dt.date(2026, 9, 30), "C02", None)
    from pptx import Presentation
    prs = Presentation(io.BytesIO(pptx_deck.render(deck, exporter=by)))
    assert by in prs.core_properties.comments
    for slide in prs.slides:
        assert any(sh.name == "exporter_footer" and by in sh.text_frame.text for sh in slide.shapes)
    html = pdf.html(deck, watermark="测试leader <b>2026-12-02", exporter=by)
    assert html.count('class="wm"') == len(deck.slides)                    # on every page
    assert "<b>2026" not in html and "测试leader &lt;b&gt;2026-12-02" in html   # text, never markup
    assert html.count(by) == len(deck.slides)


def test_watermark_is_escaped_text():
    css = web.watermark_css(web.watermark_text({"display": '张三"</style><script>x</script>'}))
    assert "<script>" not in css and "</style><" not in css.replace("</style>", "", css.count("</style>") - 1)[:-8]
    assert css.count("<style>") == 1 and css.endswith("</style>")
