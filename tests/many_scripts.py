"""A small issue in twelve languages and ten scripts, for checking that each script is set as its
readers expect: every message is "translated" by a placeholder that writes, for each English word,
a real word of the language (so that Thai breaks between dictionary words, Japanese holds small kana
and long vowel marks, Devanagari joins its letters), with the language's own sentence end."""

from __future__ import annotations

import zlib
from pathlib import Path

from PIL import Image

from masthead import load_config
from masthead.catalogs import read_catalog, update, write_catalog
from masthead.sources import load_issue

LANGUAGES = ("en", "he", "hi", "bn", "ta", "th", "ko", "ja", "ru", "el", "fa", "am")
RTL = ("he", "fa")
POSTAL = "12 Juniper Row, Millbrook"
WEBSITE = "https://library.example.org"
EMAIL = "desk@library.example.org"
KEPT_ENGLISH = "Council harvest"
"""The cover's kicker, which no language translates: it is printed in English in every edition."""

WORDS: dict[str, tuple[str, ...]] = {
    "he": ("ספרייה", "שכנים", "גינה", "ילדים", "ערב", "רחוב", "מכתבים", "שוק", "נהר", "מתנדבים", "סדנה",
           "פנס", "קציר", "שולחן", "חלון", "קטן", "שקט", "בהיר", "עם", "אחרי"),
    "hi": ("पुस्तकालय", "पड़ोसी", "बगीचा", "बच्चे", "शाम", "सड़क", "पत्र", "बाज़ार", "नदी", "स्वयंसेवक",
           "कार्यशाला", "लालटेन", "फ़सल", "मेज़", "खिड़की", "छोटा", "शांत", "उजला", "साथ", "बाद"),
    "bn": ("গ্রন্থাগার", "প্রতিবেশী", "বাগান", "শিশুরা", "সন্ধ্যা", "রাস্তা", "চিঠি", "বাজার", "নদী",
           "স্বেচ্ছাসেবক", "কর্মশালা", "লণ্ঠন", "ফসল", "টেবিল", "জানালা", "ছোট", "শান্ত", "উজ্জ্বল", "সঙ্গে",
           "পরে"),
    "ta": ("நூலகம்", "அண்டைவீட்டார்", "தோட்டம்", "குழந்தைகள்", "மாலை", "தெரு", "கடிதங்கள்", "சந்தை",
           "ஆறு", "தன்னார்வலர்கள்", "பட்டறை", "விளக்கு", "அறுவடை", "மேசை", "சன்னல்", "சிறிய", "அமைதியான",
           "பிரகாசமான", "உடன்", "பிறகு"),
    "th": ("ห้องสมุด", "เพื่อนบ้าน", "สวน", "เด็ก", "ตอนเย็น", "ถนน", "จดหมาย", "ตลาด", "แม่น้ำ",
           "อาสาสมัคร", "โรงงาน", "โคมไฟ", "เก็บเกี่ยว", "โต๊ะ", "หน้าต่าง", "เล็ก", "เงียบ", "สว่าง", "กับ",
           "หลังจาก"),
    "ko": ("도서관", "이웃들", "정원", "아이들", "저녁", "거리", "편지", "시장", "강", "자원봉사자", "작업장",
           "등불", "수확", "탁자", "창문", "작은", "조용한", "밝은", "함께", "후에"),
    "ja": ("図書館", "近所の人たち", "庭", "子どもたち", "夕方", "通り", "手紙", "市場", "川", "工房",
           "ボランティア", "ちょうちん", "収穫", "テーブル", "窓", "小さな", "静かな", "明るい", "ショップ",
           "キャッチ"),
    "ru": ("библиотека", "соседи", "сад", "дети", "вечер", "улица", "письма", "рынок", "река", "волонтёры",
           "мастерская", "фонарь", "урожай", "столы", "окно", "маленький", "тихий", "светлый", "с", "после"),
    "el": ("βιβλιοθήκη", "γείτονες", "κήπος", "παιδιά", "βράδυ", "δρόμος", "γράμματα", "αγορά", "ποτάμι",
           "εθελοντές", "εργαστήριο", "φανάρι", "σοδειά", "τραπέζια", "παράθυρο", "μικρός", "ήσυχος",
           "φωτεινός", "με", "μετά"),
    "fa": ("کتابخانه", "همسایه‌ها", "باغ", "کودکان", "عصر", "خیابان", "نامه‌ها", "بازار", "رودخانه",
           "داوطلبان", "کارگاه", "فانوس", "برداشت", "میزها", "پنجره", "کوچک", "آرام", "روشن", "با", "بعد"),
    "am": ("ቤተመጻሕፍት", "ጎረቤቶች", "አትክልት", "ልጆች", "ምሽት", "መንገድ", "ደብዳቤዎች", "ገበያ", "ወንዝ",
           "ፈቃደኞች", "ዎርክሾፕ", "ፋኖስ", "መከር", "ጠረጴዛ", "መስኮት", "ትንሽ", "ጸጥ", "ብሩህ", "ጋር", "በኋላ"),
}  # fmt: skip
_STOPS = {"hi": "।", "bn": "।", "ja": "。", "am": "።", "th": ""}
_COMMAS = {"ja": "、", "am": "፣", "fa": "،"}

