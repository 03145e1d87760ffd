"""What a language edition's outputs depend on, as one digest: unchanged inputs, no rebuild."""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Iterable, Sequence
from importlib.metadata import version
from pathlib import Path

from .._config import CONFIG_FILE, EDITION_TABLES, Config
from .._language import Language
from ..catalogs import PACKAGED_LOCALES, PACKAGED_TEMPLATES

WEB_PAGES = "web"
"""The theme's folder of the service's own pages (``masthead serve``), which no edition uses."""


def fingerprint(config: Config, issue_folder: Path, language: Language, published: Sequence[Language]) -> str:
    """Digest of the issue's sources and images, the language's catalogs, the theme, the settings,
    the languages the edition links to, and masthead's version."""
    digest = hashlib.sha256()
    digest.update(f"masthead {version('masthead')}\n{language.tag}\n".encode())
    digest.update((" ".join(lang.tag for lang in published) + "\n").encode())
    catalog_dirs = [
        (f"{label}/{name}", locales / name)
        for label, locales in (("locales", config.locales_dir), ("masthead-locales", PACKAGED_LOCALES))
        for name in {language.catalog_name, language.locale.language}
    ]
    digest.update(_settings_that_shape_outputs(config.root / CONFIG_FILE))
    theme = [
        (name, path)
        for name, path in _files(_theme(config))
        if WEB_PAGES not in path.parts  # the readers' side pages are no part of an edition
    ]
    for name, path in [*_files([("issue", issue_folder)]), *theme, *_files(catalog_dirs)]:
        digest.update(f"{name}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def layout_digest(config: Config, issue_folder: Path) -> str:
    """Digest of what decides where print places an issue's images: its sources and images, the
    theme, the settings, the languages and the versions of masthead and WeasyPrint. Not the
    catalogs: translations change the words, never the frames figures are drawn in."""
    digest = hashlib.sha256()
    digest.update(f"masthead {version('masthead')} weasyprint {version('weasyprint')}\n".encode())
    digest.update((" ".join(lang.tag for lang in config.languages) + "\n").encode())
    digest.update(_settings_that_shape_outputs(config.root / CONFIG_FILE))
    for name, path in _files([("issue", issue_folder), *_theme(config)]):
        digest.update(f"{name}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _settings_that_shape_outputs(path: Path) -> bytes:
    """The settings of the tables that can change an edition: how mail is sent, where subscribers
    are kept, how it is signed, where returned mail goes and how the service answers change no
    edition, so switching the store to PostgreSQL must not make every edition out of date."""
    settings = tomllib.loads(path.read_text(encoding="utf-8"))
    shaping = {table: value for table, value in settings.items() if table in EDITION_TABLES}
    return json.dumps(shaping, sort_keys=True, default=str).encode()


def _theme(config: Config) -> list[tuple[str, Path]]:
    return [("templates", config.templates_dir), ("masthead-templates", PACKAGED_TEMPLATES)]


def _files(folders: Iterable[tuple[str, Path]]) -> list[tuple[str, Path]]:
    """Every file in each folder, named by the folder's label and the file's path inside it: where
    the workspace lies on disk is no input, so a workspace moved or checked out elsewhere keeps its
    editions up to date."""
    found = []
    for label, folder in folders:
        if folder.is_dir():
            found += sorted(
                (f"{label}/{path.relative_to(folder).as_posix()}", path)
                for path in folder.rglob("*")
                if path.is_file() and path.suffix not in (".mo", ".pyc") and "__pycache__" not in path.parts
            )
    return found
