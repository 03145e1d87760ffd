"""Rendering language editions in parallel processes, each one renders every output of a language."""

from __future__ import annotations

import logging
import multiprocessing
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .._config import Config
from .._disk import write_atomic
from .._language import Language
from .._layout import EMAIL_FILES, STAMP, WEB_PAGE, pdf_name
from ..catalogs import theme_translations
from ..editions import Edition, written_in
from ..email import write_email
from ..images import PreparedImages, Runner, serial
from ..publication import Stamp
from ..render import render_print, render_web, write_pdf
from ..sources import Text
from ..theme import check_glyphs, plain

logger = logging.getLogger("masthead.build")


@dataclass(frozen=True)
class LanguageJob:
    """Everything a worker process needs to build one language: plain, picklable data."""

    edition: Edition
    config: Config
    target: Path
    published: tuple[Language, ...]
    digest: str
    withheld: str | None = None
    """Why the edition may not go out as it is (see :class:`~._stamp.Stamp`), or ``None``."""
    images: PreparedImages | None = None

    @property
    def pdf(self) -> Path:
        return self.target / pdf_name(self.edition.issue.slug, self.edition.language.tag)

    @property
    def web(self) -> Path:
        return self.target / WEB_PAGE

    @property
    def outputs(self) -> tuple[Path, ...]:
        return (self.pdf, self.web, *(self.target / name for name in EMAIL_FILES))


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
    images = job.images
    page = render_print(edition, config, translations, images)
    check_glyphs(page, edition.language, written_in(config, edition))
    write_pdf(
        page,
        job.pdf,
        base_url=edition.issue.folder,
        settings=config.print,
        theme=(config.templates_dir,),
        files=images.print_files if images is not None else (),
    )
    write_atomic(job.web, render_web(edition, config, translations, languages=job.published, images=images))
    write_email(edition, config, translations, job.target, images)
    write_atomic(job.target / STAMP, _stamp(job).text())
    seconds = time.perf_counter() - started
    logger.info("%s: built in %.1f s", edition.language.tag, seconds)
    return LanguageBuild(edition.language, job.pdf, job.web, seconds)


def _stamp(job: LanguageJob) -> Stamp:
    """The stamp of a finished build: its digest and links, whether it may go out, and what the
    archive shows of it."""
    edition, source = job.edition, job.config.source_language
    issue = edition.issue

    def shown_in(text: Text | None) -> str:
        """A text with no translation is shown in the source language."""
        translated = text is None or edition.language == source or text.translation is not None
        return (edition.language if translated else source).tag

    return Stamp(
        digest=job.digest,
        links=tuple(lang.tag for lang in job.published),
        withheld=job.withheld,
        number=issue.number,
        date=issue.date.isoformat(),
        title=plain(issue.title),
        summary=plain(issue.summary),
        title_language=shown_in(issue.title),
        summary_language=shown_in(issue.summary),
    )


@contextmanager
def workers(processes: int) -> Iterator[Runner]:
    """A way to run work in ``processes`` worker processes (here, with one), used first for the
    issue's images and then for its languages: each worker keeps WeasyPrint's font configuration
    and image cache from one task to the next."""
    if processes <= 1:
        yield serial
        return
    # fork: workers start at once and inherit the loaded modules (and the compiled templates);
    # WeasyPrint keeps no threads.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        yield pool.map


def render_languages(jobs: Sequence[LanguageJob], run: Runner = serial) -> list[LanguageBuild]:
    """Render ``jobs`` through ``run`` (see :func:`workers`), in the order given."""
    if len(jobs) > 1:
        logger.info("rendering %s", ", ".join(job.edition.language.tag for job in jobs))
    return list(run(render_language, jobs))
