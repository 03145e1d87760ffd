"""Returned mail: delivery status notifications, complaint reports, other bounces and junk, read from a
Maildir; VERP return paths on the messages sent."""

from __future__ import annotations

import email
import importlib.metadata
import itertools
import mailbox
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flufl.bounce import all_failures

import masthead
from masthead._address import normalise_address
from masthead.cli import cli
from masthead.delivery import (
    add_subscriber,
    open_store,
    process_bounces,
    send_campaign,
)
from masthead.delivery.readers import make_unsubscribe_token

from .mail import Sink, make_workspace, serve
from .returned import BOUNCES, RETURN_PATH, VERP, people, sample, statuses

pytestmark = pytest.mark.usefixtures("backend")  # each test on SQLite and on PostgreSQL


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    ws = make_workspace(tmp_path / "ws", 25)
    with (ws / "masthead.toml").open("a", encoding="utf-8") as stream:
        stream.write(BOUNCES)
    return ws


_delivered = itertools.count(1)


def deliver(ws: Path, *messages: bytes) -> dict[str, bytes]:
    """Deliver ``messages`` into the workspace's Maildir of returned mail, as a mail server would, named
    so that they sort in the order given (``mailbox.Maildir`` names by the clock, without zero padding,
    so two messages written in one second may sort the other way round)."""
    mailbox.Maildir(ws / "returned", factory=None, create=True)
    names = {}
    for message in messages:
        name = f"{next(_delivered):08d}.test"
        (ws / "returned" / "tmp" / name).write_bytes(message)
        (ws / "returned" / "tmp" / name).rename(ws / "returned" / "new" / name)
        names[name] = message
    return names


def files(ws: Path, folder: str) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((ws / "returned" / folder).iterdir())}


def test_each_kind_of_returned_mail_gets_its_action(ws: Path, secret: str) -> None:
    s = people(ws, "hard", "soft", "late", "angry", "old", "bystander")
    verp = {name: VERP.address(sub.public_id) for name, sub in s.items()}
    token = make_unsubscribe_token(s["angry"].public_id, "spring", secret)
    reports = {
        "hard": sample("hard", verp=verp["hard"], address="hard@example.net"),
        "soft": sample("soft", verp=verp["soft"], address="soft@example.net"),
        "late": sample("delayed", verp=verp["late"], address="late@example.net"),
        # The complaint hides the reader's address and came back to no VERP address: the signed
        # unsubscribe token in the quoted headers names them.
        "angry": sample("complaint", verp="news@harbour.example.org", token=token),
        # An old server's own format, to the plain return path: the address in its text names them.
        "old": sample("qmail", verp=RETURN_PATH, address="old@example.net"),
    }
    junk = [sample("reply", verp=verp["bystander"]), sample("spam")]
    delivered = deliver(ws, *reports.values(), *junk)
    junk_keys = {key for key, data in delivered.items() if data in junk}

    run = process_bounces(masthead.load_config(ws))

    assert (run.read, run.seen_before) == (7, 0)
    assert statuses(ws) == {
        "hard": "bounced",
        "soft": "active",
        "late": "active",
        "angry": "unsubscribed",
        "old": "bounced",
        "bystander": "active",
    }
    outcomes = {action.address.split("@")[0]: (action.kind, action.outcome) for action in run.actions}
    assert outcomes == {
        "hard": ("hard", "bounced"),
        "soft": ("soft", "counted (1 of 3 in 30 days)"),
        "late": ("delayed", "noted (still being tried)"),
        "angry": ("complaint", "unsubscribed"),
        "old": ("hard", "bounced"),
    }
    # Every action names the message it came from, and is kept in the store with it.
    where = {action.address.split("@")[0]: action.where for action in run.actions}
    for name, data in reports.items():
        key = next(k for k, v in delivered.items() if v == data)
        assert where[name] == f"new/{key}"
    config = masthead.load_config(ws)
    with open_store(config) as store:
        (row,) = store.returns(s["hard"].id)
        assert (row.kind, row.status, row.outcome) == ("hard", "5.1.1", "bounced")
        assert row.report == "<20260307091402.4QxT1B2c3Dz9@relay.harbour.example.org>"
        assert row.detail and "User unknown" in row.detail
        (row,) = store.returns(s["soft"].id)
        assert (row.kind, row.status, row.received) == ("soft", "5.2.2", "2026-03-08T06:40:11+00:00")

    # The junk is left where it was, unread and unchanged, and listed for a person.
    assert set(files(ws, "new")) == junk_keys
    assert all(files(ws, "new")[key] == delivered[key] for key in junk_keys)
    assert {item.where for item in run.unhandled} == {f"new/{key}" for key in junk_keys}
    assert {item.subject for item in run.unhandled} == {"Re: Spring at the Harbour", "🎁 You have won!"}
    # What was acted on is flagged read and moved to cur/, its bytes untouched.
    done = files(ws, "cur")
    assert {name.split(":")[0] for name in done} == set(delivered) - junk_keys
    assert all(name.endswith(":2,S") for name in done)
    assert sorted(done.values()) == sorted(reports.values())

    # A second run acts on nothing again: the reports are on record.
    again = process_bounces(masthead.load_config(ws))
    assert again.actions == [] and again.seen_before == len(reports) and len(again.unhandled) == 2
    assert statuses(ws)["soft"] == "active"


