#!/usr/bin/env python3
"""Rewrite the README's table of settings from the settings' declarations.

The table sits between ``<!-- settings:start -->`` and ``<!-- settings:end -->`` in README.md and is
made from the declarations in ``src/masthead/_config/`` (one module per group of tables); the test
suite fails while the two differ. Run after changing a setting::

    .venv/bin/python scripts/update_readme_settings.py

The exit status is 1 if the README changed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from masthead._config import replace_readme_table

README = Path(__file__).resolve().parent.parent / "README.md"


def main() -> int:
    text = README.read_text(encoding="utf-8")
    updated = replace_readme_table(text)
    if updated == text:
        print("README.md: the settings table is up to date")
        return 0
    README.write_text(updated, encoding="utf-8")
    print("README.md: the settings table was rewritten")
    return 1


if __name__ == "__main__":
    sys.exit(main())
