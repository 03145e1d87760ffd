"""The subscriber store in one SQLite file in the workspace."""

from ._schema import MIGRATIONS
from ._store import SQLiteStore

__all__ = ["MIGRATIONS", "SQLiteStore"]
