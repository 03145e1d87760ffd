"""The service's pages: theme templates under ``web/``, in the reader's language, with its strings."""

from __future__ import annotations

import gettext
import threading
from collections.abc import Sequence
from datetime import date
from typing import Any

from jinja2 import Environment

from .. import _layout
from .._config import Config
from .._language import Language
from ..catalogs import theme_translations
from ..delivery import choose_edition
from ..theme import environment, local_date


class Pages:
    """One Jinja2 environment per language, each with that language's theme strings installed, so
    that pages in different languages can be rendered side by side."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._environments: dict[str, Environment] = {}
        self._translations: dict[str, gettext.NullTranslations] = {}
        self._lock = threading.Lock()

    def translations(self, language: Language) -> gettext.NullTranslations:
        with self._lock:
            found = self._translations.get(language.tag)
            if found is None:
                found = theme_translations(self.config, language)
                self._translations[language.tag] = found
            return found

    def _environment(self, language: Language) -> Environment:
        translations = self.translations(language)
        with self._lock:
            env = self._environments.get(language.tag)
            if env is None:
                env = environment(self.config.templates_dir)
                env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
                self._environments[language.tag] = env
            return env

    def render(self, template: str, language: Language, **context: Any) -> str:
        """Render ``web/<template>`` for ``language``: ``lang``, ``config``, ``format_date`` and ``layout``
        (:mod:`masthead._layout`, where every route and file lies) are set."""
        env = self._environment(language)
        locale = language.locale

        def format_date(value: date, fmt: str = "long") -> str:
            return local_date(value, fmt, locale)

        return env.get_template(f"web/{template}").render(
            lang=language, config=self.config, format_date=format_date, layout=_layout, **context
        )

    def gettext(self, language: Language, message: str) -> str:
        return self.translations(language).gettext(message)


def accepted_languages(header: str | None) -> list[str]:
    """The tags of an ``Accept-Language`` header, most wanted first (``*`` and q=0 left out)."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and tag != "*" and quality > 0 and len(tag) <= 35:
            ranked.append((-quality, index, tag))
    return [tag for _, _, tag in sorted(ranked)]


def best_language(wanted: Sequence[str], offered: Sequence[Language], source: Language) -> Language:
    """The offered language that best matches the reader's wishes, by the rules editions are chosen by."""
    if not offered:
        return source
    for tag in wanted:
        try:
            choice = choose_edition(tag, offered, source)
        except ValueError:
            continue
        if choice.rule != "source":
            return choice.edition
    return source if source in offered else offered[0]
