"""One rule for every link masthead publishes: ``http(s)`` to a host, or ``mailto:`` an address.

Settings (``base_url``), issue fields (``back.website``) and Markdown links in sources and
translations all pass through :func:`link_problem`, so a ``javascript:``, ``data:`` or ``file:``
link never reaches a PDF, a web page or an email, whoever wrote it.
"""

from __future__ import annotations

import re
from email.utils import parseaddr
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt

from ._address import normalise_address

WEB_SCHEMES = ("http", "https")
MAX_LENGTH = 800
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
# Never part of a URL as written in a link: they end an attribute or hide what the link is.
_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f<>\"`\\]")


def link_problem(url: str, *, web_only: bool = False, relative: bool = False) -> str | None:
    """Why ``url`` cannot be published as a link, or ``None`` when it can.

    ``web_only`` refuses ``mailto:`` too; ``relative`` accepts a link without a scheme (a Markdown
    link into the web edition's folder).
    """
    if not url:
        return "the link is empty"
    if len(url) > MAX_LENGTH:
        return f"{url[:60]!r}... is longer than {MAX_LENGTH} characters (a line of an email holds 998)"
    if _UNSAFE.search(url):
        return f"{url[:80]!r} holds a space, quote, backslash, angle bracket or control character"
    match = _SCHEME.match(url)
    if match is None:
        if relative:
            return None
        return f"{url[:80]!r} is not an absolute URL (such as https://example.org/)"
    scheme = match.group(1).lower()
    if scheme in WEB_SCHEMES:
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
        except ValueError as exc:
            return f"{url[:80]!r} is not a valid URL: {exc}"
        if not parts.hostname:
            return f"{url[:80]!r} names no host"
        return None
    allowed = "http(s)" if web_only else "http(s) and mailto"
    if scheme == "mailto" and not web_only:
        address = unquote(url[len("mailto:") :].split("?", 1)[0])
        try:
            normalise_address(address)
        except ValueError as exc:
            return f"{url[:80]!r}: {exc}"
        return None
    return f"{url[:80]!r} is a {scheme}: link; only {allowed} links are published"


def is_published_link(url: str) -> bool:
    """markdown-it's ``validateLink``: whether a Markdown link becomes a link at all."""
    return link_problem(url, relative=True) is None


def address_problem(value: str, *, display_name: bool = False) -> str | None:
    """Why ``value`` is not an email address (``Name <address>`` too, with ``display_name``)."""
    address = parseaddr(value)[1] if display_name else value
    if not address:
        return f"{value[:80]!r} is not an address"
    try:
        normalise_address(address)
    except ValueError as exc:
        return str(exc)
    return None


def markdown() -> MarkdownIt:
    """The inline Markdown every stage reads messages with: no raw HTML, links by the rule above."""
    parser = MarkdownIt("commonmark", {"html": False})
    parser.validateLink = is_published_link  # type: ignore[method-assign]
    return parser


_parser = markdown()
# A link's syntax left as text once parsed: ``[text](target)`` (one level of parentheses inside the
# target, as in ``alert(3)``) or an autolink ``<scheme:...>``.
_WRITTEN_LINK = re.compile(
    r"\]\(\s*<?((?:[^\s()<>]|\([^\s()]*\))*)>?\s*\)|<([A-Za-z][A-Za-z0-9+.\-]*:[^\s<>]*)>"
)


def unpublishable_links(text: str) -> list[str]:
    """The targets of the Markdown links in ``text`` that the rule refuses (they would be printed as
    written, brackets and all, rather than become links)."""
    found: list[str] = []
    for token in _parser.parseInline(text):
        for child in token.children or []:
            if child.type == "text":
                found.extend(m.group(1) or m.group(2) for m in _WRITTEN_LINK.finditer(child.content))
    return [url for url in found if url and link_problem(url, relative=True)]
