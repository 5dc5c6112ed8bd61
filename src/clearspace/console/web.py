"""The console's plumbing: who is signed in, page rendering, and form actions that redirect back.

Every page goes through :meth:`Console.page` and every form through :meth:`Console.act`, so
sign-in, role checks, CSRF and error pages are handled in one place.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from clearspace.console.highlight import pieces
from clearspace.console.i18n import Catalog, choose_language, translator, value_translator
from clearspace.console.session import COOKIE, Session, Sessions
from clearspace.errors import (
    ClearspaceError,
    Conflict,
    InputError,
    NotFound,
    PermissionDenied,
    RateLimited,
    Unauthenticated,
)
from clearspace.service import access
from clearspace.service.core import Service
from clearspace.text.tables import data_path
from clearspace.text.urls import web_url

LANG_COOKIE = "cs_lang"
MASK_COOKIE = "cs_mask"
PROBLEMS = {"expired": "problem.expired", "forbidden": "problem.forbidden", "refused": "problem.refused",
            "conflict": "problem.conflict", "not_found": "problem.not_found", "rate_limited": "problem.rate_limited"}
"""``?error=CODE`` after a refused form: the code picks a catalogue message; text from the URL is
never shown, except an error's detail sealed for this very session (:meth:`Sessions.seal`)."""


def problem_code(exc: ClearspaceError) -> str:
    """The ``?error=`` code of a refused action."""
    if isinstance(exc, PermissionDenied):
        return "forbidden"
    if isinstance(exc, NotFound):
        return "not_found"
    if isinstance(exc, Conflict):
        return "conflict"
    if isinstance(exc, RateLimited):
        return "rate_limited"
    return "refused"


@dataclass(frozen=True, slots=True)
class Viewer:
    """The signed-in moderator as one page sees them."""

    session: Session
    role: str
    lang: str
    csrf: str
    mask: bool
    t: Callable[[str], str]
    tv: Callable[[str, object], str]

    @property
    def actor(self) -> str:
        return f"{self.role}:{self.session.name}"

    def can(self, permission: str) -> bool:
        return self.role in access.PERMISSIONS[permission]


