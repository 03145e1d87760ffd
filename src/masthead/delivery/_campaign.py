"""Campaigns: every active subscriber gets the issue once, in their language, whatever fails.

The send log (table ``sends``) holds one row per campaign and subscriber: ``pending`` until the server
has accepted the message, then ``sent``; ``failed`` after a permanent refusal. A run streams the
pending rows to a few worker threads, each with its own connection to the server and to the database,
and each worker commits the row as soon as the server has accepted its message. A run that stops for
any reason (Ctrl-C, a crash, a lost server) leaves the log true, and the next run sends only what is
still pending.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import logging
import queue
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from typing import IO

from .._address import bad_characters
from .._config import Config
from .._errors import DeliveryError
from .._progress import Advance, progress
from .._publishable import edition_status
from ..email import PLACEHOLDER_SENDER, EmailError, MessageTemplate, Recipient, load_template
from . import _store
from ._languages import Choice, choose_edition
from ._reports import Verp
from ._tokens import make_unsubscribe_token, secret_from_environment
from ._transports import (
    PermanentFailure,
    TemporaryFailure,
    Transport,
    TransportFactory,
    transport_factory,
)

logger = logging.getLogger("masthead.delivery")

SAMPLE = 5
_BATCH = 256


def plural(count: int, word: str, words: str | None = None) -> str:
    """``1 subscriber``, ``2 subscribers``."""
    return f"{count} {word if count == 1 else words or word + 's'}"


# -- plans ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LanguagePlan:
    language: str
    """The subscribers' preferred language."""
    edition: str
    """The edition they receive."""
    rule: str
    """Why: ``exact``, ``region``, ``script`` (another script of the same language) or ``source``."""
    subscribers: int
    """Active subscribers with this preference still to be sent the issue."""


@dataclass(frozen=True)
class CampaignPlan:
    slug: str
    transport: str
    editions: tuple[str, ...]
    languages: tuple[LanguagePlan, ...]
    to_send: int
    already_sent: int
    failed_before: int
    inactive: int
    sample: tuple[tuple[str, str], ...]
    """The first few recipients still to be sent, with their edition."""
    destination: str = ""
    """Where the transport sends: the SMTP server, or the Maildir folder."""
    withheld: tuple[tuple[str, str], ...] = ()
    """Editions built but left out, with the reason (built with --force below the threshold)."""
    warnings: tuple[str, ...] = ()

    def per_edition(self) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for item in self.languages:
            counts[item.edition] += item.subscribers
        return dict(counts)

    def format(self) -> str:
        lines = [
            f"{self.slug}: {self.to_send} to send by {self.transport}"
            + (f" ({self.destination})" if self.destination else "")
            + f"; {self.already_sent} already sent by {self.transport}, {self.failed_before} failed before,"
            f" {self.inactive} unsubscribed or bounced",
            _log_note(self.slug, self.transport),
            "editions to send: " + ", ".join(self.editions),
        ]
        lines += [
            f"left out: {tag}: {reason}; its readers get another edition (below)"
            for tag, reason in self.withheld
        ]
        lines += [f"  {edition}: {count}" for edition, count in self.per_edition().items()]
        lines += [f"  {line}" for line in _choice_lines(self.languages)]
        if self.sample:
            lines.append("first recipients:")
            lines += [f"  {address} ({edition})" for address, edition in self.sample]
        lines += [f"warning: {warning}" for warning in self.warnings]
        return "\n".join(lines)


def _log_note(slug: str, transport: str) -> str:
    """The send log is kept per transport; say so, since it decides who a later run sends to."""
    if transport == "smtp":
        return "only a send by smtp counts as sent: a maildir run does not"
    return (
        f"a {transport} run is a trial and does not count as sent:"
        f" 'masthead send {slug}' by smtp still sends to everyone"
    )


