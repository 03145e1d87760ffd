"""Progress of long work (translating, sending): a bar on a terminal, a log line every few percent
otherwise. Safe to advance from several threads."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Advance = Callable[..., None]
"""Called once per item done, optionally with its outcome; an outcome of ``failed`` is counted."""


@contextmanager
def progress(
    total: int, label: str, *, show: bool, logger: logging.Logger, count_failures: bool = False
) -> Iterator[Advance]:
    if not show or total == 0:
        yield lambda outcome="done": None
        return
    lock = threading.Lock()
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()]
        if count_failures:
            columns.append(TextColumn("{task.fields[failed]} failed"))
        bar = Progress(*columns, TimeRemainingColumn(), console=Console(stderr=True))
        task = bar.add_task(label, total=total, failed=0)
        failed = 0

        def advance_bar(outcome: str = "done") -> None:
            nonlocal failed
            with lock:
                failed += outcome == "failed"
                bar.update(task, advance=1, failed=failed)

        with bar:
            yield advance_bar
        return

    step = max(1, total // 20)
    done = 0

    def advance_log(outcome: str = "done") -> None:
        nonlocal done
        with lock:
            done += 1
            if done % step == 0 or done == total:
                logger.info("%s: %d of %d", label, done, total)

    yield advance_log
