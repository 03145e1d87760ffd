"""Read ``issues/<slug>/``: ``issue.yaml`` and its Markdown articles, into the source model.

Every problem found is collected and reported at once, each with its file and line. The parts of an
issue are read by their own modules: sections and their articles (:mod:`._sections`, which reads each
article with :mod:`._articles` and its body with :mod:`._body`), figures (:mod:`._figures`), and the
other issue fields (:mod:`._fields`).
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

from .._disk import read_text
from .._errors import MastheadError, SourceError, raise_all
from ._fields import back_page, colophon, headlines, issue_date
from ._figures import figure
from ._model import Headline, Issue
from ._reader import Reader, relative, suggest
from ._sections import read_sections
from ._yaml import LineDict, load_yaml

ISSUE_FILE = "issue.yaml"
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ISSUE_KEYS = (
    "number", "date", "date_label", "title", "kicker", "summary", "cover", "headlines", "sections",
    "colophon", "back", "names",
)  # fmt: skip


def load_issue(folder: Path | str, *, root: Path | str | None = None) -> Issue:
    """Load the issue in ``folder``; paths in messages are relative to ``root`` (the workspace)."""
    folder = Path(folder).resolve()
    root = Path(root).resolve() if root is not None else folder.parent.parent
    problems: list[MastheadError] = []
    issue = _issue_file(folder, root, problems)
    number = _number(issue)
    date, date_precision = _date(issue)
    title = issue.text("title", "issue title", required=True)
    cover_reader = issue.mapping("cover")
    cover = figure(cover_reader, folder, problems) if cover_reader else None
    sections, listed = read_sections(issue, folder, root)
    chosen = headlines(issue, listed) or tuple(Headline(s.articles[0].id) for s in sections if s.articles)
    credits = colophon(issue)
    back = back_page(issue)
    names = issue.names("names")
    raise_all(problems)
    assert title is not None
    return Issue(
        slug=folder.name,
        folder=folder,
        number=number,
        date=date,
        title=title,
        kicker=issue.text("kicker", "kicker"),
        summary=issue.text("summary", "summary"),
        cover=cover,
        headlines=chosen,
        sections=tuple(sections),
        colophon=credits,
        back=back,
        names=names or (),
        date_precision=date_precision,
        date_label=issue.text("date_label", "issue date"),
    )


def _issue_file(folder: Path, root: Path, problems: list[MastheadError]) -> Reader:
    """``issue.yaml`` read as a mapping, its keys and the folder's name checked."""
    path = folder / ISSUE_FILE
    slug = folder.name
    if not path.is_file():
        raise SourceError(
            f"no {ISSUE_FILE} in issue folder {folder}",
            path=path,
            hint=f"create one with 'masthead new {slug}'",
        )
    data = load_yaml(read_text(path, SourceError), path)
    if not isinstance(data, LineDict):
        raise SourceError(f"{ISSUE_FILE} must be a mapping of keys to values", path=path, line=1)
    issue = Reader(data, path, relative(path, root), problems, ISSUE_FILE)
    issue.check_keys(_ISSUE_KEYS)
    if not _SLUG.match(slug):
        problems.append(SourceError(
            f"issue folder name {slug!r} is not a valid slug", path=folder,
            hint="use lower-case letters, digits and hyphens, such as 'winter-2026'",
        ))  # fmt: skip
    return issue


def _number(issue: Reader) -> int:
    number = issue.data.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or number < 0:
        issue.problem("'number' must be the issue number, a whole number", "number")
        return 0
    return number


def _date(issue: Reader) -> tuple[datetime.date, str]:
    date, precision = issue_date(issue.data.get("date"))
    if date is None:
        issue.problem(
            "'date' must be written as YYYY, YYYY-MM or YYYY-MM-DD", "date",
            "such as 'date: 2026', 'date: 2026-06' or 'date: 2026-06-01'; "
            "'date_label: Spring 2026' prints words of your own instead",
        )  # fmt: skip
        return datetime.date(1970, 1, 1), precision
    return date, precision


def find_issue(issues_dir: Path, slug: str | None) -> Path:
    """The folder of issue ``slug``, or of the newest issue when no slug is given."""
    if slug:
        folder = issues_dir / slug
        if not (folder / ISSUE_FILE).is_file():
            known = sorted(p.parent.name for p in issues_dir.glob(f"*/{ISSUE_FILE}"))
            raise SourceError(
                f"no issue {slug!r}", path=issues_dir,
                hint=(suggest(slug, known) or "issues: " + (", ".join(known) or "none yet"))
                + f"; create one with 'masthead new {slug}'",
            )  # fmt: skip
        return folder
    folders = sorted(issues_dir.glob(f"*/{ISSUE_FILE}"), key=_issue_sort_key)
    if not folders:
        raise SourceError("no issues yet", path=issues_dir, hint="create one with 'masthead new SLUG'")
    return folders[-1].parent


def _issue_sort_key(path: Path) -> tuple[Any, ...]:
    """Newest first by date, then by number: the order in which issues appear."""
    text = path.read_text(encoding="utf-8", errors="replace")  # only to sort; loading says what is wrong
    date = re.search(r"^date:\s*[\"']?([\d-]+)", text, re.MULTILINE)
    number = re.search(r"^number:\s*(\d+)", text, re.MULTILINE)
    return (date.group(1) if date else "", int(number.group(1)) if number else 0, path.parent.name)
