"""The links in every email: one-click unsubscribe (RFC 8058) and the reader's preferences.

``<base_url>unsubscribe?token=TOKEN`` is the ``List-Unsubscribe`` URL of every message. A mailbox
provider POSTs ``List-Unsubscribe=One-Click`` to it: the reader is unsubscribed at once, with no
cookie and no form. A GET (a person, or a link checker opening every link) only shows a page with
one button. The page links to the preferences (same token), where a reader changes their name and
language or unsubscribes.

A valid token whose subscriber is no longer on file gets exactly the answers a known one gets.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from .._errors import DeliveryError
from .._language import find_language
from .._layout import PREFERENCES, UNSUBSCRIBE
from ..delivery import (
    Subscriber,
    UnsubscribeRequest,
    change_preferences,
    find_reader,
    open_unsubscribe_token,
)
from ._guard import CSRF_FIELD, read_form
from ._site import Site, origin

ONE_CLICK = "List-Unsubscribe=One-Click"


def routes(site: Site) -> list[Route]:
    async def unsubscribe(request: Request) -> Response:
        token = request.query_params.get("token", "")
        found = open_unsubscribe_token(token, site.keyring)
        if request.method == "POST" and await _one_click(request):
            # RFC 8058: the token is the authority; no cookie, no CSRF token, just a 2xx.
            if found is None:
                return PlainTextResponse("This unsubscribe link is not valid.\n", status_code=400)
            await site.unsubscribes.unsubscribe(found.public_id, origin(request), "one-click")
            return PlainTextResponse("Unsubscribed.\n")
        subscriber = await _reader(site, found)
        language = site.language_of(subscriber.language) if subscriber else site.language(request)
        if found is None:
            return site.message(request, language, "invalid-link", status=400)
        if request.method == "GET":
            done = subscriber is not None and subscriber.status != "active"
            return site.page(request, "unsubscribe", language, form=True, token=token, done=done)
        posted = await read_form(request)
        if not site.csrf.check(request, posted.get(CSRF_FIELD)):
            return site.message(request, language, "expired-form", status=403)
        await site.unsubscribes.unsubscribe(found.public_id, origin(request), "web page")
        return site.page(request, "unsubscribed", language)

    async def preferences(request: Request) -> Response:
        token = request.query_params.get("token", "")
        found = open_unsubscribe_token(token, site.keyring)
        subscriber = await _reader(site, found)
        language = site.language_of(subscriber.language) if subscriber else site.language(request)
        if found is None:
            return site.message(request, language, "invalid-link", status=400)
        if request.method == "GET":
            return _preferences(site, request, token, subscriber)
        posted = await read_form(request)
        if not site.csrf.check(request, posted.get(CSRF_FIELD)):
            return site.message(request, language, "expired-form", status=403)
        name = posted.get("name").strip()[:100] or None
        wanted = posted.get("language")
        chosen = find_language(wanted, site.config.languages) or language
        if "name" in posted.undecodable:
            return _preferences(site, request, token, subscriber, status=400, error="bad-name")
        try:
            changed = await run_in_threadpool(
                change_preferences, site.config, found.public_id, name, chosen.tag, origin(request)
            )
        except DeliveryError:
            return _preferences(site, request, token, subscriber, status=400, error="bad-name")
        return _preferences(site, request, token, changed, saved=True, name=name, chosen=chosen.tag)

    return [
        Route(f"/{UNSUBSCRIBE}", unsubscribe, methods=["GET", "POST"]),
        Route(f"/{PREFERENCES}", preferences, methods=["GET", "POST"]),
    ]


async def _one_click(request: Request) -> bool:
    """Whether a POST is the one-click request of RFC 8058 (``List-Unsubscribe=One-Click``)."""
    posted = await read_form(request)
    return posted.get("List-Unsubscribe") == "One-Click" and CSRF_FIELD not in posted.values


async def _reader(site: Site, found: UnsubscribeRequest | None) -> Subscriber | None:
    if found is None:
        return None
    return await run_in_threadpool(find_reader, site.config, found.public_id)


def _preferences(
    site: Site,
    request: Request,
    token: str,
    subscriber: Subscriber | None,
    *,
    status: int = 200,
    saved: bool = False,
    error: str | None = None,
    name: str | None = None,
    chosen: str | None = None,
) -> Response:
    """The preferences form; an address no longer on file sees an empty form that saves nothing."""
    language = site.language_of(subscriber.language) if subscriber else site.language(request)
    if subscriber is not None:
        name = subscriber.name
        chosen = site.language_of(subscriber.language).tag
    active = subscriber is None or subscriber.status == "active"
    return site.page(
        request, "preferences", language, status=status, form=True, token=token, saved=saved,
        error=error, name=name or "", chosen=chosen or language.tag, active=active,
    )  # fmt: skip
