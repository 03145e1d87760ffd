"""Text in another language than the edition's: marked with its own lang and dir, and laid out as
that language (an untranslated Arabic edition's English reads left to right, its full stops last)."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest

from masthead import build, language, load_config
from masthead.sources import Origin, Text
from masthead.theme import Islands, inline_markdown

from .conftest import edit, write_workspace
from .translating import updated


@pytest.fixture(scope="module")
def untranslated_arabic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An Arabic edition with nothing translated yet, built anyway."""
    root = write_workspace(tmp_path_factory.mktemp("islands") / "ws")
    edit(root / "masthead.toml", 'languages = ["en"]', 'languages = ["en", "ar"]')
    updated(root)
    report = build(load_config(root), "spring", ["ar"], force=True)
    assert [b.language.tag for b in report.built] == ["ar"]
    return root / "build" / "spring" / "ar"


def test_fallback_blocks_are_marked_english_left_to_right(untranslated_arabic: Path) -> None:
    for name in ("index.html", "email.html"):
        page = (untranslated_arabic / name).read_text(encoding="utf-8")
        assert re.search(r'<html lang="ar" dir="rtl"', page)
        paragraphs = re.findall(r"<p\b[^>]*>The tide came in", page)
        assert len(paragraphs) >= 2, name
        for paragraph in paragraphs:
            assert 'lang="en"' in paragraph and 'dir="ltr"' in paragraph, (name, paragraph)
        about = re.search(r"<p\b([^>]*)>(?:<span[^>]*>)?Harbour Friends keeps", page)
        assert about and 'lang="en" dir="ltr"' in about.group(1), name


def test_english_sentences_end_with_their_full_stop_on_the_right(untranslated_arabic: Path) -> None:
    with pdfplumber.open(untranslated_arabic / "spring.ar.pdf") as pdf:
        endings = 0
        for page in pdf.pages:
            rows: dict[float, list[dict]] = {}  # type: ignore[type-arg]
            for char in page.chars:
                rows.setdefault(round(page.height - char["matrix"][5]), []).append(char)
            for chars in rows.values():
                chars.sort(key=lambda char: char["x0"])
                text = "".join(char["text"] for char in chars).strip()
                if not re.search(r"tide|boats|pier", text):
                    continue
                # Read left to right, an English line never starts with the full stop that ends it.
                assert not text.startswith("."), f"page {page.page_number}: {text!r}"
                endings += text.endswith(("always do.", "to everyone."))
        assert endings >= 3  # each news article's last line, and the back page


def test_runs_in_another_script_and_kept_names_are_islands() -> None:
    en, ar, zh, fr = language("en"), language("ar"), language("zh-Hans"), language("fr")
    where = Origin("issue.yaml", 1)
    arabic = Islands(ar, en, (en, zh, ar), ("Lantern Street",))
    translated = Text("x", "paragraph", where, "افتتح **Lantern Street, Eastbank** عام 1996 (灯笼街).")
    assert inline_markdown(translated, arabic) == (
        'افتتح <strong><span lang="en" dir="ltr">Lantern Street, Eastbank</span></strong> عام 1996 '
        '(<span lang="zh-Hans" dir="ltr">灯笼街</span>).'
    )
    # A translation that kept the English as it was (a quotation) is English.
    kept = Text("Keep the door open.", "quotation", where, "Keep the door open.")
    assert inline_markdown(kept, arabic) == '<span lang="en" dir="ltr">Keep the door open.</span>'
    # A name kept as written, in a language of the same script.
    french = Islands(fr, en, (en, fr), ("Lantern Street",))
    assert inline_markdown(Text("x", "paragraph", where, "Rue Lantern Street."), french) == (
        'Rue <span lang="en" dir="ltr">Lantern Street</span>.'
    )
    # Chinese in the English edition.
    english = Islands(en, en, (en, zh), ())
    assert inline_markdown(Text("The centre (灯笼街).", "paragraph", where), english) == (
        'The centre (<span lang="zh-Hans" dir="ltr">灯笼街</span>).'
    )
