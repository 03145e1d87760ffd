"""Print: the edition's print HTML through WeasyPrint into a PDF."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from .._config import PrintSettings
from .._output import _MODE

logger = logging.getLogger("masthead.render")

# One font configuration and one image cache per process, reused by every document it renders:
# the images of an issue are decoded once, whatever the number of languages.
_shared: dict[str, Any] = {}


def _font_config() -> FontConfiguration:
    if "fonts" not in _shared:
        _shared["fonts"] = FontConfiguration()
    return _shared["fonts"]


def _image_cache() -> dict[str, Any]:
    return _shared.setdefault("images", {})  # type: ignore[no-any-return]


def write_pdf(html: str, target: Path, *, base_url: Path, settings: PrintSettings) -> None:
    """Write ``html`` as a PDF at ``target``, atomically; images resolve against ``base_url``."""
    options: dict[str, object] = {"pdf_identifier": False}
    if settings.pdf_variant:
        options["pdf_variant"] = settings.pdf_variant.removeprefix("pdf/")
        options["pdf_tags"] = settings.pdf_variant.startswith("pdf/ua")
    document = HTML(string=html, base_url=str(base_url) + os.sep).render(
        font_config=_font_config(), cache=_image_cache()
    )
    logger.debug("laid out %d pages for %s", len(document.pages), target.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as stream:
            document.write_pdf(stream, **options)
        os.chmod(temp, _MODE)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
