"""Issue-level fields: the date, to the precision the issue gives, and the Headlines box."""

from __future__ import annotations

import datetime
import re

from .._errors import SourceError
from ._model import Headline
from ._reader import Reader, suggest
from ._yaml import LineDict, LineList


def issue_date(value: object) -> tuple[datetime.date | None, str]:
    """The date of ``date:`` (YAML gives a date, a whole number for a year, or text for
    ``YYYY-MM``) and how much of it is given."""
    if isinstance(value, datetime.datetime):
        return value.date(), "day"
    if isinstance(value, datetime.date):
        return value, "day"
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 9999:
        return datetime.date(value, 1, 1), "year"
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*", value)
        if match:
            year, month, day = (int(part) if part else None for part in match.groups())
            try:
                found = datetime.date(year or 1, month or 1, day or 1)
            except ValueError:
                return None, "day"
            return found, "day" if day else "month" if month else "year"
    return None, "day"


def headlines(issue: Reader, articles: dict[str, int]) -> tuple[Headline, ...]:
    """The Headlines box: article ids, or mappings of an article and the wording to show for it."""
    entries: list[Headline] = []
    listed = issue.sequence("headlines")
    for line, entry in zip(listed.lines, listed, strict=True):
        title = None
        if isinstance(entry, LineDict):
            reader = Reader(entry, issue.path, issue.rel, issue.problems, "headline")
            reader.check_keys(["article", "title"])
            article_id = reader.string("article", required=True)
            title = reader.text("title", "headline")
            if article_id is None:
                continue
        elif isinstance(entry, LineList) or entry is None:
            issue.problems.append(SourceError(
                "a headline is an article id, or 'article:' with an id and 'title:' with its wording",
                path=issue.path, line=line,
            ))  # fmt: skip
            continue
        else:
            article_id = str(entry)
        if article_id not in articles:
            issue.problems.append(SourceError(
                f"headline {article_id!r} is not an article of this issue", path=issue.path, line=line,
                hint=suggest(article_id, articles),
            ))  # fmt: skip
            continue
        entries.append(Headline(article_id, title))
    return tuple(entries)
