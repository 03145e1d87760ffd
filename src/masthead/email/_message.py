"""A serialised message with placeholders, personalised per subscriber by substitution only.

The MIME structure is built and encoded once per language. Both body parts are quoted-printable,
and every placeholder sits on a line of its own between two soft line breaks (``=\\r\\n``), so a value
of any length, itself encoded as quoted-printable, drops in without breaking line lengths or the
encoding. ``=`` never appears unencoded in quoted-printable text, so the boundary (which starts with
``=_``) can never occur inside a part, whatever a subscriber's fields hold.

Personalised messages use CRLF line endings throughout.
"""

from __future__ import annotations

import email.policy
import hashlib
import html
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, formataddr, parseaddr

from .._errors import MastheadError

CRLF = "\r\n"
PREFIX = "%%masthead:"
_PLACEHOLDER = re.compile(rb"%%masthead:([a-z.\-]+)%%")
_MAX_QP = 76
"""RFC 2045: encoded lines are at most 76 characters, the soft line break's ``=`` included."""

# Placeholders by where they stand: in a header, in the HTML part or in the text part.
TO = "header.to"
DATE = "header.date"
MESSAGE_ID = "header.message-id"
HEADER_UNSUBSCRIBE = "header.unsubscribe"
HTML_RECIPIENT = "html.recipient"
HTML_UNSUBSCRIBE = "html.unsubscribe"
HTML_WEB = "html.web"
TEXT_RECIPIENT = "text.recipient"
TEXT_UNSUBSCRIBE = "text.unsubscribe"
TEXT_WEB = "text.web"
KEYS = frozenset(
    {TO, DATE, MESSAGE_ID, HEADER_UNSUBSCRIBE, HTML_RECIPIENT, HTML_UNSUBSCRIBE, HTML_WEB}
    | {TEXT_RECIPIENT, TEXT_UNSUBSCRIBE, TEXT_WEB}
)


def placeholder(key: str) -> str:
    return f"{PREFIX}{key}%%"


class EmailError(MastheadError):
    """A problem building or personalising an email."""


class RecipientError(EmailError):
    """A subscriber's field that cannot go into a message (a line break in a header, a bad URL)."""

    def __init__(self, field: str, message: str, *, hint: str | None = None) -> None:
        super().__init__(f"recipient {field}: {message}", hint=hint)
        self.field = field


@dataclass(frozen=True)
class Recipient:
    """One subscriber, as a message template needs them."""

    address: str
    name: str | None
    unsubscribe_url: str
    """An https URL carrying the subscriber's token; also the one-click (RFC 8058) endpoint."""
    web_url: str | None = None
    """The web edition's URL for this subscriber; the edition's own URL if ``None``."""


# --- quoted-printable --------------------------------------------------------------------------

# Printable ASCII except "=" stands for itself; so do space and tab, except at the end of a line.
_QP = [chr(b) if (33 <= b <= 126 and b != 61) or b in (9, 32) else f"={b:02X}" for b in range(256)]
_QP_SAFE = re.compile(r"^[!-<>-~]*$")  # printable ASCII without "=" and without spaces


def _qp_line(line: bytes) -> list[str]:
    """One line of text as quoted-printable, folded with soft line breaks (no line ending).

    Every line, the last included, stays within 75 characters, so that a soft line break can
    always follow it (where a placeholder comes next).
    """
    encoded = "".join(map(_QP.__getitem__, line))
    if encoded.endswith((" ", "\t")):
        encoded = f"{encoded[:-1]}={ord(encoded[-1]):02X}"
    step = _MAX_QP - 1
    if len(encoded) <= step:
        return [encoded]
    out: list[str] = []
    start, size = 0, len(encoded)
    while size - start > step:
        cut = start + step
        # Never split an escape: "=" only ever starts one.
        if encoded[cut - 1] == "=":
            cut -= 1
        elif encoded[cut - 2] == "=":
            cut -= 2
        out.append(encoded[start:cut] + "=")
        start = cut
    out.append(encoded[start:])
    return out


def qp_encode(text: str) -> str:
    """``text`` as quoted-printable UTF-8 with CRLF hard line breaks; lines at most 76 characters."""
    lines = text.replace("\r\n", "\n").split("\n")
    return CRLF.join(CRLF.join(_qp_line(line.encode("utf-8"))) for line in lines)


def _qp_value(value: str) -> str:
    if len(value) < _MAX_QP and _QP_SAFE.match(value):
        return value
    return qp_encode(value)


