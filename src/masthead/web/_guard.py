"""What every page and form is protected by: security headers, CSRF tokens, and a per-IP rate limit."""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque
from collections.abc import Callable

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..delivery import Keyring
from ..delivery.readers import seal, unseal

CSRF_COOKIE = "masthead_form"
CSRF_FIELD = "csrf"
CSRF_LIFETIME = 24 * 3600
"""Seconds a form stays valid after the page was loaded."""

PAGE_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'; form-action 'self';"
    " base-uri 'none'; frame-ancestors 'none'"
)
"""The service's own pages: no script at all, styles only from the site's own files."""
EDITION_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; font-src 'self'; base-uri 'none';"
    " form-action 'none'; frame-ancestors 'none'"
)
"""A published edition as built: its stylesheet is in the page, and it has no script and no form."""


class SecurityHeaders:
    """Pure ASGI middleware adding security headers to every response the app sends."""

    def __init__(self, app: ASGIApp, *, policy_for: Callable[[str], str], hsts: bool) -> None:
        self.app = app
        self.policy_for = policy_for
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = self.policy_for(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", policy)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["X-Frame-Options"] = "DENY"
                headers["Referrer-Policy"] = "no-referrer"
                headers["Cross-Origin-Opener-Policy"] = "same-origin"
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
                if self.hsts:
                    headers["Strict-Transport-Security"] = "max-age=31536000"
            await send(message)

        await self.app(scope, receive, send_with_headers)


class Csrf:
    """Double-submit tokens: a random value in a cookie, and the same value signed with a time in
    each form. A form posted from another site has neither the cookie nor a token that matches it."""

    def __init__(self, keyring: Keyring, path: str) -> None:
        self.keyring = keyring
        self.path = path

    def nonce(self, request: Request) -> tuple[str, bool]:
        """The request's cookie value, or a new one (``True``: it must be set on the response)."""
        value = request.cookies.get(CSRF_COOKIE, "")
        if len(value) == 32 and all(c in "0123456789abcdef" for c in value):
            return value, False
        return secrets.token_hex(16), True

    def token(self, nonce: str) -> str:
        return seal("form-v1", (nonce, str(int(time.time()))), self.keyring.current)

    def set_cookie(self, response: Response, request: Request, nonce: str) -> None:
        """Give the browser the cookie the form tokens of this page match (for this site only)."""
        response.set_cookie(
            CSRF_COOKIE,
            nonce,
            path=self.path,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )

    def check(self, request: Request, token: object) -> bool:
        """Whether a posted form carries a token that matches its cookie, and comes from this site."""
        if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
            return False
        cookie = request.cookies.get(CSRF_COOKIE)
        if not cookie or not isinstance(token, str):
            return False
        fields = unseal("form-v1", token, self.keyring, 2)
        if fields is None or not secrets.compare_digest(fields[0], cookie) or not fields[1].isdigit():
            return False
        return 0 <= time.time() - int(fields[1]) <= CSRF_LIFETIME


class RateLimit:
    """At most ``limit`` events per ``seconds`` from one client address, counted in memory."""

    def __init__(self, limit: int, seconds: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.seconds = seconds
        self.clock = clock
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> float | None:
        """Count one event for ``key``; ``None`` if allowed, else the seconds until one would be."""
        now = self.clock()
        with self._lock:
            if len(self._events) > 10_000:
                self._forget_idle(now)
            events = self._events.setdefault(key, deque())
            while events and now - events[0] >= self.seconds:
                events.popleft()
            if len(events) >= self.limit:
                return self.seconds - (now - events[0])
            events.append(now)
            return None

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, v in self._events.items() if not v or now - v[-1] >= self.seconds]:
            del self._events[key]
