"""Issue-level fields: the date, to the precision the issue gives, the Headlines box, the colophon and
the back page."""

from __future__ import annotations

import datetime
import re

from .._errors import SourceError
from .._links import address_problem, link_problem
from ._model import BackPage, Credit, Headline
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


def colophon(issue: Reader) -> tuple[Credit, ...]:
    """Who made the issue: a role and its names per entry."""
    credits: list[Credit] = []
    listed = issue.sequence("colophon")
    for line, entry in zip(listed.lines, listed, strict=True):
        if not isinstance(entry, LineDict):
            issue.problems.append(SourceError(
                "each colophon entry must be a mapping with 'role' and 'names'", path=issue.path, line=line
            ))  # fmt: skip
            continue
        credit = Reader(entry, issue.path, issue.rel, issue.problems, "colophon entry")
        credit.check_keys(["role", "names"])
        role = credit.text("role", "colophon role", required=True)
        names_list = credit.names("names")
        if names_list == ():
            credit.problem("colophon entry has no names", hint="add 'names: [Name, ...]'")
        if role:
            credits.append(Credit(role, names_list or ()))
    return tuple(credits)


def back_page(issue: Reader) -> BackPage | None:
    """The organisation's description, website and contact address, if the issue has them."""
    back = issue.mapping("back")
    if not back:
        return None
    if "address" in back.data:
        # One address for every email, web page and back page: a setting, not a line of each issue.
        back.problem(
            "the back page's address is the [newsletter] postal_address setting now",
            "address",
            "move it to postal_address in masthead.toml (a table by language keeps its translations) "
            "and remove it here",
        )
    back.check_keys(["about", "address", "website", "email"])
    about = back.text("about", "organisation description", required=True)
    website = back.string("website")
    if website and (why := link_problem(website, web_only=True)):
        back.problem(why, "website", hint="write the website's full address, such as https://example.org/")
        website = None
    email = back.string("email")
    if email and (why := address_problem(email)):
        back.problem(why, "email", hint="write the address alone, such as hello@example.org")
        email = None
    if not about:
        return None
    return BackPage(about=about, website=website, email=email)
