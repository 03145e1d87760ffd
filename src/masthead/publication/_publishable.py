"""Which editions of an issue a build publishes: the completeness threshold, decided once per build
and recorded in each edition's stamp (:mod:`._stamp`), where sending and the archive read it."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from babel.messages.catalog import Catalog

from .._config import Config
from .._language import Language
from .._layout import edition_folder
from ..catalogs import completeness, issue_catalog, po_path
from ..editions import Edition, source_edition, translated_edition
from ..sources import Issue
from ._stamp import read_stamp

__all__ = ["Publishable", "linked_languages", "publishable_editions"]


@dataclass(frozen=True)
class Publishable:
    """What a build makes of the languages asked for."""

    editions: list[Edition]
    skipped: list[tuple[Language, str]]
    """The languages left out, with the reason (below the threshold)."""
    withheld: dict[Language, str]
    """The editions built with ``force`` below the threshold, with the reason: never sent as they are."""


def publishable_editions(
    config: Config, issue: Issue, languages: Sequence[Language], *, force: bool
) -> Publishable:
    """The editions to publish, those left out, and those built with ``force`` that may not go out."""
    found = Publishable([], [], {})
    for lang in languages:
        if lang == config.source_language:
            found.editions.append(source_edition(issue, lang))
            continue
        catalog = _issue_catalog(config, issue, lang)
        reason = _below_threshold(config, issue, lang, catalog)
        if reason is not None and not force:
            found.skipped.append((lang, reason))
            continue
        if reason is not None:
            found.withheld[lang] = f"built with --force: {reason}"
        found.editions.append(
            translated_edition(
                issue,
                lang,
                catalog,
                publish_machine=config.translation.publish_machine,
                publish_previous=config.catalogs.publish_previous,
            )
        )
    return found


def unpublishable(config: Config, issue: Issue) -> dict[Language, str]:
    """The configured languages a plain build leaves out, each with the reason. Only completeness
    is counted: no edition is made (and no fallback warned about) for a language not being built."""
    found = {}
    for lang in config.languages:
        if lang != config.source_language:
            reason = _below_threshold(config, issue, lang, _issue_catalog(config, issue, lang))
            if reason is not None:
                found[lang] = reason
    return found


_read: OrderedDict[tuple[str, str], Catalog] = OrderedDict()
"""Catalogs already read in this process, by file and digest of its contents (a preview builds
again and again while the catalogs stay as they are). They are only ever read from."""
_KEPT = 32


def _issue_catalog(config: Config, issue: Issue, language: Language) -> Catalog | None:
    """The issue's catalog in ``language``, read once per contents in this process."""
    path = po_path(config.locales_dir, language, issue.slug)
    try:
        key = (str(path), hashlib.sha256(path.read_bytes()).hexdigest())
    except OSError:
        return issue_catalog(config, issue, language)
    known = _read.get(key)
    if known is not None:
        _read.move_to_end(key)
        return known
    catalog = issue_catalog(config, issue, language)
    try:
        unchanged = hashlib.sha256(path.read_bytes()).hexdigest() == key[1]
    except OSError:
        unchanged = False
    if catalog is not None and unchanged:  # what was parsed is what the key says
        _read[key] = catalog
        while len(_read) > _KEPT:
            _read.popitem(last=False)
    return catalog


def _below_threshold(config: Config, issue: Issue, lang: Language, catalog: Catalog | None) -> str | None:
    threshold = config.catalogs.threshold
    percent = completeness(
        issue, catalog, config.translation.publish_machine, config.catalogs.publish_previous
    )
    if percent >= threshold:
        return None
    if catalog is None:
        return f"no catalog yet: run 'masthead catalog update {issue.slug} -l {lang.tag}'"
    return f"{percent:.1f} % translated, below the {threshold:g} % threshold"


def linked_languages(config: Config, issue: Issue, building: Sequence[Language]) -> list[Language]:
    """The languages an edition links to: every language a plain build publishes (those that pass
    the threshold), every one already built in the output folder, and those being built now.
    They do not depend on which languages one run builds, so a single-language build links to the
    others and leaves the next plain build with nothing to do."""
    left_out = unpublishable(config, issue)
    linked = {lang for lang in config.languages if lang not in left_out} | set(building)
    return [
        lang
        for lang in config.languages
        if lang in linked or read_stamp(edition_folder(config.output, issue.slug, lang.tag)) is not None
    ]
