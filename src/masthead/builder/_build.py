"""``build()``: the whole pipeline for one issue, top to bottom."""

from __future__ import annotations

import logging
import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .._config import Config
from .._language import Language
from .._layout import issue_folder
from ..catalogs import missing_theme, theme_problems, workspace_path
from ..editions import changed_warning
from ..images import LowResolution, Placement
from ..publication import (
    PDF,
    STAGES,
    Outcome,
    Request,
    Snapshot,
    Transcript,
    input_digests,
    input_paths,
    linked_languages,
    nothing_to_do,
    publishable_editions,
    read_stamp,
    remember,
    with_links,
)
from ..sources import find_issue, load_issue
from ..theme import fast_subsetting, theme_contrast
from ._durations import recall_seconds, record_seconds
from ._issue_images import prepare_issue_images
from ._parallel import LanguageBuild, LanguageJob, outputs, render_languages, split_for_workers, workers

__all__ = ["STAGES", "BuildReport", "LanguageBuild", "build"]

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
    stages: Collection[str] = STAGES,
) -> BuildReport:
    """Build issue ``slug`` (the newest if ``None``) in ``languages`` (every configured one if
    empty): of each, the outputs ``stages`` names (``web``, ``email``, ``pdf``; all by default).

    A stage whose inputs have not changed since it was last built is not built again, and a
    language below the completeness threshold is skipped with a warning; ``force`` builds both
    anyway. A build asked again with nothing changed knows it from the record of the last one (see
    :mod:`masthead.publication`) without reading the issue. The issue's images are prepared first,
    once for all languages (see :mod:`masthead.images`): for print only when a PDF is to be made,
    so that a build of web pages and emails lays nothing out. Then the outputs are rendered in
    ``jobs`` parallel processes (default: one per core), each language's PDF apart from its web
    page and email.
    """
    wanted = tuple(stage for stage in STAGES if stage in stages)
    unknown = set(stages) - set(STAGES)
    if unknown or not wanted:
        raise ValueError(f"stages must be among {', '.join(STAGES)}, not {sorted(unknown) or 'none'}")
    request = Request(slug, tuple(languages), wanted)
    if not force:
        recalled = nothing_to_do(config.root, request)
        if recalled is not None:
            return _recalled_report(config, recalled)

    inputs = Snapshot.of(input_paths(config.root), racy=True)  # before anything is read
    # What the build says before rendering (which languages, what is wrong with them) is kept, to
    # be said again by a build with nothing to do.
    transcript = Transcript()
    listener = logging.getLogger("masthead")
    listener.addHandler(transcript)
    try:
        folder = find_issue(config.issues_dir, slug)
        selected = [config.language(tag) for tag in languages] or list(config.languages)
        inputs_of = {lang: input_digests(config, folder, lang) for lang in selected}  # before reading
        issue = load_issue(folder, root=config.root)
        out = issue_folder(config.output, issue.slug)
        heading = f"building {issue.slug} in {', '.join(lang.tag for lang in selected)}"
        logger.info("%s", heading)

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
        published = tuple(linked_languages(config, issue, [edition.language for edition in editions]))
        _warn_contrast(config, [edition.language for edition in editions])

        jobs_to_run: list[LanguageJob] = []
        unchanged: list[Language] = []
        for edition in editions:
            tag = edition.language.tag
            target = out / tag
            digests = with_links(inputs_of[edition.language], published)
            stamp = read_stamp(target)
            current = set() if force or stamp is None else stamp.current(digests)
            stale = tuple(
                stage
                for stage in wanted
                if stage not in current
                or not all(path.is_file() for path in outputs(target, issue.slug, tag, stage))
            )
            if stale:
                withheld = publishable.withheld.get(edition.language)
                jobs_to_run.append(LanguageJob(edition, config, target, published, digests, withheld, stale))
            else:
                unchanged.append(edition.language)

        for_print = PDF in wanted
        processes = _processes(jobs, jobs_to_run)
        if processes > 1:
            _load_renderer()
        with workers(processes) as run:
            images = prepare_issue_images(config, issue, out, run, for_print=for_print)
            listener.removeHandler(transcript)
            for lang in unchanged:
                logger.info("%s: up to date", lang.tag)
            if jobs_to_run:
                _warn_slow_subsetting(jobs_to_run)
            todo = split_for_workers(
                [replace(job, images=images) for job in jobs_to_run], processes, recall_seconds(config.root)
            )
            built = sorted(render_languages(todo, run), key=lambda made: selected.index(made.language))
            record_seconds(
                config.root, {made.language.tag: made.seconds for made in built if PDF in made.stages}
            )
    finally:
        listener.removeHandler(transcript)
    if for_print:  # a build without the print copies must not take them for stale
        from ..images import remove_stale

        remove_stale(out, images.files)
    report = BuildReport(
        issue.slug, folder, tuple(built), tuple(skipped), tuple(unchanged), images.low_resolution
    )
    if not force:
        outcome = Outcome(
            slug=issue.slug,
            issue_folder=str(folder),
            unchanged=tuple(lang.tag for lang in [*(b.language for b in built), *unchanged]),
            skipped=tuple((lang.tag, reason) for lang, reason in skipped),
            messages=((logging.INFO, heading), *transcript.messages),
            extra={"low_resolution": [_low_entry(low) for low in images.low_resolution]},
        )
        remember(config.root, request, inputs, out, outcome)
    return report


