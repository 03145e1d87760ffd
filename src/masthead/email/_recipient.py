"""One subscriber as a message needs them, and the checks each of their values passes before it goes
into a message: one line, printable ASCII where a header needs it, within the lengths a line holds."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .._address import header_address
from .._errors import RecipientError

MAX_NAME = 200
MAX_URL = 800
_URL_CHARS = re.compile(r"^https?://[!-~]+$")
_MESSAGE_ID = re.compile(r"^<?([^\s<>@]+@[^\s<>@]+)>?$")
_BREAK = re.compile("[\r\n\x00\x0b\x0c\x85\u2028\u2029]")


@dataclass(frozen=True)
class Recipient:
    """One subscriber, as a message template needs them."""

    address: str
    name: str | None
    unsubscribe_url: str
    """An https URL carrying the subscriber's token; also the one-click (RFC 8058) endpoint."""
    web_url: str | None = None
    """The web edition's URL for this subscriber; the edition's own URL if ``None``."""
    preferences_url: str | None = None
    """The page where the subscriber changes their language or name (the "manage your subscription"
    link); the unsubscribe URL, whose page leads there too, if ``None``."""


def recipient_line(recipient: Recipient) -> str:
    """How a message names its recipient to the reader: ``Name <address>`` or the address alone."""
    return f"{recipient.name} <{recipient.address}>" if recipient.name else recipient.address


def check_text(field: str, value: str) -> None:
    if _BREAK.search(value):
        raise RecipientError(field, "contains a line break", hint="a header value must be one line")


def check_url(field: str, value: str, *, https_only: bool) -> str:
    check_text(field, value)
    if not _URL_CHARS.match(value) or any(char in value for char in '<>"'):
        raise RecipientError(
            field,
            f"{value!r} is not an absolute URL in printable ASCII",
            hint="percent-encode spaces and non-ASCII characters",
        )
    if https_only and not value.startswith("https://"):
        raise RecipientError(field, f"{value!r} is not https", hint="one-click unsubscribe needs https")
    if len(value) > MAX_URL:
        raise RecipientError(field, f"longer than {MAX_URL} characters")
    return value


def check_address(value: str) -> str:
    """The address as an ASCII header writes it."""
    check_text("address", value)
    try:
        return header_address(value)
    except ValueError as exc:
        raise RecipientError("address", str(exc)) from None


def check_name(name: str | None) -> str | None:
    name = name or None
    if name is not None:
        check_text("name", name)
        if len(name) > MAX_NAME:
            raise RecipientError("name", f"longer than {MAX_NAME} characters")
    return name


def check_message_id(message_id: str) -> str:
    """``message_id`` as the header writes it, in angle brackets."""
    check_text("message_id", message_id)
    match = _MESSAGE_ID.match(message_id)
    if not match or not message_id.isascii():
        raise RecipientError("message_id", f"{message_id!r} is not a Message-ID (<left@right>)")
    return f"<{match.group(1)}>"
