"""Reading ``masthead.toml``: every problem reported at once, each with its line and what is expected."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from difflib import get_close_matches
from pathlib import Path
from typing import Any, TypeVar

from .._disk import read_text
from .._errors import ConfigError, MastheadError, raise_all
from .._language import Language, language
from ._declare import Setting, settings_of
from ._document import toml_value
from ._editions import CatalogSettings, PrintSettings
from ._images import ImageSettings
from ._mail import BouncesSettings, DeliverySettings, DkimSettings, EmailSettings, SubscribersSettings
from ._model import CONFIG_FILE, TABLES, Config
from ._translation import TranslationSettings
from ._web import WebSettings

T = TypeVar("T")
_Problem = Callable[[str, str, str | None, str | None], None]

_SETTINGS: dict[str, dict[str, Setting]] = {
    table: {item.key: item for item in settings_of(cls)} for table, cls in TABLES.items()
}
_MOVED = {
    ("delivery", "database"): "the subscriber store is now [subscribers] database: move it there",
    ("email", "postal_address"): "the postal address is now [newsletter] postal_address, which the web "
    "page and the back page use too: move it there",
}
"""Settings that moved to another table, and where to."""
_WRITTEN_BY_PEOPLE = ("issues", "templates", "locales")
"""Workspace folders that builds must never write into."""


def load_config(root: Path | str = ".") -> Config:
    """Read and validate ``masthead.toml`` in ``root``; raise every problem found at once."""
    root = Path(root).resolve()
    path = root / CONFIG_FILE
    try:
        text = read_text(path, ConfigError)
    except FileNotFoundError:
        raise ConfigError(
            "no masthead.toml here",
            path=path,
            hint="run masthead in a workspace, or create one with 'masthead init DIR'",
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise ConfigError(
            f"not valid TOML: {exc}",
            path=path,
            # tomllib names no line for what it finds missing "at end of document": the last line.
            line=int(match.group(1)) if match else max(1, len(text.splitlines())),
            hint="see https://toml.io for the syntax",
        ) from None
    problems: list[MastheadError] = []

    def problem(message: str, table: str, key: str | None, hint: str | None = None) -> None:
        # A table that is not there at all: the file's first line is where to add it.
        problems.append(ConfigError(message, path=path, line=_line_of(text, table, key) or 1, hint=hint))

    for table, value in data.items():
        if table not in _SETTINGS:
            problem(f"unknown table [{table}]", table, None, _suggest(table, _SETTINGS))
        elif not isinstance(value, dict):
            problem(f"{table} must be a table: [{table}]", table, None)
    for table, settings in _SETTINGS.items():
        values = data.get(table, {})
        if not isinstance(values, dict):
            continue
        for key, value in values.items():
            if key not in settings:
                hint = _MOVED.get((table, key)) or _suggest(key, settings)
                problem(f"unknown setting {key!r} in [{table}]", table, key, hint)
            elif not (check := settings[key].check).test(value):
                expected = check.explain(value) if check.explain else f"expected {check.expects}"
                problem(f"[{table}] {key} = {value!r} is not valid", table, key, expected)
        for key, declared in settings.items():
            if declared.required and key not in values:
                example = toml_value(declared.example)
                problem(f"[{table}] has no {key}", table, None, f"add {key} = {example}")

    news = data.get("newsletter", {}) if isinstance(data.get("newsletter"), dict) else {}
    languages = _languages(news, problem)
    local_names = news.get("local_names", {})
    for tag in local_names if isinstance(local_names, dict) else ():
        try:
            language(tag)
        except ValueError:
            problem(f"unknown language tag {tag!r} in local_names", "newsletter", "local_names")
    postal = _postal_addresses(news.get("postal_address"), languages, problem)
    output = news.get("output", _SETTINGS["newsletter"]["output"].default)
    if isinstance(output, str) and output and (clash := _output_clash(root, output)):
        problem(
            f"[newsletter] output = {output!r} {clash}",
            "newsletter",
            "output",
            "choose a folder of its own, such as 'build' or an absolute path outside the workspace",
        )
    raise_all(problems)

    names = news["name"]
    return Config(
        root=root,
        names=(names,) if isinstance(names, str) else tuple(names),
        publisher=news.get("publisher", names if isinstance(names, str) else names[0]),
        source_language=languages[0],
        languages=tuple(languages),
        base_url=news["base_url"].rstrip("/") + "/",
        output=Path(os.path.normpath(root / output)),
        local_names=tuple((language(tag).tag, name) for tag, name in local_names.items()),
        postal_address=postal,
        print=_settings(PrintSettings, data.get("print", {})),
        images=_settings(ImageSettings, data.get("images", {})),
        catalogs=_settings(CatalogSettings, data.get("catalogs", {})),
        translation=_settings(TranslationSettings, data.get("translation", {})),
        email=_settings(EmailSettings, data.get("email", {})),
        subscribers=_settings(SubscribersSettings, data.get("subscribers", {})),
        delivery=_settings(DeliverySettings, data.get("delivery", {})),
        dkim=_settings(DkimSettings, data.get("dkim", {})),
        bounces=_settings(BouncesSettings, data.get("bounces", {})),
        web=_settings(WebSettings, data.get("web", {})),
    )


def _settings(cls: type[T], values: dict[str, Any]) -> T:
    """One table's dataclass from its TOML values (already checked)."""
    given: dict[str, Any] = {}
    for declared in settings_of(cls):
        if declared.key in values:
            value = values[declared.key]
            given[declared.attribute] = declared.parse(value) if declared.parse else value
    return cls(**given)