def _processes(jobs: int | None, to_run: Sequence[LanguageJob]) -> int:
    """Worker processes: every core works on the images first, even for one language; none start
    for no work, nor for web pages and emails alone (each takes a fraction of a second)."""
    if not to_run or all(PDF not in job.stages for job in to_run):
        return 1
    parts = sum(2 if PDF in job.stages and len(job.stages) > 1 else 1 for job in to_run)
    return min(jobs or os.cpu_count() or 1, max(parts, 2))


def _load_renderer() -> None:
    """The renderer and the email loaded here, once, before the worker processes are forked from
    this one: otherwise each worker would load them for itself."""
    from ..email import write_email
    from ..render import write_pdf

    logger.debug("loaded %s and %s for the workers", write_pdf.__module__, write_email.__module__)


def _warn_slow_subsetting(jobs: Sequence[LanguageJob]) -> None:
    if any(PDF in job.stages for job in jobs) and not fast_subsetting():
        logger.warning("fonts are subset by the slow fallback: install libharfbuzz-subset0 (masthead doctor)")


def _warn_contrast(config: Config, languages: Sequence[Language]) -> None:
    """A warning for each pair of theme colours that contrasts too little (an override in the
    workspace's tokens.css, mostly): readers with low vision could not read that text."""
    override = config.templates_dir / "tokens.css"
    where = str(override.relative_to(config.root)) if override.is_file() else "the theme's tokens.css"
    for problem in theme_contrast(config, languages):
        logger.warning("%s: %s", where, problem)


def _low_entry(low: LowResolution) -> dict[str, Any]:
    return {
        "path": str(low.path),
        "dpi": low.dpi,
        "placement": [low.placement.width, low.placement.height],
        "needed": list(low.needed),
    }


def _recalled_report(config: Config, outcome: Outcome) -> BuildReport:
    """The report of a build with nothing to do, from the record of the last one."""
    low = tuple(
        LowResolution(
            Path(entry["path"]),
            float(entry["dpi"]),
            Placement(*entry["placement"]),
            (int(entry["needed"][0]), int(entry["needed"][1])),
        )
        for entry in outcome.extra.get("low_resolution", [])
    )
    return BuildReport(
        outcome.slug,
        Path(outcome.issue_folder),
        skipped=tuple((config.language(tag), reason) for tag, reason in outcome.skipped),
        unchanged=tuple(config.language(tag) for tag in outcome.unchanged),
        low_resolution=low,
    )
