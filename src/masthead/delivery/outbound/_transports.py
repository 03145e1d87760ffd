"""Transports: SMTP (a reused connection per worker) and Maildir (every message written to a folder).

A transport's ``send`` returns when the message was accepted, and raises :class:`TemporaryFailure`
(worth retrying: a 4xx reply, a dropped connection) or :class:`PermanentFailure` (a 5xx reply).

Messages have 8bit UTF-8 bodies: SMTP sends them with ``BODY=8BITMIME`` (RFC 6152). A server that
does not offer 8BITMIME gets each such message converted to 7 bits (:func:`seven_bit`), which is
slower and larger, and logged once per campaign.
"""

from __future__ import annotations

import email
import email.policy
import logging
import mailbox
import os
import re
import smtplib
import ssl
import threading
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from ..._config import Config
from ..._errors import DeliveryError
from .._tls import verified_context
from ._dkim import DkimSigner, signer_for

logger = logging.getLogger("masthead.delivery")

RECIPIENT, MESSAGE, SESSION = "recipient", "message", "session"
"""What a permanent refusal is about: the one reader, or what every next message would meet too."""


class TemporaryFailure(Exception):
    def __init__(self, reason: str, *, connection: bool = False, timeout: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.connection = connection
        """True when no connection could be made at all (the server is down or unreachable)."""
        self.timeout = timeout
        """True when the server did not answer within ``[delivery] timeout``."""


class PermanentFailure(Exception):
    def __init__(self, reason: str, *, code: int, bounced: bool = False, about: str = RECIPIENT) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code
        self.bounced = bounced
        """True when the server refused the recipient's mailbox itself (the address does not exist)."""
        self.about = about
        """:data:`RECIPIENT` (this reader's address or mailbox: the next reader may well go through),
        :data:`MESSAGE` (its size or content) or :data:`SESSION` (the login, the sender's address): the
        next message would be refused the same way."""


class Transport(Protocol):
    def send(self, sender: str, recipient: str, message: bytes) -> None: ...

    def close(self) -> None: ...


class TransportFactory(Protocol):
    name: str

    def open(self) -> Transport: ...

    def describe(self) -> str: ...


_SEVEN_BIT = email.policy.SMTP.clone(refold_source="none")
"""Serialises a parsed message's headers exactly as they came."""


def seven_bit(message: bytes) -> bytes:
    """``message`` with every 8-bit part re-encoded: base64 where most of it is not ASCII, else
    quoted-printable. Headers stay as they are (they are ASCII already)."""
    parsed = email.message_from_bytes(message, policy=email.policy.SMTP)
    for part in parsed.walk():
        if part.is_multipart():
            continue
        body = part.get_payload(decode=True)
        if not isinstance(body, bytes) or body.isascii():
            continue
        if not isinstance(part, EmailMessage):
            continue
        had_version = "MIME-Version" in part
        if part.get_content_maintype() == "text":
            wide = len(body) - len(body.decode("ascii", "ignore"))
            cte = "base64" if wide * 5 > len(body) else "quoted-printable"
            charset = part.get_content_charset() or "utf-8"
            text = body.decode(charset, "replace")
            part.set_content(text, part.get_content_subtype(), charset=charset, cte=cte)
        else:
            part.set_content(body, part.get_content_maintype(), part.get_content_subtype(), cte="base64")
        if not had_version:
            del part["MIME-Version"]
    return parsed.as_bytes(policy=_SEVEN_BIT)


def _reply(code: int, text: bytes | str) -> str:
    message = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(message.split())}"


# Mailbox-level refusals of a recipient (RFC 5321 / 3463): the address is gone, mark it bounced.
_BOUNCE_CODES = {550, 551, 553}
# Replies that ask for a login, or refuse the one given (RFC 4954).
_AUTHENTICATION_CODES = {530, 534, 535, 538}
# Enhanced status codes (RFC 3463, "subject.detail") about the session: a login wanted or refused, or
# the sender's address (bad syntax, a domain that does not exist).
_SESSION_STATUS = {(7, 8), (7, 9), (7, 11), (1, 7), (1, 8)}
# Enhanced status codes about the recipient: the address (X.1.x), a mailbox disabled or full.
_RECIPIENT_STATUS = {(2, 1), (2, 2)}
_ENHANCED = re.compile(r"^[245]\.(\d{1,3})\.(\d{1,3})\b")


