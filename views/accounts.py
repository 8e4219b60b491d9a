"""账号管理(系统管理员):新建账号、停用/启用、重置密码、调整角色与授权范围、大屏令牌。不显示任何业务数据。"""
import polars as pl
import streamlit as st

from dashboard.auth import accounts, roles, web
from dashboard.auth.store import local

web.require("sys_admin", stamp=True)

me = web.who() or {}
BY = dict(by=me.get("name", ""), by_role=me.get("role", ""))

st.title("账号管理")
st.caption("三权分立:系统管理员只管理账号与大屏令牌,不查看业务数据;数据管理员负责导入发布;安全审计员查看审计日志。"
           "新建账号与重置密码时设置的是临时密码,用户首次登录须修改。")


def _fmt(t):
    return local(t)


users = accounts.list_users()
st.dataframe(pl.DataFrame({
    "用户名": [u["name"] for u in users], "姓名": [u["display_name"] for u in users],
    "角色": [roles.label(u["role"]) for u in users], "授权范围": [u["scope"] or "—" for u in users],
    "状态": ["已停用" if u["disabled"] else ("已锁定" if u["locked"] else "正常") for u in users],
    "演示账号": ["是" if u["is_demo"] else "" for u in users],
    "须改密码": ["是" if u["must_change"] else "" for u in users],
    "最近登录": [_fmt(u["last_login_at"]) for u in users],
}), hide_index=True, key="ac_users")


def _run(fn, ok: str):
    try:
        fn()
    except accounts.AuthError as e:
        st.error(str(e))
        return
    st.success(ok)


t_add, t_edit, t_tok = st.tabs(["新建账号", "停用 · 启用 · 重置密码 · 授权", "大屏令牌"])
with t_add:
    with st.form("ac_add"):
        c1, c2 = st.columns(2)
        name = c1.text_input("用户名")
        display = c2.text_input("姓名")
        role = c1.selectbox("角色", list(roles.ROLES), format_func=roles.label, placeholder="请选择")
        scope = c2.text_input("授权范围", placeholder="产业链/园区角色必填,如 C02 或 P01,多个用逗号分隔")
        pw = st.text_input("临时密码", type="password", help="至少 8 位,同时包含字母和数字")
        if st.form_submit_button("新建", type="primary"):
            _run(lambda: accounts.add_user(name.strip(), role, pw, scope, display_name=display.strip() or None, **BY),
                 f"已新建账号 {name}")
with t_edit:
    names = [u["name"] for u in users]
    if names:
        who = st.selectbox("账号", names, key="ac_who", placeholder="请选择")
        c1, c2, c3 = st.columns(3)
        if c1.button("停用", key="ac_disable"):
            _run(lambda: accounts.set_disabled(who, True, **BY), f"已停用 {who}")
        if c2.button("启用", key="ac_enable"):
            _run(lambda: accounts.set_disabled(who, False, **BY), f"已启用 {who}")
        with c3.popover("重置密码"):
            npw = st.text_input("新的临时密码", type="password", key="ac_newpw")
            if st.button("确认重置", key="ac_reset"):
                _run(lambda: accounts.reset_password(who, npw, **BY), f"已重置 {who} 的密码")
        with st.form("ac_grant"):
            g1, g2 = st.columns(2)
            nrole = g1.selectbox("新角色", list(roles.ROLES), format_func=roles.label, placeholder="请选择")
            nscope = g2.text_input("新授权范围", placeholder="如 C02,C05")
            if st.form_submit_button("调整授权"):
                _run(lambda: accounts.set_grant(who, nrole, nscope, **BY), f"已调整 {who} 的授权")
with t_tok:
    toks = accounts.list_tokens()
    st.dataframe(pl.DataFrame({
        "编号": [t["id"] for t in toks], "名称": [t["name"] for t in toks],
        "创建": [_fmt(t["created_at"]) for t in toks], "创建人": [t["created_by"] for t in toks],
        "最近使用": [_fmt(t["last_used_at"]) for t in toks],
        "状态": ["已吊销" if t["revoked_at"] else "有效" for t in toks],
    }, schema={"编号": pl.Int64, "名称": pl.Utf8, "创建": pl.Utf8, "创建人": pl.Utf8, "最近使用": pl.Utf8,
               "状态": pl.Utf8}), hide_index=True, key="ac_tokens")
    with st.form("ac_tok"):
        tname = st.text_input("令牌名称", placeholder="如 指挥大厅1号屏")
        if st.form_submit_button("新建令牌"):
            try:
                tok = accounts.create_token(tname, **BY)
            except accounts.AuthError as e:
                st.error(str(e))
            else:
                st.success("令牌只显示这一次,请复制到大屏浏览器的地址中:")
                st.code(f"/bigscreen?token={tok}", language=None)
    live = [t for t in toks if not t["revoked_at"]]
    if live:
        rv = st.selectbox("吊销令牌", [str(t["id"]) for t in live], placeholder="请选择",
                          format_func=lambda i: next(f"{t['id']} {t['name']}" for t in live if str(t["id"]) == i))
        if st.button("吊销", key="ac_revoke"):
            _run(lambda: accounts.revoke_token(rv, **BY), "已吊销")
