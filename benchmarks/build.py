"""Build speed of the example issue, measured side by side in one run.

(a) WeasyPrint alone writing the very print HTML masthead produced, per language;
(b) masthead's build of that language (PDF, web page, email; one process);
(c) all languages one after another against in parallel processes;
(d) a rebuild with nothing changed: the whole `masthead build` command, and build() in this process;
and the peak memory of a worker process. Then, in copies of the workspace with eight languages:
(e) N languages (1, 2, 4, 8; those below the threshold or without a catalog forced) built by
    masthead in one process against N plain renders (Jinja + WeasyPrint on the original images,
    one process each, as many at a time as masthead has workers), with the example's images and
    with the same images as a camera gives them (4000 pixels wide, EXIF, JPEG at 92); masthead's
    image copies made in the run (cold) and already made by an earlier build (warm);
(f) the PDF of each language, plain render against masthead, with both sets of images;
(g) the bytes of images that a phone 375 px wide (2x) loads for the web page and the email,
    before (the originals) and after (the prepared copies), in Debian's Chromium.
Timings are medians of runs interleaved with their counterpart, so both see the same load; the
machine's load average (one minute) is printed beside each figure, and (e) is summed up at the end.

    .venv/bin/python benchmarks/build.py [SLUG] [--jobs 2] [--repeat 2] [--parts abcdefg] [--counts 1,2,4,8]

The no-op rebuild and four languages with both sets of images, alone:
``benchmarks/build.py --parts de --counts 4``.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image, ImageChops
from weasyprint import HTML

from masthead import build, load_config
from masthead.catalogs import issue_catalog, theme_translations
from masthead.editions import Edition, source_edition, translated_edition
from masthead.email import render_email
from masthead.render import render_print, render_web
from masthead.sources import find_issue, load_issue

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("en", "zh-Hans", "ar", "fr", "de", "es", "ja", "ru")
"""The eight languages of (e): the example's four, then four without a catalog (forced)."""
CAMERA_WIDTH = 4000


def best(repeat: int, work) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def edition_of(config, issue, tag: str) -> Edition:  # type: ignore[no-untyped-def]
    lang = config.language(tag)
    if lang == config.source_language:
        return source_edition(issue, lang)
    return translated_edition(issue, lang, issue_catalog(config, issue, lang))


def plain_render(workspace: Path, tag: str, target: Path) -> None:
    """One plain render, in a process of its own: Jinja and WeasyPrint on the original images."""
    config = load_config(workspace)
    issue = load_issue(find_issue(config.issues_dir, None), root=config.root)
    html = render_print(
        edition_of(config, issue, tag), config, theme_translations(config, config.language(tag))
    )
    HTML(string=html, base_url=f"{issue.folder}/").write_pdf(target)


def per_language(config, issue, repeat: int) -> None:  # type: ignore[no-untyped-def]
    print("\nper language          (a) WeasyPrint   (b) masthead   (b)/(a)")
    total_a = total_b = 0.0
    with tempfile.TemporaryDirectory() as scratch:
        for lang in config.languages:
            html = render_print(edition_of(config, issue, lang.tag), config, theme_translations(config, lang))
            target = Path(scratch) / f"{lang.tag}.pdf"
            # Interleaved, so that both see the same machine load; the best of each counts.
            a_times, b_times = [], []

            def weasyprint_alone(html: str = html, target: Path = target) -> None:
                HTML(string=html, base_url=f"{issue.folder}/").write_pdf(target)

            def masthead_build(tag: str = lang.tag) -> None:
                build(config, issue.slug, [tag], force=True, jobs=1)

            for _ in range(repeat):
                a_times.append(best(1, weasyprint_alone))
                b_times.append(best(1, masthead_build))
            a, b = min(a_times), min(b_times)
            total_a, total_b = total_a + a, total_b + b
            print(f"  {lang.tag:<20} {a:10.2f} s    {b:10.2f} s    {b / a:6.2f}")
    print(f"overall (b)/(a): {total_b / total_a:.2f}")


def serial_parallel_rebuild(config, issue, jobs: int, parts: str) -> None:  # type: ignore[no-untyped-def]
    if "c" in parts:
        serial = best(1, lambda: build(config, issue.slug, force=True, jobs=1))
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        parallel = best(1, lambda: build(config, issue.slug, force=True, jobs=jobs))
        worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(f"\n(c) all {len(config.languages)} languages: one after another {serial:.2f} s, "
              f"in {jobs} processes {parallel:.2f} s, speedup {serial / parallel:.2f}x {load()}")  # fmt: skip
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"peak memory of a worker: {max(worker_peak, before) / 1024:.0f} MB; "
              f"this process: {own / 1024:.0f} MB")  # fmt: skip
    if "d" in parts:
        build(config, issue.slug)  # the plain build, which also records what it found
        rebuild = best(3, lambda: build(config, issue.slug))
        command = [str(Path(sys.executable).with_name("masthead")), "-C", str(config.root), "build"]
        whole = [timed(lambda: subprocess.run([*command, issue.slug], capture_output=True, check=True))
                 for _ in range(7)]  # fmt: skip
        print(f"\n(d) rebuild with nothing changed: `masthead build` {statistics.median(whole):.3f} s "
              f"(median of 7, the whole command), build() in this process {rebuild:.3f} s "
              f"{load()}")  # fmt: skip


