"""One-click unsubscribes written together: every request waiting is committed in one transaction.

A commit is a write to disk that must finish before the answer (an unsubscribe that a crash could
lose is not done), and it costs the same for one row as for hundreds. Mailbox providers send
one-click requests in bursts, so one writer thread takes whatever has queued up while the last
commit was on its way and commits it at once; each request is answered when its own row is on disk.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from dataclasses import dataclass

from .._config import Config
from ..delivery import Origin, Subscriber, unsubscribe_readers
from ..delivery.store import Store, open_store

logger = logging.getLogger("masthead.web")

MAX_BATCH = 500


@dataclass(frozen=True)
class _Request:
    public_id: str
    origin: Origin
    how: str
    loop: asyncio.AbstractEventLoop
    answer: asyncio.Future[Subscriber | None]


class Unsubscribes:
    """The writer thread, started with the first request."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._queue: queue.SimpleQueue[_Request] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._store: Store | None = None
        """The writer's own connection, kept open from one batch to the next (opening one and
        closing it again costs as much as writing a batch of fifty)."""

    async def unsubscribe(self, public_id: str, origin: Origin, how: str) -> Subscriber | None:
        """Unsubscribe the subscriber with ``public_id``; return once it is on disk."""
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[Subscriber | None] = loop.create_future()
        self._start()
        self._queue.put(_Request(public_id, origin, how, loop, answer))
        return await answer

    def _start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._write, name="masthead-unsubscribes", daemon=True)
                self._thread.start()

    def _write(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                results = self._commit([(r.public_id, r.origin, r.how) for r in batch])
            except Exception as exc:  # every waiting request learns of it; the writer goes on
                logger.exception("unsubscribes not written")
                for request in batch:
                    request.loop.call_soon_threadsafe(_fail, request.answer, exc)
                continue
            for request, result in zip(batch, results, strict=True):
                request.loop.call_soon_threadsafe(_settle, request.answer, result)

    def _commit(self, requests: list[tuple[str, Origin, str]]) -> list[Subscriber | None]:
        """Write ``requests`` in the kept connection; when that fails, once more in a new one (a
        database restarted since the last batch), which is safe: an unsubscribed reader stays so."""
        while True:
            fresh = self._store is None
            if self._store is None:
                self._store = open_store(self.config)
            try:
                return unsubscribe_readers(self.config, requests, store=self._store)
            except Exception:
                store, self._store = self._store, None
                try:
                    store.close()
                except Exception:  # the connection was broken already: what matters is the first error
                    logger.debug("closing a failed store connection failed too", exc_info=True)
                if fresh:
                    raise


def _settle(answer: asyncio.Future[Subscriber | None], result: Subscriber | None) -> None:
    if not answer.cancelled():
        answer.set_result(result)


def _fail(answer: asyncio.Future[Subscriber | None], exc: Exception) -> None:
    if not answer.cancelled():
        answer.set_exception(exc)
