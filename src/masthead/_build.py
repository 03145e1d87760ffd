"""``build()``: the whole pipeline for one issue, top to bottom."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ._config import Config
from ._fingerprint import fingerprint, is_current, read_stamp
from ._language import Language
from ._output import copy_if_changed
from ._parallel import LanguageBuild, LanguageJob, render_languages
from .catalogs import issue_catalog
from .editions import Edition, source_edition, translated_edition
from .render import fast_subsetting
from .sources import Issue, find_issue, load_issue

__all__ = ["BuildReport", "EditionStatus", "LanguageBuild", "build", "edition_status"]

logger = logging.getLogger("masthead.build")


@dataclass(frozen=True)
class BuildReport:
    slug: str
    folder: Path
    built: tuple[LanguageBuild, ...] = ()
    skipped: tuple[tuple[Language, str], ...] = field(default_factory=tuple)
    unchanged: tuple[Language, ...] = ()


def build(
    config: Config,
    slug: str | None = None,
    languages: Sequence[str] = (),
    *,
    force: bool = False,
    jobs: int | None = None,
) -> BuildReport:
    """Build issue ``slug`` (the newest if ``None``) in ``languages`` (every configured one if empty).

    Languages are rendered in ``jobs`` parallel processes (default: one per core). A language whose
    inputs have not changed since its last build is not rebuilt, and one below the completeness
    threshold is skipped with a warning; ``force`` builds both anyway.
    """
    folder = find_issue(config.issues_dir, slug)
    issue = load_issue(folder, root=config.root)
    selected = [config.language(tag) for tag in languages] or list(config.languages)
    out = config.output / issue.slug
    logger.info("building %s in %s", issue.slug, ", ".join(lang.tag for lang in selected))

    for image in issue.images:
        copy_if_changed(folder / image, out / image)

    editions, skipped = _editions(config, issue, selected, force=force)
    for lang, reason in skipped:
        logger.warning("%s: skipped, %s (build it anyway with --force)", lang.tag, reason)

    published = [edition.language for edition in editions]
    jobs_to_run: list[LanguageJob] = []
    unchanged: list[Language] = []
    for edition in editions:
        target = out / edition.language.tag
        digest = fingerprint(config, folder, edition.language, published)
        job = LanguageJob(edition, config, target, tuple(published), digest)
        if not force and is_current(target, digest, job.outputs):
            logger.info("%s: up to date", edition.language.tag)
            unchanged.append(edition.language)
        else:
            jobs_to_run.append(job)

    if jobs_to_run and not fast_subsetting():
        logger.warning("fonts are subset by the slow fallback: install libharfbuzz-subset0 (masthead doctor)")
    built = render_languages(jobs_to_run, jobs)
    return BuildReport(issue.slug, folder, tuple(built), tuple(skipped), tuple(unchanged))


def _editions(
    config: Config, issue: Issue, languages: Sequence[Language], *, force: bool
) -> tuple[list[Edition], list[tuple[Language, str]]]:
    """The editions to publish, and the languages left out with the reason (below the threshold)."""
    editions: list[Edition] = []
    skipped: list[tuple[Language, str]] = []
    threshold = config.catalogs.threshold
    for lang in languages:
        if lang == config.source_language:
            editions.append(source_edition(issue, lang))
            continue
        catalog = issue_catalog(config, issue, lang)
        edition = translated_edition(issue, lang, catalog, publish_machine=config.translation.publish_machine)
        if edition.completeness < threshold and not force:
            reason = (
                f"{edition.completeness:.1f} % translated, below the {threshold:g} % threshold"
                if catalog is not None
                else f"no catalog yet: run 'masthead catalog update {issue.slug} -l {lang.tag}'"
            )
            skipped.append((lang, reason))
            continue
        editions.append(edition)
    return editions, skipped


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
    out = config.output / issue.slug
    _, skipped = _editions(config, issue, config.languages, force=False)
    incomplete = dict(skipped)
    statuses = []
    for lang in config.languages:
        stamp = read_stamp(out / lang.tag)
        if stamp is None:
            continue
        digest, published_tags = stamp
        configured = {language.tag: language for language in config.languages}
        published = [configured[tag] for tag in published_tags if tag in configured]
        problem = None
        if lang in incomplete:
            problem = f"built with --force: {incomplete[lang]}"
        elif fingerprint(config, folder, lang, published) != digest:
            problem = (
                f"out of date: its sources, catalogs, theme or settings changed; run 'masthead build {slug}'"
            )
        statuses.append(EditionStatus(lang, problem))
    return statuses
