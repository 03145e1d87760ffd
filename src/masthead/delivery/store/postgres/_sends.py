"""Campaigns in PostgreSQL, sent by any number of ``masthead send`` processes at once.

Each sender claims a batch of the send log with ``SELECT ... FOR UPDATE SKIP LOCKED``: no two senders
claim the same entries and none waits for another's. A claim is a lease: the sender's name
(``host:pid:run``) and a time ``[subscribers] lease_seconds`` ahead. Right before each attempt the sender
takes the entry again (:meth:`PostgresSendLog.take`), which renews the lease and fails if another
sender holds it; an outcome ends the lease. When a sender dies, its leases run out and the others take
its entries over, while it cannot send any of them any more. So an entry is sent by one sender at a
time, and each subscriber gets one message, except in the one case no client can rule out: a sender
that dies after the server accepted a message and before the log says so (as with SQLite).

A sender never claims an entry twice in one run, nor one that anyone attempted since it started: an
entry that fails every time (temporary failures) gets one round of attempts per run, as with SQLite,
and is left to the next run instead of passing from sender to sender. A sender stops claiming only
when no pending entry that this run may send is left, whoever holds it: while others hold some, it
waits for their leases to end, in case they died; an entry free to claim but locked for a moment by
another session (skipped by ``SKIP LOCKED``) is looked at again a moment later.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager

from .._records import CampaignProgress, Delivery, LanguageTally, SendEntry, SenderProgress, now
from .._unavailable import Recovery, steadily
from ._connection import PostgresConnection

logger = logging.getLogger("masthead.delivery")

_CLAIM = 64
"""Entries claimed at a time: a sender works through them well within a lease."""
_POLL = 1.0
"""Seconds between looks at other senders' claims, at most, while waiting for them."""
_GLANCE = 0.05
"""Seconds before looking again at an entry another session had locked, or a lease about to end."""

# The entries this sender may claim: pending, of an active subscriber, unclaimed or with a lease that
# ran out, not claimed by this sender before, and not attempted by anyone since it started: an entry
# that keeps failing gets one round of attempts per run, as with SQLite, instead of passing from
# sender to sender for ever.
_CLAIMABLE = """
    x.campaign = %(campaign)s AND x.status = 'pending' AND s.status = 'active'
    AND (x.lease_until IS NULL OR x.lease_until < now()) AND x.sender IS DISTINCT FROM %(sender)s
    AND (x.tried_at IS NULL OR x.tried_at < %(started)s)
"""
_CLAIM_SQL = f"""
    WITH batch AS (
        SELECT x.campaign, x.subscriber FROM sends x JOIN subscribers s ON s.id = x.subscriber
        WHERE {_CLAIMABLE}
        ORDER BY x.subscriber LIMIT %(limit)s
        FOR UPDATE OF x SKIP LOCKED
    )
    UPDATE sends x SET sender = %(sender)s, lease_until = now() + %(lease)s * interval '1 second'
    FROM batch, subscribers s
    WHERE x.campaign = batch.campaign AND x.subscriber = batch.subscriber AND s.id = x.subscriber
    RETURNING x.subscriber, s.address, s.name, x.edition, s.public_id
"""
# What is left that this run may still send, apart from what it has claimed itself: entries other
# senders hold now (worth waiting for, in case their sender died) and entries free to claim that the
# claim skipped because another session had them locked at that moment. Counting the second kind is
# what keeps a sender from stopping while work remains.
_LEFT_SQL = """
    SELECT count(*) AS n, count(*) FILTER (WHERE x.lease_until >= now()) AS held,
           extract(epoch FROM min(x.lease_until) FILTER (WHERE x.lease_until >= now()) - now()) AS wait
    FROM sends x JOIN subscribers s ON s.id = x.subscriber
    WHERE x.campaign = %(campaign)s AND x.status = 'pending' AND s.status = 'active'
      AND x.sender IS DISTINCT FROM %(sender)s
      AND (x.tried_at IS NULL OR x.tried_at < %(started)s)
"""