_RULES = {
    "exact": "",
    "region": " (same language and script, another variant)",
    "script": " (same language, ANOTHER SCRIPT: no edition in their script was built)",
    "source": " (no edition in their language; the source language)",
}


def _choice_lines(languages: tuple[LanguagePlan, ...]) -> list[str]:
    return [
        f"{item.language} -> {item.edition}{_RULES[item.rule]}: {plural(item.subscribers, 'subscriber')}"
        for item in languages
    ]


# -- reports --------------------------------------------------------------------------------------------


@dataclass
class CampaignReport:
    slug: str
    transport: str
    sent: int = 0
    failed: int = 0
    """Permanent refusals in this run (recorded; not retried)."""
    retry: int = 0
    """Temporary failures left pending after their last attempt; the next run tries them again."""
    remaining: int = 0
    """Pending in the log after this run (includes ``retry`` and anyone not reached)."""
    already_sent: int = 0
    inactive: int = 0
    per_edition: dict[str, Counter[str]] = field(default_factory=dict)
    failures: list[tuple[str, str]] = field(default_factory=list)
    paused: str | None = None
    interrupted: bool = False
    seconds: float = 0.0
    withheld: tuple[tuple[str, str], ...] = ()
    """Editions built but left out, with the reason; their readers got another edition."""

    @property
    def complete(self) -> bool:
        return self.remaining == 0 and not self.paused and not self.interrupted

    def count(self, edition: str, outcome: str) -> None:
        self.per_edition.setdefault(edition, Counter())[outcome] += 1
        if outcome == "sent":
            self.sent += 1
        elif outcome == "failed":
            self.failed += 1
        else:
            self.retry += 1

    def format(self) -> str:
        rate = self.sent / self.seconds if self.seconds else 0.0
        lines = [
            f"{self.slug}: {self.sent} sent, {self.failed} failed, {self.retry} to retry, skipped"
            f" {self.already_sent} sent before and {self.inactive} unsubscribed or bounced"
            f" ({self.seconds:.1f} s, {rate:.0f} messages/s by {self.transport})"
        ]
        for edition, counts in sorted(self.per_edition.items()):
            parts = [f"{counts[outcome]} {outcome}" for outcome in ("sent", "failed") if counts[outcome]]
            if counts["pending"]:
                parts.append(f"{counts['pending']} to retry")
            lines.append(f"  {edition}: {', '.join(parts)}")
        lines += [f"  left out: {tag}: {reason}" for tag, reason in self.withheld]
        lines += [f"  failed: {address}: {reason}" for address, reason in self.failures[:SAMPLE]]
        if len(self.failures) > SAMPLE:
            lines.append(f"  ... and {len(self.failures) - SAMPLE} more failures in the send log")
        if self.paused:
            lines.append(f"paused: {self.paused}")
        if self.interrupted:
            lines.append("interrupted")
        if self.remaining:
            lines.append(f"{self.remaining} still to send: run 'masthead send {self.slug}' again to resume")
        return "\n".join(lines)


# -- the campaign ---------------------------------------------------------------------------------------


def _log_key(slug: str, transport: str) -> str:
    """The send log's campaign key: a Maildir run keeps its own log, so it never counts as sent."""
    return slug if transport == "smtp" else f"{slug}@{transport}"


