"""Stage 2b: an issue's images prepared once for every language, for print and for screens.

Print copies are scaled to the configured resolution at the largest size the layout places each
image (never enlarged) and encoded so that WeasyPrint embeds them as they are; screen copies are the
screen width and twice it. Everything is cached under the output folder by the digest of the
original and of the copy's recipe; originals are only read.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._model import Derivative, LowResolution, Placement, PreparedImage, PreparedImages

if TYPE_CHECKING:
    from ._encode import upright_size
    from ._prepare import Runner, low_resolution, prepare_images, remove_stale, serial

__all__ = [
    "Derivative",
    "LowResolution",
    "Placement",
    "PreparedImage",
    "PreparedImages",
    "Runner",
    "low_resolution",
    "prepare_images",
    "remove_stale",
    "serial",
    "upright_size",
]

_PILLOW = {
    "Runner": "._prepare",
    "low_resolution": "._prepare",
    "prepare_images": "._prepare",
    "remove_stale": "._prepare",
    "serial": "._prepare",
    "upright_size": "._encode",
}
"""What needs Pillow is imported when first used: templates that only show prepared images (the
service's pages, the email) do not load it."""


def __getattr__(name: str) -> Any:
    if name not in _PILLOW:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_PILLOW[name], __name__), name)
