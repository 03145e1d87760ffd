"""``create_app(config)``: the readers' side as one ASGI application, under ``base_url``'s path; and
``server_config(app, ...)``: how ``masthead serve`` runs it under uvicorn, so that the answers the
HTTP server gives on its own, before the app sees a request, carry the security headers as well.

uvicorn answers a request it cannot parse (a broken request line, a header block larger than
:data:`~._guard.MAX_HEADER_BYTES` arriving in pieces) with a 400 of its own. Run this way, that 400
carries the same headers as every answer of the app. What this cannot reach: another ASGI server or
uvicorn started by hand (``uvicorn --factory masthead.web:workspace_app``), and a connection the
server drops without an answer (a timeout, a client gone).
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any
from urllib.parse import quote

import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .._config import Config
from .._errors import DeliveryError, MastheadError
from .._layout import EMAIL_SAMPLE, EMAIL_TEMPLATE, archive_path
from ..delivery import Keyring, keyring_from_environment
from ..delivery.store import Store, is_postgresql, open_store
from . import _browse, _preview, _signup, _subscription
from ._archive import Archive
from ._batch import Unsubscribes
from ._confirmation import sender
from ._guard import EDITION_POLICY, MAX_HEADER_BYTES, Csrf, Guard, security_headers
from ._pages import Pages
from ._site import Site

logger = logging.getLogger("masthead.web")

MAX_BODY = 64 * 1024
"""No form of the service needs more; a larger request is refused before it is read."""

INTERNAL_FILES = frozenset({EMAIL_TEMPLATE, EMAIL_SAMPLE})
"""Files a build writes for sending, never for readers (besides every dot-named file and folder:
the build stamp ``.masthead-build``, the image placements ``images/.placements.json``)."""


class Service(Starlette):
    """Starlette with :class:`~._guard.Guard` outside everything, its own error handler included."""

    def __init__(self, *, hsts: bool, **options: object) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.hsts = hsts

    def build_middleware_stack(self) -> ASGIApp:
        return Guard(super().build_middleware_stack(), hsts=self.hsts)


class Editions:
    """The built editions, as the archive links them (``<slug>/<lang>/`` serves its ``index.html``),
    with their own policy; the build's own files are not found."""

    def __init__(self, directory: str) -> None:
        self.files = StaticFiles(directory=directory, check_dir=False, html=True)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        parts = scope["path"].split("/")
        if any(part.startswith(".") for part in parts) or parts[-1] in INTERNAL_FILES:
            raise HTTPException(status_code=404)

        async def send_edition(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).setdefault("Content-Security-Policy", EDITION_POLICY)
            await send(message)

        await self.files(scope, receive, send_edition)


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
    archive = Archive(config)
    site = Site(
        config=config,
        keyring=keyring,
        pages=pages,
        csrf=Csrf(keyring, "/", config.base_url),
        archive=archive,
        unsubscribes=Unsubscribes(config),
        preview=preview,
    )
    site.csrf.path = site.prefix
    app_store = _held_store(config)

    async def archive_folder(request: Request) -> Response:
        tag = quote(request.path_params["lang"], safe="")
        return RedirectResponse(site.path(archive_path(tag)), status_code=308)

    # Routes are tried in order, each a regular expression: the pages readers open first, whose
    # answers are kept and cost little else; an unsubscribe, written to the store, can afford the tries.
    own: list[Route] = [*_browse.routes(site), *_signup.routes(site), *_subscription.routes(site)]
    own.append(Route("/archive/{lang}", archive_folder, methods=["GET"]))
    if preview:
        own += _preview.routes(site)
    # Each route with base_url's path in front, rather than all in a Mount of that path: one router
    # less for every request to go through.
    prefix = site.prefix.rstrip("/")
    routes: list[BaseRoute] = [
        Route(prefix + route.path, route.endpoint, methods=route.methods, name=route.name) for route in own
    ]
    # The built editions, for the archive's links (a reverse proxy may serve build/ itself instead).
    editions = Editions(str(config.output))
    routes.append(Mount(prefix, app=editions, name="editions") if prefix else Mount("/", app=editions))

    async def not_found(request: Request, exc: Exception) -> Response:
        return site.message(request, site.language(request), "not-found", status=404)

    async def server_error(request: Request, exc: Exception) -> Response:
        # The cause is in the log (the server logs the exception); the reader learns nothing of it.
        return PlainTextResponse("Internal Server Error\n", status_code=500)

    app = Service(
        hsts=config.base_url.startswith("https://"),
        routes=routes,
        exception_handlers={404: not_found, Exception: server_error},
        max_body_size=MAX_BODY,
    )
    app.state.site = site
    app.state.held_store = app_store
    return app


