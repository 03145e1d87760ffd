"""masthead: publish a newsletter in many languages from one source.

The package root is the public API::

    config = masthead.load_config(".")
    masthead.build(config, "winter-2026")
"""

__version__ = "0.1.0"

from ._build import BuildReport, LanguageBuild, build
from ._config import Config, PrintSettings, load_config
from ._errors import (
    CatalogError,
    ConfigError,
    MastheadError,
    Problems,
    RenderError,
    ResourceError,
    SourceError,
)
from ._language import Language, language
from .editions import Edition
from .sources import Issue, load_issue

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