def qp_body(text: str) -> str:
    """A part's body as quoted-printable, each placeholder alone on a line between soft breaks."""
    pieces = re.split(r"(%%masthead:[a-z.\-]+%%)", text)
    out: list[str] = []
    for index, piece in enumerate(pieces):
        if index % 2:
            out.append(f"={CRLF}{piece}={CRLF}")
        elif piece:
            out.append(qp_encode(piece))
    return "".join(out)


# --- headers -----------------------------------------------------------------------------------

_POLICY = email.policy.SMTP


def fold(name: str, value: str) -> str:
    """One header, RFC 2047-encoded where it is not ASCII and folded, ending in CRLF."""
    return str(_POLICY.header_factory(name, value).fold(policy=_POLICY))


def sender_domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or "localhost"


_URL_CHARS = re.compile(r"^https?://[!-~]+$")
_ADDRESS = re.compile(r"^[^\s@<>(),;:\"\\\[\]]+@[^\s@<>(),;:\"\\\[\]]+$")
_MESSAGE_ID = re.compile(r"^<?([^\s<>@]+@[^\s<>@]+)>?$")
_MAX_NAME = 200
_MAX_URL = 800


_BREAK = re.compile("[\r\n\x00\x0b\x0c\x85\u2028\u2029]")


def _check_text(field: str, value: str) -> None:
    if _BREAK.search(value):
        raise RecipientError(field, "contains a line break", hint="a header value must be one line")


def _check_url(field: str, value: str, *, https_only: bool) -> str:
    _check_text(field, value)
    if not _URL_CHARS.match(value) or any(char in value for char in '<>"'):
        raise RecipientError(
            field,
            f"{value!r} is not an absolute URL in printable ASCII",
            hint="percent-encode spaces and non-ASCII characters",
        )
    if https_only and not value.startswith("https://"):
        raise RecipientError(field, f"{value!r} is not https", hint="one-click unsubscribe needs https")
    if len(value) > _MAX_URL:
        raise RecipientError(field, f"longer than {_MAX_URL} characters")
    return value


def _check_address(value: str) -> str:
    _check_text("address", value)
    local, _, domain = value.rpartition("@")
    if not local.isascii():
        raise RecipientError("address", f"{value!r} has a non-ASCII local part (needs SMTPUTF8)")
    if not domain.isascii():
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            raise RecipientError("address", f"{value!r} has an invalid domain") from None
        value = f"{local}@{domain}"
    if not _ADDRESS.match(value):
        raise RecipientError("address", f"{value!r} is not an email address")
    return value


def recipient_line(recipient: Recipient) -> str:
    """How a message names its recipient to the reader: ``Name <address>`` or the address alone."""
    return f"{recipient.name} <{recipient.address}>" if recipient.name else recipient.address


