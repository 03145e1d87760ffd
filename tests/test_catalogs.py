"""Catalogs: extraction, updates that keep every translation, memory, checks, and language editions."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from click.testing import CliRunner
from pypdf import PdfReader

from masthead import CatalogError, RenderError, build, language, load_config, load_issue
from masthead.catalogs import (
    check_translation,
    extract,
    issue_catalog,
    po_path,
    read_catalog,
    theme_translations,
    write_catalog,
)
from masthead.cli import cli
from masthead.editions import translated_edition
from masthead.render import render_web
from masthead.theme import inline_markdown

from .conftest import edit, pdf_pages
from .translating import fill, issue_of, updated

LANGS = 'languages = ["en", "fr", "ar"]'


@pytest.fixture
def multilingual(workspace: Path) -> Path:
    edit(workspace / "masthead.toml", 'languages = ["en"]', LANGS)
    return workspace


def test_extract_writes_one_message_per_block_with_reference_and_kind(multilingual: Path) -> None:
    config = load_config(multilingual)
    written = dict(extract(config, issue_of(multilingual)))
    pot = read_catalog(multilingual / "locales" / "spring.pot")
    paragraph = next(m for m in pot if str(m.id).startswith("The pier reopened"))
    assert "[map](https://harbour.example.org/map)" in paragraph.id  # inline Markdown stays inside
    assert paragraph.locations == [("issues/spring/lead.md", 12)]
    page = "https://harbour.example.org/news/spring/en/index.html"
    assert paragraph.auto_comments == ["paragraph 1 of “The Pier Reopens” (lead)", f"{page}#lead--1"]
    caption = pot.get("The first pier, built of oak.")
    assert caption is not None
    assert caption.auto_comments == [
        "caption of figure 1 of “Forty Years in Four Pictures” (history)",
        f"{page}#history--3",
    ]
    assert pot.get("Two carpenters from the yard") is not None
    assert pot.get("Harbour Friends") is None  # a name kept as written
    assert pot.get("images/pier.png") is None and pot.get("Ada Quill") is None
    theme = read_catalog(multilingual / "locales" / "masthead.pot")
    assert theme.get("Headlines") is not None
    assert all(written.values())
    # Nothing changed: nothing is rewritten, not even for a new creation date.
    before = (multilingual / "locales" / "spring.pot").stat().st_mtime_ns
    assert not any(dict(extract(config, issue_of(multilingual))).values())
    assert (multilingual / "locales" / "spring.pot").stat().st_mtime_ns == before


def test_update_keeps_translations_marks_changed_fuzzy_and_removed_obsolete(multilingual: Path) -> None:
    updated(multilingual)
    fr = multilingual / "locales" / "fr" / "LC_MESSAGES" / "spring.po"
    fill(fr, lambda msgid: "FR " + msgid)
    issue = multilingual / "issues" / "spring"
    edit(issue / "boats.md", "title: New Boats", "title: Three New Boats")
    edit(issue / "lead.md", "- Two carpenters from the yard\n", "")
    updated(multilingual)
    catalog = read_catalog(fr)
    kept = catalog.get("The Pier Reopens")
    assert kept is not None and kept.string == "FR The Pier Reopens" and not kept.fuzzy
    changed = catalog.get("Three New Boats")
    assert changed is not None and changed.fuzzy
    assert changed.string == "FR New Boats" and changed.previous_id == ["New Boats"]
    assert "Two carpenters from the yard" in catalog.obsolete
    assert catalog.obsolete["Two carpenters from the yard"].string == "FR Two carpenters from the yard"
    text = fr.read_text(encoding="utf-8")
    assert '#| msgid "New Boats"' in text and '#~ msgid "Two carpenters from the yard"' in text
    # A later update with nothing changed leaves the file alone, previous msgid included.
    updated(multilingual)
    assert fr.read_text(encoding="utf-8") == text and "# |" not in text


def test_each_language_keeps_its_own_translation_of_a_changed_message(multilingual: Path) -> None:
    updated(multilingual)
    locales = multilingual / "locales"
    fill(locales / "fr" / "LC_MESSAGES" / "spring.po", lambda msgid: "FR " + msgid)
    fill(locales / "ar" / "LC_MESSAGES" / "spring.po", lambda msgid: "ترجمة " + msgid)
    edit(multilingual / "issues" / "spring" / "boats.md", "title: New Boats", "title: Three New Boats")
    updated(multilingual)  # both languages in one update
    french = read_catalog(locales / "fr" / "LC_MESSAGES" / "spring.po").get("Three New Boats")
    arabic = read_catalog(locales / "ar" / "LC_MESSAGES" / "spring.po").get("Three New Boats")
    assert french is not None and french.fuzzy and french.string == "FR New Boats"
    assert arabic is not None and arabic.fuzzy and arabic.string == "ترجمة New Boats"


def test_translation_memory_fills_identical_messages(multilingual: Path) -> None:
    fr_dir = multilingual / "locales" / "fr" / "LC_MESSAGES"
    earlier = Catalog(locale="fr", domain="autumn")
    earlier.add("Harbour Friends keeps the old pier open to everyone.",
                "Les Amis du port gardent le vieux quai ouvert à tous.")  # fmt: skip
    earlier.add("Mending Net", "Réparer un filet")
    fr_dir.mkdir(parents=True)
    write_catalog(fr_dir / "autumn.po", earlier)
    updated(multilingual)
    catalog = read_catalog(fr_dir / "spring.po")
    reused = catalog.get("Harbour Friends keeps the old pier open to everyone.")
    assert reused is not None and not reused.fuzzy
    assert reused.string == "Les Amis du port gardent le vieux quai ouvert à tous."
    close = catalog.get("Mending Nets")
    assert close is not None and close.fuzzy and close.string == "Réparer un filet"


def test_round_trip_builds_translated_editions(multilingual: Path) -> None:
    updated(multilingual)
    locales = multilingual / "locales"
    fill(locales / "fr" / "LC_MESSAGES" / "spring.po", lambda msgid: "FR " + msgid)
    fill(locales / "ar" / "LC_MESSAGES" / "spring.po", lambda msgid: "ترجمة " + msgid)
    report = build(load_config(multilingual), "spring")
    assert [b.language.tag for b in report.built] == ["en", "fr", "ar"]
    fr_pdf = multilingual / "build" / "spring" / "fr" / "spring.fr.pdf"
    text = " ".join(" ".join(pdf_pages(fr_pdf)).split())
    assert "FR Spring at the Harbour" in text and "FR The Pier Reopens" in text
    assert "À LA UNE" in text.upper()  # the theme's "Headlines", from the packaged French catalog
    assert "1er mars 2026" in text  # dates formatted for the locale, the first as French writes it
    ar_dir = multilingual / "build" / "spring" / "ar"
    page = (ar_dir / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page
    reader = PdfReader(ar_dir / "spring.ar.pdf")
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    arabic = " ".join(page.extract_text() for page in reader.pages)
    assert "ترجمة" in arabic


def test_threshold_skips_a_language_unless_forced(multilingual: Path) -> None:
    updated(multilingual)
    fr = multilingual / "locales" / "fr" / "LC_MESSAGES" / "spring.po"
    half = {m.id for i, m in enumerate(read_catalog(fr)) if m.id and i % 2}
    fill(fr, lambda msgid: "FR " + msgid, only=lambda msgid: msgid in half)
    result = CliRunner().invoke(cli, ["-C", str(multilingual), "build", "-l", "fr"])
    assert result.exit_code == 0
    percent = re.search(r"fr: skipped, ([\d.]+) % translated, below the 80 % threshold", result.output)
    assert percent and 40 <= float(percent.group(1)) <= 60
    assert not (multilingual / "build" / "spring" / "fr").exists()
    result = CliRunner().invoke(cli, ["-C", str(multilingual), "build", "-l", "fr", "--force"])
    assert result.exit_code == 0 and (multilingual / "build" / "spring" / "fr" / "spring.fr.pdf").is_file()


def test_check_finds_broken_link_and_the_build_falls_back(multilingual: Path) -> None:
    updated(multilingual)
    fr = multilingual / "locales" / "fr" / "LC_MESSAGES" / "spring.po"

    def translate(msgid: str) -> str:
        if "[map]" in msgid:
            return "Le quai a rouvert avec une [carte](https://evil.example/map)."
        if msgid == "New Boats":
            return "Nouveaux bateaux %(count)s"
        return "FR " + msgid

    fill(fr, translate)
    result = CliRunner().invoke(cli, ["-C", str(multilingual), "catalog", "check"])
    assert result.exit_code == 1
    assert "links: missing https://harbour.example.org/map; unexpected https://evil.example/map" in (
        result.output
    )
    assert "placeholders: unexpected %(count)s" in result.output
    assert re.search(r"locales/fr/LC_MESSAGES/spring\.po:\d+:", result.output)
    result = CliRunner().invoke(cli, ["-C", str(multilingual), "build", "-l", "fr"])
    assert "translation falls back to the source text" in result.output
    text = " ".join(" ".join(pdf_pages(multilingual / "build/spring/fr/spring.fr.pdf")).split())
    assert "The pier reopened on a bright Saturday morning" in text  # the source, not the bad link
    assert "evil.example" not in text and "FR The Pier Reopens" in text


def test_po_syntax_error_is_reported_with_its_line(multilingual: Path) -> None:
    updated(multilingual)
    fr = multilingual / "locales" / "fr" / "LC_MESSAGES" / "spring.po"
    lines = fr.read_text(encoding="utf-8").splitlines()
    target = next(i for i, line in enumerate(lines) if line == 'msgid "The Pier Reopens"')
    lines[target + 1] = 'msgstr "Le quai rouvre'
    fr.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        read_catalog(fr)
    assert caught.value.line == target + 2
    result = CliRunner().invoke(cli, ["-C", str(multilingual), "catalog", "check"])
    assert result.exit_code == 1 and f"spring.po:{target + 2}: syntax error" in result.output


def test_glyph_preflight_names_characters_without_a_font(multilingual: Path) -> None:
    updated(multilingual)
    fill(multilingual / "locales" / "fr" / "LC_MESSAGES" / "spring.po",
         lambda msgid: msgid + (" \ue000" if msgid == "The Pier Reopens" else ""))  # fmt: skip
    with pytest.raises(RenderError, match="U\\+E000") as caught:
        build(load_config(multilingual), "spring", ["fr"])
    assert "empty boxes" in caught.value.format()
    # The error names the catalog line that holds the character.
    po = multilingual / "locales" / "fr" / "LC_MESSAGES" / "spring.po"
    assert caught.value.path == po
    assert caught.value.line == next(
        number for number, line in enumerate(po.read_text().splitlines(), 1) if "\ue000" in line
    )
    assert not (multilingual / "build" / "spring" / "fr" / "spring.fr.pdf").exists()


def test_stats_counts_per_language_and_catalog(multilingual: Path) -> None:
    updated(multilingual)
    fill(multilingual / "locales" / "fr" / "LC_MESSAGES" / "spring.po", lambda msgid: "FR " + msgid)
    result = CliRunner().invoke(cli, ["-C", str(multilingual), "catalog", "stats", "--json"])
    rows = {(row["language"], row["domain"]): row for row in json.loads(result.output)}
    assert rows["fr", "spring"]["percent"] == 100.0 and rows["fr", "spring"]["untranslated"] == 0
    assert rows["ar", "spring"]["translated"] == 0
    assert rows["ar", "masthead"]["translated"] > 0  # the packaged theme catalog
    config = load_config(multilingual)
    assert po_path(config.locales_dir, config.language("fr"), "spring").is_file()


def test_translation_memory_cache_follows_changed_catalogs(tmp_path: Path) -> None:
    from masthead.catalogs import TranslationMemory

    earlier = tmp_path / "autumn.po"
    catalog = Catalog(locale="fr", domain="autumn")
    catalog.add("Opening hours", "Horaires d'ouverture")
    write_catalog(earlier, catalog)
    cache = tmp_path / "memory.sqlite3"
    first = TranslationMemory.from_catalogs([earlier], "fr", cache=cache)
    assert first.exact == {"Opening hours": "Horaires d'ouverture"}
    catalog = read_catalog(earlier)
    catalog["Opening hours"].string = "Heures d'ouverture"
    catalog.add("Closed on Sundays", "Fermé le dimanche")
    write_catalog(earlier, catalog)
    second = TranslationMemory.from_catalogs([earlier], "fr", cache=cache)
    assert second.exact == {"Opening hours": "Heures d'ouverture", "Closed on Sundays": "Fermé le dimanche"}


def test_workspace_theme_catalog_overrides_the_packaged_one(multilingual: Path) -> None:
    updated(multilingual)
    fill(multilingual / "locales" / "fr" / "LC_MESSAGES" / "spring.po", lambda msgid: "FR " + msgid)
    theme = Catalog(locale="fr", domain="masthead")
    theme.add("Headlines", "Les grands titres")
    write_catalog(multilingual / "locales" / "fr" / "LC_MESSAGES" / "masthead.po", theme)
    config = load_config(multilingual)
    fr = language("fr")
    edition = translated_edition(
        issue_of(multilingual), fr, issue_catalog(config, issue_of(multilingual), fr)
    )
    page = render_web(edition, config, theme_translations(config, fr))
    assert "Les grands titres" in page and "À la une" not in page
    # Everything else still comes from the packaged catalog.
    assert theme_translations(load_config(multilingual), language("fr")).gettext("Website") == "Site web"


def test_written_catalogs_pass_msgfmt_check_and_keep_the_translator(multilingual: Path) -> None:
    updated(multilingual)
    fr = multilingual / "locales" / "fr" / "LC_MESSAGES" / "spring.po"
    checked = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(fr)], capture_output=True, text=True)
    assert (checked.returncode, checked.stderr) == (0, "")
    catalog = read_catalog(fr)
    assert catalog.last_translator == "Automatically generated"
    assert isinstance(catalog.revision_date, datetime)
    # A translator's PO editor sets both; masthead keeps them through updates and machine translation.
    edit(fr, "Last-Translator: Automatically generated", "Last-Translator: Ana Lima <ana@example.org>")
    revised = re.sub(r"PO-Revision-Date: [^\\]+", "PO-Revision-Date: 2026-02-14 09:30+0100", fr.read_text())
    fr.write_text(revised, encoding="utf-8")
    edit(multilingual / "issues" / "spring" / "boats.md", "title: New Boats", "title: Three New Boats")
    updated(multilingual)
    text = fr.read_text(encoding="utf-8")
    assert "Three New Boats" in text
    assert '"Last-Translator: Ana Lima <ana@example.org>\\n"' in text
    assert '"PO-Revision-Date: 2026-02-14 09:30+0100\\n"' in text


def test_a_translation_cannot_add_an_image() -> None:
    problems = check_translation("The pier reopened.", "Le quai a rouvert ![](http://127.0.0.1:9/pixel.png).")
    assert problems == ["images: unexpected http://127.0.0.1:9/pixel.png"]
    # Were it published anyway, it would be a link, never an image that loads its URL.
    assert "<img" not in inline_markdown("Le quai ![x](http://127.0.0.1:9/pixel.png)")


def test_the_example_templates_hold_every_message_of_the_issue_and_the_theme() -> None:
    # Translators start from locales/*.pot: a template behind the issue or the theme would leave
    # new texts (the footer's, the service's pages') out of every new catalog.
    from masthead.catalogs import PACKAGED_TEMPLATES, extract_issue, extract_theme, read_catalog, web_page
    from masthead.sources import find_issue

    root = Path(__file__).resolve().parents[1]
    config = load_config(root)
    issue = load_issue(find_issue(config.issues_dir, None), root=config.root)
    for made in (
        extract_issue(issue, config.name, web_page(config, issue)),
        extract_theme([config.templates_dir, PACKAGED_TEMPLATES], config.name),
    ):
        committed = read_catalog(config.locales_dir / f"{made.domain}.pot")
        missing = {m.id for m in made if m.id} - {m.id for m in committed if m.id}
        stale = {m.id for m in committed if m.id} - {m.id for m in made if m.id}
        assert (missing, stale) == (set(), set()), f"run 'masthead catalog extract' for {made.domain}.pot"
        # ... with where each message appears, as the extraction says it now.
        context = {m.id: (m.auto_comments, sorted(m.locations)) for m in made if m.id}
        assert {m.id: (m.auto_comments, sorted(m.locations)) for m in committed if m.id} == context, (
            f"run 'masthead catalog extract' for {made.domain}.pot"
        )


def test_a_changed_message_is_listed_everywhere_and_printed_as_the_settings_say(multilingual: Path) -> None:
    updated(multilingual)
    fr = multilingual / "locales" / "fr" / "LC_MESSAGES" / "spring.po"
    fill(fr, lambda msgid: "FR " + msgid)
    edit(multilingual / "issues" / "spring" / "boats.md", "title: New Boats", "title: Three New Boats")
    updated(multilingual)
    line = fr.read_text(encoding="utf-8").split("\n").index('msgid "Three New Boats"') + 1
    located = f"locales/fr/LC_MESSAGES/spring.po:{line}: Three New Boats"

    stats = CliRunner().invoke(cli, ["-C", str(multilingual), "catalog", "stats", "-l", "fr"])
    assert "fr: 1 message changed in the source since translated, printed in English" in stats.output
    assert f"\n    {located}\n" in stats.output
    rows = json.loads(CliRunner().invoke(cli, ["-C", str(multilingual), "catalog", "stats", "--json"]).output)
    changed = next(row["changed"] for row in rows if (row["language"], row["domain"]) == ("fr", "spring"))
    assert changed == [{"file": "locales/fr/LC_MESSAGES/spring.po", "line": line, "msgid": "Three New Boats",
                        "previous": "New Boats"}]  # fmt: skip
    doctor = CliRunner().invoke(cli, ["-C", str(multilingual), "doctor"])
    assert "warn Changed messages: fr: 1 message changed in the source since translated" in doctor.output
    assert located in doctor.output

    # Until the translator reviews it, the previous translation may be printed instead: the build says so.
    with (multilingual / "masthead.toml").open("a", encoding="utf-8") as settings:
        settings.write('\n[catalogs]\nchanged = "previous"\n')
    result = CliRunner().invoke(cli, ["-C", str(multilingual), "build", "-l", "fr"])
    assert result.exit_code == 0, result.output
    assert (
        "warning: fr: 1 message changed in the source since translated, printed in their previous "
        f'translation until a translator reviews it ([catalogs] changed = "previous"):\n    {located}\n'
    ) in result.output
    text = " ".join(" ".join(pdf_pages(multilingual / "build/spring/fr/spring.fr.pdf")).split())
    assert "FR New Boats" in text and "Three New Boats" not in text


def theme_catalog(path: Path, locale: str, entries: dict[str, str]) -> dict[str, int]:
    """A workspace theme catalog holding ``entries``; the line of each msgid."""
    catalog = Catalog(locale=locale, domain="masthead", fuzzy=False)
    for msgid, msgstr in entries.items():
        catalog.add(msgid, msgstr)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_catalog(path, catalog)
    lines = path.read_text(encoding="utf-8").split("\n")
    return {msgid: lines.index(f'msgid "{msgid}"') + 1 for msgid in entries}


def test_a_broken_theme_translation_falls_back_with_its_line_and_never_a_traceback(
    multilingual: Path,
) -> None:
    updated(multilingual)
    fill(multilingual / "locales" / "fr" / "LC_MESSAGES" / "spring.po", lambda msgid: "FR " + msgid)
    theme = multilingual / "locales" / "fr" / "LC_MESSAGES" / "masthead.po"
    line = theme_catalog(theme, "fr", {
        "No. %(number)s": "Numéro %(number)",  # a placeholder cut short
        "By %(name)s": "Par %(nom)s",  # a placeholder renamed
        "Headlines": '<img src=x onerror="alert(1)"><script>alert(1)</script>Les titres',
        "Photo:": "Photo 100 % :",  # a percent sign the templates would take for a placeholder
        "Read the full article": 'Lire "tout"',  # a quote that would end an attribute
        "Source:": "Origine :",  # a good one, used
    })  # fmt: skip
    result = CliRunner().invoke(cli, ["-C", str(multilingual), "build", "-l", "fr"])
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    for msgid, problem in (
        ("No. %(number)s", "placeholders: missing %(number)s"),
        ("By %(name)s", "placeholders: missing %(name)s; unexpected %(nom)s"),
        ("Headlines", "markup the source does not have"),
        ("Photo:", "cannot be filled in"),
        ("Read the full article", "a straight double quote"),
    ):
        assert (
            f"warning: fr: locales/fr/LC_MESSAGES/masthead.po:{line[msgid]}: theme string falls back to the "
            f"shipped translation: {problem}"
        ) in result.output
    assert "masthead.po:{}:".format(line["Source:"]) not in result.output
    text = " ".join(" ".join(pdf_pages(multilingual / "build/spring/fr/spring.fr.pdf")).split())
    assert "N° 7" in text and "Par Ada Quill" in text and "Origine :" in text  # shipped, shipped, own
    assert "À LA UNE" in text.upper() and "Numéro" not in text and "%(" not in text
    page = (multilingual / "build/spring/fr/index.html").read_text(encoding="utf-8")
    assert "onerror" not in page and "<script>alert" not in page and "Les titres" not in page

    # A language the theme does not ship falls back to the source text; catalog check lists them all.
    (multilingual / "masthead.toml").write_text(
        (multilingual / "masthead.toml").read_text().replace(LANGS, 'languages = ["en", "fr", "kk"]')
    )
    kk = theme_catalog(multilingual / "locales/kk/LC_MESSAGES/masthead.po", "kk",
                       {"No. %(number)s": "№ %(number)", "Website": "Веб-сайт"})  # fmt: skip
    config = load_config(multilingual)
    strings = theme_translations(config, language("kk"))
    assert strings.gettext("No. %(number)s") == "No. %(number)s" and strings.gettext("Website") == "Веб-сайт"
    checked = CliRunner().invoke(cli, ["-C", str(multilingual), "catalog", "check"])
    assert checked.exit_code == 1
    assert f"locales/kk/LC_MESSAGES/masthead.po:{kk['No. %(number)s']}: placeholders" in checked.output
    assert f"locales/fr/LC_MESSAGES/masthead.po:{line['Headlines']}: markup" in checked.output


def test_raw_html_in_a_translation_is_flagged_with_its_line_and_never_published(multilingual: Path) -> None:
    updated(multilingual)
    fr = multilingual / "locales" / "fr" / "LC_MESSAGES" / "spring.po"
    fill(fr, lambda msgid: "FR " + msgid + (' <img src=x onerror="alert(1)"><script>x</script>'
                                            if msgid == "Mending Nets" else ""))  # fmt: skip
    line = fr.read_text(encoding="utf-8").split("\n").index('msgid "Mending Nets"') + 1
    result = CliRunner().invoke(cli, ["-C", str(multilingual), "catalog", "check", "-l", "fr"])
    assert result.exit_code == 1
    assert (
        f"locales/fr/LC_MESSAGES/spring.po:{line}: markup the source does not have (HTML is never "
        'published as such): </script>, <img src=x onerror="alert(1)">, <script>'
    ) in result.output
    issue = issue_of(multilingual)
    catalog = issue_catalog(load_config(multilingual), issue, language("fr"))
    edition = translated_edition(issue, language("fr"), catalog)
    titles = [str(article.title) for section in edition.issue.sections for article in section.articles]
    assert "Mending Nets" in titles and "FR New Boats" in titles  # the source in its place


def test_a_language_the_theme_does_not_ship_is_named_and_started_with_catalog_init(workspace: Path) -> None:
    from masthead.catalogs import PACKAGED_LOCALES

    # Thai may or may not ship with the theme; one of these never does, for the warning.
    bare = next(tag for tag in ("kk", "yo", "hy", "mn") if not (PACKAGED_LOCALES / tag).exists())
    name = language(bare).locale.get_display_name("en")
    edit(workspace / "masthead.toml", 'languages = ["en"]', f'languages = ["en", "th", "{bare}"]')
    warning = (
        f"{bare}: the theme has no catalog in {name}, so its labels (Headlines, By, Photo:...) print in "
        f"English; start one with 'masthead catalog init {bare}'"
    )
    doctor = CliRunner().invoke(cli, ["-C", str(workspace), "doctor"])
    assert f"warn Theme catalog {bare}: {warning}" in doctor.output

    result = CliRunner().invoke(cli, ["-C", str(workspace), "catalog", "init", "th"])
    assert result.exit_code == 0, result.output
    th = workspace / "locales" / "th" / "LC_MESSAGES" / "masthead.po"
    assert result.output.startswith("locales/th/LC_MESSAGES/masthead.po: created from locales/masthead.pot; ")
    assert "Plural-Forms: nplurals=1; plural=0;" in result.output
    checked = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(th)], capture_output=True, text=True)
    assert (checked.returncode, checked.stderr) == (0, "")
    catalog = read_catalog(th)
    assert catalog.num_plurals == 1 and str(catalog.locale) == "th"
    template = read_catalog(workspace / "locales" / "masthead.pot")
    assert {m.id for m in catalog if m.id} == {m.id for m in template if m.id} and catalog.get("Headlines")
    assert all(not m.string for m in catalog if m.id)
    labels = {"Headlines": "พาดหัวข่าว", "By %(name)s": "เขียนโดย %(name)s", "Photo:": "ภาพ:"}
    fill(th, lambda msgid: labels[msgid], only=lambda msgid: msgid in labels)
    again = CliRunner().invoke(cli, ["-C", str(workspace), "catalog", "init", "th"])
    assert again.output.startswith("locales/th/LC_MESSAGES/masthead.po: unchanged")  # nothing lost

    result = CliRunner().invoke(cli, ["-C", str(workspace), "build", "-l", "th", "-l", bare, "--force"])
    assert result.exit_code == 0, result.output
    assert f"warning: {warning}" in result.output and "th: the theme has no" not in result.output
    page = (workspace / "build" / "spring" / "th" / "index.html").read_text(encoding="utf-8")
    words = re.sub(r"<[^>]+>", "", page)  # a name in another script is marked with its own language
    assert "พาดหัวข่าว" in words and "เขียนโดย Ada Quill" in words
    text = "".join("".join(pdf_pages(workspace / "build/spring/th/spring.th.pdf")).split())
    assert "พาดหัวข่าว" in text and "ภาพ:" in text


def test_every_message_says_where_it_appears_and_links_to_that_place_in_the_web_edition() -> None:
    from html.parser import HTMLParser

    from masthead.catalogs import extract_issue, web_page
    from masthead.editions import source_edition
    from masthead.sources import find_issue

    class Ids(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.ids: list[str] = []
            self.text: dict[str, list[str]] = {}
            self.open: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found = dict(attrs).get("id")
            if found:
                self.ids.append(found)
                self.text[found] = []
            self.open.append(found or "")

        def handle_endtag(self, tag: str) -> None:
            if self.open:
                self.open.pop()

        def handle_data(self, data: str) -> None:
            for opened in self.open:
                if opened:
                    self.text[opened].append(data)

    config = load_config(Path(__file__).resolve().parents[1])  # the example
    issue = load_issue(find_issue(config.issues_dir, None), root=config.root)
    page_url = web_page(config, issue)
    assert page_url == "https://lanternstreet.example.org/news/winter-2026/en/index.html"
    template = extract_issue(issue, config.name, page_url)
    page = render_web(source_edition(issue, config.source_language), config)
    parser = Ids()
    parser.feed(page)
    assert len(parser.ids) == len(set(parser.ids))  # every id once
    messages = [m for m in template if m.id]
    assert len(messages) > 150
    for message in messages:
        links = [c for c in message.auto_comments if c.startswith(page_url + "#")]
        places = [c for c in message.auto_comments if not c.startswith("https://")]
        assert links and len(links) == len(places), message.id
        for link in links:
            anchor = link.partition("#")[2]
            assert anchor in parser.ids, (anchor, message.id)
    paragraph = next(m for m in messages if str(m.id).startswith("When I first walked into 41 Lantern"))
    assert paragraph.auto_comments == [
        "paragraph 2 of “Thirty years on, the kettle is still on” (from-the-director)",
        f"{page_url}#from-the-director--2",
    ]
    shown = " ".join("".join(parser.text["from-the-director--2"]).split())
    assert shown.startswith("When I first walked into 41 Lantern Street")
    captions = [c for m in messages for c in m.auto_comments if c.startswith("caption of figure 2 of ")]
    assert captions and all("(timeline)" in c for c in captions)
