"""Safe YAML that remembers the line of every key and item, so errors can point at them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .._errors import SourceError


class LineDict(dict[str, Any]):
    """A mapping that knows the line it starts on and the line of each key."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.line = 0
        self.lines: dict[str, int] = {}


class LineList(list[Any]):
    """A sequence that knows the line it starts on and the line of each item."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.line = 0
        self.lines: list[int] = []


# libyaml's parser when PyYAML was built with it: ten times faster, the same safe constructors.
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc]
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in result:
            raise yaml.MarkedYAMLError(problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load_yaml(text: str, path: Path, first_line: int = 1) -> Any:
    """Parse ``text``, which starts at ``first_line`` of ``path``; line numbers are file lines."""
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else None
        problem = exc.problem or "malformed YAML"
        raise SourceError(
            f"malformed YAML: {problem}",
            path=path,
            line=line,
            hint="check the indentation and quote values that contain ': ' or start with a symbol",
        ) from None
    except yaml.YAMLError as exc:
        raise SourceError(f"malformed YAML: {exc}", path=path, line=first_line) from None
    _shift(data, first_line - 1)
    return data


def _shift(data: Any, offset: int) -> None:
    if not offset:
        return
    if isinstance(data, LineDict):
        data.line += offset
        data.lines = {key: line + offset for key, line in data.lines.items()}
        for value in data.values():
            _shift(value, offset)
    elif isinstance(data, LineList):
        data.line += offset
        data.lines = [line + offset for line in data.lines]
        for value in data:
            _shift(value, offset)
