"""A serialised message with placeholders, personalised per subscriber by substitution only.

The MIME structure is built and serialised once per language. Both body parts are UTF-8 with
``Content-Transfer-Encoding: 8bit`` (RFC 6152): the text as it is, no encoding overhead, so an
Arabic or Chinese message is about the size of its HTML and text. Every line ends in CRLF and is
at most 998 octets with it (RFC 5322). The text part is already wrapped; a rare longer line breaks
at a space. The HTML breaks only where a line break cannot change the page: at a space between
attributes or in text, before a tag's ``>``, and as a last resort (a long run of CJK text) inside
an empty comment ``<!--\\r\\n-->`` between two characters; never inside an attribute value (a URL),
a character reference, a placeholder, ``<style>``, ``<pre>``, ``<title>`` or a comment.

Each HTML placeholder gets a line of its own with the few characters around it that cannot move
(``href="...#id"``, ``>...</bdi``), so a long value has most of the 998 octets to itself. A value
goes in HTML-escaped in the HTML part and as it is in the text part; it may hold no line break.
When the template is made, each line holding placeholders records its fixed length, and
:meth:`MessageTemplate.personalise` refuses with :class:`RecipientError` a subscriber whose values
would push such a line past 998 octets (a 200-character name or an 800-character URL fits).

The boundary is derived from the content and checked not to occur in it; a subscriber's value
that contains it is refused, and no placeholder line starts with text that a value could turn
into a boundary line, so the boundary never occurs inside a part. Headers are ASCII, RFC 2047
encoded where needed. A server without 8BITMIME gets a 7-bit copy made by the SMTP transport.
"""

from __future__ import annotations

import bisect
import email.policy
import hashlib
import html
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, formataddr, parseaddr
from pathlib import Path

from .._address import header_address
from .._errors import MastheadError

CRLF = "\r\n"
PREFIX = "%%masthead:"
_PLACEHOLDER = re.compile(rb"%%masthead:([a-z.\-]+)%%")
MAX_LINE = 998
"""RFC 5322: a line is at most 998 octets, its CRLF included."""

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


PLACEHOLDER_SENDER = "Sender not set <not-set@example.invalid>"
"""The From address of an email built while ``[email] sender`` is unset: plainly fake (``.invalid``
never resolves), so a proof shows it at once; ``masthead send`` refuses to send it by SMTP."""


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


# --- line wrapping -----------------------------------------------------------------------------

_PIECE = re.compile(r"%%masthead:[a-z.\-]+%%")
_NEWLINES = re.compile(r"\r\n|\r|\n")
# A comment, a doctype or processing instruction, or a tag with its attributes (quotes respected).
_MARKUP = re.compile(
    r"<!--.*?-->|<![^>]*>|<\?[^>]*>|<(/?)([a-zA-Z][^\s/>]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.DOTALL
)
# Elements whose text a line break would change, or that hold CSS, script or a title.
_KEEP = frozenset({"style", "script", "title", "textarea", "pre", "xmp", "plaintext", "listing"})
_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);?")
_URL_TEXT = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*://\S*")
_JOINERS = frozenset("\u200c\u200d\u034f\u2060")

_REPLACE, _INSERT = 0, 1
"""A break that takes the place of a space, or one inserted between two characters."""


def _octets(text: str) -> list[int]:
    """UTF-8 offsets: ``result[i]`` is the length of ``text[:i]`` in octets."""
    sizes = [1 if c < "\x80" else 2 if c < "\u0800" else 3 if c < "\U00010000" else 4 for c in text]
    out = [0] * (len(text) + 1)
    total = 0
    for index, size in enumerate(sizes, 1):
        total += size
        out[index] = total
    return out


def _mergeable(text: str, index: int) -> bool:
    """Whether a comment may stand between ``text[index - 1]`` and ``text[index]``.

    Not before a combining mark, a joiner or a variation selector, nor after a joiner: the
    characters would no longer combine.
    """
    char, before = text[index], text[index - 1]
    if char in _JOINERS or before in _JOINERS or before.isspace() or char.isspace():
        return False
    if "\ufe00" <= char <= "\ufe0f" or "\U000e0100" <= char <= "\U000e01ef":
        return False
    return not unicodedata.category(char).startswith("M")


