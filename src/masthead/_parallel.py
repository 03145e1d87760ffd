"""Rendering language editions in parallel processes, each one renders every output of a language."""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from ._config import Config
from ._fingerprint import STAMP, stamp_text
from ._language import Language
from ._output import write_atomic
from .catalogs import theme_translations
from .editions import Edition
from .email import write_email
from .render import check_glyphs, render_print, render_web, write_pdf

logger = logging.getLogger("masthead.build")


@dataclass(frozen=True)
class LanguageJob:
    """Everything a worker process needs to build one language: plain, picklable data."""

    edition: Edition
    config: Config
    target: Path
    published: tuple[Language, ...]
    digest: str

    @property
    def pdf(self) -> Path:
        return self.target / f"{self.edition.issue.slug}.{self.edition.language.tag}.pdf"

    @property
    def web(self) -> Path:
        return self.target / "index.html"

    @property
    def outputs(self) -> tuple[Path, ...]:
        email = ("email.html", "email.txt", "email.eml", "email.template")
        return (self.pdf, self.web, *(self.target / name for name in email))


@dataclass(frozen=True)
class LanguageBuild:
    """What was written for one language."""

    language: Language
    pdf: Path
    web: Path
    seconds: float


def render_language(job: LanguageJob) -> LanguageBuild:
    """Every output of one language: the print PDF, the web page and the email; then the stamp
    that marks the build finished (written last, so an interrupted build is never taken as done)."""
    started = time.perf_counter()
    edition, config = job.edition, job.config
    translations = theme_translations(config, edition.language)
    (job.target / STAMP).unlink(missing_ok=True)
    page = render_print(edition, config, translations)
    check_glyphs(page, edition.language)
    write_pdf(
        page, job.pdf, base_url=edition.issue.folder, settings=config.print, theme=(config.templates_dir,)
    )
    write_atomic(job.web, render_web(edition, config, translations, languages=job.published))
    write_email(edition, config, translations, job.target)
    write_atomic(job.target / STAMP, stamp_text(job.digest, job.published))
    seconds = time.perf_counter() - started
    logger.info("%s: built in %.1f s", edition.language.tag, seconds)
    return LanguageBuild(edition.language, job.pdf, job.web, seconds)


def render_languages(jobs: Sequence[LanguageJob], processes: int | None = None) -> list[LanguageBuild]:
    """Render ``jobs`` in up to ``processes`` worker processes (one per core by default).

    Each worker keeps WeasyPrint's font configuration and image cache across the languages it
    renders. With one job, or one process, everything happens here, with no process to start.
    """
    processes = min(processes or os.cpu_count() or 1, len(jobs))
    if processes <= 1:
        return [render_language(job) for job in jobs]
    logger.info(
        "rendering %s in %d processes", ", ".join(job.edition.language.tag for job in jobs), processes
    )
    # fork: workers start at once and inherit the loaded modules; WeasyPrint keeps no threads.
    context = multiprocessing.get_context("fork")
    order = {job.edition.language: index for index, job in enumerate(jobs)}
    built: list[LanguageBuild] = []
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        futures = [pool.submit(render_language, job) for job in jobs]
        for future in as_completed(futures):
            built.append(future.result())
    return sorted(built, key=lambda result: order[result.language])
