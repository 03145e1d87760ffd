"""Print: the edition's print HTML through WeasyPrint into a PDF."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from .._config import PrintSettings
from .._disk import atomic_stream
from ._fetch import PACKAGED_THEME, LocalFetcher, check_refused

logger = logging.getLogger("masthead.render")

# One font configuration and one image cache per process, reused by every document it renders:
# the images of an issue are decoded once, whatever the number of languages.
_shared: dict[str, Any] = {}


def _font_config() -> FontConfiguration:
    if "fonts" not in _shared:
        _shared["fonts"] = FontConfiguration()
    return _shared["fonts"]


def _image_cache(fetcher: LocalFetcher) -> dict[str, Any]:
    # One cache per set of allowed folders and files: an image loaded for one workspace is never
    # handed to another that may not load it, and a refused one is asked for (and refused) again.
    caches: dict[tuple[object, ...], dict[str, Any]] = _shared.setdefault("images", {})
    return caches.setdefault((fetcher.folders, fetcher.files), {})


def pdf_options(settings: PrintSettings) -> dict[str, object]:
    """WeasyPrint's options for the PDF: always tagged, so that screen readers get its structure,
    reading order, alt texts and languages; the standard the settings name; and no random file
    identifier, so that the same inputs give the same bytes."""
    options: dict[str, object] = {"pdf_identifier": False, "pdf_tags": True}
    if settings.pdf_variant:
        options["pdf_variant"] = settings.pdf_variant
    return options


def write_pdf(
    html: str,
    target: Path,
    *,
    base_url: Path,
    settings: PrintSettings,
    theme: Sequence[Path] = (),
    files: Sequence[Path] = (),
) -> None:
    """Write ``html`` as a PDF at ``target``, atomically; images resolve against ``base_url``.

    Only ``data:`` URLs, files inside ``base_url`` (the issue folder), the ``theme`` folders and the
    packaged theme, and the ``files`` named (prepared images) are loaded; anything else stops the
    build with a :class:`ResourceError`.
    """
    options = pdf_options(settings)
    fetcher = LocalFetcher((base_url, *theme, PACKAGED_THEME), files)
    document = HTML(string=html, base_url=str(base_url) + os.sep, url_fetcher=fetcher).render(
        font_config=_font_config(), cache=_image_cache(fetcher)
    )
    check_refused(fetcher, (base_url, *theme))
    logger.debug("laid out %d pages for %s", len(document.pages), target.name)
    with atomic_stream(target) as stream:
        document.write_pdf(stream, **options)
        # An SVG loads its own images while it is drawn, that is while the PDF is written.
        check_refused(fetcher, (base_url, *theme))