def _languages(news: dict[str, Any], problem: _Problem) -> list[Language]:
    """The source language, then every other configured one, each once; unknown tags are problems."""
    languages: list[Language] = []
    tags = [news.get("source_language", "en")]
    extra = news.get("languages", [])
    tags += extra if isinstance(extra, list) else []
    for tag in tags:
        if not isinstance(tag, str):
            continue
        try:
            lang = language(tag)
        except ValueError:
            key = "source_language" if tag == tags[0] else "languages"
            problem(
                f"unknown language tag {tag!r}",
                "newsletter",
                key,
                "use a BCP 47 tag such as 'en', 'fr', 'zh-Hans', 'zh-Hant', 'pt-BR' or 'ar'",
            )
            continue
        if lang not in languages:
            languages.append(lang)
    return languages


def _postal_addresses(
    value: Any, languages: list[Language], problem: _Problem
) -> tuple[tuple[str, str], ...]:
    """``[newsletter] postal_address`` as (language tag, address) pairs, the source language's first."""
    if not languages or not value:
        return ()
    source = languages[0]
    if isinstance(value, str):
        return ((source.tag, value.strip()),)
    if not isinstance(value, dict):
        return ()  # reported by the setting's check
    addresses: dict[str, str] = {}
    for tag, address in value.items():
        try:
            addresses[language(tag).tag] = str(address).strip()
        except ValueError:
            problem(f"unknown language tag {tag!r} in postal_address", "newsletter", "postal_address", None)
    if addresses and source.tag not in addresses:
        problem(
            f"postal_address has no address for the source language {source.tag!r}",
            "newsletter",
            "postal_address",
            f'add {source.tag} = "...": languages without an address of their own use it',
        )
    return tuple(sorted(addresses.items(), key=lambda item: item[0] != source.tag))


def _output_clash(root: Path, output: str) -> str | None:
    """Why builds may not go to ``output``, or ``None``: they must not write over what people wrote."""
    target = (root / output).resolve()
    if target == root or target in root.parents:
        return "is the workspace itself" if target == root else "holds the workspace"
    for folder in _WRITTEN_BY_PEOPLE:
        if target.is_relative_to((root / folder).resolve()):
            return f"is inside {folder}/, which holds what people wrote"
    return None


def _suggest(word: str, known: Any) -> str:
    close = get_close_matches(word, list(known), n=1)
    if close:
        return f"did you mean {close[0]!r}?"
    return "known: " + ", ".join(sorted(known))


def setting_line(config: Config, table: str, key: str) -> int | None:
    """The line of ``masthead.toml`` where ``[table] key`` is set, for an error about its value."""
    try:
        text = read_text(config.root / CONFIG_FILE, ConfigError)
    except (OSError, ConfigError):
        return None
    return _line_of(text, table, key)


def _line_of(text: str, table: str, key: str | None) -> int | None:
    """The line where ``key`` is set in ``[table]`` (or its own ``[table.key]`` header, or the table's
    header), for error messages."""
    current = ""
    header_line = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.split("#", 1)[0].strip() if line.lstrip().startswith("[") else line.strip()
        if stripped.startswith("["):
            current = stripped.strip("[] ")
            if current == table:
                header_line = number
            elif key and current == f"{table}.{key}":
                return number
            continue
        if current == table and key and re.match(rf"{re.escape(key)}\s*=", stripped):
            return number
    return header_line