def test_soft_bounces_mark_an_address_bounced_only_when_they_come_close_together(ws: Path) -> None:
    s = people(ws, "soft")
    verp = VERP.address(s["soft"].public_id)
    dates = [
        "Thu, 1 Jan 2026 09:00:00 +0000",
        "Sun, 1 Mar 2026 09:00:00 +0000",
        "Thu, 5 Mar 2026 09:00:00 +0000",
    ]
    deliver(
        ws,
        *(
            sample("soft", verp=verp, address="soft@example.net", n=str(n), date=d)
            for n, d in enumerate(dates)
        ),
    )
    run = process_bounces(masthead.load_config(ws))
    assert [a.outcome for a in run.actions] == [
        "counted (1 of 3 in 30 days)",
        "counted (1 of 3 in 30 days)",  # January is more than 30 days before March
        "counted (2 of 3 in 30 days)",
    ]
    assert statuses(ws)["soft"] == "active"
    deliver(
        ws,
        sample("soft", verp=verp, address="soft@example.net", n="9", date="Sun, 8 Mar 2026 06:40:11 +0000"),
    )
    run = process_bounces(masthead.load_config(ws))
    assert [a.outcome for a in run.actions] == ["bounced (3 soft bounces in 30 days)"]
    assert statuses(ws)["soft"] == "bounced"


def test_an_unsubscribed_address_stays_unsubscribed_whatever_bounces(ws: Path) -> None:
    s = people(ws, "gone")
    masthead.delivery.remove_subscriber(masthead.load_config(ws), "gone@example.net")
    deliver(ws, sample("hard", verp=VERP.address(s["gone"].public_id), address="gone@example.net"))
    run = process_bounces(masthead.load_config(ws))
    assert [a.outcome for a in run.actions] == ["already unsubscribed"]
    assert statuses(ws)["gone"] == "unsubscribed"


def test_a_report_about_no_subscriber_is_left_for_a_person(ws: Path) -> None:
    people(ws, "someone")
    (key,) = deliver(ws, sample("hard", verp=RETURN_PATH, address="stranger@example.org"))
    run = process_bounces(masthead.load_config(ws))
    assert run.actions == []
    (item,) = run.unhandled
    assert item.where == f"new/{key}"
    assert item.reason == "a dsn report about no subscriber on file (stranger@example.org)"
    assert list(files(ws, "new")) == [key]
    assert statuses(ws) == {"someone": "active"}