def _held_store(config: Config) -> Store | None:
    """A connection to a SQLite store held open for the life of the app, and never used.

    Every request opens the store and closes it again; when the last connection to a SQLite file in
    WAL mode closes, SQLite writes the log back into the file and flushes it to disk, which a sign-up
    form would wait for before its answer (tens of milliseconds, more on a busy disk). With this one
    open, a close is never the last, and SQLite writes the log back now and then as it grows.
    """
    if is_postgresql(config):
        return None
    try:
        return open_store(config)
    except (MastheadError, OSError, sqlite3.Error) as exc:  # the requests will say what is wrong
        logger.warning("the subscriber store cannot be opened: %s", exc)
        return None


def server_config(
    app: Any,
    *,
    host: str,
    port: int,
    forwarded_allow_ips: str = "127.0.0.1",
    hsts: bool | None = None,
    log_level: str = "warning",
    access_log: bool = False,
) -> uvicorn.Config:
    """The uvicorn settings of ``masthead serve`` for ``app`` (``hsts``: defaults to whether the
    app's ``base_url`` is https). Requests are not logged unless ``access_log``: a request's query
    holds the token of an unsubscribe or preferences link, which is not for a log file, and a line
    formatted and written per request takes a good share of the time an answer takes."""
    if hsts is None:
        site = getattr(getattr(app, "state", None), "site", None)
        hsts = bool(site and site.config.base_url.startswith("https://"))
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=_protocol(hsts),
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
        server_header=False,
        log_level=log_level,
        access_log=access_log,
    )


def _protocol(hsts: bool) -> type[HttpToolsProtocol]:
    extra = b"".join(f"{name}: {value}\r\n".encode("latin-1") for name, value in security_headers(hsts=hsts))

    class Protected(HttpToolsProtocol):
        """uvicorn's HTTP/1.1 protocol on httptools (llhttp, in C: it serves about half as many
        requests again as the pure-Python h11 on the same core), whose own 400 carries the service's
        security headers, and which refuses a request whose head grows past
        :data:`~._guard.MAX_HEADER_BYTES` before it ends: llhttp sets no limit of its own."""

        head_open = True
        """Whether the bytes arriving are a request's head (the line and headers): from the end of
        one request, or the start of the connection, until the headers of the next are complete."""
        head_bytes = 0
        ended_here = False
        """Whether a request ended in the bytes just received: what followed it there (the start of
        another, pipelined) is not counted, which is at most one read of the socket."""

        def data_received(self, data: bytes) -> None:
            self.ended_here = False
            super().data_received(data)
            if self.head_open and not self.ended_here and not self.transport.is_closing():
                self.head_bytes += len(data)
                if self.head_bytes > MAX_HEADER_BYTES:
                    self.send_400_response("Request header fields too large.")

        def on_headers_complete(self) -> None:
            self.head_open, self.head_bytes = False, 0
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            super().on_message_complete()
            self.head_open, self.head_bytes, self.ended_here = True, 0, True

        def send_400_response(self, msg: str) -> None:
            body = (msg + "\n").encode("ascii", "replace")
            head = (
                b"HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain; charset=utf-8\r\n"
                + f"content-length: {len(body)}\r\n".encode("ascii")
                + extra
                + b"connection: close\r\n\r\n"
            )
            # The last thing on this connection: whatever the parser made of the request so far
            # is left as it is.
            self.transport.write(head + body)
            self.transport.close()

    return Protected
