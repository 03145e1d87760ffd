"""Layout that holds for any content: generated issues, with texts from one line to a full column
and figures from a tall portrait to a wide panorama, read back from the PDF with positions."""

from __future__ import annotations

import functools
import itertools
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest

from masthead import build, load_config

from .generated import Generated, generate_issue

LANGUAGES = ("en", "zh-Hans", "ar")
SEEDS = (3, 8)
MM = 72 / 25.4


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Generated]:
    issues = []
    for seed in SEEDS:
        issue = generate_issue(tmp_path_factory.mktemp(f"generated-{seed}") / "ws", seed)
        report = build(load_config(issue.root), issue.slug, jobs=2)
        assert [b.language.tag for b in report.built] == list(LANGUAGES)
        issues.append(issue)
    return issues


def pdf_of(issue: Generated, tag: str) -> Path:
    return issue.root / "build" / issue.slug / tag / f"{issue.slug}.{tag}.pdf"


@dataclass(frozen=True)
class Page:
    number: int
    """Counted from 1, as pdfplumber counts."""
    height: float
    chars: list[dict]  # type: ignore[type-arg]
    images: list[dict]  # type: ignore[type-arg]


@functools.cache
def pages_of(pdf: Path) -> tuple[Page, ...]:
    """The characters and images of every page, as pdfplumber reads them: read once per PDF, since
    every test here looks at the same PDFs."""
    with pdfplumber.open(pdf) as document:
        return tuple(Page(page.page_number, page.height, page.chars, page.images) for page in document.pages)


@dataclass(frozen=True)
class Line:
    page: int
    baseline: float
    x0: float
    x1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0


def body_lines(pages: tuple[Page, ...]) -> list[Line]:
    """Every line of body text (the most common size of type), split where a column gap separates it."""
    sizes = Counter(round(char["size"], 1) for page in pages for char in page.chars)
    body = sizes.most_common(1)[0][0]
    lines = []
    for number, page in enumerate(pages):
        rows: dict[float, list[dict]] = {}  # type: ignore[type-arg]
        for char in page.chars:
            if round(char["size"], 1) == body and char["text"].strip():
                baseline = page.height - char["matrix"][5]  # PDF space counts upwards
                rows.setdefault(round(baseline * 2) / 2, []).append(char)
        for baseline, chars in rows.items():
            chars.sort(key=lambda char: char["x0"])
            start = previous = chars[0]
            for char in chars[1:]:
                if char["x0"] - previous["x1"] > 6.5 * MM:  # a column gap, not a space
                    lines.append(Line(number, baseline, start["x0"], previous["x1"]))
                    start = char
                previous = char
            lines.append(Line(number, baseline, start["x0"], previous["x1"]))
    return lines


def paragraph_lines(lines: list[Line]) -> list[Line]:
    """The lines that a paragraph continues after (the next line of their column follows at the
    usual line spacing): a paragraph's last line may be as short as it likes."""
    pitch: Counter[float] = Counter()
    for page in {line.page for line in lines}:
        baselines = sorted({line.baseline for line in lines if line.page == page})
        pitch.update(round(b - a, 1) for a, b in itertools.pairwise(baselines))
    spacing = pitch.most_common(1)[0][0]
    kept = []
    for line in lines:
        below = [
            other
            for other in lines
            if other.page == line.page
            and 0 < other.baseline - line.baseline <= spacing * 1.25
            and other.x0 < line.x1
            and line.x0 < other.x1
        ]
        if below:
            kept.append(line)
    return kept


@pytest.mark.parametrize("tag", LANGUAGES)
def test_no_body_line_is_squeezed_beside_a_figure(generated: list[Generated], tag: str) -> None:
    for issue in generated:
        lines = body_lines(pages_of(pdf_of(issue, tag)))
        assert len(lines) > 60
        for line in paragraph_lines(lines):
            # The column of a line: the widest body line of its page that shares some of its width.
            column = max(
                other.width
                for other in lines
                if other.page == line.page and other.x0 < line.x1 and line.x0 < other.x1
            )
            assert line.width >= 0.4 * column, (
                f"{pdf_of(issue, tag).name} page {line.page + 1}: a line of {line.width / MM:.0f} mm "
                f"in a column of {column / MM:.0f} mm"
            )


@pytest.mark.parametrize("tag", LANGUAGES)
def test_images_keep_their_shape_unless_cropped_on_purpose(generated: list[Generated], tag: str) -> None:
    for issue in generated:
        placed = 0
        for page in pages_of(pdf_of(issue, tag)):
            for image in page.images:
                source = tuple(int(v) for v in image["srcsize"])
                if source in issue.cover_sizes:
                    continue
                placed += 1
                ratio = (image["width"] / image["height"]) / (source[0] / source[1])
                assert abs(ratio - 1) <= 0.02, f"page {page.number}: {source} drawn out of shape"
                assert image["width"] >= 15 * MM, f"page {page.number}: {source} drawn too small"
                # An image drawn larger than its frame and cut off by it (the frame clips what
                # spills over) would lie under the text around it.
                covered = [
                    char["text"]
                    for char in page.chars
                    if image["x0"] + 1 < (char["x0"] + char["x1"]) / 2 < image["x1"] - 1
                    and image["top"] + 1 < (char["top"] + char["bottom"]) / 2 < image["bottom"] - 1
                ]
                assert not covered, f"page {page.number}: {source} drawn under {''.join(covered)!r}"
        assert placed == issue.images - len(issue.cover_sizes)  # every other image was placed
