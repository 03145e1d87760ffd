"""Updating a language's catalog from its template without losing a single human translation.

Babel's own update keeps exact matches and makes removed messages obsolete; its fuzzy matching
compares every new message with every old one through difflib, which takes seconds per edit in
a real catalog. We ask Babel for the exact part only and do the matching with rapidfuzz, whose
C++ scorers compare a message with thousands of candidates in milliseconds.
"""

from __future__ import annotations

import copy
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from rapidfuzz import fuzz, process

from .._language import Language
from ._files import read_catalog

# How similar (0-100, rapidfuzz ratio) an old message must be to carry its translation over as fuzzy.
# A message's own previous version is the likeliest source of its translation, so it needs less.
OWN_CUTOFF = 60.0
MEMORY_CUTOFF = 80.0


@dataclass
class TranslationMemory:
    """Translated messages of one language from its other catalogs (earlier issues, the theme)."""

    exact: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_catalogs(
        cls, paths: Iterable[Path], locale: str, *, cache: Path | None = None
    ) -> TranslationMemory:
        """The memory of the catalogs at ``paths``. With a ``cache`` file, a catalog is parsed
        only when it changed since the last time: parsing is what costs with many issues behind."""
        memory = cls()
        with _MemoryCache(cache) as known:
            for path in paths:
                entries = known.get(path)
                if entries is None:
                    entries = [
                        (str(m.id), str(m.string))
                        for m in read_catalog(path, locale=locale)
                        if _usable(m) and isinstance(m.id, str)
                    ]
                    known.put(path, entries)
                for msgid, string in entries:
                    memory.exact.setdefault(msgid, string)
        return memory


class _MemoryCache:
    """The translated entries of each catalog, keyed by its path, size and modification time."""

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._db: sqlite3.Connection | None = None

    def __enter__(self) -> _MemoryCache:
        if self._path is not None:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self._path, timeout=10.0)
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS catalogs (path TEXT PRIMARY KEY, stamp TEXT, entries TEXT)"
            )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._db is not None:
            self._db.commit()
            self._db.close()

    @staticmethod
    def _stamp(path: Path) -> str:
        status = path.stat()
        return f"{status.st_mtime_ns}:{status.st_size}"

    def get(self, path: Path) -> list[tuple[str, str]] | None:
        if self._db is None:
            return None
        row = self._db.execute(
            "SELECT entries FROM catalogs WHERE path = ? AND stamp = ?", (str(path), self._stamp(path))
        ).fetchone()
        return [(msgid, string) for msgid, string in json.loads(row[0])] if row else None

    def put(self, path: Path, entries: list[tuple[str, str]]) -> None:
        if self._db is not None:
            self._db.execute(
                "INSERT OR REPLACE INTO catalogs VALUES (?, ?, ?)",
                (str(path), self._stamp(path), json.dumps(entries, ensure_ascii=False)),
            )


@dataclass(frozen=True)
class UpdateSummary:
    added: int = 0
    from_memory: int = 0
    fuzzy: int = 0
    obsolete: int = 0


def update_catalog(
    template: Catalog, existing: Catalog | None, language: Language, memory: TranslationMemory
) -> tuple[Catalog, UpdateSummary]:
    """Return ``existing`` (or a new catalog) brought up to date with ``template``."""
    catalog = existing or Catalog(
        locale=language.catalog_name,
        domain=template.domain,
        project=template.project,
        version=template.version,
        header_comment=template.header_comment.rstrip("#\n") + f"\n# {language.display_name}.\n#",
        language_team=f"{language.display_name} ({language.tag})",
        fuzzy=False,
    )
    before = {message.id for message in catalog if message.id}
    # Babel's update puts the template's own new messages into the catalog: filled in here, they
    # would carry this language's translations into the next language updated from the template.
    template = copy.deepcopy(template)
    # Babel's update keeps a fuzzy entry's translation and flags but not its previous msgid.
    previous = {m.id: m.previous_id for m in catalog if m.id and m.fuzzy and m.previous_id}
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=True)
    for message in catalog:
        if message.fuzzy and message.id in previous and not message.previous_id:
            message.previous_id = previous[message.id]
    # Each old message that disappeared is a candidate source for a changed one.
    # An entry nobody translated has nothing to keep once its source is gone.
    for key in [key for key, message in catalog.obsolete.items() if not message.string]:
        del catalog.obsolete[key]
    candidates = {
        str(message.id): message
        for message in catalog.obsolete.values()
        if isinstance(message.id, str) and message.string
    }
    memory_keys = list(memory.exact)
    added = from_memory = fuzzy = 0
    for message in catalog:
        if not message.id or message.string or not isinstance(message.id, str):
            continue
        added += message.id not in before
        if message.id in memory.exact:
            message.string = memory.exact[message.id]
            from_memory += 1
            continue
        match = _closest(message.id, list(candidates), OWN_CUTOFF)
        if match:
            candidates.pop(match)
            old = catalog.obsolete.pop(match)
            _carry(message, match, str(old.string))
            fuzzy += 1
            continue
        match = _closest(message.id, memory_keys, MEMORY_CUTOFF)
        if match:
            _carry(message, match, memory.exact[match])
            fuzzy += 1
    return catalog, UpdateSummary(added, from_memory, fuzzy, len(catalog.obsolete))


def _closest(text: str, choices: list[str], cutoff: float) -> str | None:
    if not choices:
        return None
    found = process.extractOne(text, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
    return str(found[0]) if found else None


def _carry(message: Message, previous_id: str, translation: str) -> None:
    """Give ``message`` a translation made for ``previous_id``: fuzzy, with the previous msgid shown."""
    message.string = translation
    message.flags.add("fuzzy")
    message.previous_id = [previous_id]


def _usable(message: Message) -> bool:
    return bool(message.id) and bool(message.string) and not message.fuzzy
