"""审计:登录、退出、锁定、页面访问、下载、汇报材料、导入发布回滚、账号与令牌变更的记录(仅安全审计员)。"""
import datetime as dt
import json

import polars as pl
import streamlit as st

from dashboard import safe
from dashboard.auth import audit, web
from dashboard.export import to_csv, to_xlsx

web.require("auditor", stamp=True)

st.title("审计日志")
st.caption(f"日志只追加、不可修改或删除,每条记录以密钥哈希与上一条相连;保留期不少于 {audit.RETENTION_DAYS} 天"
           "(系统不提供删除功能)。时间为北京时间。")

v = audit.verify()
(st.success if v.ok else st.error)(v.text, icon=":material/verified_user:" if v.ok else ":material/gpp_bad:")

# A period, or dates typed as 2026-11-01: Streamlit's calendar pop-up speaks English (month and weekday
# names) and cannot be translated.
PERIODS = {7: "最近 7 天", 30: "最近 30 天", 90: "最近 90 天", 365: "最近一年", 0: "自定义日期"}
BJ = dt.timezone(dt.timedelta(hours=8))
today = dt.datetime.now(BJ).date()     # the day in Beijing (the server's clock may run on UTC)
c0, c1, c2, c3, c4 = st.columns([0.9, 0.8, 0.8, 0.9, 1.4])
days = c0.selectbox("时间范围", list(PERIODS), index=1, format_func=PERIODS.get, key="au_period")
custom = days == 0
span = 30 if custom else days
start_txt = c1.text_input("开始日期", str(today - dt.timedelta(days=span)), key="au_from", disabled=not custom,
                          placeholder="如 2026-11-01")
end_txt = c2.text_input("结束日期", str(today), key="au_to", disabled=not custom, placeholder="如 2026-11-30")
user = c3.text_input("用户", key="au_user", placeholder="全部用户")
acts = c4.multiselect("操作", list(audit.ACTIONS), format_func=audit.ACTIONS.get, key="au_actions",
                      placeholder="全部操作")


def _day(text: str, what: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        # the typed text is shown as text (a code span), never as Markdown
        st.error(f"{what}应写作 2026-11-01 这样的形式(年-月-日),收到「{safe.label(text.strip()[:20])}」;按 {default} 查询。")
        return default


if custom:
    start = _day(start_txt, "开始日期", today - dt.timedelta(days=30))
    end = _day(end_txt, "结束日期", today)
else:
    start, end = today - dt.timedelta(days=days), today
if end < start:
    st.error(f"结束日期 {end} 早于开始日期 {start};已对调。")
    start, end = end, start

since = dt.datetime.combine(start, dt.time(), BJ)
until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), BJ)
rows = audit.query(since=since, until=until, user=user.strip() or None)
if acts:
    rows = [r for r in rows if r["action"] in acts]


def _local(at: str) -> str:
    t = dt.datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(BJ)
    return t.strftime("%Y-%m-%d %H:%M:%S")


df = pl.DataFrame({
    "编号": [r["id"] for r in rows],
    "时间": [_local(r["at"]) for r in rows],
    "用户": [r["user"] for r in rows],
    "角色": [r["role"] for r in rows],
    "操作": [r["action_label"] for r in rows],
    "结果": [r["result"] for r in rows],
    "详情": [json.dumps(r["detail"], ensure_ascii=False) for r in rows],
}, schema={"编号": pl.Int64, "时间": pl.Utf8, "用户": pl.Utf8, "角色": pl.Utf8, "操作": pl.Utf8,
           "结果": pl.Utf8, "详情": pl.Utf8})
st.caption(f"共 {df.height:,} 条记录(最新在前)")
st.dataframe(df, hide_index=True, height=min(38 + 35 * max(df.height, 1), 640), key="au_table",
             column_config={"详情": st.column_config.TextColumn("详情", width="large")})
d1, d2, _ = st.columns([1, 1, 4])
stem = f"审计日志_{start}_{end}"
d1.download_button("导出 Excel", web.deferred(lambda: to_xlsx(df, "审计日志", exporter=web.exporter()), "audit_export",
                                             file=f"{stem}.xlsx", rows=df.height),
                   file_name=f"{stem}.xlsx", key="au_xlsx", icon=":material/download:", on_click="ignore",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
d2.download_button("导出 CSV", web.deferred(lambda: to_csv(df), "audit_export", file=f"{stem}.csv", rows=df.height),
                   file_name=f"{stem}.csv", key="au_csv", icon=":material/download:", on_click="ignore",
                   mime="text/csv")
