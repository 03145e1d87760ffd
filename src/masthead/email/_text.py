"""The plain-text part, made from the edition's content: inline Markdown to text, wrapping, links."""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Callable
from urllib.parse import urljoin

from markdown_it import MarkdownIt

from ..sources import Text

WIDTH = 72

# Characters that may stand anywhere in a line of CJK text (no spaces between words).
_CJK = (
    "\u1100-\u11ff\u2e80-\u2fdf\u2ff0-\u303f\u3040-\u30ff\u3100-\u31ff\u3200-\u4dbf\u4e00-\u9fff"
    "\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
)
# After ``wrap`` has made every run of breakable white space one space: no-break spaces (French
# « », 20\u00a0h) stay inside their word.
_TOKENS = re.compile(rf"[{_CJK}]|[^ {_CJK}]+| +")
_BREAKABLE = re.compile(r"[ \t\n\r\f\v]+")
# Never at the start of a line (closing punctuation), never at the end (opening punctuation).
_NO_START = set("、。，．・：；？！ー）」』】〕〉》〗〙〛｝〟’”・,.:;?!)]}%")
_NO_END = set("（「『【〔〈《〖〘〚｛〝‘“([{")


def width(text: str) -> int:
    """Display width in a terminal: wide (CJK) characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def wrap(text: str, first: str = "", rest: str = "", *, cjk: bool = False, limit: int = WIDTH) -> str:
    """``text`` wrapped at ``limit`` columns, the first line prefixed ``first`` and the rest ``rest``.

    Spaced scripts wrap at spaces (never inside a word or URL); CJK text wraps between characters
    by display width, keeping closing punctuation off the start of a line.
    """
    text = _BREAKABLE.sub(" ", text).strip(" ")
    if not text:
        return first.rstrip()
    if not cjk:
        return textwrap.fill(
            text,
            width=limit,
            initial_indent=first,
            subsequent_indent=rest,
            break_long_words=False,
            break_on_hyphens=False,
        )
    lines: list[str] = []
    current, used = first, width(first)
    for token in _TOKENS.findall(text):
        size = width(token)
        if token.isspace():
            if used + 1 <= limit:
                current, used = current + " ", used + 1
            continue
        fits = used + size <= limit
        if not fits and token[0] in _NO_START and used + size <= limit + 2:
            fits = True  # hang a closing mark rather than start a line with it
        if not fits and current.strip():
            carry = ""
            if current and current[-1] in _NO_END:
                carry, current = current[-1], current[:-1]
            lines.append(current.rstrip())
            current, used = rest + carry, width(rest + carry)
        current, used = current + token, used + size
    lines.append(current.rstrip())
    return "\n".join(lines)


class TextWriter:
    """Helpers for the ``email.txt`` template: Markdown to text, wrapping and numbered links."""

    def __init__(self, *, cjk: bool, base_url: str, parser: Callable[[Text | str], MarkdownIt]) -> None:
        self.cjk = cjk
        self.base_url = base_url
        # The parser for a message: the typography of the language it is shown in (quotation marks,
        # dashes, French spacing), as in the HTML part.
        self._parser = parser
        self._links: dict[str, int] = {}

    def link(self, url: str) -> str:
        """The reference marker (``[3]``) for ``url``, listed at the end of the text."""
        url = urljoin(self.base_url, url) if not re.match(r"^[a-z]+:|^%%", url) else url
        number = self._links.setdefault(url, len(self._links) + 1)
        return f"[{number}]"

    @property
    def links(self) -> list[tuple[int, str]]:
        return [(number, url) for url, number in self._links.items()]

    def inline(self, value: Text | str | None) -> str:
        """One message's inline Markdown as text; each link's text is followed by its marker."""
        if value is None:
            return ""
        out: list[str] = []
        for token in self._parser(value).parseInline(str(value)):
            href = ""
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    out.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    out.append(" ")
                elif child.type == "link_open":
                    href = str(child.attrs.get("href", ""))
                elif child.type == "link_close" and href:
                    label = "" if self.cjk else " "
                    out.append(label + self.link(href))
                    href = ""
                elif child.type == "image":
                    out.append(child.content)
        return "".join(out)

    def wrap(self, text: str, first: str = "", rest: str | None = None) -> str:
        return wrap(text, first, first if rest is None else rest, cjk=self.cjk)

    def para(self, value: Text | str | None, first: str = "", rest: str | None = None) -> str:
        """A message as a wrapped paragraph."""
        return self.wrap(self.inline(value), first, rest)

    def underline(self, text: str, char: str = "=") -> str:
        return char * min(width(text), WIDTH)


def tidy(text: str) -> str:
    """No trailing spaces, no more than one blank line in a row, one newline at the end."""
    lines = [line if line == "-- " else line.rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"
