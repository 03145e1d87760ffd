"""Line wrapping for a message's 8-bit body parts: every line ends in CRLF and is at most 998 octets.

The text part is already wrapped by its template; a rare longer line breaks at a space. The HTML
breaks only where a line break cannot change the page: at a space between attributes or in text,
before a tag's ``>``, and as a last resort (a long run of CJK text) inside an empty comment
``<!--\\r\\n-->`` between two characters; never inside an attribute value (a URL), a character
reference, a placeholder, ``<style>``, ``<pre>``, ``<title>`` or a comment. Each HTML placeholder
gets a line of its own with the few characters around it that cannot move (``href="...#id"``,
``>...</bdi``), so a long value has most of the 998 octets to itself.
"""

from __future__ import annotations

import bisect
import re
import unicodedata

from .._errors import EmailError
from ._placeholders import CRLF, MAX_LINE, PLACEHOLDER_TEXT

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
        guarded += [m.span() for m in PLACEHOLDER_TEXT.finditer(text)]
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
    for match in PLACEHOLDER_TEXT.finditer(doc):
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
    error = EmailError(
        f"a line of the email's HTML is over {MAX_LINE} octets and has no safe place to break:"
        f" {doc[start : start + 80]!r}...",
        hint="shorten the attribute value or URL there",
    )
    error.evidence = doc[start:end]
    raise error


def wrap_text(text: str) -> str:
    """Plain text with CRLF line endings, a line over 998 octets broken at a space (or anywhere)."""
    out: list[str] = []
    for line in _NEWLINES.split(text.replace("\x00", "\ufffd")):
        while len(line.encode("utf-8")) > _LIMIT:
            octets = _octets(line)
            high = bisect.bisect_right(octets, _LIMIT) - 1
            guarded = [m.span() for m in PLACEHOLDER_TEXT.finditer(line)]
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
