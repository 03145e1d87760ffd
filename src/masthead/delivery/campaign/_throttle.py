"""How fast a campaign may go: a rate limit shared by the sending threads, and waits between retries."""

from __future__ import annotations

import threading
import time


class TokenBucket:
    """At most ``rate`` acquisitions a second on average, with bursts of ``burst``, shared by threads."""

    def __init__(self, rate: float, burst: float = 1.0) -> None:
        self.rate = rate
        self.burst = max(1.0, burst)
        self._tokens = self.burst
        self._stamp = time.monotonic()
        self._lock = threading.Lock()

    def acquire(self, stop: threading.Event) -> bool:
        """Wait for a token; ``False`` if ``stop`` was set meanwhile."""
        while True:
            with self._lock:
                now = time.monotonic()
                self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
                self._stamp = now
                if self._tokens >= 1.0:
                    self._tokens -= 1.0
                    return True
                wait = (1.0 - self._tokens) / self.rate
            if stop.wait(wait):
                return False


MAX_RETRY_WAIT = 60.0
"""The longest wait between two tries of one message: a slow server must not hold a sender for hours."""


def retry_wait(retry_delay: float, attempt: int) -> float:
    """Seconds to wait after failed try number ``attempt``: doubling from ``retry_delay``, capped."""
    return min(MAX_RETRY_WAIT, retry_delay * 2.0 ** min(attempt - 1, 32))
