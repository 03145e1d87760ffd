"""What every page and form is protected by: one middleware around the whole service (security
headers on every answer, errors included; limits on request headers; HEAD as GET; redirects that
stay on this site), CSRF tokens checked with the origin of each form, and forms read strictly.

A form parser that meets bytes it cannot decode as UTF-8 puts U+FFFD or Latin-1 letters in their
place, and the service would then store an address or a name nobody typed. :func:`read_form` says of
each field whether it was valid UTF-8, and the handler refuses what was not, naming the field.
"""

from __future__ import annotations

import email.parser
import email.policy
import secrets
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..delivery import Keyring
from ..delivery.readers import seal, unseal

CSRF_COOKIE = "masthead_form"
SECURE_CSRF_COOKIE = "__Host-" + CSRF_COOKIE
"""Under https: a cookie only this host can set (not a sibling subdomain, not over plain http)."""
CSRF_FIELD = "csrf"
CSRF_LIFETIME = 24 * 3600
"""Seconds a form stays valid after the page was loaded."""

MAX_HEADER_BYTES = 16 * 1024
"""The request headers of a browser stay far below; more is refused (431) before anything reads them."""
MAX_HEADERS = 100

STRICT_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
"""Whatever says nothing of its own (plain-text errors, the feed, the stylesheet): nothing may load."""
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