class Console:
    """The console over one service: sessions, strings and templates."""

    def __init__(self, service: Service, secret: str | None = None) -> None:
        self.service = service
        self.sessions = Sessions(secret)
        self.catalog = Catalog()
        self.env = Environment(loader=FileSystemLoader(str(data_path("console/templates"))),
                               autoescape=select_autoescape(default=True), undefined=StrictUndefined,
                               trim_blocks=True, lstrip_blocks=True)
        self.env.filters["when"] = _when
        self.env.filters["epoch"] = _epoch
        self.env.filters["web_url"] = web_url  # only http(s) URLs become links (javascript: and co. do not)
        self.env.globals["evidence_pieces"] = pieces

    # ------------------------------------------------------------------ who is asking
    def language(self, request: Request) -> str:
        return choose_language(request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))

    def viewer(self, request: Request, permission: str) -> Viewer:
        cookie = request.cookies.get(COOKIE) or ""
        session = self.sessions.read(cookie)
        principal = self.service.admin.console_principal(session.sid, session.key_id)  # signed out or revoked: ended
        lang = self.language(request)
        viewer = Viewer(session=session, role=principal.role, lang=lang, csrf=self.sessions.csrf(cookie),
                        mask=request.cookies.get(MASK_COOKIE, "1") == "1", t=translator(self.catalog, lang),
                        tv=value_translator(self.catalog, lang))
        access.authorize(principal, permission)
        return viewer

    def throttle(self, request: Request, session: Session | None = None) -> None:
        """The console's rate limit (``Settings.console_rate_limit``): per session, else per client
        address; RateLimited when over it. Uses the service's limiter (Redis when configured)."""
        who = f"console:session:{session.sid}" if session else f"console:ip:{_client(request)}"
        self.service.admin.charge_console(who)

    def too_many(self, request: Request, exc: RateLimited) -> HTMLResponse:
        response = self.render(request, None, "error.html", 429, title_key="error",
                               message=self.catalog.get("problem.rate_limited", self.language(request)))
        response.headers["Retry-After"] = str(max(1, round(exc.retry_after)))
        return response

    # ------------------------------------------------------------------ pages
    def render(self, request: Request, viewer: Viewer | None, template: str, status: int = 200,
               **context: Any) -> HTMLResponse:
        lang = viewer.lang if viewer else self.language(request)
        t = viewer.t if viewer else translator(self.catalog, lang)
        html = self.env.get_template(template).render(
            viewer=viewer, t=t, tv=value_translator(self.catalog, lang), lang=lang, path=request.url.path,
            query=dict(request.query_params),
            notice=request.query_params.get("done"), **self.problem(request, t), **context)
        return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})

    def problem(self, request: Request, t: Callable[[str], str]) -> dict[str, str | None]:
        """What the alert box shows after a refused form: the catalogue message of ``?error=CODE``
        and, only when sealed for this session, the error's own words (``detail`` and ``seal``)."""
        code = request.query_params.get("error")
        if not code:
            return {"problem": None, "problem_detail": None}
        detail = request.query_params.get("detail") or ""
        sealed = self.sessions.check_seal(request.cookies.get(COOKIE) or "", detail, request.query_params.get("seal"))
        return {"problem": t(PROBLEMS.get(code, "problem.refused")), "problem_detail": detail if sealed else None}

    def page(self, request: Request, permission: str, build: Callable[[Viewer], Response]) -> Response:
        """Run ``build`` for a signed-in viewer with ``permission``; sign-in, 403, 404 and 429 pages otherwise."""
        started = time.perf_counter()
        try:
            viewer = self.viewer(request, permission)
            self.throttle(request, viewer.session)
        except Unauthenticated:
            try:
                self.throttle(request)
            except RateLimited as exc:
                return self.too_many(request, exc)
            return RedirectResponse(f"/console/login?next={quote(str(request.url.path))}", status_code=303)
        except PermissionDenied as exc:
            return self.render(request, None, "error.html", 403, title_key="forbidden", message=str(exc))
        except RateLimited as exc:
            return self.too_many(request, exc)
        try:
            response = build(viewer)
        except NotFound as exc:
            response = self.render(request, viewer, "error.html", 404, title_key="not_found", message=str(exc))
        except PermissionDenied as exc:
            response = self.render(request, viewer, "error.html", 403, title_key="forbidden", message=str(exc))
        except ClearspaceError as exc:
            response = self.render(request, viewer, "error.html", 400, title_key="error", message=str(exc))
        response.headers["Server-Timing"] = f"page;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response

    async def act(self, request: Request, permission: str, back: str,
                  action: Callable[[Viewer, Mapping[str, str]], str | None]) -> Response:
        """A form post: check the session, role and CSRF token, run ``action``, redirect.

        ``action`` returns where to go next (``None``: back to ``back``). A refused action
        (bad input, a conflict) goes back to ``back`` with its message shown.
        """
        form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        cookie = request.cookies.get(COOKIE) or ""
        try:
            viewer = await run_in_threadpool(self.viewer, request, permission)
            self.throttle(request, viewer.session)
        except Unauthenticated:
            return RedirectResponse(f"/console/login?next={quote(back)}", status_code=303)
        except PermissionDenied as exc:
            return self.refused(back, cookie, exc)
        except RateLimited as exc:
            return self.too_many(request, exc)
        if not self.sessions.check_csrf(cookie, form.get("csrf")):
            return _back(back, error="expired")
        try:
            target = await run_in_threadpool(action, viewer, form)
        except ClearspaceError as exc:
            return self.refused(back, cookie, exc)
        return _back(target or back, done="1")

    def refused(self, back: str, cookie: str, exc: ClearspaceError) -> RedirectResponse:
        """Back to ``back`` with the error's code, and its words sealed for this session only."""
        detail = str(exc)[:500]
        return _back(back, error=problem_code(exc), detail=detail, seal=self.sessions.seal(cookie, detail))


def _back(url: str, **params: str) -> RedirectResponse:
    joiner = "&" if "?" in url else "?"
    return RedirectResponse(f"{url}{joiner}{urlencode(params)}", status_code=303)


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _when(value: Any) -> str:
    """An ISO timestamp shortened for tables: ``2026-03-01 12:00``."""
    text = str(value or "")
    return text[:16].replace("T", " ") if len(text) >= 16 else text


def _epoch(value: Any) -> str:
    """Epoch seconds as ``2026-03-01 12:00`` (UTC)."""
    from datetime import UTC, datetime

    try:
        return datetime.fromtimestamp(float(value), UTC).strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError, OverflowError):
        return str(value)


def age_text(since: Any, now: Any, t: Callable[[str], str]) -> str:
    """How long ago ``since`` was (ISO timestamps), in the viewer's language: ``2 d 3 h``, ``3 h 12 min``,
    ``5 min``; empty when a timestamp cannot be read."""
    from datetime import datetime

    try:
        seconds = (datetime.fromisoformat(str(now)) - datetime.fromisoformat(str(since))).total_seconds()
    except ValueError:
        return ""
    minutes = max(0, int(seconds // 60))
    days, hours, mins = minutes // 1440, minutes // 60 % 24, minutes % 60
    if days:
        return f"{days} {t('unit.d')} {hours} {t('unit.h')}"
    if hours:
        return f"{hours} {t('unit.h')} {mins} {t('unit.min')}"
    return f"{mins} {t('unit.min')}"


def required(form: Mapping[str, str], name: str) -> str:
    """A form field that must not be blank."""
    value = (form.get(name) or "").strip()
    if not value:
        raise InputError(f"'{name}' must not be empty")
    return value

