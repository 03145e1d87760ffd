"""Machine translation: pre-fill the untranslated messages of one language's issue catalog.

Only empty entries are filled; whatever a person wrote (translated or fuzzy) is left alone, even if
the catalog changes on disk while a run lasts. Every filled entry is stored fuzzy, flagged
``machine`` and commented with the provider and the date, so every PO editor shows it as needing
review. Links, code, numbers, URLs, addresses, placeholders and the issue's names are shielded from
the provider; an answer that lost or garbled any of them, or that carries markup, is kept for a
translator but flagged ``machine-unchecked`` and never published. Work is saved as it goes, and
every answer is cached, so an interrupted run continues where it stopped without paying twice.
"""

from __future__ import annotations

import datetime
import logging
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from .._config import Config, TranslationSettings
from .._language import Language
from .._progress import progress
from ..catalogs import (
    MACHINE_FLAG,
    MACHINE_UNCHECKED_FLAG,
    check_translation,
    po_path,
    read_catalog,
    write_catalog as _write_catalog,
)
from ..sources import Issue
from ._cache import CACHE_FILE, TranslationCache
from ._client import MessageFailed, RetryPolicy, call, observed, probe
from ._errors import TranslationError
from ._protect import restore, shield, split, untrusted
from ._providers import (
    ALIASES,
    FACTORIES,
    PROVIDERS,
    Client,
    Credentials,
    Provider,
    credentials,
    language_code,
    language_table,
    provider,
    refuse_broken,
)

__all__ = [
    "ALIASES",
    "PROVIDERS",
    "Provider",
    "RetryPolicy",
    "TranslateReport",
    "TranslationError",
    "translate_issue",
]

logger = logging.getLogger("masthead.translate")


@dataclass(frozen=True)
class TranslateReport:
    path: Path
    language: Language
    provider: str
    filled: int
    """Entries filled by machine translation in this run (``unchecked`` included)."""
    unchecked: int
    """Filled entries whose protected parts came back broken: kept for review, never published."""
    failed: int
    """Messages left empty because the provider gave no usable answer; a later run tries again."""
    cached: int
    """Texts taken from the cache instead of the provider."""
    requests: int
    """Texts sent to the provider."""
    untranslated: int
    """Empty entries before the run."""


@dataclass(frozen=True)
class _Filled:
    string: str
    problems: tuple[str, ...]


def translate_issue(
    config: Config,
    issue: Issue,
    language: Language,
    provider_name: str | None = None,
    *,
    show_progress: bool = False,
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
    save_every: int = 20,
    save_seconds: float = 15.0,
    env: Mapping[str, str] | None = None,
    today: datetime.date | None = None,
) -> TranslateReport:
    """Fill the untranslated messages of ``issue``'s catalog in ``language`` by machine translation."""
    if language == config.source_language:
        raise TranslationError(
            f"{language.tag} is the source language; there is nothing to translate into it",
            hint="pass the language to translate into with -l, such as -l fr",
        )
    path = po_path(config.locales_dir, language, issue.slug)
    if not path.is_file():
        raise TranslationError(
            f"no catalog for {language.tag} yet",
            path=path,
            hint=f"create it with 'masthead catalog update {issue.slug} -l {language.tag}'",
        )
    settings = config.translation
    if policy is None:
        policy = RetryPolicy(attempts=settings.max_attempts, base_delay=settings.retry_delay)
    spec = provider(provider_name or settings.provider)
    refuse_broken(spec)
    keys = credentials(spec, settings, os.environ if env is None else env)
    source_code = _code(spec, config.source_language)
    target_code = _code(spec, language)

    catalog = read_catalog(path, locale=language.catalog_name)
    todo = [m for m in catalog if isinstance(m.id, str) and m.id and not m.string]
    if not todo:
        logger.info("%s: every message already has a translation", path.name)
        return TranslateReport(path, language, spec.name, 0, 0, 0, 0, 0, 0)

    cache = TranslationCache(config.root / CACHE_FILE)
    # Two self-hosted servers of one provider may run different models: each has its own entries.
    engine = f"{spec.name} {settings.base_url}" if settings.base_url else spec.name
    stamp = f"machine translation: {spec.name}, {(today or datetime.date.today()).isoformat()}"
    done: dict[str, _Filled] = {}
    counts = {"cached": 0, "requests": 0, "failed": 0, "unchecked": 0}
    failures_in_a_row = 0
    with observed(spec, policy.timeout) as recorder:
        client: Client = None

        def translate_text(text: str) -> str:
            nonlocal client
            found = cache.get(engine, source_code, target_code, text)
            if found is not None:
                counts["cached"] += 1
                return found
            if client is None:
                client = _open(spec, settings, keys, source_code, target_code, policy)
            counts["requests"] += 1
            answer = call(client, text, recorder, spec, policy, sleep)
            cache.put(engine, source_code, target_code, text, answer)
            return answer

        last_save = time.monotonic()
        unsaved = 0
        try:
            label = f"{language.tag} ({spec.name})"
            with progress(len(todo), label, show=show_progress, logger=logger) as advance:
                for message in todo:
                    source = str(message.id)
                    try:
                        done[source] = _translate_message(source, issue.names, spec, language,
                                                          translate_text)  # fmt: skip
                        failures_in_a_row = 0
                        counts["unchecked"] += bool(done[source].problems)
                        unsaved += 1
                    except MessageFailed as exc:
                        counts["failed"] += 1
                        failures_in_a_row += 1
                        logger.warning("%s:%s: left untranslated, %s", path.name, message.lineno, exc)
                        if failures_in_a_row >= 5:
                            raise TranslationError(
                                f"{spec.title} gave no usable answer for {failures_in_a_row} messages in a "
                                f"row (last: {exc})",
                                hint="what was translated so far is saved; try another provider with "
                                "--provider",
                            ) from None
                    advance()
                    if unsaved >= save_every or (unsaved and time.monotonic() - last_save >= save_seconds):
                        _save(path, language, done, stamp)
                        last_save, unsaved = time.monotonic(), 0
        finally:
            if done:
                _save(path, language, done, stamp)
            cache.close()
    report = TranslateReport(
        path, language, spec.name, len(done), counts["unchecked"], counts["failed"], counts["cached"],
        counts["requests"], len(todo),
    )  # fmt: skip
    logger.debug("%s", report)
    return report


