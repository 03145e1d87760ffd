"""Where each message of an issue appears, for translators: the article and its place in words
("paragraph 3 of “Open doors”", "caption of figure 2"), and the anchor of that place in the web
edition, which the theme's templates put on the element (``anchor(article, block)``).

Anchors are made of the article's id and the block's place in its body, joined by ``--`` so that
they never meet an article's own id: ``open-doors--3`` (the third block), ``open-doors--3-2`` (its
second list item), ``open-doors--title``; the issue's own texts are under ``issue--``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..sources import Article, Block, Figure, Heading, Issue, ItemList, Paragraph, Quote, Text

ISSUE_ANCHORS = {
    "cover": "issue--cover",
    "line": "issue--line",
    "headlines": "issue--headlines",
    "colophon": "issue--colophon",
    "back": "issue--back",
}
"""The anchors of the parts of a page that hold the issue's own texts (not an article's)."""


@dataclass(frozen=True)
class Place:
    """Where a text appears: in words for a translator, and its anchor in the web edition."""

    text: Text
    where: str
    anchor: str


def block_anchor(article: Article, block: Block) -> str:
    """The anchor of one block of an article's body (the same object, or an equal one)."""
    for index, candidate in enumerate(article.body, start=1):
        if candidate is block:
            return f"{article.id}--{index}"
    for index, candidate in enumerate(article.body, start=1):
        if candidate == block:
            return f"{article.id}--{index}"
    return article.id


def section_anchor(number: int) -> str:
    """The anchor of the issue's section ``number`` (1-based)."""
    return f"issue--section-{number}"


def places(issue: Issue) -> list[Place]:
    """Every text of ``issue`` with where it appears, in reading order."""
    found: list[Place] = []

    def add(text: Text | None, where: str, anchor: str) -> None:
        if text is not None:
            found.append(Place(text, where, anchor))

    def figure(fig: Figure | None, name: str, anchor: str) -> None:
        if fig is not None:
            add(fig.alt, f"alt text of {name}", anchor)
            add(fig.caption, f"caption of {name}", anchor)
            add(fig.credit, f"credit of {name}", anchor)

    add(issue.kicker, "kicker of the issue, on the cover", ISSUE_ANCHORS["cover"])
    add(issue.title, "title of the issue, on the cover", ISSUE_ANCHORS["cover"])
    add(issue.summary, "summary of the issue, on the cover", ISSUE_ANCHORS["cover"])
    add(issue.date_label, "date of the issue, under the newsletter's name", ISSUE_ANCHORS["line"])
    figure(issue.cover, "the cover figure", ISSUE_ANCHORS["cover"])
    for number, entry in enumerate(issue.headlines, start=1):
        add(
            entry.title,
            f"Headlines entry {number} (for the article {entry.article})",
            ISSUE_ANCHORS["headlines"],
        )
    for number, section in enumerate(issue.sections, start=1):
        add(section.title, f"title of section {number}", section_anchor(number))
        for article in section.articles:
            found.extend(article_places(article))
    for number, credit in enumerate(issue.colophon, start=1):
        add(credit.role, f"role {number} of the colophon", ISSUE_ANCHORS["colophon"])
    if issue.back is not None:
        add(issue.back.about, "description of the publisher, on the back page", ISSUE_ANCHORS["back"])
    return found


def article_places(article: Article) -> list[Place]:
    """Every text of ``article`` with where it appears."""
    of = f"of “{_short(article.title.source)}” ({article.id})"
    found = [Place(article.title, f"title of the article {article.id}", f"{article.id}--title")]
    if article.kicker is not None:
        found.append(Place(article.kicker, f"kicker {of}", article.id))
    if article.standfirst is not None:
        found.append(Place(article.standfirst, f"standfirst {of}", f"{article.id}--standfirst"))
    if article.figure is not None:
        for part, text in _figure_parts(article.figure):
            found.append(Place(text, f"{part} of the lead figure {of}", f"{article.id}--figure"))
    counts: Counter[str] = Counter()
    for block in article.body:
        anchor = block_anchor(article, block)
        kind = _KINDS[type(block)]
        counts[kind] += 1
        name = f"{kind} {counts[kind]}"
        if isinstance(block, Paragraph | Heading):
            found.append(Place(block.text, f"{name} {of}", anchor))
        elif isinstance(block, ItemList):
            for index, item in enumerate(block.items, start=1):
                found.append(Place(item, f"item {index} of {name} {of}", f"{anchor}-{index}"))
        elif isinstance(block, Quote):
            for index, paragraph in enumerate(block.paragraphs, start=1):
                where = f"{name} {of}" if len(block.paragraphs) == 1 else f"paragraph {index} of {name} {of}"
                found.append(Place(paragraph, where, f"{anchor}-{index}"))
        else:
            for part, text in _figure_parts(block):
                found.append(Place(text, f"{part} of {name} {of}", anchor))
    if article.source is not None:
        found.append(Place(article.source, f"source line {of}", f"{article.id}--source"))
    return found


_KINDS: dict[type, str] = {
    Paragraph: "paragraph",
    Heading: "heading",
    ItemList: "list",
    Quote: "quotation",
    Figure: "figure",
}


def _figure_parts(fig: Figure) -> list[tuple[str, Text]]:
    parts = [("alt text", fig.alt), ("caption", fig.caption), ("credit", fig.credit)]
    return [(part, text) for part, text in parts if text is not None]


def _short(text: str, width: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
