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
from .catalogs import issue_catalog, theme_translations
from .editions import Edition, source_edition, translated_edition
from .email import write_email
from .render import check_glyphs, render_print, render_web, write_pdf
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


def build(
    config: Config, slug: str | None = None, languages: Sequence[str] = (), *, force: bool = False
) -> BuildReport:
    """Build issue ``slug`` (the newest if ``None``) in ``languages`` (every configured one if empty).

    A language below the completeness threshold is skipped with a warning unless ``force``.
    """
    folder = find_issue(config.issues_dir, slug)
    issue = load_issue(folder, root=config.root)
    selected = [config.language(tag) for tag in languages] or list(config.languages)
    out = config.output / issue.slug
    logger.info("building %s in %s", issue.slug, ", ".join(lang.tag for lang in selected))

    for image in issue.images:
        copy_if_changed(folder / image, out / image)

    editions: list[Edition] = []
    skipped: list[tuple[Language, str]] = []
    for lang in selected:
        if lang == config.source_language:
            editions.append(source_edition(issue, lang))
            continue
        catalog = issue_catalog(config, issue, lang)
        edition = translated_edition(issue, lang, catalog, publish_machine=config.translation.publish_machine)
        threshold = config.catalogs.threshold
        if edition.completeness < threshold and not force:
            reason = (
                f"{edition.completeness:.0f} % translated, below the {threshold:g} % threshold"
                if catalog is not None
                else f"no catalog yet: run 'masthead catalog update {issue.slug} -l {lang.tag}'"
            )
            logger.warning("%s: skipped, %s (build it anyway with --force)", lang.tag, reason)
            skipped.append((lang, reason))
            continue
        editions.append(edition)

    published = [edition.language for edition in editions]
    built: list[LanguageBuild] = []
    for edition in editions:
        started = time.perf_counter()
        lang = edition.language
        translations = theme_translations(config, lang)
        pdf, web = _render_language(edition, config, translations, out / lang.tag, published)
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
    page = render_print(edition, config, translations)
    check_glyphs(page, edition.language)
    write_pdf(page, pdf, base_url=issue.folder, settings=config.print)
    web = target / "index.html"
    write_atomic(web, render_web(edition, config, translations, languages=languages))
    write_email(edition, config, translations, target)
    return pdf, web
