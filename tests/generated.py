"""Issues made by a seeded generator: texts of every length and figures of every shape, in English
with Chinese and Arabic translations of about the same length, for layout tests."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw

from masthead import load_config
from masthead.catalogs import read_catalog, update, write_catalog
from masthead.sources import load_issue

CONFIG = """\
[newsletter]
name = ["Generated Notes", "生成通讯"]
source_language = "en"
languages = ["en", "zh-Hans", "ar"]
base_url = "https://generated.example.org/"
"""

_EN = (
    "neighbours", "garden", "library", "kettle", "volunteers", "workshop", "river", "market", "children",
    "letters", "evening", "bakery", "street", "lantern", "council", "harvest", "tables", "radio", "window",
    "opened", "carried", "painted", "repaired", "counted", "every", "small", "quiet", "bright", "with",
    "after", "before", "around", "the", "a", "of", "and", "for", "their", "our",
)  # fmt: skip
_ZH = (
    "邻居们", "花园", "图书馆", "水壶", "志愿者", "工作坊", "河边", "市场", "孩子们", "信件",
    "傍晚", "面包店", "街道", "灯笼", "议会", "丰收", "桌子", "收音机", "窗户", "打开了",
    "带来了", "粉刷了", "修好了", "每一个", "安静的", "明亮的", "和", "在", "的", "我们",
)  # fmt: skip
_AR = (
    "الجيران", "الحديقة", "المكتبة", "الإبريق", "المتطوعون", "الورشة", "النهر", "السوق", "الأطفال",
    "الرسائل", "المساء", "المخبز", "الشارع", "الفانوس", "المجلس", "الحصاد", "الطاولات", "المذياع",
    "النافذة", "فتحوا", "حملوا", "طلوا", "أصلحوا", "كل", "صغيرة", "هادئة", "مشرقة", "مع", "بعد", "قبل",
    "حول", "في", "من", "على",
)  # fmt: skip

SHAPES = ((1, 3), (1, 2), (1, 1), (4, 3), (2, 1), (3, 1))
"""Width to height of the generated images, from a tall portrait to a wide panorama; 1:1 is a logo."""


@dataclass
class Generated:
    root: Path
    slug: str
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    """For each English message, its Chinese and Arabic translations."""
    cover_sizes: set[tuple[int, int]] = field(default_factory=set)
    """Pixel sizes of the images whose figures ask for fit: cover."""
    images: int = 0


class _Writer:
    def __init__(self, seed: int, root: Path, slug: str) -> None:
        self.random = random.Random(seed)
        self.out = Generated(root, slug)
        self.folder = root / "issues" / slug
        (self.folder / "images").mkdir(parents=True)
        self.images = 0

    def sentence(self) -> str:
        """One sentence in each language, of similar length, the English one returned."""
        count = self.random.randint(7, 14)
        english = " ".join(self.random.choice(_EN) for _ in range(count)).capitalize() + "."
        chinese = "".join(self.random.choice(_ZH) for _ in range(count)) + "。"
        arabic = " ".join(self.random.choice(_AR) for _ in range(count)) + "."
        return self._message(english, chinese, arabic)

    def paragraph(self, sentences: int) -> str:
        parts = [self.sentence() for _ in range(sentences)]
        english = " ".join(parts)
        self.out.translations[english] = {
            lang: ("" if lang == "zh-Hans" else " ").join(self.out.translations[p][lang] for p in parts)
            for lang in ("zh-Hans", "ar")
        }
        return english

    def _message(self, english: str, chinese: str, arabic: str) -> str:
        self.out.translations[english] = {"zh-Hans": chinese, "ar": arabic}
        return english

    def image(self, shape: tuple[int, int]) -> str:
        self.images += 1
        self.out.images = self.images
        # Each image gets its own pixel size, so a placed image can be told apart in the PDF.
        width = 120 + self.images * 7 * shape[0]
        height = round(width * shape[1] / shape[0])
        picture = Image.new("RGB", (width, height), "#0f4c5c")
        ImageDraw.Draw(picture).ellipse((width // 4, height // 4, width * 3 // 4, height * 3 // 4), "#c8702a")
        name = f"images/generated-{self.images}.png"
        picture.save(self.folder / name)
        return name

    def figure(self, shape: tuple[int, int], *, cover: bool = False, indent: str = "") -> str:
        name = self.image(shape)
        if cover:
            with Image.open(self.folder / name) as picture:
                self.out.cover_sizes.add(picture.size)
        caption = self.sentence()
        lines = [
            f"image: {name}",
            f"alt: {self.sentence()}",
            f'caption: "{caption}"',
            "credit: Generated Studio",
        ]
        if cover:
            lines += ["fit: cover", "focus: 30% 40%"]
        return "".join(f"{indent}{line}\n" for line in lines)


def generate_issue(root: Path, seed: int) -> Generated:
    """A workspace at ``root`` holding one generated issue, translated into Chinese and Arabic."""
    root.mkdir(parents=True)
    (root / "masthead.toml").write_text(CONFIG, encoding="utf-8")
    writer = _Writer(seed, root, "generated")
    rand = writer.random

    years = []
    lengths = [1, 2, 5, 12, 28]
    rand.shuffle(lengths)
    for index, sentences in enumerate(lengths):
        shape = SHAPES[(seed + index) % len(SHAPES)]
        paragraphs = "\n\n".join(writer.paragraph(n) for n in _split(sentences, rand))
        figure = writer.figure(shape, cover=index == 3)
        years.append(f"## {1990 + 6 * index}\n\n```figure\n{figure}```\n\n{paragraphs}\n")
    (writer.folder / "timeline.md").write_text(
        f"---\ntitle: {writer.sentence()}\n---\n{writer.paragraph(2)}\n\n" + "\n".join(years),
        encoding="utf-8",
    )
    news = []
    for index in range(4):
        shape = rand.choice(SHAPES)
        sentences = rand.choice([1, 3, 8, 20])
        body = "\n\n".join(writer.paragraph(n) for n in _split(sentences, rand))
        figure = writer.figure(shape, cover=index == 2, indent="  ")
        (writer.folder / f"news-{index}.md").write_text(
            f'---\ntitle: "{writer.sentence()}"\nsource: "{writer.sentence()}"\n'
            f"figure:\n{figure}---\n{body}\n",
            encoding="utf-8",
        )
        news.append(f"news-{index}")
    logo = writer.figure((1, 1), indent="  ")
    feature_body = "\n\n".join(writer.paragraph(n) for n in (4, 9, 2, 6))
    (writer.folder / "feature.md").write_text(
        f'---\ntitle: "{writer.sentence()}"\nfigure:\n{logo}---\n{feature_body}\n', encoding="utf-8"
    )
    (writer.folder / "issue.yaml").write_text(
        f"number: {seed}\ndate: 2026-06\ntitle: Generated issue {seed}\ncover:\n"
        + writer.figure(rand.choice(SHAPES), indent="  ")
        + "sections:\n"
        "  - {title: Feature, layout: feature, articles: [feature]}\n"
        "  - {title: Timeline, layout: timeline, articles: [timeline]}\n"
        f"  - {{title: News, layout: news, articles: [{', '.join(news)}]}}\n"
        "names: [Generated Studio]\n",
        encoding="utf-8",
    )
    for title in ("Feature", "Timeline", "News", f"Generated issue {seed}"):
        writer.out.translations[title] = {"zh-Hans": "专题" + title, "ar": "قسم " + str(seed)}
    config = load_config(root)
    update(config, load_issue(writer.folder, root=root), config.languages)
    for lang in config.languages[1:]:
        path = root / "locales" / lang.catalog_name / "LC_MESSAGES" / "generated.po"
        catalog = read_catalog(path)
        for message in catalog:
            if message.id:
                message.string = writer.out.translations.get(str(message.id), {}).get(
                    lang.tag, str(message.id)
                )
                message.flags.discard("fuzzy")
        write_catalog(path, catalog)
    return writer.out


def _split(sentences: int, rand: random.Random) -> list[int]:
    """``sentences`` shared out into paragraphs of one to six sentences."""
    parts = []
    while sentences > 0:
        take = min(sentences, rand.randint(1, 6))
        parts.append(take)
        sentences -= take
    return parts
