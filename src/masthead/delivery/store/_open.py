"""Opening the store ``[subscribers] database`` names: a SQLite file, or a PostgreSQL database."""

from __future__ import annotations

from pathlib import Path

from ..._config import CONFIG_FILE, Config, setting_line
from ..._errors import DeliveryError
from ._interface import Store


def is_postgresql(config: Config) -> bool:
    return config.subscribers.database.startswith(("postgresql://", "postgres://"))


def database_path(config: Config) -> Path:
    """The SQLite file of the store (for PostgreSQL, a URL: see :func:`open_store`)."""
    return config.root / config.subscribers.database


def open_store(config: Config, *, migrate: bool = True) -> Store:
    """The workspace's store, created and migrated to the current schema unless ``migrate`` is false:
    a SQLite file, or a PostgreSQL database when ``[subscribers] database`` is a ``postgresql://`` URL."""
    if is_postgresql(config):
        try:
            from .postgres import PostgresStore
        except ImportError as exc:  # psycopg, or the libpq it needs, is not installed
            raise DeliveryError(
                f"[subscribers] database is a PostgreSQL URL, but PostgreSQL cannot be reached from "
                f"Python here: {exc}",
                path=config.root / CONFIG_FILE,
                line=setting_line(config, "subscribers", "database"),
                hint="install masthead with its PostgreSQL extra: pip install 'masthead[postgresql]'",
            ) from None
        return PostgresStore.from_config(config, migrate=migrate)
    from .sqlite import SQLiteStore

    return SQLiteStore(database_path(config), migrate=migrate)
