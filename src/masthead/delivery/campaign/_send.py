"""Campaigns: every active subscriber gets the issue once, in their language, whatever fails.

The send log holds one entry per campaign and subscriber: ``pending`` until the server has accepted
the message, then ``sent``; ``failed`` after a permanent refusal of the reader's address. A run streams
the pending entries to a few sending threads (:mod:`._workers`), each of which records an entry as soon
as the server has accepted its message. A run that stops for any reason (Ctrl-C, a crash, a lost
server, a lost database) leaves the log true, or, if the database went away, a journal of what it
could not record (:mod:`._journal`), which the next run records first; the next run sends only what
is still pending, and entries left failed only when asked to (``--retry-failed``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import time

from ..._config import Config
from ..._progress import progress
from .._wording import plural
from ..outbound import transport_factory, transport_name
from ..readers import Choice, choose_edition, secret_from_environment
from ..store import CampaignProgress, Store, open_store, steadily
from ._journal import replay
from ._outage import DatabaseGone
from ._outcomes import SAMPLE, CampaignPlan, CampaignReport, LanguagePlan, choice_lines
from ._sendable import check_sender, load_templates, sendable_editions, sender_problem
from ._workers import CampaignRun, run_workers

logger = logging.getLogger("masthead.delivery")


def log_key(slug: str, transport: str) -> str:
    """The send log's campaign key: a Maildir run keeps its own log, so it never counts as sent."""
    return slug if transport == "smtp" else f"{slug}@{transport}"


def _choices(config: Config, store: Store, editions: list[str]) -> dict[str, Choice]:
    """The edition each language that active subscribers prefer gets, and why."""
    built = [config.language(tag) for tag in editions]
    return {tag: choose_edition(tag, built, config.source_language) for tag in store.active_languages()}


def _plan(
    config: Config,
    store: Store,
    slug: str,
    transport: str,
    editions: list[str],
    *,
    retry_failed: bool = False,
) -> CampaignPlan:
    key = log_key(slug, transport)
    choices = _choices(config, store, editions)
    tally = store.tally(key)
    languages = tuple(
        LanguagePlan(
            row.language,
            choices[row.language].edition.tag,
            choices[row.language].rule,
            row.active - row.sent - (0 if retry_failed else row.failed),
        )
        for row in tally
    )
    return CampaignPlan(
        slug=slug,
        transport=transport,
        editions=tuple(editions),
        languages=languages,
        to_send=sum(item.subscribers for item in languages),
        already_sent=sum(row.sent for row in tally),
        failed_before=sum(row.failed for row in tally),
        inactive=store.inactive(),
        sample=tuple((address, choices[tag].edition.tag) for address, tag in store.first_unsent(key, SAMPLE)),
    )


def plan_campaign(
    config: Config, slug: str, *, transport: str | None = None, retry_failed: bool = False
) -> CampaignPlan:
    """What ``send_campaign`` would send, without sending or recording anything (``--dry-run``); with
    ``retry_failed``, the entries that earlier runs left failed count as to send.

    It checks what a send checks (the transport's credentials and the signing secret in the
    environment, editions out of date) and fails the same way; an unset ``[email] sender`` is a
    warning in the plan, where a send by SMTP refuses.
    """
    factory = transport_factory(config, transport)
    secret_from_environment(config)
    editions, withheld = sendable_editions(config, slug)
    warning = sender_problem(config, factory.name)
    if warning and factory.name == "smtp":
        warning += "; 'masthead send' refuses to send until it is set"
    with open_store(config) as store:
        plan = _plan(config, store, slug, factory.name, list(editions), retry_failed=retry_failed)
    return dataclasses.replace(
        plan, destination=factory.describe(), withheld=withheld, warnings=(warning,) if warning else ()
    )


def send_campaign(
    config: Config,
    slug: str,
    *,
    transport: str | None = None,
    show_progress: bool = False,
    retry_failed: bool = False,
) -> CampaignReport:
    """Send issue ``slug`` to every active subscriber who has not had it yet; resume where a run stopped.
    With ``retry_failed``, also to those whose message earlier runs left failed."""
    started = time.perf_counter()
    factory = transport_factory(config, transport)
    check_sender(config, factory.name, slug)
    secret = secret_from_environment(config)
    editions, withheld = sendable_editions(config, slug)
    for tag, reason in withheld:
        logger.warning("%s: left out, %s; its readers get another edition", tag, reason)
    templates = load_templates(editions)
    key = log_key(slug, factory.name)
    with open_store(config) as store, store.sending(slug):
        # First what earlier runs sent and could not record: nobody is sent the issue twice.
        replay(config, key, store)
        if retry_failed:
            again = store.retry_failed(key)
            logger.info(
                "%s: trying again %s that earlier runs left failed", slug, plural(again, "entry", "entries")
            )
        plan = _plan(config, store, slug, factory.name, list(editions))
        logger.info("%s: editions built: %s", slug, ", ".join(editions))
        for line in choice_lines(plan.languages):
            logger.info("  %s", line)
        report = CampaignReport(slug, f"{factory.name} {factory.describe()}", withheld=withheld)
        report.already_sent, report.inactive = plan.already_sent, plan.inactive
        report.failed_before, report.failed_before_sample = store.failed(key, SAMPLE)
        choices = _choices(config, store, list(editions))
        store.enqueue(key, {tag: choice.edition.tag for tag, choice in choices.items()})
        with progress(
            plan.to_send, f"sending {slug}", show=show_progress, logger=logger, count_failures=True
        ) as advance:
            run = CampaignRun(config, slug, factory, templates, secret, report, advance, key=key)
            store.sender = run.name
            run_workers(run, store.pending(key, run.stop, run.outage))
        if run.outage.gave_up is None:
            with contextlib.suppress(DatabaseGone):
                report.remaining = steadily(store, run.outage, functools.partial(store.remaining, key))
    _outcome(run, report, config)
    report.seconds = time.perf_counter() - started
    if report.database_gone is None:
        logger.info(
            "%s: %d sent, %d failed, %d still to send", slug, report.sent, report.failed, report.remaining
        )
    return report


def _outcome(run: CampaignRun, report: CampaignReport, config: Config) -> None:
    """What the run knows about its database: the outages it came through, the one it gave up on, and
    what the relay accepted that the send log does not have (then in the journal)."""
    report.outages = list(run.outage.episodes)
    report.database_gone = run.outage.gave_up
    report.patience = run.outage.patience
    report.kept, report.journal_problem = len(run.kept), run.journal_problem
    path = run.journal.path
    report.journal = str(path.relative_to(config.root)) if path.is_relative_to(config.root) else str(path)
    if not run.kept:
        run.journal.remove()  # everything it held is in the send log now


def campaign_progress(config: Config, slug: str, *, transport: str | None = None) -> CampaignProgress:
    """How far the campaign of ``slug`` is, across every sender sending it now or before
    (``masthead send --status``); nothing is sent or changed."""
    key = log_key(slug, transport_name(config, transport))
    with open_store(config) as store:
        return store.progress(key)
