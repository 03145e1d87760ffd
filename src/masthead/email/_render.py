"""Render an edition's email once per language: HTML (inlined CSS) and plain text, with placeholders."""

from __future__ import annotations

import gettext
import html
import logging
import re
from dataclasses import dataclass
from urllib.parse import urljoin

import css_inline

from .._config import Config
from .._errors import EmailError
from .._layout import pdf_path, web_path
from ..editions import Edition
from ..images import PreparedImages
from ..render import ScreenImages, refusal
from ..sources import Article, Figure, Heading, ItemList, Paragraph, Quote
from ..theme import message_parser, render_edition
from ._placeholders import (
    HTML_PREFERENCES,
    HTML_RECIPIENT,
    HTML_UNSUBSCRIBE,
    HTML_WEB,
    PREFIX,
    TEXT_PREFERENCES,
    TEXT_RECIPIENT,
    TEXT_UNSUBSCRIBE,
    TEXT_WEB,
    placeholder,
)
from ._text import TextWriter, tidy
from ._tokens import resolve_tokens

logger = logging.getLogger("masthead.email")

CLIP_BYTES = 102 * 1024
"""Gmail clips a message whose HTML passes 102 KB, hiding the rest behind a link."""
TARGET_BYTES = 96 * 1024
"""What the HTML aims for, leaving room for the subscriber's own URLs and name."""

_inliner = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)
_ATTR_URL = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)
_STYLESHEET = re.compile(
    r"""<link\b(?=[^>]*\brel=["']?stylesheet)[^>]*\bhref=["']?([^"'\s>]+)""", re.IGNORECASE
)
_CHARSET = re.compile(r"<meta charset=[\"']?[\w-]+[\"']?\s*/?>\s*", re.IGNORECASE)
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class Rendered:
    """One language's email, rendered and inlined, with placeholders for each subscriber's fields."""

    html: str
    text: str
    subject: str
    teasers: tuple[str, ...]
    """Ids of the articles shown as a lead with a link to the web edition, to keep the size down."""


def urls(edition: Edition, config: Config) -> tuple[str, str]:
    """The web edition's and the PDF's absolute URLs."""
    slug, tag = edition.issue.slug, edition.language.tag
    return config.base_url + web_path(slug, tag), config.base_url + pdf_path(slug, tag)


def render_html(
    edition: Edition,
    config: Config,
    translations: gettext.NullTranslations | None,
    teasers: frozenset[str] = frozenset(),
    images: PreparedImages | None = None,
) -> str:
    """The email's HTML with its CSS inlined (media queries stay in a ``<style>`` block)."""
    issue = edition.issue
    _web, pdf = urls(edition, config)
    web = placeholder(HTML_WEB)
    figures = ScreenImages(images, f"{config.base_url}{issue.slug}/")
    page = render_edition(
        "email.html",
        edition,
        config,
        translations,
        image_url=figures.url,
        image_height=figures.height_attribute,
        web_url=web,
        pdf_url=pdf,
        article_url=lambda article: f"{web}#{article.id}",
        unsubscribe_url=placeholder(HTML_UNSUBSCRIBE),
        preferences_url=placeholder(HTML_PREFERENCES),
        recipient=placeholder(HTML_RECIPIENT),
        teasers=teasers,
    )
    # css-inline loads no stylesheet (the inliner is set up so): say so rather than drop it unseen.
    linked = [match.group(1) for match in _STYLESHEET.finditer(page)]
    if linked:
        raise refusal(linked, (config.templates_dir,))
    page = _charset_first(_inliner.inline(resolve_tokens(page)))
    # Links written relative in the sources point into the web edition's folder.
    base = f"{config.base_url}{issue.slug}/{edition.language.tag}/"
    return _ATTR_URL.sub(lambda m: m.group(1) + _absolute(m.group(2), base) + m.group(3), page)


def _charset_first(page: str) -> str:
    """``page`` with its ``<meta charset>`` first in ``<head>``: the inliner puts the ``<style>`` it
    keeps there, and a charset declared past the first 1024 bytes is an error that readers may see
    as garbled text."""
    charset, head = _CHARSET.search(page), _HEAD.search(page)
    if charset is None or head is None or charset.start() < head.end():
        return page
    declaration = charset.group().strip()
    page = page[: charset.start()] + page[charset.end() :]
    return page[: head.end()] + declaration + page[head.end() :]


