"""What every handler shares: settings, secrets, pages, and the request helpers."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

from .._config import Config
from .._language import Language, find_language
from ..delivery import Keyring, Origin
from ._archive import Archive
from ._batch import Unsubscribes
from ._guard import CSRF_FIELD, PAGE_POLICY, Csrf
from ._pages import Pages, accepted_languages, best_language

PAGE_HEADERS = (
    (b"content-type", b"text/html; charset=utf-8"),
    (b"cache-control", b"no-store"),
    (b"content-security-policy", PAGE_POLICY.encode("ascii")),
)
"""What every page of the service is answered with, as ASGI gives headers."""

MAX_KEPT = 1000
"""Far more than the pages there are (kinds of page, times languages): a bound all the same."""


class Answer(Response):
    """A response whose headers are given as they go out (Starlette's own would work them out
    again from a mapping for every answer)."""

    def __init__(self, body: bytes, status: int, raw_headers: list[tuple[bytes, bytes]]) -> None:
        self.body = body
        self.status_code = status
        self.raw_headers = raw_headers
        self.background = None


@dataclass
class Site:
    config: Config
    keyring: Keyring
    pages: Pages
    csrf: Csrf
    archive: Archive
    unsubscribes: Unsubscribes
    preview: bool = False
    kept: dict[tuple[str, Hashable], bytes] = field(default_factory=dict, repr=False)
    """What :meth:`keep` made (the kept pages, the feeds, the stylesheets), by archive version and key."""
    token_mark: str = field(default_factory=lambda: "csrf-" + secrets.token_hex(16), repr=False)
    """Stands for the form's CSRF token in a kept page: the one part that differs per answer."""
    _keeping: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def confirm_lifetime(self) -> timedelta:
        """How long a confirmation link works; unconfirmed sign-ups are deleted after it."""
        return timedelta(hours=self.config.web.confirm_hours)

    @property
    def prefix(self) -> str:
        """The path every URL of the service starts with: ``base_url``'s (``/news/``)."""
        return urlsplit(self.config.base_url).path or "/"

    def path(self, relative: str) -> str:
        return self.prefix + relative

    def url(self, relative: str) -> str:
        """An absolute URL, as the emails carry it."""
        return self.config.base_url + relative

    def offered(self) -> tuple[Language, ...]:
        """The languages a reader can choose: those with an edition out, else every configured one."""
        return self.archive.languages() or self.config.languages

    def language(self, request: Request, tag: str | None = None) -> Language:
        """The configured language ``tag`` names, or the best one for the reader's browser."""
        found = find_language(tag, self.config.languages) if tag else None
        if found is not None:
            return found
        wanted = accepted_languages(request.headers.get("accept-language"))
        return best_language(wanted, self.config.languages, self.config.source_language)

    def language_of(self, preference: str) -> Language:
        """The configured language closest to a subscriber's preference."""
        return best_language([preference], self.config.languages, self.config.source_language)

    def page(
        self,
        request: Request,
        template: str,
        language: Language,
        *,
        status: int = 200,
        form: bool = False,
        headers: dict[str, str] | None = None,
        **context: Any,
    ) -> Response:
        """A page of the service, rendered for this answer; with ``form``, its forms get a CSRF
        token (and the cookie it matches, if the browser has none yet)."""
        nonce, new = self.csrf.nonce(request) if form else ("", False)
        body = self._render(template, language, self.csrf.token(nonce) if form else "", context)
        return self._answer(request, body, status, headers, nonce if new else None)

    def kept_page(
        self,
        request: Request,
        template: str,
        language: Language,
        *,
        status: int = 200,
        form: bool = False,
        headers: dict[str, str] | None = None,
        key: Hashable = (),
        make: Callable[[], dict[str, Any]] = dict,
    ) -> Response:
        """A page that is the same for every reader: rendered once, with the context ``make`` gives,
        and kept for as long as the archive's :meth:`~._archive.Archive.version` holds (the
        editions, catalogs, templates and settings it is made of). ``key`` is what else it depends
        on besides its template, language and status. Every answer is those bytes, with the form's
        own token put in."""
        mark = self.token_mark if form else ""
        body = self.keep(
            (template, language.tag, status, form, key),
            lambda: self._render(template, language, mark, make()),
        )
        nonce, new = self.csrf.nonce(request) if form else ("", False)
        if form:
            body = body.replace(mark.encode("ascii"), self.csrf.token(nonce).encode("ascii"))
        return self._answer(request, body, status, headers, nonce if new else None)

    def _answer(
        self, request: Request, body: bytes, status: int, headers: dict[str, str] | None, cookie: str | None
    ) -> Response:
        raw = [*PAGE_HEADERS, (b"content-length", str(len(body)).encode("ascii"))]
        raw += [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in (headers or {}).items()
        ]
        response = Answer(body, status, raw)
        if cookie is not None:
            self.csrf.set_cookie(response, request, cookie)
        return response

    def _render(self, template: str, language: Language, csrf_token: str, context: dict[str, Any]) -> bytes:
        html = self.pages.render(
            f"{template}.html",
            language,
            site=self,
            path=self.path,
            csrf_field=CSRF_FIELD,
            csrf_token=csrf_token,
            languages=self.offered(),
            **context,
        )
        return html.encode("utf-8")

    def keep(self, key: Hashable, make: Callable[[], bytes]) -> bytes:
        """What ``make`` gives, made once for ``key`` and each version of the archive."""
        version = self.archive.version()
        body = self.kept.get((version, key))
        if body is None:
            body = make()
            with self._keeping:
                if len(self.kept) >= MAX_KEPT or any(old[0] != version for old in self.kept):
                    self.kept.clear()  # pages of an earlier version are never asked for again
                self.kept[(version, key)] = body
        return body

    def message(
        self,
        request: Request,
        language: Language,
        kind: str,
        *,
        status: int,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> Response:
        """A page that only says something: ``kind`` is one of the messages of ``web/message.html``
        (``invalid-link``, ``expired-link``, ``expired-form``, ``too-many``, ``not-found``); ``extra``
        is what it says besides (``minutes``)."""
        return self.kept_page(
            request, "message", language, status=status, headers=headers,
            key=(kind, *sorted(extra.items())), make=lambda: {"kind": kind, **extra},
        )  # fmt: skip


def origin(request: Request) -> Origin:
    """Where a request came from, as the record of a consent keeps it."""
    host = request.client.host if request.client else None
    return Origin(host, request.headers.get("user-agent"))
