"""Stage 2: gettext catalogs. Extract an issue's texts and the theme's strings, keep every
language's ``.po`` up to date without losing a translation, compile, count and check them.
"""

from __future__ import annotations

import gettext
import io
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo

from .._config import Config
from .._disk import write_atomic
from .._errors import CatalogError, display_path
from .._language import Language
from ..sources import Issue
from ._check import check_theme_translation, check_translation
from ._context import ISSUE_ANCHORS, block_anchor, section_anchor
from ._extract import extract_issue, extract_theme, issue_messages
from ._files import catalog_bytes, read_catalog, write_catalog
from ._update import TranslationMemory, UpdateSummary, update_catalog

__all__ = [
    "ISSUE_ANCHORS",
    "MACHINE_FLAG",
    "MACHINE_UNCHECKED_FLAG",
    "THEME_DOMAIN",
    "CatalogStats",
    "ChangedMessage",
    "CheckProblem",
    "MergeResult",
    "ThemeCatalogResult",
    "ThemeStrings",
    "TranslationMemory",
    "UpdateResult",
    "block_anchor",
    "catalog_bytes",
    "changed_messages",
    "changed_report",
    "check_catalogs",
    "check_theme_translation",
    "check_translation",
    "compile_catalogs",
    "completeness",
    "extract",
    "extract_issue",
    "extract_theme",
    "init_theme_catalog",
    "is_machine",
    "issue_catalog",
    "issue_messages",
    "merge_translations",
    "missing_theme",
    "po_path",
    "publishable",
    "read_catalog",
    "section_anchor",
    "stats",
    "theme_problems",
    "theme_strings",
    "theme_translations",
    "update",
    "update_catalog",
    "web_page",
    "workspace_path",
    "write_catalog",
]

logger = logging.getLogger("masthead.catalogs")

THEME_DOMAIN = "masthead"
MACHINE_FLAG = "machine"
"""Flag on entries filled by machine translation: stored fuzzy, published only when settings allow.
Once a person reviews the entry and clears ``fuzzy``, it counts as their translation."""
MACHINE_UNCHECKED_FLAG = "machine-unchecked"
"""Flag on machine entries whose links, code, numbers or names came back broken: never published."""
MEMORY_CACHE = Path(".masthead-cache") / "memory.sqlite3"
"""Parsed translation memory, so that a catalog update reads only the catalogs that changed."""
PACKAGED_LOCALES = Path(__file__).resolve().parent.parent / "locales"
PACKAGED_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def po_path(locales_dir: Path, language: Language, domain: str) -> Path:
    return locales_dir / language.catalog_name / "LC_MESSAGES" / f"{domain}.po"


# --- extract -------------------------------------------------------------------------------------


def web_page(config: Config, issue: Issue) -> str:
    """The web edition of ``issue`` in the source language, where the messages' links point."""
    return f"{config.base_url}{issue.slug}/{config.source_language.tag}/index.html"


def extract(config: Config, issue: Issue) -> list[tuple[Path, bool]]:
    """Write ``locales/<slug>.pot`` and ``locales/masthead.pot``; return each path and whether it changed."""
    written = []
    for catalog in (
        extract_issue(issue, config.name, web_page(config, issue)),
        extract_theme([config.templates_dir, PACKAGED_TEMPLATES], config.name),
    ):
        path = config.locales_dir / f"{catalog.domain}.pot"
        written.append((path, write_catalog(path, catalog)))
    return written


# --- update --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UpdateResult:
    path: Path
    language: Language
    written: bool
    created: bool
    summary: UpdateSummary


def update(config: Config, issue: Issue, languages: Sequence[Language]) -> list[UpdateResult]:
    """Create or update ``locales/<lang>/LC_MESSAGES/<slug>.po`` for each language."""
    template = extract_issue(issue, config.name, web_page(config, issue))
    results = []
    for language in languages:
        if language == config.source_language:
            continue
        path = po_path(config.locales_dir, language, issue.slug)
        others = [p for p in path.parent.glob("*.po") if p != path]
        memory = TranslationMemory.from_catalogs(
            others, language.catalog_name, cache=config.root / MEMORY_CACHE
        )
        existing = read_catalog(path, locale=language.catalog_name) if path.is_file() else None
        catalog, summary = update_catalog(template, existing, language, memory)
        written = write_catalog(path, catalog)
        results.append(UpdateResult(path, language, written, existing is None, summary))
        logger.debug("%s: %s", path, summary)
    return results