def load() -> str:
    """The machine's load average over the last minute, to read a figure by."""
    return f"[load {os.getloadavg()[0]:.2f}]"


# -- (e), (f), (g): eight languages, the example's images and a camera's --------------------------


def eight_language_copy(target: Path, camera: bool) -> Path:
    """A copy of the workspace publishing :data:`LANGUAGES`; with ``camera``, every image enlarged
    to what a camera gives (photographs 4000 px wide with grain and EXIF, the logo three times)."""
    for name in ("issues", "locales", "templates"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, target / name)
    settings = (ROOT / "masthead.toml").read_text(encoding="utf-8")
    languages = "languages = [" + ", ".join(f'"{tag}"' for tag in LANGUAGES) + "]"
    (target / "masthead.toml").write_text(
        re.sub(r"(?m)^languages = .*$", languages, settings), encoding="utf-8"
    )
    if camera:
        for path in sorted((target / "issues").glob("*/images/*")):
            camera_sized(path)
    return target


def camera_sized(path: Path) -> None:
    with Image.open(path) as original:
        original.load()
    if original.format == "PNG":
        original.resize((original.width * 3, original.height * 3), Image.Resampling.LANCZOS).save(path)
        return
    size = (CAMERA_WIDTH, round(CAMERA_WIDTH * original.height / original.width))
    picture = original.convert("RGB").resize(size, Image.Resampling.LANCZOS)
    grain = Image.effect_noise(size, 6).convert("RGB")  # a sensor's noise, centred on 128
    picture = ImageChops.add(picture, grain, offset=-128)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0112] = "Benchmark", "Camera 12", 1  # make, model, upright
    picture.save(path, quality=92, exif=exif.tobytes())


def run_all(commands: Sequence[Sequence[str]], jobs: int) -> None:
    def run(command: Sequence[str]) -> None:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(run, commands))


def languages_and_images(repeat: int, jobs: int, counts: Sequence[int], parts: str) -> None:
    print(f"\n(e) N languages: masthead (one process, -j {jobs}) against N plain renders "
          f"(one process each, {jobs} at a time); median of {repeat}")  # fmt: skip
    sizes: dict[str, dict[str, tuple[int, int]]] = {}
    summary: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        for kind in ("example", "camera"):
            workspace = eight_language_copy(Path(scratch) / kind, camera=kind == "camera")
            slug = find_issue(workspace / "issues", None).name
            plain_out = Path(scratch) / f"{kind}-plain"
            plain_out.mkdir()
            print(f"  {kind} images ({image_megabytes(workspace / 'issues' / slug / 'images'):.1f} MB)")
            print("      N    plain     masthead cold  ratio   masthead warm  ratio")
            for count in counts:
                plain_s, cold, warm = timings(workspace, slug, plain_out, LANGUAGES[:count], jobs, repeat)
                print(f"  {count:5d} {plain_s:8.1f} s {cold:10.1f} s    {cold / plain_s:5.2f} "
                      f"{warm:10.1f} s    {warm / plain_s:5.2f}   {load()}")  # fmt: skip
                summary.append(f"{kind} images, N = {count}: masthead {cold / plain_s:.2f}x of the plain "
                               f"renders cold, {warm / plain_s:.2f}x warm")  # fmt: skip
            if not set("fg") & set(parts):
                continue
            sizes[kind] = {
                tag: ((plain_out / f"{tag}.pdf").stat().st_size,
                      (workspace / "build" / slug / tag / f"{slug}.{tag}.pdf").stat().st_size)
                for tag in LANGUAGES[: max(counts)]
            }  # fmt: skip
            if "g" in parts:
                sizes[kind + " web"] = screen_bytes(workspace, slug, Path(scratch) / f"{kind}-before")
    if set("fg") & set(parts):
        print_sizes(sizes, parts)
    print("\n(e) in short: " + "; ".join(summary))


def timings(
    workspace: Path, slug: str, plain_out: Path, tags: Sequence[str], jobs: int, repeat: int
) -> tuple[float, float, float]:
    """Median seconds of the plain renders, of masthead with no image prepared yet, and of
    masthead with every image prepared by the build before."""
    masthead = [
        sys.executable,
        "-m",
        "masthead",
        "-C",
        str(workspace),
        "build",
        slug,
        "--force",
        "-j",
        str(jobs),
    ]
    masthead += [arg for tag in tags for arg in ("-l", tag)]
    plain = [
        [sys.executable, __file__, "--plain", str(workspace), tag, str(plain_out / f"{tag}.pdf")]
        for tag in tags
    ]
    images = workspace / "build" / slug / "images"

    def cold() -> None:
        shutil.rmtree(images, ignore_errors=True)
        run_all([masthead], 1)

    runs: list[tuple[str, Callable[[], None]]] = [
        ("plain", lambda: run_all(plain, jobs)), ("cold", cold), ("warm", lambda: run_all([masthead], 1))
    ]  # fmt: skip
    times: dict[str, list[float]] = {name: [] for name, _work in runs}
    for turn in range(repeat):
        # Interleaved, each first in turn, so that all see the same load.
        for name, work in runs[turn % 3 :] + runs[: turn % 3]:
            times[name].append(timed(work))
    return (
        statistics.median(times["plain"]),
        statistics.median(times["cold"]),
        statistics.median(times["warm"]),
    )


