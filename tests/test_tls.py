"""TLS to the relay, STARTTLS and implicit, against aiosmtpd with certificates from a local authority."""

from __future__ import annotations

import logging
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller

import masthead
from masthead.delivery import list_subscribers, send_campaign

from .mail import Sink, free_port, make_workspace, subscribe

COUNT = 6


class TlsSink(Sink):
    """Records, for each accepted message, the TLS version it came over (``None`` for plain text)."""

    def __init__(self) -> None:
        super().__init__()
        self.tls: list[str | None] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        secured = server.transport.get_extra_info("ssl_object")
        reply = await super().handle_DATA(server, session, envelope)
        if reply.startswith("250"):
            with self.lock:
                self.tls.append(secured.version() if secured is not None else None)
        return reply


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


def _server_context(authority: trustme.CA, *names: str) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert(*names).configure_cert(context)
    return context


@pytest.fixture(params=["starttls", "tls"])
def relay(request: pytest.FixtureRequest, authority: trustme.CA) -> Iterator[tuple[TlsSink, int, str]]:
    """A relay on 127.0.0.1 whose certificate (for 127.0.0.1 and localhost) the local authority signed:
    STARTTLS (required before MAIL) or implicit TLS from the first byte."""
    yield from _tls_relay(request.param, _server_context(authority, "127.0.0.1", "localhost"))


def _tls_relay(security: str, context: ssl.SSLContext) -> Iterator[tuple[TlsSink, int, str]]:
    sink, port = TlsSink(), free_port()
    if security == "starttls":
        controller = Controller(
            sink, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True
        )
    else:
        controller = Controller(sink, hostname="127.0.0.1", port=port, ssl_context=context)
    controller.start()
    try:
        yield sink, port, security
    finally:
        sink.release.set()
        controller.stop()


def _workspace(tmp_path: Path, port: int, authority: trustme.CA | None, **delivery: object) -> Path:
    ca_file = tmp_path / "relay-ca.pem"
    if authority is not None:
        authority.cert_pem.write_to_path(str(ca_file))
        delivery["smtp_ca_file"] = "../relay-ca.pem"
    switches = {key: delivery.pop(key) for key in [k for k, v in delivery.items() if isinstance(v, bool)]}
    ws = make_workspace(tmp_path / "ws", port, **delivery)
    with (ws / "masthead.toml").open("a", encoding="utf-8") as stream:  # [delivery] is the last table
        stream.writelines(f"{key} = {str(value).lower()}\n" for key, value in switches.items())
    subscribe(ws, COUNT)
    return ws


def test_mail_goes_over_tls_to_a_relay_with_a_trusted_certificate(
    tmp_path: Path, relay: tuple[TlsSink, int, str], authority: trustme.CA, secret: str
) -> None:
    sink, port, security = relay
    ws = _workspace(tmp_path, port, authority, smtp_security=security)
    report = send_campaign(masthead.load_config(ws), "spring")
    assert (report.sent, report.remaining, report.paused) == (COUNT, 0, None)
    assert sink.count() == COUNT
    assert len(sink.tls) == COUNT and all(version in ("TLSv1.2", "TLSv1.3") for version in sink.tls)


def test_an_untrusted_certificate_stops_the_campaign_and_sends_nothing(
    tmp_path: Path, relay: tuple[TlsSink, int, str], secret: str
) -> None:
    sink, port, security = relay
    ws = _workspace(tmp_path, port, None, smtp_security=security)  # the system's authorities only
    config = masthead.load_config(ws)
    report = send_campaign(config, "spring")
    assert report.paused is not None
    assert "TLS certificate of 127.0.0.1:" in report.paused and "cannot be trusted" in report.paused
    assert "unable to get local issuer certificate" in report.paused
    assert (report.sent, report.remaining) == (0, COUNT)
    assert sink.count() == 0
    assert [s.status for s in list_subscribers(config)] == ["active"] * COUNT


def test_a_certificate_for_another_name_is_refused(
    tmp_path: Path, authority: trustme.CA, secret: str
) -> None:
    for sink, port, _security in _tls_relay("tls", _server_context(authority, "relay.example.org")):
        ws = _workspace(tmp_path, port, authority, smtp_security="tls")
        report = send_campaign(masthead.load_config(ws), "spring")
        assert report.paused is not None and "cannot be trusted" in report.paused
        assert "IP address mismatch" in report.paused
        assert sink.count() == 0


def test_without_verification_mail_goes_out_with_a_warning(
    tmp_path: Path, relay: tuple[TlsSink, int, str], secret: str, caplog: pytest.LogCaptureFixture
) -> None:
    sink, port, security = relay
    ws = _workspace(tmp_path, port, None, smtp_security=security, smtp_verify=False)
    with caplog.at_level(logging.WARNING, logger="masthead.delivery"):
        report = send_campaign(masthead.load_config(ws), "spring")
    assert (report.sent, report.remaining) == (COUNT, 0)
    assert sink.tls and None not in sink.tls  # every connection was encrypted
    assert any("smtp_verify = false" in record.getMessage() for record in caplog.records)


def test_starttls_to_a_relay_that_does_not_offer_it(tmp_path: Path, secret: str) -> None:
    sink, port = Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        ws = _workspace(tmp_path, port, None, smtp_security="starttls")
        report = send_campaign(masthead.load_config(ws), "spring")
    finally:
        controller.stop()
    assert report.paused is not None and "does not offer STARTTLS" in report.paused
    assert sink.count() == 0 and report.remaining == COUNT


def test_implicit_tls_to_a_plain_port_says_which_port_to_use(tmp_path: Path, secret: str) -> None:
    sink, port = Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        ws = _workspace(tmp_path, port, None, smtp_security="tls")
        report = send_campaign(masthead.load_config(ws), "spring")
    finally:
        controller.stop()
    assert report.paused is not None and "no TLS connection to 127.0.0.1:" in report.paused
    assert sink.count() == 0


def test_an_unreadable_authority_file_is_named(tmp_path: Path, secret: str) -> None:
    ws = make_workspace(tmp_path / "ws", free_port(), smtp_security="tls", smtp_ca_file="missing.pem")
    subscribe(ws, 1)
    with pytest.raises(masthead.MastheadError) as caught:
        send_campaign(masthead.load_config(ws), "spring")
    assert "cannot read the certificate authorities" in caught.value.message
    assert caught.value.path == ws / "missing.pem"
