"""How a setting of ``masthead.toml`` is declared: once, on the dataclass field that holds it.

Each field carries a :class:`Setting` in its metadata: the TOML key, the check its value must pass and
what that check expects (in words, for error messages), the default, a help line and an example.
Validation (:mod:`._load`), ``masthead init``'s commented file and the README's table
(:mod:`._document`) are all read off these declarations.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields, replace
from typing import Any, TypeVar

from .._links import address_problem, link_problem

T = TypeVar("T")
_METADATA_KEY = "masthead.setting"


@dataclass(frozen=True)
class Check:
    """What a value must be: a test and, in words, what it expects."""

    test: Callable[[Any], bool]
    expects: str
    explain: Callable[[Any], str] | None = None
    """What to tell someone who wrote this wrong value, when the check can say more than ``expects``
    (the close name they may have meant, the names this machine knows)."""


@dataclass(frozen=True)
class Setting:
    """One option of ``masthead.toml``."""

    check: Check
    help: str
    default: Any
    """The TOML value taken when the key is absent; ``None`` when the setting is off by default."""
    derived: str | None = None
    """For a default computed from other settings: what it is, in words."""
    example: Any = None
    """A value to show in documentation and in a new workspace's settings (commented out there)."""
    required: bool = False
    parse: Callable[[Any], Any] | None = None
    """Turns the TOML value into the attribute's value, when they differ."""
    key: str = ""
    """The key in its TOML table (the attribute's name unless declared otherwise)."""
    attribute: str = ""
    """The dataclass attribute that holds the value."""

    @property
    def has_plain_default(self) -> bool:
        """Whether the default is a value a TOML file can spell (not required, derived or none)."""
        return not self.required and self.derived is None and self.default not in (None, {}, [])


def setting(
    default: T,
    *,
    check: Check,
    help: str,
    example: Any = None,
    derived: str | None = None,
    parse: Callable[[Any], Any] | None = None,
) -> T:
    """A dataclass field that is also a setting; its TOML value is the attribute's value."""
    declared = Setting(check, help, default, derived, example, parse=parse)
    return field(default=default, metadata={_METADATA_KEY: declared})


def resolved(
    *,
    check: Check,
    help: str,
    key: str = "",
    default: Any = None,
    derived: str | None = None,
    example: Any = None,
    required: bool = False,
) -> Any:
    """A dataclass field for a setting that loading resolves (to a language, a path...): it has no
    attribute default, only the TOML default declared here."""
    declared = Setting(check, help, default, derived, example, required, key=key)
    return field(metadata={_METADATA_KEY: declared})


def settings_of(cls: type) -> Iterator[Setting]:
    """The settings declared on dataclass ``cls``, in the order of its fields."""
    for item in fields(cls):
        declared = item.metadata.get(_METADATA_KEY)
        if isinstance(declared, Setting):
            yield replace(declared, key=declared.key or item.name, attribute=item.name)


# -- the checks settings share ------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


TEXT = Check(_is_text, "text")
BOOLEAN = Check(lambda v: isinstance(v, bool), "true or false")
ADDRESS = Check(lambda v: isinstance(v, str) and address_problem(v) is None, "an address")
NAMED_ADDRESS = Check(
    lambda v: isinstance(v, str) and address_problem(v, display_name=True) is None,
    "an address, such as 'News <news@example.org>'",
)
ENV_NAME = Check(
    lambda v: isinstance(v, str) and re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", v) is not None,
    "the name of an environment variable (letters, digits and '_')",
)


def url(expects: str = "an http(s) URL", *, ascii_only: bool = False) -> Check:
    return Check(
        lambda v: (
            isinstance(v, str) and link_problem(v, web_only=True) is None and (v.isascii() or not ascii_only)
        ),
        expects,
    )


def one_of(choices: Iterable[str], *, empty: bool = False) -> Check:
    """One of ``choices`` (or, with ``empty``, the empty string for none)."""
    allowed = tuple(choices)
    if len(allowed) > 3:
        words = "one of " + ", ".join(allowed)
    else:
        quoted = [f"'{choice}'" for choice in allowed]
        words = f"{', '.join(quoted[:-1])} or {quoted[-1]}" if len(quoted) > 1 else quoted[0]
    return Check(lambda v: v in allowed or (empty and v == ""), f"'' or {words}" if empty else words)


def whole(low: int, high: int | None = None, expects: str | None = None) -> Check:
    words = expects or (f"{low} to {high}" if high is not None else f"{low} or more")
    return Check(lambda v: _is_whole(v) and low <= v and (high is None or v <= high), words)


def number(expects: str, *, low: float = 0, above: bool = False, high: float | None = None) -> Check:
    """A number from ``low`` (exclusive with ``above``) up to ``high``."""
    return Check(
        lambda v: _is_number(v) and (v > low if above else v >= low) and (high is None or v <= high),
        expects,
    )


# Retries double their wait up to a minute; past 20 tries a message or a request is not worth holding on to.
ATTEMPTS = whole(1, 20)
RETRY_DELAY = number("seconds, 0 to 60", high=60)
