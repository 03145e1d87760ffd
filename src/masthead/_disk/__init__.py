"""Files on disk: written atomically, read as UTF-8 with the line of a bad byte named, and searched for
the line that wrote something shown in an output."""

from ._locate import WRITTEN, find_written
from ._read import read_text
from ._write import atomic_stream, write_atomic

__all__ = ["WRITTEN", "atomic_stream", "find_written", "read_text", "write_atomic"]