class _HtmlBreaks:
    """Where a line of HTML may break without changing what the page shows."""

    def __init__(self, doc: str) -> None:
        self.doc = doc
        self.breaks: list[tuple[int, int]] = []
        """``(position, kind)``, sorted: a space to replace, or a place to insert a line break."""
        self.text: list[tuple[int, int]] = []
        """Spans of text between tags (outside kept elements) where an empty comment may go."""
        self.guarded: list[tuple[int, int]] = []
        """Spans in that text not to split: character references, URLs and placeholders."""
        keep: str | None = None
        position = 0
        for match in _MARKUP.finditer(doc):
            start, end = match.span()
            name = (match.group(2) or "").lower()
            if keep is not None:
                if match.group(1) and name == keep:
                    keep = None
                    self._tag(match)
                position = end
                continue
            self._text(position, start)
            position = end
            if match.group(2) is None:
                continue  # a comment or a doctype: left whole
            self._tag(match)
            if not match.group(1) and name in _KEEP and not match.group(3).rstrip().endswith("/"):
                keep = name
        if keep is None:
            self._text(position, len(doc))
        self.breaks.sort()
        self.positions = [at for at, _kind in self.breaks]

    def _tag(self, match: re.Match[str]) -> None:
        attributes = match.group(3)
        offset = match.start(3)
        quote = ""
        for index, char in enumerate(attributes):
            if quote:
                if char == quote:
                    quote = ""
            elif char in "\"'":
                quote = char
            elif char == " ":
                self.breaks.append((offset + index, _REPLACE))
        close = match.end() - 1
        if self.doc[close - 1] == "/":
            close -= 1
        if self.doc[close - 1] not in " \n":
            self.breaks.append((close, _INSERT))

    def _text(self, start: int, end: int) -> None:
        if start >= end:
            return
        text = self.doc[start:end]
        guarded = [m.span() for m in _REFERENCE.finditer(text)]
        guarded += [m.span() for m in _URL_TEXT.finditer(text)]
        guarded += [m.span() for m in _PIECE.finditer(text)]
        for index, char in enumerate(text):
            if char == " " and not any(a <= index < b for a, b in guarded):
                self.breaks.append((start + index, _REPLACE))
        self.text.append((start, end))
        for a, b in sorted(guarded):  # merged where they overlap (a reference inside a URL)
            if self.guarded and start + a < self.guarded[-1][1]:
                last = self.guarded.pop()
                self.guarded.append((last[0], max(last[1], start + b)))
            else:
                self.guarded.append((start + a, start + b))

    def _inside(self, index: int) -> bool:
        """Whether ``index`` falls strictly inside a reference, a URL or a placeholder."""
        found = bisect.bisect_left(self.guarded, (index, index)) - 1
        return found >= 0 and index < self.guarded[found][1]

    def comment_at(self, low: int, high: int) -> int | None:
        """The last place in ``(low, high]`` where an empty comment may split text, if any."""
        doc = self.doc
        for start, end in reversed(self.text):
            if end <= low:
                break
            for index in range(min(high, end, len(doc) - 1), max(low, start - 1), -1):
                if not self._inside(index) and _mergeable(doc, index):
                    return index
        return None

    def last(self, low: int, high: int) -> tuple[int, int] | None:
        """The last break in ``(low, high]``."""
        index = bisect.bisect_right(self.positions, high) - 1
        if index >= 0 and self.positions[index] > low:
            return self.breaks[index]
        return None

    def first(self, low: int, high: int) -> tuple[int, int] | None:
        """The first break in ``[low, high)``."""
        index = bisect.bisect_left(self.positions, low)
        if index < len(self.positions) and self.positions[index] < high:
            return self.breaks[index]
        return None


