"""An edition: one issue in one language, every :class:`Text` carrying what the reader will see."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog

from ._config import CONFIG_FILE, Config
from ._language import Language
from .catalogs import (
    ChangedMessage,
    changed_messages,
    changed_report,
    check_translation,
    completeness,
    is_machine,
    po_path,
    publishable,
)
from .sources import Issue, Text, map_texts

logger = logging.getLogger("masthead.editions")


@dataclass(frozen=True)
class Edition:
    """What a renderer needs for one language: the translated issue and its language."""

    issue: Issue
    language: Language
    machine_translated: bool = False
    """True when some published messages come from machine translation, so readers are told."""
    completeness: float = 100.0
    """Percent of the issue's messages a reader sees translated (100 for the source language)."""
    changed: tuple[ChangedMessage, ...] = ()
    """Messages whose source changed since they were translated: printed in the source language,
    or in their previous translation when ``previous_printed``."""
    previous_printed: bool = False


def written_in(config: Config, edition: Edition) -> tuple[Path, ...]:
    """Where the text of an edition is written: its issue, its language's catalogs, the settings and
    the theme; searched to name the file and line of a character or value a render cannot use."""
    catalogs = config.locales_dir / edition.language.catalog_name
    return (edition.issue.folder, catalogs, config.root / CONFIG_FILE, config.templates_dir)


def source_edition(issue: Issue, language: Language) -> Edition:
    """The edition in the source language: every text as written."""
    return Edition(issue=issue, language=language)


def translated_edition(
    issue: Issue,
    language: Language,
    catalog: Catalog | None,
    *,
    publish_machine: bool = False,
    publish_previous: bool = False,
) -> Edition:
    """The edition in ``language``: each text translated where the catalog has a publishable,
    well-formed translation; the source text everywhere else (with a warning when a translation
    exists but fails a check, so it can never break the layout). A translation whose source changed
    since (fuzzy) is printed only with ``publish_previous``; the edition lists those messages."""
    usable: dict[str, tuple[str, bool, int]] = {}
    for message in catalog or ():
        if not isinstance(message.id, str) or not message.id:
            continue
        string = str(message.string or "")
        if publishable(string, message.flags, publish_machine, publish_previous):
            usable[message.id] = (string, is_machine(message.flags), message.lineno or 0)
    machine_used = False
    where = po_path(Path("locales"), language, issue.slug)

    def translate(text: Text) -> str | None:
        nonlocal machine_used
        entry = usable.get(text.source)
        if entry is None:
            return None
        string, machine, line = entry
        problems = check_translation(text.source, string)
        if problems:
            logger.warning(
                "%s:%d: translation falls back to the source text (%s): %s",
                where, line, "; ".join(problems), text.source[:60],
            )  # fmt: skip
            return None
        machine_used = machine_used or machine
        return string

    translated = map_texts(issue, translate)
    return Edition(
        issue=translated,
        language=language,
        machine_translated=machine_used,
        completeness=completeness(issue, catalog, publish_machine, publish_previous),
        changed=tuple(changed_messages(issue, catalog, where)),
        previous_printed=publish_previous,
    )


def changed_warning(edition: Edition, source: Language) -> str | None:
    """What a build says about the messages of ``edition`` whose source changed since they were
    translated: how many, what readers see instead, and where each is in the catalog."""
    return changed_report(edition.language, edition.changed, source, previous=edition.previous_printed)
