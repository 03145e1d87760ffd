"""``masthead init`` and ``masthead new``: a workspace and an issue that build at once."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from ._config import CONFIG_FILE, commented_settings
from ._errors import MastheadError
from .sources import ISSUE_FILE

_ISSUE = """\
number: {number}
date: {date}
title: {title}
summary: What this issue is about, in a sentence or two.
sections:
  - title: News
    layout: standard
    articles: [welcome]
colophon:
  - role: Editor
    names: [Your Name]
back:
  about: Who we are and what this newsletter is for.
  website: https://news.example.org
  email: editor@news.example.org
"""

_ARTICLE = """\
---
title: Welcome to the first issue
standfirst: A short line that tells readers why this article matters.
---
Write the article here in Markdown. Each paragraph becomes one message for translators.

## A subheading

- A list item
- Another one
"""

# Outputs, caches, and the subscriber store and outbox: personal data stays out of the repository.
_GITIGNORE = "build/\n*.mo\n.venv/\n.masthead-cache/\nsubscribers.sqlite3*\noutbox/\n"


def init_workspace(folder: Path, name: str | None = None) -> Path:
    """Create a workspace in ``folder`` with settings and a first issue; never overwrite a file."""
    folder = folder.resolve()
    if (folder / CONFIG_FILE).exists():
        raise MastheadError(
            "there is already a workspace here", path=folder / CONFIG_FILE,
            hint="edit masthead.toml, or choose another folder",
        )  # fmt: skip
    name = name or folder.name.replace("-", " ").replace("_", " ").title()
    settings = commented_settings(
        {
            "newsletter.name": [name],
            "newsletter.publisher": name,
            "newsletter.base_url": "https://news.example.org/",
            "email.sender": f"{name} <news@example.org>",
        }
    )
    _write_new(folder / CONFIG_FILE, settings)
    _write_new(folder / ".gitignore", _GITIGNORE)
    for sub in ("templates", "locales"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    new_issue(folder / "issues", "first-issue")
    return folder


def new_issue(issues_dir: Path, slug: str, today: datetime.date | None = None) -> Path:
    """Create ``issues/<slug>/`` with an issue file and a first article."""
    if not re.match(r"^[a-z0-9][a-z0-9-]*$", slug):
        raise MastheadError(
            f"{slug!r} is not a valid issue slug",
            hint="use lower-case letters, digits and hyphens, such as 'spring-2027'",
        )
    folder = issues_dir / slug
    if (folder / ISSUE_FILE).exists():
        raise MastheadError(
            f"issue {slug!r} already exists",
            path=folder / ISSUE_FILE,
            hint=f"choose another slug, or edit the issue in {issues_dir.name}/{slug}/",
        )
    date = (today or datetime.date.today()).isoformat()
    title = slug.replace("-", " ").capitalize()
    _write_new(folder / ISSUE_FILE, _ISSUE.format(number=_next_number(issues_dir), date=date, title=title))
    _write_new(folder / "welcome.md", _ARTICLE)
    (folder / "images").mkdir(exist_ok=True)
    return folder


_NUMBER = re.compile(r"^number:\s*(\d+)", re.MULTILINE)


def _next_number(issues_dir: Path) -> int:
    """One more than the highest issue number so far, so a new issue is also the newest."""
    numbers = [
        int(match.group(1))
        for path in issues_dir.glob(f"*/{ISSUE_FILE}")
        if (match := _NUMBER.search(path.read_text(encoding="utf-8", errors="replace")))
    ]
    return max(numbers, default=0) + 1


def _write_new(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as stream:  # "x": never overwrite what a person wrote
        stream.write(text)
