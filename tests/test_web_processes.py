"""Several processes of the service over one store (uvicorn --workers, or one per machine over a shared
PostgreSQL): the limit on sign-up forms per network address and the limit on confirmation emails per
address are counted in the store, so they hold whichever process a request reaches."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

import masthead
from masthead.delivery import add_subscriber, list_subscribers, make_unsubscribe_token
from masthead.delivery.readers import SIGNUPS_PER_ADDRESS

from .conftest import WEB_SECRET, edit, store_rows
from .test_web import _answers, eventually, outbox
from .test_web_guard import Browser, raw

pytestmark = pytest.mark.usefixtures("backend")  # on one SQLite file, and on one PostgreSQL database

PATH = "/news/subscribe/en"


class Process:
    def __init__(self, port: int, process: subprocess.Popen[str]) -> None:
        self.port = port
        self.process = process

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def services(workspace: Path) -> Iterator[tuple[Process, Process]]:
    toml = workspace / "masthead.toml"
    settings = '[email]\nsender = "News <news@harbour.example.org>"\n\n[delivery]\ntransport = "maildir"\n\n'
    edit(toml, "[newsletter]", settings + "[newsletter]")
    environment = dict(os.environ) | {"MASTHEAD_SECRET": WEB_SECRET}
    started = []
    try:
        for _ in range(2):
            port = _port()
            command = [sys.executable, "-m", "masthead", "-C", str(workspace), "serve", "--port", str(port)]
            process = subprocess.Popen(
                command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True
            )
            started.append(Process(port, process))
        for service in started:
            assert eventually(lambda s=service: _answers(s.url(PATH)), seconds=30), (
                "the service did not start"
            )
        yield started[0], started[1]
    finally:
        for service in started:
            if service.process.poll() is None:
                service.process.terminate()
                service.process.wait(timeout=30)


def _post(service: Process, browser: Browser, fields: dict[str, str], address: str) -> int:
    body = urllib.parse.urlencode(fields | {"address": address, "language": "en"}).encode()
    cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    return raw(service, "POST", PATH, headers=headers, body=body, ip=browser.ip).status


def test_two_processes_share_the_limits_of_one_store(
    workspace: Path, services: tuple[Process, Process]
) -> None:
    first, second = services
    limit = masthead.load_config(workspace).web.signups_per_hour
    # One network address, its forms sent to either process in turn.
    browser = Browser(first, "198.51.100.40")
    fields = browser.form(PATH)
    statuses = [
        _post((first, second)[n % 2], browser, fields, f"form{n}@example.net") for n in range(limit + 3)
    ]
    assert statuses == [200] * limit + [429] * 3

    # One address in five spellings, from five network addresses, to either process.
    spellings = [
        "Üser@example.net",
        "üser@example.net",
        "ÜSER@example.net",
        "üSER@example.net",
        "ÜsEr@example.net",
    ]
    for n, address in enumerate(spellings):
        browser = Browser(first, f"198.51.100.{50 + n}")
        assert _post((first, second)[n % 2], browser, browser.form(PATH), address) == 200

    # A service stopped by SIGTERM first finishes what it does after its answers (uvicorn waits for
    # its requests, and then ends by the signal): the emails are all out.
    for service in services:
        service.process.send_signal(signal.SIGTERM)
        assert service.process.wait(timeout=60) in (0, -signal.SIGTERM)
    mails = outbox(workspace, "@example.net")
    to_user = [m for m in mails if "ser@example.net" in str(m["To"]).lower()]
    assert len(to_user) == SIGNUPS_PER_ADDRESS
    assert len([m for m in mails if "form" in str(m["To"])]) == limit
    config = masthead.load_config(workspace)
    assert (
        len([row for row in store_rows(config, "signups") if row["address_key"] == "üser@example.net"]) == 3
    )
    assert (
        len([row for row in store_rows(config, "signup_forms") if row["client"] == "198.51.100.40"]) == limit
    )


def test_one_click_unsubscribes_go_on_after_the_database_restarts(
    workspace: Path, services: tuple[Process, Process], backend: str, request: pytest.FixtureRequest
) -> None:
    """Each service writes its one-click unsubscribes in a connection it keeps from one batch to the
    next; a PostgreSQL restart ends that connection, and the next unsubscribe is written all the same."""
    config = masthead.load_config(workspace)
    for n in range(4):
        add_subscriber(config, f"reader{n}@example.net", None, "en")
    links = {
        s.address: "/news/unsubscribe?token=" + make_unsubscribe_token(s.public_id, "spring", WEB_SECRET)
        for s in list_subscribers(config)
    }
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    one_click = b"List-Unsubscribe=One-Click"
    for n, service in enumerate(services):
        assert (
            raw(service, "POST", links[f"reader{n}@example.net"], headers=form, body=one_click).status == 200
        )
    if backend == "postgresql":
        request.getfixturevalue("postgres_server").restart()
    for n, service in enumerate(services, start=2):
        assert (
            raw(service, "POST", links[f"reader{n}@example.net"], headers=form, body=one_click).status == 200
        )
    rows = {row["address"]: row["status"] for row in store_rows(config, "subscribers")}
    assert rows == {address: "unsubscribed" for address in links}
    assert [row["how"] for row in store_rows(config, "consents") if row["action"] == "unsubscribed"] == [
        "one-click"
    ] * 4
