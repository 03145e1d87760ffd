"""Files on disk: written atomically, read as UTF-8 with the line of a bad byte named, searched for
the line that wrote something shown in an output, and watched for changes."""

from ._locate import WRITTEN, find_written
from ._read import read_text
from ._tree import tree_signature
from ._write import atomic_stream, write_atomic

__all__ = ["WRITTEN", "atomic_stream", "find_written", "read_text", "tree_signature", "write_atomic"]
