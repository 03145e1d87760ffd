"""Where each piece of text of a PDF is, in which font and size, as poppler's pdftohtml reports it."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

MM = 72 / 25.4
_ZOOM = 3  # pdftohtml rounds sizes and positions to whole units: at its largest zoom, to a third of a point


@dataclass(frozen=True)
class Piece:
    """One run of text on a page, in points from the page's top left corner."""

    text: str
    left: float
    top: float
    width: float
    height: float
    family: str
    size: float
    color: str

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def sans(self) -> bool:
        return "Sans" in self.family


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    pieces: tuple[Piece, ...]

    def text(self) -> str:
        return " ".join(piece.text for piece in self.pieces)

    def body(self, top: float = 21 * MM, bottom: float = 19 * MM) -> list[Piece]:
        """The pieces between the running heads and the page numbers (margins of 22 and 20 mm)."""
        return [p for p in self.pieces if p.top >= top and p.bottom <= self.height - bottom]


def pdf_layout(pdf: Path) -> list[Page]:
    """Every page of ``pdf`` with its pieces of text."""
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-stdout", "-zoom", str(_ZOOM), str(pdf)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    root = ET.fromstring(xml)
    fonts: dict[str, tuple[str, float, str]] = {}
    pages = []
    for page in root.iter("page"):
        for spec in page.iter("fontspec"):
            fonts[spec.get("id", "")] = (
                spec.get("family", ""),
                float(spec.get("size", "0")) / _ZOOM,
                spec.get("color", ""),
            )
        pieces = []
        for node in page.iter("text"):
            text = "".join(node.itertext()).strip()
            if not text:
                continue
            family, size, color = fonts[node.get("font", "")]
            left, top, width, height = (
                float(node.get(key, "0")) / _ZOOM for key in ("left", "top", "width", "height")
            )
            pieces.append(Piece(text, left, top, width, height, family, size, color))
        width, height = float(page.get("width", "0")) / _ZOOM, float(page.get("height", "0")) / _ZOOM
        pages.append(Page(int(page.get("number", "0")), width, height, tuple(pieces)))
    return pages


def is_heading(piece: Piece) -> bool:
    """A section label, kicker, headline, subheading, byline or year label: the theme sets them in its
    sans-serif at 8 pt or more (captions' credits, source labels and running heads are smaller)."""
    return piece.sans and piece.size >= 7.9


def column_ends(page: Page) -> list[list[Piece]]:
    """The last line of each of the page's two columns (a line across the page ends both): the
    pieces at the lowest position among those that reach into the column."""
    body = page.body()
    middle = page.width / 2
    ends = []
    for reaches in (lambda p: p.left < middle, lambda p: p.right > middle):
        column = [piece for piece in body if reaches(piece)]
        if column:
            lowest = max(piece.bottom for piece in column)
            ends.append([piece for piece in column if piece.bottom > lowest - 1])
    return ends
