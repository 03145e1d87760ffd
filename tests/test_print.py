"""The print edition, judged by what comes out of the PDF."""

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

import masthead
from masthead import build, load_config, load_issue
from masthead.editions import source_edition
from masthead.render import render_print

from .conftest import pdf_pages


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from .conftest import write_workspace

    root = write_workspace(tmp_path_factory.mktemp("print") / "ws")
    build(load_config(root), "spring")
    return root / "build" / "spring" / "en" / "spring.en.pdf"


def test_pdf_has_titles_and_metadata(built: Path) -> None:
    pages = pdf_pages(built)
    text = "\n".join(pages)
    for title in (
        "Spring at the Harbour",
        "The Pier Reopens",
        "Forty Years in Four Pictures",
        "New Boats",
        "Mending Nets",
        "The first pier, built of oak.",
    ):
        assert title in text
    assert "Source: Harbour Gazette, 1 March 2026" in re.sub(r"\s+", " ", text)
    reader = PdfReader(built)
    assert reader.metadata is not None
    assert reader.metadata.title == "Harbour Notes No. 7: Spring at the Harbour"
    assert reader.metadata.author == "Harbour Friends"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.1)  # A4


def test_headlines_give_the_page_each_article_starts_on(built: Path) -> None:
    pages = pdf_pages(built)
    cover = pages[0]
    listed = dict(re.findall(r"(The Pier Reopens|Three boats join the fleet|Mending Nets)\s+(\d+)", cover))
    assert set(listed) == {"The Pier Reopens", "Three boats join the fleet", "Mending Nets"}
    # An entry in words of its own gives the page of the article it points at.
    titles = {"Three boats join the fleet": "New Boats"}
    for entry, number in listed.items():
        title = titles.get(entry, entry)
        start = next(i for i, page in enumerate(pages[1:], start=2) if title in page)
        assert int(number) == start, title
    assert "New Boats" not in cover
    # Running footer: page numbers on inner pages.
    assert re.search(r"\b3\s*$", pages[2].strip())


def test_cover_laid_out_once_prints_what_the_whole_layout_prints(built: Path, tmp_path: Path) -> None:
    """The writer lays the cover out once, after the pages it points to, with the pages found given
    to its links (data-page). A theme that does not print data-page gets the cover laid out with the
    rest, its numbers from target-counter: both print the same pages, and link to the same ones."""
    from masthead.render import PAGE_ATTRIBUTE

    from .conftest import write_workspace

    root = write_workspace(tmp_path / "ws")
    (root / "templates").mkdir()
    theme = (Path(masthead.__file__).parent / "templates" / "print.css").read_text(encoding="utf-8")
    rule = next(line for line in theme.splitlines() if f"attr({PAGE_ATTRIBUTE})" in line)
    (root / "templates" / "print.css").write_text(theme.replace(rule, ""), encoding="utf-8")
    whole = build(load_config(root), "spring").built[0].pdf
    assert pdf_pages(whole) == pdf_pages(built)
    assert pictures(whole, tmp_path / "whole") == pictures(built, tmp_path / "once")
    assert cover_links(whole) == cover_links(built)
    # Each Headlines entry links to the page its article starts on, the number printed beside it.
    listed = re.findall(
        r"(?:The Pier Reopens|Three boats join the fleet|Mending Nets)\s+(\d+)", pdf_pages(built)[0]
    )
    assert len(listed) == 3
    assert cover_links(built) == sorted(int(number) for number in listed)


def pictures(pdf: Path, stem: Path) -> list[bytes]:
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(stem)], check=True)
    return [path.read_bytes() for path in sorted(stem.parent.glob(f"{stem.name}-*.png"))]


def cover_links(pdf: Path) -> list[int]:
    """The pages (from 1) the in-document links on the cover lead to (a link is an area per line)."""
    reader = PdfReader(pdf)
    targets = set()
    for annotation in reader.pages[0].get("/Annots") or []:
        name = annotation.get_object().get("/Dest")  # WeasyPrint names its destinations
        if name is not None:
            targets.add(reader.get_destination_page_number(reader.named_destinations[str(name)]) + 1)
    return sorted(targets)


def test_every_font_is_embedded(built: Path) -> None:
    listing = subprocess.run(["pdffonts", str(built)], capture_output=True, text=True, check=True)
    rows = listing.stdout.splitlines()[2:]
    assert rows, "no fonts"
    assert all(row.split()[-5] == "yes" for row in rows), listing.stdout
    # Subset: only the glyphs the edition uses travel with it (a whole CJK font is 20 MB).
    assert all(row.split()[-4] == "yes" for row in rows), listing.stdout
    assert any("CJK" in row for row in rows)  # the masthead's second name


def test_same_inputs_give_the_same_bytes(built: Path, tmp_path: Path) -> None:
    root = built.parents[3]
    config = load_config(root)
    again = build(config, "spring", force=True).built[0].pdf
    assert again.read_bytes() == built.read_bytes()


def test_workspace_templates_override_the_theme(tmp_path: Path) -> None:
    from .conftest import write_workspace

    root = write_workspace(tmp_path / "ws")
    (root / "templates").mkdir()
    (root / "templates" / "custom.css").write_text(
        '.cover-title h1::after { content: " (proof copy)"; }', encoding="utf-8"
    )
    # The print HTML carries the workspace's rule after the theme's, so it wins: no PDF needed.
    config = load_config(root)
    issue = load_issue(root / "issues" / "spring", root=root)
    page = render_print(source_edition(issue, config.source_language), config)
    style = page[page.index("<style>") : page.index("</style>")]
    assert style.rindex('.cover-title h1::after { content: " (proof copy)"; }') > style.index(".cover-title")


def test_bleed_and_crop_marks_from_settings(tmp_path: Path) -> None:
    from .conftest import write_workspace

    root = write_workspace(tmp_path / "ws")
    with (root / "masthead.toml").open("a") as stream:
        stream.write('\n[print]\nbleed = "3mm"\ncrop_marks = true\n')
    pdf = build(load_config(root), "spring").built[0].pdf
    page = PdfReader(pdf).pages[0]
    bleed = 3 / 25.4 * 72
    assert float(page.trimbox.width) == pytest.approx(595.28, abs=0.2)
    assert float(page.bleedbox.width) == pytest.approx(595.28 + 2 * bleed, abs=0.2)
    marked = len(page.get_contents().get_data())
    (root / "masthead.toml").write_text(
        (root / "masthead.toml").read_text().replace("crop_marks = true", "crop_marks = false")
    )
    plain = PdfReader(build(load_config(root), "spring").built[0].pdf).pages[0]
    assert len(plain.get_contents().get_data()) < marked  # the marks are drawn


def test_web_page_is_standalone(built: Path) -> None:
    page = (built.parent / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in page
    assert "<style>" in page and '<link rel="stylesheet"' not in page
    # The cover's copy for screens, published beside the languages, with its size for the layout.
    cover = re.search(r'src="\.\./(images/cover\.320w\.[0-9a-f]{10}\.png)" width="320" height="200"', page)
    assert cover is not None and (built.parents[1] / cover.group(1)).is_file()
    assert 'href="spring.en.pdf"' in page
