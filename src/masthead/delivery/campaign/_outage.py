"""The subscriber database going away while a campaign sends, as all of the run's threads see it.

The first call that fails for want of the database (a restart, a lost connection, a full disk) starts
an outage: sending pauses (no thread starts another message; those in flight finish), and each thread
whose call failed tries it again on a new connection, after pauses that grow from a quarter of a
second to five seconds. The first of those calls that goes through ends the outage, and sending
resumes. After ``[subscribers] reconnect_seconds`` without one, the run gives up: every thread stops
where it is, and the campaign stops with what it knows. Only a call that failed can end an outage: a
full disk still lets SQLite read, and reading proves nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime

from ..store import DatabaseUnavailable

logger = logging.getLogger("masthead.delivery")

_SHORTEST_PAUSE = 0.25
_LONGEST_PAUSE = 5.0


class DatabaseGone(Exception):
    """The run gave up waiting for the subscriber database, or is stopping while it waits."""


@dataclass(frozen=True)
class Episode:
    """One time the database went away during the run."""

    began: str
    """The local time it went away, to the second."""
    reason: str
    """What the database driver said first."""
    seconds: float | None
    """How long until it answered again; ``None`` if it had not when the run gave up."""


class Outage:
    """Shared by the threads of one run (a :class:`~..store.Recovery` for each of them); ``stop`` is the
    run's own stop signal, which giving up sets."""

    def __init__(self, patience: float, stop: threading.Event) -> None:
        self.patience = patience
        self._stop = stop
        self._lock = threading.Lock()
        self._clear = threading.Event()
        self._clear.set()
        self._started = 0.0
        self._began = ""
        self._reason = ""
        self.gave_up: Episode | None = None
        """The outage the run gave up on."""
        self.episodes: list[Episode] = []
        """The outages the run came through."""

    def lost(self, error: DatabaseUnavailable) -> None:
        """A call failed: start an outage unless one is on, wait a while, or give up (DatabaseGone)."""
        with self._lock:
            if self.gave_up is None and self._clear.is_set():
                self._clear.clear()
                self._started = time.monotonic()
                self._began = datetime.now().strftime("%H:%M:%S")
                self._reason = error.reason
                logger.warning(
                    "lost the subscriber database at %s (%s): sending paused while masthead tries again,"
                    " for up to %g s",
                    self._began,
                    self._reason,
                    self.patience,
                )
            elapsed = time.monotonic() - self._started
            if self.gave_up is None and elapsed >= self.patience:
                self.gave_up = Episode(self._began, self._reason, None)
                self._clear.set()  # so that the threads waiting at the gate see it
                self._stop.set()
        if self.gave_up is not None:
            raise DatabaseGone
        pause = min(max(elapsed / 2, _SHORTEST_PAUSE), _LONGEST_PAUSE, self.patience - elapsed)
        if self._stop.wait(pause):
            raise DatabaseGone

    def found(self) -> None:
        """A call that had failed went through: the outage is over."""
        with self._lock:
            if self._clear.is_set():
                return
            seconds = time.monotonic() - self._started
            self.episodes.append(Episode(self._began, self._reason, seconds))
            self._clear.set()
        logger.info("the subscriber database answers again after %.1f s: sending resumes", seconds)

    def gate(self) -> None:
        """Before a thread starts another message: wait while the database is away (DatabaseGone if the
        run gives up or stops meanwhile)."""
        while not self._clear.wait(0.2):
            if self._stop.is_set():
                raise DatabaseGone
        if self.gave_up is not None:
            raise DatabaseGone
