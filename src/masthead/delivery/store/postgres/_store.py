"""The store in a PostgreSQL database, which any number of senders on any number of machines share.

It holds what the SQLite store holds, in the same schema (:mod:`._schema`), and behaves the
same; campaigns differ only in that several ``masthead send`` processes may send one at once
(:mod:`._sends`). The URL in ``[subscribers] database`` names the server, user and database;
the password comes from the environment variable ``[subscribers] password_env`` names, never from the
settings file. Each store is one connection in autocommit mode: a change commits at once unless it
runs inside :meth:`PostgresStore.transaction`.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

import psycopg
import psycopg.conninfo
from psycopg.rows import dict_row

from ...._config import CONFIG_FILE, Config
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
from .._saving import saving
from .._unavailable import DatabaseUnavailable, reports_unavailable
from ._connection import Row
from ._returns import PostgresReturns
from ._schema import migrate as migrate_schema
from ._sends import PostgresSendLog

_LIST_BATCH = 500
_SIGNUP_LOCK = 0x6D617375  # advisory lock spaces: sign-ups by address, sign-up forms by client
_FORM_LOCK = 0x6D617376
_IMPORT_BATCH = 1000


def _subscriber(row: Row) -> Subscriber:
    return Subscriber(**{key: row[key] for key in Subscriber.__dataclass_fields__})


def _shown(url: str) -> str:
    """The URL without anything secret, for messages."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    info.pop("password", None)
    user, host, port, name = (info.get(key, "") for key in ("user", "host", "port", "dbname"))
    return f"postgresql://{user}@{host}:{port or 5432}/{name}"


# What psycopg raises when the server cannot be reached or is going away (a restart, a lost
# connection, a full disk: SQLSTATE classes 08, 53, 57 and 58), and when it takes no writes for now
# (a standby during a fail-over).
_AWAY: tuple[type[Exception], ...] = (psycopg.OperationalError, psycopg.errors.ReadOnlySqlTransaction)