def built_editions(config: Config, slug: str) -> dict[str, Path]:
    """The languages of ``slug`` whose email was built, in the configured order, and their templates."""
    folder = config.output / slug
    found = {
        lang.tag: folder / lang.tag / "email.template"
        for lang in config.languages
        if (folder / lang.tag / "email.template").is_file()
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
            path=config.output / slug,
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


def _check_sender(config: Config, transport: str, slug: str) -> None:
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


def _choices(config: Config, conn: sqlite3.Connection, editions: list[str]) -> dict[str, Choice]:
    built = [config.language(tag) for tag in editions]
    rows = conn.execute("SELECT DISTINCT language FROM subscribers WHERE status = 'active'").fetchall()
    return {row[0]: choose_edition(row[0], built, config.source_language) for row in rows}


def _plan(
    config: Config, conn: sqlite3.Connection, slug: str, transport: str, editions: list[str]
) -> CampaignPlan:
    key = _log_key(slug, transport)
    choices = _choices(config, conn, editions)
    rows = conn.execute(
        """SELECT s.language, count(*) AS total,
                  coalesce(sum(x.status = 'sent'), 0) AS sent,
                  coalesce(sum(x.status = 'failed'), 0) AS failed
           FROM subscribers s LEFT JOIN sends x ON x.campaign = ? AND x.subscriber = s.id
           WHERE s.status = 'active' GROUP BY s.language ORDER BY total DESC, s.language""",
        (key,),
    ).fetchall()
    languages = tuple(
        LanguagePlan(
            row["language"],
            choices[row["language"]].edition.tag,
            choices[row["language"]].rule,
            row["total"] - row["sent"] - row["failed"],
        )
        for row in rows
    )
    sample = conn.execute(
        """SELECT s.address, s.language FROM subscribers s
           WHERE s.status = 'active' AND NOT EXISTS (
               SELECT 1 FROM sends x WHERE x.campaign = ? AND x.subscriber = s.id AND x.status != 'pending')
           ORDER BY s.id LIMIT ?""",
        (key, SAMPLE),
    ).fetchall()
    inactive = conn.execute("SELECT count(*) FROM subscribers WHERE status != 'active'").fetchone()[0]
    return CampaignPlan(
        slug=slug,
        transport=transport,
        editions=tuple(editions),
        languages=languages,
        to_send=sum(item.subscribers for item in languages),
        already_sent=sum(row["sent"] for row in rows),
        failed_before=sum(row["failed"] for row in rows),
        inactive=inactive,
        sample=tuple((row[0], choices[row[1]].edition.tag) for row in sample),
    )


def plan_campaign(config: Config, slug: str, *, transport: str | None = None) -> CampaignPlan:
    """What ``send_campaign`` would send, without sending or recording anything (``--dry-run``).

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
    conn = _store.connect(_store.database_path(config))
    with contextlib.closing(conn):
        plan = _plan(config, conn, slug, factory.name, list(editions))
    return dataclasses.replace(
        plan, destination=factory.describe(), withheld=withheld, warnings=(warning,) if warning else ()
    )


@contextlib.contextmanager
def _exclusive(database: Path, slug: str) -> Iterator[None]:
    """One sender per database at a time; the lock goes with the process, however it ends."""
    lock_path = database.with_name(database.name + ".send-lock")
    stream: IO[bytes] = lock_path.open("wb")
    try:
        try:
            fcntl.flock(stream, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DeliveryError(
                "another 'masthead send' is running on this subscriber database",
                path=database,
                hint=f"wait for it to finish, or stop it and run 'masthead send {slug}' again",
            ) from None
        yield
    finally:
        stream.close()


class TokenBucket:
    """At most ``rate`` acquisitions a second on average, with bursts of ``burst``, shared by threads."""

    def __init__(self, rate: float, burst: float = 1.0) -> None:
        self.rate = rate
        self.burst = max(1.0, burst)
        self._tokens = self.burst
        self._stamp = time.monotonic()
        self._lock = threading.Lock()

    def acquire(self, stop: threading.Event) -> bool:
        """Wait for a token; ``False`` if ``stop`` was set meanwhile."""
        while True:
            with self._lock:
                now = time.monotonic()
                self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
                self._stamp = now
                if self._tokens >= 1.0:
                    self._tokens -= 1.0
                    return True
                wait = (1.0 - self._tokens) / self.rate
            if stop.wait(wait):
                return False


@dataclass(frozen=True)
class _Job:
    subscriber: int
    address: str
    name: str | None
    edition: str
    public_id: str


class _Run:
    """The shared state of one run: the queue, the stop signal, the counters."""

    def __init__(
        self,
        config: Config,
        slug: str,
        factory: TransportFactory,
        templates: dict[str, MessageTemplate],
        secret: str,
        report: CampaignReport,
        advance: Advance,
    ) -> None:
        self.config = config
        self.slug = slug
        self.key = _log_key(slug, factory.name)
        self.factory = factory
        self.templates = templates
        self.secret = secret
        self.report = report
        self.advance = advance
        self.settings = config.delivery
        self.database = _store.database_path(config)
        sender = config.email.sender or PLACEHOLDER_SENDER
        self.sender = parseaddr(sender)[1] or sender
        self.domain = self.sender.rpartition("@")[2] or "masthead.invalid"
        return_path = config.bounces.return_path
        self.verp = Verp.parse(parseaddr(return_path)[1] or return_path) if return_path else None
        self.jobs: queue.Queue[_Job | None] = queue.Queue(maxsize=self.settings.connections * 4)
        self.stop = threading.Event()
        self.bucket = TokenBucket(self.settings.rate_per_second, burst=self.settings.connections)
        self.lock = threading.Lock()
        self.in_a_row = 0

    def pause(self, reason: str) -> None:
        with self.lock:
            if self.report.paused is None:
                self.report.paused = reason
                logger.error("pausing the campaign: %s", reason)
        self.stop.set()

    def record(self, job: _Job, outcome: str, reason: str | None) -> None:
        with self.lock:
            self.report.count(job.edition, outcome)
            if outcome == "sent":
                self.in_a_row = 0
            else:
                self.in_a_row += 1
                if outcome == "failed" and reason:
                    self.report.failures.append((job.address, reason))
                limit = self.settings.pause_after_failures
                if self.in_a_row >= limit:
                    self.report.paused = self.report.paused or (
                        f"{self.in_a_row} failures in a row (the last: {reason}); fix the cause, then"
                        f" run 'masthead send {self.slug}' again"
                    )
                    self.stop.set()
        self.advance(outcome)

    # -- a worker thread ---------------------------------------------------------------------------------

    def work(self) -> None:
        conn = _store.connect(self.database, migrate=False)
        transport: Transport | None = None
        try:
            transport = self.factory.open()
            while not self.stop.is_set():
                job = self.jobs.get()
                if job is None:
                    break
                self.deliver(job, transport, conn)
        except DeliveryError as exc:
            self.pause(exc.message)
        except Exception as exc:
            logger.exception("a sending thread failed")
            self.pause(f"unexpected error: {exc!r}")
        finally:
            if transport is not None:
                transport.close()
            conn.close()

    def _message(self, job: _Job) -> bytes:
        token = make_unsubscribe_token(job.public_id, self.slug, self.secret)
        recipient = Recipient(
            address=job.address,
            name=_single_line(job.name),
            unsubscribe_url=f"{self.config.base_url}unsubscribe?token={token}",
        )
        return self.templates[job.edition].personalise(recipient, message_id=self.message_id(job))

    def envelope_sender(self, job: _Job) -> str:
        """Where the message comes back if it cannot be delivered: the subscriber's own return path
        (VERP) when ``[bounces] return_path`` is set, so that a bounce names who it is about."""
        return self.verp.address(job.public_id) if self.verp else self.sender

    def message_id(self, job: _Job) -> str:
        """Stable for a campaign and subscriber, so a relay that sees a message twice can drop the copy."""
        digest = hashlib.sha256(f"{self.slug}\n{job.address}".encode()).hexdigest()[:24]
        return f"<{self.slug}.{digest}@{self.domain}>"

    def deliver(self, job: _Job, transport: Transport, conn: sqlite3.Connection) -> None:
        try:
            message = self._message(job)
        except EmailError as exc:
            _update(conn, "failed", exc.message, self.key, job.subscriber)
            logger.warning("%s: cannot be sent: %s", job.address, exc.message)
            self.record(job, "failed", exc.message)
            return
        reason = ""
        connection_lost = False
        for attempt in range(1, self.settings.max_attempts + 1):
            if not self.bucket.acquire(self.stop):
                return  # stopping: the row stays pending for the next run
            try:
                transport.send(self.envelope_sender(job), job.address, message)
            except TemporaryFailure as exc:
                reason, connection_lost = exc.reason, exc.connection
                logger.debug("%s: attempt %d: %s", job.address, attempt, reason)
                _update(conn, "pending", reason, self.key, job.subscriber)
                if attempt < self.settings.max_attempts and self.stop.wait(
                    retry_wait(self.settings.retry_delay, attempt)
                ):
                    return
                continue
            except PermanentFailure as exc:
                _update(conn, "failed", exc.reason, self.key, job.subscriber)
                if exc.bounced:
                    _store.set_status(conn, job.address, "bounced")
                logger.warning("%s: refused: %s", job.address, exc.reason)
                self.record(job, "failed", exc.reason)
                return
            # The server has accepted the message: record it at once, in its own committed transaction.
            # A crash between the server's reply and this commit (microseconds, one message per worker)
            # is the one window in which the next run sends a second copy: no client can close it
            # without the server's help. The copy has the same Message-ID, so a relay can drop it.
            _update(conn, "sent", None, self.key, job.subscriber)
            self.record(job, "sent", None)
            return
        logger.warning("%s: still failing after %d attempts: %s", job.address, attempt, reason)
        if connection_lost:
            self.pause(reason)
        self.record(job, "pending", reason)


MAX_RETRY_WAIT = 60.0
"""The longest wait between two tries of one message: a slow server must not hold a sender for hours."""


def retry_wait(retry_delay: float, attempt: int) -> float:
    """Seconds to wait after failed try number ``attempt``: doubling from ``retry_delay``, capped."""
    return min(MAX_RETRY_WAIT, retry_delay * 2.0 ** min(attempt - 1, 32))


def _single_line(text: str | None) -> str | None:
    """Defence in depth: a name never carries a line break into a header, whatever is in the database."""
    if text is None:
        return None
    return " ".join("".join(" " if bad_characters(char) else char for char in text).split()) or None


def _update(conn: sqlite3.Connection, status: str, error: str | None, campaign: str, subscriber: int) -> None:
    conn.execute(
        "UPDATE sends SET status = ?, attempts = attempts + 1, last_error = ?, updated = ?"
        " WHERE campaign = ? AND subscriber = ?",
        (status, error, _store.now(), campaign, subscriber),
    )


def _enqueue(conn: sqlite3.Connection, key: str, choices: dict[str, Choice]) -> None:
    """Add every active subscriber to the send log (once), and point pending rows at today's best edition."""
    stamp = _store.now()
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS plan (language TEXT PRIMARY KEY, edition TEXT)")
        conn.execute("DELETE FROM plan")
        conn.executemany(
            "INSERT INTO plan VALUES (?, ?)", [(tag, choice.edition.tag) for tag, choice in choices.items()]
        )
        conn.execute(
            """INSERT OR IGNORE INTO sends (campaign, subscriber, edition, created, updated)
               SELECT ?, s.id, p.edition, ?, ? FROM subscribers s JOIN plan p ON p.language = s.language
               WHERE s.status = 'active'""",
            (key, stamp, stamp),
        )
        conn.execute(
            """UPDATE sends SET edition = (
                   SELECT p.edition FROM subscribers s JOIN plan p ON p.language = s.language
                   WHERE s.id = sends.subscriber)
               WHERE campaign = ? AND status = 'pending'
                 AND subscriber IN (SELECT id FROM subscribers WHERE status = 'active')""",
            (key,),
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _pending(conn: sqlite3.Connection, key: str) -> Iterator[_Job]:
    """The pending rows of active subscribers, streamed in batches (memory does not grow with the list)."""
    last = 0
    while True:
        rows = conn.execute(
            """SELECT x.subscriber, s.address, s.name, x.edition, s.public_id
               FROM sends x JOIN subscribers s ON s.id = x.subscriber
               WHERE x.campaign = ? AND x.status = 'pending' AND s.status = 'active' AND x.subscriber > ?
               ORDER BY x.subscriber LIMIT ?""",
            (key, last, _BATCH),
        ).fetchall()
        if not rows:
            return
        for row in rows:
            yield _Job(row[0], row[1], row[2], row[3], row[4])
        last = rows[-1][0]


def load_templates(config: Config, slug: str, editions: dict[str, Path]) -> dict[str, MessageTemplate]:
    return {tag: load_template(path, tag) for tag, path in editions.items()}


def send_campaign(
    config: Config, slug: str, *, transport: str | None = None, show_progress: bool = False
) -> CampaignReport:
    """Send issue ``slug`` to every active subscriber who has not had it yet; resume where a run stopped."""
    started = time.perf_counter()
    factory = transport_factory(config, transport)
    _check_sender(config, factory.name, slug)
    secret = secret_from_environment(config)
    editions, withheld = sendable_editions(config, slug)
    for tag, reason in withheld:
        logger.warning("%s: left out, %s; its readers get another edition", tag, reason)
    templates = load_templates(config, slug, editions)
    database = _store.database_path(config)
    key = _log_key(slug, factory.name)
    with _exclusive(database, slug), contextlib.closing(_store.connect(database)) as conn:
        plan = _plan(config, conn, slug, factory.name, list(editions))
        logger.info("%s: editions built: %s", slug, ", ".join(editions))
        for line in _choice_lines(plan.languages):
            logger.info("  %s", line)
        report = CampaignReport(slug, f"{factory.name} {factory.describe()}", withheld=withheld)
        report.already_sent, report.inactive = plan.already_sent, plan.inactive
        _enqueue(conn, key, _choices(config, conn, list(editions)))
        with progress(
            plan.to_send, f"sending {slug}", show=show_progress, logger=logger, count_failures=True
        ) as advance:
            run = _Run(config, slug, factory, templates, secret, report, advance)
            _run(run, conn, key)
        report.remaining = conn.execute(
            "SELECT count(*) FROM sends x JOIN subscribers s ON s.id = x.subscriber"
            " WHERE x.campaign = ? AND x.status = 'pending' AND s.status = 'active'",
            (key,),
        ).fetchone()[0]
    report.seconds = time.perf_counter() - started
    logger.info(
        "%s: %d sent, %d failed, %d still to send", slug, report.sent, report.failed, report.remaining
    )
    return report


def _run(run: _Run, conn: sqlite3.Connection, key: str) -> None:
    workers = [
        threading.Thread(target=run.work, name=f"masthead-send-{number}", daemon=True)
        for number in range(run.settings.connections)
    ]
    for worker in workers:
        worker.start()
    try:
        for job in _pending(conn, key):
            while not run.stop.is_set():
                try:
                    run.jobs.put(job, timeout=0.2)
                    break
                except queue.Full:
                    continue
            if run.stop.is_set() or not any(worker.is_alive() for worker in workers):
                break
        for _ in workers:
            while any(worker.is_alive() for worker in workers):
                try:
                    run.jobs.put(None, timeout=0.2)
                    break
                except queue.Full:
                    continue
        for worker in workers:
            while worker.is_alive():
                worker.join(0.2)
    except KeyboardInterrupt:
        # Let every worker finish (and record) the message in its hands; the rest stays pending.
        run.report.interrupted = True
        run.stop.set()
        with contextlib.suppress(queue.Empty):
            while True:
                run.jobs.get_nowait()
        for worker in workers:
            worker.join(5.0)
