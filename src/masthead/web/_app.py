"""``create_app(config)``: the readers' side as one ASGI application, under ``base_url``'s path."""

from __future__ import annotations

import logging

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from .._config import Config
from .._errors import DeliveryError
from .._layout import READER_ROUTES, STYLE
from ..delivery import Keyring, keyring_from_environment
from . import _browse, _preview, _signup, _subscription
from ._archive import Archive
from ._batch import Unsubscribes
from ._confirmation import sender
from ._guard import EDITION_POLICY, PAGE_POLICY, Csrf, RateLimit, SecurityHeaders
from ._pages import Pages
from ._site import SIGNUP_WINDOW, Site

logger = logging.getLogger("masthead.web")

MAX_BODY = 64 * 1024
"""No form of the service needs more; a larger request is refused before it is read."""


def create_app(config: Config, *, keyring: Keyring | None = None, preview: bool = False) -> Starlette:
    """The service for ``config``'s workspace: sign-up, confirmation, one-click unsubscribe,
    preferences, the archive and its feeds, and the built editions, all under ``base_url``'s path.

    ``keyring`` defaults to the secrets in the environment (``[delivery] secret_env``, and earlier
    ones in the same name with ``_PREVIOUS``); without one, :class:`~masthead.DeliveryError` says
    what to set. With ``preview``, an edition's page is rebuilt when what it is made from changed,
    and reloads itself in the browser (for editors: ``masthead serve --preview``).
    """
    keyring = keyring or keyring_from_environment(config)
    try:
        sender(config)
    except DeliveryError as exc:
        if not preview:
            raise  # a sign-up whose confirmation cannot be sent is a reader lost: refuse to start
        logger.warning("%s: sign-ups will not get their confirmation email", exc)
    pages = Pages(config)
    site = Site(
        config=config,
        keyring=keyring,
        pages=pages,
        csrf=Csrf(keyring, ""),
        signups=RateLimit(config.web.signups_per_hour, SIGNUP_WINDOW),
        archive=Archive(config),
        unsubscribes=Unsubscribes(config),
        preview=preview,
    )
    site.csrf.path = site.prefix
    own: list[BaseRoute] = [*_browse.routes(site), *_signup.routes(site), *_subscription.routes(site)]
    if preview:
        own += _preview.routes(site)
    # The built editions, for the archive's links (a reverse proxy may serve build/ itself instead).
    own.append(Mount("/", app=StaticFiles(directory=config.output, check_dir=False), name="editions"))
    prefix = site.prefix.rstrip("/")
    routes: list[BaseRoute] = [Mount(prefix, routes=own)] if prefix else own
    own_paths = tuple(site.path(route) for route in READER_ROUTES)

    def policy_for(path: str) -> str:
        if path == site.prefix or path.startswith(own_paths) or path.startswith(site.path(f"{STYLE}/")):
            return PAGE_POLICY
        return EDITION_POLICY

    async def not_found(request: Request, exc: Exception) -> Response:
        return site.message(request, site.language(request), "not-found", status=404)

    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(SecurityHeaders, policy_for=policy_for, hsts=config.base_url.startswith("https://"))
        ],
        exception_handlers={404: not_found},
        max_body_size=MAX_BODY,
    )
    app.state.site = site
    return app
