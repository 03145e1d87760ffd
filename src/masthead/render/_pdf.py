"""Print: the edition's print HTML through WeasyPrint into a PDF."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from weasyprint import HTML, Document
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
    document = _lay_out(html, base_url, fetcher)
    check_refused(fetcher, (base_url, *theme))
    logger.debug("laid out %d pages for %s", len(document.pages), target.name)
    with atomic_stream(target) as stream:
        document.write_pdf(stream, **options)
        # An SVG loads its own images while it is drawn, that is while the PDF is written.
        check_refused(fetcher, (base_url, *theme))


PAGE_ATTRIBUTE = "data-page"
"""Set by the writer on each of the cover's in-document links: the page its target starts on."""

_PAGE_COUNTER_CHANGED = re.compile(r"counter-(?:reset|increment|set)\s*:[^;}]*\bpage\b")


def _lay_out(html: str, base_url: Path, fetcher: LocalFetcher) -> Document:
    """The pages of ``html``, its cover laid out once.

    A cover that prints the page of each article (the Headlines' ``target-counter``) makes
    WeasyPrint lay the cover out three times, for the page numbers it learns later; and the cover,
    a flex column with the Headlines in balanced columns, costs more than any other page. So the
    pages after the cover are laid out first, the cover left without the parts that hold in-document
    links (it stays one page, and still sets the strings the running footers print), and then the
    cover alone, once, with each link given the page its target starts on as ``data-page``, which
    the theme prints in place of the ``target-counter``. The same pages, for a fraction of the work.

    Laid out whole, as before, when the theme does not print ``data-page``, when it changes the page
    counter (page numbers are then not the pages' places), or when the cover takes more than a page.
    """

    def parsed() -> HTML:
        return HTML(string=html, base_url=str(base_url) + os.sep, url_fetcher=fetcher)

    def rendered(page: HTML) -> Document:
        return page.render(font_config=_font_config(), cache=_image_cache(fetcher))

    whole = parsed()
    _, cover = _cover(whole)
    if cover is None or f"attr({PAGE_ATTRIBUTE})" not in html or _PAGE_COUNTER_CHANGED.search(html):
        return rendered(whole)
    linking = [part for part in cover if any(_target(link) for link in part.iter("a"))]
    if not linking:
        return rendered(whole)
    for part in linking:
        cover.remove(part)
    rest = rendered(whole)
    starts: dict[str, int] = {}
    for number, page in enumerate(rest.pages, start=1):
        for name in page.anchors:
            starts.setdefault(name, number)
    alone = parsed()
    body, front = _cover(alone)
    for after in list(body)[1:]:
        body.remove(after)
    _number_links(front, starts)
    first = rendered(alone)
    if len(first.pages) != 1:
        logger.debug("the cover takes %d pages: laid out with the rest", len(first.pages))
        return rendered(parsed())
    return rest.copy([first.pages[0], *rest.pages[1:]])


def _cover(page: HTML) -> tuple[Any, Any]:
    """The body and its cover: its first element, when its class is ``cover`` (else ``None``)."""
    body = page.etree_element.find("body")
    first = body[0] if body is not None and len(body) else None
    if first is None or "cover" not in (first.get("class") or "").split():
        return body, None
    return body, first


def _target(link: Any) -> str:
    """The anchor an in-document link points to, or ``""``."""
    href = link.get("href") or ""
    return href[1:] if href.startswith("#") else ""


def _number_links(cover: Any, starts: Mapping[str, int]) -> None:
    for link in cover.iter("a"):
        if _target(link) in starts:
            link.set(PAGE_ATTRIBUTE, str(starts[_target(link)]))
