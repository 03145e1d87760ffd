"""Rendering language editions in parallel processes: a job renders some outputs (stages) of one
language, so that a language's PDF and its web page and email can go to different workers."""

from __future__ import annotations

import gettext
import logging
import multiprocessing
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from .._config import Config
from .._disk import write_atomic
from .._language import Language
from .._layout import EMAIL_FILES, EMAIL_HTML, WEB_PAGE, pdf_name
from ..catalogs import theme_translations
from ..editions import Edition, written_in
from ..images import PreparedImages, Runner, serial
from ..publication import EMAIL, PDF, STAGES, WEB, Stamp, finish, withdraw
from ..render import render_web
from ..sources import Text
from ..theme import check_glyphs, plain

logger = logging.getLogger("masthead.build")


def outputs(target: Path, slug: str, tag: str, stage: str) -> tuple[Path, ...]:
    """The files stage ``stage`` writes in a language's folder ``target``."""
    if stage == WEB:
        return (target / WEB_PAGE,)
    if stage == EMAIL:
        return tuple(target / name for name in EMAIL_FILES)
    return (target / pdf_name(slug, tag),)


@dataclass(frozen=True)
class LanguageJob:
    """Some outputs of one language, and everything a worker process needs to make them: plain,
    picklable data."""

    edition: Edition
    config: Config
    target: Path
    published: tuple[Language, ...]
    digests: Mapping[str, str]
    """Each output's digest, recorded in the stamp once its files are written."""
    withheld: str | None = None
    """Why the edition may not go out as it is (see :class:`~masthead.publication.Stamp`), or ``None``."""
    stages: tuple[str, ...] = STAGES
    images: PreparedImages | None = None

    @property
    def pdf(self) -> Path:
        return self.target / pdf_name(self.edition.issue.slug, self.edition.language.tag)

    @property
    def web(self) -> Path:
        return self.target / WEB_PAGE


@dataclass(frozen=True)
class LanguageBuild:
    """What was written for one language: ``stages`` names the outputs made."""

    language: Language
    pdf: Path
    web: Path
    seconds: float
    stages: tuple[str, ...] = STAGES

    def written(self) -> list[Path]:
        """The main file of each output made: the PDF, the web page, the email's HTML."""
        main = {PDF: self.pdf, WEB: self.web, EMAIL: self.web.with_name(EMAIL_HTML)}
        return [main[stage] for stage in (PDF, WEB, EMAIL) if stage in self.stages]


def render_language(job: LanguageJob) -> LanguageBuild:
    """The outputs of ``job``, web page first, then the email, then the PDF: each output's digest
    is taken out of the stamp before its files are written and put back after, so that an
    interrupted build is never taken as finished. The renderer and the email are loaded only for
    the outputs that need them: a web page alone loads no WeasyPrint."""
    started = time.perf_counter()
    edition, config = job.edition, job.config
    translations = theme_translations(config, edition.language)
    for stage in STAGES:
        if stage not in job.stages:
            continue
        withdraw(job.target, [stage])
        if stage == WEB:
            html = render_web(edition, config, translations, languages=job.published, images=job.images)
            write_atomic(job.web, html)
        elif stage == EMAIL:
            from ..email import write_email

            write_email(edition, config, translations, job.target, job.images)
        else:
            _write_pdf(job, translations)
        finish(job.target, replace(_stamp(job), stages={stage: job.digests[stage]}))
    seconds = time.perf_counter() - started
    made = ", ".join(stage for stage in STAGES if stage in job.stages)
    logger.info("%s: %s built in %.1f s", edition.language.tag, made, seconds)
    return LanguageBuild(edition.language, job.pdf, job.web, seconds, job.stages)


def _write_pdf(job: LanguageJob, translations: gettext.NullTranslations) -> None:
    from ..render import render_print, write_pdf

    edition, config, images = job.edition, job.config, job.images
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
        stages=dict(job.digests),
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


def split_for_workers(
    jobs: Sequence[LanguageJob], processes: int, seconds: Mapping[str, float] | None = None
) -> list[LanguageJob]:
    """The jobs as the workers take them. With more than one worker, each language's PDF is a job
    apart from its web page and email, and the PDFs come first, the one expected to take longest
    first (``seconds``: how long each language took before, by tag; a language not known is taken
    to take the average): the worker that takes the last PDF is then not left with a long one while
    the others are idle, and the web pages and emails, a fraction of a second each, fill in at the
    end. With one worker, the jobs as given."""
    if processes <= 1:
        return list(jobs)
    seconds = seconds or {}
    known = [seconds[job.edition.language.tag] for job in jobs if job.edition.language.tag in seconds]
    usual = sum(known) / len(known) if known else 0.0
    # sorted() keeps the given order among languages expected to take as long.
    ordered = sorted(jobs, key=lambda job: -seconds.get(job.edition.language.tag, usual))
    pdfs = [replace(job, stages=(PDF,)) for job in ordered if PDF in job.stages]
    rest = [
        replace(job, stages=tuple(stage for stage in job.stages if stage != PDF))
        for job in ordered
        if any(stage != PDF for stage in job.stages)
    ]
    return pdfs + rest


def render_languages(jobs: Sequence[LanguageJob], run: Runner = serial) -> list[LanguageBuild]:
    """Render ``jobs`` through ``run`` (see :func:`workers`); one :class:`LanguageBuild` per
    language, in the order the jobs first name them."""
    if len({job.edition.language for job in jobs}) > 1:
        logger.info("rendering %s", ", ".join(dict.fromkeys(job.edition.language.tag for job in jobs)))
    merged: dict[Language, LanguageBuild] = {}
    for done in run(render_language, jobs):
        known = merged.get(done.language)
        if known is not None:
            stages = tuple(stage for stage in STAGES if stage in (*known.stages, *done.stages))
            done = replace(done, seconds=known.seconds + done.seconds, stages=stages)
        merged[done.language] = done
    return [merged[language] for language in dict.fromkeys(job.edition.language for job in jobs)]
