"""A reader's own steps: sign up, confirm, change preferences, unsubscribe; each kept as proof.

A sign-up waits in ``signups`` until the reader follows the link in the confirmation email; only then
does the address become an active subscriber, and ``consents`` records when and from which request
(address and browser) the sign-up was asked for and confirmed. An unsubscribe or a change of
preferences is recorded the same way. A bounced address is never made active again from the web,
and an unsubscribed one only through a new confirmation.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .._address import normalise_address
from .._config import Config
from .._errors import DeliveryError
from . import _store
from ._store import Subscriber

logger = logging.getLogger("masthead.delivery")

SIGNUPS_PER_ADDRESS = 3
"""Confirmation emails one address can be sent per day, whoever asks: no one can flood a mailbox."""


@dataclass(frozen=True)
class Origin:
    """The request a reader's step came from, kept as the record of their consent."""

    ip: str | None = None
    user_agent: str | None = None

    def clipped(self) -> Origin:
        agent = self.user_agent
        return Origin(self.ip[:64] if self.ip else None, agent[:512] if agent else None)


@dataclass(frozen=True)
class Signup:
    """A sign-up waiting for its confirmation."""

    id: str
    address: str
    name: str | None
    language: str
    created: str
    confirmed: str | None


@dataclass(frozen=True)
class SignupRequest:
    """What became of a sign-up form: ``signup`` is set when a confirmation email should go out."""

    address: str
    signup: Signup | None
    reason: str
    """``new``, ``again`` (already active: confirming updates name and language), ``returning``
    (unsubscribed before), ``bounced`` or ``throttled`` (no email for these two)."""


@dataclass(frozen=True)
class Consent:
    action: str
    how: str
    at: str
    ip: str | None
    user_agent: str | None
    requested: str | None
    requested_ip: str | None
    requested_user_agent: str | None


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


@contextlib.contextmanager
def _transaction(config: Config) -> Iterator[sqlite3.Connection]:
    with contextlib.closing(_store.connect(_store.database_path(config))) as conn:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


def _signup(row: sqlite3.Row | None) -> Signup | None:
    if row is None:
        return None
    return Signup(row["id"], row["address"], row["name"], row["language"], row["created"], row["confirmed"])


def request_signup(
    config: Config,
    address: str,
    name: str | None,
    language: str,
    origin: Origin,
    *,
    keep: timedelta,
    now: datetime | None = None,
) -> SignupRequest:
    """Record a sign-up form; the caller emails a confirmation link when the result has a ``signup``.

    Sign-ups older than ``keep`` (the life of a confirmation link) are deleted first, so an address
    nobody confirmed does not stay on file. Raise :class:`DeliveryError` for an address, name or
    language that is not valid.
    """
    try:
        address = normalise_address(address)
        name = _store.normalise_name(name)
        language = _store.normalise_language(language)
    except ValueError as exc:
        raise DeliveryError(str(exc)) from None
    moment = now or datetime.now(UTC)
    origin = origin.clipped()
    with _transaction(config) as conn:
        conn.execute("DELETE FROM signups WHERE created < ?", (_stamp(moment - keep),))
        existing = _store.get(conn, address)
        if existing is not None and existing.status == "bounced":
            logger.info("sign-up form for a bounced address: no email sent")
            return SignupRequest(address, None, "bounced")
        recent = conn.execute(
            "SELECT count(*) FROM signups WHERE address = ? AND created >= ?",
            (address, _stamp(moment - timedelta(days=1))),
        ).fetchone()[0]
        if recent >= SIGNUPS_PER_ADDRESS:
            logger.info("sign-up form: %d confirmation emails already sent today to this address", recent)
            return SignupRequest(address, None, "throttled")
        signup = Signup(_store.new_public_id(), address, name, language, _stamp(moment), None)
        conn.execute(
            "INSERT INTO signups (id, address, name, language, created, ip, user_agent)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (signup.id, address, name, language, signup.created, origin.ip, origin.user_agent),
        )
    reason = "new" if existing is None else "again" if existing.status == "active" else "returning"
    return SignupRequest(address, signup, reason)


def find_signup(config: Config, signup_id: str) -> Signup | None:
    with contextlib.closing(_store.connect(_store.database_path(config))) as conn:
        return _signup(conn.execute("SELECT * FROM signups WHERE id = ?", (signup_id,)).fetchone())


