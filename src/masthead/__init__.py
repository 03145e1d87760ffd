"""masthead: publish a newsletter in many languages from one source.

The package root is the public API::

    config = masthead.load_config(".")
    masthead.build(config, "winter-2026")

Its names are imported on first use (PEP 562), so that a part of masthead that needs only settings or
the subscriber store (``masthead subscribers``, the web service) never loads the PDF renderer.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import TYPE_CHECKING

from ._errors import (
    CatalogError,
    ConfigError,
    MastheadError,
    Problems,
    RenderError,
    ResourceError,
    SourceError,
)
from ._lazy import lazy_attributes

__version__ = version("masthead")
"""The installed distribution's version, as ``pyproject.toml`` gives it."""

if TYPE_CHECKING:
    from ._config import Config, PrintSettings, load_config
    from ._language import Language, language
    from .builder import BuildReport, LanguageBuild, build
    from .editions import Edition
    from .sources import Issue, load_issue

__getattr__, __dir__ = lazy_attributes(
    __name__,
    {
        ".builder": ("BuildReport", "LanguageBuild", "build"),
        "._config": ("Config", "PrintSettings", "load_config"),
        "._language": ("Language", "language"),
        ".editions": ("Edition",),
        ".sources": ("Issue", "load_issue"),
    },
)


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
