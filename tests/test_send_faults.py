"""Campaigns whose database fails on purpose, at a point the SMTP server on 127.0.0.1 chooses:
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

import masthead
from masthead.delivery import send_campaign

from .conftest import edit
from .mail import Sink, assert_exactly_once, log_rows, make_workspace, subscribe
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
