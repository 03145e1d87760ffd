"""What the delivery tests share: an SMTP server on a free loopback port that counts what it receives,
and a workspace whose emails are written and whose subscribers prefer each rule's languages."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import socket
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

import masthead
from masthead.delivery import add_subscriber, open_store
from masthead.editions import source_edition
from masthead.email import write_email
from masthead.sources import find_issue, load_issue

from .conftest import edit, write_workspace

SECRET = "a-test-secret-that-is-long-enough"


EDITIONS = ["en", "fr", "zh-Hans", "zh-Hant", "pt"]


# Preferred language -> the edition expected (see the rules in masthead/delivery/readers/_languages.py).
PREFERENCES = {
    "en": "en",
    "fr": "fr",
    "zh-Hans": "zh-Hans",
    "zh-Hant": "zh-Hant",
    "zh-TW": "zh-Hant",
    "pt-BR": "pt",
    "de": "en",
    "fr-CA": "fr",
    "zh": "zh-Hans",
    "ar": "en",
}


COUNT = 30


SIZE_LIMIT = "552 5.3.4 message size exceeds the fixed limit of this relay"
"""What a relay with a size limit answers at DATA: about the message, not the recipient."""


class Sink:
    """An SMTP handler that records each accepted message and misbehaves on request."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: list[tuple[list[str], bytes]] = []
        self.temporary: Counter[str] = Counter()
        """Address -> how many more times to answer its message with 451."""
        self.refuse: set[str] = set()
        """Addresses refused at RCPT with ``refusal``."""
        self.refusal = "550 5.1.1 no such mailbox here"
        self.refuse_data = 0
        """How many more messages to refuse at DATA with ``data_refusal``, whoever they are for."""
        self.data_refusal = SIZE_LIMIT
        self.refused_data: list[str] = []
        """The recipients of the messages refused at DATA, in turn."""
        self.refuse_mail = 0
        """How many more MAIL commands to refuse with ``mail_refusal``."""
        self.mail_refusal = "530 5.7.0 Authentication required"
        self.drop_at: set[int] = set()
        """Numbers of MAIL commands (counted from 1) at which to drop the connection."""
        self.down_after: int | None = None
        """Drop every connection once this many messages were accepted."""
        self.hold_after: int | None = None
        """Hold messages (no reply) once this many were accepted, until ``release`` is set: 0 makes a
        relay that hangs at every DATA."""
        self.release = threading.Event()
        self.kill: tuple[int, int] | None = None
        """(pid, n): once ``n`` messages are held, kill process ``pid`` (SIGKILL)."""
        self.held = 0
        self.mails = 0
        self.options: list[list[str]] = []
        """The MAIL command's options of each accepted message."""
        self.faults: dict[int, Callable[[], None]] = {}
        """Message number (counted from 1 over the server's life) -> what to do right before accepting
        that message. The whole server waits while it runs, and then answers 250: the sender learns
        that the message was accepted only after the fault has happened."""

    def addresses(self) -> Counter[str]:
        with self.lock:
            return Counter(rcpt for rcpts, _ in self.received for rcpt in rcpts)

    def count(self) -> int:
        with self.lock:
            return len(self.received)

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        with self.lock:
            self.mails += 1
            drop = self.mails in self.drop_at or (
                self.down_after is not None and len(self.received) >= self.down_after
            )
            refuse = self.refuse_mail > 0
            self.refuse_mail -= refuse
        if drop:
            server.transport.close()
            return "421 4.3.2 going away"
        if refuse:
            return self.mail_refusal
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.refuse:
            return self.refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        rcpt = envelope.rcpt_tos[0]
        with self.lock:
            if self.temporary[rcpt] > 0:
                self.temporary[rcpt] -= 1
                return "451 4.3.0 try again later"
            if self.refuse_data > 0:
                self.refuse_data -= 1
                self.refused_data.append(rcpt)
                return self.data_refusal
            held = self.hold_after is not None and len(self.received) >= self.hold_after
            fault = None if held else self.faults.pop(len(self.received) + 1, None)
        if fault is not None:
            fault()  # in the server's only thread: no other connection is answered meanwhile
        if not held:
            with self.lock:
                self.received.append((list(envelope.rcpt_tos), envelope.original_content))
                self.options.append(list(envelope.mail_options))
            return "250 2.0.0 queued"
        with self.lock:
            self.held += 1
        while not self.release.is_set():
            with self.lock:
                if self.kill is not None and self.held >= self.kill[1]:
                    os.kill(self.kill[0], signal.SIGKILL)
                    self.kill = None
            await asyncio.sleep(0.01)
        return "451 4.3.0 try again later"


class SevenBitSink(Sink):
    """A server that does not offer 8BITMIME (aiosmtpd offers it by default)."""

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname
        return [line for line in responses if "8BITMIME" not in line.upper()]


def log_rows(ws: Path) -> list[dict[str, Any]]:
    """The campaign's send log, as the store lists it."""
    with open_store(masthead.load_config(ws)) as store:
        return [dataclasses.asdict(entry) for entry in store.send_log("spring")]


def assert_exactly_once(server: Sink, expected: dict[str, str]) -> None:
    received = server.addresses()
    assert set(received) == set(expected)
    assert max(received.values()) == 1, [a for a, n in received.items() if n > 1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(handler: Sink) -> Iterator[tuple[Sink, int]]:
    """Run ``handler`` as an SMTP server on a free loopback port for the length of a test."""
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        handler.release.set()
        controller.stop()


def configure(ws: Path, port: int, languages: list[str], *, sender: bool = True, **delivery: object) -> None:
    """Set the workspace's languages, its sender (unless not ``sender``) and SMTP server on ``port``."""
    toml = ws / "masthead.toml"
    edit(toml, 'languages = ["en"]', "languages = [" + ", ".join(f'"{tag}"' for tag in languages) + "]")
    settings: dict[str, object] = {
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "rate_per_second": 2000,
        "connections": 3,
        "retry_delay": 0.01,
        "max_attempts": 3,
        "pause_after_failures": 5,
    }
    settings.update(delivery)
    with toml.open("a", encoding="utf-8") as stream:
        if sender:
            stream.write('\n[email]\nsender = "Harbour Notes <news@harbour.example.org>"\n')
        stream.write("\n[delivery]\n")
        for key, value in settings.items():
            stream.write(f"{key} = {value!r}\n".replace("'", '"'))


def make_workspace(root: Path, port: int, *, sender: bool = True, **delivery: object) -> Path:
    """A workspace with the email written (not built: no build stamp) in every edition, its SMTP
    server on ``port``."""
    ws = write_workspace(root)
    configure(ws, port, EDITIONS, sender=sender, **delivery)
    config = masthead.load_config(ws)
    issue = load_issue(find_issue(config.issues_dir, "spring"), root=config.root)
    for tag in EDITIONS:
        write_email(source_edition(issue, config.language(tag)), config, None, config.output / "spring" / tag)
    return ws


def subscribe(ws: Path, count: int = COUNT) -> dict[str, str]:
    """``count`` subscribers with preferences in turn from PREFERENCES; address -> expected edition."""
    config = masthead.load_config(ws)
    expected = {}
    preferences = list(PREFERENCES.items())
    for number in range(count):
        preference, edition = preferences[number % len(preferences)]
        address = f"reader{number:03d}@example.net"
        add_subscriber(config, address, f"Reader {number}", preference)
        expected[address] = edition
    return expected