@reports_unavailable
class PostgresStore(PostgresSendLog, PostgresReturns):
    def __init__(self, url: str, *, password: str | None, lease_seconds: int, migrate: bool = True) -> None:
        self.where = _shown(url)
        self._url, self._password = url, password
        self._conn = self._connect()
        self.sender = sender_name()
        self.lease_seconds = lease_seconds
        if migrate:
            migrate_schema(self._conn, self.where)

    def _connect(self) -> psycopg.Connection[Row]:
        try:
            return psycopg.connect(
                self._url, password=self._password, autocommit=True, row_factory=dict_row, connect_timeout=30
            )
        except psycopg.Error as exc:
            said = " ".join(str(exc).split())
            raise DatabaseUnavailable(
                f"cannot connect to the subscriber database {self.where}: {said}",
                reason=said,
                hint="check [subscribers] database and the password in the variable that [subscribers]"
                " password_env names",
            ) from None

    def unavailable(self, error: Exception) -> str | None:
        if isinstance(error, _AWAY):
            return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return None

    def reconnect(self) -> None:
        conn = self._connect()
        with contextlib.suppress(psycopg.Error):
            self._conn.close()
        self._conn = conn

    @classmethod
    def from_config(cls, config: Config, *, migrate: bool = True) -> PostgresStore:
        settings = config.subscribers
        info = psycopg.conninfo.conninfo_to_dict(settings.database)
        if info.get("password"):
            raise DeliveryError(
                "[subscribers] database holds a password: anyone who reads masthead.toml can use it",
                path=config.root / CONFIG_FILE,
                hint=f"remove it from the URL and export {settings.password_env}=... instead",
            )
        return cls(
            settings.database,
            password=os.environ.get(settings.password_env) or None,
            lease_seconds=settings.lease_seconds,
            migrate=migrate,
        )

    def close(self) -> None:
        self._conn.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        with self._conn.transaction():  # inside another: a savepoint, committed with it
            yield

    # -- subscribers ------------------------------------------------------------------------------------

    def subscriber(self, address: str) -> Subscriber | None:
        row = self._one("SELECT * FROM subscribers WHERE lower(address) = lower(%s)", address)
        return _subscriber(row) if row else None

    def subscriber_by_public_id(self, public_id: str) -> Subscriber | None:
        row = self._one("SELECT * FROM subscribers WHERE public_id = %s", public_id)
        return _subscriber(row) if row else None

    def subscribers(self, *, status: str | None = None, language: str | None = None) -> Iterator[Subscriber]:
        last = 0
        while True:
            sql = "SELECT * FROM subscribers WHERE id > %s"
            args: list[object] = [last]
            if status:
                sql += " AND status = %s"
                args.append(status)
            if language:
                sql += " AND lower(language) = lower(%s)"
                args.append(language)
            rows = self._all(sql + " ORDER BY id LIMIT %s", *args, _LIST_BATCH)
            if not rows:
                return
            yield from map(_subscriber, rows)
            last = rows[-1]["id"]

    def insert_subscriber(self, address: str, name: str | None, language: str, status: str) -> None:
        stamp = now()
        self._conn.execute(
            "INSERT INTO subscribers (address, name, language, status, created, updated, public_id)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (address, name, language, status, stamp, stamp, new_public_id()),
        )

    def update_subscriber(self, subscriber: int, name: str | None, language: str, status: str) -> None:
        self._conn.execute(
            "UPDATE subscribers SET name = %s, language = %s, status = %s, updated = %s WHERE id = %s",
            (name, language, status, now(), subscriber),
        )

    def set_status(self, address: str, status: str) -> bool:
        cursor = self._conn.execute(
            "UPDATE subscribers SET status = %s, updated = %s"
            " WHERE lower(address) = lower(%s) AND status != %s",
            (status, now(), address, status),
        )
        return cursor.rowcount > 0

    def erase(self, address: str) -> bool:
        with self.transaction():  # sends, consents and returns go with the subscriber (ON DELETE CASCADE)
            self._conn.execute("DELETE FROM signups WHERE address_key = %s", (address_key(address),))
            cursor = self._conn.execute(
                "DELETE FROM subscribers WHERE lower(address) = lower(%s)", (address,)
            )
            return cursor.rowcount > 0

    def import_subscribers(self, rows: Iterable[SubscriberRow]) -> ImportTally:
        """As :meth:`Store.save_subscriber` row by row, but a batch of rows at a time: a handful of
        statements per batch instead of several round trips to the server per row."""
        counts: Counter[str] = Counter()
        repeated: list[tuple[int, int, str]] = []
        with self.transaction():
            # The addresses seen so far, in the database rather than in memory: a long list costs nothing.
            self._conn.execute(
                "CREATE TEMP TABLE IF NOT EXISTS seen (address TEXT PRIMARY KEY, line INTEGER)"
            )
            self._conn.execute("DELETE FROM seen")
            remaining = iter(rows)
            while batch := list(itertools.islice(remaining, _IMPORT_BATCH)):
                self._import_batch(batch, counts, repeated)
        return ImportTally(
            added=counts["added"],
            updated=counts["updated"],
            unchanged=counts["unchanged"],
            kept=counts["kept"],
            repeated=tuple(repeated),
        )

    def _import_batch(
        self, batch: Sequence[SubscriberRow], counts: Counter[str], repeated: list[tuple[int, int, str]]
    ) -> None:
        addresses = [row.address for row in batch]
        # Addresses compared as the unique index compares them: by the server's lower().
        keys = [
            found["key"]
            for found in self._all(
                "SELECT lower(a) AS key FROM unnest(%s::text[]) WITH ORDINALITY AS t(a, n) ORDER BY n",
                addresses,
            )
        ]
        earlier = {
            found["address"]: found["line"]
            for found in self._all("SELECT address, line FROM seen WHERE address = ANY(%s)", keys)
        }
        fresh: list[tuple[str, SubscriberRow]] = []
        for key, row in zip(keys, batch, strict=True):
            if key in earlier:
                repeated.append((row.line, earlier[key], row.address))
            else:
                earlier[key] = row.line
                fresh.append((key, row))
        with self._conn.cursor() as cursor, cursor.copy("COPY seen (address, line) FROM STDIN") as copy:
            for key, row in fresh:
                copy.write_row((key, row.line))
        on_file = {
            found["key"]: _subscriber(found)
            for found in self._all(
                "SELECT lower(address) AS key, * FROM subscribers WHERE lower(address) = ANY(%s)",
                [key for key, _row in fresh],
            )
        }
        inserts, updates = [], []
        stamp = now()
        for key, row in fresh:
            existing = on_file.get(key)
            outcome, status = saving(existing, row.name, row.language, row.status, resubscribe=False)
            counts[outcome] += 1
            if existing is None:
                inserts.append((row.address, row.name, row.language, status, stamp, stamp, new_public_id()))
            elif outcome == "updated":
                updates.append((row.name, row.language, status, stamp, existing.id))
        with self._conn.cursor() as cursor:
            if inserts:
                cursor.executemany(
                    "INSERT INTO subscribers (address, name, language, status, created, updated, public_id)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    inserts,
                )
            if updates:
                cursor.executemany(
                    "UPDATE subscribers SET name = %s, language = %s, status = %s, updated = %s"
                    " WHERE id = %s",
                    updates,
                )

    # -- readers' sign-ups and consents ----------------------------------------------------------------

    def add_signup(self, signup: Signup, origin: Origin) -> None:
        self._conn.execute(
            "INSERT INTO signups (id, address, name, language, created, confirmed, ip, user_agent,"
            " address_key) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (signup.id, signup.address, signup.name, signup.language, signup.created, signup.confirmed,
             origin.ip, origin.user_agent, address_key(signup.address)),
        )  # fmt: skip

    def signup(self, signup_id: str) -> tuple[Signup, Origin] | None:
        row = self._one("SELECT * FROM signups WHERE id = %s", signup_id)
        if row is None:
            return None
        signup = Signup(**{key: row[key] for key in Signup.__dataclass_fields__})
        return signup, Origin(row["ip"], row["user_agent"])

    def confirm_signup(self, signup_id: str, stamp: str) -> None:
        self._conn.execute("UPDATE signups SET confirmed = %s WHERE id = %s", (stamp, signup_id))

    def signups_since(self, address: str, stamp: str) -> int:
        key = address_key(address)
        # Held until the transaction ends: a sign-up for the same address in another process waits
        # here, and counts the one this transaction adds.
        self._conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (_SIGNUP_LOCK, key))
        row = self._one(
            "SELECT count(*) AS n FROM signups WHERE address_key = %s AND created >= %s", key, stamp
        )
        return int(row["n"]) if row else 0

    def count_signup_form(self, client: str, stamp: str, since: str, limit: int) -> str | None:
        with self.transaction():
            self._conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (_FORM_LOCK, client))
            self._conn.execute("DELETE FROM signup_forms WHERE at <= %s", (since,))
            counted = self._all(
                "SELECT at FROM signup_forms WHERE client = %s ORDER BY at LIMIT %s", client, limit
            )
            if len(counted) >= limit:
                return str(counted[0]["at"])
            self._conn.execute("INSERT INTO signup_forms (client, at) VALUES (%s, %s)", (client, stamp))
            return None

    def delete_signups_before(self, stamp: str) -> None:
        self._conn.execute("DELETE FROM signups WHERE created < %s", (stamp,))

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
            " requested_user_agent) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (subscriber, action, how, at, origin.ip, origin.user_agent, asked, asked_from.ip,
             asked_from.user_agent),
        )  # fmt: skip

    def consents(self, address: str) -> list[Consent]:
        rows = self._all(
            "SELECT c.* FROM consents c JOIN subscribers s ON s.id = c.subscriber"
            " WHERE lower(s.address) = lower(%s) ORDER BY c.id",
            address,
        )
        return [Consent(**{key: row[key] for key in Consent.__dataclass_fields__}) for row in rows]
