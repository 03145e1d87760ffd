"""What every handler shares: settings, secrets, pages, and the request helpers."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass
class Site:
    config: Config
    keyring: Keyring
    pages: Pages
    csrf: Csrf
    archive: Archive
    unsubscribes: Unsubscribes
    preview: bool = False

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
    ) -> HTMLResponse:
        """A page of the service; with ``form``, its forms get a CSRF token (and the cookie it
        matches, if the browser has none yet)."""
        nonce, new = self.csrf.nonce(request) if form else ("", False)
        html = self.pages.render(
            f"{template}.html",
            language,
            site=self,
            path=self.path,
            csrf_field=CSRF_FIELD,
            csrf_token=self.csrf.token(nonce) if form else "",
            languages=self.offered(),
            **context,
        )
        response = HTMLResponse(html, status_code=status, headers=headers)
        response.headers["Cache-Control"] = "no-store"
        response.headers["Content-Security-Policy"] = PAGE_POLICY
        if new:
            self.csrf.set_cookie(response, request, nonce)
        return response

    def message(
        self, request: Request, language: Language, kind: str, *, status: int, **extra: Any
    ) -> HTMLResponse:
        """A page that only says something: ``kind`` is one of the messages of ``web/message.html``
        (``invalid-link``, ``expired-link``, ``expired-form``, ``too-many``, ``not-found``)."""
        return self.page(request, "message", language, status=status, kind=kind, **extra)


def origin(request: Request) -> Origin:
    """Where a request came from, as the record of a consent keeps it."""
    host = request.client.host if request.client else None
    return Origin(host, request.headers.get("user-agent"))