_EN = (
    "neighbours", "garden", "library", "kettle", "volunteers", "workshop", "river", "market", "children",
    "letters", "evening", "bakery", "street", "lantern", "council", "harvest", "tables", "radio", "window",
    "opened", "carried", "painted", "repaired", "counted", "every", "small", "quiet", "bright", "with",
)  # fmt: skip


def translate(message: str, tag: str) -> str:
    """``message`` with each English word replaced by a word of ``tag``'s language, chosen by the
    word (the same word is always the same word), in that language's way of spacing and ending."""
    if tag == "en":
        return message
    words = WORDS[tag]
    out: list[str] = []
    for sentence in (part for part in message.replace("?", ".").split(".") if part.strip()):
        chosen = [words[zlib.crc32(word.lower().encode()) % len(words)] for word in sentence.split()]
        if tag == "ja":
            text = "".join(
                w + (_COMMAS["ja"] if i % 5 == 4 and i < len(chosen) - 1 else "")
                for i, w in enumerate(chosen)
            )
        elif tag == "th":
            # Thai spaces only its phrases: words run together, a space every few words.
            text = " ".join("".join(chosen[i : i + 4]) for i in range(0, len(chosen), 4))
        else:
            comma = _COMMAS.get(tag, ",")
            text = " ".join(
                w + (comma if i % 6 == 5 and i < len(chosen) - 1 else "") for i, w in enumerate(chosen)
            )
        out.append(text + _STOPS.get(tag, "."))
    return ("" if tag == "ja" else " ").join(out)


def _sentences(seed: int, count: int, length: int = 12) -> str:
    parts = []
    for index in range(count):
        words = [_EN[(seed * 7 + index * 5 + k * 3) % len(_EN)] for k in range(length + index % 4)]
        parts.append(" ".join(words).capitalize() + ".")
    return " ".join(parts)


CONFIG = f"""\
[newsletter]
name = ["Juniper Row Library News"]
source_language = "en"
languages = {list(LANGUAGES)!r}
base_url = "https://library.example.org/news/"

[newsletter.local_names]
ru = "Вести библиотеки Джунипер Роу"

[newsletter.postal_address]
en = "{POSTAL}"

[catalogs]
threshold = 0
"""


def write_issue(root: Path) -> Path:
    """A workspace at ``root`` holding one issue (cover with kicker, a two-column feature, two-column
    news with source lines, a back page with address, website and email), translated into every
    language of :data:`LANGUAGES`."""
    folder = root / "issues" / "scripts"
    (folder / "images").mkdir(parents=True)
    (root / "masthead.toml").write_text(CONFIG, encoding="utf-8")
    Image.new("RGB", (1200, 800), "#0f4c5c").save(folder / "images" / "cover.png")
    (folder / "feature.md").write_text(
        "---\nkicker: Library life\ntitle: Evening letters from the river market\n"
        "standfirst: Small quiet volunteers carried every lantern.\nauthor: Grace Liang\n---\n"
        + "\n\n".join(_sentences(seed, 4) for seed in range(1, 7))
        + "\n",
        encoding="utf-8",
    )
    news = []
    for index in range(3):
        (folder / f"news-{index}.md").write_text(
            f"---\nkicker: Village notes\ntitle: Bright workshop tables opened {index + 2}\n"
            f'source: "Garden radio, window {index + 5}"\n---\n'
            + "\n\n".join(_sentences(index * 11 + seed, 3) for seed in range(3))
            + "\n",
            encoding="utf-8",
        )
        news.append(f"news-{index}")
    (folder / "issue.yaml").write_text(
        f"number: 7\ndate: 2026-06\ntitle: Lantern evenings by the quiet river\nkicker: {KEPT_ENGLISH}\n"
        "summary: Neighbours painted every small window of the bakery street.\n"
        "cover:\n  image: images/cover.png\n  alt: A teal square.\n  caption: The river market at evening.\n"
        "  credit: Hana Okafor\n"
        "headlines: [feature, news-0]\n"
        "sections:\n"
        "  - {title: Cover story, layout: feature, articles: [feature]}\n"
        f"  - {{title: News from the river, layout: news, articles: [{', '.join(news)}]}}\n"
        "colophon:\n  - {role: Editor, names: [Grace Liang]}\n  - {role: Design, names: [Sofia Tran]}\n"
        "back:\n  about: The library lends letters, lanterns and tables to every neighbour.\n"
        f"  website: {WEBSITE}\n  email: {EMAIL}\n"
        "names: [Grace Liang, Sofia Tran, Hana Okafor]\n",
        encoding="utf-8",
    )
    config = load_config(root)
    update(config, load_issue(folder, root=root), config.languages)
    for lang in config.languages[1:]:
        path = root / "locales" / lang.catalog_name / "LC_MESSAGES" / "scripts.po"
        catalog = read_catalog(path)
        for message in catalog:
            if message.id and message.id != KEPT_ENGLISH:
                message.string = translate(str(message.id), lang.tag)
                message.flags.discard("fuzzy")
        write_catalog(path, catalog)
    return folder
