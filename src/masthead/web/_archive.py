"""The archive: every issue's editions that may go out, per language, newest first.

What it shows of each edition, and whether it may go out, is what the build wrote in the edition's
stamp; whether the edition is still up to date takes hashing its inputs, so the answer is kept until a
file under the issues, catalogs, templates or output changes (seen from their sizes and times, which
costs a directory walk, not a read).
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
from dataclasses import dataclass

from .._config import CONFIG_FILE, Config
from .._disk import tree_signature
from .._errors import MastheadError
from .._language import Language, find_language
from .._layout import STAMP, edition_folder, pdf_path, web_path
from ..publication import EditionStatus, edition_status
from ..sources import ISSUE_FILE

logger = logging.getLogger("masthead.web")

RECHECK_SECONDS = 1.0
"""How long the archive is taken as it is before its files are looked at again."""


@dataclass(frozen=True)
class ArchiveEntry:
    """One published edition: what the archive page and the feed show of it."""

    slug: str
    language: Language
    number: int
    date: datetime.date
    title: str
    summary: str
    title_language: Language
    """The language the title is shown in: the source language where it is not translated yet."""
    summary_language: Language
    web_path: str
    """Relative to ``base_url``: ``<slug>/<lang>/index.html``."""
    pdf_path: str
    updated: datetime.datetime
    """When the edition was built (its build stamp's time)."""


class Archive:
    def __init__(self, config: Config) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._key = ""
        self._entries: tuple[ArchiveEntry, ...] = ()
        self._checked = -RECHECK_SECONDS

    def entries(self) -> tuple[ArchiveEntry, ...]:
        """Every edition that may go out, newest issue first (looked at again after a second)."""
        with self._lock:
            now = time.monotonic()
            if now - self._checked >= RECHECK_SECONDS:
                key = self._signature()
                if key != self._key:
                    self._entries = tuple(self._collect())
                    self._key = key
                self._checked = now
            return self._entries

    def version(self) -> str:
        """What the archive is made of now (a digest of its files' sizes and times): it changes when
        an edition, a catalog, a template or the settings change, and with it every page kept."""
        self.entries()
        return self._key

    def languages(self) -> tuple[Language, ...]:
        """The configured languages that have at least one edition out, in the configured order."""
        found = {entry.language for entry in self.entries()}
        return tuple(lang for lang in self.config.languages if lang in found)

    def for_language(self, language: Language) -> tuple[ArchiveEntry, ...]:
        return tuple(entry for entry in self.entries() if entry.language == language)

    def _signature(self) -> str:
        config = self.config
        folders = [config.issues_dir, config.locales_dir, config.templates_dir, config.output]
        return tree_signature(folders, [config.root / CONFIG_FILE])

    def _collect(self) -> list[ArchiveEntry]:
        config = self.config
        entries: list[ArchiveEntry] = []
        for issue_file in config.issues_dir.glob(f"*/{ISSUE_FILE}"):
            slug = issue_file.parent.name
            try:
                statuses = edition_status(config, slug)
            except MastheadError as exc:
                logger.warning("archive: %s left out: %s", slug, exc)
                continue
            entries += [self._entry(slug, status) for status in statuses if status.problem is None]
        entries.sort(key=lambda e: (e.date, e.number, e.slug), reverse=True)
        return entries

    def _entry(self, slug: str, status: EditionStatus) -> ArchiveEntry:
        config, stamp, lang = self.config, status.stamp, status.language
        built = edition_folder(config.output, slug, lang.tag)
        return ArchiveEntry(
            slug=slug,
            language=lang,
            number=stamp.number,
            date=stamp.issue_date,
            title=stamp.title,
            summary=stamp.summary,
            title_language=find_language(stamp.title_language, config.languages) or lang,
            summary_language=find_language(stamp.summary_language, config.languages) or lang,
            web_path=web_path(slug, lang.tag),
            pdf_path=pdf_path(slug, lang.tag),
            updated=datetime.datetime.fromtimestamp((built / STAMP).stat().st_mtime, datetime.UTC),
        )
