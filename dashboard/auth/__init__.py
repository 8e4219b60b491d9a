"""Accounts, roles, sessions, kiosk tokens and the audit log (账号与权限).

All of it lives in the app-state store (`store`), a database of its own selected by
DASHBOARD_STATE_URL (default: SQLite data/app.db), never in the versioned warehouse.
"""
