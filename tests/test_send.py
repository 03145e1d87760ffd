"""Campaigns against a real SMTP server on 127.0.0.1 (aiosmtpd) that counts what it receives."""

from __future__ import annotations

import base64
import email
import email.policy
import mailbox
import os
import re
import signal
import subprocess
import sys
from collections import Counter
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner

import masthead
from masthead._address import normalise_address
from masthead.cli import cli
from masthead.delivery import (
    DeliveryError,
    UnsubscribeRequest,
    add_subscriber,
    list_subscribers,
    plan_campaign,
    remove_subscriber,
    send_campaign,
    unsubscribe,
    verify_unsubscribe_token,
)
from masthead.delivery.campaign import retry_wait
from masthead.delivery.store import open_store

from .conftest import edit, write_workspace
from .mail import (
    COUNT,
    Sink,
    assert_exactly_once,
    configure,
    free_port,
    log_rows,
    make_workspace,
    subscribe,
)
from .translating import fill, updated

pytestmark = pytest.mark.usefixtures("backend")  # each test on SQLite and on PostgreSQL


def parse(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def html_lang(message: EmailMessage) -> str:
    part = message.get_body(("html",))
    assert part is not None
    match = re.search(r'<html[^>]*\blang="([^"]+)"', part.get_content())
    assert match, "no lang attribute on <html>"
    return match.group(1)


@pytest.mark.smoke
def test_everyone_gets_one_message_in_their_language(
    tmp_path: Path, sink: tuple[Sink, int], secret: str
) -> None:
    server, port = sink
    ws = make_workspace(tmp_path / "ws", port)
    expected = subscribe(ws)
    config = masthead.load_config(ws)
    add_subscriber(config, "gone@example.net", "Gone", "fr")
    remove_subscriber(config, "gone@example.net")

    public_ids = {s.address: s.public_id for s in list_subscribers(config)}

    report = send_campaign(config, "spring")

    assert (report.sent, report.failed, report.remaining, report.inactive) == (COUNT, 0, 0, 1)
    assert report.complete
    assert_exactly_once(server, expected)
    message_ids = set()
    for rcpts, data in server.received:
        message = parse(data)
        (address,) = rcpts
        assert message["Content-Language"] == expected[address]
        assert html_lang(message) == expected[address]
        assert address in message["To"] and "Reader" in message["To"]
        unsubscribe = re.search(r"token=([\w\-.]+)", message["List-Unsubscribe"])
        assert unsubscribe
        request = verify_unsubscribe_token(unsubscribe.group(1), secret)
        assert request == UnsubscribeRequest(public_ids[address], "spring")
        assert verify_unsubscribe_token(unsubscribe.group(1), "another secret entirely") is None
        message_ids.add(message["Message-ID"])
    assert len(message_ids) == COUNT
    # aiosmtpd offers 8BITMIME, so the 8bit bodies go as they are.
    assert all("BODY=8BITMIME" in options for options in server.options)
    assert any(not data.isascii() for _rcpts, data in server.received)
    per_edition = {edition: counts["sent"] for edition, counts in report.per_edition.items()}
    assert per_edition == dict(Counter(expected.values()))
    assert all(row["status"] == "sent" and row["attempts"] == 1 for row in log_rows(ws))

    # Sending again sends nothing: everyone has had it.
    again = send_campaign(config, "spring")
    assert (again.sent, again.already_sent) == (0, COUNT)
    assert server.count() == COUNT


@pytest.mark.sqlite_only  # not about the store
def test_a_server_without_8bitmime_gets_7bit_messages(
    tmp_path: Path, seven_bit_sink: tuple[Sink, int], secret: str, caplog: pytest.LogCaptureFixture
) -> None:
    server, port = seven_bit_sink
    ws = make_workspace(tmp_path / "ws", port)
    expected = subscribe(ws)
    config = masthead.load_config(ws)

    with caplog.at_level("WARNING", logger="masthead.delivery"):
        report = send_campaign(config, "spring")

    assert (report.sent, report.failed) == (COUNT, 0)
    assert_exactly_once(server, expected)
    assert not any("BODY=8BITMIME" in options for options in server.options)
    assert [r.message for r in caplog.records].count(
        f"127.0.0.1:{port} does not offer 8BITMIME: converting each message to 7 bits (slower, larger)"
    ) == 1
    for (address,), data in server.received:
        assert data.isascii() and max(len(line) for line in data.split(b"\r\n")) <= 998
        message = parse(data)
        assert message.defects == [] and all(not part.defects for part in message.walk())
        tag = expected[address]
        built = config.output / "spring" / tag
        plain, rich = message.get_body(("plain",)), message.get_body(("html",))
        assert plain is not None and rich is not None
        encodings = {part["Content-Transfer-Encoding"] for part in (plain, rich)}
        assert encodings <= {"7bit", "quoted-printable", "base64"}
        text = plain.get_content().replace("\r\n", "\n")
        sample = (built / "email.txt").read_text(encoding="utf-8")
        # Only the subscriber's own lines differ from the sample.
        assert text.splitlines()[:20] == sample.splitlines()[:20]
        assert f"Reader {address[6:9].lstrip('0') or '0'} <{address}>" in text
        assert html_lang(message) == tag
        page = rich.get_content()
        assert "&lt;" + address + "&gt;" in page
        if tag == "zh-Hans":
            assert "港口札记" in page
    assert any(parse(data)["Content-Language"] == "zh-Hans" for _r, data in server.received)


def test_temporary_failures_are_retried(tmp_path: Path, sink: tuple[Sink, int], secret: str) -> None:
    server, port = sink
    ws = make_workspace(tmp_path / "ws", port)
    expected = subscribe(ws)
    slow = ["reader003@example.net", "reader010@example.net", "reader020@example.net"]
    for address in slow:
        server.temporary[address] = 2  # 451 twice, then accepted on the third attempt

    report = send_campaign(masthead.load_config(ws), "spring")

    assert (report.sent, report.failed, report.remaining) == (COUNT, 0, 0)
    assert_exactly_once(server, expected)
    attempts = {row["address"]: row["attempts"] for row in log_rows(ws)}
    assert all(attempts[address] == 3 for address in slow)
    assert sum(attempts.values()) == COUNT + 2 * len(slow)


def test_a_refused_address_is_recorded_and_the_rest_continue(
    tmp_path: Path, sink: tuple[Sink, int], secret: str
) -> None:
    server, port = sink
    ws = make_workspace(tmp_path / "ws", port)
    expected = subscribe(ws)
    server.refuse.add("reader007@example.net")

    config = masthead.load_config(ws)
    report = send_campaign(config, "spring")

    assert (report.sent, report.failed, report.remaining) == (COUNT - 1, 1, 0)
    assert report.failures == [("reader007@example.net", "550 5.1.1 no such mailbox here")]
    del expected["reader007@example.net"]
    assert_exactly_once(server, expected)
    row = next(row for row in log_rows(ws) if row["address"] == "reader007@example.net")
    assert (row["status"], row["last_error"]) == ("failed", "550 5.1.1 no such mailbox here")
    statuses = {s.address: s.status for s in masthead.delivery.list_subscribers(config)}
    assert statuses["reader007@example.net"] == "bounced"
    # A second run neither retries the refused address nor sends anyone a second copy.
    assert send_campaign(config, "spring").sent == 0
    assert server.count() == COUNT - 1


@pytest.mark.sqlite_only  # not about the store
def test_a_dropped_connection_is_retried(tmp_path: Path, sink: tuple[Sink, int], secret: str) -> None:
    server, port = sink
    # Drops are counted across the three connections, so one message can meet two in a row on a
    # busy machine; five attempts leave room for that without hiding a message that never goes.
    ws = make_workspace(tmp_path / "ws", port, max_attempts=5)
    expected = subscribe(ws)
    server.drop_at = {4, 11, 12, 25}

    report = send_campaign(masthead.load_config(ws), "spring")

    assert (report.sent, report.failed, report.remaining) == (COUNT, 0, 0)
    assert_exactly_once(server, expected)


def test_a_lost_server_pauses_the_campaign_and_the_next_run_resumes(
    tmp_path: Path, sink: tuple[Sink, int], secret: str
) -> None:
    server, port = sink
    ws = make_workspace(tmp_path / "ws", port)
    expected = subscribe(ws)
    server.down_after = 12
    config = masthead.load_config(ws)

    report = send_campaign(config, "spring")

    # Messages already past MAIL when the server went away were still accepted: 12 to 14.
    assert report.paused and "failures in a row" in report.paused and not report.complete
    first = server.count()
    assert 12 <= report.sent == first < COUNT and report.remaining == COUNT - first
    assert "run 'masthead send spring' again to resume" in report.format()

    server.down_after = None
    resumed = send_campaign(config, "spring")
    assert (resumed.sent, resumed.already_sent, resumed.remaining) == (COUNT - first, first, 0)
    assert_exactly_once(server, expected)


def test_too_many_failures_in_a_row_pause_the_campaign(
    tmp_path: Path, sink: tuple[Sink, int], secret: str
) -> None:
    server, port = sink
    ws = make_workspace(tmp_path / "ws", port, connections=1)
    expected = subscribe(ws)
    server.refuse.update(expected)

    report = send_campaign(masthead.load_config(ws), "spring")

    assert report.paused and "5 failures in a row" in report.paused
    assert report.failed == 5 and report.remaining == COUNT - 5
    assert server.count() == 0


def test_killed_sender_resumes_with_exactly_one_message_each(
    tmp_path: Path, sink: tuple[Sink, int], secret: str
) -> None:
    server, port = sink
    ws = make_workspace(tmp_path / "ws", port)
    expected = subscribe(ws)
    server.hold_after = 11
    command = [str(Path(sys.executable).with_name("masthead")), "-C", str(ws), "send", "spring"]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "MASTHEAD_SECRET": secret},
    )
    try:
        # The server kills the sender once 11 messages were accepted and each of its three
        # connections holds one more unanswered at DATA. A connection sends its next message only
        # after the last one was recorded, so at that moment exactly 11 are sent and recorded, and
        # three are claimed and in flight: nothing here depends on how fast the machine is.
        server.kill = (process.pid, 3)
        output = process.communicate(timeout=120)[0].decode()
        assert process.returncode == -signal.SIGKILL, output
    finally:
        if process.poll() is None:
            process.kill()
    assert server.count() == 11
    assert sum(row["status"] == "sent" for row in log_rows(ws)) == 11
    server.hold_after = None
    server.release.set()

    result = CliRunner().invoke(cli, ["-C", str(ws), "send", "spring"])
    assert result.exit_code == 0, result.output
    assert "19 sent" in result.output
    assert_exactly_once(server, expected)


