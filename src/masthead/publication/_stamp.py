"""The stamp a finished build leaves in a language's folder, and everything later stages read there.

The build decides once whether an edition may go out (it was built below the completeness threshold
with ``--force``, or not) and writes that verdict in the stamp, with what the archive shows of the
edition. ``masthead send``, the archive and the feed read the stamp; none of them opens a catalog.
Whether the edition is still up to date is the digest's to say (:mod:`._fingerprint`).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from .._config import Config
from .._language import Language, find_language
from .._layout import STAMP, edition_folder
from ..sources import find_issue, load_issue
from ._fingerprint import fingerprint


@dataclass(frozen=True)
class Stamp:
    digest: str
    """The digest of everything the outputs were made from; empty in a stamp of an earlier masthead,
    which is then never up to date."""
    links: tuple[str, ...]
    """The tags of the languages the edition links to."""
    withheld: str | None = None
    """Why the edition may not go out as it is (built with ``--force`` below the completeness
    threshold), or ``None``."""
    number: int = 0
    date: str = ""
    """The issue's date, ``YYYY-MM-DD``."""
    title: str = ""
    """The issue's title in the edition, as plain text."""
    summary: str = ""
    title_language: str = ""
    """The tag of the language the title is shown in: the source language's where it is not translated."""
    summary_language: str = ""

    def text(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1) + "\n"

    @property
    def issue_date(self) -> datetime.date:
        return datetime.date.fromisoformat(self.date)


def read_stamp(target: Path) -> Stamp | None:
    """The stamp in the language folder ``target``, or ``None`` if no build finished there."""
    path = target / STAMP
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    try:
        fields = json.loads(text)
    except ValueError:
        fields = None
    if not isinstance(fields, dict):
        # An earlier masthead wrote the digest and the linked tags on two lines: that build stands
        # (its links count) but is out of date, so that the next build writes a stamp of today's.
        lines = [*text.splitlines(), "", ""]
        return Stamp("", tuple(lines[1].split()))
    known = {key: value for key, value in fields.items() if key in Stamp.__dataclass_fields__}
    known["links"] = tuple(known.get("links", ()))
    return Stamp(**known)


def is_current(target: Path, digest: str, outputs: Iterable[Path]) -> bool:
    """Whether ``target`` holds a finished build of exactly these inputs."""
    stamp = read_stamp(target)
    return stamp is not None and stamp.digest == digest and all(path.is_file() for path in outputs)


@dataclass(frozen=True)
class EditionStatus:
    """Whether a language's built edition can be sent as it is."""

    language: Language
    problem: str | None
    """Why this edition should not go out (out of date, below the threshold), or ``None``."""
    stamp: Stamp
    """What the build recorded of the edition."""


def edition_status(config: Config, slug: str) -> list[EditionStatus]:
    """The state of every language of issue ``slug`` that has a finished build."""
    folder = find_issue(config.issues_dir, slug)
    issue = load_issue(folder, root=config.root)
    statuses = []
    for lang in config.languages:
        stamp = read_stamp(edition_folder(config.output, issue.slug, lang.tag))
        if stamp is None:
            continue
        found = (find_language(tag, config.languages) for tag in stamp.links)
        published = [language for language in found if language is not None]
        problem = stamp.withheld
        if problem is None and fingerprint(config, folder, lang, published) != stamp.digest:
            problem = (
                f"out of date: its sources, catalogs, theme or settings changed; run 'masthead build {slug}'"
            )
        statuses.append(EditionStatus(lang, problem, stamp))
    return statuses
