"""A small workspace written afresh for each test that needs one."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

CONFIG = """\
[newsletter]
name = ["Harbour Notes", "港口札记"]
publisher = "Harbour Friends"
source_language = "en"
languages = ["en"]
base_url = "https://harbour.example.org/news/"
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
headlines: [lead, {article: boats, title: Three boats join the fleet}, nets]
sections:
  - title: Cover story
    layout: feature
    articles: [lead]
  - title: Years
    layout: timeline
    articles: [history]
  - title: News
    layout: news
    articles: [boats, nets]
colophon:
  - role: Editor
    names: [Ada Quill]
back:
  about: Harbour Friends keeps the old pier open to everyone.
  website: https://harbour.example.org
  email: hello@harbour.example.org
names: [Harbour Friends, Ada Quill, Ben Ward]
"""

LEAD = """\
---
kicker: Cover story
title: The Pier Reopens
standfirst: After two winters of repairs, the pier is open again.
author: Ada Quill
figure:
  image: images/pier.png
  alt: The repaired pier
  caption: New planks on the pier.
  credit: Ben Ward
---
The pier reopened on a *bright* Saturday morning with a [map](https://harbour.example.org/map).

## Who did the work

{filler}

- Volunteers from the rowing club
- Two carpenters from the yard
"""

HISTORY = """\
---
title: Forty Years in Four Pictures
---
A short history of the pier.

## 1986

```figure
image: images/pier.png
alt: The first pier
caption: The first pier, built of oak.
credit: Archive
```

The first pier was built of oak.

## 2006

The pier was extended by twenty metres.
"""

NEWS = """\
---
title: {title}
source: "Harbour Gazette, 1 March 2026"
---
{filler}
"""

FILLER = " ".join(["The tide came in and the boats rose with it, as they always do."] * 40)


def write_workspace(root: Path) -> Path:
    (root / "issues" / "spring" / "images").mkdir(parents=True)
    (root / "masthead.toml").write_text(CONFIG, encoding="utf-8")
    issue = root / "issues" / "spring"
    (issue / "issue.yaml").write_text(ISSUE, encoding="utf-8")
    (issue / "lead.md").write_text(LEAD.format(filler=FILLER), encoding="utf-8")
    (issue / "history.md").write_text(HISTORY, encoding="utf-8")
    (issue / "boats.md").write_text(NEWS.format(title="New Boats", filler=FILLER), encoding="utf-8")
    (issue / "nets.md").write_text(NEWS.format(title="Mending Nets", filler=FILLER), encoding="utf-8")
    for name, colour in (("cover", "#0f4c5c"), ("pier", "#c8702a")):
        image = Image.new("RGB", (320, 200), colour)
        ImageDraw.Draw(image).ellipse((100, 40, 220, 160), fill="#fbf6ec")
        image.save(issue / "images" / f"{name}.png")
    return root


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return write_workspace(tmp_path / "ws")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page, as poppler's pdftotext extracts it."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


def dedent(text: str) -> str:
    return textwrap.dedent(text)