@pytest.mark.sqlite_only  # not about the store
def test_a_line_break_in_a_name_cannot_inject_a_header(
    tmp_path: Path, sink: tuple[Sink, int], secret: str
) -> None:
    server, port = sink
    ws = make_workspace(tmp_path / "ws", port)
    expected = subscribe(ws, 2)
    # Validation refuses such a name; put one in behind its back to test the last line of defence.
    with open_store(masthead.load_config(ws)) as store:
        eve = store.subscriber("reader001@example.net")
        assert eve is not None
        store.update_subscriber(
            eve.id, "Eve\r\nBcc: victim@example.com\r\nX-Injected: yes", eve.language, "active"
        )

    report = send_campaign(masthead.load_config(ws), "spring")

    assert report.sent == 2
    assert_exactly_once(server, expected)
    for _rcpts, data in server.received:
        message = parse(data)
        assert message["Bcc"] is None and message["X-Injected"] is None
        assert b"\r\nBcc:" not in data.split(b"\r\n\r\n", 1)[0]
    eve = next(parse(data) for rcpts, data in server.received if rcpts == ["reader001@example.net"])
    assert "Eve Bcc: victim@example.com X-Injected: yes" in str(eve["To"])


def test_dry_run_reports_the_plan_and_sends_nothing(
    tmp_path: Path, sink: tuple[Sink, int], secret: str
) -> None:
    server, port = sink
    ws = make_workspace(tmp_path / "ws", port)
    subscribe(ws)
    add_subscriber(masthead.load_config(ws), "solo@example.net", "Solo", "ko")

    result = CliRunner().invoke(cli, ["-C", str(ws), "send", "spring", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert f"spring: 31 to send by smtp (127.0.0.1:{port}); 0 already sent by smtp" in result.output
    assert "only a send by smtp counts as sent: a maildir run does not" in result.output
    assert "zh-TW -> zh-Hant (same language and script, another variant): 3 subscribers" in result.output
    assert "ko -> en (no edition in their language; the source language): 1 subscriber\n" in result.output
    assert "warning" not in result.output
    assert "pt-BR -> pt (same language and script, another variant): 3 subscribers" in result.output
    assert "de -> en (no edition in their language; the source language): 3 subscribers" in result.output
    assert "reader000@example.net (en)" in result.output
    assert server.count() == 0 and log_rows(ws) == []
    plan = plan_campaign(masthead.load_config(ws), "spring")
    assert plan.per_edition() == {"en": 10, "fr": 6, "zh-Hant": 6, "zh-Hans": 6, "pt": 3}

    # A maildir trial says it does not count, and after it the real send still has everyone to send.
    result = CliRunner().invoke(cli, ["-C", str(ws), "send", "spring", "--dry-run", "--transport", "maildir"])
    assert "a maildir run is a trial and does not count as sent" in result.output
    send_campaign(masthead.load_config(ws), "spring", transport="maildir")
    result = CliRunner().invoke(cli, ["-C", str(ws), "send", "spring", "--dry-run"])
    assert "spring: 31 to send by smtp" in result.output and server.count() == 0


@pytest.mark.parametrize("dry_run", [True, False])
@pytest.mark.sqlite_only  # not about the store
def test_the_secret_is_checked_with_or_without_dry_run(
    tmp_path: Path, sink: tuple[Sink, int], monkeypatch: pytest.MonkeyPatch, dry_run: bool
) -> None:
    server, port = sink
    ws = make_workspace(tmp_path / "ws", port)
    subscribe(ws, 3)
    command = ["-C", str(ws), "send", "spring", *(["--dry-run"] if dry_run else [])]

    monkeypatch.delenv("MASTHEAD_SECRET", raising=False)
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 1
    assert "the environment variable MASTHEAD_SECRET is not set" in result.output

    monkeypatch.setenv("MASTHEAD_SECRET", "short-secret")
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 1
    assert "MASTHEAD_SECRET is too short (12 characters; it needs at least 16)" in result.output
    assert "short-secret" not in result.output
    assert server.count() == 0


@pytest.mark.sqlite_only  # not about the store
def test_no_sender_no_sending_by_smtp(
    tmp_path: Path, sink: tuple[Sink, int], secret: str, caplog: pytest.LogCaptureFixture
) -> None:
    server, port = sink
    ws = make_workspace(tmp_path / "ws", port, sender=False)
    expected = subscribe(ws, 3)
    config = masthead.load_config(ws)
    assert not config.email.sender_is_set

    # A trial run to disk goes ahead, with a warning; the messages show the plainly fake sender.
    with caplog.at_level("WARNING", logger="masthead.delivery"):
        assert send_campaign(config, "spring", transport="maildir").sent == 3
    assert any("[email] sender is not set" in record.message for record in caplog.records)
    messages = [parse(m.as_bytes()) for m in mailbox.Maildir(ws / "outbox", create=False)]
    assert len(messages) == len(expected)
    assert all(m["From"].addresses[0].addr_spec == "not-set@example.invalid" for m in messages)

    # Real mail is refused, and the dry run says why.
    with pytest.raises(DeliveryError) as refused:
        send_campaign(config, "spring")
    assert "[email] sender is not set" in refused.value.message
    assert refused.value.hint and '[email] sender = "Name <address>"' in refused.value.hint
    result = CliRunner().invoke(cli, ["-C", str(ws), "send", "spring"])
    assert result.exit_code == 1 and '[email] sender = "Name <address>"' in result.output
    result = CliRunner().invoke(cli, ["-C", str(ws), "send", "spring", "--dry-run"])
    assert result.exit_code == 0
    assert "warning: [email] sender is not set in masthead.toml" in result.output
    assert "refuses to send until it is set" in result.output
    assert server.count() == 0 and log_rows(ws) == []


@pytest.mark.sqlite_only  # not about the store
def test_no_secret_no_sending(
    tmp_path: Path, sink: tuple[Sink, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, port = sink
    ws = make_workspace(tmp_path / "ws", port)
    subscribe(ws, 3)
    monkeypatch.delenv("MASTHEAD_SECRET", raising=False)

    result = CliRunner().invoke(cli, ["-C", str(ws), "send", "spring"])

    assert result.exit_code == 1
    assert "MASTHEAD_SECRET is not set" in result.output
    assert server.count() == 0


def test_maildir_writes_every_message_and_keeps_its_own_log(
    tmp_path: Path, sink: tuple[Sink, int], secret: str
) -> None:
    server, port = sink
    ws = make_workspace(tmp_path / "ws", port)
    expected = subscribe(ws)
    config = masthead.load_config(ws)

    report = send_campaign(config, "spring", transport="maildir")

    assert report.sent == COUNT
    folder = mailbox.Maildir(ws / "outbox", create=False)
    messages = [parse(message.as_bytes()) for message in folder]
    assert sorted(str(m["To"]).rsplit("<")[-1].rstrip(">") for m in messages) == sorted(expected)
    assert all(m["Content-Language"] == expected[str(m["To"]).rsplit("<")[-1].rstrip(">")] for m in messages)
    # Writing to a folder never counts as sending: the real campaign still sends everyone.
    assert send_campaign(config, "spring").sent == COUNT
    assert_exactly_once(server, expected)


@pytest.mark.sqlite_only  # not about the store
def test_an_unbuilt_issue_is_a_clear_error(tmp_path: Path, secret: str) -> None:
    ws = write_workspace(tmp_path / "ws")
    configure(ws, free_port(), ["en"])
    result = CliRunner().invoke(cli, ["-C", str(ws), "send", "spring"])
    assert result.exit_code == 1
    assert "has no built email" in result.output and "masthead build spring" in result.output


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.sqlite_only  # not about the store
def test_credentials_come_from_the_environment(
    tmp_path: Path, secret: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"harbour", b"pier-2026")
        return AuthResult(success=ok, handled=False)

    handler = Sink()
    port = free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        auth_required=True,
        auth_require_tls=False,
        authenticator=authenticator,
    )
    controller.start()
    try:
        ws = make_workspace(
            tmp_path / "ws", port, username_env="HARBOUR_SMTP_USER", password_env="HARBOUR_SMTP_PASSWORD"
        )
        expected = subscribe(ws, 4)
        config = masthead.load_config(ws)
        monkeypatch.setenv("HARBOUR_SMTP_USER", "harbour")
        monkeypatch.setenv("HARBOUR_SMTP_PASSWORD", "wrong")
        report = send_campaign(config, "spring")
        assert report.paused and "refused the login" in report.paused and report.remaining == 4

        monkeypatch.setenv("HARBOUR_SMTP_PASSWORD", "pier-2026")
        assert send_campaign(config, "spring").sent == 4
        assert_exactly_once(handler, expected)

        monkeypatch.delenv("HARBOUR_SMTP_PASSWORD")
        result = CliRunner().invoke(cli, ["-C", str(ws), "send", "spring"])
        assert result.exit_code == 1 and "HARBOUR_SMTP_PASSWORD is not set" in result.output
    finally:
        controller.stop()


@pytest.mark.sqlite_only  # not about the store
def test_out_of_date_editions_stop_the_campaign_and_forced_ones_are_left_out(
    tmp_path: Path, sink: tuple[Sink, int], secret: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    server, port = sink
    ws = write_workspace(tmp_path / "ws")
    configure(ws, port, ["en", "fr"])
    updated(ws)
    po = ws / "locales" / "fr" / "LC_MESSAGES" / "spring.po"
    fill(po, lambda msgid: "FR " + msgid, only=lambda msgid: msgid == "Mending Nets")
    config = masthead.load_config(ws)
    built = masthead.build(config, "spring", force=True, jobs=2)
    assert sorted(b.language.tag for b in built.built) == ["en", "fr"]
    for address, preference in [
        ("en@example.net", "en"),
        ("fr@example.net", "fr"),
        ("ca@example.net", "fr-CA"),
    ]:
        add_subscriber(config, address, None, preference)

    # Whether an edition may go out is what the build wrote in its stamp: sending reads no catalog.
    def no_catalog(*args: object, **kwargs: object) -> None:
        raise AssertionError("a catalog was read to decide what may be sent")

    with monkeypatch.context() as patch:
        for name in ("issue_catalog", "completeness"):
            patch.setattr(f"masthead.catalogs.{name}", no_catalog)
            patch.setattr(f"masthead.publication._publishable.{name}", no_catalog)
        # French was built with --force below the threshold: it is left out, and the plan says why.
        result = CliRunner().invoke(cli, ["-C", str(ws), "send", "spring", "--dry-run"])
        assert result.exit_code == 0, result.output
        reason = re.search(
            r"left out: fr: built with --force: [\d.]+ % translated, below the 80 % threshold", result.output
        )
        assert reason, result.output
        assert "editions to send: en\n" in result.output
        for preference in ("fr", "fr-CA"):
            line = f"{preference} -> en (no edition in their language; the source language): 1 subscriber\n"
            assert line in result.output
        report = send_campaign(config, "spring")
        assert report.sent == 3 and [tag for tag, _ in report.withheld] == ["fr"]
        assert "left out: fr: built with --force" in report.format()
        assert {parse(data)["Content-Language"] for _rcpts, data in server.received} == {"en"}

    # An editor changes a sentence after the build: nothing goes out until the issue is built again.
    edit(ws / "issues" / "spring" / "boats.md", "title: New Boats", "title: Newer Boats")
    add_subscriber(config, "late@example.net", None, "en")
    with pytest.raises(DeliveryError) as refused:
        send_campaign(config, "spring")
    assert "the en edition is out of date" in refused.value.message
    assert refused.value.hint == "run 'masthead build spring' first"
    result = CliRunner().invoke(cli, ["-C", str(ws), "send", "spring", "--dry-run"])
    assert result.exit_code == 1
    assert "out of date" in result.output and "run 'masthead build spring' first" in result.output
    assert server.count() == 3

    masthead.build(config, "spring", jobs=2)
    again = send_campaign(config, "spring")
    assert (again.sent, again.already_sent) == (1, 3)
    (late,) = [data for rcpts, data in server.received if rcpts == ["late@example.net"]]
    assert parse(late)["Subject"] and "Newer Boats" in parse(late).get_body(("plain",)).get_content()


def test_unsubscribe_links_carry_no_address_and_unsubscribe_exactly_their_subscriber(
    tmp_path: Path, sink: tuple[Sink, int], secret: str
) -> None:
    server, port = sink
    ws = make_workspace(tmp_path / "ws", port)
    expected = subscribe(ws, 6)
    config = masthead.load_config(ws)

    assert send_campaign(config, "spring").sent == 6

    tokens = {}
    for (address,), data in server.received:
        message = parse(data)
        text = data.decode("utf-8")
        urls = re.findall(
            r"https://[^\s<>\"']*unsubscribe[^\s<>\"']*", text + str(message["List-Unsubscribe"])
        )
        assert urls and len({url.replace("&amp;", "&") for url in urls}) == 1, urls
        (token,) = {re.sub(r".*token=", "", url) for url in urls}
        payload = base64.urlsafe_b64decode(token.split(".")[0] + "==").decode()
        for shown in (urls[0], token, payload):
            assert address not in shown and address.split("@")[0] not in shown and "Reader" not in shown
        tokens[address] = token
    assert set(tokens) == set(expected)

    # Forged or altered tokens change nothing.
    body, mac = tokens["reader002@example.net"].split(".")
    other_body = tokens["reader003@example.net"].split(".")[0]
    for bad in (f"{other_body}.{mac}", f"{body}.{mac[:-1]}{'A' if mac[-1] != 'A' else 'B'}", "", "x.y"):
        with pytest.raises(DeliveryError, match="not valid"):
            unsubscribe(config, bad)
    with pytest.raises(DeliveryError, match="not valid"):
        unsubscribe(config, tokens["reader002@example.net"], secret="another secret, long enough")
    assert {s.status for s in list_subscribers(config)} == {"active"}

    # A valid one unsubscribes its subscriber and no one else; using it twice is harmless.
    done = unsubscribe(config, tokens["reader002@example.net"])
    assert done is not None and (done.address, done.status) == ("reader002@example.net", "unsubscribed")
    assert unsubscribe(config, tokens["reader002@example.net"]) == done
    statuses = {s.address: s.status for s in list_subscribers(config)}
    assert [a for a, status in statuses.items() if status != "active"] == ["reader002@example.net"]
    remove_subscriber(config, "reader004@example.net", forget=True)
    assert unsubscribe(config, tokens["reader004@example.net"]) is None


@pytest.mark.sqlite_only  # not about the store
def test_an_internationalised_domain_is_the_same_in_envelope_and_header(tmp_path: Path, secret: str) -> None:
    server = Sink()
    port = free_port()
    controller = Controller(server, hostname="127.0.0.1", port=port, enable_SMTPUTF8=True)
    controller.start()
    try:
        ws = make_workspace(tmp_path / "ws", port)
        add_subscriber(masthead.load_config(ws), "ana@straße.de", "Ana Lima", "en")
        report = send_campaign(masthead.load_config(ws), "spring")
    finally:
        controller.stop()
    assert report.sent == 1
    ((rcpts, data),) = server.received
    assert rcpts == ["ana@straße.de"]
    (to,) = parse(data)["To"].addresses
    assert to.domain == "xn--strae-oqa.de"
    assert normalise_address(to.addr_spec) == rcpts[0]


@pytest.mark.sqlite_only  # not about the store
def test_retry_waits_double_up_to_a_minute() -> None:
    assert [retry_wait(1.0, attempt) for attempt in range(1, 9)] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert retry_wait(0.01, 3) == pytest.approx(0.04)
    # Far past any setting: still a minute, never an overflow.
    assert retry_wait(60.0, 5000) == 60.0
