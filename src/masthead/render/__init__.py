"""Stage 3: an :class:`~masthead.editions.Edition` rendered through the theme, once per language."""

from __future__ import annotations

import gettext
import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .._config import Config
from .._language import Language
from ..editions import Edition
from ._fonts import check_glyphs, fast_subsetting, font_for
from ._theme import environment, inline_markdown, plain, render_edition, render_template

if TYPE_CHECKING:
    from ._fetch import refusal
    from ._pdf import pdf_options, write_pdf

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


_WEASYPRINT = {"refusal": "._fetch", "pdf_options": "._pdf", "write_pdf": "._pdf"}
"""What needs WeasyPrint is imported when first used: the theme's templates alone (the service's
pages, the email) do not load it."""


def __getattr__(name: str) -> Any:
    if name not in _WEASYPRINT:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_WEASYPRINT[name], __name__), name)


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