_LIMIT = MAX_LINE - 2
_OPEN, _CLOSE = "<!--", "-->"


def wrap_html(text: str) -> str:
    """HTML with CRLF line endings, each line at most 998 octets, each placeholder on its own line.

    Raise :class:`EmailError` for a line that has no safe place to break (an attribute value of
    nearly a thousand octets).
    """
    doc = _NEWLINES.sub("\n", text).replace("\x00", "\ufffd")
    breaks = _HtmlBreaks(doc)
    octets = _octets(doc)
    # Placeholders: a break at the nearest safe place before and after each one.
    forced: dict[int, int] = {}
    for match in _PIECE.finditer(doc):
        start, end = match.span()
        line_start = doc.rfind("\n", 0, start) + 1
        line_end = doc.find("\n", end)
        line_end = len(doc) if line_end < 0 else line_end
        before = breaks.last(line_start, start)
        if before is None and start > line_start and breaks.comment_at(start - 1, start) == start:
            before = (start, -1)
        after = breaks.first(end, line_end)
        if after is None and end < line_end and breaks.comment_at(end - 1, end) == end:
            after = (end, -1)
        for found in (before, after):
            if found is not None:
                forced[found[0]] = found[1]
    lines: list[str] = []
    for line_start, line_end in _spans(doc):
        start, carry = line_start, ""
        cuts = sorted(at for at in forced if line_start < at < line_end)
        for cut in [*cuts, line_end]:
            while octets[cut] - octets[start] + len(carry) > _LIMIT:
                start, carry = _break_line(doc, octets, breaks, start, carry, cut, lines)
            if cut == line_end:
                lines.append(carry + doc[start:cut])
                break
            kind = forced[cut]
            if kind == -1:
                lines.append(carry + doc[start:cut] + _OPEN)
                start, carry = cut, _CLOSE
            else:
                lines.append(carry + doc[start:cut])
                start, carry = cut + (1 if kind == _REPLACE else 0), ""
    return CRLF.join(lines)


def _spans(doc: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in re.finditer("\n", doc):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(doc)))
    return spans


def _break_line(
    doc: str, octets: list[int], breaks: _HtmlBreaks, start: int, carry: str, end: int, lines: list[str]
) -> tuple[int, str]:
    """Break ``carry + doc[start:end]`` once, as late as fits; append the line, return the rest."""
    room = _LIMIT - len(carry)
    high = bisect.bisect_right(octets, octets[start] + room, start, end + 1) - 1
    found = breaks.last(start, high)
    if found is not None:
        at, kind = found
        lines.append(carry + doc[start:at])
        return at + (1 if kind == _REPLACE else 0), ""
    high = bisect.bisect_right(octets, octets[start] + room - len(_OPEN), start, end + 1) - 1
    spot = breaks.comment_at(start, high)
    if spot is not None:
        lines.append(carry + doc[start:spot] + _OPEN)
        return spot, _CLOSE
    raise EmailError(
        f"a line of the email's HTML is over {MAX_LINE} octets and has no safe place to break:"
        f" {doc[start : start + 80]!r}...",
        hint="shorten the attribute value or URL there",
    )


def wrap_text(text: str) -> str:
    """Plain text with CRLF line endings, a line over 998 octets broken at a space (or anywhere)."""
    out: list[str] = []
    for line in _NEWLINES.split(text.replace("\x00", "\ufffd")):
        while len(line.encode("utf-8")) > _LIMIT:
            octets = _octets(line)
            high = bisect.bisect_right(octets, _LIMIT) - 1
            guarded = [m.span() for m in _PIECE.finditer(line)]
            cut = line.rfind(" ", 1, high)
            while cut > 0 and any(a < cut < b for a, b in guarded):
                cut = line.rfind(" ", 1, cut)
            if cut > 0:
                out.append(line[:cut])
                line = line[cut + 1 :]
                continue
            cut = high
            while cut > 1 and (any(a < cut < b for a, b in guarded) or not _mergeable(line, cut)):
                cut -= 1
            out.append(line[:cut])
            line = line[cut:]
        out.append(line)
    return CRLF.join(out)


