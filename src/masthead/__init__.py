"""masthead: publish a newsletter in many languages from one source.

The package root is the public API::

    config = masthead.load_config(".")
    masthead.build(config, "winter-2026")

Its names are imported on first use (PEP 562), so that a part of masthead that needs only settings or
the subscriber store (``masthead subscribers``, the web service) never loads the PDF renderer.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._errors import (
    CatalogError,
    ConfigError,
    MastheadError,
    Problems,
    RenderError,
    ResourceError,
    SourceError,
)

__version__ = "0.1.0"

if TYPE_CHECKING:
    from ._build import BuildReport, LanguageBuild, build
    from ._config import Config, PrintSettings, load_config
    from ._language import Language, language
    from .editions import Edition
    from .sources import Issue, load_issue

_LAZY = {
    "BuildReport": "._build",
    "LanguageBuild": "._build",
    "build": "._build",
    "Config": "._config",
    "PrintSettings": "._config",
    "load_config": "._config",
    "Language": "._language",
    "language": "._language",
    "Edition": ".editions",
    "Issue": ".sources",
    "load_issue": ".sources",
}
"""Public names and the module each comes from."""

__all__ = [
    "BuildReport",
    "CatalogError",
    "Config",
    "ConfigError",
    "Edition",
    "Issue",
    "Language",
    "LanguageBuild",
    "MastheadError",
    "PrintSettings",
    "Problems",
    "RenderError",
    "ResourceError",
    "SourceError",
    "__version__",
    "build",
    "language",
    "load_config",
    "load_issue",
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