def confirm_signup(
    config: Config, signup_id: str, origin: Origin, *, now: datetime | None = None
) -> Subscriber | None:
    """Make the sign-up's address an active subscriber with its name and language, and record the
    consent. Return the subscriber, or ``None`` when there is no such sign-up (expired and deleted).
    Confirming twice changes nothing the second time; a bounced address stays bounced."""
    origin = origin.clipped()
    stamp = _stamp(now or datetime.now(UTC))
    with _transaction(config) as conn:
        row = conn.execute("SELECT * FROM signups WHERE id = ?", (signup_id,)).fetchone()
        signup = _signup(row)
        if signup is None:
            return None
        existing = _store.get(conn, signup.address)
        if signup.confirmed is not None or (existing is not None and existing.status == "bounced"):
            return existing
        name = signup.name if signup.name or existing is None else existing.name
        _store.upsert(conn, signup.address, name, signup.language, "active", resubscribe=True)
        subscriber = _store.get(conn, signup.address)
        assert subscriber is not None
        conn.execute(
            "INSERT INTO consents (subscriber, action, how, at, ip, user_agent, requested, requested_ip,"
            " requested_user_agent) VALUES (?, 'subscribed', 'confirmed by email', ?, ?, ?, ?, ?, ?)",
            (subscriber.id, stamp, origin.ip, origin.user_agent, signup.created, *_asked(row)),
        )
        conn.execute("UPDATE signups SET confirmed = ? WHERE id = ?", (stamp, signup.id))
    logger.info("a sign-up was confirmed")
    return subscriber


def _asked(row: sqlite3.Row) -> tuple[str | None, str | None]:
    return row["ip"], row["user_agent"]


def find_reader(config: Config, public_id: str) -> Subscriber | None:
    """The subscriber a link's public id names, if still on file."""
    with contextlib.closing(_store.connect(_store.database_path(config))) as conn:
        return _store.get_by_public_id(conn, public_id)


def unsubscribe_reader(config: Config, public_id: str, origin: Origin, how: str) -> Subscriber | None:
    """Unsubscribe the subscriber with ``public_id`` and record how (``one-click``, ``web page``...).
    Return them as they now are, or ``None`` if not on file. A bounced address stays bounced, and
    a second call records nothing."""
    origin = origin.clipped()
    with _transaction(config) as conn:
        subscriber = _store.get_by_public_id(conn, public_id)
        if subscriber is None or subscriber.status != "active":
            return subscriber
        _store.set_status(conn, subscriber.address, "unsubscribed")
        _record(conn, subscriber, "unsubscribed", how, origin)
        return _store.get_by_public_id(conn, public_id)


def change_preferences(
    config: Config, public_id: str, name: str | None, language: str, origin: Origin
) -> Subscriber | None:
    """Set the name and preferred language of the subscriber with ``public_id``; ``DeliveryError``
    for a name or language that is not valid. Return them as they now are."""
    try:
        name = _store.normalise_name(name)
        language = _store.normalise_language(language)
    except ValueError as exc:
        raise DeliveryError(str(exc)) from None
    with _transaction(config) as conn:
        subscriber = _store.get_by_public_id(conn, public_id)
        if subscriber is None or (subscriber.name, subscriber.language) == (name, language):
            return subscriber
        conn.execute(
            "UPDATE subscribers SET name = ?, language = ?, updated = ? WHERE id = ?",
            (name, language, _store.now(), subscriber.id),
        )
        _record(conn, subscriber, "changed", "preferences page", origin.clipped())
        return _store.get_by_public_id(conn, public_id)


def _record(conn: sqlite3.Connection, subscriber: Subscriber, action: str, how: str, origin: Origin) -> None:
    conn.execute(
        "INSERT INTO consents (subscriber, action, how, at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?)",
        (subscriber.id, action, how, _store.now(), origin.ip, origin.user_agent),
    )


def consents(config: Config, address: str) -> list[Consent]:
    """The record of what ``address`` asked for, oldest first: the proof of their consent."""
    with contextlib.closing(_store.connect(_store.database_path(config))) as conn:
        rows = conn.execute(
            "SELECT c.* FROM consents c JOIN subscribers s ON s.id = c.subscriber"
            " WHERE s.address = ? ORDER BY c.id",
            (address,),
        ).fetchall()
    return [Consent(**{key: row[key] for key in Consent.__dataclass_fields__}) for row in rows]


def forget_signups(conn: sqlite3.Connection, address: str) -> None:
    """Delete the sign-ups of an address that is being erased."""
    conn.execute("DELETE FROM signups WHERE address = ?", (address,))
