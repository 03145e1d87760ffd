"""Images prepared once per issue: copies at the size print places them and for screens, made
once, made again only when an original changes, embedded by every PDF and looking the same."""

from __future__ import annotations

import hashlib
import logging
import random
import re
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image, ImageChops, ImageCms, ImageDraw, ImageFilter

from masthead import build, load_config
from masthead._doctor import run_checks
from masthead.builder import prepare_issue_images
from masthead.editions import source_edition
from masthead.render import render_print, write_pdf
from masthead.sources import load_issue

from .conftest import edit

MM = 96 / 25.4  # CSS pixels in a millimetre


def photo(path: Path, size: tuple[int, int], seed: int = 1, **save: object) -> None:
    """A picture with the smooth gradients and thousands of colours of a photograph."""
    rng = random.Random(seed)
    width, height = size
    picture = Image.new("RGB", size, (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    draw = ImageDraw.Draw(picture)
    for _ in range(60):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(width // 20, width // 4)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    picture = picture.filter(ImageFilter.GaussianBlur(width / 150))
    picture.save(path, **{"quality": 92, **save})


@pytest.fixture
def photos(workspace: Path) -> Path:
    """The workspace with photographs that have pixels to spare: the cover and the pier."""
    issue = workspace / "issues" / "spring"
    photo(issue / "images" / "cover.jpg", (3000, 1875))
    photo(issue / "images" / "pier.jpg", (2400, 1600), seed=2)
    edit(issue / "issue.yaml", "images/cover.png", "images/cover.jpg")
    edit(issue / "lead.md", "images/pier.png", "images/pier.jpg")
    edit(issue / "history.md", "images/pier.png", "images/pier.jpg")
    return workspace


def digests(folder: Path) -> dict[str, str]:
    files = sorted(path for path in folder.iterdir() if path.is_file())
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in files}


def pdf_images(pdf: Path) -> list[dict[str, str]]:
    """``pdfimages -list``: one row per image drawn (a soft mask has a row of its own)."""
    lines = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True)
    header, _rule, *rows = lines.stdout.splitlines()
    names = header.split()
    return [dict(zip(names, row.split(), strict=False)) for row in rows]


def test_copies_are_made_once_and_again_only_when_the_original_changes(photos: Path) -> None:
    config = load_config(photos)
    issue = load_issue(photos / "issues" / "spring", root=photos)
    out = config.output / "spring"
    originals = digests(issue.folder / "images")

    first = prepare_issue_images(config, issue, out)
    cover, pier = first["images/cover.jpg"], first["images/pier.jpg"]
    # The cover is printed about 176 mm wide: 300 dpi there is some 2080 pixels of its 3000.
    assert cover.print is not None and 2000 < cover.print.width < 2200
    assert [copy.width for copy in cover.screens] == [720, 1440]
    made = {p.name: p.stat().st_mtime_ns for p in (out / "images").iterdir()}

    second = prepare_issue_images(config, issue, out)
    assert second == first
    assert {p.name: p.stat().st_mtime_ns for p in (out / "images").iterdir()} == made  # none made again

    photo(issue.folder / "images" / "cover.jpg", (3000, 1875), seed=9)
    changed = digests(issue.folder / "images")
    third = prepare_issue_images(config, issue, out)
    new_cover = third["images/cover.jpg"]
    assert new_cover.print is not None and new_cover.print.path != cover.print.path
    with Image.open(out / new_cover.print.path) as copy, Image.open(issue.folder / "images/cover.jpg") as now:
        expected = now.resize(copy.size).getpixel((copy.width // 2, copy.height // 2))
        assert all(abs(a - b) < 24 for a, b in zip(copy.getpixel((copy.width // 2, copy.height // 2)),
                                                  expected, strict=True))  # fmt: skip
    assert third["images/pier.jpg"] == pier  # the pier did not change: its copies are the same files
    for copy in (pier.print, *pier.screens):
        assert copy is not None and (out / copy.path).stat().st_mtime_ns == made[Path(copy.path).name]
    # Originals are only ever read.
    assert digests(issue.folder / "images") == changed != originals


def test_the_layout_is_measured_again_only_when_a_frame_may_have_changed(
    photos: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = load_config(photos)
    folder = photos / "issues" / "spring"
    out = config.output / "spring"
    with caplog.at_level(logging.INFO, logger="masthead.build"):
        first = prepare_issue_images(config, load_issue(folder, root=photos), out)
        # Words change: the skeleton of the layout does not, so nothing is laid out again.
        edit(folder / "lead.md", "The pier reopened", "The old pier reopened")
        caplog.clear()
        again = prepare_issue_images(config, load_issue(folder, root=photos), out)
        assert "(0 new layouts of 1)" in caplog.text and again == first
        # The theme gives figures a lower frame: measured again, the pier gets a smaller copy.
        (photos / "templates").mkdir()
        (photos / "templates" / "custom.css").write_text(".figure img { max-height: 40mm !important; }")
        caplog.clear()
        lower = prepare_issue_images(config, load_issue(folder, root=photos), out)
    assert "(1 new layouts of 1)" in caplog.text
    before, after = first["images/pier.jpg"], lower["images/pier.jpg"]
    assert before.print is not None and after.print is not None
    assert after.print.height == pytest.approx(40 * 300 / 25.4, abs=3)
    assert after.print.height < before.print.height


def test_pdf_embeds_every_image_at_print_resolution_and_looks_the_same(photos: Path, tmp_path: Path) -> None:
    config = load_config(photos)
    after = build(config, "spring").built[0].pdf
    issue = load_issue(photos / "issues" / "spring", root=photos)
    before = tmp_path / "originals.pdf"
    html = render_print(source_edition(issue, config.source_language), config)
    write_pdf(html, before, base_url=issue.folder, settings=config.print, theme=(config.templates_dir,))

    drawn, original = pdf_images(after), pdf_images(before)
    # Every figure is there (the cover, the pier in the lead and in the timeline), as JPEG still.
    assert len(drawn) == len(original) == 3
    for now, then in zip(drawn, original, strict=True):
        assert now["page"] == then["page"] and now["enc"] == then["enc"] == "jpeg"
        assert int(now["width"]) < int(then["width"])
    # One copy of each image, at 300 dpi where it is printed largest (the pier's smaller
    # placement in the timeline gets more).
    lowest: dict[str, int] = {}
    for row in drawn:
        lowest[row["object"]] = min(lowest.get(row["object"], 9999), int(row["x-ppi"]))
    assert len(lowest) == 2 and all(299 <= ppi <= 301 for ppi in lowest.values()), drawn
    assert after.stat().st_size < before.stat().st_size * 0.7

    # At 100 % zoom (96 dpi) every page looks the same, pixel for pixel within a small difference.
    pages = {}
    for name, pdf in (("after", after), ("before", before)):
        subprocess.run(["pdftoppm", "-r", "96", "-png", str(pdf), str(tmp_path / name)], check=True)
        pages[name] = sorted(tmp_path.glob(f"{name}-*.png"))
    assert len(pages["after"]) == len(pages["before"]) > 3
    for now_file, then_file in zip(pages["after"], pages["before"], strict=True):
        with Image.open(now_file) as now, Image.open(then_file) as then:
            difference = ImageChops.difference(now.convert("RGB"), then.convert("RGB")).convert("L")
            histogram = difference.histogram()
            total = sum(histogram)
            mean = sum(level * count for level, count in enumerate(histogram)) / total
            visible = sum(histogram[12:]) / total  # pixels off by more than 12 of 255
            assert mean < 0.5 and visible < 0.002, (now_file.name, mean, visible)


def test_a_cropped_figure_keeps_its_whole_picture(photos: Path) -> None:
    issue = photos / "issues" / "spring"
    photo(issue / "images" / "pano.jpg", (3000, 1000), seed=3)
    edit(issue / "history.md", "image: images/pier.jpg", "image: images/pano.jpg\nfit: cover\nfocus: 20% 50%")
    config = load_config(photos)
    report = build(config, "spring")
    prepared = prepare_issue_images(config, load_issue(issue, root=photos), config.output / "spring")
    pano = prepared["images/pano.jpg"]
    assert pano.print is not None and pano.placement is not None
    # The timeline's frame is 62 x 41 mm: the 3:1 picture fills its height and overflows its width,
    # which the CSS crops around the focus. The copy keeps the whole picture, 41 mm high at 300 dpi.
    assert pano.print.width / pano.print.height == pytest.approx(3, abs=0.01)
    assert pano.print.height == pytest.approx(41 * 300 / 25.4, abs=4)
    assert pano.print.width > 62 * 300 / 25.4 * 1.9
    with pdfplumber.open(report.built[0].pdf) as pdf:
        placed = [
            i
            for page in pdf.pages
            for i in page.images
            if tuple(i["srcsize"]) == (pano.print.width, pano.print.height)
        ]
    assert len(placed) == 1
    assert placed[0]["width"] == pytest.approx(pano.placement.width * 0.75, abs=0.5)  # pt


def test_placements_match_the_layout_of_every_language(photos: Path) -> None:
    edit(photos / "masthead.toml", 'languages = ["en"]', 'languages = ["en", "ar", "zh-Hans"]')
    config = load_config(photos)
    report = build(config, "spring", force=True)
    prepared = prepare_issue_images(config, load_issue(photos / "issues" / "spring", root=photos),
                                    config.output / "spring")  # fmt: skip
    by_size = {(i.print.width, i.print.height): i for i in prepared if i.print is not None}
    widest: dict[str, float] = {}
    for built in report.built:
        with pdfplumber.open(built.pdf) as pdf:
            for page in pdf.pages:
                for image in page.images:
                    placed = by_size[tuple(image["srcsize"])]
                    assert placed.placement is not None
                    assert image["width"] <= placed.placement.width * 0.75 + 0.5, built.language.tag
                    widest[placed.source] = max(widest.get(placed.source, 0), image["width"])
    for source, width in widest.items():
        assert width == pytest.approx(prepared[source].placement.width * 0.75, abs=0.5)  # type: ignore[union-attr]


def test_screens_get_upright_copies_without_exif_that_keep_the_colour_profile(photos: Path) -> None:
    cover = photos / "issues" / "spring" / "images" / "cover.jpg"
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    exif = Image.Exif()
    exif[0x0112] = 6  # stored on its side: turn 90 degrees clockwise to show it
    exif[0x010F] = "Harbour Camera Co."
    photo(cover, (1875, 3000), exif=exif.tobytes(), icc_profile=srgb)
    config = load_config(photos)
    build(config, "spring")
    out = config.output / "spring"
    page = (out / "en" / "index.html").read_text(encoding="utf-8")
    img = re.search(r'<img src="\.\./(images/cover\.[^"]+)" width="(\d+)" height="(\d+)" srcset="([^"]+)" '
                    r'sizes="[^"]+"', page)  # fmt: skip
    assert img is not None, page
    assert (int(img.group(2)), int(img.group(3))) == (720, 450)  # upright: wider than high
    for candidate in img.group(4).split(", "):
        url, width = candidate.rsplit(" ", 1)
        with Image.open(out / "en" / url) as copy:
            assert copy.size[0] == int(width.rstrip("w")) and copy.width > copy.height
            assert "exif" not in copy.info and copy.info.get("icc_profile") == srgb
    email = (out / "en" / "email.html").read_text(encoding="utf-8")
    assert f'src="https://harbour.example.org/news/spring/{img.group(1)}"' in email
    assert re.search(r'<img src="[^"]+/images/cover\.[^"]+" alt="[^"]*" width="552" height="345"', email)


def test_a_low_resolution_image_is_named_with_its_dpi(
    workspace: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = load_config(workspace)
    with caplog.at_level(logging.WARNING, logger="masthead.build"):
        report = build(config, "spring")
    low = {item.path.name: item for item in report.low_resolution}
    # The 320-pixel cover fills the cover page's 176 mm: some 46 dpi.
    assert set(low) == {"cover.png", "pier.png"}
    assert low["cover.png"].dpi == pytest.approx(320 / (176 / 25.4), abs=1.5)
    shown = f"cover.png: {low['cover.png'].dpi:.0f} dpi at the size print places it"
    assert any(shown in record.getMessage() for record in caplog.records), caplog.text
    doctor = [check for check in run_checks(workspace) if check.warning]
    assert {Path(check.name.split(" ", 1)[1]).name for check in doctor} == {"cover.png", "pier.png"}
    assert all(check.ok and "dpi" in check.detail for check in doctor)  # a warning, not a failure


def test_images_with_pixels_to_spare_give_no_warning(photos: Path) -> None:
    checks = run_checks(photos)
    assert not [check for check in checks if check.warning]
    assert any(check.name == "Images" and "none below 150 dpi" in check.detail for check in checks)
