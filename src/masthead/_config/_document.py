"""The settings written out for people, from their declarations: the commented ``masthead.toml`` of a
new workspace and the README's table of every setting."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Mapping
from typing import Any

from ._declare import Setting, settings_of
from ._model import TABLES

README_START = "<!-- settings:start -->"
README_END = "<!-- settings:end -->"

_HEADER = """\
# The settings of this newsletter: every one masthead knows, each under a line saying what it does.
# Lines such as "# key = value" are examples, switched off: remove the "# " to use one.
"""


def toml_value(value: Any) -> str:
    """``value`` written as TOML (inline)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        pairs = (f"{_toml_key(key)} = {toml_value(item)}" for key, item in value.items())
        return "{ " + ", ".join(pairs) + " }"
    raise TypeError(f"no TOML form for {value!r}")


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else toml_value(key)


def commented_settings(values: Mapping[str, Any] | None = None) -> str:
    """A ``masthead.toml`` holding every setting under its help: the required ones set to an example,
    those with a default set to it, the others switched off (commented out) with an example.

    ``values`` replaces examples by ``"table.key"``, such as ``{"newsletter.name": ["Letters"]}``.
    """
    values = values or {}
    blocks = [_HEADER]
    for table, cls in TABLES.items():
        lines = [f"[{table}]"]
        for declared in settings_of(cls):
            example = values.get(f"{table}.{declared.key}", declared.example)
            lines += [f"# {line}" for line in textwrap.wrap(_comment(declared), width=98)]
            if declared.required:
                lines.append(f"{declared.key} = {toml_value(example)}")
            elif declared.has_plain_default:
                lines.append(f"{declared.key} = {toml_value(declared.default)}")
            else:
                lines.append(f"# {declared.key} = {toml_value(example)}")
            lines.append("")
        blocks.append("\n".join(lines))
    return "\n".join(blocks).rstrip("\n") + "\n"


def _comment(declared: Setting) -> str:
    if declared.required:
        return f"{declared.help} Required."
    if declared.derived:
        return f"{declared.help} Default: {declared.derived}."
    return declared.help


def settings_table() -> str:
    """The README's reference of every setting, as Markdown tables, one per TOML table."""
    parts = [
        "<!-- made from the settings' declarations in src/masthead/_config/; "
        "run scripts/update_readme_settings.py after changing them -->"
    ]
    for table, cls in TABLES.items():
        parts.append(f"\n**`[{table}]`**\n")
        parts.append("| setting | default | expects | what it does |")
        parts.append("|---|---|---|---|")
        for declared in settings_of(cls):
            cells = (
                f"`{declared.key}`",
                _default_words(declared),
                _markdown(declared.check.expects),
                _markdown(declared.help),
            )
            parts.append("| " + " | ".join(cells) + " |")
    return "\n".join(parts) + "\n"


def _default_words(declared: Setting) -> str:
    if declared.required:
        return f"required, such as `{toml_value(declared.example)}`"
    if declared.derived:
        return _markdown(declared.derived)
    if declared.has_plain_default:
        return f"`{toml_value(declared.default)}`"
    return f"none; such as `{toml_value(declared.example)}`"


def _markdown(text: str) -> str:
    """Plain text made safe for a Markdown table cell."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def replace_readme_table(readme: str) -> str:
    """``readme`` with the text between the settings markers replaced by :func:`settings_table`."""
    start, end = readme.index(README_START), readme.index(README_END)
    return readme[: start + len(README_START)] + "\n" + settings_table() + readme[end:]
