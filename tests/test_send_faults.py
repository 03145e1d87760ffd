"""Campaigns whose database or relay fails on purpose, at a point the SMTP server on 127.0.0.1 chooses:
no reader gets a second copy and none is dropped, and the sender says in plain words what happened."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

import masthead
from masthead.cli import cli
from masthead.delivery import send_campaign
from masthead.delivery.outbound import MESSAGE, RECIPIENT, SESSION, refusal_about

from .conftest import edit
from .mail import SIZE_LIMIT, Sink, assert_exactly_once, log_rows, make_workspace, subscribe
from .outages import SmallDisk
from .postgres import TemporaryPostgres

pytestmark = pytest.mark.usefixtures("backend")  # each test on SQLite and on PostgreSQL

FAULT_AT = 12
"""The message at which the database goes away (counted from 1 at the server)."""
GONE = re.compile(
    r"the subscriber database went away at \d\d:\d\d:\d\d \(([^)]+)\) and did not come back within"
    r" 2 s: (\d+) sent and recorded, (\d+) sent and kept in journal (\S+); run 'masthead send spring'"
    r" again to resume"
)


@dataclass
class Outage:
    """How the database of a test's workspace goes away and comes back."""

    begin: Callable[[], None]
    end: Callable[[], None]
    settings: str
    """What the workspace's [subscribers] table gets: the SQLite file on the small disk, and a short
    time to wait for the database."""


@pytest.fixture
def outage(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Outage]:
    """PostgreSQL: the test cluster stopped (every session ended at once) and started again; SQLite: the
    file system that holds the database filled up and freed again."""
    if backend == "postgresql":
        server: TemporaryPostgres = request.getfixturevalue("postgres_server")
        down = False

        def stop() -> None:
            nonlocal down
            server.stop()
            down = True

        def start() -> None:
            nonlocal down
            if down:
                server.start()
                down = False

        try:
            yield Outage(stop, start, "reconnect_seconds = 2\n")
        finally:
            start()  # the session's other tests need the cluster
        return
    try:
        disk = SmallDisk(tmp_path / "disk").__enter__()
    except OSError as exc:
        pytest.fail(str(exc), pytrace=False)
    full = False

    def fill() -> None:
        nonlocal full
        disk.fill()
        full = True

    def free() -> None:
        nonlocal full
        if full:
            disk.free()
            full = False

    try:
        yield Outage(
            fill, free, f'database = "{disk.folder / "subscribers.sqlite3"}"\nreconnect_seconds = 2\n'
        )
    finally:
        disk.__exit__(None, None, None)


def workspace_with_outage(root: Path, port: int, outage: Outage, **delivery: object) -> Path:
    ws = make_workspace(root, port, **delivery)
    toml = ws / "masthead.toml"
    if "[subscribers]" in toml.read_text(encoding="utf-8"):
        edit(toml, "lease_seconds = 2\n", "lease_seconds = 2\n" + outage.settings)
    else:
        with toml.open("a", encoding="utf-8") as stream:
            stream.write("\n[subscribers]\n" + outage.settings)
    return ws


def start_sender(ws: Path, *options: str) -> subprocess.Popen[str]:
    """``masthead send spring`` in a process of its own, as a person runs it: its whole output is kept."""
    command = [str(Path(sys.executable).with_name("masthead")), "-C", str(ws), "send", "spring", *options]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def journals(ws: Path) -> list[Path]:
    return sorted((ws / "send-journal").glob("*")) if (ws / "send-journal").is_dir() else []


def assert_plain(output: str) -> None:
    """Nothing a person cannot read: no traceback, no exception's class name."""
    assert "Traceback" not in output and "Error(" not in output, output
    assert not re.search(r"\b(psycopg|sqlite3)\.|OperationalError|AdminShutdown", output), output


