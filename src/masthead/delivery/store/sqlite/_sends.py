"""The SQLite store's send log: one row per campaign and subscriber, so that a campaign can be resumed
exactly where it stopped. One sender at a time holds a database file (see :meth:`SQLiteSendLog.sending`).
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from typing import IO

from ...._errors import DeliveryError
from .._records import CampaignProgress, Delivery, LanguageTally, SendEntry, SenderProgress, now
from .._unavailable import Recovery, steadily
from ._connection import SQLiteConnection

_BATCH = 256


class SQLiteSendLog(SQLiteConnection):
    """The send-log methods of :class:`~.SQLiteStore`."""

    @contextlib.contextmanager
    def sending(self, slug: str) -> Iterator[None]:
        """One sender per database file at a time; the lock goes with the process, however it ends."""
        lock_path = self.path.with_name(self.path.name + ".send-lock")
        try:
            stream: IO[bytes] = lock_path.open("wb")
        except OSError as exc:
            raise DeliveryError(
                f"cannot make the lock that keeps a second sender out: {exc.strerror}",
                path=lock_path,
                hint="masthead writes it beside the subscriber database: check that its folder is writable",
            ) from None
        try:
            try:
                fcntl.flock(stream, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise DeliveryError(
                    "another 'masthead send' is running on this subscriber database",
                    path=self.path,
                    hint=f"wait for it to finish, or stop it and run 'masthead send {slug}' again",
                ) from None
            yield
        finally:
            stream.close()

    def active_languages(self) -> list[str]:
        rows = self._conn.execute("SELECT DISTINCT language FROM subscribers WHERE status = 'active'")
        return [row[0] for row in rows]

    def tally(self, campaign: str) -> list[LanguageTally]:
        rows = self._conn.execute(
            """SELECT s.language, count(*) AS total,
                      coalesce(sum(x.status = 'sent'), 0) AS sent,
                      coalesce(sum(x.status = 'failed'), 0) AS failed
               FROM subscribers s LEFT JOIN sends x ON x.campaign = ? AND x.subscriber = s.id
               WHERE s.status = 'active' GROUP BY s.language ORDER BY total DESC, s.language""",
            (campaign,),
        )
        return [LanguageTally(row["language"], row["total"], row["sent"], row["failed"]) for row in rows]

    def inactive(self) -> int:
        return self._count("SELECT count(*) FROM subscribers WHERE status != 'active'")

    def first_unsent(self, campaign: str, limit: int) -> list[tuple[str, str]]:
        rows = self._conn.execute(
            """SELECT s.address, s.language FROM subscribers s
               WHERE s.status = 'active' AND NOT EXISTS (
                   SELECT 1 FROM sends x
                   WHERE x.campaign = ? AND x.subscriber = s.id AND x.status != 'pending')
               ORDER BY s.id LIMIT ?""",
            (campaign, limit),
        )
        return [(row[0], row[1]) for row in rows]

    def enqueue(self, campaign: str, editions: Mapping[str, str]) -> None:
        stamp = now()
        with self.transaction():
            conn = self._conn
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS plan (language TEXT PRIMARY KEY, edition TEXT)")
            conn.execute("DELETE FROM plan")
            conn.executemany("INSERT INTO plan VALUES (?, ?)", list(editions.items()))
            conn.execute(
                """INSERT OR IGNORE INTO sends (campaign, subscriber, edition, created, updated)
                   SELECT ?, s.id, p.edition, ?, ? FROM subscribers s JOIN plan p ON p.language = s.language
                   WHERE s.status = 'active'""",
                (campaign, stamp, stamp),
            )
            conn.execute(
                """UPDATE sends SET edition = (
                       SELECT p.edition FROM subscribers s JOIN plan p ON p.language = s.language
                       WHERE s.id = sends.subscriber)
                   WHERE campaign = ? AND status = 'pending'
                     AND subscriber IN (SELECT id FROM subscribers WHERE status = 'active')""",
                (campaign,),
            )

    def pending(
        self, campaign: str, stop: threading.Event | None = None, recovery: Recovery | None = None
    ) -> Iterator[Delivery]:
        last = 0
        while True:
            rows = steadily(self, recovery, functools.partial(self._pending_after, campaign, last))
            if not rows:
                return
            for row in rows:
                yield Delivery(row[0], row[1], row[2], row[3], row[4])
            last = rows[-1][0]

    def _pending_after(self, campaign: str, last: int) -> list[sqlite3.Row]:
        return self._conn.execute(
            """SELECT x.subscriber, s.address, s.name, x.edition, s.public_id
               FROM sends x JOIN subscribers s ON s.id = x.subscriber
               WHERE x.campaign = ? AND x.status = 'pending' AND s.status = 'active'
                 AND x.subscriber > ?
               ORDER BY x.subscriber LIMIT ?""",
            (campaign, last, _BATCH),
        ).fetchall()

    def take(self, campaign: str, subscriber: int) -> bool:
        return True  # one sender at a time (see sending): what it streamed is its own

    def record(self, campaign: str, subscriber: int, status: str, error: str | None) -> None:
        self._conn.execute(
            "UPDATE sends SET status = ?, attempts = attempts + 1, last_error = ?, updated = ?, sender = ?,"
            " tried_at = strftime('%Y-%m-%dT%H:%M:%f', 'now') WHERE campaign = ? AND subscriber = ?",
            (status, error, now(), self.sender, campaign, subscriber),
        )

    def record_accepted(self, campaign: str, subscriber: int, sender: str) -> None:
        self._conn.execute(
            "UPDATE sends SET status = 'sent', attempts = attempts + 1, last_error = NULL, updated = ?,"
            " sender = ?, tried_at = strftime('%Y-%m-%dT%H:%M:%f', 'now')"
            " WHERE campaign = ? AND subscriber = ? AND status != 'sent'",
            (now(), sender, campaign, subscriber),
        )

    def failed(self, campaign: str, limit: int) -> tuple[int, list[tuple[str, str]]]:
        where = (
            "FROM sends x JOIN subscribers s ON s.id = x.subscriber"
            " WHERE x.campaign = ? AND x.status = 'failed' AND s.status = 'active'"
        )
        rows = self._conn.execute(
            f"SELECT s.address, x.last_error {where} ORDER BY s.address LIMIT ?", (campaign, limit)
        )
        return self._count(f"SELECT count(*) {where}", campaign), [(row[0], row[1] or "") for row in rows]

    def retry_failed(self, campaign: str) -> int:
        cursor = self._conn.execute(
            "UPDATE sends SET status = 'pending', updated = ? WHERE campaign = ? AND status = 'failed'"
            " AND subscriber IN (SELECT id FROM subscribers WHERE status = 'active')",
            (now(), campaign),
        )
        return cursor.rowcount

    def send_log(self, campaign: str) -> Iterator[SendEntry]:
        rows = self._conn.execute(
            "SELECT s.address, x.edition, x.status, x.attempts, x.last_error, x.sender"
            " FROM sends x JOIN subscribers s ON s.id = x.subscriber WHERE x.campaign = ? ORDER BY s.address",
            (campaign,),
        )
        for row in rows:
            yield SendEntry(*row)

    def progress(self, campaign: str) -> CampaignProgress:
        counts = dict.fromkeys(("pending", "sent", "failed"), 0)
        rows = self._conn.execute(
            "SELECT x.status, count(*) FROM sends x JOIN subscribers s ON s.id = x.subscriber"
            " WHERE x.campaign = ? AND (s.status = 'active' OR x.status != 'pending') GROUP BY x.status",
            (campaign,),
        )
        counts.update({row[0]: row[1] for row in rows})
        senders = self._conn.execute(
            "SELECT sender, sum(status = 'sent'), max(updated) FROM sends"
            " WHERE campaign = ? AND sender IS NOT NULL GROUP BY sender ORDER BY min(updated)",
            (campaign,),
        )
        # One sender at a time holds the whole campaign while it runs; no claims to show.
        done = tuple(SenderProgress(row[0], row[1] or 0, 0, 0, row[2]) for row in senders)
        return CampaignProgress(campaign, counts["pending"], counts["sent"], counts["failed"], done)

    def remaining(self, campaign: str) -> int:
        return self._count(
            "SELECT count(*) FROM sends x JOIN subscribers s ON s.id = x.subscriber"
            " WHERE x.campaign = ? AND x.status = 'pending' AND s.status = 'active'",
            campaign,
        )
