"""Updating a language's catalog from its template without losing a single human translation.

Babel's own update keeps exact matches and makes removed messages obsolete; its fuzzy matching
compares every new message with every old one through difflib, which takes seconds per edit in
a real catalog. We ask Babel for the exact part only and do the matching with rapidfuzz, whose
C++ scorers compare a message with thousands of candidates in milliseconds.
"""

from __future__ import annotations

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
    def from_catalogs(cls, paths: Iterable[Path], locale: str) -> TranslationMemory:
        memory = cls()
        for path in paths:
            for message in read_catalog(path, locale=locale):
                if _usable(message) and isinstance(message.id, str):
                    memory.exact.setdefault(message.id, str(message.string))
        return memory


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
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=True)
    # Each old message that disappeared is a candidate source for a changed one.
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
