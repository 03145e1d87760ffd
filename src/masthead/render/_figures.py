"""How each output refers to an issue's images: the PDF to its print copies, the web page and the
email to their screen copies, with the sizes a browser or a mail reader needs before loading them."""

from __future__ import annotations

import html
from dataclasses import dataclass

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from ..images import Derivative, PreparedImages

DEFAULT_SIZES = "100vw"
"""The ``sizes`` of a web page's images when its template sets no ``image_sizes``."""


@dataclass(frozen=True)
class PrintImages:
    """The print HTML's images: each one's print copy (a ``file:`` URL, which the PDF's fetcher is
    told it may load), or the original's path relative to the issue folder."""

    images: PreparedImages | None = None

    def url(self, source: str) -> str:
        copy = self.images.print_file(source) if self.images is not None else None
        return copy.as_uri() if copy is not None else source

    def attrs(self, source: str) -> Markup:
        return Markup("")  # WeasyPrint takes its sizes from the CSS and the file


@dataclass(frozen=True)
class ScreenImages:
    """A web page's or an email's images: ``prefix`` leads from the page to the issue's output folder
    (``../`` from a web page, the published address from an email)."""

    images: PreparedImages | None
    prefix: str

    def _copies(self, source: str) -> tuple[Derivative, ...]:
        if self.images is None or source not in self.images:
            return ()
        image = self.images[source]
        return image.screens or ((image.original,) if image.original is not None else ())

    def url(self, source: str) -> str:
        copies = self._copies(source)
        return self.prefix + (copies[0].path if copies else source)

    def height_attribute(self, source: str, width: int) -> Markup:
        """A ``height`` attribute for the image shown ``width`` pixels wide (nothing when its size
        is not known): Outlook sizes images by their attributes alone."""
        copies = self._copies(source)
        if not copies or not copies[0].width:
            return Markup("")
        return Markup(f' height="{max(1, round(width * copies[0].height / copies[0].width))}"')

    @pass_context
    def attrs(self, context: Context, source: str) -> Markup:
        """``width`` and ``height`` (the screen copy's, so the page keeps the image's room while it
        loads) and, with a copy for sharp screens, ``srcset`` and ``sizes`` (the template's
        ``image_sizes``: how wide the column is)."""
        copies = self._copies(source)
        if not copies or not copies[0].width:
            return Markup("")
        first = copies[0]
        attributes = f' width="{first.width}" height="{first.height}"'
        if len(copies) > 1:
            srcset = ", ".join(f"{self.prefix}{copy.path} {copy.width}w" for copy in copies)
            sizes = context.get("image_sizes") or DEFAULT_SIZES
            attributes += f' srcset="{html.escape(srcset)}" sizes="{html.escape(str(sizes))}"'
        return Markup(attributes)
