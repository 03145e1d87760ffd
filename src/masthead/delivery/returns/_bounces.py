"""``masthead bounces``: act on the mail that came back, and leave the rest for a person.

Each returned message is read once (:mod:`._parse`); its report id is recorded with what was done,
so a second run over the same mailbox changes nothing. A hard bounce marks the subscriber bounced;
soft bounces are counted, and ``[bounces] soft_limit`` of them within ``soft_days`` mark them bounced;
a complaint unsubscribes them; a delay is noted. Only active subscribers change status: an address
that unsubscribed stays unsubscribed whatever comes back for it.

A message acted on is flagged as read (``\\Seen``); anything else (no report, or a report about no one
on file) is left exactly where it was, unread, and listed.
"""

from __future__ import annotations

import contextlib
import enum
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

from ..._address import normalise_address
from ..._config import Config
from .._wording import plural
from ..readers import verify_unsubscribe_token
from ..store import Return, Store, Subscriber, now, open_store
from ._mailboxes import Mailbox, Returned, open_mailbox
from ._parse import COMPLAINT, DELAYED, HARD, SOFT, Finding, Report, read_report
from ._verp import Verp

logger = logging.getLogger("masthead.delivery")

# When a report names several findings for one subscriber, the one that decides.
_SEVERITY = {COMPLAINT: 3, HARD: 2, SOFT: 1, DELAYED: 0}


class Effect(enum.Enum):
    """What handling a report did to its subscriber."""

    NOTED = "noted"
    """A delay: nothing changes while the mail is still being tried."""
    COUNTED = "counted"
    """A soft bounce, counted towards ``[bounces] soft_limit``."""
    BOUNCED = "bounced"
    """The subscriber is marked bounced: a hard bounce, or too many soft ones."""
    UNSUBSCRIBED = "unsubscribed"
    """A complaint: the subscriber is unsubscribed."""
    ALREADY = "already"
    """A hard bounce or complaint about someone no longer active: their status stays."""


_NEW_STATUS = {Effect.BOUNCED: "bounced", Effect.UNSUBSCRIBED: "unsubscribed"}


@dataclass(frozen=True)
class Outcome:
    effect: Effect
    detail: str = ""
    """The sentence recorded and shown; empty when the effect's name says it all."""

    @property
    def new_status(self) -> str | None:
        """The status the subscriber gets, if they are still active."""
        return _NEW_STATUS.get(self.effect)

    @property
    def text(self) -> str:
        return self.detail or self.effect.value


@dataclass(frozen=True)
class Action:
    where: str
    """The returned message: its file in the Maildir, or its UID in the IMAP folder."""
    report_id: str
    address: str
    kind: str
    outcome: str
    """What was done, as recorded with the report (``bounced``, ``counted (1 of 3 in 30 days)``, ...)."""
    detail: str
    effect: Effect

    def format(self) -> str:
        return f"{self.address}: {self.kind} bounce -> {self.outcome} ({self.detail}) [{self.where}]".replace(
            "complaint bounce", "complaint"
        ).replace("delayed bounce", "delay")


@dataclass(frozen=True)
class Unhandled:
    where: str
    subject: str
    sender: str
    reason: str

    def format(self) -> str:
        sender, subject = self.sender or "(no sender)", self.subject or "(no subject)"
        return f"{self.where}: {self.reason}: from {sender}, {subject!r}"


@dataclass
class BounceRun:
    source: str
    actions: list[Action] = field(default_factory=list)
    unhandled: list[Unhandled] = field(default_factory=list)
    seen_before: int = 0
    read: int = 0

    def count(self, effect: Effect) -> int:
        return sum(1 for action in self.actions if action.effect is effect)

    def format(self) -> str:
        lines = [
            f"{self.source}: {plural(self.read, 'message')} read;"
            f" {plural(len(self.actions), 'report')} acted on"
            f" ({self.count(Effect.BOUNCED)} bounced, {self.count(Effect.UNSUBSCRIBED)} unsubscribed,"
            f" {plural(self.count(Effect.COUNTED), 'soft bounce')} counted,"
            f" {plural(self.count(Effect.NOTED), 'delay')} noted);"
            f" {self.seen_before} done before; {len(self.unhandled)} left for a person"
        ]
        lines += [f"  {action.format()}" for action in self.actions]
        if self.unhandled:
            lines.append("left in place, unread (not a bounce or complaint masthead can act on):")
            lines += [f"  {item.format()}" for item in self.unhandled]
        return "\n".join(lines)


def _received(data: bytes) -> str:
    """When the report was written (its Date), so soft bounces fall in the window they happened in."""
    from email.parser import BytesHeaderParser

    value = BytesHeaderParser().parsebytes(data).get("Date")
    try:
        when = parsedate_to_datetime(str(value)) if value else None
    except (TypeError, ValueError):
        when = None
    if when is None or when.tzinfo is None:
        return now()
    return when.astimezone(UTC).isoformat(timespec="seconds")


