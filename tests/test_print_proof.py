"""Proofing the example's print editions as a print designer would: headings never left at the foot
of a column, pages filled, each language's quotation marks, page numbers on the outer edge, a cover
and a back page that fit their page whatever its size, and PDFs tagged for screen readers."""

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from masthead import build, load_config

from .conftest import copy_example, edit, pdf_pages
from .pdf_layout import MM, column_ends, is_heading, pdf_layout

LANGUAGES = ["en", "zh-Hans", "ar", "fr"]


def pypdf_text(pdf: Path) -> str:
    """The PDF's text as pypdf reads it: it keeps the narrow no-break spaces that pdftotext turns into
    spaces."""
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_heading_is_the_last_text_of_a_column(example_pdfs: dict[str, Path], lang: str) -> None:
    stranded = [
        (page.number, " ".join(piece.text for piece in end))
        for page in pdf_layout(example_pdfs[lang])[1:-1]  # the cover and the back page are designed
        for end in column_ends(page)
        if all(is_heading(piece) for piece in end)
    ]
    assert stranded == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_is_at_least_two_thirds_full(example_pdfs: dict[str, Path], lang: str) -> None:
    pages = pdf_layout(example_pdfs[lang])
    # The cover and the back page fill their page by design; the last page of articles ends where they end.
    fills = {}
    for page in pages[1:-2]:
        top, bottom = 22 * MM, page.height - 20 * MM
        lowest = max(piece.bottom for piece in page.body())
        fills[page.number] = round((lowest - top) / (bottom - top), 2)
    assert fills and all(fill >= 2 / 3 for fill in fills.values()), fills
    back = pages[-1]
    assert max(piece.bottom for piece in back.pieces) > back.height * 0.8  # contacts at the foot


def test_quotation_marks_are_each_languages_own(example_pdfs: dict[str, Path]) -> None:
    english = " ".join(pdf_pages(example_pdfs["en"]))
    assert "“kitchen-table clinic”" in english and "Seniors’ lunch" in english
    assert '"' not in english and "'" not in english
    french = re.sub("[ \n]+", " ", pypdf_text(example_pdfs["fr"]))
    assert "«\u202fpermanence de la" in french and "«\u202fIci, chaque famille" in french
    assert re.findall("«(?!\u202f)|(?<!\u202f)»", french) == []  # every guillemet with its narrow space
    assert "\u202f:" in french and " :" not in french
    assert "“longer than the runner beans”" in french  # an English text left untranslated keeps English marks
    chinese = pypdf_text(example_pdfs["zh-Hans"])
    assert "“客厅”" in chinese and '"' not in chinese


def test_chinese_year_labels_stay_on_one_line(example_pdfs: dict[str, Path]) -> None:
    labels = [
        piece.text
        for page in pdf_layout(example_pdfs["zh-Hans"])
        for piece in page.pieces
        if re.fullmatch(r"\d{4}年?|年", piece.text) and piece.size > 12  # not the date in the footer
    ]
    assert labels == ["1996年", "2003年", "2009年", "2015年", "2020年", "2026年"]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_page_numbers_and_running_heads_on_the_outer_edge(example_pdfs: dict[str, Path], lang: str) -> None:
    pages = pdf_layout(example_pdfs[lang])
    name = {"en": "Lantern Street News", "ar": "نشرة شارع الفوانيس"}[lang]
    for page in pages[1:-1]:
        number = next(p for p in page.pieces if p.text == str(page.number) and p.top > page.height - 20 * MM)
        # A left-to-right edition starts on a right-hand page, a right-to-left one on a left-hand page:
        # even pages are on the left in English and on the right in Arabic.
        on_the_right = (page.number % 2 == 1) == (lang == "en")
        assert (number.left > page.width / 2) == on_the_right, (page.number, number)
        heads = [p for p in page.pieces if p.bottom < 21 * MM]
        if page.number % 2 == 0:  # the newsletter's name on the verso, at its outer edge
            head = next(p for p in heads if p.text in (name, name[::-1]))  # poppler reverses Arabic
            assert (head.left > page.width / 2) == on_the_right


def test_running_heads_do_not_repeat_the_section_label(example_pdfs: dict[str, Path]) -> None:
    pages = pdf_pages(example_pdfs["en"])
    labelled = [i for i, text in enumerate(pages) if "COVER STORY" in text]
    assert labelled, "the section label is printed in capitals"
    first = labelled[0]
    # On the page of the label: neither the running head nor the article's kicker say it again.
    assert pages[first].lower().count("cover story") == 1
    later = pages[first + 1]
    assert later.lstrip().startswith("Cover story")  # the next (right-hand) page's running head


def test_every_edition_is_tagged_with_its_language(example_pdfs: dict[str, Path]) -> None:
    for lang, pdf in example_pdfs.items():
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE), lang
        assert PdfReader(pdf).trailer["/Root"]["/Lang"] == lang
        structure = subprocess.run(
            ["pdfinfo", "-struct", str(pdf)], capture_output=True, text=True, check=True
        ).stdout
        assert structure.count("Figure") >= 9 and "H1" in structure and "H2" in structure, lang


def short_example(root: Path) -> Path:
    """The example with each article cut to its first paragraph: the same cover and back page, quick."""
    copy_example(root)
    for article in (root / "issues" / "winter-2026").glob("*.md"):
        _, front, body = article.read_text(encoding="utf-8").split("---\n", 2)
        first = next(part for part in body.split("\n\n") if part.strip() and not part.startswith(("#", "`")))
        article.write_text(f"---\n{front}---\n{first}\n", encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("size", "width", "height"),
    [("A4", 595.3, 841.9), ("A5", 419.5, 595.3), ("letter", 612, 792), ("tabloid", 792, 1224)],
)
def test_cover_and_back_page_fit_every_page_size(
    tmp_path: Path, size: str, width: float, height: float
) -> None:
    root = short_example(tmp_path / "ws")
    edit(root / "masthead.toml", 'page_size = "A4"', f'page_size = "{size}"')
    pdf = build(load_config(root), languages=["en"]).built[0].pdf
    pages = pdf_layout(pdf)
    cover, back = pages[0], pages[-1]
    assert (cover.width, cover.height) == pytest.approx((width, height), abs=1)
    text = " ".join(cover.text().split())
    assert "Thirty Years of Open Doors" in text and "HEADLINES" in text
    for title in ("Thirty years in six scenes", "Seniors’ lunch serves its 50,000th plate"):
        assert title in text
    headlines = next(p for p in cover.pieces if p.text == "HEADLINES")
    assert headlines.top > cover.height / 2  # the box at the foot of the cover, under the figure
    assert cover.pieces and all(p.top >= 0 and p.bottom <= cover.height for p in cover.pieces)
    assert "Lantern Street Neighbourhood Centre turns thirty" not in pages[1].text()
    back_text = " ".join(back.text().split())
    assert "About this issue" in back_text and "hello@lanternstreet.example.org" in back_text
    assert back.pieces and all(p.bottom <= back.height for p in back.pieces)
    assert "hello@lanternstreet.example.org" not in " ".join(page.text() for page in pages[1:-1])
