"""The print HTML and the web page of an edition."""

from __future__ import annotations

import gettext
from collections.abc import Sequence

from .._config import Config
from .._language import Language
from .._layout import pdf_name
from ..editions import Edition
from ..images import PreparedImages
from ..theme import render_edition
from ._figures import PrintImages, ScreenImages


def render_print(
    edition: Edition,
    config: Config,
    translations: gettext.NullTranslations | None = None,
    images: PreparedImages | None = None,
) -> str:
    """The print HTML of an edition: its images are the print copies of ``images`` (``file:`` URLs),
    or without them the originals, by their paths relative to the issue folder."""
    figures = PrintImages(images)
    return render_edition(
        "print.html",
        edition,
        config,
        translations,
        settings=config.print,
        image_url=figures.url,
        image_attrs=figures.attrs,
        languages=(),
    )


def render_web(
    edition: Edition,
    config: Config,
    translations: gettext.NullTranslations | None = None,
    *,
    languages: Sequence[Language] = (),
    images: PreparedImages | None = None,
) -> str:
    """The standalone web page of an edition, linking to the other ``languages`` built; its images
    are the screen copies of ``images`` in the issue's output folder."""
    slug = edition.issue.slug
    figures = ScreenImages(images, "../")
    return render_edition(
        "web.html",
        edition,
        config,
        translations,
        settings=config.print,
        image_url=figures.url,
        image_attrs=figures.attrs,
        pdf_name=pdf_name(slug, edition.language.tag),
        languages=languages,
    )
