"""``build()``: the whole pipeline for one issue, top to bottom."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .._config import Config
from .._language import Language
from .._layout import issue_folder
from ..catalogs import missing_theme, theme_problems, workspace_path
from ..editions import changed_warning
from ..images import LowResolution, remove_stale
from ..publication import fingerprint, is_current, linked_languages, publishable_editions
from ..sources import find_issue, load_issue
from ..theme import fast_subsetting, theme_contrast
from ._issue_images import prepare_issue_images
from ._parallel import LanguageBuild, LanguageJob, render_languages, workers

__all__ = ["BuildReport", "LanguageBuild", "build"]

logger = logging.getLogger("masthead.build")


@dataclass(frozen=True)
class BuildReport:
    slug: str
    folder: Path
    built: tuple[LanguageBuild, ...] = ()
    skipped: tuple[tuple[Language, str], ...] = field(default_factory=tuple)
    unchanged: tuple[Language, ...] = ()
    low_resolution: tuple[LowResolution, ...] = ()
    """Images with fewer pixels than print needs at the size it places them (also logged)."""


def build(
    config: Config,
    slug: str | None = None,
    languages: Sequence[str] = (),
    *,
    force: bool = False,
    jobs: int | None = None,
) -> BuildReport:
    """Build issue ``slug`` (the newest if ``None``) in ``languages`` (every configured one if empty).

    The issue's images are prepared first, once for all languages (see :mod:`masthead.images`);
    then languages are rendered in ``jobs`` parallel processes (default: one per core). A language
    whose inputs have not changed since its last build is not rebuilt, and one below the
    completeness threshold is skipped with a warning; ``force`` builds both anyway.
    """
    folder = find_issue(config.issues_dir, slug)
    issue = load_issue(folder, root=config.root)
    selected = [config.language(tag) for tag in languages] or list(config.languages)
    out = issue_folder(config.output, issue.slug)
    logger.info("building %s in %s", issue.slug, ", ".join(lang.tag for lang in selected))

    publishable = publishable_editions(config, issue, selected, force=force)
    editions, skipped = publishable.editions, publishable.skipped
    for lang, reason in skipped:
        logger.warning("%s: skipped, %s (build it anyway with --force)", lang.tag, reason)

    for edition in editions:
        # Never silently: each message printed otherwise than its translator left it, by its line.
        warning = changed_warning(edition, config.source_language)
        if warning:
            logger.warning("%s", warning)
        missing = missing_theme(config, edition.language)
        if missing:
            logger.warning("%s", missing)
        for problem in theme_problems(config, edition.language):
            located = replace(problem, path=workspace_path(config, problem.path))
            logger.warning("%s: %s", edition.language.tag, located.format())
    published = linked_languages(config, issue, [edition.language for edition in editions])
    _warn_contrast(config, [edition.language for edition in editions])
    jobs_to_run: list[LanguageJob] = []
    unchanged: list[Language] = []
    for edition in editions:
        target = out / edition.language.tag
        digest = fingerprint(config, folder, edition.language, published)
        withheld = publishable.withheld.get(edition.language)
        job = LanguageJob(edition, config, target, tuple(published), digest, withheld)
        if not force and is_current(target, digest, job.outputs):
            logger.info("%s: up to date", edition.language.tag)
            unchanged.append(edition.language)
        else:
            jobs_to_run.append(job)

    if jobs_to_run and not fast_subsetting():
        logger.warning("fonts are subset by the slow fallback: install libharfbuzz-subset0 (masthead doctor)")
    # Every core works on the images first, even for one language; no process starts for none.
    processes = min(jobs or os.cpu_count() or 1, max(len(jobs_to_run), 2)) if jobs_to_run else 1
    with workers(processes) as run:
        images = prepare_issue_images(config, issue, out, run)
        built = render_languages([replace(job, images=images) for job in jobs_to_run], run)
    remove_stale(out, images.files)
    return BuildReport(
        issue.slug, folder, tuple(built), tuple(skipped), tuple(unchanged), images.low_resolution
    )


def _warn_contrast(config: Config, languages: Sequence[Language]) -> None:
    """A warning for each pair of theme colours that contrasts too little (an override in the
    workspace's tokens.css, mostly): readers with low vision could not read that text."""
    override = config.templates_dir / "tokens.css"
    where = str(override.relative_to(config.root)) if override.is_file() else "the theme's tokens.css"
    for problem in theme_contrast(config, languages):
        logger.warning("%s: %s", where, problem)
