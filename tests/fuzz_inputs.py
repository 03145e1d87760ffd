"""Hypothesis strategies for what people write: issue.yaml, front matter, Markdown, .po files, CSV.

Each strategy mixes three kinds of input: documents shaped like the real thing with hostile values
in every field, the valid document with random edits, and arbitrary text or bytes.
"""

from __future__ import annotations

import datetime
import json

import yaml
from hypothesis import strategies as st

# Values a hostile or careless contributor writes: traversal, URLs of every scheme, markup, template
# syntax, masthead's own placeholders, line breaks of every kind, invisible and mirrored characters.
NASTY = [
    "",
    " ",
    "../../../../etc/passwd",
    "/etc/passwd",
    "images/../../../outside.png",
    "~/secret",
    "file:///etc/passwd",
    "http://127.0.0.1:9/x.png",
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "[Title](javascript:alert(3))",
    "[x](file:///etc/passwd)",
    "![pixel](http://127.0.0.1:9/p.png)",
    "<javascript:alert(1)>",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "{{ config }}",
    "{% include 'print.css' %}",
    "%(name)s %s {name}",
    "%%masthead:html.web%%",
    "%%masthead:to%%",
    "\x00",
    "a\r\nBcc: victim@example.com",
    "line\u2028separator",
    "\u202egnp.exe",
    "\ufeffbom",
    "x" * 3000,
    "---",
    "```figure",
    "&#106;avascript:alert(1)",
    "ana@straße.de",
    "mailto:hello@example.org",
    "https://harbour.example.org/a b",
    "灯笼街通讯",
    "نشرة شارع الفوانيس",
    "e\u0301\u0301\u0301",
    "🎉👩‍👩‍👧",
    "*",
    "`",
    "\\",
    "#",
    "|a|b|\n|-|-|",
]

# Mostly characters the fonts cover (the build stops, by design, on one they do not), a few that
# no font has, and the ASCII punctuation that YAML, Markdown and PO give meaning to.
_ALPHABET = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.characters(min_codepoint=0xA0, max_codepoint=0x24F),
    st.sampled_from("\t\n\r\x0b\x0c\x00\x1b\x7f\x85\u2028\u2029\u200b\u200f\u202e\ufeff"),
    st.sampled_from("灯笼街通讯中文字ادبيةالعربعשלוםΩπж€™"),
    st.sampled_from("\ue000\U0001f600\U00013000\U0010fffd"),
)
words = st.text(_ALPHABET, min_size=1, max_size=40)
text_value = st.one_of(words, st.sampled_from(NASTY))

scalar = st.one_of(
    text_value,
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.dates(min_value=datetime.date(1, 1, 1)),
)
value = st.recursive(
    scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.one_of(words, st.integers()), inner, max_size=4)
    ),
    max_leaves=6,
)


