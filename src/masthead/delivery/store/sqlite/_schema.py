"""The SQLite store's schema, and the migrations that bring any older database up to it."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from ...._errors import DeliveryError

logger = logging.getLogger("masthead.delivery")

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
    # 5: which sender holds an entry of the send log (and sent it), until when its claim lasts, and
    # when it was last tried.
    """
    ALTER TABLE sends ADD COLUMN sender TEXT;
    ALTER TABLE sends ADD COLUMN lease_until TEXT;
    ALTER TABLE sends ADD COLUMN tried_at TEXT;
    """,
    # 6: the limits of the readers' side, counted here so that they hold across processes: sign-ups
    # by their address in any letter case of any script (Python's casefold; sign-ups already on file,
    # which expire within days, get SQLite's lower()), and sign-up forms by network address.
    """
    ALTER TABLE signups ADD COLUMN address_key TEXT;
    UPDATE signups SET address_key = lower(address);
    CREATE INDEX signups_key ON signups (address_key, created);
    CREATE TABLE signup_forms (
        client TEXT NOT NULL,
        at     TEXT NOT NULL
    );
    CREATE INDEX signup_forms_client ON signup_forms (client, at);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the database to :data:`SCHEMA_VERSION`, one step per transaction."""
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
