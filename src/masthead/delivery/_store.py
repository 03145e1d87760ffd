"""The subscriber store: one SQLite file in the workspace, created and migrated by masthead.

The same database holds the send log (``sends``), one row per campaign and subscriber, so that a
campaign can be resumed exactly where it stopped.
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .._address import bad_characters
from .._config import Config
from .._errors import DeliveryError
from .._language import language

logger = logging.getLogger("masthead.delivery")

STATUSES = ("active", "unsubscribed", "bounced")

# Each step moves the schema from version N to N + 1 (``PRAGMA user_version``). Never edit a step
# that has been released: add a new one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE subscribers (
        id       INTEGER PRIMARY KEY,
        address  TEXT NOT NULL UNIQUE COLLATE NOCASE,
        name     TEXT,
        language TEXT NOT NULL,
        status   TEXT NOT NULL DEFAULT 'active'
                 CHECK (status IN ('active', 'unsubscribed', 'bounced')),
        created  TEXT NOT NULL,
        updated  TEXT NOT NULL
    );
    CREATE INDEX subscribers_status ON subscribers (status, language);
    CREATE TABLE sends (
        campaign   TEXT NOT NULL,
        subscriber INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
        edition    TEXT NOT NULL,
        status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        attempts   INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created    TEXT NOT NULL,
        updated    TEXT NOT NULL,
        PRIMARY KEY (campaign, subscriber)
    ) WITHOUT ROWID;
    CREATE INDEX sends_status ON sends (campaign, status, subscriber);
    """,
    # 2: a random public id per subscriber, the only thing an unsubscribe token names.
    """
    ALTER TABLE subscribers ADD COLUMN public_id TEXT;
    UPDATE subscribers SET public_id = lower(hex(randomblob(12))) WHERE public_id IS NULL;
    CREATE UNIQUE INDEX subscribers_public_id ON subscribers (public_id);
    """,
    # 3: sign-ups waiting for their confirmation, and the record of each subscriber's consent.
    """
    CREATE TABLE signups (
        id         TEXT PRIMARY KEY,
        address    TEXT NOT NULL COLLATE NOCASE,
        name       TEXT,
        language   TEXT NOT NULL,
        created    TEXT NOT NULL,
        ip         TEXT,
        user_agent TEXT,
        confirmed  TEXT
    );
    CREATE INDEX signups_address ON signups (address, created);
    CREATE TABLE consents (
        id                   INTEGER PRIMARY KEY,
        subscriber           INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
        action               TEXT NOT NULL CHECK (action IN ('subscribed', 'unsubscribed', 'changed')),
        how                  TEXT NOT NULL,
        at                   TEXT NOT NULL,
        ip                   TEXT,
        user_agent           TEXT,
        requested            TEXT,
        requested_ip         TEXT,
        requested_user_agent TEXT
    );
    CREATE INDEX consents_subscriber ON consents (subscriber, at);
    """,
    # 4: what came back (bounces, complaints) and what was done, one row per report and subscriber.
    """
    CREATE TABLE returns (
        report     TEXT NOT NULL,
        subscriber INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
        kind       TEXT NOT NULL CHECK (kind IN ('hard', 'soft', 'delayed', 'complaint')),
        status     TEXT,
        detail     TEXT,
        outcome    TEXT NOT NULL,
        received   TEXT NOT NULL,
        recorded   TEXT NOT NULL,
        PRIMARY KEY (report, subscriber)
    );
    CREATE INDEX returns_by_subscriber ON returns (subscriber, kind, received);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Subscriber:
    id: int
    address: str
    name: str | None
    language: str
    """The preferred language, a BCP 47 tag."""
    status: str
    created: str
    updated: str
    public_id: str
    """A random identifier with no personal meaning: what unsubscribe tokens name instead of the address."""


def new_public_id() -> str:
    """12 random bytes in hex, like the ids migration 2 gives subscribers already on file."""
    return secrets.token_hex(12)


def database_path(config: Config) -> Path:
    return config.root / config.delivery.database


def connect(path: Path, *, migrate: bool = True) -> sqlite3.Connection:
    """Open the store in autocommit mode (transactions are explicit), migrating it to the current schema.

    WAL lets the campaign's writer threads commit while the reader streams the list; ``synchronous=FULL``
    makes each commit durable before the next message is sent.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(path, timeout=30.0, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        if migrate:
            _migrate(conn, path)
    except sqlite3.DatabaseError as exc:
        raise DeliveryError(
            f"cannot open the subscriber database: {exc}",
            path=path,
            hint="check [delivery] database in masthead.toml points at a masthead SQLite file",
        ) from None
    return conn


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise DeliveryError(
            f"the subscriber database has schema {version}, newer than this masthead's {SCHEMA_VERSION}",
            path=path,
            hint="upgrade masthead",
        )
    for number in range(version, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read inside the write lock: another process may have migrated meanwhile.
            if int(conn.execute("PRAGMA user_version").fetchone()[0]) > number:
                conn.execute("ROLLBACK")
                continue
            for statement in MIGRATIONS[number].split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        logger.debug("subscriber database migrated to schema %d", number + 1)


def _row(row: sqlite3.Row) -> Subscriber:
    return Subscriber(
        id=row["id"],
        address=row["address"],
        name=row["name"],
        language=row["language"],
        status=row["status"],
        created=row["created"],
        updated=row["updated"],
        public_id=row["public_id"],
    )


# -- validation, shared by the command line and CSV import ---------------------------------------------


def normalise_language(tag: str) -> str:
    """``tag`` as a known BCP 47 tag in the usual case (``pt-br`` -> ``pt-BR``); ``ValueError`` if unknown."""
    tag = tag.strip().replace("_", "-")
    try:
        language(tag)
    except ValueError:
        raise ValueError(
            f"unknown language {tag!r}; use a BCP 47 tag such as 'en', 'pt-BR', 'zh-Hant'"
        ) from None
    parts = tag.split("-")
    cased = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            cased.append(part.title())  # script
        elif len(part) == 2 or (len(part) == 3 and part.isdigit()):
            cased.append(part.upper())  # region
        else:
            cased.append(part.lower())
    return "-".join(cased)


def normalise_name(name: str | None) -> str | None:
    if name is None:
        return None
    problem = bad_characters(name)
    if problem:
        raise ValueError(f"the name contains {problem}")
    return name.strip() or None


def normalise_status(status: str) -> str:
    status = status.strip().lower()
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    return status


# -- operations -----------------------------------------------------------------------------------------


def get(conn: sqlite3.Connection, address: str) -> Subscriber | None:
    row = conn.execute("SELECT * FROM subscribers WHERE address = ?", (address,)).fetchone()
    return _row(row) if row else None


def get_by_public_id(conn: sqlite3.Connection, public_id: str) -> Subscriber | None:
    row = conn.execute("SELECT * FROM subscribers WHERE public_id = ?", (public_id,)).fetchone()
    return _row(row) if row else None


def upsert(
    conn: sqlite3.Connection,
    address: str,
    name: str | None,
    lang: str,
    status: str | None,
    *,
    resubscribe: bool = False,
) -> str:
    """Insert or update one validated subscriber; return ``added``, ``updated``, ``unchanged`` or ``kept``.

    An unsubscribed or bounced address is never made active again by an import (``kept``) unless
    ``resubscribe`` is set, which only an explicit ``masthead subscribers add`` does.
    """
    stamp = now()
    existing = get(conn, address)
    if existing is None:
        conn.execute(
            "INSERT INTO subscribers (address, name, language, status, created, updated, public_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (address, name, lang, status or "active", stamp, stamp, new_public_id()),
        )
        return "added"
    new_status = existing.status
    kept = False
    if status is not None and status != existing.status:
        if existing.status == "active" or status != "active" or resubscribe:
            new_status = status
        else:
            kept = True
    elif status is None and resubscribe:
        new_status = "active"
    if (name, lang, new_status) == (existing.name, existing.language, existing.status):
        return "kept" if kept else "unchanged"
    conn.execute(
        "UPDATE subscribers SET name = ?, language = ?, status = ?, updated = ? WHERE id = ?",
        (name, lang, new_status, stamp, existing.id),
    )
    return "updated"


def set_status(conn: sqlite3.Connection, address: str, status: str) -> bool:
    cursor = conn.execute(
        "UPDATE subscribers SET status = ?, updated = ? WHERE address = ? AND status != ?",
        (status, now(), address, status),
    )
    return cursor.rowcount > 0


def delete(conn: sqlite3.Connection, address: str) -> bool:
    return conn.execute("DELETE FROM subscribers WHERE address = ?", (address,)).rowcount > 0


def iterate(
    conn: sqlite3.Connection, *, status: str | None = None, lang: str | None = None, batch: int = 500
) -> Iterator[Subscriber]:
    """Every subscriber in order of id, streamed in batches so memory does not grow with the list."""
    last = 0
    while True:
        sql = "SELECT * FROM subscribers WHERE id > ?"
        args: list[object] = [last]
        if status:
            sql += " AND status = ?"
            args.append(status)
        if lang:
            sql += " AND language = ? COLLATE NOCASE"
            args.append(lang)
        rows = conn.execute(sql + " ORDER BY id LIMIT ?", (*args, batch)).fetchall()
        if not rows:
            return
        for row in rows:
            yield _row(row)
        last = rows[-1]["id"]


# -- returned mail --------------------------------------------------------------------------------------


def return_recorded(conn: sqlite3.Connection, report: str) -> bool:
    """Whether the returned message ``report`` (its Message-ID or digest) was acted on before."""
    return conn.execute("SELECT 1 FROM returns WHERE report = ? LIMIT 1", (report,)).fetchone() is not None


def soft_bounces(conn: sqlite3.Connection, subscriber: int, since: str) -> int:
    """Soft bounces recorded for ``subscriber`` that were received at ``since`` or later."""
    row = conn.execute(
        "SELECT count(*) FROM returns WHERE subscriber = ? AND kind = 'soft' AND received >= ?",
        (subscriber, since),
    ).fetchone()
    return int(row[0])


def record_return(
    conn: sqlite3.Connection,
    report: str,
    subscriber: int,
    kind: str,
    status: str | None,
    detail: str,
    outcome: str,
    received: str,
    new_status: str | None,
) -> None:
    """Record what a report said and what was done, and change the subscriber's status (only an
    active subscriber's), in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(
            "INSERT OR IGNORE INTO returns"
            " (report, subscriber, kind, status, detail, outcome, received, recorded)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (report, subscriber, kind, status, detail, outcome, received, now()),
        )
        if new_status is not None:
            conn.execute(
                "UPDATE subscribers SET status = ?, updated = ? WHERE id = ? AND status = 'active'",
                (new_status, now(), subscriber),
            )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def returns_of(conn: sqlite3.Connection, subscriber: int) -> list[sqlite3.Row]:
    """What came back for ``subscriber``, oldest first."""
    return conn.execute(
        "SELECT * FROM returns WHERE subscriber = ? ORDER BY received, report", (subscriber,)
    ).fetchall()