def test_the_database_goes_away_mid_campaign_and_no_reader_gets_two_copies(
    tmp_path: Path, sink: tuple[Sink, int], secret: str, outage: Outage
) -> None:
    server, port = sink
    ws = workspace_with_outage(tmp_path / "ws", port, outage, connections=2)
    expected = subscribe(ws)
    server.faults[FAULT_AT] = outage.begin

    sender = start_sender(ws)
    output = sender.communicate(timeout=120)[0]

    assert sender.returncode == 1, output
    assert_plain(output)
    (paragraph,) = [block for block in output.split("\n\n") if "subscriber database went away" in block]
    found = GONE.search(" ".join(paragraph.split()))
    assert found, paragraph
    recorded, kept = int(found.group(2)), int(found.group(3))
    assert kept >= 1 and recorded + kept == server.count() >= FAULT_AT
    (journal,) = journals(ws)
    assert found.group(4) == str(journal.relative_to(ws))
    assert len(journal.read_text(encoding="utf-8").splitlines()) == kept

    outage.end()
    # The database holds what it was told before it went away; the journal holds the rest.
    assert sum(row["status"] == "sent" for row in log_rows(ws)) == recorded
    report = send_campaign(masthead.load_config(ws), "spring")
    assert report.complete and (report.sent, report.already_sent) == (
        len(expected) - recorded - kept,
        recorded + kept,
    )
    assert_exactly_once(server, expected)
    rows = log_rows(ws)
    assert sorted(row["address"] for row in rows) == sorted(expected)
    assert {row["status"] for row in rows} == {"sent"}
    assert journals(ws) == []


def test_the_database_comes_back_and_the_campaign_carries_on(
    tmp_path: Path,
    sink: tuple[Sink, int],
    secret: str,
    outage: Outage,
    backend: str,
    request: pytest.FixtureRequest,
) -> None:
    server, port = sink
    ws = workspace_with_outage(tmp_path / "ws", port, outage, connections=2)
    edit(ws / "masthead.toml", "reconnect_seconds = 2\n", "reconnect_seconds = 60\n")
    expected = subscribe(ws)
    if backend == "postgresql":
        # pg_ctl restart -m fast: every session is ended, and the server is back at once.
        server.faults[FAULT_AT] = request.getfixturevalue("postgres_server").restart
    else:
        server.faults[FAULT_AT] = outage.begin

    sender = start_sender(ws)
    if backend == "sqlite":
        # Room is made once the sender has put what it could not record in its journal.
        deadline = time.monotonic() + 60
        while not journals(ws) and sender.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert journals(ws), "no journal was written while the disk was full"
        outage.end()
    output = sender.communicate(timeout=120)[0]

    assert sender.returncode == 0, output
    assert_plain(output)
    assert re.search(
        r"the subscriber database went away at \d\d:\d\d:\d\d \([^)]+\) and came back after [\d.]+ s;"
        r" every message the relay accepted meanwhile is recorded",
        " ".join(output.split()),
    ), output
    assert_exactly_once(server, expected)
    assert {row["status"] for row in log_rows(ws)} == {"sent"} and len(log_rows(ws)) == len(expected)
    assert journals(ws) == []


# -- the relay ------------------------------------------------------------------------------------------


def test_a_refusal_about_the_message_pauses_the_campaign_and_loses_no_reader(
    tmp_path: Path, sink: tuple[Sink, int], secret: str
) -> None:
    server, port = sink
    ws = make_workspace(tmp_path / "ws", port)
    expected = subscribe(ws)
    # A relay with a size limit refuses every message at DATA: the first ones, then someone raises it.
    server.refuse_data = 4
    config = masthead.load_config(ws)

    report = send_campaign(config, "spring")

    assert report.paused and SIZE_LIMIT in report.paused and not report.complete
    assert (report.sent, report.failed) == (0, 0)
    refused = server.refused_data
    assert 1 <= len(refused) <= 3  # one message in flight per connection when the first refusal came
    rows = {row["address"]: row for row in log_rows(ws)}
    assert {row["status"] for row in rows.values()} == {"pending"}
    assert {address for address, row in rows.items() if row["last_error"]} == set(refused)
    assert all(rows[address]["last_error"] == SIZE_LIMIT for address in refused)
    assert "paused: the relay refused the message itself" in report.format()

    server.refuse_data = 0  # the limit is raised
    resumed = send_campaign(config, "spring")

    assert resumed.complete and resumed.sent == len(expected)
    assert_exactly_once(server, expected)
    assert {row["status"] for row in log_rows(ws)} == {"sent"}


