"""Stage 2b: an issue's images prepared once for every language, for print and for screens.

Print copies are scaled to the configured resolution at the largest size the layout places each
image (never enlarged) and encoded so that WeasyPrint embeds them as they are; screen copies are the
screen width and twice it. Everything is cached under the output folder by the digest of the
original and of the copy's recipe; originals are only read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_attributes
from ._model import (
    Derivative as Derivative,
    LowResolution as LowResolution,
    Placement as Placement,
    PreparedImage as PreparedImage,
    PreparedImages as PreparedImages,
    largest_placements as largest_placements,
)

# What needs Pillow is imported when first used: templates that only show prepared images (the
# service's pages, the email) do not load it.
if TYPE_CHECKING:
    from ._encode import upright_size as upright_size
    from ._prepare import (
        Runner as Runner,
        low_resolution as low_resolution,
        prepare_images as prepare_images,
        remove_stale as remove_stale,
        serial as serial,
    )

__getattr__, __dir__, __all__ = lazy_attributes(__name__)
