"""Signing up: the form in each language, the double opt-in email, and the confirmation link.

Whatever happens to a sign-up (a new address, one already subscribed, one that bounced, a filled
honeypot, too many emails to one address), the reader sees the same page and the response takes the
same path: the sign-up is recorded, and its confirmation email (when there is one) composed and sent,
after the response.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from .._address import name_problem, normalise_address
from .._language import Language, find_language
from .._layout import CONFIRM, SUBSCRIBE, subscribe_path, with_token
from ..delivery import (
    Origin,
    allow_signup_form,
    confirm_signup,
    find_signup,
    make_confirm_token,
    open_confirm_token,
    request_signup,
)
from . import _confirmation
from ._guard import CSRF_FIELD, Form, read_form
from ._site import Site, origin

logger = logging.getLogger("masthead.web")

HONEYPOT = "website"
"""A field people never see (hidden by the stylesheet) and bots fill in."""
MAX_FIELD = 320
MAX_NAME = 100


def _field(form: Form, name: str) -> str:
    return form.get(name).strip()[: MAX_FIELD + 1]


def routes(site: Site) -> list[Route]:
    async def choose(request: Request) -> Response:
        language = site.language(request)
        return RedirectResponse(site.path(subscribe_path(language.tag)), status_code=303)

    async def form(request: Request) -> Response:
        language = _language_or_none(site, request.path_params["lang"])
        if language is None:
            return _not_found(site, request)
        if request.method == "GET":
            return _form(site, request, language)
        return await _submit(site, request, language)

    async def confirm(request: Request) -> Response:
        token = request.query_params.get("token", "")
        found = open_confirm_token(token, site.keyring)
        signup = await run_in_threadpool(find_signup, site.config, found.signup) if found else None
        language = site.language_of(signup.language) if signup else site.language(request)
        if found is None:
            return site.message(request, language, "invalid-link", status=400)
        if found.expired() or signup is None:
            return site.message(request, language, "expired-link", status=410)
        if signup.confirmed is not None:
            return site.page(request, "confirmed", language, name=signup.name)
        if request.method == "GET":
            # Link checkers open links in emails: only the button confirms.
            return site.page(request, "confirm", language, form=True, token=token, address=signup.address)
        posted = await read_form(request)
        if not site.csrf.check(request, posted.get(CSRF_FIELD)):
            return _expired_form(site, request, language)
        subscriber = await run_in_threadpool(confirm_signup, site.config, signup.id, origin(request))
        if subscriber is None or subscriber.status != "active":
            return site.message(request, language, "expired-link", status=410)
        return site.page(request, "confirmed", language, name=subscriber.name)

    return [
        Route(f"/{SUBSCRIBE}", choose, methods=["GET"]),
        Route("/" + subscribe_path("{lang}"), form, methods=["GET", "POST"]),
        Route(f"/{CONFIRM}", confirm, methods=["GET", "POST"]),
    ]


def _language_or_none(site: Site, tag: str) -> Language | None:
    return find_language(tag, site.config.languages)


def _not_found(site: Site, request: Request) -> Response:
    return site.message(request, site.language(request), "not-found", status=404)


def _expired_form(site: Site, request: Request, language: Language) -> Response:
    return site.message(request, language, "expired-form", status=403)


def _form(
    site: Site,
    request: Request,
    language: Language,
    *,
    status: int = 200,
    error: str | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    if error is None and not values:
        # The form as every reader first sees it: the same page for all, but for its token.
        return site.kept_page(
            request, "subscribe", language, status=status, form=True,
            make=lambda: {"error": None, "values": None, "chosen": language.tag, "honeypot": HONEYPOT},
        )  # fmt: skip
    values = values or {}
    chosen = values.get("language") or language.tag
    return site.page(
        request, "subscribe", language, status=status, form=True, error=error, values=values,
        chosen=chosen, honeypot=HONEYPOT,
    )  # fmt: skip


async def _submit(site: Site, request: Request, language: Language) -> Response:
    posted = await read_form(request)
    if not site.csrf.check(request, posted.get(CSRF_FIELD)):
        return _expired_form(site, request, language)
    client = request.client.host if request.client else "unknown"
    wait = await run_in_threadpool(allow_signup_form, site.config, client)
    if wait is not None:
        return site.message(
            request, language, "too-many", status=429, headers={"Retry-After": str(int(wait) + 1)},
            minutes=max(1, round(wait / 60)),
        )  # fmt: skip
    values = {name: _field(posted, name) for name in ("address", "name", "language")}
    if _field(posted, HONEYPOT):
        return site.page(request, "sent", language, address=values["address"])
    wanted = _language_or_none(site, values["language"]) or language
    error = _problem(posted, values)
    if error is not None:
        return _form(site, request, language, status=400, error=error, values=values)
    done = site.page(request, "sent", language, address=values["address"])
    # Everything that depends on the address (is it known, bounced, asked too often today) happens
    # after the answer, the same way for every address: the answer cannot tell them apart, not even
    # by the time it takes.
    done.background = BackgroundTask(
        run_in_threadpool, _sign_up, site, values["address"], values["name"] or None, wanted, origin(request)
    )
    return done


def _problem(posted: Form, values: dict[str, str]) -> str | None:
    """What is wrong with the form's address or name (a key of the form's errors), or ``None``."""
    if "address" in posted.undecodable or not values["address"]:
        return "bad-address"
    if "name" in posted.undecodable:
        return "bad-name"
    if len(values["name"]) > MAX_NAME:
        return "long-name"
    try:
        normalise_address(values["address"])
    except ValueError:
        return "bad-address"
    if name_problem(values["name"]):
        return "bad-name"
    return None


def _sign_up(site: Site, address: str, name: str | None, language: Language, asked: Origin) -> None:
    """Record the sign-up and send its confirmation email, if it gets one (after the answer)."""
    try:
        outcome = request_signup(site.config, address, name, language.tag, asked, keep=site.confirm_lifetime)
        if outcome.signup is None:
            return
        expires = datetime.now(UTC) + site.confirm_lifetime
        token = make_confirm_token(outcome.signup.id, expires, site.keyring.current)
        message = _confirmation.compose(
            site.pages, site.config, language, outcome.address, outcome.signup.name,
            site.url(with_token(CONFIRM, token)), expires,
        )  # fmt: skip
        _confirmation.send(site.config, message)
    except Exception:  # the reader has had their answer; the log says what went wrong
        logger.exception("a sign-up was not recorded or its confirmation email not sent")
