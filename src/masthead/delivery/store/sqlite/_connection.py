"""What every part of the SQLite store shares: the connection, the file, and two ways to read one row."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .._interface import Store


class SQLiteConnection(Store):
    """The base of :class:`~.SQLiteStore` and of its parts (:class:`~._sends.SQLiteSendLog`,
    :class:`~._returns.SQLiteReturns`): they meet on one connection."""

    path: Path
    _conn: sqlite3.Connection

    def _one(self, sql: str, *args: object) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self._conn.execute(sql, args).fetchone()
        return row

    def _count(self, sql: str, *args: object) -> int:
        return int(self._conn.execute(sql, args).fetchone()[0])
