"""Writing outputs: atomically, so an interrupted build never leaves a half-written file behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# mkstemp creates files readable by their owner only; outputs and catalogs are meant to be
# shared (served, committed), so they get the permissions any new file would get.
_MODE = 0o666 & ~_umask()


@contextmanager
def atomic_stream(target: Path) -> Iterator[BinaryIO]:
    """A binary stream that becomes ``target`` when the block ends without an error: written to a
    temporary file in the same folder, then renamed over ``target``. On an error nothing changes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
        os.chmod(temp, _MODE)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_atomic(target: Path, data: bytes | str) -> None:
    """Write ``data`` to ``target`` through a temporary file in the same folder, then rename."""
    with atomic_stream(target) as stream:
        stream.write(data.encode("utf-8") if isinstance(data, str) else data)
