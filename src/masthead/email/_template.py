"""A serialised message with placeholders, personalised per subscriber by substitution only.

The MIME structure is built and serialised once per language. Both body parts are UTF-8 with
``Content-Transfer-Encoding: 8bit`` (RFC 6152): the text as it is, no encoding overhead, so an
Arabic or Chinese message is about the size of its HTML and text; :mod:`._wrap` keeps every line
within 998 octets. A value goes in HTML-escaped in the HTML part and as it is in the text part; it
may hold no line break (:mod:`._recipient`). When the template is made, each line holding
placeholders records its fixed length, and :meth:`MessageTemplate.personalise` refuses with
:class:`RecipientError` a subscriber whose values would push such a line past 998 octets (a
200-character name or an 800-character URL fits).

The boundary is derived from the content and checked not to occur in it; a subscriber's value
that contains it is refused, and no placeholder line starts with text that a value could turn
into a boundary line, so the boundary never occurs inside a part. Headers are ASCII, RFC 2047
encoded where needed. A server without 8BITMIME gets a 7-bit copy made by the SMTP transport.
"""

from __future__ import annotations

import email.policy
import hashlib
import html
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.parser import BytesHeaderParser
from email.utils import format_datetime, formataddr, parseaddr
from pathlib import Path

from .._errors import EmailError, RecipientError
from ._placeholders import (
    CRLF,
    DATE,
    HEADER_UNSUBSCRIBE,
    HTML_PREFERENCES,
    HTML_RECIPIENT,
    HTML_UNSUBSCRIBE,
    HTML_WEB,
    KEYS,
    MAX_LINE,
    MESSAGE_ID,
    PLACEHOLDER,
    TEXT_PREFERENCES,
    TEXT_RECIPIENT,
    TEXT_UNSUBSCRIBE,
    TEXT_WEB,
    TO,
    placeholder,
)
from ._recipient import Recipient, check_address, check_message_id, check_name, check_url
from ._wrap import wrap_html, wrap_text

PLACEHOLDER_SENDER = "Sender not set <not-set@example.invalid>"
"""The From address of an email built while ``[email] sender`` is unset: plainly fake (``.invalid``
never resolves), so a proof shows it at once; ``masthead send`` refuses to send it by SMTP."""

_POLICY = email.policy.SMTP


def fold(name: str, value: str) -> str:
    """One header, RFC 2047-encoded where it is not ASCII and folded, ending in CRLF."""
    return str(_POLICY.header_factory(name, value).fold(policy=_POLICY))


def sender_domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or "localhost"


# The subscriber's field that a too long line is blamed on, by placeholder.
_FIELDS = {
    TO: "name",
    DATE: "date",
    MESSAGE_ID: "message_id",
    HEADER_UNSUBSCRIBE: "unsubscribe_url",
    HTML_RECIPIENT: "name",
    HTML_UNSUBSCRIBE: "unsubscribe_url",
    HTML_WEB: "web_url",
    TEXT_RECIPIENT: "name",
    TEXT_UNSUBSCRIBE: "unsubscribe_url",
    TEXT_WEB: "web_url",
    HTML_PREFERENCES: "preferences_url",
    TEXT_PREFERENCES: "preferences_url",
}


