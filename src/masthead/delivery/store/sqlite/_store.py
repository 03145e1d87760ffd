"""The store in one SQLite file in the workspace, created and migrated by masthead.

The same database holds the send log (``sends``), one row per campaign and subscriber, so that a
campaign can be resumed exactly where it stopped. The connection is in autocommit mode: each change
commits at once unless it runs inside :meth:`SQLiteStore.transaction`. WAL lets a campaign's sending
threads commit while another connection streams the list; ``synchronous=FULL`` makes each commit
durable before the next message is sent.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from ...._errors import DeliveryError
from .._records import (
    Consent,
    ImportTally,
    Origin,
    Signup,
    Subscriber,
    SubscriberRow,
    address_key,
    new_public_id,
    now,
    sender_name,
)
from .._unavailable import DatabaseUnavailable, reports_unavailable
from ._returns import SQLiteReturns
from ._schema import migrate as migrate_schema
from ._sends import SQLiteSendLog

_LIST_BATCH = 500


def _subscriber(row: sqlite3.Row) -> Subscriber:
    return Subscriber(**{key: row[key] for key in Subscriber.__dataclass_fields__})


# What SQLite answers when the file cannot be written or read now (a full disk, a disk error, a file
# made read-only, a lock held too long), as opposed to a mistake in what was asked of it.
_AWAY = {
    sqlite3.SQLITE_FULL,
    sqlite3.SQLITE_IOERR,
    sqlite3.SQLITE_READONLY,
    sqlite3.SQLITE_BUSY,
    sqlite3.SQLITE_LOCKED,
    sqlite3.SQLITE_CANTOPEN,
    sqlite3.SQLITE_PROTOCOL,
}


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=30.0, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


@reports_unavailable
class SQLiteStore(SQLiteSendLog, SQLiteReturns):
    def __init__(self, path: Path, *, migrate: bool = True) -> None:
        self.path = path
        self.where = str(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = _connect(path)
            if migrate:
                migrate_schema(conn, path)
        except (OSError, sqlite3.DatabaseError) as exc:
            message = f"cannot open the subscriber database: {getattr(exc, 'strerror', None) or exc}"
            if isinstance(exc, OSError) or self.unavailable(exc):
                raise DatabaseUnavailable(message, reason=str(exc), path=path) from None
            raise DeliveryError(
                message,
                path=path,
                hint="check [subscribers] database in masthead.toml points at a masthead SQLite file",
            ) from None
        self.sender = sender_name()
        self._conn = conn
        self._depth = 0

    def close(self) -> None:
        self._conn.close()

    def unavailable(self, error: Exception) -> str | None:
        if isinstance(error, sqlite3.Error) and getattr(error, "sqlite_errorcode", 0) & 0xFF in _AWAY:
            return str(error)
        return None

    def reconnect(self) -> None:
        try:
            conn = _connect(self.path)
        except sqlite3.Error as exc:
            raise DatabaseUnavailable(
                f"cannot open the subscriber database: {exc}", reason=str(exc), path=self.path
            ) from None
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()
        self._conn, self._depth = conn, 0

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._conn.execute("BEGIN IMMEDIATE")  # take the write lock now: no deadlock on upgrade
        self._depth = 1
        try:
            yield
            self._conn.execute("COMMIT")
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise
        finally:
            self._depth = 0

    # -- subscribers ------------------------------------------------------------------------------------

    def subscriber(self, address: str) -> Subscriber | None:
        row = self._one("SELECT * FROM subscribers WHERE address = ?", address)
        return _subscriber(row) if row else None

    def subscriber_by_public_id(self, public_id: str) -> Subscriber | None:
        row = self._one("SELECT * FROM subscribers WHERE public_id = ?", public_id)
        return _subscriber(row) if row else None

    def subscribers(self, *, status: str | None = None, language: str | None = None) -> Iterator[Subscriber]:
        last = 0
        while True:
            sql = "SELECT * FROM subscribers WHERE id > ?"
            args: list[object] = [last]
            if status:
                sql += " AND status = ?"
                args.append(status)
            if language:
                sql += " AND language = ? COLLATE NOCASE"
                args.append(language)
            rows = self._conn.execute(sql + " ORDER BY id LIMIT ?", (*args, _LIST_BATCH)).fetchall()
            if not rows:
                return
            yield from map(_subscriber, rows)
            last = rows[-1]["id"]

    def insert_subscriber(self, address: str, name: str | None, language: str, status: str) -> None:
        stamp = now()
        self._conn.execute(
            "INSERT INTO subscribers (address, name, language, status, created, updated, public_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (address, name, language, status, stamp, stamp, new_public_id()),
        )

    def update_subscriber(self, subscriber: int, name: str | None, language: str, status: str) -> None:
        self._conn.execute(
            "UPDATE subscribers SET name = ?, language = ?, status = ?, updated = ? WHERE id = ?",
            (name, language, status, now(), subscriber),
        )

    def set_status(self, address: str, status: str) -> bool:
        cursor = self._conn.execute(
            "UPDATE subscribers SET status = ?, updated = ? WHERE address = ? AND status != ?",
            (status, now(), address, status),
        )
        return cursor.rowcount > 0

    def erase(self, address: str) -> bool:
        with self.transaction():  # sends and consents go with the subscriber (ON DELETE CASCADE)
            self._conn.execute("DELETE FROM signups WHERE address_key = ?", (address_key(address),))
            return self._conn.execute("DELETE FROM subscribers WHERE address = ?", (address,)).rowcount > 0

    def import_subscribers(self, rows: Iterable[SubscriberRow]) -> ImportTally:
        counts: Counter[str] = Counter()
        repeated: list[tuple[int, int, str]] = []
        with self.transaction():
            # The addresses seen so far, in the database rather than in memory: a long list costs nothing.
            self._conn.execute(
                "CREATE TEMP TABLE IF NOT EXISTS seen (address TEXT PRIMARY KEY COLLATE NOCASE, line INT)"
            )
            self._conn.execute("DELETE FROM seen")
            for row in rows:
                earlier = self._one("SELECT line FROM seen WHERE address = ?", row.address)
                if earlier:
                    repeated.append((row.line, earlier[0], row.address))
                    continue
                self._conn.execute("INSERT INTO seen VALUES (?, ?)", (row.address, row.line))
                counts[self.save_subscriber(row.address, row.name, row.language, row.status)] += 1
        added, updated, unchanged, kept = (counts[key] for key in ("added", "updated", "unchanged", "kept"))
        return ImportTally(added, updated, unchanged, kept, tuple(repeated))

    # -- readers' sign-ups and consents ----------------------------------------------------------------

    def add_signup(self, signup: Signup, origin: Origin) -> None:
        self._conn.execute(
            "INSERT INTO signups (id, address, name, language, created, confirmed, ip, user_agent,"
            " address_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (signup.id, signup.address, signup.name, signup.language, signup.created, signup.confirmed,
             origin.ip, origin.user_agent, address_key(signup.address)),
        )  # fmt: skip

    def signup(self, signup_id: str) -> tuple[Signup, Origin] | None:
        row = self._one("SELECT * FROM signups WHERE id = ?", signup_id)
        if row is None:
            return None
        signup = Signup(**{key: row[key] for key in Signup.__dataclass_fields__})
        return signup, Origin(row["ip"], row["user_agent"])

    def confirm_signup(self, signup_id: str, stamp: str) -> None:
        self._conn.execute("UPDATE signups SET confirmed = ? WHERE id = ?", (stamp, signup_id))

    def signups_since(self, address: str, stamp: str) -> int:
        # A transaction here holds SQLite's write lock from its start: the processes take turns.
        return self._count(
            "SELECT count(*) FROM signups WHERE address_key = ? AND created >= ?", address_key(address), stamp
        )

    def count_signup_form(self, client: str, stamp: str, since: str, limit: int) -> str | None:
        # The count of a network address's forms needs no flush to disk before the form is answered
        # (after a power cut a few forms go uncounted): every form would wait for one, the same time
        # whatever it asks. In WAL mode, NORMAL commits without it; the connection's FULL comes back.
        relaxed = not self._depth
        if relaxed:
            self._conn.execute("PRAGMA synchronous = NORMAL")
        try:
            return self._count_signup_form(client, stamp, since, limit)
        finally:
            if relaxed:
                self._conn.execute("PRAGMA synchronous = FULL")

    def _count_signup_form(self, client: str, stamp: str, since: str, limit: int) -> str | None:
        with self.transaction():
            self._conn.execute("DELETE FROM signup_forms WHERE at <= ?", (since,))
            counted = self._conn.execute(
                "SELECT at FROM signup_forms WHERE client = ? ORDER BY at LIMIT ?", (client, limit)
            ).fetchall()
            if len(counted) >= limit:
                return str(counted[0][0])
            self._conn.execute("INSERT INTO signup_forms (client, at) VALUES (?, ?)", (client, stamp))
            return None

    def delete_signups_before(self, stamp: str) -> None:
        self._conn.execute("DELETE FROM signups WHERE created < ?", (stamp,))

    def record_consent(
        self,
        subscriber: int,
        action: str,
        how: str,
        origin: Origin,
        *,
        at: str,
        requested: tuple[str, Origin] | None = None,
    ) -> None:
        asked, asked_from = requested or (None, Origin())
        self._conn.execute(
            "INSERT INTO consents (subscriber, action, how, at, ip, user_agent, requested, requested_ip,"
            " requested_user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (subscriber, action, how, at, origin.ip, origin.user_agent, asked, asked_from.ip,
             asked_from.user_agent),
        )  # fmt: skip

    def consents(self, address: str) -> list[Consent]:
        rows = self._conn.execute(
            "SELECT c.* FROM consents c JOIN subscribers s ON s.id = c.subscriber"
            " WHERE s.address = ? ORDER BY c.id",
            (address,),
        ).fetchall()
        return [Consent(**{key: row[key] for key in Consent.__dataclass_fields__}) for row in rows]
