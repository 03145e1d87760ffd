"""The database failing for a while (a restart, a lost connection, a full disk), as one exception.

Each store says which of its driver's errors mean that (:meth:`~._interface.Store.unavailable`), and
:func:`reports_unavailable` makes every public method of a store class raise
:class:`DatabaseUnavailable` for them: a command stops with one clear message instead of a traceback,
and a campaign knows to wait and reconnect (:meth:`~._interface.Store.reconnect`) rather than give
up. Any other error (a bug, a database that is not masthead's) goes through unchanged.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol, TypeVar

from ..._errors import MastheadError

StoreClass = TypeVar("StoreClass", bound=type)
T = TypeVar("T")

HINT = "check that the database server runs and that the disk it writes to has room, then run it again"


class Reconnectable(Protocol):
    """What of a :class:`~._interface.Store` this module needs (it does not import the interface,
    which imports it)."""

    where: str

    def unavailable(self, error: Exception) -> str | None: ...

    def reconnect(self) -> None: ...


class DatabaseUnavailable(MastheadError):
    """The subscriber database cannot be reached or written now; worth trying again later. Not a
    :class:`~masthead.DeliveryError`: nothing the caller asked for was wrong (the web service answers
    it with a server error, not with a complaint about the reader's input)."""

    def __init__(self, message: str, *, reason: str, path: Path | None = None, hint: str = HINT) -> None:
        super().__init__(message, path=path, hint=hint)
        self.reason = reason
        """What the database driver said, on one line."""


def unavailable_error(store: Reconnectable, error: BaseException) -> DatabaseUnavailable | None:
    """``error`` as :class:`DatabaseUnavailable` if it means that the database is away; else ``None``."""
    if not isinstance(error, Exception) or isinstance(error, MastheadError):
        return None
    said = store.unavailable(error)
    if said is None:
        return None
    reason = " ".join(said.split())
    return DatabaseUnavailable(
        f"the subscriber database {store.where} cannot be reached or written: {reason}", reason=reason
    )


class Recovery(Protocol):
    """What a caller does while the database is away, for :func:`steadily` and the long streams."""

    def lost(self, error: DatabaseUnavailable) -> None:
        """A call failed for want of the database: return when it is worth trying again (after the store
        reconnects), or raise to give up, which the call then raises."""

    def found(self) -> None:
        """A call that had failed went through."""


def steadily(store: Reconnectable, recovery: Recovery | None, query: Callable[[], T]) -> T:
    """``query()``; while it fails for want of the database (and ``recovery`` says to go on), again,
    on a new connection each time."""
    lost = False
    while True:
        try:
            result = query()
        except Exception as error:
            away = error if isinstance(error, DatabaseUnavailable) else unavailable_error(store, error)
            if away is None or recovery is None:
                raise
        else:
            if lost and recovery is not None:
                recovery.found()
            return result
        lost = True
        recovery.lost(away)
        with contextlib.suppress(DatabaseUnavailable):
            store.reconnect()  # if it fails, so does the next try, which is counted as one more


def _plain(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def guarded(self: Reconnectable, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except Exception as error:
            if (away := unavailable_error(self, error)) is None:
                raise
            raise away from None

    return guarded


def _stream(method: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    @functools.wraps(method)
    def guarded(self: Reconnectable, *args: Any, **kwargs: Any) -> Iterator[Any]:
        try:
            yield from method(self, *args, **kwargs)
        except Exception as error:
            if (away := unavailable_error(self, error)) is None:
                raise
            raise away from None

    return guarded


def reports_unavailable(cls: StoreClass) -> StoreClass:
    """Make each public method of the store class ``cls`` (inherited ones too) raise
    :class:`DatabaseUnavailable` for the errors its ``unavailable`` recognises: plain methods,
    streams (generators) and context managers (whose COMMIT fails on leaving the block)."""
    for name in dir(cls):
        if name.startswith("_") or name in ("unavailable", "reconnect"):
            continue
        method = inspect.getattr_static(cls, name)
        if not inspect.isfunction(method):
            continue
        inner = getattr(method, "__wrapped__", None)
        guarded: Callable[..., Any]
        if inner is not None and inspect.isgeneratorfunction(inner):
            guarded = contextlib.contextmanager(_stream(inner))  # made by @contextlib.contextmanager
        elif inspect.isgeneratorfunction(method):
            guarded = _stream(method)
        else:
            guarded = _plain(method)
        setattr(cls, name, guarded)
    return cls
