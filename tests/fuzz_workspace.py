"""The small workspace every fuzzing example starts from: valid, bilingual, quick to render."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

CONFIG = """\
[newsletter]
name = ["Harbour Notes", "港口札记"]
publisher = "Harbour Friends"
source_language = "en"
languages = ["en", "fr"]
base_url = "https://harbour.example.org/news/"

[email]
sender = "Harbour Notes <news@harbour.example.org>"
"""

ISSUE = """\
number: 7
date: 2026-03-01
title: Spring at the Harbour
kicker: Special issue
summary: What changed at the harbour this spring.
cover:
  image: images/cover.png
  alt: Boats at the pier at dawn
  caption: The pier at dawn.
  credit: Ada Quill
  credit_label: drawing
headlines: [lead, notes]
sections:
  - title: Cover story
    layout: feature
    articles: [lead]
  - title: News
    layout: news
    articles: [notes]
colophon:
  - role: Editor
    names: [Ada Quill]
back:
  about: Harbour Friends keeps the old pier open to everyone.
  website: https://harbour.example.org
  email: hello@harbour.example.org
names: [Harbour Friends]
"""

LEAD = """\
---
kicker: Cover story
title: The Pier Reopens
standfirst: After two winters of repairs, the pier is open again.
author: Ada Quill
figure:
  image: images/logo.svg
  alt: The pier's new sign
  caption: The new sign.
  credit: Ben Ward
  credit_label: design
---
The pier reopened on a *bright* Saturday with a [map](https://harbour.example.org/map).

## Who did the work

- Volunteers from the rowing club
- Two carpenters from the yard
"""

ARTICLE_HEAD = """\
---
title: Mending Nets
source: "Harbour Gazette, 1 March 2026"
---
"""

NOTES = (
    ARTICLE_HEAD
    + """\
The nets are mended on **Thursdays**; write to [the club](mailto:club@harbour.example.org).

> Bring your own needle.
"""
)

TRANSLATIONS = {
    "Spring at the Harbour": "Le printemps au port",
    "Cover story": "À la une",
    "The Pier Reopens": "Le quai rouvre",
    "The pier reopened on a *bright* Saturday with a [map](https://harbour.example.org/map).":
        "Le quai a rouvert un samedi *lumineux*, avec une [carte](https://harbour.example.org/map).",
    "Mending Nets": "Raccommoder les filets",
}  # fmt: skip


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


PO = "\n".join(
    [
        'msgid ""',
        'msgstr ""',
        '"Language: fr\\n"',
        '"Content-Type: text/plain; charset=utf-8\\n"',
        '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"',
        "",
        *(f"msgid {_quoted(msgid)}\nmsgstr {_quoted(msgstr)}\n" for msgid, msgstr in TRANSLATIONS.items()),
    ]
)

SUBSCRIBERS = """\
address,name,language,status
ana@example.org,Ana Lima,fr,active
ben@example.org,Ben Ward,en,
"""

SVG = """\
<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60" viewBox="0 0 120 60">
  <rect width="120" height="60" fill="#0f4c5c"/>
</svg>
"""

FILES = {
    "masthead.toml": CONFIG,
    "issues/spring/issue.yaml": ISSUE,
    "issues/spring/lead.md": LEAD,
    "issues/spring/notes.md": NOTES,
    "issues/spring/images/logo.svg": SVG,
    "locales/fr/LC_MESSAGES/spring.po": PO,
    "list.csv": SUBSCRIBERS,
}


def write_fuzz_workspace(root: Path) -> Path:
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    Image.new("RGB", (32, 20), "#c8702a").save(root / "issues/spring/images/cover.png")
    return root


def issue_texts() -> list[str]:
    """Messages of the issue that a fuzzed catalog may translate (the rest it may invent)."""
    return [*TRANSLATIONS, "Special issue", "News", "Editor", "Who did the work", "Bring your own needle."]
