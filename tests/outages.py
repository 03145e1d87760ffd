"""The subscriber database going away at a point a test chooses: a small file system that fills up under
a SQLite file, and (see :mod:`.postgres`) a PostgreSQL cluster stopped or restarted.

The small file system is a tmpfs that the test mounts, as root, the way the PostgreSQL tests start a
cluster as the ``postgres`` user: ``make test`` runs as root. A test that cannot mount one fails with
one line saying why; it is never skipped.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from pathlib import Path


class SmallDisk:
    """``with SmallDisk(folder) as disk:`` a tmpfs of ``size`` mounted on ``folder``; ``disk.fill()``
    takes every byte left, as a full disk does, and ``disk.free()`` gives them back."""

    def __init__(self, folder: Path, size: str = "8m") -> None:
        self.folder = folder
        self.size = size
        self.filler = folder / "filler"

    def __enter__(self) -> SmallDisk:
        self.folder.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={self.size},mode=0755", "masthead-test", str(self.folder)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            detail = " ".join((done.stderr or done.stdout).split())
            raise OSError(f"cannot mount a small tmpfs on {self.folder} (the tests run as root): {detail}")
        return self

    def __exit__(self, *exc: object) -> None:
        # Lazily: a connection the code under test failed to close must not leave the mount behind.
        subprocess.run(["umount", "--lazy", str(self.folder)], capture_output=True, check=False)

    def fill(self) -> None:
        """Write to one file until the file system has no room left, in ever smaller pieces, so that
        not even one more page fits."""
        descriptor = os.open(self.filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            for piece in (1 << 20, 1 << 12, 1):
                block = b"\0" * piece
                with contextlib.suppress(OSError):
                    while os.write(descriptor, block) == piece:
                        pass
            try:
                os.write(descriptor, b"\0")
            except OSError as exc:
                assert exc.errno == errno.ENOSPC, exc
            else:
                raise AssertionError(f"{self.folder} still has room after filling it")
        finally:
            os.close(descriptor)

    def free(self) -> None:
        self.filler.unlink()