@pytest.mark.sqlite_only  # the store does the same as above; this is about the relay's answers
@pytest.mark.parametrize(
    "refusal",
    ["530 5.7.0 Authentication required", "553 5.1.8 sender address domain does not exist"],
)
def test_a_refusal_of_the_session_pauses_the_campaign(
    tmp_path: Path, sink: tuple[Sink, int], secret: str, refusal: str
) -> None:
    server, port = sink
    ws = make_workspace(tmp_path / "ws", port, connections=1)
    expected = subscribe(ws, 6)
    server.refuse_mail, server.mail_refusal = 1, refusal

    report = send_campaign(masthead.load_config(ws), "spring")

    assert report.paused and refusal in report.paused and report.failed == 0
    assert {row["status"] for row in log_rows(ws)} == {"pending"}
    assert send_campaign(masthead.load_config(ws), "spring").complete
    assert_exactly_once(server, expected)


@pytest.mark.sqlite_only  # not about the store
@pytest.mark.parametrize(
    ("stage", "reply", "about"),
    [
        ("rcpt", "550 5.1.1 no such mailbox here", RECIPIENT),
        ("rcpt", "554 5.7.1 recipient address rejected: policy", RECIPIENT),
        ("rcpt", "530 5.7.0 Authentication required", SESSION),
        ("mail", "553 5.1.8 sender address domain does not exist", SESSION),
        ("mail", "550 sender refused", SESSION),
        ("data", SIZE_LIMIT, MESSAGE),
        ("data", "554 5.7.1 message refused as spam", MESSAGE),
        ("data", "554 transaction failed", MESSAGE),
        ("data", "552 5.2.2 mailbox full", RECIPIENT),
        ("data", "550 5.1.1 user unknown", RECIPIENT),
        ("data", "535 5.7.8 authentication credentials invalid", SESSION),
    ],
)
def test_each_refusal_is_about_the_recipient_the_message_or_the_session(
    stage: str, reply: str, about: str
) -> None:
    code, _, text = reply.partition(" ")
    assert refusal_about(stage, int(code), text) == about


def test_entries_left_failed_are_listed_by_every_run_and_sent_again_on_request(
    tmp_path: Path, sink: tuple[Sink, int], secret: str
) -> None:
    server, port = sink
    ws = make_workspace(tmp_path / "ws", port)
    expected = subscribe(ws, 8)
    # Refused by the recipient's side, but not as a mailbox that does not exist: not bounced.
    server.refuse.add("reader005@example.net")
    server.refusal = "554 5.7.1 recipient address rejected: policy"

    first = CliRunner().invoke(cli, ["-C", str(ws), "send", "spring"])
    assert first.exit_code == 0, first.output
    server.refuse.clear()

    later = CliRunner().invoke(cli, ["-C", str(ws), "send", "spring"])

    assert later.exit_code == 0, later.output
    assert "spring: 0 sent, 0 failed" in later.output
    assert (
        "1 left failed by earlier runs (send them again with 'masthead send spring --retry-failed'):"
        in later.output
    )
    assert "  reader005@example.net: 554 5.7.1 recipient address rejected: policy" in later.output
    assert server.count() == 7

    again = CliRunner().invoke(cli, ["-C", str(ws), "send", "spring", "--retry-failed"])

    assert again.exit_code == 0, again.output
    assert "spring: trying again 1 entry that earlier runs left failed" in again.output
    assert "spring: 1 sent, 0 failed" in again.output and "left failed by earlier runs" not in again.output
    assert_exactly_once(server, expected)
    assert {row["status"] for row in log_rows(ws)} == {"sent"}


@pytest.mark.sqlite_only  # not about the store
def test_a_relay_that_hangs_pauses_the_campaign_within_timeout_times_limit(
    tmp_path: Path, sink: tuple[Sink, int], secret: str
) -> None:
    server, port = sink
    timeout, limit = 1, 3
    ws = make_workspace(
        tmp_path / "ws", port, connections=1, timeout=timeout, pause_after_timeouts=limit, max_attempts=5
    )
    expected = subscribe(ws, 6)
    server.hold_after = 0  # no answer to any DATA

    started = time.monotonic()
    report = send_campaign(masthead.load_config(ws), "spring")
    took = time.monotonic() - started

    assert report.paused and f"{limit} timeouts in a row" in report.paused
    assert server.held == limit and report.sent == 0 and report.remaining == len(expected)
    # Each timeout costs `timeout` seconds; the rest (opening the store, the workspace) is a second or two.
    assert took < timeout * limit + 5
    server.release.set()  # the relay answers again
    server.hold_after = None
    assert send_campaign(masthead.load_config(ws), "spring").complete
    assert_exactly_once(server, expected)
