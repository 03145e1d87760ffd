"""What the subscriber store holds, as plain frozen records, and which values it accepts."""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..._address import name_problem
from ..._language import language

STATUSES = ("active", "unsubscribed", "bounced")


def now() -> str:
    """The store's timestamps: UTC, ISO 8601, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_public_id() -> str:
    """12 random bytes in hex: the only thing a link names instead of the address."""
    return secrets.token_hex(12)


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


@dataclass(frozen=True)
class SubscriberRow:
    """One validated row of an import: ``status`` ``None`` keeps the status of an address on file."""

    line: int
    address: str
    name: str | None
    language: str
    status: str | None


@dataclass(frozen=True)
class ImportTally:
    """What an import did: a count per outcome, and the rows that repeat an earlier row's address."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0
    """Rows that would have re-activated an unsubscribed or bounced address; left as they were."""
    repeated: tuple[tuple[int, int, str], ...] = field(default_factory=tuple)
    """``(line, earlier line, address)`` for each row whose address an earlier row already had."""


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
class Consent:
    action: str
    how: str
    at: str
    ip: str | None
    user_agent: str | None
    requested: str | None
    requested_ip: str | None
    requested_user_agent: str | None


@dataclass(frozen=True)
class Return:
    """What one returned message (a bounce or complaint) said about one subscriber, and what was done."""

    report: str
    """The returned message's Message-ID, or a digest of its bytes."""
    subscriber: int
    kind: str
    status: str | None
    detail: str | None
    outcome: str
    received: str
    recorded: str


@dataclass(frozen=True)
class Delivery:
    """One pending entry of a campaign's send log: who gets which edition."""

    subscriber: int
    address: str
    name: str | None
    edition: str
    public_id: str


@dataclass(frozen=True)
class LanguageTally:
    """A campaign's progress among the active subscribers who prefer one language."""

    language: str
    active: int
    sent: int
    failed: int


@dataclass(frozen=True)
class SendEntry:
    """One entry of a campaign's send log, as :meth:`Store.send_log` lists them."""

    address: str
    edition: str
    status: str
    attempts: int
    last_error: str | None
    sender: str | None
    """The sender that sent it, or holds it now (``host:pid:run``); ``None`` before any has taken it."""


@dataclass(frozen=True)
class SenderProgress:
    """What one ``masthead send`` process did in a campaign, and what it holds now."""

    sender: str
    sent: int
    holding: int
    """Pending entries it has claimed and whose lease has not run out."""
    expired: int
    """Pending entries it had claimed whose lease ran out (the sender stopped or died): others take them."""
    last: str | None
    """When it last recorded an outcome."""


@dataclass(frozen=True)
class CampaignProgress:
    campaign: str
    pending: int
    sent: int
    failed: int
    senders: tuple[SenderProgress, ...]

    def format(self) -> str:
        """``masthead send --status``: the campaign's totals, then each sender's part."""
        total = self.pending + self.sent + self.failed
        if not total:
            return f"{self.campaign}: not started (no send log yet)"
        done = (self.sent + self.failed) * 100 // total
        lines = [
            f"{self.campaign}: {self.sent} sent, {self.failed} failed, {self.pending} to send ({done} % done)"
        ]
        for sender in self.senders:
            state = [f"{sender.sent} sent"]
            if sender.holding:
                state.append(f"holding {sender.holding} now")
            if sender.expired:
                state.append(f"{sender.expired} whose claim ran out (stopped?), for others to take")
            last = f", last at {sender.last}" if sender.last else ""
            lines.append(f"  {sender.sender}: {', '.join(state)}{last}")
        return "\n".join(lines)


def sender_name() -> str:
    """A name for one run of a sender, as the send log records who claimed and sent an entry: the
    host, the process and a random part (one process may run several campaigns in turn)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


# -- the values the store accepts ----------------------------------------------------------------------


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


def address_key(address: str) -> str:
    """What two spellings of one address share, in any letter case of any script (``Üser@`` and
    ``üser@``): what the limits on confirmation emails count by."""
    return address.casefold()


def normalise_name(name: str | None) -> str | None:
    if name is None:
        return None
    problem = name_problem(name)
    if problem:
        raise ValueError(f"the name contains {problem}")
    return name.strip() or None


def normalise_status(status: str) -> str:
    status = status.strip().lower()
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    return status
