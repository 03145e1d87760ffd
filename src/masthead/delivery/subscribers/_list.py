"""The editor's side of the subscriber list: add, remove, import, export, list; and unsubscribe links."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ..._address import normalise_address
from ..._config import Config
from ..._errors import DeliveryError
from ..readers import secret_from_environment, verify_unsubscribe_token
from ..store import Subscriber, normalise_language, normalise_name, open_store
from ._csv import ImportReport, export_csv, import_csv

logger = logging.getLogger("masthead.delivery")


def add_subscriber(config: Config, address: str, name: str | None = None, language: str | None = None) -> str:
    """Add ``address``, or update it and make it active again; return ``added``, ``updated``, ``unchanged``.

    Unlike an import, an explicit add re-subscribes an address that had unsubscribed or bounced.
    """
    try:
        address = normalise_address(address)
        name = normalise_name(name)
        lang = normalise_language(language or config.source_language.tag)
    except ValueError as exc:
        raise DeliveryError(str(exc)) from None
    with open_store(config) as store, store.transaction():
        existing = store.subscriber(address)
        if language is None and existing is not None:
            lang = existing.language
        if name is None and existing is not None:
            name = existing.name
        return store.save_subscriber(address, name, lang, "active", resubscribe=True)


def remove_subscriber(config: Config, address: str, *, forget: bool = False) -> bool:
    """Mark ``address`` unsubscribed (kept, so no import brings it back), or with ``forget`` erase it
    and its send history. Return whether anything changed."""
    try:
        address = normalise_address(address)
    except ValueError as exc:
        raise DeliveryError(str(exc)) from None
    with open_store(config) as store:
        if store.subscriber(address) is None:
            raise DeliveryError(f"{address} is not a subscriber", hint="see 'masthead subscribers list'")
        if forget:
            return store.erase(address)
        return store.set_status(address, "unsubscribed")


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
    with open_store(config) as store:
        subscriber = store.subscriber_by_public_id(request.public_id)
        if subscriber is None:
            return None
        if store.set_status(subscriber.address, "unsubscribed"):
            logger.info("unsubscribed one subscriber after campaign %s", request.campaign)
        return store.subscriber_by_public_id(request.public_id)


def import_subscribers(config: Config, path: Path) -> ImportReport:
    """Import a CSV file; good rows are imported, each bad one is in ``report.problems`` with its line."""
    with open_store(config) as store:
        return import_csv(store, path, default_language=config.source_language.tag)


def export_subscribers(config: Config, stream: IO[str], *, status: str | None = None) -> int:
    """Write subscribers (all, or those with ``status``) to ``stream`` as CSV; return the count."""
    with open_store(config) as store:
        return export_csv(store, stream, status=status)


def list_subscribers(
    config: Config, *, status: str | None = None, language: str | None = None
) -> Iterator[Subscriber]:
    """Subscribers in the order they were added, streamed from the database."""
    with open_store(config) as store:
        yield from store.subscribers(status=status, language=language)