def _maybe(strategy: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """A field's value: nearly always of the expected kind (so that most documents get through to the
    renderers), now and then anything at all."""
    return _rarely(value, strategy)


def _rarely(rare: st.SearchStrategy[object], usual: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """``rare`` one time in twelve, else ``usual`` (one_of would merge repeated branches)."""
    return st.sampled_from([False] * 11 + [True]).flatmap(lambda wild: rare if wild else usual)


_extra = _rarely(st.dictionaries(words, value, min_size=1, max_size=2), st.just({}))


def _mapping(
    fields: dict[str, st.SearchStrategy[object]], required: tuple[str, ...] = ()
) -> st.SearchStrategy[dict[object, object]]:
    """The ``required`` fields, some of the others, and once in a while a key nobody expects."""
    known = st.fixed_dictionaries(
        {key: fields[key] for key in required},
        optional={key: strategy for key, strategy in fields.items() if key not in required},
    )
    return st.tuples(known, _extra).map(lambda both: {**both[1], **both[0]})


_IMAGES = ["images/cover.png", "images/logo.svg", "images/missing.png", "./images/cover.png"]
image = _rarely(text_value, st.sampled_from(_IMAGES))
figure = _mapping({"image": _maybe(image), "alt": _maybe(text_value), "caption": _maybe(text_value),
                   "credit": _maybe(text_value)}, required=("image", "alt"))  # fmt: skip
article_id = _rarely(st.one_of(st.just("missing"), text_value), st.sampled_from(["lead", "notes"]))
LAYOUTS = ["feature", "timeline", "news", "standard"]


def dump(data: object) -> str:
    """YAML as a person might write it, or JSON (which YAML reads too) when YAML cannot say it."""
    try:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        return json.dumps(data, default=str)


def edited(original: str) -> st.SearchStrategy[str]:
    """``original`` with up to three random edits: text inserted, a stretch deleted or replaced."""

    def apply(edits: list[tuple[int, int, str]]) -> str:
        text = original
        for start, length, insert in edits:
            at = start % (len(text) + 1)
            text = text[:at] + insert + text[at + length :]
        return text

    edit = st.tuples(st.integers(0, 10_000), st.integers(0, 12), st.one_of(words, st.sampled_from(NASTY)))
    return st.lists(edit, min_size=1, max_size=3).map(apply)


def document(structured: st.SearchStrategy[str], original: str) -> st.SearchStrategy[str | bytes]:
    """A file's content: shaped like the real thing, the real thing edited, or anything at all."""
    return st.one_of(
        structured, structured, edited(original), edited(original), st.text(_ALPHABET, max_size=300),
        st.binary(max_size=200),
    )  # fmt: skip


# -- issue.yaml -------------------------------------------------------------------------------------

issue_data = _mapping({
    "number": _maybe(st.integers(-5, 10**9)),
    "date": _maybe(st.dates(min_value=datetime.date(1, 1, 1))),
    "title": _maybe(text_value),
    "kicker": _maybe(text_value),
    "summary": _maybe(text_value),
    "cover": _maybe(figure),
    "headlines": _maybe(st.lists(article_id, max_size=3)),
    "sections": _maybe(st.lists(_mapping({
        "title": _maybe(text_value),
        "layout": _maybe(_rarely(text_value, st.sampled_from(LAYOUTS))),
        "articles": _maybe(st.lists(article_id, min_size=1, max_size=2, unique=True)),
    }, required=("title", "articles")), min_size=1, max_size=2)),
    "colophon": _maybe(st.lists(_mapping({"role": _maybe(text_value),
                                          "names": _maybe(st.lists(text_value, max_size=3))},
                                         required=("role", "names")), max_size=2)),
    "back": _maybe(_mapping({"about": _maybe(text_value), "address": _maybe(text_value),
                             "website": _maybe(st.one_of(st.just("https://example.org/"), text_value)),
                             "email": _maybe(st.one_of(st.just("hello@harbour.example.org"), text_value))},
                            required=("about",))),
    "names": _maybe(st.lists(text_value, max_size=3)),
}, required=("number", "date", "title", "sections"))  # fmt: skip


def issue_yaml(original: str) -> st.SearchStrategy[str | bytes]:
    return document(issue_data.map(dump), original)


# -- an article's front matter, then its Markdown body -------------------------------------------------

front_data = _mapping({
    "title": _maybe(text_value), "kicker": _maybe(text_value), "standfirst": _maybe(text_value),
    "author": _maybe(text_value), "source": _maybe(text_value), "figure": _maybe(figure),
}, required=("title",))  # fmt: skip


def front_matter(original: str, body: str) -> st.SearchStrategy[str | bytes]:
    structured = front_data.map(lambda data: f"---\n{dump(data)}---\n{body}")
    return document(structured, original)


_inline = st.one_of(
    words,
    st.sampled_from(NASTY),
    st.builds("*{}*".format, words),
    st.builds("**{}**".format, words),
    st.builds("`{}`".format, words),
    st.builds("[{}]({})".format, words, text_value),
    st.builds("![{}]({})".format, words, image),
    st.builds("<{}>".format, text_value),
    st.builds("[{}][{}]".format, words, words),
)
_line = st.lists(_inline, min_size=1, max_size=4).map(" ".join)
_block = st.one_of(
    _line,
    st.builds("## {}".format, _line),
    st.builds("# {}".format, _line),
    st.builds("- {}\n- {}\n  - {}".format, _line, _line, _line),
    st.builds("1. {}\n2. {}".format, _line, _line),
    st.builds("> {}\n> > {}".format, _line, _line),
    st.builds("```figure\n{}```".format, figure.map(dump)),
    st.builds("```figure\n{}\n```".format, text_value),
    st.builds("```\n{}\n```".format, words),
    st.builds("    {}".format, words),
    st.builds("[{}]: {}".format, words, text_value),
    st.builds("<div>{}</div>".format, words),
    st.just("---"),
    st.just("| a | b |\n|---|---|\n| c | d |"),
)
markdown = st.lists(_block, max_size=6).map("\n\n".join)


def article_body(original: str, head: str) -> st.SearchStrategy[str | bytes]:
    return document(markdown.map(lambda body: head + body), original)


# -- a language's .po file ----------------------------------------------------------------------------


def _quoted(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


_flags = st.lists(
    st.sampled_from(["fuzzy", "machine", "machine-unchecked", "python-format", "x"]), max_size=3
)
_header_field = _rarely(
    st.sampled_from(["Plural-Forms: nplurals=x; plural=(n > ;", "Content-Type: text/plain; charset=KOI8-Z",
                     "PO-Revision-Date: yesterday", "Language: xx_YY"]),
    st.sampled_from(["Plural-Forms: nplurals=2; plural=(n > 1);", "Content-Type: text/plain; charset=utf-8",
                     "PO-Revision-Date: 2026-03-02 10:00+0100", "Language: fr", "Last-Translator: Ana"]),
)  # fmt: skip


def po_text(msgids: list[str]) -> st.SearchStrategy[str]:
    """A catalog for the issue's own messages, with hostile translations, flags and headers."""
    entry = st.tuples(
        _rarely(text_value, st.sampled_from(msgids)), st.one_of(text_value, _line), _flags,
        _rarely(st.just(True), st.just(False)), _rarely(st.sampled_from([1, 5]), st.just(0)),
    )  # fmt: skip

    def write(header: list[str], entries: list[tuple[str, str, list[str], bool, int]]) -> str:
        lines = ['msgid ""', 'msgstr ""', *(_quoted(field + "\n") for field in header), ""]
        for msgid, msgstr, flags, obsolete, plural in entries:
            lead = "#~ " if obsolete else ""
            if flags:
                lines.append("#, " + ", ".join(flags))
            lines.append(f"{lead}msgid {_quoted(msgid)}")
            if plural:  # the last form: 1 (French has two), or 5, more forms than the language has
                lines += [f"{lead}msgid_plural {_quoted(msgid)}", f"{lead}msgstr[0] {_quoted(msgstr)}",
                          f"{lead}msgstr[{plural}] {_quoted(msgstr)}"]  # fmt: skip
            else:
                lines.append(f"{lead}msgstr {_quoted(msgstr)}")
            lines.append("")
        return "\n".join(lines)

    return st.builds(write, st.lists(_header_field, max_size=3), st.lists(entry, max_size=8))


def po_file(original: str, msgids: list[str]) -> st.SearchStrategy[str | bytes]:
    return document(po_text(msgids), original)


# -- subscribers to import ----------------------------------------------------------------------------

_address = st.one_of(
    st.sampled_from(["ana@example.org", "ANA@Example.org", "ana@straße.de", "zoë@example.org", "ana@",
                     "@example.org", "ana@localhost", "a@b@c", "ana@example.org\nBcc: x@example.org"]),
    st.builds("{}@{}.org".format, words, words), text_value,
)  # fmt: skip
_cell = st.one_of(text_value, st.sampled_from(["en", "fr", "pt-BR", "zh-Hant", "xx", "active", "bounced"]))
_column = st.sampled_from(["address", "name", "language", "status", "created", "Address ", "email", ""])


def _csv_text(header: list[str], rows: list[list[str]], quoting: bool) -> str:
    def cell(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if quoting or any(c in text for c in ',"\r\n') else text

    return "\n".join(",".join(cell(c) for c in row) for row in [header, *rows]) + "\n"


csv_data = st.builds(
    _csv_text,
    st.one_of(st.just(["address", "name", "language", "status"]), st.lists(_column, max_size=5)),
    st.lists(st.lists(st.one_of(_address, _cell), min_size=1, max_size=5), max_size=8),
    st.booleans(),
)


def subscribers_csv(original: str) -> st.SearchStrategy[str | bytes]:
    return document(csv_data, original)


# -- masthead.toml ----------------------------------------------------------------------------------------

_TAGS = ["en", "fr", "ar", "zh-Hans", "pt-BR", "xx", "EN", "en_US", "zh_hant", ""]
_tag = _rarely(text_value, st.sampled_from(_TAGS[:5]))
_SETTING_VALUES: dict[str, st.SearchStrategy[object]] = {
    "name": st.one_of(text_value, st.lists(text_value, min_size=1, max_size=3)),
    "publisher": text_value,
    "languages": st.lists(_tag, min_size=1, max_size=4).map(lambda tags: ["en", *tags]),
    "source_language": _rarely(_tag, st.just("en")),
    "base_url": _rarely(text_value, st.sampled_from(["https://harbour.example.org/news/", "http://x/"])),
    "local_names": st.dictionaries(_tag, text_value, max_size=2),
    "postal_address": st.one_of(text_value, st.dictionaries(_tag, text_value, max_size=2)),
    "sender": _rarely(text_value, st.just("Harbour Notes <news@harbour.example.org>")),
}


def _setting_value(default: object, example: object, key: str) -> st.SearchStrategy[object]:
    """A setting's value: what the settings say of it (its default or example), a value of the kind a
    person would write for it, or, now and then, anything at all."""
    if key in _SETTING_VALUES:
        return _SETTING_VALUES[key]
    known = [v for v in (default, example) if v not in (None, {}, [])]
    return _rarely(st.one_of(value, text_value), st.sampled_from(known)) if known else text_value


def _toml(tables: dict[str, dict[str, object]]) -> str:
    from masthead._config._document import toml_value

    lines = []
    for table, values in tables.items():
        lines.append(f"[{table}]")
        for key, item in values.items():
            try:
                lines.append(f"{key} = {toml_value(item)}")
            except TypeError:  # a date or a value TOML cannot spell this way: written as text
                lines.append(f"{key} = {json.dumps(str(item), ensure_ascii=False)}")
        lines.append("")
    return "\n".join(lines)


def settings_data() -> st.SearchStrategy[dict[str, dict[str, object]]]:
    """Tables of masthead.toml, each with some of its declared settings (and now and then an unknown
    table or key); [newsletter] nearly always with what it needs."""
    from masthead._config import TABLES
    from masthead._config._declare import settings_of

    tables: dict[str, st.SearchStrategy[dict[object, object]]] = {}
    for table, cls in TABLES.items():
        declared = {s.key: _setting_value(s.default, s.example, s.key) for s in settings_of(cls)}
        required = ("name", "base_url", "languages", "source_language") if table == "newsletter" else ()
        # A few settings of each table: each one is a chance to go wrong, and the renderers should
        # see most documents.
        keys = st.lists(st.sampled_from(sorted(declared)), max_size=3, unique=True)
        tables[table] = st.tuples(_mapping({k: declared[k] for k in required}, required), keys).flatmap(
            lambda both, declared=declared: st.fixed_dictionaries(
                {**{k: st.just(v) for k, v in both[0].items()}, **{k: declared[k] for k in both[1]}}
            )
        )
    others = [name for name in tables if name != "newsletter"]
    return st.tuples(
        tables["newsletter"], st.lists(st.sampled_from(others), max_size=3, unique=True)
    ).flatmap(
        lambda both: st.fixed_dictionaries(
            {"newsletter": st.just(both[0]), **{name: tables[name] for name in both[1]}}
        )
    )  # type: ignore[return-value]


def masthead_toml(original: str) -> st.SearchStrategy[str | bytes]:
    return document(settings_data().map(_toml), original)
