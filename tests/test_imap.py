"""Returned mail read from a folder on a real IMAP server (Dovecot on 127.0.0.1, TLS from a local CA)."""

from __future__ import annotations

import imaplib
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import count
from pathlib import Path

import pytest
import trustme

import masthead
from masthead.delivery import DeliveryError, process_bounces

from .mail import free_port, make_workspace
from .returned import BOUNCES, VERP, people, sample, statuses

DOVECOT = "/usr/sbin/dovecot"
PASSWORD = "a-password-for-the-test"
CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
mail_location = maildir:{root}/mail/%u
first_valid_uid = 0
# Every user name has the test's password, so that each test reads a mailbox of its own from the
# one server; a wrong password is refused at once rather than after the usual two seconds.
auth_failure_delay = 0
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {port}
  }}
}}
"""


@dataclass(frozen=True)
class Imap:
    port: int
    root: Path
    ca_file: Path
    user: str

    @property
    def inbox(self) -> Path:
        return self.root / "mail" / self.user

    def deliver(self, *messages: bytes) -> None:
        """Put ``messages`` in the user's INBOX as a local delivery agent would."""
        for number, message in enumerate(messages):
            name = f"{time.time_ns()}.{number}.test"
            (self.inbox / "tmp" / name).write_bytes(message)
            os.rename(self.inbox / "tmp" / name, self.inbox / "new" / name)
        shutil.chown(self.inbox, "nobody", "nogroup")
        for path in self.inbox.rglob("*"):
            shutil.chown(path, "nobody", "nogroup")

    def flags(self) -> dict[bytes, bytes]:
        """Each message's subject line and flags, as the server has them now."""
        context = ssl.create_default_context(cafile=self.ca_file)
        with imaplib.IMAP4_SSL("127.0.0.1", self.port, ssl_context=context) as imap:
            imap.login(self.user, PASSWORD)
            imap.select("INBOX", readonly=True)
            _, data = imap.fetch("1:*", "(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        found = {}
        for item in data:
            if isinstance(item, tuple):
                found[item[1].strip()] = item[0]
        return found


@pytest.fixture(scope="module")
def dovecot() -> Iterator[Imap]:
    """One Dovecot for the module, with TLS from a local authority."""
    if not os.path.exists(DOVECOT):
        pytest.fail("Dovecot is not installed: run 'make test', which installs dovecot-imapd", pytrace=False)
    # Not under pytest's tmp_path: Dovecot reads the mail as 'nobody', who cannot enter that folder.
    root = Path(tempfile.mkdtemp(prefix="masthead-imap-"))
    root.chmod(0o755)
    try:
        for folder in ("run", "state", "mail"):
            (root / folder).mkdir(parents=True)
        authority = trustme.CA()
        server = authority.issue_cert("127.0.0.1", "localhost")
        server.cert_chain_pems[0].write_to_path(str(root / "cert.pem"))
        server.private_key_pem.write_to_path(str(root / "key.pem"))
        authority.cert_pem.write_to_path(str(root / "ca.pem"))
        port = free_port()
        config = CONFIG.format(root=root, port=port, password=PASSWORD)
        (root / "dovecot.conf").write_text(config, encoding="utf-8")
        shutil.chown(root / "mail", "nobody", "nogroup")
        process = subprocess.Popen([DOVECOT, "-F", "-c", str(root / "dovecot.conf")])
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
                        pytest.fail(f"Dovecot did not start: {log}", pytrace=False)
                    time.sleep(0.05)
            yield Imap(port, root, root / "ca.pem", "")
        finally:
            process.terminate()
            process.wait(timeout=20)
    finally:
        shutil.rmtree(root, ignore_errors=True)


_users = count(1)


@pytest.fixture
def imap(dovecot: Imap) -> Imap:
    """The module's Dovecot, seen as a user of its own whose INBOX is empty."""
    server = replace(dovecot, user=f"returns{next(_users)}")
    for folder in ("new", "cur", "tmp"):
        (server.inbox / folder).mkdir(parents=True)
    server.deliver()
    return server


def _workspace(tmp_path: Path, imap: Imap, monkeypatch: pytest.MonkeyPatch, *, trusted: bool = True) -> Path:
    ws = make_workspace(tmp_path / "ws", 25)
    settings = BOUNCES.replace('maildir = "returned"\n', "")
    settings += f'imap_host = "127.0.0.1"\nimap_port = {imap.port}\nimap_security = "tls"\n'
    settings += 'imap_user_env = "RETURNS_USER"\nimap_password_env = "RETURNS_PASSWORD"\n'
    if trusted:
        settings += f'imap_ca_file = "{imap.ca_file}"\n'
    with (ws / "masthead.toml").open("a", encoding="utf-8") as stream:
        stream.write(settings)
    monkeypatch.setenv("RETURNS_USER", imap.user)
    monkeypatch.setenv("RETURNS_PASSWORD", PASSWORD)
    return ws


def test_returned_mail_is_read_from_an_imap_folder(
    tmp_path: Path, imap: Imap, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _workspace(tmp_path, imap, monkeypatch)
    s = people(ws, "hard", "bystander")
    imap.deliver(
        sample("hard", verp=VERP.address(s["hard"].public_id), address="hard@example.net"), sample("spam")
    )

    run = process_bounces(masthead.load_config(ws))

    assert run.source == f"imap://127.0.0.1:{imap.port}/INBOX"
    assert [(a.address, a.outcome) for a in run.actions] == [("hard@example.net", "bounced")]
    assert run.actions[0].where.startswith("INBOX uid ")
    assert [item.subject for item in run.unhandled] == ["🎁 You have won!"]
    assert statuses(ws) == {"hard": "bounced", "bystander": "active"}
    # On the server: both messages are still there; only the one acted on is flagged read.
    flags = imap.flags()
    assert len(flags) == 2
    (bounce,) = [f for subject, f in flags.items() if b"Undelivered" in subject]
    (spam,) = [f for subject, f in flags.items() if b"Undelivered" not in subject]
    assert b"\\Seen" in bounce and b"\\Seen" not in spam

    again = process_bounces(masthead.load_config(ws))
    assert again.actions == [] and again.seen_before == 1 and len(again.unhandled) == 1


def test_an_imap_server_with_an_untrusted_certificate_is_refused(
    tmp_path: Path, imap: Imap, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _workspace(tmp_path, imap, monkeypatch, trusted=False)
    with pytest.raises(DeliveryError) as caught:
        process_bounces(masthead.load_config(ws))
    assert (
        "TLS certificate of 127.0.0.1:" in caught.value.message
        and "cannot be trusted" in caught.value.message
    )


def test_a_wrong_imap_password_says_so(tmp_path: Path, imap: Imap, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = _workspace(tmp_path, imap, monkeypatch)
    monkeypatch.setenv("RETURNS_PASSWORD", "not-the-password")
    with pytest.raises(DeliveryError) as caught:
        process_bounces(masthead.load_config(ws))
    assert "AUTHENTICATIONFAILED" in caught.value.message or "Authentication failed" in caught.value.message
    monkeypatch.delenv("RETURNS_PASSWORD")
    with pytest.raises(DeliveryError) as caught:
        process_bounces(masthead.load_config(ws))
    assert "RETURNS_PASSWORD is not set" in caught.value.message