class PostgresSendLog(PostgresConnection):
    """The campaign methods of :class:`~.PostgresStore`."""

    lease_seconds: int

    def _server_time(self) -> object:
        """Now, by the database server's clock: what every sender's times are compared with."""
        row = self._one("SELECT now() AS now")
        return row["now"] if row else None

    def sending(self, campaign: str) -> AbstractContextManager[None]:
        return contextlib.nullcontext()  # any number of senders at once: they claim what they send

    def active_languages(self) -> list[str]:
        return [
            row["language"]
            for row in self._all("SELECT DISTINCT language FROM subscribers WHERE status = 'active'")
        ]

    def tally(self, campaign: str) -> list[LanguageTally]:
        rows = self._all(
            """SELECT s.language, count(*) AS total,
                      count(*) FILTER (WHERE x.status = 'sent') AS sent,
                      count(*) FILTER (WHERE x.status = 'failed') AS failed
               FROM subscribers s LEFT JOIN sends x ON x.campaign = %s AND x.subscriber = s.id
               WHERE s.status = 'active' GROUP BY s.language ORDER BY total DESC, s.language""",
            campaign,
        )
        return [LanguageTally(row["language"], row["total"], row["sent"], row["failed"]) for row in rows]

    def inactive(self) -> int:
        row = self._one("SELECT count(*) AS n FROM subscribers WHERE status != 'active'")
        return int(row["n"]) if row else 0

    def first_unsent(self, campaign: str, limit: int) -> list[tuple[str, str]]:
        rows = self._all(
            """SELECT s.address, s.language FROM subscribers s
               WHERE s.status = 'active' AND NOT EXISTS (
                   SELECT 1 FROM sends x
                   WHERE x.campaign = %s AND x.subscriber = s.id AND x.status != 'pending')
               ORDER BY s.id LIMIT %s""",
            campaign,
            limit,
        )
        return [(row["address"], row["language"]) for row in rows]

    def enqueue(self, campaign: str, editions: Mapping[str, str]) -> None:
        stamp = now()
        languages, chosen = list(editions), list(editions.values())
        with self._conn.transaction():
            # Several senders may start together: an entry already there is left as it is.
            self._conn.execute(
                """INSERT INTO sends (campaign, subscriber, edition, created, updated)
                   SELECT %s, s.id, p.edition, %s, %s
                   FROM subscribers s JOIN unnest(%s::text[], %s::text[]) AS p (language, edition)
                        ON p.language = s.language
                   WHERE s.status = 'active'
                   ON CONFLICT DO NOTHING""",
                (campaign, stamp, stamp, languages, chosen),
            )
            self._conn.execute(
                """UPDATE sends x SET edition = p.edition
                   FROM subscribers s, unnest(%s::text[], %s::text[]) AS p (language, edition)
                   WHERE x.campaign = %s AND x.status = 'pending' AND s.id = x.subscriber
                     AND s.status = 'active' AND p.language = s.language AND x.edition != p.edition""",
                (languages, chosen, campaign),
            )

    def pending(
        self, campaign: str, stop: threading.Event | None = None, recovery: Recovery | None = None
    ) -> Iterator[Delivery]:
        # The run's start, its name and what it claimed so far live here, across reconnections: a
        # database that went away and came back finds this stream where it was.
        names = {
            "campaign": campaign, "sender": self.sender, "limit": _CLAIM, "lease": self.lease_seconds,
            "started": steadily(self, recovery, self._server_time),
        }  # fmt: skip
        waiting = False
        while stop is None or not stop.is_set():
            rows = steadily(self, recovery, lambda: self._conn.execute(_CLAIM_SQL.encode(), names).fetchall())
            if rows:
                for row in sorted(rows, key=lambda row: int(row["subscriber"])):
                    yield Delivery(
                        row["subscriber"], row["address"], row["name"], row["edition"], row["public_id"]
                    )
                continue
            left = steadily(self, recovery, lambda: self._conn.execute(_LEFT_SQL.encode(), names).fetchone())
            if not left or not left["n"]:
                return
            if left["held"]:
                if not waiting:
                    waiting = True
                    logger.info(
                        "%s: %d to send are claimed by other senders; waiting for them (a claim of a"
                        " sender that stopped ends within %d s)", campaign, left["held"], self.lease_seconds,
                    )  # fmt: skip
                wait = min(_POLL, max(_GLANCE, float(left["wait"] or 0)))
            else:
                wait = _GLANCE  # free to claim, locked by another session for a moment: look again
            if stop is not None and stop.wait(wait):
                return
            if stop is None:
                time.sleep(wait)

    def take(self, campaign: str, subscriber: int) -> bool:
        row = self._one(
            """UPDATE sends SET sender = %s, lease_until = now() + %s * interval '1 second'
               WHERE campaign = %s AND subscriber = %s AND status = 'pending'
                 AND (sender = %s OR lease_until IS NULL OR lease_until < now())
               RETURNING 1 AS taken""",
            self.sender,
            self.lease_seconds,
            campaign,
            subscriber,
            self.sender,
        )
        return row is not None

    def record(self, campaign: str, subscriber: int, status: str, error: str | None) -> None:
        # Any outcome ends the lease: a temporary failure's entry is free for the next attempt, here
        # (take() again) or, once this sender gives up on it, for another sender.
        self._conn.execute(
            "UPDATE sends SET status = %s, attempts = attempts + 1, last_error = %s, updated = %s,"
            " sender = %s, lease_until = NULL, tried_at = clock_timestamp()"
            " WHERE campaign = %s AND subscriber = %s",
            (status, error, now(), self.sender, campaign, subscriber),
        )

    def record_accepted(self, campaign: str, subscriber: int, sender: str) -> None:
        self._conn.execute(
            "UPDATE sends SET status = 'sent', attempts = attempts + 1, last_error = NULL, updated = %s,"
            " sender = %s, lease_until = NULL, tried_at = clock_timestamp()"
            " WHERE campaign = %s AND subscriber = %s AND status != 'sent'",
            (now(), sender, campaign, subscriber),
        )

    def failed(self, campaign: str, limit: int) -> tuple[int, list[tuple[str, str]]]:
        where = (
            "FROM sends x JOIN subscribers s ON s.id = x.subscriber"
            " WHERE x.campaign = %s AND x.status = 'failed' AND s.status = 'active'"
        )
        counted = self._one(f"SELECT count(*) AS n {where}", campaign)
        rows = self._all(
            f"SELECT s.address, x.last_error {where} ORDER BY s.address LIMIT %s", campaign, limit
        )
        sample = [(row["address"], row["last_error"] or "") for row in rows]
        return int(counted["n"]) if counted else 0, sample

    def retry_failed(self, campaign: str) -> int:
        cursor = self._conn.execute(
            "UPDATE sends x SET status = 'pending', updated = %s FROM subscribers s"
            " WHERE x.campaign = %s AND x.status = 'failed' AND s.id = x.subscriber AND s.status = 'active'",
            (now(), campaign),
        )
        return cursor.rowcount

    def remaining(self, campaign: str) -> int:
        row = self._one(
            "SELECT count(*) AS n FROM sends x JOIN subscribers s ON s.id = x.subscriber"
            " WHERE x.campaign = %s AND x.status = 'pending' AND s.status = 'active'",
            campaign,
        )
        return int(row["n"]) if row else 0

    def send_log(self, campaign: str) -> Iterator[SendEntry]:
        rows = self._all(
            "SELECT s.address, x.edition, x.status, x.attempts, x.last_error, x.sender FROM sends x"
            " JOIN subscribers s ON s.id = x.subscriber WHERE x.campaign = %s ORDER BY s.address",
            campaign,
        )
        for row in rows:
            yield SendEntry(**row)

    def progress(self, campaign: str) -> CampaignProgress:
        counts = dict.fromkeys(("pending", "sent", "failed"), 0)
        rows = self._all(
            "SELECT x.status, count(*) AS n FROM sends x JOIN subscribers s ON s.id = x.subscriber"
            " WHERE x.campaign = %s AND (s.status = 'active' OR x.status != 'pending') GROUP BY x.status",
            campaign,
        )
        counts.update({row["status"]: row["n"] for row in rows})
        senders = self._all(
            """SELECT sender,
                      count(*) FILTER (WHERE status = 'sent') AS sent,
                      count(*) FILTER (WHERE status = 'pending' AND lease_until >= now()) AS holding,
                      count(*) FILTER (WHERE status = 'pending' AND lease_until < now()) AS expired,
                      max(updated) FILTER (WHERE attempts > 0) AS last
               FROM sends WHERE campaign = %s AND sender IS NOT NULL
               GROUP BY sender ORDER BY min(updated), sender""",
            campaign,
        )
        return CampaignProgress(
            campaign,
            counts["pending"],
            counts["sent"],
            counts["failed"],
            tuple(SenderProgress(**row) for row in senders),
        )