def test_the_command_lists_actions_and_what_it_left(ws: Path) -> None:
    s = people(ws, "hard")
    deliver(
        ws, sample("hard", verp=VERP.address(s["hard"].public_id), address="hard@example.net"), sample("spam")
    )
    result = CliRunner().invoke(cli, ["-C", str(ws), "bounces"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "2 messages read; 1 report acted on (1 bounced, 0 unsubscribed" in lines[0]
    assert any(line.startswith("  hard@example.net: hard bounce -> bounced (5.1.1) [new/") for line in lines)
    assert "left in place, unread" in result.output and "'🎁 You have won!'" in result.output
    missing = CliRunner().invoke(cli, ["-C", str(ws), "bounces", "--maildir", str(ws / "nowhere")])
    assert missing.exit_code == 1 and "not a Maildir (no new/ and cur/ folders in it)" in missing.output
    assert "or with --maildir" in missing.output


class EnvelopeSink(Sink):
    """Records each message's envelope sender (the MAIL FROM address)."""

    def __init__(self) -> None:
        super().__init__()
        self.senders: dict[str, str] = {}

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        reply = await super().handle_DATA(server, session, envelope)
        with self.lock:
            self.senders[envelope.rcpt_tos[0]] = envelope.mail_from
        return reply


def test_each_subscriber_gets_a_return_path_of_their_own(tmp_path: Path, secret: str) -> None:
    for server, port in serve(EnvelopeSink()):
        ws = make_workspace(tmp_path / "ws", port)
        with (ws / "masthead.toml").open("a", encoding="utf-8") as stream:
            stream.write(BOUNCES)
        s = people(ws, "ada", "ben")
        report = send_campaign(masthead.load_config(ws), "spring")
        assert report.sent == 2
        assert server.senders == {
            "ada@example.net": f"bounces+{s['ada'].public_id}@harbour.example.org",
            "ben@example.net": f"bounces+{s['ben'].public_id}@harbour.example.org",
        }
        # The relay's bounce comes back to Ben's return path, whatever address it names.
        deliver(ws, sample("hard", verp=server.senders["ben@example.net"], address="b.e.n@example.net"))
        process_bounces(masthead.load_config(ws))
        assert statuses(ws) == {"ada": "active", "ben": "bounced"}


# -- flufl.bounce's own test messages -----------------------------------------------------------------

FLUFL = Path(__file__).resolve().parents[1] / ".cache" / "flufl.bounce"
"""flufl.bounce's source distribution, in the version installed, as ``make test`` unpacks it."""
# The messages among them that say the recipient's mailbox is full or over its quota (read one by one):
# soft, whatever flufl.bounce makes of them. bounce_01.txt says so too, but names no address.
FULL_MAILBOX = {
    "dsn_01.txt": "recipient reached disk quota (Status: 5.0.0)",
    "dsn_04.txt": "EXDISKQUOTA, disk quota exceeded (Status: 5.0.0)",
    "dsn_17.txt": "Quota exceeded (Action: delayed)",
    "hotpop_01.txt": "the recipient is over disk quota",
    "newmailru_01.txt": "This person's account is exceeding their quota",
    "postfix_04.txt": "permission denied. Command output: Mail quota exceeded",
    "qmail_02.txt": "the user's mailfolder is full",
    "qmail_06.txt": "User's Disk Quota Exceeded",
    "qmail_07.txt": "the user's mailfolder is full",
    "simple_01.txt": "552 Message for <...> would exceed mailbox quota",
    "simple_07.txt": "User's mailbox is full",
    "simple_09.txt": "quota exceeded",
    "simple_14.txt": "552 Quota violation",
    "simple_35.txt": "postponed due to a full mailbox",
    "simple_38.txt": "Quota exceeded (a Dovecot disposition notification)",
    "simple_45.txt": "User account is overquota",
    "yahoo_02.txt": "This account is over quota",
    "yahoo_04.txt": "This account is over quota",
}
ACTION = re.compile(r"^  (\S+): (hard|soft|delay|complaint)(?: bounce)? -> .* \[new/([^\]]+)\]$")


def flufl_messages() -> dict[str, bytes]:
    """File name -> bytes of every test message of the flufl.bounce installed."""
    version = importlib.metadata.version("flufl.bounce")
    data = FLUFL / "tests" / "data"
    info = FLUFL / "PKG-INFO"
    if not data.is_dir() or f"\nVersion: {version}\n" not in info.read_text(encoding="utf-8"):
        pytest.fail(
            f"flufl.bounce {version}'s test messages are not in {data}: run 'make test', which downloads"
            " its source distribution from PyPI",
            pytrace=False,
        )
    return {path.name: path.read_bytes() for path in sorted(data.glob("*.txt"))}


def flufl_reading(data: bytes) -> dict[str, str]:
    """What flufl.bounce finds in a message: address -> ``hard`` (a permanent failure) or ``delay``
    (a warning that the message is still being tried, the only temporary failure it reports)."""
    temporary, permanent = all_failures(email.message_from_bytes(data))
    found = {address.decode(): "delay" for address in temporary}
    return found | {address.decode(): "hard" for address in permanent}


def test_flufl_bounce_test_messages_are_read_as_flufl_reads_them_and_full_mailboxes_are_soft(
    ws: Path,
) -> None:
    messages = flufl_messages()
    assert set(FULL_MAILBOX) <= set(messages), "FULL_MAILBOX names files this flufl.bounce does not have"
    config = masthead.load_config(ws)
    expected: dict[str, dict[str, str]] = {}
    for name, data in messages.items():
        for address, kind in flufl_reading(data).items():
            try:
                address = normalise_address(address)
            except ValueError:
                continue  # no subscriber can have it (david...@gmail.com)
            add_subscriber(config, address, None, "en")
            expected.setdefault(name, {})[address] = "soft" if name in FULL_MAILBOX else kind
    assert len(expected) > 100
    keys = {key: name for name, key in zip(messages, deliver(ws, *messages.values()), strict=True)}

    result = CliRunner().invoke(cli, ["-C", str(ws), "bounces"])

    assert result.exit_code == 0, result.output
    found: dict[str, dict[str, str]] = {}
    for line in result.output.splitlines():
        if match := ACTION.match(line):
            address, kind, key = match.groups()
            found.setdefault(keys[key], {})[address] = kind
    wrong = {name: (found.get(name), want) for name, want in expected.items() if found.get(name) != want}
    assert not wrong, "\n".join(
        f"{name}: masthead {got}, expected {want}" for name, (got, want) in wrong.items()
    )
    assert all(set(found[name].values()) == {"soft"} for name in FULL_MAILBOX)
