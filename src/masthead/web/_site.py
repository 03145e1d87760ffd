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
from starlette.responses import HTMLResponse

from .._config import Config
from .._language import Language, find_language
from ..delivery import Keyring, Origin
from ._archive import Archive
from ._batch import Unsubscribes
from ._guard import CSRF_FIELD, PAGE_POLICY, Csrf
from ._pages import Pages, accepted_languages, best_language

MAX_KEPT = 1000
"""Far more than the pages there are (kinds of page, times languages): a bound all the same."""


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
    """Pages rendered once (:meth:`page` with ``keep``), by what they are made of."""
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
        keep: bool = False,
        **context: Any,
    ) -> HTMLResponse:
        """A page of the service; with ``form``, its forms get a CSRF token (and the cookie it
        matches, if the browser has none yet).

        With ``keep``, the page is rendered once and kept for as long as the archive's
        :meth:`~._archive.Archive.version` holds (the editions, catalogs, templates and settings it
        is made of): every later answer is those bytes with the form's token put in. ``context`` must
        then be hashable, and be all the page depends on besides the language and the archive.
        """
        nonce, new = self.csrf.nonce(request) if form else ("", False)
        if keep:
            body = self._kept(template, language, status, form, context)
            if form:
                body = body.replace(self.token_mark.encode("ascii"), self.csrf.token(nonce).encode("ascii"))
        else:
            body = self._render(template, language, self.csrf.token(nonce) if form else "", context)
        own = {"Cache-Control": "no-store", "Content-Security-Policy": PAGE_POLICY}
        response = HTMLResponse(body, status_code=status, headers={**headers, **own} if headers else own)
        if new:
            self.csrf.set_cookie(response, request, nonce)
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

    def _kept(
        self, template: str, language: Language, status: int, form: bool, context: dict[str, Any]
    ) -> bytes:
        key = (template, language.tag, status, form, tuple(sorted(context.items())))
        mark = self.token_mark if form else ""
        return self.keep(key, lambda: self._render(template, language, mark, context))

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
        self, request: Request, language: Language, kind: str, *, status: int, **extra: Any
    ) -> HTMLResponse:
        """A page that only says something: ``kind`` is one of the messages of ``web/message.html``
        (``invalid-link``, ``expired-link``, ``expired-form``, ``too-many``, ``not-found``); ``extra``
        is what it says besides (``minutes``), and ``headers`` of the answer."""
        headers = extra.pop("headers", None)
        return self.page(
            request, "message", language, status=status, headers=headers, keep=True, kind=kind, **extra
        )


def origin(request: Request) -> Origin:
    """Where a request came from, as the record of a consent keeps it."""
    host = request.client.host if request.client else None
    return Origin(host, request.headers.get("user-agent"))
