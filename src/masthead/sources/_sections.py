"""The issue's ``sections``: each with its layout and its articles, read in the order listed."""

from __future__ import annotations

import logging
import re
from difflib import get_close_matches
from pathlib import Path

from .._errors import SourceError, display_path
from ._articles import load_article
from ._model import LAYOUTS, Article, Heading, Section
from ._reader import Reader, nearest_file, relative
from ._yaml import LineDict

logger = logging.getLogger("masthead.sources")
_ARTICLE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")


def read_sections(issue: Reader, folder: Path, root: Path) -> tuple[list[Section], dict[str, int]]:
    """The sections and their articles, and the line of ``issue.yaml`` that lists each article."""
    sections: list[Section] = []
    seen: dict[str, int] = {}
    listed = issue.sequence("sections")
    for line, entry in zip(listed.lines, listed, strict=True):
        if not isinstance(entry, LineDict):
            issue.problems.append(SourceError("each section must be a mapping", path=issue.path, line=line))
            continue
        section = Reader(entry, issue.path, issue.rel, issue.problems, "section")
        section.check_keys(["title", "layout", "articles"])
        layout = section.string("layout") or "standard"
        if layout not in LAYOUTS:
            close = get_close_matches(layout, LAYOUTS, n=1)
            section.problem(
                f"unknown layout {layout!r}", "layout",
                (f"did you mean {close[0]!r}? " if close else "") + "layouts: " + ", ".join(LAYOUTS),
            )  # fmt: skip
        articles = _articles(section, folder, root, seen)
        for article in articles:
            _check_layout(layout, article, folder)
        section_title = section.text("title", "section title", required=True)
        if section_title:
            sections.append(Section(section_title, layout, tuple(articles)))
    return sections, seen


def _articles(section: Reader, folder: Path, root: Path, seen: dict[str, int]) -> list[Article]:
    """The articles a section lists, each read from ``<id>.md``; an id listed twice is a problem."""
    articles: list[Article] = []
    ids = section.sequence("articles")
    if not ids:
        section.problem("section lists no articles", hint="add 'articles: [article-id, ...]'")
    for id_line, article_id in zip(ids.lines, ids, strict=True):
        article_id = str(article_id)
        if article_id in seen:
            section.problems.append(SourceError(
                f"article {article_id!r} is listed twice (first on line {seen[article_id]})",
                path=section.path, line=id_line, hint="each article appears once in an issue",
            ))  # fmt: skip
            continue
        seen[article_id] = id_line
        if not _ARTICLE_ID.match(article_id):
            # An id names a file of this folder and an anchor of the web page: never a path.
            section.problems.append(SourceError(
                f"article id {article_id[:60]!r} is not the name of an article file",
                path=section.path, line=id_line,
                hint="use the file's name without .md: letters, digits, '-' and '_', up to 100",
            ))  # fmt: skip
            continue
        article_path = folder / f"{article_id}.md"
        if not article_path.is_file():
            section.problems.append(SourceError(
                f"article {article_id!r} not found: no file {article_id}.md",
                path=section.path, line=id_line,
                hint=nearest_file(article_id, folder) or f"create {relative(article_path, root)}",
            ))  # fmt: skip
            continue
        article = load_article(article_path, article_id, folder, root, section.problems)
        if article:
            articles.append(article)
    return articles


def _check_layout(layout: str, article: Article, folder: Path) -> None:
    """What builds but would surprise a reader: a timeline with no years, news with no source."""
    where = display_path(folder / f"{article.id}.md")
    if layout == "timeline" and not any(isinstance(b, Heading) and b.level <= 2 for b in article.body):
        logger.warning("%s: a timeline article without '## ' headings shows as one block", where)
    if layout == "news" and article.source is None:
        logger.warning("%s: a news article without 'source:' prints no source line", where)
