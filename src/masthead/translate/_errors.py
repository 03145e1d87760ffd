"""The error a translation run raises: what went wrong, and what the user can do about it."""

from __future__ import annotations

from .._errors import MastheadError


class TranslationError(MastheadError):
    """A provider that cannot be used, cannot be reached, or refused the work."""
