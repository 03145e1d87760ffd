"""Delivery: subscribers, and campaigns that send each of them the issue once, in their language.

::

    from masthead.delivery import import_subscribers, plan_campaign, send_campaign

    import_subscribers(config, Path("list.csv"))      # report.problems names each bad line
    print(plan_campaign(config, "spring").format())   # what would be sent, per language
    report = send_campaign(config, "spring")          # resumable: run it again after any failure
    unsubscribe(config, token)                        # what an unsubscribe endpoint calls
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .._address import normalise_address
from .._config import Config
from .._errors import DeliveryError
from . import _readers, _store
from ._bounces import Action, BounceRun, Unhandled, process_bounces
from ._campaign import (
    CampaignPlan,
    CampaignReport,
    LanguagePlan,
    TokenBucket,
    built_editions,
    plan_campaign,
    send_campaign,
    sendable_editions,
)
from ._csv import ImportReport, RowProblem
from ._csv import export_csv as _export_csv
from ._csv import import_csv as _import_csv
from ._languages import Choice, choose_edition
from ._readers import (
    Consent,
    Origin,
    Signup,
    SignupRequest,
    change_preferences,
    confirm_signup,
    consents,
    find_reader,
    find_signup,
    request_signup,
    unsubscribe_reader,
)
from ._store import STATUSES, Subscriber
from ._tokens import (
    ConfirmRequest,
    Keyring,
    UnsubscribeRequest,
    keyring_from_environment,
    make_confirm_token,
    make_unsubscribe_token,
    open_confirm_token,
    open_unsubscribe_token,
    secret_from_environment,
    verify_unsubscribe_token,
)

logger = logging.getLogger("masthead.delivery")

__all__ = [
    "STATUSES",
    "Action",
    "BounceRun",
    "CampaignPlan",
    "CampaignReport",
    "Choice",
    "ConfirmRequest",
    "Consent",
    "DeliveryError",
    "ImportReport",
    "Keyring",
    "LanguagePlan",
    "Origin",
    "RowProblem",
    "Signup",
    "SignupRequest",
    "Subscriber",
    "TokenBucket",
    "Unhandled",
    "UnsubscribeRequest",
    "add_subscriber",
    "built_editions",
    "change_preferences",
    "choose_edition",
    "confirm_signup",
    "consents",
    "export_subscribers",
    "find_reader",
    "find_signup",
    "import_subscribers",
    "keyring_from_environment",
    "list_subscribers",
    "make_confirm_token",
    "make_unsubscribe_token",
    "open_confirm_token",
    "open_unsubscribe_token",
    "plan_campaign",
    "process_bounces",
    "remove_subscriber",
    "request_signup",
    "send_campaign",
    "sendable_editions",
    "unsubscribe",
    "unsubscribe_reader",
    "verify_unsubscribe_token",
]


def add_subscriber(config: Config, address: str, name: str | None = None, language: str | None = None) -> str:
    """Add ``address``, or update it and make it active again; return ``added``, ``updated``, ``unchanged``.

    Unlike an import, an explicit add re-subscribes an address that had unsubscribed or bounced.
    """
    try:
        address = normalise_address(address)
        name = _store.normalise_name(name)
        lang = _store.normalise_language(language or config.source_language.tag)
    except ValueError as exc:
        raise DeliveryError(str(exc)) from None
    with contextlib.closing(_store.connect(_store.database_path(config))) as conn:
        existing = _store.get(conn, address)
        if language is None and existing is not None:
            lang = existing.language
        if name is None and existing is not None:
            name = existing.name
        return _store.upsert(conn, address, name, lang, "active", resubscribe=True)


def remove_subscriber(config: Config, address: str, *, forget: bool = False) -> bool:
    """Mark ``address`` unsubscribed (kept, so no import brings it back), or with ``forget`` erase it
    and its send history. Return whether anything changed."""
    try:
        address = normalise_address(address)
    except ValueError as exc:
        raise DeliveryError(str(exc)) from None
    with contextlib.closing(_store.connect(_store.database_path(config))) as conn:
        if _store.get(conn, address) is None:
            raise DeliveryError(f"{address} is not a subscriber", hint="see 'masthead subscribers list'")
        if forget:
            _readers.forget_signups(conn, address)
            return _store.delete(conn, address)
        return _store.set_status(conn, address, "unsubscribed")


def unsubscribe(config: Config, token: str, *, secret: str | bytes | None = None) -> Subscriber | None:
    """Act on an unsubscribe link or a reply to the ``mailto:`` List-Unsubscribe address: verify
    ``token`` and mark its subscriber unsubscribed (kept, so no import subscribes them again).

    Return the subscriber as they now are, or ``None`` when they are no longer on file (erased with
    ``subscribers remove --forget``: nothing to do). A forged or altered token raises
    :class:`DeliveryError` and changes nothing. ``secret`` defaults to the one in the environment
    (``[delivery] secret_env``). Calling it again with the same token is harmless.
    """
    if secret is None:
        secret = secret_from_environment(config)
    request = verify_unsubscribe_token(token, secret)
    if request is None:
        raise DeliveryError("this unsubscribe link is not valid (altered, or signed with another secret)")
    with contextlib.closing(_store.connect(_store.database_path(config))) as conn:
        subscriber = _store.get_by_public_id(conn, request.public_id)
        if subscriber is None:
            return None
        if _store.set_status(conn, subscriber.address, "unsubscribed"):
            logger.info("unsubscribed one subscriber after campaign %s", request.campaign)
        return _store.get_by_public_id(conn, request.public_id)


def import_subscribers(config: Config, path: Path) -> ImportReport:
    """Import a CSV file; good rows are imported, each bad one is in ``report.problems`` with its line."""
    with contextlib.closing(_store.connect(_store.database_path(config))) as conn:
        return _import_csv(conn, path, default_language=config.source_language.tag)


def export_subscribers(config: Config, stream: IO[str], *, status: str | None = None) -> int:
    """Write subscribers (all, or those with ``status``) to ``stream`` as CSV; return the count."""
    with contextlib.closing(_store.connect(_store.database_path(config))) as conn:
        return _export_csv(conn, stream, status=status)


def list_subscribers(
    config: Config, *, status: str | None = None, language: str | None = None
) -> Iterator[Subscriber]:
    """Subscribers in the order they were added, streamed from the database."""
    with contextlib.closing(_store.connect(_store.database_path(config))) as conn:
        yield from _store.iterate(conn, status=status, lang=language)


def database_path(config: Config) -> Path:
    return _store.database_path(config)
