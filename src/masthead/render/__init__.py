"""Stage 3: an :class:`~masthead.editions.Edition` rendered through the theme, once per language."""

from __future__ import annotations

import gettext
from collections.abc import Sequence

from .._config import Config
from .._language import Language
from ..editions import Edition
from ._fetch import refusal
from ._fonts import check_glyphs, fast_subsetting, font_for
from ._pdf import pdf_options, write_pdf
from ._theme import environment, inline_markdown, plain, render_edition, render_template

__all__ = [
    "check_glyphs",
    "environment",
    "fast_subsetting",
    "font_for",
    "inline_markdown",
    "pdf_options",
    "plain",
    "refusal",
    "render_edition",
    "render_print",
    "render_template",
    "render_web",
    "write_pdf",
]


def render_print(
    edition: Edition, config: Config, translations: gettext.NullTranslations | None = None
) -> str:
    """The print HTML of an edition; images are paths relative to the issue folder."""
    return render_edition(
        "print.html",
        edition,
        config,
        translations,
        settings=config.print,
        image_url=lambda path: path,
        languages=(),
    )


def render_web(
    edition: Edition,
    config: Config,
    translations: gettext.NullTranslations | None = None,
    *,
    languages: Sequence[Language] = (),
) -> str:
    """The standalone web page of an edition, linking to the other ``languages`` built."""
    slug = edition.issue.slug
    return render_edition(
        "web.html",
        edition,
        config,
        translations,
        settings=config.print,
        image_url=lambda path: "../" + path,
        pdf_name=f"{slug}.{edition.language.tag}.pdf",
        languages=languages,
    )
