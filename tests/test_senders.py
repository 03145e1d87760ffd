"""Several senders share one campaign in PostgreSQL: claims, leases, and a sender killed mid-campaign."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner

import masthead
from masthead.cli import cli
from masthead.delivery import DeliveryError, campaign_progress, import_subscribers, send_campaign
from masthead.delivery.store import DatabaseUnavailable, open_store
from masthead.editions import source_edition
from masthead.email import write_email
from masthead.sources import find_issue, load_issue

from .conftest import write_workspace
from .mail import SECRET, free_port
from .postgres import TemporaryPostgres

COUNT = 3000
SENDERS = 3
CONNECTIONS = 2


class HoldingSink:
    """Accepts every message and counts them by recipient; once ``hold`` is set, holds each reply to
    DATA until ``release`` is set. A message whose sender dies while held was never accepted (no 250
    was sent), as with any SMTP server: the handler is cancelled and counts nothing."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: Counter[str] = Counter()
        self.hold = threading.Event()
        self.release = threading.Event()
        self.held = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.hold.is_set():
            with self.lock:
                self.held += 1
            try:
                while not self.release.is_set():
                    await asyncio.sleep(0.01)
            finally:
                with self.lock:
                    self.held -= 1
        with self.lock:
            self.received.update(envelope.rcpt_tos)
        return "250 2.0.0 queued"


