"""Updating an issue's catalog after editing a tenth of it, with many earlier issues behind it.

Prints, side by side in one run: masthead's update (rapidfuzz matching and translation memory)
against Babel's own fuzzy matching (difflib), for the same catalog and the same edits.

    .venv/bin/python benchmarks/catalogs.py [--messages 300] [--issues 30]
"""

from __future__ import annotations

import argparse
import copy
import random
import tempfile
import time
from pathlib import Path

from babel.messages.catalog import Catalog

from masthead import language
from masthead.catalogs import TranslationMemory, update_catalog, write_catalog

WORDS = (  # noqa: SIM905 - a sentence is easier to read than a list of words
    "lantern street centre volunteers garden library homework club repair cafe lunch seniors children "
    "families language exchange legal clinic winter walk music neighbours kitchen tea evening morning "
    "open doors years community room table books bicycles sewing machine school council funding"
).split()


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng, rng.randint(8, 18)) for _ in range(rng.randint(2, 5)))


def template(messages: list[str], domain: str) -> Catalog:
    catalog = Catalog(domain=domain, fuzzy=False)
    for index, message in enumerate(messages):
        catalog.add(message, locations=[(f"issues/{domain}/article.md", index + 1)])
    return catalog


def translated(messages: list[str], domain: str) -> Catalog:
    catalog = Catalog(locale="fr", domain=domain, fuzzy=False)
    for message in messages:
        catalog.add(message, "FR " + message)
    return catalog


def edit(rng: random.Random, messages: list[str], share: float) -> list[str]:
    """Change a word in ``share`` of the messages, the way an editor revises an issue."""
    edited = list(messages)
    for index in rng.sample(range(len(messages)), int(len(messages) * share)):
        words = edited[index].split()
        words[rng.randrange(len(words))] = rng.choice(WORDS)
        edited[index] = " ".join(words) + " Revised."
    return edited


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=300, help="messages in the issue")
    parser.add_argument("--issues", type=int, default=100, help="earlier issues in translation memory")
    args = parser.parse_args()
    rng = random.Random(7)
    fr = language("fr")
    with tempfile.TemporaryDirectory() as folder:
        locales = Path(folder)
        for number in range(args.issues):
            earlier = [paragraph(rng) for _ in range(args.messages)]
            write_catalog(locales / f"issue-{number}.po", translated(earlier, f"issue-{number}"))
        original = [paragraph(rng) for _ in range(args.messages)]
        current = translated(original, "current")
        edited = edit(rng, original, 0.10)
        new_template = template(edited, "current")

        earlier_catalogs = sorted(locales.glob("*.po"))
        cache = locales / "memory.sqlite3"
        started = time.perf_counter()
        TranslationMemory.from_catalogs(earlier_catalogs, "fr", cache=cache)
        cold = time.perf_counter() - started
        started = time.perf_counter()
        memory = TranslationMemory.from_catalogs(earlier_catalogs, "fr", cache=cache)
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        result, summary = update_catalog(new_template, copy.deepcopy(current), fr, memory)
        ours = time.perf_counter() - started

        started = time.perf_counter()
        babel = copy.deepcopy(current)
        babel.update(new_template, no_fuzzy_matching=False)
        theirs = time.perf_counter() - started
        babel_fuzzy = sum(1 for message in babel if message.id and message.fuzzy)

    print(f"issue of {args.messages} messages, {int(args.messages * 0.1)} edited; "
          f"translation memory of {args.issues} issues ({len(memory.exact)} messages)")  # fmt: skip
    print(f"  masthead: memory {loaded * 1000:.1f} ms (first read, parsing every catalog: "
          f"{cold * 1000:.1f} ms), update {ours * 1000:.1f} ms, total {(loaded + ours) * 1000:.1f} ms; "
          f"{summary.fuzzy} fuzzy matches")  # fmt: skip
    print(f"  Babel (difflib): update {theirs * 1000:9.1f} ms; {babel_fuzzy} fuzzy matches")
    print(f"  ratio Babel / masthead update: {theirs / ours:.0f}x")
    assert summary.fuzzy >= int(args.messages * 0.1) * 0.9, "edited messages should find their translations"
    assert result.get(edited[0]) is not None


if __name__ == "__main__":
    main()
