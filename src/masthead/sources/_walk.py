"""Walking the source model: every :class:`Text` inside a value, in reading order."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

from ._model import Text

T = TypeVar("T")


def map_texts(value: T, translate: Callable[[Text], str | None]) -> T:
    """Return ``value`` with ``translation`` set on every :class:`Text` inside it."""
    return _map(value, translate)  # type: ignore[no-any-return]


def _map(value: Any, translate: Callable[[Text], str | None]) -> Any:
    if isinstance(value, Text):
        return dataclasses.replace(value, translation=translate(value))
    if isinstance(value, tuple):
        return tuple(_map(item, translate) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            field.name: _map(getattr(value, field.name), translate) for field in dataclasses.fields(value)
        }
        return dataclasses.replace(value, **changes)
    return value


def texts(value: Any) -> list[Text]:
    """Every :class:`Text` inside ``value``, in reading order."""
    found: list[Text] = []
    _collect(value, found)
    return found


def _collect(value: Any, found: list[Text]) -> None:
    if isinstance(value, Text):
        found.append(value)
    elif isinstance(value, tuple):
        for item in value:
            _collect(item, found)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            _collect(getattr(value, field.name), found)