# --- headers -----------------------------------------------------------------------------------

_POLICY = email.policy.SMTP


def fold(name: str, value: str) -> str:
    """One header, RFC 2047-encoded where it is not ASCII and folded, ending in CRLF."""
    return str(_POLICY.header_factory(name, value).fold(policy=_POLICY))


def sender_domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or "localhost"


_URL_CHARS = re.compile(r"^https?://[!-~]+$")
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
    try:
        return header_address(value)
    except ValueError as exc:
        raise RecipientError("address", str(exc)) from None


def recipient_line(recipient: Recipient) -> str:
    """How a message names its recipient to the reader: ``Name <address>`` or the address alone."""
    return f"{recipient.name} <{recipient.address}>" if recipient.name else recipient.address


# --- the template ------------------------------------------------------------------------------

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
}
_BOUNDARY = re.compile(rb'boundary="([^"]+)"')


@dataclass(frozen=True)
class MessageTemplate:
    """One language's message, serialised once with placeholders for each subscriber's fields."""

    language: str
    """The edition's BCP 47 tag, such as ``zh-Hans``."""
    data: bytes
    """The serialised message (UTF-8, CRLF line endings) with ``%%masthead:...%%`` placeholders."""
    _pieces: tuple[bytes, ...] = field(init=False, repr=False, compare=False)
    _slots: tuple[tuple[int, str], ...] = field(init=False, repr=False, compare=False)
    _lines: tuple[tuple[int, tuple[str, ...]], ...] = field(init=False, repr=False, compare=False)
    _boundary: str = field(init=False, repr=False, compare=False)
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
        head_bytes, _, body = self.data.partition(b"\r\n\r\n")
        head = head_bytes.decode("ascii", "replace")
        if b"Content-Transfer-Encoding: quoted-printable" in body:
            raise EmailError(
                "the message template was made by an older masthead (quoted-printable parts)",
                hint="build the issue again: masthead build --force",
            )
        found = _BOUNDARY.search(head_bytes)
        boundary = found.group(1).decode("ascii") if found else ""
        delimiter = f"--{boundary}".encode("ascii")
        # The fixed length of every line that holds placeholders, the longest per set of keys.
        longest: dict[tuple[str, ...], int] = {}
        in_body = False
        for line in self.data.split(b"\r\n"):
            in_body = in_body or not line
            if len(line) > MAX_LINE - 2 and b"%%masthead:" not in line:
                raise EmailError(f"message template has a line over {MAX_LINE} octets")
            if b"%%masthead:" not in line:
                continue
            keys = tuple(key.decode("ascii") for key in _PLACEHOLDER.findall(line))
            fixed = len(_PLACEHOLDER.sub(b"", line))
            longest[keys] = max(fixed, longest.get(keys, 0))
            lead = line[: line.index(b"%%masthead:")]
            if in_body and lead and delimiter.startswith(lead):
                raise EmailError(f"message template has a line that starts {lead!r}, like its boundary")
        archived = re.search(r"^Archived-At: <([^>]+)>", head, re.MULTILINE)
        sender = re.search(r"^From:((?:.*\r\n[ \t].*)*.*)$", head, re.MULTILINE)
        object.__setattr__(self, "_pieces", tuple(pieces))
        object.__setattr__(self, "_slots", tuple(slots))
        object.__setattr__(self, "_lines", tuple((fixed, keys) for keys, fixed in longest.items()))
        object.__setattr__(self, "_boundary", boundary)
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
        boundary = self._boundary
        if boundary and (boundary in shown or boundary in unsubscribe or boundary in web):
            culprit = (
                "name" if boundary in shown else "unsubscribe_url" if boundary in unsubscribe else "web_url"
            )
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
    return MessageTemplate(language=language, data=data)


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
    return MessageTemplate(language=language, data=data)
