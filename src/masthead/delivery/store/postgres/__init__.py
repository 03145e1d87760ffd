"""The subscriber store in a PostgreSQL database, shared by any number of senders."""

from ._store import PostgresStore

__all__ = ["PostgresStore"]