def image_megabytes(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.iterdir()) / 1e6


def print_sizes(sizes: dict[str, dict[str, tuple[int, int]]], parts: str) -> None:
    if "f" in parts:
        print("\n(f) PDF size per language: plain render (original images) -> masthead")
        print("      language      example images                camera images")
        for tag in sizes["example"]:
            row = [f"{b / 1e6:6.2f} -> {a / 1e6:5.2f} MB ({a / b:4.2f})" for b, a in
                   (sizes["example"][tag], sizes["camera"][tag])]  # fmt: skip
            print(f"      {tag:<12}  {row[0]}    {row[1]}")
    if "g" not in parts:
        return
    print("\n(g) image bytes loaded at 375 px (2x), originals -> prepared copies")
    for kind in ("example", "camera"):
        for page, (before, after) in sizes[kind + " web"].items():
            ratio = after / before
            print(
                f"      {kind:<8} {page:<10} {before / 1e3:8.0f} KB -> {after / 1e3:6.0f} KB ({ratio:4.2f})"
            )


# -- (g): what a phone loads ----------------------------------------------------------------------


def screen_bytes(workspace: Path, slug: str, before: Path) -> dict[str, tuple[int, int]]:
    """Image bytes a phone loads for the English web page and email: from a site with the
    originals (as published before images were prepared) and from masthead's output."""
    config = load_config(workspace)
    issue = load_issue(find_issue(config.issues_dir, slug), root=config.root)
    edition = edition_of(config, issue, "en")
    translations = theme_translations(config, config.language("en"))
    page = before / slug / "en"
    page.mkdir(parents=True)
    (page / "index.html").write_text(render_web(edition, config, translations), encoding="utf-8")
    (page / "email.html").write_text(render_email(edition, config, translations).html, encoding="utf-8")
    for source in issue.images:
        (before / slug / source).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(issue.folder / source, before / slug / source)
    after = workspace / "build"
    pages = {"web page": "index.html", "email": "email.html"}
    return {
        name: tuple(loaded(site, f"{slug}/en/{page}", config.base_url) for site in (before, after))
        for name, page in pages.items()
    }


def loaded(site: Path, path: str, base_url: str) -> int:
    """Bytes of images Chromium loads for ``site/path`` in a 375 px wide viewport at 2x; the page's
    links to ``base_url`` (an email's) lead to the same site."""
    sent: list[tuple[str, int]] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def copyfile(self, source, target) -> None:  # type: ignore[no-untyped-def]
            data = source.read()
            target.write(data)
            sent.append((self.path, len(data)))

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    local = f"http://127.0.0.1:{server.server_address[1]}/"
    page = site / path
    shown = page.with_name(".bench-" + page.name)
    shown.write_text(page.read_text(encoding="utf-8").replace(base_url, local), encoding="utf-8")
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            arguments = ["--headless", "--no-sandbox", "--disable-gpu"]
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=arguments)
            context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2)
            context.new_page().goto(local + str(shown.relative_to(site)), wait_until="networkidle")
            browser.close()
    finally:
        server.shutdown()
        shown.unlink()
    return sum(size for url, size in sent if "/images/" in url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("slug", nargs="?")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--repeat", type=int, default=4)
    parser.add_argument("--parts", default="abcdefg", help="which figures to measure: any of abcdefg")
    parser.add_argument("--counts", default="1,2,4,8", help="the numbers of languages of (e)")
    parser.add_argument("--plain", nargs=3, metavar=("WORKSPACE", "LANG", "PDF"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plain:
        plain_render(Path(args.plain[0]), args.plain[1], Path(args.plain[2]))
        return
    config = load_config(ROOT)
    issue = load_issue(find_issue(config.issues_dir, args.slug), root=config.root)
    tags = [lang.tag for lang in config.languages]
    print(f"{issue.slug}: {', '.join(tags)} on {os.cpu_count()} cores, best of {args.repeat}")
    if "a" in args.parts or "b" in args.parts:
        per_language(config, issue, args.repeat)
    if set("cd") & set(args.parts):
        serial_parallel_rebuild(config, issue, args.jobs, args.parts)
    if set("efg") & set(args.parts):
        counts = [int(n) for n in args.counts.split(",")]
        languages_and_images(max(1, args.repeat - 1), args.jobs, counts, args.parts)


if __name__ == "__main__":
    main()
