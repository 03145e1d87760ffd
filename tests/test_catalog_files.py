"""Catalog files as GNU gettext reads them: after any update, with the previous source of every changed
message in full, the header as the translator's tool left it, and nothing rewritten for nothing."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from click.testing import CliRunner

from masthead import load_config
from masthead.catalogs import catalog_bytes, read_catalog, write_catalog
from masthead.cli import cli

from .conftest import copy_example, edit, pdf_pages
from .gettext_tools import PARAGRAPH, TITLE, gettext_check, previous_ids_by_gettext, update_cli


def test_a_one_word_edit_leaves_every_catalog_valid_with_the_old_wording_in_full(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "example")
    article = root / "issues" / "winter-2026" / "from-the-director.md"
    edit(article, "the housing office", "the council office")
    edit(article, f"title: {TITLE}", "title: Thirty years on, the kettle is always on")
    catalogs = sorted((root / "locales").glob("*/LC_MESSAGES/winter-2026.po"))
    assert len(catalogs) == 3

    lines = update_cli(root)
    assert len(lines) == 3 and all(": updated; " in line and "2 fuzzy matches" in line for line in lines)
    for path in catalogs:
        gettext_check(path)
        assert sorted(previous_ids_by_gettext(path)) == sorted([PARAGRAPH, TITLE])
        catalog = read_catalog(path)
        changed = catalog.get(PARAGRAPH.replace("housing", "council"))
        assert changed is not None and changed.fuzzy and changed.previous_id == [PARAGRAPH]
        assert changed.string  # the translation of the old wording, kept for the translator
        title = catalog.get("Thirty years on, the kettle is always on")
        assert title is not None and title.fuzzy and title.previous_id == [TITLE]

    written = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in catalogs}
    lines = update_cli(root)
    assert len(lines) == 3 and all(": unchanged; " in line for line in lines)
    assert {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in catalogs} == written

    # The build names, per language it publishes, each message it prints in English, by catalog line.
    result = CliRunner().invoke(cli, ["-C", str(root), "build", "-l", "zh-Hans", "-l", "ar", "-l", "fr"])
    assert result.exit_code == 0, result.output
    assert "fr: skipped, " in result.output  # the example's French is below the threshold
    for tag, name in (("zh-Hans", "zh_Hans"), ("ar", "ar")):
        path = root / "locales" / name / "LC_MESSAGES" / "winter-2026.po"
        lines = path.read_text(encoding="utf-8").split("\n")
        where = sorted(
            number
            for number, line in enumerate(lines, 1)
            if line.startswith("msgid ") and ("council office" in " ".join(lines[number - 1 : number + 3])
                                              or "kettle is always on" in line)
        )  # fmt: skip
        warning = re.search(
            rf"warning: {tag}: 2 messages changed in the source since translated, printed in English until "
            rf'a translator reviews them \(\[catalogs\] changed = "source"\):\n((?:    .*\n)+)',
            result.output,
        )
        assert warning, result.output
        named = re.findall(rf"locales/{name}/LC_MESSAGES/winter-2026\.po:(\d+): ", warning.group(1))
        assert sorted(map(int, named)) == where and len(where) == 2
        pdf = " ".join(pdf_pages(root / "build" / "winter-2026" / tag / f"winter-2026.{tag}.pdf"))
        assert "council" in " ".join(pdf.split())


def test_a_catalog_saved_by_a_translators_tool_keeps_its_header_and_is_not_rewritten_for_nothing(
    tmp_path: Path,
) -> None:
    root = copy_example(tmp_path / "example")
    fr = root / "locales" / "fr" / "LC_MESSAGES" / "winter-2026.po"
    # As a PO editor saves it: unwrapped, its own header fields and their order.
    text = subprocess.run(["msgcat", "--no-wrap", str(fr)], capture_output=True, text=True, check=True).stdout
    text = text.replace('"Last-Translator: Automatically generated\\n"\n', "").replace(
        '"Language: fr\\n"\n',
        '"Language: fr\\n"\n"Last-Translator: Ana Lima <ana@example.org>\\n"\n'
        '"X-Generator: Poedit 3.4.2\\n"\n',
    )
    fr.write_text(text, encoding="utf-8")
    before = (fr.read_bytes(), fr.stat().st_mtime_ns)

    assert any(line.startswith("locales/fr/") and ": unchanged; " in line for line in update_cli(root))
    assert (fr.read_bytes(), fr.stat().st_mtime_ns) == before

    edit(root / "issues" / "winter-2026" / "from-the-director.md", "the housing office", "the council office")
    update_cli(root)
    gettext_check(fr)

    def fields(text: str) -> list[str]:
        return re.findall(r'^"([A-Za-z-]+): ', text.split("\n\n")[0], re.MULTILINE)

    assert fields(fr.read_text(encoding="utf-8")) == fields(text) and "X-Generator" in fields(text)
    revised = re.compile(r'^"(?:PO-Revision-Date|Last-Translator): .*$', re.MULTILINE)
    assert revised.findall(fr.read_text(encoding="utf-8")) == revised.findall(text)
    assert read_catalog(fr).last_translator == "Ana Lima <ana@example.org>"


@pytest.mark.parametrize("width", [0, 12, 40, 79, 200])
def test_any_previous_text_round_trips_at_any_wrap_width(tmp_path: Path, width: int) -> None:
    old = PARAGRAPH + ' She said "welcome"\\ and\ttwice.' + " Then" * 60
    catalog = Catalog(locale="fr", domain="winter-2026", fuzzy=False)
    message = catalog.add("A new text", "Un texte ancien", flags=["fuzzy"], auto_comments=["paragraph"])
    message.previous_id = [old]
    catalog.add(("One copy", "%(n)s copies"), ("Un exemplaire", "%(n)s exemplaires", "%(n)s exemplaires"))
    path = tmp_path / "fr.po"
    assert write_catalog(path, catalog, width=width)
    gettext_check(path)
    assert previous_ids_by_gettext(path) == [old]
    again = read_catalog(path)
    assert again["A new text"].previous_id == [old]
    assert catalog_bytes(again, width) == path.read_bytes()
    assert not write_catalog(path, again, width=width)


def test_previous_text_an_earlier_version_wrapped_as_prose_is_read_back_whole(tmp_path: Path) -> None:
    # What earlier versions of masthead wrote through Babel: '#|' lines wrapped like a paragraph,
    # which gettext cannot read ("end-of-line within string").
    catalog = Catalog(locale="fr", domain="winter-2026", fuzzy=False)
    message = catalog.add(PARAGRAPH.replace("housing", "council"), "La première fois...", flags=["fuzzy"])
    message.previous_id = [PARAGRAPH]
    stream = io.BytesIO()
    write_po(stream, catalog, width=96, include_previous=True)
    path = tmp_path / "fr.po"
    path.write_bytes(stream.getvalue())
    assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True).returncode
    repaired = read_catalog(path)
    assert repaired[PARAGRAPH.replace("housing", "council")].previous_id == [PARAGRAPH]
    write_catalog(path, repaired)
    gettext_check(path)
    assert previous_ids_by_gettext(path) == [PARAGRAPH]


def test_the_example_catalogs_are_as_masthead_writes_them() -> None:
    # An update with nothing changed must leave the committed catalogs alone: they are already in
    # the form masthead writes, so every clone starts without a rewrite.
    root = Path(__file__).resolve().parents[1]
    config = load_config(root)
    for path in sorted(config.locales_dir.glob("*/LC_MESSAGES/*.po")):
        gettext_check(path)
        assert catalog_bytes(read_catalog(path)) == path.read_bytes(), (
            f"run 'masthead catalog update' ({path})"
        )
