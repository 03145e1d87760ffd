"""An editor's loop: from a save to the page in the browser showing it, with `masthead serve --preview`,
beside `masthead build -l LANG` for the same change.

In a copy of the example workspace, built once: `masthead serve --preview` runs, Debian's Chromium
(through Playwright) shows one language's web page, and the benchmark saves (a) one word of an
article changed, (b) one rule of a stylesheet of the workspace's theme changed (templates/web.css,
which builds on the theme's own), five times each. Each time is from the save to the reloaded page
showing the change (the word in the text, the rule in the computed style); the next save waits
until the email and PDF have followed, as the page's bar says. Then, with the service stopped, the
same changes are saved again and `masthead build -l LANG` is timed, the whole command. Medians of 5.

    .venv/bin/python benchmarks/preview.py [--lang en] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "lantern-walk.md"
PHRASE = "Volunteer stewards in {} scarves"
COLOURS = ("green", "yellow", "purple", "silver", "golden", "white", "grey", "blue", "red", "pink", "black")
STYLESHEET = '{% include "theme/web.css" %}\n.cover-title h1 { padding-top: {{PX}}px; }\n'


def copy_example(target: Path) -> Path:
    target.mkdir(parents=True)
    shutil.copy2(ROOT / "masthead.toml", target / "masthead.toml")
    for name in ("issues", "locales", "templates"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, target / name)
    (target / "templates").mkdir(exist_ok=True)
    (target / "templates" / "web.css").write_text(STYLESHEET.replace("{{PX}}", "0"), encoding="utf-8")
    return target


class Workspace:
    """The copy, and the two kinds of save the benchmark makes in it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.article = next((root / "issues").glob(f"*/{ARTICLE}"))
        self.slug = self.article.parent.name
        self.colour = "orange"
        self.padding = 0

    def save_word(self) -> str:
        """Change the colour of the stewards' scarves; the sentence as the page shows it."""
        text = self.article.read_text(encoding="utf-8")
        new = next(c for c in COLOURS if c != self.colour and PHRASE.format(c) not in text)
        self.article.write_text(text.replace(PHRASE.format(self.colour), PHRASE.format(new)), "utf-8")
        self.colour = new
        return PHRASE.format(new)

    def save_rule(self) -> str:
        """Change the padding above the cover's title; the value the page's style then computes."""
        self.padding += 1
        rule = STYLESHEET.replace("{{PX}}", str(self.padding))
        (self.root / "templates" / "web.css").write_text(rule, encoding="utf-8")
        return f"{self.padding}px"


def masthead(*args: str, root: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "masthead", "-C", str(root), *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return done


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {what}")
        time.sleep(0.1)


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5):
            return True
    except OSError:
        return False


def preview_times(
    space: Workspace, lang: str, repeat: int, log: Path, secret: str | None
) -> tuple[list[float], list[float]]:
    """Seconds from each save to the page showing it, for word edits and for rule edits."""
    from playwright.sync_api import expect, sync_playwright

    port = free_port()
    base = "/news/"
    with (space.root / "masthead.toml").open(encoding="utf-8") as settings:
        for line in settings:
            if line.startswith("base_url"):
                base = urlsplit(line.split("=", 1)[1].strip().strip('"')).path or "/"
    # No secret: an editor's machine has none (a version that needs one is given --secret).
    environment = {key: value for key, value in os.environ.items() if key != "MASTHEAD_SECRET"}
    if secret:
        environment["MASTHEAD_SECRET"] = secret
    command = [sys.executable, "-m", "masthead", "-C", str(space.root), "serve", "--preview"]
    with log.open("w") as output:
        server = subprocess.Popen(
            [*command, "--port", str(port)], stdout=output, stderr=subprocess.STDOUT, env=environment
        )
    url = f"http://127.0.0.1:{port}{base}{space.slug}/{lang}/index.html"
    words: list[float] = []
    rules: list[float] = []
    try:
        wait_until(lambda: answers(f"http://127.0.0.1:{port}{base}archive/{lang}/"), 60, "the service")
        with sync_playwright() as playwright:
            arguments = ["--headless", "--no-sandbox", "--disable-gpu"]
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=arguments)
            page = browser.new_page()
            page.goto(url)

            def settled() -> None:
                # The email and PDF have followed the last save: each next save starts alike. (A
                # preview without the bar made everything before showing the page.)
                if page.locator("#masthead-preview").count() == 0:
                    return
                for output in ("pdf", "email"):
                    state = page.locator(f'[data-state-of={output}]:text-is("up to date")')
                    state.wait_for(timeout=600_000)

            settled()
            for _ in range(repeat):
                sentence = space.save_word()
                saved = time.perf_counter()
                page.get_by_text(sentence).first.wait_for(timeout=120_000)
                words.append(time.perf_counter() - saved)
                settled()
                value = space.save_rule()
                saved = time.perf_counter()
                expect(page.locator(".cover-title h1").first).to_have_css(
                    "padding-top", value, timeout=120_000
                )
                rules.append(time.perf_counter() - saved)
                settled()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return words, rules


def build_times(space: Workspace, lang: str, repeat: int) -> tuple[list[float], list[float]]:
    """Seconds of ``masthead build -l LANG`` after each kind of save."""
    words: list[float] = []
    rules: list[float] = []
    for _ in range(repeat):
        for save, times in ((space.save_word, words), (space.save_rule, rules)):
            save()
            started = time.perf_counter()
            masthead("build", "-l", lang, root=space.root)
            times.append(time.perf_counter() - started)
    return words, rules


def spread(times: list[float]) -> str:
    return f"{statistics.median(times):6.2f} s ({min(times):.2f}-{max(times):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lang", default="en", help="the language viewed and built")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--secret", help="a MASTHEAD_SECRET for the service (by default it runs without)")
    args = parser.parse_args()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as scratch:
        space = Workspace(copy_example(Path(scratch) / "ws"))
        masthead("build", root=space.root)
        print(f"{space.slug} in {args.lang}, {os.cpu_count()} cores, median of {args.repeat} (min-max)")
        preview = preview_times(space, args.lang, args.repeat, Path(scratch) / "serve.log", args.secret)
        built = build_times(space, args.lang, args.repeat)
    after = os.getloadavg()
    print(f"                           serve --preview, save to page     masthead build -l {args.lang}")
    for name, shown, made in (("one word of an article", preview[0], built[0]),
                              ("one CSS rule", preview[1], built[1])):  # fmt: skip
        print(f"  {name:<24} {spread(shown):>32}     {spread(made)}")
    print(f"load average (1 min) before {load[0]:.1f}, after {after[0]:.1f}")


if __name__ == "__main__":
    main()