# --- a theme catalog of the workspace's own ----------------------------------------------------


@dataclass(frozen=True)
class ThemeCatalogResult:
    path: Path
    template: Path
    language: Language
    created: bool
    written: bool
    untranslated: int
    plural_forms: str
    shipped: Path | None
    """The theme's own catalog for the language, which entries translated here override."""


def init_theme_catalog(config: Config, language: Language) -> ThemeCatalogResult:
    """Write ``locales/masthead.pot`` from the theme and start ``locales/<lang>/LC_MESSAGES/masthead.po``
    from it, with the language's plural forms from Babel; a catalog already there is brought up to
    date with the theme instead, keeping every translation."""
    if _untranslated_theme(config, language):
        raise CatalogError(
            f"{language.tag} is the source language: the theme is written in it",
            path=config.root / "masthead.toml",
            hint="start a catalog for another language of [newsletter] languages",
        )
    template = extract_theme([config.templates_dir, PACKAGED_TEMPLATES], config.name)
    pot = config.locales_dir / f"{THEME_DOMAIN}.pot"
    write_catalog(pot, template)
    path = po_path(config.locales_dir, language, THEME_DOMAIN)
    existing = read_catalog(path, locale=language.catalog_name) if path.is_file() else None
    catalog, _ = update_catalog(template, existing, language, TranslationMemory())
    written = write_catalog(path, catalog)
    untranslated = sum(1 for message in catalog if message.id and (not message.string or message.fuzzy))
    shipped = next((found for found in _theme_paths(PACKAGED_LOCALES, language)), None)
    return ThemeCatalogResult(
        path, pot, language, existing is None, written, untranslated, catalog.plural_forms, shipped
    )


def missing_theme(config: Config, language: Language) -> str | None:
    """Why the labels of ``language``'s editions (Headlines, By, Photo:...) print in English, and
    what to do; ``None`` when the theme has translations in that language."""
    if _untranslated_theme(config, language) or theme_strings(config, language).messages:
        return None
    own = next(iter(_theme_paths(config.locales_dir, language)), None)
    name = language.locale.get_display_name("en") or language.tag
    if own is None:
        return (
            f"{language.tag}: the theme has no catalog in {name}, so its labels (Headlines, By, Photo:...) "
            f"print in English; start one with 'masthead catalog init {language.tag}'"
        )
    shown = workspace_path(config, own).as_posix()
    return f"{language.tag}: {shown} has no translation yet, so the theme's labels print in English"


def _theme_paths(locales: Path, language: Language) -> list[Path]:
    paths = (locales / name / "LC_MESSAGES" / f"{THEME_DOMAIN}.po" for name in _fallbacks(language))
    return [path for path in paths if path.is_file()]


# --- translations coming back ----------------------------------------------------------------------


@dataclass(frozen=True)
class MergeResult:
    path: Path
    written: bool
    translated: int
    """Entries whose translation or state the returned file changed."""
    reviewed: int
    """Of those, entries it marks reviewed (no longer fuzzy)."""
    left_out: tuple[str, ...]
    """Messages of the returned file that the catalog no longer has (obsolete or removed)."""


def merge_translations(config: Config, issue: Issue, language: Language, returned: Path) -> MergeResult:
    """Take the translations of ``returned`` (a ``.po`` file, such as a translation agency's work
    converted back from XLIFF) into the language's catalog of ``issue``: each translation with its
    state (fuzzy or reviewed) and the translator's comments. Everything else the catalog holds stays as
    it is (the previous source of a changed message, flags, contexts, comments, references), since
    tools that went through XLIFF have lost some of it; an empty translation never replaces one."""
    path = po_path(config.locales_dir, language, issue.slug)
    if not path.is_file():
        raise CatalogError(
            "no catalog to take translations into",
            path=path,
            hint=f"run 'masthead catalog update {issue.slug} -l {language.tag}' first",
        )
    catalog = read_catalog(path, locale=language.catalog_name)
    by_id: dict[str, list[Message]] = {}
    for message in catalog:
        if message.id:
            by_id.setdefault(_singular(message.id), []).append(message)
    translated = reviewed = 0
    left_out = []
    for incoming in read_catalog(returned, locale=language.catalog_name):
        if not incoming.id:
            continue
        # XLIFF made by po2xliff keeps no msgctxt: a message is found by its context when it has
        # one, and by its text alone when that is unambiguous.
        candidates = by_id.get(_singular(incoming.id), [])
        exact = [m for m in candidates if m.context == incoming.context]
        found = exact or (candidates if len(candidates) == 1 else [])
        if not found:
            left_out.append(_singular(incoming.id))
            continue
        message = found[0]
        strings = incoming.string if isinstance(incoming.string, tuple | list) else [incoming.string]
        if not any(strings):
            continue
        if message.string != incoming.string or message.fuzzy != incoming.fuzzy:
            translated += 1
            reviewed += message.fuzzy and not incoming.fuzzy
            message.string = incoming.string
            if incoming.fuzzy:
                message.flags.add("fuzzy")
            else:
                message.flags.discard("fuzzy")
        message.user_comments += [c for c in incoming.user_comments if c not in message.user_comments]
    written = write_catalog(path, catalog)
    return MergeResult(path, written, translated, reviewed, tuple(left_out))


