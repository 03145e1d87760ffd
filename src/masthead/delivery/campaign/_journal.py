"""The journal of a campaign run: messages the relay accepted while the send log could not be told.

When the subscriber database fails (a restart, a lost connection, a full disk) right after the relay
accepted a message, the run keeps that fact in memory and appends it, at once and durably, to a file
of its own in ``send-journal/`` in the workspace: beside the workspace rather than beside a SQLite
database, whose disk may be the one that is full. The run records the message when the database
answers again; a run that stops first leaves the file, and the next run records what it holds before
it sends anything, so nobody is sent the issue twice. Lines are only ever appended, one JSON object
each; a file whose every line is recorded is removed.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..._config import Config
from ..store import Delivery, Store, now

logger = logging.getLogger("masthead.delivery")

FOLDER = "send-journal"


def journal_folder(config: Config) -> Path:
    return config.root / FOLDER


def _file_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._@-]", "-", text)


@dataclass(frozen=True)
class Accepted:
    """A message the relay accepted: which entry of which campaign's send log, sent by whom."""

    campaign: str
    subscriber: int
    address: str
    sender: str
    at: str


class Journal:
    """The journal of one run (one sender) of one campaign."""

    def __init__(self, config: Config, campaign: str, sender: str) -> None:
        self.campaign = campaign
        self.sender = sender
        self.path = journal_folder(config) / f"{_file_part(campaign)}.{_file_part(sender)}.jsonl"

    def keep(self, job: Delivery) -> str | None:
        """Append that the relay accepted ``job``'s message, flushed to the disk before this returns;
        ``None``, or why it could not be written (the message is then kept in memory only)."""
        entry = Accepted(self.campaign, job.subscriber, job.address, self.sender, now())
        line = json.dumps(entry.__dict__, ensure_ascii=False) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                os.write(descriptor, line.encode("utf-8"))  # one write: lines of two threads never mix
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
        except OSError as exc:
            return exc.strerror or str(exc)
        return None

    def remove(self) -> None:
        """Every message it holds is recorded in the send log: the file is no longer needed."""
        self.path.unlink(missing_ok=True)


def _entries(path: Path) -> Iterator[Accepted]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            yield Accepted(**json.loads(line))
        except (ValueError, TypeError):
            # A line cut short by a crash while it was written: its message was never confirmed
            # to the sender as kept, and stays to be sent.
            logger.warning("%s:%d: not a journal entry; left out", path, number)


def replay(config: Config, campaign: str, store: Store) -> int:
    """Record in the send log every message that earlier runs of ``campaign`` kept in a journal, then
    remove those journals; how many messages they held."""
    folder = journal_folder(config)
    if not folder.is_dir():
        return 0
    count = 0
    for path in sorted(folder.glob(f"{_file_part(campaign)}.*.jsonl")):
        entries = list(_entries(path))
        if any(entry.campaign != campaign for entry in entries):
            continue  # another campaign's, whose name starts like this one's
        for entry in entries:
            store.record_accepted(campaign, entry.subscriber, entry.sender)
        count += len(entries)
        logger.info(
            "%s: recorded %d messages that an earlier run kept in %s", campaign, len(entries), path.name
        )
        path.unlink()
    return count
