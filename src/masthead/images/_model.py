"""What image preparation takes and gives: placed sizes in, derivatives out, as plain data."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

MM_PER_PX = 25.4 / 96
"""A CSS pixel is 1/96 inch."""


@dataclass(frozen=True)
class Placement:
    """The largest size at which the print layout draws an image, in CSS pixels (1/96 in): the
    size of the picture itself, which for ``fit: cover`` is larger than the frame that crops it."""

    width: float
    height: float

    def union(self, other: Placement) -> Placement:
        """The larger of two placements in each direction."""
        return Placement(max(self.width, other.width), max(self.height, other.height))

    @property
    def millimetres(self) -> tuple[float, float]:
        return self.width * MM_PER_PX, self.height * MM_PER_PX


def largest_placements(measures: Iterable[Mapping[str, Placement]]) -> dict[str, Placement]:
    """The largest placement of each image over several measures (one per language)."""
    placements: dict[str, Placement] = {}
    for measured in measures:
        for source, placement in measured.items():
            known = placements.get(source)
            placements[source] = known.union(placement) if known else placement
    return placements


@dataclass(frozen=True)
class Derivative:
    """One prepared copy of an image: ``path`` is relative to the issue's output folder."""

    path: str
    width: int
    height: int


@dataclass(frozen=True)
class PreparedImage:
    """An issue image and the copies made of it once for every language.

    ``print`` is what the PDF embeds (``None``: the original, such as an SVG drawn as vectors);
    ``screens`` are for the web page and the email, narrowest first: the screen width, then twice it
    when the original has the pixels (empty: the web page and email use ``original``).
    """

    source: str
    """The path the issue gives, relative to the issue folder."""
    width: int
    height: int
    """The original's size in pixels, upright (0 when it is not a raster image)."""
    print: Derivative | None = None
    screens: tuple[Derivative, ...] = ()
    original: Derivative | None = None
    """The original, published unchanged for screens when no copy of it is made (an SVG)."""
    placement: Placement | None = None
    dpi: float | None = None
    """The original's resolution at its largest placement in print (``None``: not placed)."""

    @property
    def screen(self) -> Derivative | None:
        """The copy a screen shows at 1x, or the published original."""
        return self.screens[0] if self.screens else self.original


@dataclass(frozen=True)
class LowResolution:
    """An image with too few pixels for the size at which print places it."""

    path: Path
    dpi: float
    placement: Placement
    needed: tuple[int, int]
    """Pixels it would need for the threshold."""

    def message(self, shown: str, threshold: int) -> str:
        width, height = self.placement.millimetres
        return (
            f"{shown}: {self.dpi:.0f} dpi at the size print places it ({width:.0f} x {height:.0f} mm), "
            f"below {threshold} dpi, so it prints soft; use an original of at least "
            f"{self.needed[0]} x {self.needed[1]} pixels"
        )


@dataclass(frozen=True)
class PreparedImages:
    """Every image of an issue, prepared: what the renders of all languages share."""

    folder: Path
    """The issue's output folder (``<output>/<slug>``); derivative paths are relative to it."""
    images: Mapping[str, PreparedImage] = field(default_factory=dict)
    low_resolution: tuple[LowResolution, ...] = ()

    def __getitem__(self, source: str) -> PreparedImage:
        return self.images[source]

    def __contains__(self, source: object) -> bool:
        return source in self.images

    def __iter__(self) -> Iterator[PreparedImage]:
        return iter(self.images.values())

    def print_file(self, source: str) -> Path | None:
        """The file the PDF embeds for ``source``, or ``None`` when it is the original."""
        image = self.images.get(source)
        if image is None or image.print is None:
            return None
        return self.folder / image.print.path

    @property
    def print_files(self) -> tuple[Path, ...]:
        """Every file the PDFs may load besides the issue folder and the theme."""
        return tuple(sorted({self.folder / i.print.path for i in self if i.print is not None}))

    @property
    def files(self) -> frozenset[str]:
        """Every derivative's path, relative to the output folder."""
        found = set()
        for image in self:
            for copy in (image.print, *image.screens, image.original):
                if copy is not None:
                    found.add(copy.path)
        return frozenset(found)
