"""Where print places each image: the print layout, measured once per issue before any language
is rendered, so that every image can be prepared at the size it is printed.

A figure's frame comes from the theme's CSS (the column it sits in, the height the layout allows,
``fit``), not from the text around it; so the measure lays out a skeleton of the print HTML: the
elements that hold an image, with every word taken out and each picture replaced by an empty
drawing of its size. That takes a fraction of a real layout. Languages whose skeletons are alike
(the same direction, script and sizes) share one measure.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree

import tinyhtml5
from weasyprint import HTML
from weasyprint.formatting_structure.boxes import ReplacedBox
from weasyprint.layout.replaced import replacedbox_layout

from .._config import Config
from ..editions import source_edition
from ..images import Placement
from ..sources import Issue
from ._fetch import PACKAGED_THEME, LocalFetcher
from ._outputs import render_print
from ._pdf import _font_config

logger = logging.getLogger("masthead.render")

SOURCE = "data-masthead-source"
"""The attribute naming, in a skeleton, the issue image an ``<img>`` stands for."""
_HEAD_KEPT = {"style", "link", "base"}


def language_skeleton(tag: str, config: Config, issue: Issue, sizes: Mapping[str, tuple[int, int]]) -> str:
    """The skeleton of the print HTML of ``issue`` in language ``tag``; ``sizes`` gives the upright
    pixel size of each raster image (others keep their own ``src``)."""
    return skeleton(render_print(source_edition(issue, config.language(tag)), config), sizes)


def skeleton(html: str, sizes: Mapping[str, tuple[int, int]]) -> str:
    """``html`` reduced to what decides the size of its images (see the module's description)."""
    root = tinyhtml5.parse(html, namespace_html_elements=False)
    head, body = root.find("head"), root.find("body")
    if head is not None:
        for child in list(head):
            if child.tag not in _HEAD_KEPT:
                head.remove(child)
    if body is not None:
        _prune(body, sizes)
    for element in root.iter():
        # Without words, the language only shows in selectors; alike languages then share a measure.
        element.attrib.pop("lang", None)
    return "<!DOCTYPE html>" + ElementTree.tostring(root, encoding="unicode", method="html")


def _prune(element: ElementTree.Element, sizes: Mapping[str, tuple[int, int]]) -> bool:
    """Keep the children of ``element`` that are or hold an image; take out all text. Whether
    ``element`` holds one."""
    element.text = None
    holds = False
    for child in list(element):
        child.tail = None
        if child.tag == "img":
            holds = True
            _stand_in(child, sizes)
        elif isinstance(child.tag, str) and _prune(child, sizes):
            holds = True
        else:
            element.remove(child)
    return holds


def _stand_in(img: ElementTree.Element, sizes: Mapping[str, tuple[int, int]]) -> None:
    src = img.get("src", "")
    img.attrib.pop("alt", None)
    if src in sizes:
        width, height = sizes[src]
        img.set(SOURCE, src)
        drawing = f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}'/>"
        img.set("src", "data:image/svg+xml," + quote(drawing))


def measure(skeleton: str, base_url: Path, theme: Sequence[Path] = ()) -> dict[str, Placement]:
    """Lay out ``skeleton`` and give, for each issue image in it, the largest size it is drawn at."""
    fetcher = LocalFetcher((base_url, *theme, PACKAGED_THEME))
    document = HTML(string=skeleton, base_url=str(base_url) + os.sep, url_fetcher=fetcher).render(
        font_config=_font_config()
    )
    placements: dict[str, Placement] = {}
    for page in document.pages:
        for box in _replaced(page._page_box):
            source = box.element.get(SOURCE) if box.element is not None else None
            if source is None or box.replacement is None:
                continue
            # The picture's own size: for object-fit: cover, larger than the frame that crops it.
            width, height = replacedbox_layout(box)[:2]
            placement = Placement(round(float(width), 2), round(float(height), 2))
            known = placements.get(source)
            placements[source] = known.union(placement) if known else placement
    logger.debug("measured %d placed images in %d pages", len(placements), len(document.pages))
    return placements


def _replaced(box: Any) -> Iterable[Any]:
    if isinstance(box, ReplacedBox):
        yield box
    for child in getattr(box, "children", ()):
        yield from _replaced(child)
