"""Settings: ``masthead.toml``, each setting declared once (:mod:`._model`), validated in one place
with every problem reported at once (:mod:`._load`), and written out for people (:mod:`._document`)."""

from ._document import commented_settings, replace_readme_table, settings_table
from ._load import load_config
from ._model import (
    CONFIG_FILE,
    PAGE_SIZES,
    TABLES,
    CatalogSettings,
    Config,
    DeliverySettings,
    EmailSettings,
    PrintSettings,
    TranslationSettings,
    WebSettings,
    pdf_variants,
)

__all__ = [
    "CONFIG_FILE",
    "PAGE_SIZES",
    "TABLES",
    "CatalogSettings",
    "Config",
    "DeliverySettings",
    "EmailSettings",
    "PrintSettings",
    "TranslationSettings",
    "WebSettings",
    "commented_settings",
    "load_config",
    "pdf_variants",
    "replace_readme_table",
    "settings_table",
]
