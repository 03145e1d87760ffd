"""Counts in the reports delivery writes for a person: ``1 subscriber``, ``2 subscribers``."""

from __future__ import annotations


def plural(count: int, word: str, words: str | None = None) -> str:
    """``1 subscriber``, ``2 subscribers``."""
    return f"{count} {word if count == 1 else words or word + 's'}"
