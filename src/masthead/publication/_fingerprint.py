"""What each output of a language edition depends on, as one digest per stage: unchanged inputs, no
rebuild.

An edition has three outputs, each made by a stage of its own: the web page, the email and the
print PDF. Each stage's digest covers the issue's sources and images, the language's catalogs, the
settings and masthead's version, and the theme's files except the templates that only the other
stages use (a change to ``web.css`` leaves the PDF and the email as they are); the web page's also
covers the languages it links to. A language's folder keeps the digest of each stage last finished
in its stamp (:mod:`._stamp`), so a build redoes only the stages that are out of date.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from importlib.metadata import version
from pathlib import Path

from .._config import CONFIG_FILE, EDITION_TABLES, Config
from .._language import Language
from ..catalogs import PACKAGED_LOCALES, PACKAGED_TEMPLATES
from ._record import EMAIL, PDF, STAGES, WEB

WEB_PAGES = "web"
"""The theme's folder of the service's own pages (``masthead serve``), which no edition uses."""

ENTRY_TEMPLATES: Mapping[str, tuple[str, ...]] = {
    WEB: ("web.html",),
    EMAIL: ("email.html", "email.txt"),
    PDF: ("print.html",),
}
"""The theme templates each stage renders; what they include, extend or import is found from them."""


def stage_digests(
    config: Config, issue_folder: Path, language: Language, published: Sequence[Language]
) -> dict[str, str]:
    """The digest of each stage's inputs (see the module's description), by stage."""
    return with_links(input_digests(config, issue_folder, language), published)


def input_digests(config: Config, issue_folder: Path, language: Language) -> dict[str, str]:
    """The digest of each stage's files and settings, by stage: the digests of :func:`stage_digests`
    but for the languages the web page links to (:func:`with_links`). A build takes them before it
    reads anything, so that a file changed while it runs makes its outputs out of date, never
    the other way round."""
    catalog_dirs = [
        (f"{label}/{name}", locales / name)
        for label, locales in (("locales", config.locales_dir), ("masthead-locales", PACKAGED_LOCALES))
        for name in {language.catalog_name, language.locale.language}
    ]
    common = hashlib.sha256()
    common.update(f"masthead {version('masthead')}\n{language.tag}\n".encode())
    common.update(_settings_that_shape_outputs(config.root / CONFIG_FILE))
    for name, path in [*_files([("issue", issue_folder)]), *_files(catalog_dirs)]:
        common.update(f"{name}\n".encode())
        common.update(path.read_bytes())
    theme = [
        (name, path)
        for name, path in _files(_theme(config))
        if WEB_PAGES not in path.parts  # the readers' side pages are no part of an edition
    ]
    contents = {name: path.read_bytes() for name, path in theme}
    left_out = _left_out_by_stage(contents)
    digests = {}
    for stage in STAGES:
        digest = common.copy()
        digest.update(f"stage {stage}\n".encode())
        for name, data in contents.items():
            if _relative(name) not in left_out.get(stage, ()):
                digest.update(f"{name}\n".encode())
                digest.update(data)
        digests[stage] = digest.hexdigest()
    return digests


def with_links(digests: Mapping[str, str], published: Sequence[Language]) -> dict[str, str]:
    """``digests`` (by stage) with the languages the web page links to in the web page's."""
    links = " ".join(lang.tag for lang in published)
    return {
        stage: hashlib.sha256(f"{digest}\n{links}\n".encode()).hexdigest() if stage == WEB else digest
        for stage, digest in digests.items()
    }


def _relative(name: str) -> str:
    """A theme file's name as templates name it: ``templates/web.css`` -> ``web.css``."""
    return name.split("/", 1)[1]


def _left_out_by_stage(contents: Mapping[str, bytes]) -> dict[str, set[str]]:
    """For each stage, the theme templates that only other stages use, which its digest leaves out.

    Each stage's templates are found by following the ``include``, ``extends``, ``import`` and
    ``from`` of its entry templates, the workspace's file before the packaged one. A template is left
    out of a stage only when another stage uses it, this one does not, and no template of this one
    names it outside a comment (a stylesheet a print template links to, for WeasyPrint to load,
    stays in). When a template names another only at run time (``{% include variable %}``), every
    stage keeps every template.
    """
    sources: dict[str, str] = {}
    for name, data in sorted(contents.items(), key=lambda item: not item[0].startswith("templates/")):
        relative = _relative(name)
        text = data.decode("utf-8", errors="replace")
        if not name.startswith("templates/"):
            sources.setdefault(f"theme/{relative}", text)
        sources.setdefault(relative, text)

    closures: dict[str, set[str]] = {}
    for stage, entries in ENTRY_TEMPLATES.items():
        seen: set[str] = set()
        todo = list(entries)
        while todo:
            name = todo.pop()
            if name in seen or name not in sources:
                continue
            seen.add(name)
            referenced = _referenced(sources[name])
            if referenced is None:
                return {}
            todo += referenced
        closures[stage] = {name.removeprefix("theme/") for name in seen}
    left_out: dict[str, set[str]] = {}
    for stage, closure in closures.items():
        text = _COMMENTS.sub("", "".join(sources.get(name, "") for name in closure))
        others = set().union(*(c for s, c in closures.items() if s != stage))
        left_out[stage] = {name for name in others - closure if name not in text}
    return left_out


_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
_COMMENTS = re.compile(r"\{#.*?#\}|/\*.*?\*/|<!--.*?-->", re.DOTALL)
"""Jinja, CSS and HTML comments: a file named in one is not loaded."""
_TAG = re.compile(r"\{%[-+]?\s*(?:include|extends|import|from)\s+(.*?)[-+]?%\}", re.DOTALL)
_STRING = re.compile(r"""^(?:"([^"\\]*)"|'([^'\\]*)')""")


def _referenced(source: str) -> list[str] | None:
    """The templates ``source`` includes, extends or imports by name; ``None`` when one is named by
    an expression that only the render knows (a variable, a list)."""
    found = []
    for argument in _TAG.findall(_COMMENT.sub("", source)):
        literal = _STRING.match(argument.strip())
        if literal is None:
            return None
        found.append(literal.group(1) if literal.group(1) is not None else literal.group(2))
    return found


def layout_digest(config: Config, issue_folder: Path) -> str:
    """Digest of what decides where print places an issue's images: its sources and images, the
    theme files print uses, the settings, the languages and the versions of masthead and
    WeasyPrint. Not the catalogs: translations change the words, never the frames figures are drawn
    in; nor the templates of the web page and the email alone."""
    digest = hashlib.sha256()
    digest.update(f"masthead {version('masthead')} weasyprint {version('weasyprint')}\n".encode())
    digest.update((" ".join(lang.tag for lang in config.languages) + "\n").encode())
    digest.update(_settings_that_shape_outputs(config.root / CONFIG_FILE))
    theme = {name: path.read_bytes() for name, path in _files(_theme(config)) if WEB_PAGES not in path.parts}
    not_printed = _left_out_by_stage(theme).get(PDF, set())
    for name, path in _files([("issue", issue_folder)]):
        digest.update(f"{name}\n".encode())
        digest.update(path.read_bytes())
    for name, data in theme.items():
        if _relative(name) not in not_printed:
            digest.update(f"{name}\n".encode())
            digest.update(data)
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
