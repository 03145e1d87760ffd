#!/usr/bin/env python3
"""Update the theme catalogs shipped with masthead after the templates changed.

Re-extracts the theme strings (``_()`` in ``src/masthead/templates``) and brings every packaged
catalog ``src/masthead/locales/<lang>/LC_MESSAGES/masthead.po`` up to date: new strings are added
empty, changed strings keep their old translation marked fuzzy (with the previous msgid shown),
removed strings become obsolete entries. No translation is lost.

Run from anywhere::

    .venv/bin/python scripts/update_theme_catalogs.py            # every packaged language
    .venv/bin/python scripts/update_theme_catalogs.py sv fi      # ... and start catalogs for these

Then translate what it reports as untranslated or fuzzy, and remove the fuzzy flags.
The exit status is 1 while some catalog has untranslated or fuzzy entries.
"""

from __future__ import annotations

import sys
from pathlib import Path

from masthead import language
from masthead.catalogs import (
    THEME_DOMAIN,
    TranslationMemory,
    extract_theme,
    read_catalog,
    update_catalog,
    write_catalog,
)

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "src" / "masthead" / "templates"
LOCALES = ROOT / "src" / "masthead" / "locales"


def packaged_languages() -> list[str]:
    """Catalog names (``zh_Hans``) of every language that already has a theme catalog."""
    return sorted(p.parent.parent.name for p in LOCALES.glob(f"*/LC_MESSAGES/{THEME_DOMAIN}.po"))


def main(argv: list[str]) -> int:
    template = extract_theme([TEMPLATES], "masthead")
    ids = [m.id for m in template if m.id]
    print(f"{TEMPLATES.relative_to(ROOT)}: {len(ids)} strings")
    names = dict.fromkeys(packaged_languages())
    for tag in argv:
        names.setdefault(language(tag).catalog_name)
    incomplete = False
    for name in names:
        lang = language(name)
        path = LOCALES / lang.catalog_name / "LC_MESSAGES" / f"{THEME_DOMAIN}.po"
        existing = read_catalog(path, locale=lang.catalog_name) if path.is_file() else None
        catalog, summary = update_catalog(template, existing, lang, TranslationMemory())
        written = write_catalog(path, catalog)
        todo = [m for m in catalog if m.id and (not m.string or m.fuzzy)]
        incomplete |= bool(todo)
        print(
            f"{lang.catalog_name:8} {'written' if written else 'unchanged':9} "
            f"new {summary.added}, fuzzy {summary.fuzzy}, obsolete {summary.obsolete}, "
            f"to translate {len(todo)}"
        )
    return 1 if incomplete else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