def _singular(msgid: str | tuple[str, ...] | list[str]) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


# --- compile -------------------------------------------------------------------------------------


def compile_catalogs(config: Config, languages: Sequence[Language]) -> list[Path]:
    """Write a ``.mo`` beside every ``.po`` of these languages in the workspace."""
    written = []
    for language in languages:
        for po in sorted((config.locales_dir / language.catalog_name / "LC_MESSAGES").glob("*.po")):
            catalog = read_catalog(po, locale=language.catalog_name)
            stream = io.BytesIO()
            write_mo(stream, catalog, use_fuzzy=False)
            write_atomic(po.with_suffix(".mo"), stream.getvalue())
            written.append(po.with_suffix(".mo"))
    return written


# --- stats ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogStats:
    language: Language
    domain: str
    path: Path | None
    total: int
    translated: int
    fuzzy: int
    machine: int
    """Machine translations (counted apart from ``fuzzy``, which holds the human-made fuzzy ones)."""
    changed: tuple[ChangedMessage, ...] = ()
    """The issue's messages whose source changed since they were translated (the fuzzy ones)."""

    @property
    def untranslated(self) -> int:
        return self.total - self.translated - self.fuzzy - self.machine

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def _count(catalog: Catalog | None, ids: Iterable[str], language: Language, domain: str,
           path: Path | None) -> CatalogStats:  # fmt: skip
    ids = list(dict.fromkeys(ids))
    translated = fuzzy = machine = 0
    for msgid in ids:
        message = catalog.get(msgid) if catalog is not None else None
        if message is None or not message.string:
            continue
        if is_machine(message.flags):
            machine += 1
        elif message.fuzzy:
            fuzzy += 1
        else:
            translated += 1
    return CatalogStats(language, domain, path, len(ids), translated, fuzzy, machine)


def stats(config: Config, issue: Issue, languages: Sequence[Language]) -> list[CatalogStats]:
    """Counts for the issue's domain and the theme's, per language (the source language excluded)."""
    theme_ids = _theme_ids((config.templates_dir, PACKAGED_TEMPLATES))
    issue_ids = [text.source for text in issue_messages(issue)]
    result = []
    for language in languages:
        if language == config.source_language:
            continue
        path = po_path(config.locales_dir, language, issue.slug)
        catalog = read_catalog(path, locale=language.catalog_name) if path.is_file() else None
        counted = _count(catalog, issue_ids, language, issue.slug, path if catalog else None)
        changed = changed_messages(issue, catalog, workspace_path(config, path))
        result.append(replace(counted, changed=tuple(changed)))
        theme = _theme_catalog(config, language)
        result.append(_count(theme, theme_ids, language, THEME_DOMAIN, None))
    return result


def _theme_ids(folders: tuple[Path, ...]) -> list[str]:
    """The theme's message ids, extracted again only when a template file changed."""
    files = tuple(
        (str(path), path.stat().st_mtime_ns, path.stat().st_size)
        for folder in folders
        if folder.is_dir()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    )
    return list(_extracted_theme_ids(folders, files))


@lru_cache(maxsize=8)
def _extracted_theme_ids(
    folders: tuple[Path, ...], files: tuple[tuple[str, int, int], ...]
) -> tuple[str, ...]:
    return tuple(str(m.id) for m in extract_theme(list(folders), "") if m.id)


def is_machine(flags: Iterable[str]) -> bool:
    """Whether an entry holds machine output nobody has reviewed yet (a review clears ``fuzzy``)."""
    flags = set(flags)
    return MACHINE_FLAG in flags and "fuzzy" in flags


