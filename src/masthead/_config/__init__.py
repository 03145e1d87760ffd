"""Settings: ``masthead.toml``, each setting declared once (:mod:`._model` for ``[newsletter]``, then
:mod:`._editions`, :mod:`._images`, :mod:`._translation`, :mod:`._mail` and :mod:`._web` for the
other tables), validated in one place with every problem reported at once (:mod:`._load`), and
written out for people (:mod:`._document`)."""

from ._document import commented_settings, replace_readme_table, settings_table
from ._editions import PAGE_SIZES, CatalogSettings, PrintSettings, pdf_variants
from ._images import ImageSettings
from ._load import load_config, setting_line
from ._mail import DeliverySettings, EmailSettings
from ._model import CONFIG_FILE, EDITION_TABLES, TABLES, Config
from ._translation import TranslationSettings
from ._web import WebSettings

__all__ = [
    "CONFIG_FILE",
    "EDITION_TABLES",
    "PAGE_SIZES",
    "TABLES",
    "CatalogSettings",
    "Config",
    "DeliverySettings",
    "EmailSettings",
    "ImageSettings",
    "PrintSettings",
    "TranslationSettings",
    "WebSettings",
    "commented_settings",
    "load_config",
    "pdf_variants",
    "replace_readme_table",
    "setting_line",
    "settings_table",
]
