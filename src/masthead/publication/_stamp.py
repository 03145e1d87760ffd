"""The stamp a finished build leaves in a language's folder, and everything later stages read there.

The build decides once whether an edition may go out (it was built below the completeness threshold
with ``--force``, or not) and writes that verdict in the stamp, with what the archive shows of the
edition. ``masthead send``, the archive and the feed read the stamp; none of them opens a catalog.
Whether the edition is still up to date is the digests' to say (:mod:`._fingerprint`): the stamp
keeps the digest of each output (web page, email, PDF) as it was last made, each taken out before
that output is written again and put back once it is, so that an interrupted build is never taken
as finished.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from .._config import Config
from .._disk import write_atomic
from .._language import Language, find_language
from .._layout import STAMP, edition_folder
from ..sources import find_issue, load_issue
from ._fingerprint import stage_digests
from ._record import STAGES, WEB

_LOCK = STAMP + ".lock"


@dataclass(frozen=True)
class Stamp:
    stages: Mapping[str, str] = field(default_factory=dict)
    """The digest of everything each output (``web``, ``email``, ``pdf``) was last made from; none
    in a stamp of an earlier masthead, which is then never up to date."""
    links: tuple[str, ...] = ()
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
        fields = {**asdict(self), "stages": {s: self.stages[s] for s in STAGES if s in self.stages}}
        return json.dumps(fields, ensure_ascii=False, indent=1) + "\n"

    def current(self, digests: Mapping[str, str]) -> set[str]:
        """The outputs whose recorded digest is the one given."""
        return {stage for stage, digest in digests.items() if self.stages.get(stage) == digest}

    @property
    def issue_date(self) -> datetime.date:
        return datetime.date.fromisoformat(self.date)


def read_stamp(target: Path) -> Stamp | None:
    """The stamp in the language folder ``target``, or ``None`` if no build finished there."""
    path = target / STAMP
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None
    try:
        fields = json.loads(text)
    except ValueError:
        fields = None
    if not isinstance(fields, dict):
        # An earlier masthead wrote the digest and the linked tags on two lines: that build stands
        # (its links count) but is out of date, so that the next build writes a stamp of today's.
        lines = [*text.splitlines(), "", ""]
        return Stamp({}, tuple(lines[1].split()))
    known = {key: value for key, value in fields.items() if key in Stamp.__dataclass_fields__}
    known["links"] = tuple(known.get("links", ()))
    stages = known.get("stages")
    known["stages"] = {
        stage: digest
        for stage, digest in (stages.items() if isinstance(stages, dict) else ())
        if stage in STAGES and isinstance(digest, str)
    }
    return Stamp(**known)


@contextlib.contextmanager
def _locked(target: Path) -> Iterator[None]:
    """One process at a time changes ``target``'s stamp (a preview's build, and one started by hand)."""
    target.mkdir(parents=True, exist_ok=True)
    with open(target / _LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def withdraw(target: Path, stages: Iterable[str]) -> None:
    """Take ``stages`` out of ``target``'s stamp before their outputs are written again."""
    stages = set(stages)
    with _locked(target):
        stamp = read_stamp(target)
        if stamp is not None and stages & set(stamp.stages):
            kept = {stage: digest for stage, digest in stamp.stages.items() if stage not in stages}
            write_atomic(target / STAMP, replace(stamp, stages=kept).text())


def finish(target: Path, made: Stamp) -> None:
    """Record the outputs ``made.stages`` names as made, with what ``made`` says of the edition;
    the other outputs' digests stay, and the links are the web page's, so they change with it."""
    with _locked(target):
        stamp = read_stamp(target)
        stages = {**(stamp.stages if stamp is not None else {}), **made.stages}
        links = made.links if WEB in made.stages or stamp is None else stamp.links
        write_atomic(target / STAMP, replace(made, stages=stages, links=links).text())


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
        if problem is None:
            current = stamp.current(stage_digests(config, folder, lang, published))
            stale = [stage for stage in STAGES if stage not in current]
            if stale:
                problem = (
                    f"out of date ({', '.join(stale)}): its sources, catalogs, theme or settings changed;"
                    f" run 'masthead build {slug}'"
                )
        statuses.append(EditionStatus(lang, problem, stamp))
    return statuses
