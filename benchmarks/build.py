"""Build speed of the example issue, measured side by side in one run.

(a) WeasyPrint alone writing the very print HTML masthead produced, per language;
(b) masthead's build of that language (PDF, web page, email; one process);
(c) all languages one after another against in parallel processes;
(d) a rebuild with nothing changed;
and the peak memory of a worker process.

    .venv/bin/python benchmarks/build.py [SLUG] [--jobs 2] [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

from weasyprint import HTML

from masthead import build, load_config
from masthead.catalogs import issue_catalog, theme_translations
from masthead.editions import source_edition, translated_edition
from masthead.render import render_print
from masthead.sources import find_issue, load_issue

ROOT = Path(__file__).resolve().parent.parent


def best(repeat: int, work) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("slug", nargs="?")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--repeat", type=int, default=4)
    args = parser.parse_args()
    config = load_config(ROOT)
    issue = load_issue(find_issue(config.issues_dir, args.slug), root=config.root)
    tags = [lang.tag for lang in config.languages]
    print(f"{issue.slug}: {', '.join(tags)} on {os.cpu_count()} cores, best of {args.repeat}")

    print("\nper language          (a) WeasyPrint   (b) masthead   (b)/(a)")
    total_a = total_b = 0.0
    with tempfile.TemporaryDirectory() as scratch:
        for lang in config.languages:
            if lang == config.source_language:
                edition = source_edition(issue, lang)
            else:
                edition = translated_edition(issue, lang, issue_catalog(config, issue, lang))
            html = render_print(edition, config, theme_translations(config, lang))
            target = Path(scratch) / f"{lang.tag}.pdf"
            # Interleaved, so that both see the same machine load; the best of each counts.
            a_times, b_times = [], []

            def weasyprint_alone(html: str = html, target: Path = target) -> None:
                HTML(string=html, base_url=f"{issue.folder}/").write_pdf(target)

            def masthead_build(tag: str = lang.tag) -> None:
                build(config, issue.slug, [tag], force=True, jobs=1)

            for _ in range(args.repeat):
                a_times.append(best(1, weasyprint_alone))
                b_times.append(best(1, masthead_build))
            a, b = min(a_times), min(b_times)
            total_a, total_b = total_a + a, total_b + b
            print(f"  {lang.tag:<20} {a:10.2f} s    {b:10.2f} s    {b / a:6.2f}")

    serial = best(1, lambda: build(config, issue.slug, force=True, jobs=1))
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    parallel = best(1, lambda: build(config, issue.slug, force=True, jobs=args.jobs))
    worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    rebuild = best(3, lambda: build(config, issue.slug))
    print(f"\n(c) all {len(tags)} languages: one after another {serial:.2f} s, "
          f"in {args.jobs} processes {parallel:.2f} s, speedup {serial / parallel:.2f}x")  # fmt: skip
    print(f"(d) rebuild with nothing changed: {rebuild:.3f} s")
    print(f"peak memory of a worker: {max(worker_peak, before) / 1024:.0f} MB; "
          f"this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")  # fmt: skip
    print(f"overall (b)/(a): {total_b / total_a:.2f}")


if __name__ == "__main__":
    main()
