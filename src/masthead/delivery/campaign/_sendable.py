"""Which built editions a campaign sends: built, up to date, complete; and a sender that is set."""

from __future__ import annotations

import logging
from pathlib import Path

from ..._config import Config
from ..._errors import DeliveryError
from ..._layout import EMAIL_TEMPLATE, edition_folder, issue_folder
from ...email import PLACEHOLDER_SENDER, MessageTemplate, load_template
from ...publication import edition_status

logger = logging.getLogger("masthead.delivery")


def built_editions(config: Config, slug: str) -> dict[str, Path]:
    """The languages of ``slug`` whose email was built, in the configured order, and their templates."""
    folder = issue_folder(config.output, slug)
    found = {
        lang.tag: edition_folder(config.output, slug, lang.tag) / EMAIL_TEMPLATE
        for lang in config.languages
        if (edition_folder(config.output, slug, lang.tag) / EMAIL_TEMPLATE).is_file()
    }
    if not found:
        raise DeliveryError(
            f"issue {slug!r} has no built email",
            path=folder,
            hint=f"run 'masthead build {slug}' first",
        )
    if config.source_language.tag not in found:
        raise DeliveryError(
            f"the {config.source_language.tag} edition of {slug!r} was not built; it is what subscribers"
            " without an edition in their language receive",
            path=folder / config.source_language.tag,
            hint=f"run 'masthead build {slug}'",
        )
    return found


def sendable_editions(config: Config, slug: str) -> tuple[dict[str, Path], tuple[tuple[str, str], ...]]:
    """The built editions that may go out, and those left out with the reason.

    An edition out of date (its sources, catalogs, theme or settings changed since it was built) stops
    the campaign: its readers would get last week's text. One built with ``--force`` below the
    completeness threshold is left out, and its readers get another edition by the usual rules. An
    edition written without a build (no build stamp) is taken as it is.
    """
    editions = built_editions(config, slug)
    problems = {
        status.language.tag: status.problem
        for status in edition_status(config, slug)
        if status.problem and status.language.tag in editions
    }
    forced = "built with --force"
    stale = {tag: problem for tag, problem in problems.items() if not problem.startswith(forced)}
    if stale:
        tags = ", ".join(stale)
        raise DeliveryError(
            f"not sending {slug!r}: the {tags} {'edition is' if len(stale) == 1 else 'editions are'}"
            " out of date (sources, catalogs, theme or settings changed since the last build)",
            path=issue_folder(config.output, slug),
            hint=f"run 'masthead build {slug}' first",
        )
    withheld = tuple((tag, problem) for tag, problem in problems.items() if tag != config.source_language.tag)
    for tag, _problem in withheld:
        del editions[tag]
    return editions, withheld


def sender_problem(config: Config, transport: str) -> str | None:
    """Why the configured sender cannot send real mail (``[email] sender`` unset), or ``None``."""
    if config.email.sender_is_set:
        return None
    return (
        f"[email] sender is not set in masthead.toml: messages would come from the placeholder"
        f" {PLACEHOLDER_SENDER!r}" + ("" if transport == "smtp" else " (fine for a trial run to disk)")
    )


def check_sender(config: Config, transport: str, slug: str) -> None:
    problem = sender_problem(config, transport)
    if problem is None:
        return
    if transport == "smtp":
        raise DeliveryError(
            f"not sending {slug!r} by smtp: {problem}",
            hint=f'set [email] sender = "Name <address>" in masthead.toml,'
            f" then run 'masthead build {slug}'",
        )
    logger.warning("%s", problem)


def load_templates(editions: dict[str, Path]) -> dict[str, MessageTemplate]:
    return {tag: load_template(path, tag) for tag, path in editions.items()}