def _code(spec: Provider, language: Language) -> str:
    table = language_table(spec)
    if table is not None:
        return language_code(spec, table, language)
    locale = language.locale  # Microsoft: its own codes, such as fr, zh-Hans, pt-PT
    return f"{locale.language}-{locale.script}".lower() if locale.script else locale.language


def _open(
    spec: Provider,
    settings: TranslationSettings,
    keys: Credentials,
    source: str,
    target: str,
    policy: RetryPolicy,
) -> Client:
    """The deep-translator client, checked to answer before the first message is sent."""
    try:
        client = FACTORIES[spec.name](spec, settings, keys, source, target)
    except TranslationError:
        raise
    except Exception as exc:  # construction may already call the service (Microsoft's language list)
        raise TranslationError(
            f"cannot start the {spec.title} client: {type(exc).__name__}: {exc}"[:400],
            hint="check the network, the key and [translation] settings",
        ) from None
    probe(spec, client, policy.timeout)
    return client


def _translate_message(
    source: str,
    names: tuple[str, ...],
    spec: Provider,
    language: Language,
    translate_text: Callable[[str], str],
) -> _Filled:
    stripped = source.strip()
    lead, trail = source[: len(source) - len(source.lstrip())], source[len(source.rstrip()) :]
    shielded = shield(stripped, names)
    if not _MEANINGFUL.search(_MARKERS.sub("", shielded.text)):
        text, problems = stripped, list[str]()  # nothing but names, numbers, links: it stays as it is
    else:
        joiner = "" if language.is_cjk else " "
        pieces = split(shielded.text, spec.max_chars, spec.measure)
        answer = joiner.join(translate_text(piece).strip() for piece in pieces)
        answer, problems = untrusted(source, answer)
        text, lost = restore(shielded, answer)
        problems = lost + problems
    text = lead + text.strip() + trail
    if not problems:
        problems = check_translation(source, text)
    return _Filled(text, tuple(problems))


_MARKERS = re.compile(r"⟦\d+⟧")
_MEANINGFUL = re.compile(r"[^\W\d_]")


def _save(path: Path, language: Language, done: Mapping[str, _Filled], stamp: str) -> None:
    """Write what was translated into the catalog as it is on disk now: an entry a person filled
    meanwhile is left as they wrote it."""
    catalog: Catalog = read_catalog(path, locale=language.catalog_name)
    for msgid, filled in done.items():
        message: Message | None = catalog.get(msgid)
        if message is None or message.string:
            continue
        message.string = filled.string
        message.flags.update({"fuzzy", MACHINE_FLAG})
        comments = [c for c in message.user_comments if not c.startswith("machine translation")]
        comments.append(stamp)
        if filled.problems:
            message.flags.add(MACHINE_UNCHECKED_FLAG)
            comments.append("machine translation not published, it came back broken: " + "; ".join(
                filled.problems))  # fmt: skip
        message.user_comments = comments
    _write_catalog(path, catalog)
