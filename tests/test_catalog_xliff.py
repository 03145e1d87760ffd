"""Catalogs handed to a translation agency as XLIFF and taken back (Translate Toolkit's po2xliff and
xliff2po, then masthead catalog merge): nothing of the catalog is lost on the way, and the agency's work
comes in with its state."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from click.testing import CliRunner

from masthead import language
from masthead.catalogs import read_catalog, write_catalog
from masthead.cli import cli

from .conftest import copy_example, edit
from .gettext_tools import PARAGRAPH, gettext_check, update_cli

XLIFF = "urn:oasis:names:tc:xliff:document:1.1"


def tool(name: str, *args: Path) -> None:
    """A Translate Toolkit command, as installed beside this Python."""
    program = Path(sys.executable).parent / name
    subprocess.run([str(program), *map(str, args)], capture_output=True, check=True)


def content(path: Path) -> tuple[dict[Any, Any], dict[Any, Any]]:
    """What a catalog says, message by message: the live ones in full, the obsolete ones' texts."""
    catalog = read_catalog(path)
    live = {
        (m.id if isinstance(m.id, str) else tuple(m.id), m.context): (
            m.string, sorted(m.flags), m.previous_id, m.auto_comments, m.user_comments, sorted(m.locations)
        )
        for m in catalog
        if m.id
    }  # fmt: skip
    return live, {key: m.string for key, m in catalog.obsolete.items()}


def merge(root: Path, returned: Path, tag: str) -> str:
    result = CliRunner().invoke(cli, ["-C", str(root), "catalog", "merge", str(returned), "-l", tag])
    assert result.exit_code == 0, result.output
    return result.output


def test_every_example_catalog_goes_to_xliff_and_back_without_losing_anything(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "example")
    changed = PARAGRAPH.replace("housing", "council")
    edit(root / "issues" / "winter-2026" / "from-the-director.md", "the housing office", "the council office")
    update_cli(root)  # a fuzzy entry with its previous source in every catalog
    fr = root / "locales" / "fr" / "LC_MESSAGES" / "winter-2026.po"
    catalog = read_catalog(fr)
    catalog["Dear neighbours,"].user_comments.append("Nadia prefers the inclusive form.")
    catalog["Dear neighbours,"].flags.add("no-wrap")
    catalog.add("Spring", "Printemps", context="season", auto_comments=["the season, not a well"])
    write_catalog(fr, catalog)

    catalogs = sorted((root / "locales").glob("*/LC_MESSAGES/*.po"))
    assert [path.parent.parent.name for path in catalogs] == ["ar", "fr", "zh_Hans"]
    for path in catalogs:
        tag = language(path.parent.parent.name).tag
        before, data = content(path), path.read_bytes()
        xliff = tmp_path / f"winter-2026.{tag}.xlf"
        tool("po2xliff", path, xliff)
        # What the agency's tool shows: the previous source of the changed text, where each text
        # appears and its link in the web edition.
        sent = xliff.read_text(encoding="utf-8")
        assert '<alt-trans xml:space="preserve" origin="previous"><source>' + PARAGRAPH in sent
        assert "paragraph 2 of “Thirty years on, the kettle is still on” (from-the-director)" in sent
        assert "https://lanternstreet.example.org/news/winter-2026/en/index.html#from-the-director--2" in sent

        returned = tmp_path / f"returned.{tag}.po"
        tool("xliff2po", xliff, returned)
        output = merge(root, returned, tag)
        assert output.startswith(
            f"locales/{path.parent.parent.name}/LC_MESSAGES/winter-2026.po: unchanged; 0 "
        )
        assert content(path) == before and path.read_bytes() == data

    # The agency reviews the changed paragraph: its translation comes in reviewed, and nothing else moves.
    xliff = tmp_path / "winter-2026.fr.xlf"
    ET.register_namespace("", XLIFF)
    tree = ET.parse(xliff)
    units = tree.getroot().iter(f"{{{XLIFF}}}trans-unit")
    unit = next(u for u in units if u.findtext(f"{{{XLIFF}}}source") == changed)
    target = unit.find(f"{{{XLIFF}}}target")
    assert target is not None and target.get("state") == "needs-translation"
    target.text = "La première fois que j’ai poussé la porte... une lettre de la mairie..."
    target.set("state", "translated")
    unit.set("approved", "yes")
    tree.write(xliff, encoding="utf-8", xml_declaration=True)
    tool("xliff2po", xliff, tmp_path / "reviewed.fr.po")
    before = content(fr)
    output = merge(root, tmp_path / "reviewed.fr.po", "fr")
    assert (
        "locales/fr/LC_MESSAGES/winter-2026.po: updated; 1 translations taken in, 1 of them reviewed"
        in output
    )
    gettext_check(fr)
    after = content(fr)
    key = (changed, None)
    _, flags, previous, *rest = before[0][key]
    assert "fuzzy" in flags and previous == [PARAGRAPH]
    assert after[0][key] == (target.text, [f for f in flags if f != "fuzzy"], [], *rest)
    assert {k: v for k, v in after[0].items() if k != key} == {k: v for k, v in before[0].items() if k != key}
    assert after[1] == before[1]
    assert after[0]["Spring", "season"][0] == "Printemps"  # found by its text: XLIFF keeps no context


def test_an_empty_returned_translation_never_replaces_one(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "example")
    fr = root / "locales" / "fr" / "LC_MESSAGES" / "winter-2026.po"
    returned = Catalog(locale="fr", fuzzy=False)
    returned.add("Dear neighbours,", "")
    returned.add("Thirty years on, the kettle is still on", "Trente ans plus tard", flags=["fuzzy"])
    write_catalog(tmp_path / "returned.po", returned)
    output = merge(root, tmp_path / "returned.po", "fr")
    assert "1 translations taken in, 0 of them reviewed" in output
    catalog = read_catalog(fr)
    assert catalog["Dear neighbours,"].string == "Chères voisines, chers voisins,"
    title = catalog["Thirty years on, the kettle is still on"]
    assert title.string == "Trente ans plus tard" and title.fuzzy
