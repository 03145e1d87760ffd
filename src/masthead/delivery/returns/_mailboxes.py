"""Where returned mail is read from: a Maildir folder, or a folder on an IMAP server.

Both are only read and flagged: a message masthead acted on is marked read (Maildir's ``S`` flag, moved
from ``new/`` to ``cur/`` as the Maildir convention has it; IMAP's ``\\Seen``); nothing is ever deleted
or rewritten.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import os
import re
import ssl
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..._config import Config
from ..._errors import DeliveryError
from .._tls import verified_context

logger = logging.getLogger("masthead.delivery")


@dataclass(frozen=True)
class Returned:
    key: str
    """The message's name in its mailbox: a Maildir file name, or an IMAP UID."""
    where: str
    """The message's place, for a person to find it: ``new/<file>`` or ``imap INBOX uid 7``."""
    data: bytes


class Mailbox(Protocol):
    def messages(self) -> Iterator[Returned]: ...

    def mark_done(self, message: Returned) -> None: ...

    def describe(self) -> str: ...

    def close(self) -> None: ...


class MaildirMailbox:
    def __init__(self, path: Path) -> None:
        if not (path / "new").is_dir() or not (path / "cur").is_dir():
            raise DeliveryError(
                "not a Maildir (no new/ and cur/ folders in it)",
                path=path,
                hint="name the Maildir your mail server delivers returned mail to, in [bounces] maildir "
                "or with --maildir",
            )
        self.path = path

    def describe(self) -> str:
        return str(self.path)

    def messages(self) -> Iterator[Returned]:
        # Listed before any is read: a message acted on moves from new/ to cur/ meanwhile.
        names = [
            (folder, name) for folder in ("new", "cur") for name in sorted(os.listdir(self.path / folder))
        ]
        for folder, name in names:
            if name.startswith("."):
                continue
            try:
                data = (self.path / folder / name).read_bytes()
            except (FileNotFoundError, IsADirectoryError):
                continue  # moved or removed by a mail client meanwhile
            yield Returned(name, f"{folder}/{name}", data)

    def mark_done(self, message: Returned) -> None:
        """Flag the message read (``S``) and move it to ``cur/``: a rename, the file is untouched."""
        folder, _, name = message.where.partition("/")
        unique, _, info = name.partition(":")
        flags = set(info[2:]) if info.startswith("2,") else set()
        if folder == "cur" and "S" in flags:
            return
        target = f"{unique}:2,{''.join(sorted(flags | {'S'}))}"
        try:
            os.rename(self.path / folder / name, self.path / "cur" / target)
        except FileNotFoundError:
            logger.debug("%s was moved meanwhile; not flagged", message.where)

    def close(self) -> None:
        pass


class ImapMailbox:
    """A folder on an IMAP server, over TLS (implicit or STARTTLS) with the certificate checked."""

    def __init__(self, config: Config) -> None:
        settings = config.bounces
        self.host = settings.imap_host or ""
        self.port = settings.imap_port
        self.folder = settings.imap_folder
        user = _env(settings.imap_user_env, "imap_user_env", "the IMAP user name")
        password = _env(settings.imap_password_env, "imap_password_env", "the IMAP password")
        context = _context(config)
        try:
            if settings.imap_security == "tls":
                self._imap: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                    self.host, self.port, ssl_context=context, timeout=60
                )
            else:
                self._imap = imaplib.IMAP4(self.host, self.port, timeout=60)
                if settings.imap_security == "starttls":
                    self._imap.starttls(ssl_context=context)
            self._imap.login(user, password)
            kind, data = self._imap.select(_quoted(self.folder))
            if kind != "OK":
                raise DeliveryError(
                    f"{self.describe()}: no folder {self.folder!r}: {_text(data)}",
                    hint="set [bounces] imap_folder to the folder returned mail is delivered to",
                )
        except ssl.SSLCertVerificationError as exc:
            raise DeliveryError(
                f"the TLS certificate of {self.host}:{self.port} cannot be trusted: {exc.verify_message}",
                hint="if it comes from a private authority, set [bounces] imap_ca_file to its certificate",
            ) from None
        except imaplib.IMAP4.error as exc:
            raise DeliveryError(
                f"{self.describe()}: {exc}", hint="check the IMAP settings in [bounces]"
            ) from None
        except OSError as exc:
            raise DeliveryError(
                f"cannot reach the IMAP server {self.host}:{self.port}: {exc}",
                hint="check [bounces] imap_host, imap_port and imap_security",
            ) from None

    def describe(self) -> str:
        return f"imap://{self.host}:{self.port}/{self.folder}"

    def messages(self) -> Iterator[Returned]:
        kind, data = self._imap.uid("SEARCH", "ALL")
        if kind != "OK":
            raise DeliveryError(f"{self.describe()}: the server refused to list the folder: {_text(data)}")
        for uid in _text(data).split():
            # BODY.PEEK: reading does not mark it read; only what is acted on is flagged.
            kind, fetched = self._imap.uid("FETCH", uid, "(BODY.PEEK[])")
            body = next((item[1] for item in fetched if isinstance(item, tuple)), None)
            if kind != "OK" or not isinstance(body, bytes):
                continue  # expunged meanwhile
            yield Returned(uid, f"{self.folder} uid {uid}", body)

    def mark_done(self, message: Returned) -> None:
        self._imap.uid("STORE", message.key, "+FLAGS", "(\\Seen)")

    def close(self) -> None:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            self._imap.logout()


def _text(data: Sequence[object]) -> str:
    return " ".join(item.decode("utf-8", "replace") for item in data if isinstance(item, bytes))


def _quoted(folder: str) -> str:
    return '"' + re.sub(r'(["\\])', r"\\\1", folder) + '"'


def _env(name: str | None, setting: str, holds: str) -> str:
    value = os.environ.get(name or "")
    if not name or not value:
        raise DeliveryError(
            f"the environment variable {name or '(none set)'} is not set; it holds {holds}",
            hint=f"set [bounces] {setting} to the name of the variable, and export it",
        )
    return value


def _context(config: Config) -> ssl.SSLContext:
    cafile = config.root / config.bounces.imap_ca_file if config.bounces.imap_ca_file else None
    return verified_context(cafile, server="IMAP server", setting="[bounces] imap_ca_file")


def open_mailbox(config: Config, maildir: Path | None = None) -> Mailbox:
    """The mailbox of returned mail: ``maildir`` if given, else ``[bounces] maildir``, else IMAP."""
    settings = config.bounces
    if maildir is not None:
        return MaildirMailbox(maildir)
    if settings.maildir:
        return MaildirMailbox(config.root / settings.maildir)
    if settings.imap_host:
        return ImapMailbox(config)
    raise DeliveryError(
        "no mailbox of returned mail is set",
        hint="set [bounces] maildir (a Maildir folder) or imap_host in masthead.toml, or give --maildir",
    )