@dataclass(frozen=True)
class MessageTemplate:
    """One language's message, serialised once with placeholders for each subscriber's fields."""

    language: str
    """The edition's BCP 47 tag, such as ``zh-Hans``."""
    data: bytes
    """The serialised message (UTF-8, CRLF line endings) with ``%%masthead:...%%`` placeholders."""
    boundary: str
    """The MIME boundary between the text and HTML parts."""
    web_url: str
    """The edition's web URL (the message's ``Archived-At``), used when a recipient has none."""
    sender_domain: str
    """The domain of the ``From`` address, for the Message-IDs made here."""
    _pieces: tuple[bytes, ...] = field(init=False, repr=False, compare=False)
    _slots: tuple[tuple[int, str], ...] = field(init=False, repr=False, compare=False)
    _lines: tuple[tuple[int, tuple[str, ...]], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        pieces = PLACEHOLDER.split(self.data)
        slots: list[tuple[int, str]] = []
        for index in range(1, len(pieces), 2):
            key = pieces[index].decode("ascii")
            if key not in KEYS:
                raise EmailError(f"message template has an unknown placeholder {key!r}")
            slots.append((index, key))
        delimiter = f"--{self.boundary}".encode("ascii")
        # The fixed length of every line that holds placeholders, the longest per set of keys.
        longest: dict[tuple[str, ...], int] = {}
        in_body = False
        for line in self.data.split(b"\r\n"):
            in_body = in_body or not line
            if len(line) > MAX_LINE - 2 and b"%%masthead:" not in line:
                raise EmailError(f"message template has a line over {MAX_LINE} octets")
            if b"%%masthead:" not in line:
                continue
            keys = tuple(key.decode("ascii") for key in PLACEHOLDER.findall(line))
            fixed = len(PLACEHOLDER.sub(b"", line))
            longest[keys] = max(fixed, longest.get(keys, 0))
            lead = line[: line.index(b"%%masthead:")]
            if in_body and lead and delimiter.startswith(lead):
                raise EmailError(f"message template has a line that starts {lead!r}, like its boundary")
        object.__setattr__(self, "_pieces", tuple(pieces))
        object.__setattr__(self, "_slots", tuple(slots))
        object.__setattr__(self, "_lines", tuple((fixed, keys) for keys, fixed in longest.items()))

    @classmethod
    def parse(cls, language: str, data: bytes) -> MessageTemplate:
        """A template read back from its bytes (``email.template``): its boundary, web URL and sender
        come from its own header, read by the standard library's parser."""
        if b"Content-Transfer-Encoding: quoted-printable" in data.partition(b"\r\n\r\n")[2]:
            raise EmailError(
                "the message template was made by an older masthead (quoted-printable parts)",
                hint="build the issue again: masthead build --force",
            )
        header: Message = BytesHeaderParser(policy=email.policy.compat32).parsebytes(data)
        boundary = header.get_boundary() or ""
        web_url = str(header.get("Archived-At", "")).strip().removeprefix("<").removesuffix(">")
        sender = " ".join(str(header.get("From", "")).split())
        return cls(language, data, boundary, web_url, sender_domain(sender) if sender else "localhost")

    def personalise(
        self, recipient: Recipient, *, message_id: str | None = None, date: datetime | None = None
    ) -> bytes:
        """A complete RFC 5322 message for ``recipient`` (bytes, CRLF line endings).

        Raise :class:`RecipientError` naming the field when a value cannot go into the message.
        """
        address = check_address(recipient.address)
        name = check_name(recipient.name)
        unsubscribe = check_url("unsubscribe_url", recipient.unsubscribe_url, https_only=True)
        web = check_url("web_url", recipient.web_url or self.web_url, https_only=False)
        preferences = check_url("preferences_url", recipient.preferences_url or unsubscribe, https_only=True)
        if message_id is None:
            message_id = f"<{secrets.token_hex(16)}@{self.sender_domain}>"
        else:
            message_id = check_message_id(message_id)
        when = date or datetime.now(UTC)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        shown = f"{name} <{address}>" if name else address
        boundary = self.boundary
        fields = {
            "name": shown,
            "unsubscribe_url": unsubscribe,
            "web_url": web,
            "preferences_url": preferences,
        }
        culprit = next((field for field, value in fields.items() if boundary and boundary in value), None)
        if culprit is not None:
            raise RecipientError(culprit, "contains the message's MIME boundary")
        values = {
            TO: (formataddr((name, address), charset="utf-8") if name else address).encode("ascii"),
            DATE: format_datetime(when).encode("ascii"),
            MESSAGE_ID: message_id.encode("ascii"),
            HEADER_UNSUBSCRIBE: unsubscribe.encode("ascii"),
            HTML_RECIPIENT: html.escape(shown).encode("utf-8"),
            HTML_UNSUBSCRIBE: html.escape(unsubscribe).encode("ascii"),
            HTML_WEB: html.escape(web).encode("ascii"),
            TEXT_RECIPIENT: shown.encode("utf-8"),
            TEXT_UNSUBSCRIBE: unsubscribe.encode("ascii"),
            TEXT_WEB: web.encode("ascii"),
            HTML_PREFERENCES: html.escape(preferences).encode("ascii"),
            TEXT_PREFERENCES: preferences.encode("ascii"),
        }
        for fixed, keys in self._lines:
            size = fixed + sum(len(values[key]) for key in keys)
            if size > MAX_LINE - 2:
                key = max(keys, key=lambda k: len(values[k]))
                raise RecipientError(
                    _FIELDS[key],
                    f"too long: a line of the message would be {size + 2} octets, over {MAX_LINE}",
                    hint="shorten the name or URL",
                )
        pieces = list(self._pieces)
        for index, key in self._slots:
            pieces[index] = values[key]
        return b"".join(pieces)


def _boundary(*parts: str) -> str:
    """A boundary derived from the content (same inputs, same bytes) that occurs in none of it."""
    digest = hashlib.sha256("\0".join(parts).encode("utf-8"))
    while True:
        boundary = "=_masthead_" + digest.hexdigest()[:24]
        if not any(boundary in part for part in parts):
            return boundary
        digest.update(b"\0")


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
    text_part = wrap_text(text_body)
    html_part = wrap_html(html_body)
    boundary = _boundary(text_part, html_part)
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
        f"Content-Transfer-Encoding: 8bit{CRLF}{CRLF}",
        text_part,
        CRLF,
        f"--{boundary}{CRLF}",
        f'Content-Type: text/html; charset="utf-8"{CRLF}',
        f"Content-Transfer-Encoding: 8bit{CRLF}{CRLF}",
        html_part,
        CRLF,
        f"--{boundary}--{CRLF}",
    ]
    head = "".join(headers)
    if not head.isascii():
        raise EmailError("a message header is not ASCII after encoding")
    data = head.encode("ascii") + "".join(body).encode("utf-8")
    return MessageTemplate(language, data, boundary, web_url, sender_domain(sender))


def load_template(path: Path, language: str) -> MessageTemplate:
    """The message template :func:`write_email` wrote (``email.template``), for delivery."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EmailError(
            f"cannot read the message template: {exc.strerror}",
            path=path,
            hint="build the issue first: masthead build",
        ) from None
    return MessageTemplate.parse(language, data)