# --- the template ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MessageTemplate:
    """One language's message, serialised once with placeholders for each subscriber's fields."""

    language: str
    """The edition's BCP 47 tag, such as ``zh-Hans``."""
    data: bytes
    """The serialised message (CRLF line endings) with ``%%masthead:...%%`` placeholders."""
    _pieces: tuple[bytes, ...] = field(init=False, repr=False, compare=False)
    _slots: tuple[tuple[int, str], ...] = field(init=False, repr=False, compare=False)
    _domain: str = field(init=False, repr=False, compare=False)
    _web_url: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        pieces = _PLACEHOLDER.split(self.data)
        slots: list[tuple[int, str]] = []
        for index in range(1, len(pieces), 2):
            key = pieces[index].decode("ascii")
            if key not in KEYS:
                raise EmailError(f"message template has an unknown placeholder {key!r}")
            slots.append((index, key))
        head = self.data.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace")
        archived = re.search(r"^Archived-At: <([^>]+)>", head, re.MULTILINE)
        sender = re.search(r"^From:((?:.*\r\n[ \t].*)*.*)$", head, re.MULTILINE)
        object.__setattr__(self, "_pieces", tuple(pieces))
        object.__setattr__(self, "_slots", tuple(slots))
        object.__setattr__(self, "_web_url", archived.group(1) if archived else "")
        object.__setattr__(self, "_domain", sender_domain(sender.group(1).strip()) if sender else "localhost")

    @property
    def web_url(self) -> str:
        """The edition's web URL (the message's ``Archived-At``), used when a recipient has none."""
        return self._web_url

    def personalise(
        self, recipient: Recipient, *, message_id: str | None = None, date: datetime | None = None
    ) -> bytes:
        """A complete RFC 5322 message for ``recipient`` (bytes, CRLF line endings).

        Raise :class:`RecipientError` naming the field when a value cannot go into the message.
        """
        address = _check_address(recipient.address)
        name = recipient.name or None
        if name is not None:
            _check_text("name", name)
            if len(name) > _MAX_NAME:
                raise RecipientError("name", f"longer than {_MAX_NAME} characters")
        unsubscribe = _check_url("unsubscribe_url", recipient.unsubscribe_url, https_only=True)
        web = _check_url("web_url", recipient.web_url or self._web_url, https_only=False)
        if message_id is None:
            message_id = f"<{secrets.token_hex(16)}@{self._domain}>"
        else:
            _check_text("message_id", message_id)
            match = _MESSAGE_ID.match(message_id)
            if not match or not message_id.isascii():
                raise RecipientError("message_id", f"{message_id!r} is not a Message-ID (<left@right>)")
            message_id = f"<{match.group(1)}>"
        when = date or datetime.now(UTC)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        shown = f"{name} <{address}>" if name else address
        values = {
            TO: formataddr((name, address), charset="utf-8") if name else address,
            DATE: format_datetime(when),
            MESSAGE_ID: message_id,
            HEADER_UNSUBSCRIBE: unsubscribe,
            HTML_RECIPIENT: _qp_value(html.escape(shown)),
            HTML_UNSUBSCRIBE: _qp_value(html.escape(unsubscribe)),
            HTML_WEB: _qp_value(html.escape(web)),
            TEXT_RECIPIENT: _qp_value(shown),
            TEXT_UNSUBSCRIBE: _qp_value(unsubscribe),
            TEXT_WEB: _qp_value(web),
        }
        pieces = list(self._pieces)
        for index, key in self._slots:
            pieces[index] = values[key].encode("ascii")
        return b"".join(pieces)


def build_template(
    *,
    language: str,
    sender: str,
    reply_to: str | None,
    subject: str,
    list_id: str,
    list_name: str,
    unsubscribe_mailto: str | None,
    web_url: str,
    html_body: str,
    text_body: str,
) -> MessageTemplate:
    """Serialise the message once: headers, then multipart/alternative with text and HTML parts."""
    text_part = qp_body(text_body)
    html_part = qp_body(html_body)
    # Derived from the content, so the same inputs give the same bytes; "=_" cannot occur in QP.
    boundary = "=_masthead_" + hashlib.sha256((text_part + html_part).encode("ascii")).hexdigest()[:24]
    headers = [
        fold("From", sender),
        f"To: {placeholder(TO)}{CRLF}",
        fold("Subject", subject),
        f"Date: {placeholder(DATE)}{CRLF}",
        f"Message-ID: {placeholder(MESSAGE_ID)}{CRLF}",
    ]
    if reply_to:
        headers.append(fold("Reply-To", reply_to))
    headers += [
        fold("Content-Language", language),
        fold("List-Id", f"{list_name} <{list_id}>"),
        f"Archived-At: <{web_url}>{CRLF}",
    ]
    targets = [f"<mailto:{unsubscribe_mailto}?subject=unsubscribe>"] if unsubscribe_mailto else []
    targets.append(f"<{placeholder(HEADER_UNSUBSCRIBE)}>")
    headers += [
        f"List-Unsubscribe: {(',' + CRLF + ' ').join(targets)}{CRLF}",
        f"List-Unsubscribe-Post: List-Unsubscribe=One-Click{CRLF}",
        f"MIME-Version: 1.0{CRLF}",
        f'Content-Type: multipart/alternative;{CRLF} boundary="{boundary}"{CRLF}',
    ]
    body = [
        CRLF,
        f"--{boundary}{CRLF}",
        f'Content-Type: text/plain; charset="utf-8"{CRLF}',
        f"Content-Transfer-Encoding: quoted-printable{CRLF}{CRLF}",
        text_part,
        CRLF,
        f"--{boundary}{CRLF}",
        f'Content-Type: text/html; charset="utf-8"{CRLF}',
        f"Content-Transfer-Encoding: quoted-printable{CRLF}{CRLF}",
        html_part,
        CRLF,
        f"--{boundary}--{CRLF}",
    ]
    data = "".join(headers + body)
    return MessageTemplate(language=language, data=data.encode("ascii"))