def security_headers(*, hsts: bool) -> list[tuple[str, str]]:
    """The headers every answer carries (a page or an edition sets its own Content-Security-Policy)."""
    headers = [
        ("Content-Security-Policy", STRICT_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        # same-origin, not no-referrer: under no-referrer a browser posts every form with
        # "Origin: null", and the origin of a form is what tells it from a forged one.
        ("Referrer-Policy", "same-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    ]
    if hsts:
        headers.append(("Strict-Transport-Security", "max-age=31536000"))
    return headers


class Guard:
    """Pure ASGI middleware around the whole app, the server's error handler included, so that no
    answer leaves without the security headers: a 413, a 500, a 404 of any path.

    It also refuses requests whose headers are too many or too large (431), answers HEAD as GET
    without the body (a handler never mistakes a HEAD for a form post), and makes every redirect a
    path on this site: the service never redirects elsewhere, so a ``Location`` with a host in it
    could only have been built from the request's ``Host``, which the client chose.
    """

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        # As ASGI gives them: lowercase names, bytes; each added to an answer that lacks it.
        self.headers = [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in security_headers(hsts=hsts)
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        size = sum(len(name) + len(value) + 4 for name, value in headers)
        if len(headers) > MAX_HEADERS or size > MAX_HEADER_BYTES:
            refusal = Response(
                "Request header fields too large.\n", status_code=431, media_type="text/plain; charset=utf-8"
            )
            await refusal(scope, receive, self._protected(send, head=False))
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = dict(scope, method="GET")
        await self.app(scope, receive, self._protected(send, head=head))

    def _protected(self, send: Send, *, head: bool) -> Send:
        async def send_protected(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw: list[tuple[bytes, bytes]] = list(message.get("headers", ()))
                present = {name.lower() for name, _ in raw}
                raw += [(name, value) for name, value in self.headers if name not in present]
                message = dict(message, headers=raw)
                if b"location" in present:
                    headers = MutableHeaders(raw=raw)
                    parts = urlsplit(headers["location"])
                    if parts.scheme or parts.netloc:
                        headers["location"] = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            elif message["type"] == "http.response.body" and head and message.get("body"):
                message = dict(message, body=b"")
            await send(message)

        return send_protected


class Csrf:
    """Double-submit tokens: a random value in a cookie the server signs, and the same value signed
    with a time in each form. A form posted from another site has neither the cookie nor a token
    that matches it, and says where it comes from (``Origin``, or ``Referer`` from an older browser).

    The cookie is the server's own: a value the browser brings that the server did not sign (set by
    a sibling subdomain, say) is replaced, and no token matches it. Under https it is named with the
    ``__Host-`` prefix, which browsers only accept from this very host, secure, for the whole site.
    """

    def __init__(self, keyring: Keyring, path: str, base_url: str) -> None:
        self.keyring = keyring
        self.path = path
        parts = urlsplit(base_url)
        self.origin = f"{parts.scheme}://{parts.netloc}".lower()

    @staticmethod
    def _secure(request: Request) -> bool:
        return request.scope.get("scheme") == "https"  # what request.url would say, without building it

    def _cookie_name(self, request: Request) -> str:
        return SECURE_CSRF_COOKIE if self._secure(request) else CSRF_COOKIE

    def _cookie_nonce(self, request: Request) -> str | None:
        """The nonce of the request's cookie, if the server made it."""
        value = request.cookies.get(self._cookie_name(request))
        fields = unseal("form-cookie-v1", value, self.keyring, 1) if value else None
        return fields[0] if fields else None

    def nonce(self, request: Request) -> tuple[str, bool]:
        """The request's cookie value, or a new one (``True``: it must be set on the response)."""
        found = self._cookie_nonce(request)
        if found is not None:
            return found, False
        return secrets.token_hex(16), True

    def token(self, nonce: str) -> str:
        return seal("form-v1", (nonce, str(int(time.time()))), self.keyring.current)

    def set_cookie(self, response: Response, request: Request, nonce: str) -> None:
        """Give the browser the cookie the form tokens of this page match (for this site only)."""
        secure = self._secure(request)
        value = seal("form-cookie-v1", (nonce,), self.keyring.current)  # base64url and a dot: no quoting
        path = "/" if secure else self.path  # __Host- cookies are for the whole host
        # Written out rather than through http.cookies, which takes longer than the rest of the page.
        cookie = f"{self._cookie_name(request)}={value}; HttpOnly; Path={path}; SameSite=strict"
        response.raw_headers.append(
            (b"set-cookie", (cookie + ("; Secure" if secure else "")).encode("latin-1"))
        )

    def same_origin(self, request: Request) -> bool:
        """Whether a post says it comes from a page of this site: its ``Origin`` (every current
        browser sends one with a form), else its ``Referer``. A client that sends neither is no
        browser and cannot be made to post by another site; the token and cookie still hold it."""
        origin = request.headers.get("origin")
        if origin is None:
            referer = request.headers.get("referer")
            if referer is None:
                return True
            parts = urlsplit(referer)
            origin = f"{parts.scheme}://{parts.netloc}"
        origin = origin.strip().lower()
        # This site as base_url names it, or as the browser reached it (on a test port, say): a page of
        # another host that the request's Host names would need a browser that sends our cookie there.
        own = f"{request.url.scheme}://{request.headers.get('host', '')}".lower()
        return origin in (self.origin, own)

    def check(self, request: Request, token: object) -> bool:
        """Whether a posted form carries a token that matches its cookie, and comes from this site."""
        if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
            return False
        if not self.same_origin(request):
            return False
        cookie = self._cookie_nonce(request)
        if cookie is None or not isinstance(token, str):
            return False
        fields = unseal("form-v1", token, self.keyring, 2)
        if fields is None or not secrets.compare_digest(fields[0], cookie) or not fields[1].isdigit():
            return False
        return 0 <= time.time() - int(fields[1]) <= CSRF_LIFETIME


# -- forms, read strictly ------------------------------------------------------------------------------

MAX_FIELDS = 20


@dataclass(frozen=True)
class Form:
    values: dict[str, str]
    """Each field's value; one that was not UTF-8 is here with its bad bytes replaced (to show back)."""
    undecodable: frozenset[str]
    """The names of the fields whose bytes were not UTF-8."""

    def get(self, name: str) -> str:
        return self.values.get(name, "")


EMPTY = Form({}, frozenset())


async def read_form(request: Request) -> Form:
    """The urlencoded or multipart form of ``request`` (files and anything else: an empty form)."""
    content_type = request.headers.get("content-type", "")
    kind = content_type.split(";")[0].strip().lower()
    body = await request.body()  # the app's body limit has bounded it already
    if kind == "application/x-www-form-urlencoded":
        return _urlencoded(body)
    if kind == "multipart/form-data":
        return _multipart(content_type, body)
    return EMPTY


def _decode(raw: bytes) -> tuple[str, bool]:
    try:
        return raw.decode("utf-8"), True
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace"), False


def _urlencoded(body: bytes) -> Form:
    values: dict[str, str] = {}
    bad: set[str] = set()
    # Read as Latin-1, each character is one byte, percent-encoded or raw: encoded back, the value is
    # the bytes the browser meant, and a value that is not UTF-8 is seen as such.
    pairs = parse_qsl(body.decode("latin-1"), keep_blank_values=True, encoding="latin-1")
    for raw_name, raw_value in pairs[:MAX_FIELDS]:
        name, name_ok = _decode(raw_name.encode("latin-1"))
        value, value_ok = _decode(raw_value.encode("latin-1"))
        values[name] = value
        if not (name_ok and value_ok):
            bad.add(name)
    return Form(values, frozenset(bad))


def _multipart(content_type: str, body: bytes) -> Form:
    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1", "replace")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        return EMPTY
    values: dict[str, str] = {}
    bad: set[str] = set()
    for part in list(message.iter_parts())[:MAX_FIELDS]:
        if part.get_param("filename", header="content-disposition") is not None:
            continue  # no form of the service takes a file
        raw_name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if not isinstance(raw_name, str) or not isinstance(payload, bytes):
            continue
        value, ok = _decode(payload)
        values[raw_name] = value
        if not ok:
            bad.add(raw_name)
    return Form(values, frozenset(bad))
