"""The sending threads of a campaign: each with its own connection to the server and to the store,
each recording a message in the send log as soon as the server has accepted it, retrying temporary
failures with growing waits, and pausing the campaign when the server is gone, stops answering, keeps
refusing, or refuses the message or the session itself. When the store fails, the threads wait for it
(:mod:`._outage`), and a message the server accepted meanwhile is kept in memory and in the run's
journal (:mod:`._journal`) until the send log has it."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from email.utils import parseaddr
from typing import TypeVar

from ..._address import bad_characters
from ..._config import Config
from ..._errors import MastheadError
from ..._layout import PREFERENCES, UNSUBSCRIBE, with_token
from ..._progress import Advance
from ...email import PLACEHOLDER_SENDER, EmailError, MessageTemplate, Recipient
from ..outbound import (
    MESSAGE,
    RECIPIENT,
    PermanentFailure,
    TemporaryFailure,
    Transport,
    TransportFactory,
)
from ..readers import make_unsubscribe_token
from ..returns import Verp
from ..store import DatabaseUnavailable, Delivery, Store, open_store, sender_name, steadily
from ._journal import Journal
from ._outage import DatabaseGone, Outage
from ._outcomes import CampaignReport
from ._throttle import TokenBucket, retry_wait

logger = logging.getLogger("masthead.delivery")

T = TypeVar("T")


class CampaignRun:
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
        *,
        key: str,
    ) -> None:
        self.config = config
        self.slug = slug
        self.key = key
        self.factory = factory
        self.templates = templates
        self.secret = secret
        self.report = report
        self.advance = advance
        self.settings = config.delivery
        sender = config.email.sender or PLACEHOLDER_SENDER
        self.sender = parseaddr(sender)[1] or sender
        self.domain = self.sender.rpartition("@")[2] or "masthead.invalid"
        return_path = config.bounces.return_path
        self.verp = Verp.parse(parseaddr(return_path)[1] or return_path) if return_path else None
        self.jobs: queue.Queue[Delivery | None] = queue.Queue(maxsize=self.settings.connections * 4)
        self.stop = threading.Event()
        self.bucket = TokenBucket(self.settings.rate_per_second, burst=self.settings.connections)
        self.lock = threading.Lock()
        self.in_a_row = 0
        self.timeouts = 0
        """Attempts in a row, across connections, that the server did not answer in time."""
        self.name = sender_name()
        """This run, as the send log names the sender of what it claims and sends."""
        self.outage = Outage(config.subscribers.reconnect_seconds, self.stop)
        self.journal = Journal(config, key, self.name)
        self.kept: dict[int, Delivery] = {}
        """Messages the server accepted that the send log does not have yet (it was away)."""
        self.journal_problem: str | None = None

    def pause(self, reason: str) -> None:
        with self.lock:
            if self.report.paused is None:
                self.report.paused = reason
                logger.error("pausing the campaign: %s", reason)
        self.stop.set()

    def answered(self) -> None:
        """The server answered (whatever it said): timeouts are no longer in a row."""
        with self.lock:
            self.timeouts = 0

    def timed_out(self, reason: str) -> None:
        with self.lock:
            self.timeouts += 1
            count = self.timeouts
        if count >= self.settings.pause_after_timeouts:
            self.pause(
                f"{count} timeouts in a row ({self.settings.timeout:g} s each; the last: {reason}): the"
                f" server does not answer; run 'masthead send {self.slug}' again once it does"
            )

    def refused(self, failure: PermanentFailure) -> str:
        """Why the campaign pauses when the server refuses the message or the session itself."""
        if failure.about == MESSAGE:
            what = "the message itself, not its recipient"
            fix = "fix the cause (the size of the message, its content, the relay's limits)"
        else:
            what = "the session, not the recipient"
            fix = "fix the cause (the login, the sender's address, the relay's settings)"
        return (
            f"the relay refused {what} ({failure.reason}); {fix}, then run 'masthead send {self.slug}'"
            " again: every reader it refused is still to send"
        )

    def keep(self, job: Delivery) -> None:
        """The server accepted ``job``'s message and the send log cannot be told now: keep it."""
        problem = self.journal.keep(job)
        with self.lock:
            self.kept[job.subscriber] = job
            if problem is not None and self.journal_problem is None:
                self.journal_problem = problem
                logger.error(
                    "cannot write the journal %s (%s): what the relay accepted is kept in memory only",
                    self.journal.path,
                    problem,
                )

    def steadily(self, store: Store, call: Callable[[], T]) -> T:
        """``call()`` on ``store``, waiting for it through an outage (DatabaseGone if it stays away)."""
        return steadily(store, self.outage, call)

    def note(self, store: Store, job: Delivery, status: str, error: str | None) -> None:
        """Record one attempt's outcome in the send log, through an outage if need be."""
        self.steadily(store, functools.partial(store.record, self.key, job.subscriber, status, error))

    def record(self, job: Delivery, outcome: str, reason: str | None) -> None:
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
        store: Store | None = None
        transport: Transport | None = None
        try:
            store = self._open_store()
            transport = self.factory.open()
            while not self.stop.is_set():
                job = self.jobs.get()
                if job is None:
                    break
                self.deliver(job, transport, store)
        except DatabaseGone:
            pass  # the run gave up on the database, or stops: the report says so
        except MastheadError as exc:
            self.pause(exc.message)
        except Exception as exc:
            logger.exception("a sending thread failed")
            self.pause(f"unexpected error: {exc!r}")
        finally:
            if transport is not None:
                transport.close()
            if store is not None:
                store.close()

    def _open_store(self) -> Store:
        while True:
            try:
                store = open_store(self.config, migrate=False)
            except DatabaseUnavailable as error:
                self.outage.lost(error)
                continue
            store.sender = self.name
            return store

    def _message(self, job: Delivery) -> bytes:
        token = make_unsubscribe_token(job.public_id, self.slug, self.secret)
        recipient = Recipient(
            address=job.address,
            name=_single_line(job.name),
            unsubscribe_url=self.config.base_url + with_token(UNSUBSCRIBE, token),
            preferences_url=self.config.base_url + with_token(PREFERENCES, token),
        )
        return self.templates[job.edition].personalise(recipient, message_id=self.message_id(job))

    def envelope_sender(self, job: Delivery) -> str:
        """Where the message comes back if it cannot be delivered: the subscriber's own return path
        (VERP) when ``[bounces] return_path`` is set, so that a bounce names who it is about."""
        return self.verp.address(job.public_id) if self.verp else self.sender

    def message_id(self, job: Delivery) -> str:
        """Stable for a campaign and subscriber, so a relay that sees a message twice can drop the copy."""
        digest = hashlib.sha256(f"{self.slug}\n{job.address}".encode()).hexdigest()[:24]
        return f"<{self.slug}.{digest}@{self.domain}>"

    def deliver(self, job: Delivery, transport: Transport, store: Store) -> None:
        try:
            message = self._message(job)
        except EmailError as exc:
            self.note(store, job, "failed", exc.message)
            logger.warning("%s: cannot be sent: %s", job.address, exc.message)
            self.record(job, "failed", exc.message)
            return
        reason = ""
        connection_lost = False
        for attempt in range(1, self.settings.max_attempts + 1):
            self.outage.gate()
            if not self.bucket.acquire(self.stop):
                return  # stopping: the row stays pending for the next run
            if not self.steadily(store, functools.partial(store.take, self.key, job.subscriber)):
                # Another sender holds it (this one's claim ran out meanwhile), or it is done.
                logger.debug("%s: taken over by another sender; not sent from here", job.address)
                self.advance("skipped")
                return
            try:
                transport.send(self.envelope_sender(job), job.address, message)
            except TemporaryFailure as exc:
                reason, connection_lost = exc.reason, exc.connection
                if exc.timeout:
                    self.timed_out(reason)
                else:
                    self.answered()
                logger.debug("%s: attempt %d: %s", job.address, attempt, reason)
                self.note(store, job, "pending", reason)
                if attempt < self.settings.max_attempts and self.stop.wait(
                    retry_wait(self.settings.retry_delay, attempt)
                ):
                    return
                continue
            except PermanentFailure as exc:
                self.answered()
                if exc.about != RECIPIENT:
                    # About the message or the session: the next reader would be refused the same way.
                    self.note(store, job, "pending", exc.reason)
                    self.pause(self.refused(exc))
                    self.record(job, "pending", exc.reason)
                    return
                self.note(store, job, "failed", exc.reason)
                if exc.bounced:
                    self.steadily(store, functools.partial(store.set_status, job.address, "bounced"))
                logger.warning("%s: refused: %s", job.address, exc.reason)
                self.record(job, "failed", exc.reason)
                return
            self.answered()
            self.record(job, "sent", None)  # counted first: the report says what the server accepted
            self.accepted(job, store)
            return
        logger.warning("%s: still failing after %d attempts: %s", job.address, attempt, reason)
        if connection_lost:
            self.pause(reason)
        self.record(job, "pending", reason)

    def accepted(self, job: Delivery, store: Store) -> None:
        """The server has accepted the message: record it at once, in its own committed transaction.

        A crash between the server's reply and this commit (microseconds, one message per worker) is
        the one window in which the next run sends a second copy: no client can close it without the
        server's help. The copy has the same Message-ID, so a relay can drop it. If the store fails
        instead, the message is kept (in memory and in the journal) before anything else happens, and
        recorded when the store answers again; if it does not, the next run records it from the journal.
        """
        try:
            store.record(self.key, job.subscriber, "sent", None)
            return
        except DatabaseUnavailable as error:
            self.keep(job)
            self.outage.lost(error)
        self.steadily(store, functools.partial(store.record_accepted, self.key, job.subscriber, self.name))
        self.outage.found()  # the call that had failed went through, at the first try again or later
        with self.lock:
            del self.kept[job.subscriber]


def run_workers(run: CampaignRun, jobs: Iterator[Delivery]) -> None:
    """Feed ``jobs`` to ``[delivery] connections`` sending threads until done, stopped or interrupted."""
    workers = [
        threading.Thread(target=run.work, name=f"masthead-send-{number}", daemon=True)
        for number in range(run.settings.connections)
    ]
    for worker in workers:
        worker.start()
    try:
        with contextlib.suppress(DatabaseGone):
            for job in jobs:
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


def _single_line(text: str | None) -> str | None:
    """Defence in depth: a name never carries a line break into a header, whatever is in the database."""
    if text is None:
        return None
    return " ".join("".join(" " if bad_characters(char) else char for char in text).split()) or None
