"""Which editions of an issue may go out: the completeness threshold a build applies, and whether a
finished build may be sent as it is.

Delivery and the web service ask this without the renderer: nothing here imports WeasyPrint.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from babel.messages.catalog import Catalog

from ._config import Config
from ._fingerprint import fingerprint, read_stamp
from ._language import Language, find_language
from ._layout import edition_folder
from .catalogs import completeness, issue_catalog
from .editions import Edition, source_edition, translated_edition
from .sources import Issue, find_issue, load_issue

__all__ = ["EditionStatus", "edition_status", "linked_languages", "publishable_editions"]


def publishable_editions(
    config: Config, issue: Issue, languages: Sequence[Language], *, force: bool
) -> tuple[list[Edition], list[tuple[Language, str]]]:
    """The editions to publish, and the languages left out with the reason (below the threshold)."""
    editions: list[Edition] = []
    skipped: list[tuple[Language, str]] = []
    for lang in languages:
        if lang == config.source_language:
            editions.append(source_edition(issue, lang))
            continue
        catalog = issue_catalog(config, issue, lang)
        reason = _below_threshold(config, issue, lang, catalog)
        if reason is not None and not force:
            skipped.append((lang, reason))
            continue
        editions.append(
            translated_edition(issue, lang, catalog, publish_machine=config.translation.publish_machine)
        )
    return editions, skipped


def unpublishable(config: Config, issue: Issue) -> dict[Language, str]:
    """The configured languages a plain build leaves out, each with the reason. Only completeness
    is counted: no edition is made (and no fallback warned about) for a language not being built."""
    found = {}
    for lang in config.languages:
        if lang != config.source_language:
            reason = _below_threshold(config, issue, lang, issue_catalog(config, issue, lang))
            if reason is not None:
                found[lang] = reason
    return found


def _below_threshold(config: Config, issue: Issue, lang: Language, catalog: Catalog | None) -> str | None:
    threshold = config.catalogs.threshold
    percent = completeness(issue, catalog, config.translation.publish_machine)
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


@dataclass(frozen=True)
class EditionStatus:
    """Whether a language's built edition can be sent as it is."""

    language: Language
    problem: str | None
    """Why this edition should not go out (out of date, below the threshold), or ``None``."""


def edition_status(config: Config, slug: str) -> list[EditionStatus]:
    """The state of every language of issue ``slug`` that has a finished build."""
    folder = find_issue(config.issues_dir, slug)
    issue = load_issue(folder, root=config.root)
    incomplete = unpublishable(config, issue)
    statuses = []
    for lang in config.languages:
        stamp = read_stamp(edition_folder(config.output, issue.slug, lang.tag))
        if stamp is None:
            continue
        digest, published_tags = stamp
        found = (find_language(tag, config.languages) for tag in published_tags)
        published = [language for language in found if language is not None]
        problem = None
        if lang in incomplete:
            problem = f"built with --force: {incomplete[lang]}"
        elif fingerprint(config, folder, lang, published) != digest:
            problem = (
                f"out of date: its sources, catalogs, theme or settings changed; run 'masthead build {slug}'"
            )
        statuses.append(EditionStatus(lang, problem))
    return statuses
