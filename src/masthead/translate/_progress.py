"""Progress while translating: a bar on a terminal, a plain log line every few percent otherwise."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

logger = logging.getLogger("masthead.translate")

Advance = Callable[[], None]


@contextmanager
def progress(total: int, label: str, *, show: bool) -> Iterator[Advance]:
    if not show or total == 0:
        yield lambda: None
        return
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
        )
        task = bar.add_task(label, total=total)
        with bar:
            yield lambda: bar.update(task, advance=1)
        return
    step = max(1, total // 10)
    done = 0

    def advance_log() -> None:
        nonlocal done
        done += 1
        if done % step == 0 or done == total:
            logger.info("%s: %d of %d messages", label, done, total)

    yield advance_log
