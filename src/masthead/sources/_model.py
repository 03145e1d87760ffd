"""The source model of an issue: plain frozen dataclasses, no file formats.

Every string a reader sees is a :class:`Text`, so that it can become a translatable message; names,
URLs and image paths are plain strings and never translated.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar


@dataclass(frozen=True)
class Origin:
    """Where a piece of source was written: a workspace-relative path and a 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Text:
    """One piece of inline Markdown a reader sees: one translatable message.

    ``translation`` is set on editions (see :mod:`masthead.editions`); the source holds ``None``.
    """

    source: str
    kind: str
    origin: Origin
    translation: str | None = None

    def __str__(self) -> str:
        return self.translation if self.translation is not None else self.source


CREDIT_LABELS = ("photo", "illustration", "drawing", "design", "image", "none")
"""The kinds of credit the theme labels ("Photo:", "Illustration:", ...); ``none`` prints no label."""

FITS = ("contain", "cover")


@dataclass(frozen=True)
class Figure:
    """An image with its text alternative, caption and credit."""

    type: ClassVar[str] = "figure"
    image: str
    """Path relative to the issue folder."""
    alt: Text
    caption: Text | None = None
    credit: Text | None = None
    credit_label: str = "photo"
    """Which theme label goes before the credit (one of :data:`CREDIT_LABELS`)."""
    fit: str = "contain"
    """``contain``: the whole image, its shape kept; ``cover``: cropped to the layout's frame."""
    focus: str = "50% 50%"
    """With ``fit: cover``, the point of the image kept in view (a CSS position: ``30% 20%``)."""


@dataclass(frozen=True)
class Heading:
    type: ClassVar[str] = "heading"
    text: Text
    level: int


@dataclass(frozen=True)
class Paragraph:
    type: ClassVar[str] = "paragraph"
    text: Text


@dataclass(frozen=True)
class ItemList:
    type: ClassVar[str] = "list"
    items: tuple[Text, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Quote:
    type: ClassVar[str] = "quote"
    paragraphs: tuple[Text, ...]


Block = Heading | Paragraph | ItemList | Quote | Figure


@dataclass(frozen=True)
class Article:
    id: str
    path: str
    title: Text
    body: tuple[Block, ...]
    kicker: Text | None = None
    standfirst: Text | None = None
    author: str | None = None
    source: Text | None = None
    figure: Figure | None = None


LAYOUTS = ("feature", "timeline", "news", "standard")


@dataclass(frozen=True)
class Section:
    title: Text
    layout: str
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class Credit:
    """A colophon line: a role (translated) and the people in it (names are never translated)."""

    role: Text
    names: tuple[str, ...]


@dataclass(frozen=True)
class BackPage:
    about: Text
    website: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Headline:
    """An entry of the cover's Headlines box: an article (for its page number), in its own words or
    with the article's title."""

    article: str
    title: Text | None = None


DATE_PRECISIONS = ("year", "month", "day")


@dataclass(frozen=True)
class Issue:
    """One issue of the newsletter, as written in ``issues/<slug>/``."""

    slug: str
    folder: Path
    number: int
    date: datetime.date
    """The issue's date; for an issue dated by month or year, the first day of it."""
    title: Text
    sections: tuple[Section, ...]
    kicker: Text | None = None
    summary: Text | None = None
    cover: Figure | None = None
    headlines: tuple[Headline, ...] = ()
    """The entries of the cover's Headlines box."""
    colophon: tuple[Credit, ...] = ()
    back: BackPage | None = None
    names: tuple[str, ...] = ()
    """Names that stay as written in every language."""
    date_precision: str = "day"
    """How much of :attr:`date` the issue gives: ``year``, ``month`` or ``day``."""
    date_label: Text | None = None
    """What the issue line prints for the date when given ("Spring 2026"), translated."""

    @property
    def articles(self) -> tuple[Article, ...]:
        return tuple(article for section in self.sections for article in section.articles)

    def article(self, article_id: str) -> Article:
        for candidate in self.articles:
            if candidate.id == article_id:
                return candidate
        raise KeyError(article_id)

    @property
    def headline_articles(self) -> tuple[Article, ...]:
        return tuple(self.article(entry.article) for entry in self.headlines)

    @property
    def headline_entries(self) -> tuple[tuple[Article, Text], ...]:
        """Each Headlines entry as the article it points at and the wording it shows."""
        return tuple(
            (article, entry.title or article.title)
            for entry, article in zip(self.headlines, self.headline_articles, strict=True)
        )

    @property
    def images(self) -> tuple[str, ...]:
        """Every image path the issue uses, in reading order, without repeats."""
        found: dict[str, None] = {}
        if self.cover:
            found[self.cover.image] = None
        for article in self.articles:
            if article.figure:
                found[article.figure.image] = None
            for block in article.body:
                if isinstance(block, Figure):
                    found[block.image] = None
        return tuple(found)