def publishable(
    message_string: str, flags: Iterable[str], publish_machine: bool, publish_previous: bool = False
) -> bool:
    """Whether a translation is printed: machine output as the settings say, a person's fuzzy
    translation (its source changed since) only with ``publish_previous``, anything else that is there."""
    flags = set(flags)
    if not message_string:
        return False
    if is_machine(flags):
        return publish_machine and MACHINE_UNCHECKED_FLAG not in flags
    return "fuzzy" not in flags or publish_previous


def completeness(
    issue: Issue, catalog: Catalog | None, publish_machine: bool, publish_previous: bool = False
) -> float:
    """Percent of the issue's messages that a reader of this catalog's language would see translated."""
    ids = list(dict.fromkeys(text.source for text in issue_messages(issue)))
    if not ids:
        return 100.0
    done = 0
    for msgid in ids:
        message = catalog.get(msgid) if catalog is not None else None
        if message is not None and publishable(
            str(message.string or ""), message.flags, publish_machine, publish_previous
        ):
            done += 1
    return 100.0 * done / len(ids)


@dataclass(frozen=True)
class ChangedMessage:
    """A message of an issue whose source changed since a person translated it: its translation is
    fuzzy until they review it, and an edition prints the source text (or, if the settings say so,
    the previous translation) in its place."""

    path: Path
    """The catalog, as the workspace names it (``locales/fr/LC_MESSAGES/<slug>.po``)."""
    line: int
    msgid: str
    previous: str | None
    """The source the translation was made for (``#| msgid``), when the catalog says."""

    def format(self) -> str:
        return f"{self.path.as_posix()}:{self.line}: {_excerpt(self.msgid)}"


