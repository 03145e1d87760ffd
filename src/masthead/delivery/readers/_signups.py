"""A reader's own steps: sign up, confirm, change preferences, unsubscribe; each kept as proof.

A sign-up waits in ``signups`` until the reader follows the link in the confirmation email; only then
does the address become an active subscriber, and ``consents`` records when and from which request
(address and browser) the sign-up was asked for and confirmed. An unsubscribe or a change of
preferences is recorded the same way. A bounced address is never made active again from the web,
and an unsubscribed one only through a new confirmation.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ..._address import normalise_address
from ..._config import Config
from ..._errors import DeliveryError
from ..store import (
    Consent,
    Origin,
    Signup,
    Store,
    Subscriber,
    new_public_id,
    normalise_language,
    normalise_name,
    open_store,
)

logger = logging.getLogger("masthead.delivery")

SIGNUPS_PER_ADDRESS = 3
"""Confirmation emails one address can be sent per day, whoever asks: no one can flood a mailbox."""
SIGNUP_FORM_WINDOW = timedelta(hours=1)
"""``[web] signups_per_hour`` counts the sign-up forms of one network address over this long."""


@dataclass(frozen=True)
class SignupRequest:
    """What became of a sign-up form: ``signup`` is set when a confirmation email should go out."""

    address: str
    signup: Signup | None
    reason: str
    """``new``, ``again`` (already active: confirming updates name and language), ``returning``
    (unsubscribed before), ``bounced`` or ``throttled`` (no email for these two)."""


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _now() -> str:
    return _stamp(datetime.now(UTC))


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
        name = normalise_name(name)
        language = normalise_language(language)
    except ValueError as exc:
        raise DeliveryError(str(exc)) from None
    moment = now or datetime.now(UTC)
    with open_store(config) as store, store.transaction():
        store.delete_signups_before(_stamp(moment - keep))
        existing = store.subscriber(address)
        if existing is not None and existing.status == "bounced":
            logger.info("sign-up form for a bounced address: no email sent")
            return SignupRequest(address, None, "bounced")
        recent = store.signups_since(address, _stamp(moment - timedelta(days=1)))
        if recent >= SIGNUPS_PER_ADDRESS:
            logger.info("sign-up form: %d confirmation emails already sent today to this address", recent)
            return SignupRequest(address, None, "throttled")
        signup = Signup(new_public_id(), address, name, language, _stamp(moment), None)
        store.add_signup(signup, origin.clipped())
    reason = "new" if existing is None else "again" if existing.status == "active" else "returning"
    return SignupRequest(address, signup, reason)


def allow_signup_form(config: Config, client: str, *, now: datetime | None = None) -> float | None:
    """Count a sign-up form from network address ``client`` against ``[web] signups_per_hour``;
    ``None`` when it may go on, else the seconds until another would be taken. Counted in the store,
    so that the limit holds for every process of the service, on one machine or several."""
    moment = now or datetime.now(UTC)
    with open_store(config) as store:
        oldest = store.count_signup_form(
            client[:100], _stamp(moment), _stamp(moment - SIGNUP_FORM_WINDOW), config.web.signups_per_hour
        )
    if oldest is None:
        return None
    return max(1.0, (datetime.fromisoformat(oldest) + SIGNUP_FORM_WINDOW - moment).total_seconds())


def find_signup(config: Config, signup_id: str) -> Signup | None:
    with open_store(config) as store:
        found = store.signup(signup_id)
    return found[0] if found else None


def confirm_signup(
    config: Config, signup_id: str, origin: Origin, *, now: datetime | None = None
) -> Subscriber | None:
    """Make the sign-up's address an active subscriber with its name and language, and record the
    consent. Return the subscriber, or ``None`` when there is no such sign-up (expired and deleted).
    Confirming twice changes nothing the second time; a bounced address stays bounced."""
    stamp = _stamp(now or datetime.now(UTC))
    with open_store(config) as store, store.transaction():
        found = store.signup(signup_id)
        if found is None:
            return None
        signup, asked_from = found
        existing = store.subscriber(signup.address)
        if signup.confirmed is not None or (existing is not None and existing.status == "bounced"):
            return existing
        name = signup.name if signup.name or existing is None else existing.name
        store.save_subscriber(signup.address, name, signup.language, "active", resubscribe=True)
        subscriber = store.subscriber(signup.address)
        assert subscriber is not None
        store.record_consent(
            subscriber.id,
            "subscribed",
            "confirmed by email",
            origin.clipped(),
            at=stamp,
            requested=(signup.created, asked_from),
        )
        store.confirm_signup(signup.id, stamp)
    logger.info("a sign-up was confirmed")
    return subscriber


def find_reader(config: Config, public_id: str) -> Subscriber | None:
    """The subscriber a link's public id names, if still on file."""
    with open_store(config) as store:
        return store.subscriber_by_public_id(public_id)


def unsubscribe_reader(config: Config, public_id: str, origin: Origin, how: str) -> Subscriber | None:
    """Unsubscribe the subscriber with ``public_id`` and record how (``one-click``, ``web page``...).
    Return them as they now are, or ``None`` if not on file. A bounced address stays bounced, and
    a second call records nothing."""
    return unsubscribe_readers(config, [(public_id, origin, how)])[0]


def unsubscribe_readers(
    config: Config, requests: Sequence[tuple[str, Origin, str]], *, store: Store | None = None
) -> list[Subscriber | None]:
    """:func:`unsubscribe_reader` for many requests in one transaction: one write to disk for all
    of them, which is what lets a server answer a burst of one-click unsubscribes quickly. In
    ``store`` when given (a connection its caller keeps open), else in the workspace's store."""
    if store is None:
        with open_store(config) as opened:
            return unsubscribe_readers(config, requests, store=opened)
    results: list[Subscriber | None] = []
    with store.transaction():
        for public_id, origin, how in requests:
            subscriber = store.subscriber_by_public_id(public_id)
            if subscriber is not None and subscriber.status == "active":
                store.set_status(subscriber.address, "unsubscribed")
                store.record_consent(
                    subscriber.id, "unsubscribed", how, origin.clipped(), at=_stamp(datetime.now(UTC))
                )
                subscriber = store.subscriber_by_public_id(public_id)
            results.append(subscriber)
    return results


def change_preferences(
    config: Config, public_id: str, name: str | None, language: str, origin: Origin
) -> Subscriber | None:
    """Set the name and preferred language of the subscriber with ``public_id``; ``DeliveryError``
    for a name or language that is not valid. Return them as they now are."""
    try:
        name = normalise_name(name)
        language = normalise_language(language)
    except ValueError as exc:
        raise DeliveryError(str(exc)) from None
    with open_store(config) as store, store.transaction():
        subscriber = store.subscriber_by_public_id(public_id)
        if subscriber is None or (subscriber.name, subscriber.language) == (name, language):
            return subscriber
        store.update_subscriber(subscriber.id, name, language, subscriber.status)
        store.record_consent(
            subscriber.id, "changed", "preferences page", origin.clipped(), at=_stamp(datetime.now(UTC))
        )
        return store.subscriber_by_public_id(public_id)


def consents(config: Config, address: str) -> list[Consent]:
    """The record of what ``address`` asked for, oldest first: the proof of their consent."""
    with open_store(config) as store:
        return store.consents(address)
