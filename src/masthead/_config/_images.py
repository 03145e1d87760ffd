"""The ``[images]`` settings: how the images of an issue are prepared for print and for screens."""

from __future__ import annotations

from dataclasses import dataclass

from ._declare import setting, whole


@dataclass(frozen=True)
class ImageSettings:
    print_dpi: int = setting(
        300,
        check=whole(72, 1200, "dots per inch, 72 to 1200"),
        help="The resolution of the images in the PDF at the largest size the layout places them; an "
        "image with fewer pixels keeps its own (it is never enlarged).",
    )
    jpeg_quality: int = setting(
        85,
        check=whole(30, 95, "30 to 95"),
        help="The quality of the JPEG images masthead makes (photographs scaled for print and screens); "
        "an image used at its own size is not encoded again.",
    )
    warn_below_dpi: int = setting(
        150,
        check=whole(0, 1200, "dots per inch, 0 to 1200"),
        help="A build and 'masthead doctor' warn about an image whose resolution in print, at the size "
        "the layout places it, is lower than this (it prints soft); 0 for never.",
    )
    screen_width: int = setting(
        720,
        check=whole(100, 4000, "CSS pixels, 100 to 4000"),
        help="The widest an image is shown on a screen, in CSS pixels (the web page's column): web pages "
        "get images this wide and twice as wide for sharp screens, emails the first.",
    )
