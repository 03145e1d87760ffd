"""``build()``: the whole pipeline for one issue, top to bottom."""

from __future__ import annotations

import gettext
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ._config import Config
from ._language import Language
from ._output import copy_if_changed, write_atomic
from .editions import Edition, source_edition
from .render import render_print, render_web, write_pdf
from .sources import find_issue, load_issue

logger = logging.getLogger("masthead.build")


@dataclass(frozen=True)
class LanguageBuild:
    """What was written for one language."""

    language: Language
    pdf: Path
    web: Path
    seconds: float


@dataclass(frozen=True)
class BuildReport:
    slug: str
    folder: Path
    built: tuple[LanguageBuild, ...] = ()
    skipped: tuple[tuple[Language, str], ...] = field(default_factory=tuple)


def build(config: Config, slug: str | None = None, languages: Sequence[str] = ()) -> BuildReport:
    """Build issue ``slug`` (the newest issue if ``None``) in ``languages`` (all configured if empty)."""
    folder = find_issue(config.issues_dir, slug)
    issue = load_issue(folder, root=config.root)
    selected = [config.language(tag) for tag in languages] or list(config.languages)
    out = config.output / issue.slug
    logger.info("building %s in %s", issue.slug, ", ".join(lang.tag for lang in selected))

    for image in issue.images:
        copy_if_changed(folder / image, out / image)

    built: list[LanguageBuild] = []
    skipped: list[tuple[Language, str]] = []
    for lang in selected:
        if lang != config.source_language:
            skipped.append((lang, "no translations yet"))
            logger.warning("%s: skipped, no translations yet", lang.tag)
            continue
        started = time.perf_counter()
        edition = source_edition(issue, lang)
        pdf, web = _render_language(edition, config, None, out / lang.tag, selected)
        seconds = time.perf_counter() - started
        logger.info("%s: wrote %s and %s in %.1f s", lang.tag, pdf.name, web.name, seconds)
        built.append(LanguageBuild(lang, pdf, web, seconds))
    return BuildReport(issue.slug, folder, tuple(built), tuple(skipped))


def _render_language(
    edition: Edition,
    config: Config,
    translations: gettext.NullTranslations | None,
    target: Path,
    languages: Sequence[Language],
) -> tuple[Path, Path]:
    """Every output of one language: the print PDF, the web page and the email."""
    issue = edition.issue
    pdf = target / f"{issue.slug}.{edition.language.tag}.pdf"
    write_pdf(render_print(edition, config, translations), pdf, base_url=issue.folder, settings=config.print)
    web = target / "index.html"
    write_atomic(web, render_web(edition, config, translations, languages=languages))
    return pdf, web
