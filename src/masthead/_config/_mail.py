"""The ``[email]``, ``[subscribers]``, ``[delivery]``, ``[dkim]`` and ``[bounces]`` settings: what a
message says about its sender, where subscribers are kept, how mail is sent and signed, and where
returned mail is read."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ._declare import (
    ADDRESS,
    ATTEMPTS,
    BOOLEAN,
    ENV_NAME,
    NAMED_ADDRESS,
    RETRY_DELAY,
    TEXT,
    Check,
    number,
    one_of,
    setting,
    whole,
)


@dataclass(frozen=True)
class EmailSettings:
    sender: str | None = setting(
        None,
        check=NAMED_ADDRESS,
        help="The From address, with a display name if you like. Until it is set, the email is built "
        "with a placeholder and 'masthead send' refuses to send by SMTP.",
        example="Harbour Notes <news@harbour.example.org>",
    )
    reply_to: str | None = setting(
        None, check=NAMED_ADDRESS, help="The Reply-To address.", example="hello@harbour.example.org"
    )
    list_id: str | None = setting(
        None,
        check=TEXT,
        help="The List-Id header's identifier.",
        derived="the host of base_url",
        example="news.harbour.example.org",
    )
    unsubscribe_mailto: str | None = setting(
        None,
        check=ADDRESS,
        help="An address that unsubscribes whoever writes to it (adds a mailto: List-Unsubscribe).",
        example="unsubscribe@harbour.example.org",
    )

    @property
    def sender_is_set(self) -> bool:
        """Whether ``[email] sender`` is set in masthead.toml (rather than left to the placeholder)."""
        return self.sender is not None


@dataclass(frozen=True)
class SubscribersSettings:
    database: str = setting(
        "subscribers.sqlite3",
        check=TEXT,
        help="The subscriber store and send log: a SQLite file in the workspace, or a PostgreSQL URL "
        "(postgresql://user@host/dbname) that several senders on several machines share.",
    )
    password_env: str = setting(
        "MASTHEAD_DATABASE_PASSWORD",
        check=ENV_NAME,
        help="The name of the environment variable holding the PostgreSQL password (never in the URL).",
    )
    lease_seconds: int = setting(
        300,
        check=whole(1, 86400),
        help="PostgreSQL: how long a sender's claim on a batch of recipients lasts without news from it; "
        "then others take the batch over. Longer than any one SMTP exchange.",
    )
    reconnect_seconds: int = setting(
        120,
        check=whole(1, 86400),
        help="How long a campaign whose database went away (a restart, a full disk) waits for it, "
        "trying again with growing pauses, before it stops; what the relay accepted meanwhile is kept "
        "in send-journal/ and recorded first by the next run.",
    )


@dataclass(frozen=True)
class DeliverySettings:
    transport: str = setting(
        "smtp",
        check=one_of(("smtp", "maildir")),
        help="How 'masthead send' delivers: smtp, or maildir to write every message to disk "
        "(--transport overrides it).",
    )
    smtp_host: str = setting("localhost", check=TEXT, help="Your SMTP relay.")
    smtp_port: int = setting(
        25, check=whole(1, 65535, "a port"), help="587 for starttls, 465 for tls, as your relay says."
    )
    smtp_security: str = setting(
        "none",
        check=one_of(("none", "starttls", "tls")),
        help="none, starttls, or tls (implicit TLS); the relay's certificate and name are checked.",
    )
    smtp_ca_file: str | None = setting(
        None,
        check=TEXT,
        help="A PEM file of the authorities to trust for the relay's certificate, instead of the "
        "system's (a relay with a certificate from a private authority); relative to the workspace.",
        example="relay-ca.pem",
    )
    smtp_verify: bool = setting(
        True,
        check=BOOLEAN,
        help="false: do not check the relay's certificate (only on a network you trust: anyone on the "
        "way could read the messages and the password).",
    )
    username_env: str | None = setting(
        None,
        check=ENV_NAME,
        help="The name of the environment variable holding the SMTP user name (no login without it).",
        example="SMTP_USER",
    )
    password_env: str | None = setting(
        None,
        check=ENV_NAME,
        help="The name of the environment variable holding the SMTP password.",
        example="SMTP_PASSWORD",
    )
    secret_env: str = setting(
        "MASTHEAD_SECRET",
        check=ENV_NAME,
        help="The name of the environment variable holding the secret that signs unsubscribe links "
        "(16 characters or more).",
    )
    rate_per_second: float = setting(
        20.0,
        check=number("messages per second, a positive number", above=True),
        help="Messages per second, at most.",
    )
    connections: int = setting(2, check=whole(1, 32), help="SMTP connections in parallel.")
    maildir: str = setting(
        "outbox", check=TEXT, help="The folder that 'masthead send --transport maildir' writes."
    )
    max_attempts: int = setting(
        5,
        check=ATTEMPTS,
        help="Tries per message on temporary failures (4xx replies, dropped connections) before moving on.",
    )
    retry_delay: float = setting(
        1.0,
        check=RETRY_DELAY,
        help="Seconds before the first retry; each further retry waits twice as long (at most a minute).",
    )
    pause_after_failures: int = setting(
        20,
        check=whole(1),
        help="Failures in a row after which a campaign pauses (run 'masthead send' again to resume).",
    )
    timeout: float = setting(
        60.0,
        check=number("seconds, more than 0 and at most 3600", above=True, high=3600),
        help="Seconds to wait for the relay's answer (to connect, to each command, to the message) "
        "before giving up on it.",
    )
    pause_after_timeouts: int = setting(
        3,
        check=whole(1),
        help="Timeouts in a row, across connections, after which a campaign pauses: a relay that stops "
        "answering pauses it within timeout x this many seconds.",
    )


_SELECTOR = re.compile(
    r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$"
)


def _dkim_keys(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and all(isinstance(k, str) and _SELECTOR.match(k) for k in value)
        and all(isinstance(v, str) and v.strip() for v in value.values())
    )


@dataclass(frozen=True)
class DkimSettings:
    keys: tuple[tuple[str, str], ...] | None = setting(
        None,
        parse=lambda value: tuple(value.items()),
        check=Check(
            _dkim_keys, 'a table of selector = "key file", such as { mail2026 = "dkim/mail2026.pem" }'
        ),
        help="DKIM signing: each selector with its private key file (PEM, RSA or Ed25519; relative to the "
        "workspace), one signature per key; publish each key's record (masthead doctor shows it).",
        example={"rsa2026": "dkim/rsa2026.pem", "ed2026": "dkim/ed2026.pem"},
    )
    domain: str | None = setting(
        None,
        check=Check(
            lambda v: isinstance(v, str) and re.match(r"^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$", v) is not None,
            "a domain name",
        ),
        help="The signing domain (d=), where the keys' records are published.",
        derived="the domain of [email] sender",
        example="harbour.example.org",
    )


@dataclass(frozen=True)
class BouncesSettings:
    return_path: str | None = setting(
        None,
        check=ADDRESS,
        help="The address returned mail goes to (the envelope sender). Each subscriber's messages carry "
        "their own, local+id@domain (VERP), so a bounce names who it is about.",
        derived="the address of [email] sender",
        example="bounces@harbour.example.org",
    )
    maildir: str | None = setting(
        None,
        check=TEXT,
        help="The Maildir that returned mail is delivered to, read by 'masthead bounces'.",
        example="/var/mail/bounces",
    )
    imap_host: str | None = setting(
        None,
        check=TEXT,
        help="Or an IMAP server that holds the returned mail.",
        example="imap.harbour.example.org",
    )
    imap_port: int = setting(993, check=whole(1, 65535, "a port"), help="993 for tls, 143 for starttls.")
    imap_security: str = setting(
        "tls", check=one_of(("tls", "starttls", "none")), help="tls (implicit), starttls, or none."
    )
    imap_folder: str = setting("INBOX", check=TEXT, help="The IMAP folder to read.")
    imap_ca_file: str | None = setting(
        None,
        check=TEXT,
        help="A PEM file of the authorities to trust for the IMAP server's certificate.",
        example="imap-ca.pem",
    )
    imap_user_env: str | None = setting(
        None, check=ENV_NAME, help="The name of the variable holding the IMAP user name.", example="IMAP_USER"
    )
    imap_password_env: str | None = setting(
        None,
        check=ENV_NAME,
        help="The name of the variable holding the IMAP password.",
        example="IMAP_PASSWORD",
    )
    soft_limit: int = setting(
        3,
        check=whole(1),
        help="Soft bounces (a full mailbox, a refusal by policy) that mark an address bounced...",
    )
    soft_days: int = setting(30, check=whole(1, 365), help="... when they come within this many days.")
