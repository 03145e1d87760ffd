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
    CatalogError as CatalogError,
    ConfigError as ConfigError,
    MastheadError as MastheadError,
    Problems as Problems,
    RenderError as RenderError,
    ResourceError as ResourceError,
    SourceError as SourceError,
)
from ._lazy import lazy_attributes

__version__ = version("masthead")
"""The installed distribution's version, as ``pyproject.toml`` gives it."""

if TYPE_CHECKING:
    from ._config import Config as Config, PrintSettings as PrintSettings, load_config as load_config
    from ._language import Language as Language, language as language
    from .builder import BuildReport as BuildReport, LanguageBuild as LanguageBuild, build as build
    from .editions import Edition as Edition
    from .sources import Issue as Issue, load_issue as load_issue

__getattr__, __dir__, __all__ = lazy_attributes(__name__, also=("__version__",))