class _Matcher:
    """Finds the subscriber a report is about."""

    def __init__(self, store: Store, secret: str | None) -> None:
        self.store = store
        self.secret = secret

    def subscribers(self, report: Report) -> list[tuple[Subscriber, Finding]]:
        worst = max(report.findings, key=lambda f: _SEVERITY[f.kind])
        by_id = [self.store.subscriber_by_public_id(public_id) for public_id in report.return_ids]
        if not any(by_id) and self.secret:
            for token in report.tokens:
                request = verify_unsubscribe_token(token, self.secret)
                if request is not None:
                    by_id.append(self.store.subscriber_by_public_id(request.public_id))
        found = [(subscriber, worst) for subscriber in by_id if subscriber is not None]
        if found:
            return found
        for finding in report.findings:
            if finding.address is None:
                continue
            try:
                subscriber = self.store.subscriber(normalise_address(finding.address))
            except ValueError:
                continue
            if subscriber is not None:
                found.append((subscriber, finding))
        return found


def _act(
    store: Store,
    config: Config,
    report: Report,
    subscriber: Subscriber,
    finding: Finding,
    received: str,
) -> Outcome:
    outcome = _decide(store, config, subscriber, finding, received)
    entry = Return(
        report.report_id,
        subscriber.id,
        finding.kind,
        finding.status,
        finding.detail,
        outcome.text,
        received,
        now(),
    )
    store.record_return(entry, outcome.new_status)
    return outcome


def _decide(store: Store, config: Config, subscriber: Subscriber, finding: Finding, received: str) -> Outcome:
    """What a finding does to a subscriber: only an active one changes status."""
    settings = config.bounces
    active = subscriber.status == "active"
    if finding.kind == DELAYED:
        return Outcome(Effect.NOTED, "noted (still being tried)")
    if finding.kind in (COMPLAINT, HARD):
        if not active:
            return Outcome(Effect.ALREADY, f"already {subscriber.status}")
        return Outcome(Effect.UNSUBSCRIBED if finding.kind == COMPLAINT else Effect.BOUNCED, "")
    since = (datetime.fromisoformat(received) - timedelta(days=settings.soft_days)).isoformat(
        timespec="seconds"
    )
    count = store.soft_bounces(subscriber.id, since) + 1
    if not active:
        return Outcome(
            Effect.COUNTED, f"counted ({count} in {settings.soft_days} days); already {subscriber.status}"
        )
    if count >= settings.soft_limit:
        return Outcome(Effect.BOUNCED, f"bounced ({count} soft bounces in {settings.soft_days} days)")
    return Outcome(Effect.COUNTED, f"counted ({count} of {settings.soft_limit} in {settings.soft_days} days)")


def process_bounces(config: Config, *, maildir: Path | None = None) -> BounceRun:
    """Read the returned mail (``[bounces] maildir`` or IMAP, or ``maildir``) and act on it."""
    settings = config.bounces
    verp = Verp.parse(settings.return_path) if settings.return_path else None
    secret = _optional_secret(config)
    mailbox = open_mailbox(config, maildir)
    run = BounceRun(mailbox.describe())
    with (
        contextlib.closing(mailbox),
        open_store(config) as store,
    ):
        matcher = _Matcher(store, secret)
        for returned in mailbox.messages():
            run.read += 1
            _one(config, store, mailbox, matcher, returned, verp, run)
    return run


def _one(
    config: Config,
    store: Store,
    mailbox: Mailbox,
    matcher: _Matcher,
    returned: Returned,
    verp: Verp | None,
    run: BounceRun,
) -> None:
    report = read_report(returned.data, verp)
    if not report.known:
        run.unhandled.append(
            Unhandled(returned.where, report.subject, report.sender, "not a bounce or complaint")
        )
        logger.debug("%s: left in place: not a bounce or complaint (%r)", returned.where, report.subject)
        return
    if store.return_recorded(report.report_id):
        run.seen_before += 1
        mailbox.mark_done(returned)
        return
    matches = matcher.subscribers(report)
    if not matches:
        named = ", ".join(sorted({f.address for f in report.findings if f.address})) or "no address"
        run.unhandled.append(
            Unhandled(
                returned.where,
                report.subject,
                report.sender,
                f"a {report.format} report about no subscriber on file ({named})",
            )
        )
        logger.debug(
            "%s: left in place: a %s report about no subscriber on file (%s)",
            returned.where,
            report.format,
            named,
        )
        return
    received = _received(returned.data)
    for subscriber, finding in matches:
        outcome = _act(store, config, report, subscriber, finding, received)
        action = Action(
            returned.where,
            report.report_id,
            subscriber.address,
            finding.kind,
            outcome.text,
            finding.status or finding.detail or report.format,
            outcome.effect,
        )
        run.actions.append(action)
        logger.debug("%s", action.format())
    mailbox.mark_done(returned)


def _optional_secret(config: Config) -> str | None:
    """The unsubscribe secret if it is set: it identifies complaint reports that hide the address."""
    import os

    value = os.environ.get(config.delivery.secret_env)
    return value if value else None
