"""What a reader of the web service receives: the confirmation mail in the outbox, and their status."""

from __future__ import annotations

import email
import email.policy
import mailbox
import re
import sqlite3
import time
from email.message import EmailMessage
from pathlib import Path


def outbox(root: Path, address: str) -> list[EmailMessage]:
    found: list[EmailMessage] = []
    if not (root / "outbox" / "cur").is_dir():
        return found  # the service makes the Maildir with its first message; cur/ comes last
    for data in mailbox.Maildir(root / "outbox", factory=None, create=False):
        message = email.message_from_bytes(data.as_bytes(), policy=email.policy.default)
        if isinstance(message, EmailMessage) and address in str(message["To"]):
            found.append(message)
    return found


def status_of(root: Path, address: str) -> str | None:
    conn = sqlite3.connect(root / "subscribers.sqlite3")
    try:
        row = conn.execute("SELECT status FROM subscribers WHERE address = ?", (address,)).fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def wait_for_mail(root: Path, address: str, count: int = 1) -> list[EmailMessage]:
    """The confirmation email goes out after the response: give it a moment."""
    deadline = time.monotonic() + 10
    while True:
        found = outbox(root, address)
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def confirm_link(message: EmailMessage) -> str:
    text = message.get_body(("plain",))
    assert text is not None
    match = re.search(r"https://harbour\.example\.org(/news/confirm\?token=\S+)", text.get_content())
    assert match, text.get_content()
    return match.group(1)