def _excerpt(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def changed_messages(issue: Issue, catalog: Catalog | None, path: Path) -> list[ChangedMessage]:
    """The issue's messages whose translation in ``catalog`` (read from ``path``) is a person's fuzzy
    one, in the catalog's order; machine translations waiting for review are not among them."""
    found = []
    for msgid in dict.fromkeys(text.source for text in issue_messages(issue)):
        message = catalog.get(msgid) if catalog is not None else None
        if message is None or not message.string or not message.fuzzy or is_machine(message.flags):
            continue
        previous = message.previous_id[0] if message.previous_id else None
        found.append(ChangedMessage(path, message.lineno or 0, msgid, previous))
    return sorted(found, key=lambda changed: changed.line)


def changed_report(
    language: Language, changed: Sequence[ChangedMessage], source: Language, *, previous: bool
) -> str | None:
    """How many of a language's messages changed in the source since translated, what its edition
    prints for them (and which setting says so), and where each is in the catalog."""
    count = len(changed)
    if not count:
        return None
    them = "it" if count == 1 else "them"
    if previous:
        shown = f"printed in their previous translation until a translator reviews {them}"
        setting = '[catalogs] changed = "previous"'
    else:
        name = source.locale.get_display_name("en") or source.tag
        shown = f"printed in {name} until a translator reviews {them}"
        setting = '[catalogs] changed = "source"'
    messages = "message" if count == 1 else "messages"
    lines = [f"{language.tag}: {count} {messages} changed in the source since translated, {shown} "
             f"({setting}):"]  # fmt: skip
    lines += [f"    {message.format()}" for message in changed]
    return "\n".join(lines)


def workspace_path(config: Config, path: Path) -> Path:
    """``path`` as the workspace names it, for messages that hold wherever the command runs."""
    return path.relative_to(config.root) if path.is_relative_to(config.root) else path


# --- check ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckProblem:
    path: Path
    line: int
    msgid: str
    problem: str

    def format(self) -> str:
        return f"{display_path(self.path)}:{self.line}: {self.problem}\n    msgid: {self.msgid[:70]!r}"


def check_catalogs(config: Config, issue: Issue, languages: Sequence[Language]) -> list[CheckProblem]:
    """Check every translated entry of the issue's and the workspace's theme catalogs."""
    problems = []
    for language in languages:
        if language == config.source_language:
            continue
        for domain in (issue.slug, THEME_DOMAIN):
            path = po_path(config.locales_dir, language, domain)
            if not path.is_file():
                continue
            for message in read_catalog(path, locale=language.catalog_name):  # syntax errors raise here
                if not message.id or not message.string:
                    continue
                if domain == THEME_DOMAIN:
                    found = check_theme_translation(message.id, message.string)
                elif isinstance(message.id, str):
                    found = check_translation(message.id, str(message.string))
                else:
                    continue
                msgid = message.id if isinstance(message.id, str) else message.id[0]
                for problem in found:
                    problems.append(CheckProblem(path, message.lineno or 0, msgid, problem))
    return problems


# --- what a build reads --------------------------------------------------------------------------


def issue_catalog(config: Config, issue: Issue, language: Language) -> Catalog | None:
    path = po_path(config.locales_dir, language, issue.slug)
    return read_catalog(path, locale=language.catalog_name) if path.is_file() else None


def _theme_layers(config: Config, language: Language) -> list[tuple[Path, Catalog]]:
    """The theme's catalogs for ``language``, the packaged one first, then the workspace's, which
    overrides it entry by entry; each is the first found of the language, its script, its language."""
    layers = []
    for locales in (PACKAGED_LOCALES, config.locales_dir):
        for path in _theme_paths(locales, language)[:1]:
            layers.append((path, read_catalog(path, locale=path.parent.parent.name)))
    return layers


def _theme_catalog(config: Config, language: Language) -> Catalog | None:
    """The theme's catalog for ``language``: the packaged one, with the workspace's entries on top."""
    merged: Catalog | None = None
    for _, catalog in _theme_layers(config, language):
        if merged is None:
            merged = catalog
            continue
        for message in catalog:
            if message.id and message.string and not message.fuzzy:
                # Catalog.__setitem__ keeps an existing entry's translation: replace it.
                existing = merged.get(message.id)
                if existing is not None:
                    existing.string = message.string
                    existing.flags.discard("fuzzy")
                else:
                    merged[message.id] = message
    return merged


_Key = str | tuple[str, ...]


@dataclass(frozen=True)
class ThemeStrings:
    """The theme's strings in one language as the templates get them: every published translation
    that passes the checks, the packaged one where the workspace's fails, and what fell back."""

    messages: dict[_Key, str | tuple[str, ...]]
    plural: str
    problems: tuple[CheckProblem, ...]


def theme_strings(config: Config, language: Language) -> ThemeStrings:
    """The theme's strings in ``language``: a translation that would break a template (a lost or
    renamed placeholder, a stray ``%``, markup its source does not have) is left out, so that the
    shipped translation or the source text is shown instead, and named in ``problems``."""
    layers = _theme_layers(config, language)
    messages: dict[_Key, str | tuple[str, ...]] = {}
    problems = []
    for path, catalog in layers:
        for message in catalog:
            if not message.id or not message.string or message.fuzzy:
                continue
            key: _Key = message.id if isinstance(message.id, str) else tuple(message.id)
            value = message.string if isinstance(message.string, str) else tuple(message.string)
            found = check_theme_translation(message.id, message.string)
            if found:
                instead = "the shipped translation" if key in messages else "the source text"
                problem = f"theme string falls back to {instead}: {'; '.join(found)}"
                problems.append(CheckProblem(path, message.lineno or 0, _singular(key), problem))
                continue
            messages[key] = value
    plural = layers[0][1].plural_expr if layers else "(n != 1)"
    return ThemeStrings(messages, plural, tuple(problems))


def _fallbacks(language: Language) -> list[str]:
    locale = language.locale
    names = [language.catalog_name]
    if locale.territory and locale.script:
        names.append(f"{locale.language}_{locale.script}")
    names.append(locale.language)
    return list(dict.fromkeys(names))


class CatalogTranslations(gettext.NullTranslations):
    """gettext translations read straight from the catalogs: no compile step to forget."""

    def __init__(self, strings: ThemeStrings) -> None:
        super().__init__()
        self._messages = strings.messages
        self._plural_fn = gettext.c2py(strings.plural)

    def gettext(self, message: str) -> str:
        value = self._messages.get(message)
        return value if isinstance(value, str) else message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        value = self._messages.get((msgid1, msgid2))
        if isinstance(value, tuple | list):
            index = int(self._plural_fn(n))
            if index < len(value) and value[index]:
                return str(value[index])
        return msgid1 if n == 1 else msgid2


def _untranslated_theme(config: Config, language: Language) -> bool:
    """The theme is written in English: an English source language needs no theme catalog."""
    return language == config.source_language and language.locale.language == "en"


def theme_translations(config: Config, language: Language) -> gettext.NullTranslations:
    if _untranslated_theme(config, language):
        return gettext.NullTranslations()
    return CatalogTranslations(theme_strings(config, language))


def theme_problems(config: Config, language: Language) -> tuple[CheckProblem, ...]:
    """The theme translations of ``language`` an edition cannot use, each with its file and line."""
    return () if _untranslated_theme(config, language) else theme_strings(config, language).problems
