"""HTTP routes mounted beside Streamlit (app.py): they set and clear the session cookie.

The browser POSTs the one-time hand-over code it got over the app's websocket after a login; the answer
sets `lz_session` = a random token (HttpOnly, SameSite=Strict, Secure behind HTTPS; a browser-session
cookie). The store keeps only the token's SHA-256, so a stolen database holds no usable session.
"""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from . import accounts

COOKIE = "lz_session"
SESSION_PATH = "/api/auth/session"
LOGOUT_PATH = "/api/auth/logout"


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "").lower() == "https"


async def set_session(request: Request) -> JSONResponse:
    code = (await request.body()).decode("utf-8", "replace").strip()[:200]
    token = accounts.redeem_handoff(code)
    if token is None:
        return JSONResponse({"ok": False}, status_code=403)
    resp = JSONResponse({"ok": True})
    resp.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=_secure(request), path="/")
    resp.headers["Cache-Control"] = "no-store"
    return resp


async def logout(request: Request) -> JSONResponse:
    token = request.cookies.get(COOKIE)
    if token:
        accounts.end_session_by_token(token, "logout")
    resp = JSONResponse({"ok": True})
    resp.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=_secure(request))
    resp.headers["Cache-Control"] = "no-store"
    return resp


def routes() -> list[Route]:
    return [Route(SESSION_PATH, set_session, methods=["POST"]), Route(LOGOUT_PATH, logout, methods=["POST"])]