@pytest.fixture
def sink() -> Iterator[tuple[HoldingSink, int]]:
    handler, port = HoldingSink(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        handler.release.set()
        controller.stop()


def _workspace(root: Path, server: TemporaryPostgres, port: int, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace on a fresh PostgreSQL schema with the email written, and COUNT subscribers."""
    monkeypatch.setenv("MASTHEAD_DATABASE_PASSWORD", server.password)
    monkeypatch.setenv("MASTHEAD_SECRET", SECRET)
    ws = write_workspace(root)
    with (ws / "masthead.toml").open("a", encoding="utf-8") as stream:
        stream.write(
            f'\n[subscribers]\ndatabase = "{server.schema()}"\nlease_seconds = 2\n'
            '\n[email]\nsender = "Harbour Notes <news@harbour.example.org>"\n'
            f'\n[delivery]\nsmtp_host = "127.0.0.1"\nsmtp_port = {port}\nrate_per_second = 100000\n'
            f"connections = {CONNECTIONS}\nretry_delay = 0.01\n"
        )
    config = masthead.load_config(ws)
    issue = load_issue(find_issue(config.issues_dir, "spring"), root=config.root)
    write_email(source_edition(issue, config.language("en")), config, None, config.output / "spring" / "en")
    csv = root / "list.csv"
    csv.write_text(
        "address,name,language\n"
        + "".join(f"reader{n:04d}@example.net,Reader {n},en\n" for n in range(COUNT)),
        encoding="utf-8",
    )
    assert import_subscribers(config, csv).added == COUNT
    return ws


def _until(condition: Any, what: str, processes: list[subprocess.Popen[str]], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        for process in processes:
            if process.poll() not in (None, 0):
                pytest.fail(f"a sender failed while waiting for {what}: {process.communicate()[0]}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def test_three_senders_share_a_campaign_and_a_killed_one_loses_no_one(
    tmp_path: Path,
    postgres_server: TemporaryPostgres,
    sink: tuple[HoldingSink, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server, port = sink
    ws = _workspace(tmp_path / "ws", postgres_server, port, monkeypatch)
    config = masthead.load_config(ws)
    command = [sys.executable, "-m", "masthead", "-C", str(ws), "send", "spring"]
    senders = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in range(SENDERS)
    ]
    pids = {process.pid: process for process in senders}
    try:
        # Once every sender has sent some, hold the server's replies: every connection ends up waiting
        # with a message in flight, every sender with a batch claimed.
        def all_sending() -> bool:
            progress = campaign_progress(config, "spring")
            return sum(1 for s in progress.senders if s.sent >= 10) == SENDERS

        _until(all_sending, "all three senders to send", senders)
        server.hold.set()
        _until(lambda: server.held == SENDERS * CONNECTIONS, "every connection to wait", senders)
        before = campaign_progress(config, "spring")
        victim = senders[0]
        (mine,) = [s for s in before.senders if int(s.sender.split(":")[1]) == victim.pid]
        assert mine.holding > 0  # it dies holding claims, which the others must take over
        victim.send_signal(signal.SIGKILL)
        victim.wait(10)
        server.release.set()
        for process in senders[1:]:
            output, _ = process.communicate(timeout=120)
            assert process.returncode == 0, output
            assert f"{COUNT} still to send" not in output
    finally:
        for process in senders:
            if process.poll() is None:
                process.kill()

    # Every subscriber got exactly one message.
    assert len(server.received) == COUNT
    assert set(server.received.values()) == {1}
    after = campaign_progress(config, "spring")
    assert (after.sent, after.failed, after.pending) == (COUNT, 0, 0)
    by_pid = {int(s.sender.split(":")[1]): s for s in after.senders}
    assert set(by_pid) == set(pids)
    assert sum(s.sent for s in after.senders) == COUNT
    assert all(s.holding == 0 for s in after.senders)
    # What the killed sender had claimed and not sent went to the others.
    assert by_pid[victim.pid].sent < mine.sent + mine.holding

    status = CliRunner().invoke(cli, ["-C", str(ws), "send", "spring", "--status"])
    assert status.exit_code == 0, status.output
    lines = status.output.splitlines()
    assert lines[0] == f"spring: {COUNT} sent, 0 failed, 0 to send (100 % done)"
    assert len(lines) == 1 + SENDERS and all(" sent, last at " in line for line in lines[1:])


@pytest.fixture
def two_stores(
    tmp_path: Path, postgres_server: TemporaryPostgres, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Any, Any, masthead.Config]]:
    monkeypatch.setenv("MASTHEAD_DATABASE_PASSWORD", postgres_server.password)
    ws = write_workspace(tmp_path / "ws")
    with (ws / "masthead.toml").open("a", encoding="utf-8") as stream:
        stream.write(f'\n[subscribers]\ndatabase = "{postgres_server.schema()}"\nlease_seconds = 1\n')
    config = masthead.load_config(ws)
    with open_store(config) as first, open_store(config) as second:
        for number in range(150):
            first.insert_subscriber(f"reader{number:03d}@example.net", None, "en", "active")
        first.enqueue("spring", {"en": "en"})
        first.sender, second.sender = "elsewhere:17:aaaaaa", "here:42:bbbbbb"
        yield first, second, config


def test_a_claim_runs_out_and_another_sender_takes_it_over(two_stores: tuple[Any, Any, Any]) -> None:
    first, second, _config = two_stores
    # A sender on another machine claims a batch, sends one message, and is never heard of again.
    claimed = first.pending("spring")
    taken = [next(claimed) for _ in range(64)]
    assert first.take("spring", taken[0].subscriber)
    first.record("spring", taken[0].subscriber, "sent", None)
    # The other sender gets everything else: first what nobody claimed, then, once the lease has run
    # out, the lost sender's batch. Meanwhile that sender can no longer send what it claimed.
    started = time.monotonic()
    rest = []
    for delivery in second.pending("spring"):
        assert second.take("spring", delivery.subscriber)
        rest.append(delivery.subscriber)
        second.record("spring", delivery.subscriber, "sent", None)
    assert time.monotonic() - started >= 0.5  # it waited for the lease
    assert sorted(rest) == sorted({d.subscriber for d in taken[1:]} | set(rest))
    assert len(rest) == 149 and taken[0].subscriber not in rest
    assert not first.take("spring", taken[1].subscriber)
    progress = second.progress("spring")
    assert (progress.sent, progress.pending) == (150, 0)
    assert {s.sender: s.sent for s in progress.senders} == {"elsewhere:17:aaaaaa": 1, "here:42:bbbbbb": 149}


def test_a_claim_cannot_be_taken_while_its_lease_lasts(two_stores: tuple[Any, Any, Any]) -> None:
    first, second, _config = two_stores
    mine = next(first.pending("spring"))
    assert first.take("spring", mine.subscriber)
    assert not second.take("spring", mine.subscriber)  # held by the first, lease running
    first.record("spring", mine.subscriber, "sent", None)
    assert not first.take("spring", mine.subscriber)  # sent: nobody takes it again


def test_the_password_comes_from_the_environment_only(
    tmp_path: Path, postgres_server: TemporaryPostgres, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = write_workspace(tmp_path / "ws")
    url = postgres_server.schema()
    toml = ws / "masthead.toml"
    base = toml.read_text(encoding="utf-8")
    toml.write_text(base + f'\n[subscribers]\ndatabase = "{url.replace("masthead@", "masthead:secret@")}"\n')
    with pytest.raises(DeliveryError) as caught:
        open_store(masthead.load_config(ws))
    assert "holds a password" in caught.value.message and "MASTHEAD_DATABASE_PASSWORD" in (
        caught.value.hint or ""
    )

    toml.write_text(base + f'\n[subscribers]\ndatabase = "{url}"\npassword_env = "NEWS_DB_PASSWORD"\n')
    monkeypatch.delenv("NEWS_DB_PASSWORD", raising=False)
    with pytest.raises(DatabaseUnavailable) as caught:
        open_store(masthead.load_config(ws))
    assert (
        "cannot connect to the subscriber database postgresql://masthead@127.0.0.1:" in caught.value.message
    )
    assert "password" in caught.value.message and "secret" not in caught.value.message
    monkeypatch.setenv("NEWS_DB_PASSWORD", postgres_server.password)
    with open_store(masthead.load_config(ws)) as store:
        assert list(store.subscribers()) == []


def test_status_of_a_campaign_sent_from_sqlite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MASTHEAD_SECRET", SECRET)
    ws = write_workspace(tmp_path / "ws")
    result = CliRunner().invoke(cli, ["-C", str(ws), "send", "spring", "--status"])
    assert result.exit_code == 0 and result.output.strip() == "spring: not started (no send log yet)"
    config = masthead.load_config(ws)
    with open_store(config) as store:
        store.insert_subscriber("ana@example.org", None, "en", "active")
        store.insert_subscriber("ben@example.org", None, "en", "active")
        store.enqueue("spring@maildir", {"en": "en"})
    with (ws / "masthead.toml").open("a", encoding="utf-8") as stream:
        stream.write('\n[email]\nsender = "Harbour Notes <news@harbour.example.org>"\n')
    issue = load_issue(find_issue(config.issues_dir, "spring"), root=config.root)
    write_email(source_edition(issue, config.language("en")), config, None, config.output / "spring" / "en")
    assert send_campaign(masthead.load_config(ws), "spring", transport="maildir").sent == 2
    result = CliRunner().invoke(cli, ["-C", str(ws), "send", "spring", "--status", "--transport", "maildir"])
    lines = result.output.splitlines()
    assert lines[0] == "spring@maildir: 2 sent, 0 failed, 0 to send (100 % done)"
    assert lines[1].startswith(f"  {os.uname().nodename}:{os.getpid()}:") and "2 sent, last at " in lines[1]


def test_the_database_setting_moved_and_says_where(tmp_path: Path) -> None:
    ws = write_workspace(tmp_path / "ws")
    with (ws / "masthead.toml").open("a", encoding="utf-8") as stream:
        stream.write('\n[delivery]\ndatabase = "list.sqlite3"\n')
    with pytest.raises(masthead.MastheadError) as caught:
        masthead.load_config(ws)
    assert caught.value.message == "unknown setting 'database' in [delivery]"
    assert caught.value.line is not None
    assert caught.value.hint == "the subscriber store is now [subscribers] database: move it there"


def test_an_entry_that_keeps_failing_gets_one_round_per_run(two_stores: tuple[Any, Any, Any]) -> None:
    first, second, _config = two_stores
    failing = next(first.pending("spring"))
    running = second.pending("spring")
    rest = {next(running).subscriber}  # the second sender runs from before the failure
    assert first.take("spring", failing.subscriber)
    first.record("spring", failing.subscriber, "pending", "451 4.7.1 greylisted, try again later")
    # It leaves the failed entry to the next run (where SQLite would leave it too).
    rest |= {delivery.subscriber for delivery in running}
    assert failing.subscriber not in rest and len(rest) == 149
    with open_store(_config) as third:
        third.sender = "here:43:cccccc"
        retried = [delivery.subscriber for delivery in third.pending("spring")]
    assert failing.subscriber in retried
