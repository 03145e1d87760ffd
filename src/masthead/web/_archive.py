"""The archive: every issue's editions that may go out, per language, newest first.

Working this out reads every issue's sources and catalogs and hashes its inputs, so the answer is kept
until a file under the issues, catalogs, templates or output changes (seen from their sizes and times,
which costs a directory walk, not a read).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .._config import CONFIG_FILE, Config
from .._errors import MastheadError
from .._language import Language
from .._layout import STAMP, edition_folder, pdf_path, web_path
from .._publishable import edition_status
from ..catalogs import issue_catalog
from ..editions import source_edition, translated_edition
from ..render._theme import plain
from ..sources import ISSUE_FILE, Text, load_issue

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

    def languages(self) -> tuple[Language, ...]:
        """The configured languages that have at least one edition out, in the configured order."""
        found = {entry.language for entry in self.entries()}
        return tuple(lang for lang in self.config.languages if lang in found)

    def for_language(self, language: Language) -> tuple[ArchiveEntry, ...]:
        return tuple(entry for entry in self.entries() if entry.language == language)

    def _signature(self) -> str:
        config = self.config
        digest = hashlib.sha256()
        folders = [config.issues_dir, config.locales_dir, config.templates_dir, config.output]
        for folder in folders:
            for top, dirs, files in os.walk(folder):
                dirs.sort()
                for name in sorted(files):
                    try:
                        info = os.stat(os.path.join(top, name))
                    except OSError:
                        continue
                    digest.update(f"{top}/{name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
        config_file = config.root / CONFIG_FILE
        if config_file.is_file():
            digest.update(str(config_file.stat().st_mtime_ns).encode())
        return digest.hexdigest()

    def _collect(self) -> list[ArchiveEntry]:
        config = self.config
        entries: list[ArchiveEntry] = []
        for issue_file in config.issues_dir.glob(f"*/{ISSUE_FILE}"):
            slug = issue_file.parent.name
            try:
                ready = [s.language for s in edition_status(config, slug) if s.problem is None]
                if ready:
                    entries += self._issue_entries(issue_file.parent, ready)
            except MastheadError as exc:
                logger.warning("archive: %s left out: %s", slug, exc)
        entries.sort(key=lambda e: (e.date, e.number, e.slug), reverse=True)
        return entries

    def _issue_entries(self, folder: Path, languages: list[Language]) -> list[ArchiveEntry]:
        config = self.config
        issue = load_issue(folder, root=config.root)
        entries = []
        for lang in languages:
            if lang == config.source_language:
                edition = source_edition(issue, lang)
            else:
                catalog = issue_catalog(config, issue, lang)
                edition = translated_edition(
                    issue, lang, catalog, publish_machine=config.translation.publish_machine
                )
            built = edition_folder(config.output, issue.slug, lang.tag)
            stamp = built / STAMP
            entries.append(
                ArchiveEntry(
                    slug=issue.slug,
                    language=lang,
                    number=issue.number,
                    date=issue.date,
                    title=plain(edition.issue.title),
                    summary=plain(edition.issue.summary),
                    title_language=_shown_in(edition.issue.title, lang, config.source_language),
                    summary_language=_shown_in(edition.issue.summary, lang, config.source_language),
                    web_path=web_path(issue.slug, lang.tag),
                    pdf_path=pdf_path(issue.slug, lang.tag),
                    updated=datetime.datetime.fromtimestamp(stamp.stat().st_mtime, datetime.UTC),
                )
            )
        return entries


def _shown_in(text: Text | None, language: Language, source: Language) -> Language:
    """The language a reader sees ``text`` in: a text with no translation falls back to the source."""
    if text is None or language == source or text.translation is not None:
        return language
    return source
