"""Whether anything changed under some folders, from the sizes and times of their files: a directory
walk, not a read, cheap enough to ask every second."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path


def tree_signature(folders: Iterable[Path], files: Iterable[Path] = ()) -> str:
    """A digest of the path, size and modification time of every file under ``folders`` and of each
    of ``files``: it changes when a file is added, removed, or written. Missing ones are left out."""
    digest = hashlib.sha256()
    found = [(str(path.parent), path.name) for path in files]
    for folder in folders:
        for top, dirs, names in os.walk(folder):
            dirs.sort()
            found += [(top, name) for name in sorted(names)]
    for top, name in found:
        try:
            info = os.stat(os.path.join(top, name))
        except OSError:
            continue
        digest.update(f"{top}/{name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:32]
