"""What every part of the PostgreSQL store shares: the connection and two ways to read rows."""

from __future__ import annotations

from typing import Any

import psycopg

from .._interface import Store

Row = dict[str, Any]


class PostgresConnection(Store):
    """The base of :class:`~.PostgresStore` and of its parts (:class:`~._sends.PostgresSendLog`,
    :class:`~._returns.PostgresReturns`): they meet on one connection."""

    _conn: psycopg.Connection[Row]

    def _one(self, sql: str, *args: object) -> Row | None:
        return self._conn.execute(sql.encode(), args).fetchone()

    def _all(self, sql: str, *args: object) -> list[Row]:
        return self._conn.execute(sql.encode(), args).fetchall()