def _absolute(url: str, base: str) -> str:
    if url.startswith(PREFIX) or re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:", url):
        return url
    return html.escape(urljoin(base, html.unescape(url)))


def render_text(
    edition: Edition,
    config: Config,
    translations: gettext.NullTranslations | None,
    teasers: frozenset[str] = frozenset(),
    images: PreparedImages | None = None,
) -> str:
    """The plain-text alternative, made from the edition's content (not from the HTML)."""
    issue = edition.issue
    _web, pdf = urls(edition, config)
    web = placeholder(TEXT_WEB)
    writer = TextWriter(
        cjk=edition.language.is_cjk,
        base_url=f"{config.base_url}{issue.slug}/",
        parser=message_parser(edition, config),
    )
    text = render_edition(
        "email.txt",
        edition,
        config,
        translations,
        tx=writer,
        web_url=web,
        pdf_url=pdf,
        article_url=lambda article: f"{web}#{article.id}",
        unsubscribe_url=placeholder(TEXT_UNSUBSCRIBE),
        preferences_url=placeholder(TEXT_PREFERENCES),
        recipient=placeholder(TEXT_RECIPIENT),
        teasers=teasers,
    )
    return tidy(text)


def _weight(article: Article) -> int:
    """Roughly how many characters an article adds to the email."""
    size = 0
    for block in article.body:
        if isinstance(block, Paragraph | Heading):
            size += len(str(block.text))
        elif isinstance(block, ItemList):
            size += sum(len(str(item)) for item in block.items)
        elif isinstance(block, Quote):
            size += sum(len(str(p)) for p in block.paragraphs)
        elif isinstance(block, Figure):
            size += 400
    return size


def render(
    edition: Edition,
    config: Config,
    translations: gettext.NullTranslations | None = None,
    images: PreparedImages | None = None,
) -> Rendered:
    """Render the whole issue, turning the longest articles into leads until the HTML fits."""
    issue = edition.issue
    teasers: set[str] = set()
    page = render_html(edition, config, translations, images=images)
    headlines = {entry.article for entry in issue.headlines}
    # Articles not in the Headlines box go first, the longest first.
    order = sorted(issue.articles, key=lambda a: (a.id in headlines, -_weight(a)))
    for article in order:
        if len(page.encode("utf-8")) <= TARGET_BYTES:
            break
        teasers.add(article.id)
        page = render_html(edition, config, translations, frozenset(teasers), images)
    size = len(page.encode("utf-8"))
    if teasers:
        logger.info(
            "%s: email shows %d of %d articles as leads to stay under %d KB",
            edition.language.tag,
            len(teasers),
            len(issue.articles),
            CLIP_BYTES // 1024,
        )
    if size > CLIP_BYTES:
        logger.warning(
            "%s: email HTML is %.0f KB, over Gmail's %d KB: Gmail will clip it",
            edition.language.tag,
            size / 1024,
            CLIP_BYTES // 1024,
        )
    match = _TITLE.search(page)
    if not match:
        raise EmailError("the email template has no <title>, which gives the message its subject")
    subject = " ".join(html.unescape(match.group(1)).split())
    text = render_text(edition, config, translations, frozenset(teasers))
    for part, kind in ((page, "html"), (text, "text")):
        stray = re.findall(rf"%%masthead:(?!{kind}\.[a-z]+%%)\S{{0,20}}", part)
        if stray:
            error = EmailError(
                f"the edition's text contains the reserved marker {stray[0]!r}",
                hint="masthead marks where each subscriber's own details go with '%%masthead': reword it",
            )
            # What a person wrote may end before the colon, which a label or the theme can add
            # ("%%masthead" as a name, then ": "): look for the marker's stem in their files.
            error.evidence = "%%masthead"
            raise error
    order_ids = tuple(a.id for a in issue.articles if a.id in teasers)
    return Rendered(html=page, text=text, subject=subject, teasers=order_ids)
