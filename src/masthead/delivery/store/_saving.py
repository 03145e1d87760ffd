"""What saving a subscriber over the one on file comes to: one decision for every store and import."""

from __future__ import annotations

from ._records import Subscriber


def saved_status(existing: Subscriber, status: str | None, *, resubscribe: bool) -> tuple[str, bool]:
    """The status an address on file gets when saved again, and whether a re-activation was refused.

    An unsubscribed or bounced address is never made active again by an import unless ``resubscribe``
    is set, which only an explicit ``masthead subscribers add`` or a confirmed sign-up does.
    """
    if status is not None and status != existing.status:
        if existing.status == "active" or status != "active" or resubscribe:
            return status, False
        return existing.status, True
    if status is None and resubscribe:
        return "active", False
    return existing.status, False


def saving(
    existing: Subscriber | None, name: str | None, language: str, status: str | None, *, resubscribe: bool
) -> tuple[str, str]:
    """What saving a subscriber over ``existing`` (``None``: none on file) comes to: ``added``,
    ``updated``, ``unchanged`` or ``kept`` (see :func:`saved_status`), and the status to save."""
    if existing is None:
        return "added", status or "active"
    new_status, kept = saved_status(existing, status, resubscribe=resubscribe)
    if (name, language, new_status) == (existing.name, existing.language, existing.status):
        return ("kept" if kept else "unchanged"), new_status
    return "updated", new_status
