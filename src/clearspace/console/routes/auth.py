"""Sign in with an API key, sign out, choose the language."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from clearspace.console.i18n import LANGUAGES
from clearspace.console.session import COOKIE, new_sid
from clearspace.console.web import LANG_COOKIE, MASK_COOKIE, Console
from clearspace.errors import ClearspaceError, RateLimited, Unauthenticated


def safe_next(value: str | None) -> str:
    """Only a path inside the console may be a redirect target (no open redirects)."""
    if value and value.startswith("/console") and "//" not in value and "\\" not in value:
        return value
    return "/console/"


def add_routes(router: APIRouter, console: Console) -> None:
    @router.get("/login")
    def login_form(request: Request, next: str = "/console/") -> Response:
        try:
            console.throttle(request)
        except RateLimited as exc:
            return console.too_many(request, exc)
        return console.render(request, None, "login.html", next=safe_next(next), failed=None)

    @router.post("/login")
    async def login(request: Request) -> Response:
        form = await request.form()
        key, target = str(form.get("key") or ""), safe_next(str(form.get("next") or ""))
        try:
            console.throttle(request)  # per client address: sign-in attempts are limited too
            principal = await run_in_threadpool(console.service.admin.authenticate, key.strip(), "read")
        except RateLimited as exc:
            return console.too_many(request, exc)
        except ClearspaceError as exc:
            return console.render(request, None, "login.html", 401, next=target, failed=str(exc))
        response = RedirectResponse(target, status_code=303)
        sid = new_sid()
        cookie = console.sessions.issue(principal.key_id, principal.role, principal.name, sid=sid)
        await run_in_threadpool(console.service.admin.open_console_session, sid, principal.key_id,
                                console.sessions.lifetime, principal.actor)
        response.set_cookie(COOKIE, cookie, max_age=int(console.sessions.lifetime), httponly=True,
                            samesite="strict", secure=request.url.scheme == "https", path="/console")
        return response

    @router.post("/logout")
    async def logout(request: Request) -> Response:
        """Ends the session in the store (the cookie stops working in every process), then forgets it."""
        response = RedirectResponse("/console/login", status_code=303)
        try:
            session = console.sessions.read(request.cookies.get(COOKIE))
        except Unauthenticated:
            session = None
        if session is not None:
            await run_in_threadpool(console.service.admin.close_console_session, session.sid, session.actor)
        response.delete_cookie(COOKIE, path="/console")
        return response

    @router.get("/lang/{lang}")
    def language(lang: str, next: str = "/console/") -> Response:
        response = RedirectResponse(safe_next(next), status_code=303)
        if lang in LANGUAGES:
            response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", path="/console")
        return response

    @router.get("/mask/{state}")
    def mask(state: str, next: str = "/console/") -> Response:
        response = RedirectResponse(safe_next(next), status_code=303)
        response.set_cookie(MASK_COOKIE, "0" if state == "off" else "1", max_age=365 * 86400, samesite="lax",
                            path="/console")
        return response
