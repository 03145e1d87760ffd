"""Progress while sending: a bar on a terminal, a plain log line every few percent otherwise."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

logger = logging.getLogger("masthead.delivery")

Advance = Callable[[str], None]
"""Called once per recipient with the outcome: ``sent``, ``failed`` or ``pending``."""


@contextmanager
def progress(total: int, label: str, *, show: bool) -> Iterator[Advance]:
    if not show or total == 0:
        yield lambda outcome: None
        return
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
        )
        task = bar.add_task(label, total=total, failed=0)
        failed = 0
        lock = threading.Lock()

        def advance_bar(outcome: str) -> None:
            nonlocal failed
            with lock:
                failed += outcome != "sent"
                bar.update(task, advance=1, failed=failed)

        with bar:
            yield advance_bar
        return

    step = max(1, total // 20)
    done = 0
    lock = threading.Lock()

    def advance_log(outcome: str) -> None:
        nonlocal done
        with lock:
            done += 1
            if done % step == 0 or done == total:
                logger.info("%s: %d of %d", label, done, total)

    yield advance_log
