"""What a provider has already translated, kept in one small SQLite file so nothing is paid for twice."""

from __future__ import annotations

import datetime
import sqlite3
from pathlib import Path

CACHE_FILE = Path(".masthead-cache") / "translations.sqlite3"


class TranslationCache:
    """Translations keyed by provider, source language, target language and the exact text sent."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS translations (provider TEXT NOT NULL, source TEXT NOT NULL, "
            "target TEXT NOT NULL, text TEXT NOT NULL, translation TEXT NOT NULL, created TEXT NOT NULL, "
            "PRIMARY KEY (provider, source, target, text))"
        )

    def get(self, provider: str, source: str, target: str, text: str) -> str | None:
        row = self._db.execute(
            "SELECT translation FROM translations WHERE provider=? AND source=? AND target=? AND text=?",
            (provider, source, target, text),
        ).fetchone()
        return str(row[0]) if row else None

    def put(self, provider: str, source: str, target: str, text: str, translation: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?, ?)",
            (provider, source, target, text, translation,
             datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")),
        )  # fmt: skip

    def close(self) -> None:
        self._db.close()
