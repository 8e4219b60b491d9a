"""登录:用户名 / 密码 / 登录。未登录时任何地址都只显示本页。"""
from dashboard.auth import web

web.login_form()
