"""Package attributes imported on first use (PEP 562), so importing a package costs only what is used.

A package lists each public name once, as a re-export (``from .x import Name as Name``): at the top
for what it imports at once, inside ``if TYPE_CHECKING:`` for what it imports when first asked for.
:func:`lazy_attributes` reads that list from the package's own source and gives the package its
``__getattr__``, ``__dir__`` and ``__all__``; type checkers read the same lines.
"""

from __future__ import annotations

import ast
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _exports(tree: ast.Module) -> tuple[dict[str, str], set[str]]:
    """The names imported on first use, by the module they come from, and those imported at once."""
    lazy: dict[str, str] = {}
    eager: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom):
                    origin = "." * statement.level + (statement.module or "")
                    lazy.update((alias.asname or alias.name, origin) for alias in statement.names)
        elif isinstance(node, ast.ImportFrom):
            eager.update(alias.name for alias in node.names if alias.asname == alias.name)
    return lazy, eager


def lazy_attributes(
    package: str, *, also: tuple[str, ...] = ()
) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """``__getattr__``, ``__dir__`` and ``__all__`` for ``package``: its re-exported names (``also``
    adds names it defines itself), those under ``if TYPE_CHECKING:`` each taken from its module when
    first asked for, then kept."""
    module = sys.modules[package]
    source = Path(str(module.__file__)).read_text(encoding="utf-8")
    sources, eager = _exports(ast.parse(source))

    def __getattr__(name: str) -> Any:
        if name not in sources:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(sources[name], package), name)
        setattr(module, name, value)  # later lookups find it without this function
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(module), *sources})

    return __getattr__, __dir__, sorted({*sources, *eager, *also})