def refusal_about(stage: str, code: int, reply: str) -> str:
    """What a permanent refusal (``code``, and ``reply`` without it) at ``stage`` (``mail``, ``rcpt`` or
    ``data``, as the transaction goes) is about: its enhanced status code when it has one, else the
    stage and the code. 552 and 554 at DATA say that the message is too large or refused for what it
    holds; anything at MAIL, that the sender or the session is refused."""
    found = _ENHANCED.match(reply)
    status = (int(found.group(1)), int(found.group(2))) if found else None
    if code in _AUTHENTICATION_CODES or status in _SESSION_STATUS or stage == "mail":
        return SESSION
    if stage == "data":
        if status is not None and (status[0] == 1 or status in _RECIPIENT_STATUS):
            return RECIPIENT
        if code in (552, 554) or (status is not None and (status[0] in (3, 6) or status == (2, 3))):
            return MESSAGE
    return RECIPIENT


def _timed_out(error: BaseException) -> bool:
    """Whether ``error`` is, or comes from, a socket timing out (smtplib reports a reply that did not
    come in time as a closed connection)."""
    return isinstance(error, TimeoutError) or isinstance(error.__context__, TimeoutError)


class SmtpTransport:
    """One SMTP connection, opened on first use, reused for every message, reopened when it drops."""

    def __init__(self, factory: SmtpFactory) -> None:
        self._factory = factory
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        f = self._factory
        try:
            smtp: smtplib.SMTP
            if f.security == "tls":
                smtp = smtplib.SMTP_SSL(f.host, f.port, timeout=f.timeout, context=f.tls_context())
            else:
                smtp = smtplib.SMTP(f.host, f.port, timeout=f.timeout)
            smtp.ehlo()
            if f.security == "starttls":
                smtp.starttls(context=f.tls_context())
                smtp.ehlo()
            if f.username is not None:
                smtp.login(f.username, f.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(
                f"{f.describe()} refused the login: {_reply(exc.smtp_code, exc.smtp_error)}",
                hint="check the user name and password in the environment variables that [delivery]"
                " username_env and password_env name",
            ) from None
        except ssl.SSLCertVerificationError as exc:
            # Not worth retrying: the same certificate comes back until someone changes a setting.
            raise DeliveryError(
                f"the TLS certificate of {f.describe()} cannot be trusted: {exc.verify_message}",
                hint="if the relay's certificate comes from a private authority, set [delivery] smtp_ca_file"
                " to that authority's certificate (PEM); check that smtp_host is the name in the certificate",
            ) from None
        except smtplib.SMTPNotSupportedError:
            raise DeliveryError(
                f"{f.describe()} does not offer STARTTLS",
                hint='use smtp_security = "tls" with the port for implicit TLS (often 465), or the port'
                " where the relay offers STARTTLS (often 587)",
            ) from None
        except ssl.SSLError as exc:
            raise DeliveryError(
                f"no TLS connection to {f.describe()}: {exc.reason or exc}",
                hint=f"check that smtp_port is the relay's port for smtp_security = {f.security!r}"
                " (465 for tls, 587 or 25 for starttls)",
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            timeout = _timed_out(exc)
            said = f"no answer within {f.timeout:g} s" if timeout else str(exc)
            raise TemporaryFailure(
                f"cannot connect to {f.describe()}: {said}", connection=True, timeout=timeout
            ) from None
        logger.debug("connected to %s", f.describe())
        return smtp

    def send(self, sender: str, recipient: str, message: bytes) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        options = [] if recipient.isascii() and sender.isascii() else ["SMTPUTF8"]
        if self._smtp.has_extn("8bitmime"):
            options.append("BODY=8BITMIME")
        elif not message.isascii():
            self._factory.without_8bitmime()
            message = seven_bit(message)
        if self._factory.signer is not None:
            # Last, over the bytes that go out: a signature made before the conversion would break.
            message = self._factory.signer.sign(message)
        try:
            self._smtp.sendmail(sender, [recipient], message, mail_options=options)
        except smtplib.SMTPNotSupportedError as exc:
            raise PermanentFailure(f"the server cannot take this address: {exc}", code=553) from None
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = exc.recipients.get(recipient, (550, b"recipient refused"))
            self._failure("rcpt", code, text)
        except smtplib.SMTPSenderRefused as exc:
            self._failure("mail", exc.smtp_code, exc.smtp_error)
        except smtplib.SMTPDataError as exc:
            self._failure("data", exc.smtp_code, exc.smtp_error)
        except smtplib.SMTPResponseException as exc:
            self._failure("data", exc.smtp_code, exc.smtp_error)
        except (smtplib.SMTPServerDisconnected, OSError, smtplib.SMTPException) as exc:
            # The connection dropped, or the server did not answer in time. If that happened after the
            # server took the whole message but before it replied, the message may have been accepted:
            # the retry is the one point where a subscriber could get a second copy, with the same
            # Message-ID for a relay to drop it.
            self.close()
            if _timed_out(exc):
                waited = self._factory.timeout
                raise TemporaryFailure(f"no answer within {waited:g} s", timeout=True) from None
            raise TemporaryFailure(f"connection lost: {exc or type(exc).__name__}") from None

    def _failure(self, stage: str, code: int, text: bytes | str) -> None:
        reply = _reply(code, text)
        if 400 <= code < 500:
            if code == 421:  # the server is closing the connection
                self.close()
            raise TemporaryFailure(reply)
        about = refusal_about(stage, code, reply.partition(" ")[2])
        bounced = stage == "rcpt" and about == RECIPIENT and code in _BOUNCE_CODES
        raise PermanentFailure(reply, code=code, bounced=bounced, about=about)

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()


class SmtpFactory:
    name = "smtp"

    def __init__(self, config: Config) -> None:
        settings = config.delivery
        self.host = settings.smtp_host
        self.port = settings.smtp_port
        self.security = settings.smtp_security
        self.timeout = settings.timeout
        self.username: str | None = None
        self.password: str | None = None
        self._lock = threading.Lock()
        self._warned = False
        self._tls = _tls_context(config) if self.security != "none" else None
        self.signer = signer_for(config)
        if settings.username_env:
            self.username = _required_env(settings.username_env, "the SMTP user name", "username_env")
            if settings.password_env:
                self.password = _required_env(settings.password_env, "the SMTP password", "password_env")

    def open(self) -> Transport:
        return SmtpTransport(self)

    def tls_context(self) -> ssl.SSLContext:
        if self._tls is None:
            raise DeliveryError(f"{self.describe()}: TLS is not configured")
        return self._tls

    def without_8bitmime(self) -> None:
        """Log, once for this campaign, that the server takes only 7-bit messages."""
        with self._lock:
            if self._warned:
                return
            self._warned = True
        logger.warning(
            "%s does not offer 8BITMIME: converting each message to 7 bits (slower, larger)", self.describe()
        )

    def describe(self) -> str:
        return f"{self.host}:{self.port}" + (f" ({self.security})" if self.security != "none" else "")


def _tls_context(config: Config) -> ssl.SSLContext:
    """Certificates checked against the system's authorities (or ``smtp_ca_file``'s), host names too."""
    settings = config.delivery
    cafile = config.root / settings.smtp_ca_file if settings.smtp_ca_file else None
    context = verified_context(cafile, server="relay", setting="[delivery] smtp_ca_file")
    if not settings.smtp_verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        logger.warning(
            "[delivery] smtp_verify = false: the relay's certificate is not checked, so anyone on the way"
            " could read the messages and the SMTP password"
        )
    return context


def _required_env(name: str, holds: str, setting: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise DeliveryError(
            f"the environment variable {name} is not set; it holds {holds}",
            hint=f"export {name}=..., or remove {setting} from [delivery] in masthead.toml",
        )
    return value


class MaildirTransport:
    """Writes each message into a Maildir; the lock keeps the threads' file names from clashing."""

    def __init__(self, folder: mailbox.Maildir, lock: threading.Lock, signer: DkimSigner | None) -> None:
        self._folder = folder
        self._lock = lock
        self._signer = signer

    def send(self, sender: str, recipient: str, message: bytes) -> None:
        if self._signer is not None:
            message = self._signer.sign(message)
        try:
            with self._lock:
                self._folder.add(message)
        except OSError as exc:
            raise TemporaryFailure(f"cannot write to the maildir: {exc}", connection=True) from None

    def close(self) -> None:
        pass


class MaildirFactory:
    name = "maildir"

    def __init__(self, config: Config) -> None:
        self.path: Path = config.root / config.delivery.maildir
        self.signer = signer_for(config)
        self._lock = threading.Lock()
        self._folder: mailbox.Maildir | None = None

    def open(self) -> Transport:
        with self._lock:
            if self._folder is None:
                try:
                    # Made folder by folder, each allowed to exist: another process (the service's
                    # confirmation emails, a second sender) may be making the same maildir now.
                    for folder in ("tmp", "new", "cur"):
                        (self.path / folder).mkdir(parents=True, exist_ok=True)
                    self._folder = mailbox.Maildir(self.path, factory=None, create=False)
                except OSError as exc:
                    raise DeliveryError(f"cannot create the maildir: {exc}", path=self.path) from None
            return MaildirTransport(self._folder, self._lock, self.signer)

    def describe(self) -> str:
        return str(self.path)


def transport_name(config: Config, name: str | None) -> str:
    name = name or config.delivery.transport
    if name not in ("smtp", "maildir"):
        raise DeliveryError(f"unknown transport {name!r}", hint="use 'smtp' or 'maildir'")
    return name


def transport_factory(config: Config, name: str | None) -> TransportFactory:
    """The transport ``name`` (the configured one if ``None``), with its credentials from the environment."""
    if transport_name(config, name) == "maildir":
        return MaildirFactory(config)
    return SmtpFactory(config)
