"""The subscriber store's interface: one for the subscribers, the readers' sign-ups and consents, the
send log of every campaign and the returned mail.

Only the implementations (:mod:`.sqlite`, :mod:`.postgres`) hold SQL. Everything else in masthead talks
to a :class:`Store`. A store belongs to one thread: a campaign's sending threads each open their own.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from types import TracebackType

from ._records import (
    CampaignProgress,
    Consent,
    Delivery,
    ImportTally,
    LanguageTally,
    Origin,
    Return,
    SendEntry,
    Signup,
    Subscriber,
    SubscriberRow,
)
from ._saving import saving
from ._unavailable import Recovery


class Store(ABC):
    """Subscribers, sign-ups, consents and send logs. Use it as a context manager to close it."""

    sender: str
    """The name recorded as the sender of what is claimed and sent through this store: a campaign run
    gives its own to the stores of all its threads."""
    where: str
    """The database, as messages name it: the SQLite file, or the PostgreSQL URL without a password."""

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """Everything done inside commits together, or not at all; a transaction inside one joins it."""

    @abstractmethod
    def unavailable(self, error: Exception) -> str | None:
        """If the driver's ``error`` means that the database cannot be reached or written now (a
        restart, a lost connection, a full disk), what it says; ``None`` for any other error. Every
        public method raises :class:`~._unavailable.DatabaseUnavailable` for such an error."""

    @abstractmethod
    def reconnect(self) -> None:
        """Replace this store's connection with a new one, after the database went away; raise
        :class:`~._unavailable.DatabaseUnavailable` if the database does not answer yet."""

    # -- subscribers ------------------------------------------------------------------------------------

    @abstractmethod
    def subscriber(self, address: str) -> Subscriber | None:
        """The subscriber with this (normalised) address, in any letter case."""

    @abstractmethod
    def subscriber_by_public_id(self, public_id: str) -> Subscriber | None: ...

    @abstractmethod
    def subscribers(self, *, status: str | None = None, language: str | None = None) -> Iterator[Subscriber]:
        """Subscribers in the order they were added, streamed (memory does not grow with the list)."""

    @abstractmethod
    def insert_subscriber(self, address: str, name: str | None, language: str, status: str) -> None: ...

    @abstractmethod
    def update_subscriber(self, subscriber: int, name: str | None, language: str, status: str) -> None: ...

    @abstractmethod
    def set_status(self, address: str, status: str) -> bool:
        """Give ``address`` this status; whether it changed."""

    @abstractmethod
    def erase(self, address: str) -> bool:
        """Forget ``address``: the subscriber, their send log, consents and sign-ups; whether it was there."""

    @abstractmethod
    def import_subscribers(self, rows: Iterable[SubscriberRow]) -> ImportTally:
        """Save every row (as :meth:`save_subscriber` does) in one transaction: all or nothing. A row
        whose address an earlier row had is not saved but counted in ``repeated``."""

    def save_subscriber(
        self, address: str, name: str | None, language: str, status: str | None, *, resubscribe: bool = False
    ) -> str:
        """Add or update one validated subscriber; ``added``, ``updated``, ``unchanged`` or ``kept``
        (a re-activation refused: see :func:`saved_status`). ``status`` ``None`` keeps the one on file."""
        with self.transaction():
            existing = self.subscriber(address)
            outcome, new_status = saving(existing, name, language, status, resubscribe=resubscribe)
            if outcome == "added":
                self.insert_subscriber(address, name, language, new_status)
            elif outcome == "updated" and existing is not None:
                self.update_subscriber(existing.id, name, language, new_status)
            return outcome

    # -- readers' sign-ups and consents ----------------------------------------------------------------

    @abstractmethod
    def add_signup(self, signup: Signup, origin: Origin) -> None: ...

    @abstractmethod
    def signup(self, signup_id: str) -> tuple[Signup, Origin] | None:
        """A sign-up and the request it came from."""

    @abstractmethod
    def confirm_signup(self, signup_id: str, stamp: str) -> None: ...

    @abstractmethod
    def signups_since(self, address: str, stamp: str) -> int:
        """How many sign-ups for ``address``, in any letter case (:func:`address_key`), were made at or
        after ``stamp``. Inside a transaction, another process asking about the same address waits
        until it ends: the count and the sign-up added after it are one step, whoever else asks."""

    @abstractmethod
    def count_signup_form(self, client: str, stamp: str, since: str, limit: int) -> str | None:
        """Count a sign-up form from network address ``client`` at ``stamp``, unless ``limit`` of its
        forms after ``since`` are counted already: then count nothing and return when the oldest of
        them came. Forms at or before ``since`` are forgotten. One step, whichever process asks."""

    @abstractmethod
    def delete_signups_before(self, stamp: str) -> None: ...

    @abstractmethod
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
        """Record a step a reader took (``subscribed``, ``unsubscribed``, ``changed``): how, when, from
        which request, and for a confirmed sign-up when and from where it was asked for."""

    @abstractmethod
    def consents(self, address: str) -> list[Consent]:
        """The record of what ``address`` asked for, oldest first."""

    # -- campaigns: the send log ------------------------------------------------------------------------

    @abstractmethod
    def sending(self, campaign: str) -> AbstractContextManager[None]:
        """Held while a campaign sends from this store: one sender at a time. Raise
        :class:`~masthead.delivery.DeliveryError` if another is sending."""

    @abstractmethod
    def active_languages(self) -> list[str]:
        """The languages active subscribers prefer."""

    @abstractmethod
    def tally(self, campaign: str) -> list[LanguageTally]:
        """Per language active subscribers prefer, most subscribers first: how many, sent, failed."""

    @abstractmethod
    def inactive(self) -> int:
        """How many subscribers are unsubscribed or bounced."""

    @abstractmethod
    def first_unsent(self, campaign: str, limit: int) -> list[tuple[str, str]]:
        """The first active subscribers not yet sent nor failed, as ``(address, language)``."""

    @abstractmethod
    def enqueue(self, campaign: str, editions: Mapping[str, str]) -> None:
        """Add every active subscriber to the send log once, with the edition ``editions`` gives their
        language, and point pending entries at today's edition for their language."""

    @abstractmethod
    def pending(
        self, campaign: str, stop: threading.Event | None = None, recovery: Recovery | None = None
    ) -> Iterator[Delivery]:
        """The pending entries of active subscribers, in a stable order, streamed. With several
        senders (PostgreSQL), the entries this sender claimed; it waits while others hold the rest,
        and ends when nothing is pending or ``stop`` is set. If the database goes away meanwhile,
        ``recovery`` says whether to wait for it (the stream then goes on where it was, on a new
        connection); without it, the stream ends with :class:`~._unavailable.DatabaseUnavailable`."""

    @abstractmethod
    def take(self, campaign: str, subscriber: int) -> bool:
        """Right before an attempt: hold the entry for this sender (renewing its claim); ``False`` if it
        is no longer pending or another sender holds it, and must not be sent from here."""

    @abstractmethod
    def record(self, campaign: str, subscriber: int, status: str, error: str | None) -> None:
        """One attempt's outcome (``sent``, ``failed``, or ``pending`` to try again), committed at once."""

    @abstractmethod
    def record_accepted(self, campaign: str, subscriber: int, sender: str) -> None:
        """Record that the relay accepted the entry's message from ``sender``, a run that could not
        record it at the time: ``sent``, unless it is already."""

    @abstractmethod
    def failed(self, campaign: str, limit: int) -> tuple[int, list[tuple[str, str]]]:
        """The entries of active subscribers left ``failed``: how many, and the first ``limit`` of them
        as ``(address, the refusal)``."""

    @abstractmethod
    def retry_failed(self, campaign: str) -> int:
        """Make the failed entries of active subscribers pending again (their last error kept); how many."""

    @abstractmethod
    def send_log(self, campaign: str) -> Iterator[SendEntry]:
        """Every entry of the campaign's send log, by address."""

    @abstractmethod
    def progress(self, campaign: str) -> CampaignProgress:
        """How far the campaign is, across every sender: what each sent and holds now."""

    @abstractmethod
    def remaining(self, campaign: str) -> int:
        """Pending entries of active subscribers."""

    # -- returned mail ----------------------------------------------------------------------------------

    @abstractmethod
    def return_recorded(self, report: str) -> bool:
        """Whether the returned message ``report`` (its Message-ID or digest) was acted on before."""

    @abstractmethod
    def soft_bounces(self, subscriber: int, since: str) -> int:
        """Soft bounces recorded for ``subscriber`` that were received at ``since`` or later."""

    @abstractmethod
    def record_return(self, entry: Return, new_status: str | None) -> None:
        """Record what a report said and what was done, and give the subscriber ``new_status`` if they
        are still active, together."""

    @abstractmethod
    def returns(self, subscriber: int) -> list[Return]:
        """What came back for ``subscriber``, oldest first."""
