"""The theme: Jinja2 templates from the workspace's ``templates/``, falling back to the packaged ones."""

from __future__ import annotations

import datetime
import gettext
import html
import re
import traceback
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel import Locale
from babel.dates import format_date, format_skeleton
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    pass_context,
)
from jinja2.runtime import Context
from markdown_it import MarkdownIt
from markupsafe import Markup

from .._config import Config
from .._errors import MastheadError, RenderError
from .._language import Language
from .._links import markdown
from ..catalogs import ISSUE_ANCHORS, block_anchor, section_anchor
from ..sources import Article, Block, Heading, Issue, Text
from ._fonts import font_stack, script_key
from ._islands import Islands
from ._scripts import LABEL_PATTERN, ScriptRules, allows, text_direction
from ._typography import label_pattern, typographer

if TYPE_CHECKING:
    from ..editions import Edition

# Raw HTML is off: a translation (human or machine) can only ever become escaped text, and only
# links the one link rule allows (http(s), mailto, relative) become links. Images come from figures
# only: one inside a message would load whatever its URL names.
_markdown = markdown().disable("image")


def _parser(language: Language | None) -> MarkdownIt:
    return typographer(language) if language is not None else _markdown


def inline_markdown(
    value: Text | str | None, islands: Islands | None = None, *, island_span: bool = True
) -> Markup:
    """Render one message's inline Markdown (emphasis, links, code) to HTML; with ``islands``, set in
    the typography of the language it is shown in (its quotation marks and spaces), and the text in
    another language than the edition's marked with its own ``lang`` and ``dir``: a run
    inside it in a span, the whole text in a span too unless ``island_span`` is false (the element
    holding it carries them, from the ``lang_attrs`` filter)."""
    if value is None:
        return Markup("")
    if islands is None:
        return Markup(_markdown.renderInline(str(value)))
    within = islands.text_language(value)
    parser = typographer(within)
    tokens = parser.parseInline(str(value))
    for token in tokens:
        for child in token.children or []:
            if child.type == "text":
                child.type, child.content = "html_inline", str(islands.mark_runs(child.content, within))
    inner = Markup(parser.renderer.render(tokens, parser.options, {}))
    return islands.wrap(value, inner) if island_span else inner


@pass_context
def _md(context: Context, value: Text | str | None, island_span: bool = True) -> Markup:
    islands = context.get("islands")
    return inline_markdown(value, islands if isinstance(islands, Islands) else None, island_span=island_span)


@pass_context
def _islands(context: Context, value: str | None) -> Markup:
    """A plain string (a name, a list of names) with its runs in other scripts marked."""
    islands = context.get("islands")
    if value is None:
        return Markup("")
    if not isinstance(islands, Islands):
        return Markup(html.escape(value, quote=False))
    return islands.mark_runs(value, islands.edition)


@pass_context
def lang_attributes(context: Context, value: Text | str | None) -> Markup:
    """``lang`` and ``dir`` for the element holding a text shown in another language than the
    edition's (a fallback to the source), so that it reads, hyphenates and justifies as its own."""
    islands = context.get("islands")
    return islands.block_attributes(value) if isinstance(islands, Islands) else Markup("")


def plain(value: Text | str | None, language: Language | None = None) -> str:
    """One message as plain text, with its inline Markdown dropped (for attributes and titles), in
    the typography of ``language`` when it is given."""
    if value is None:
        return ""
    tokens = _parser(language).parseInline(str(value))
    return "".join(
        child.content
        for token in tokens
        for child in token.children or []
        if child.type in ("text", "code_inline")
    )


def display_url(url: str | None) -> str:
    """A web address as a reader types it: without ``https://`` or ``http://`` and a closing slash."""
    if not url:
        return ""
    return re.sub(r"^https?://", "", url, flags=re.IGNORECASE).removesuffix("/")


@pass_context
def _plain(context: Context, value: Text | str | None) -> str:
    islands = context.get("islands")
    return plain(value, islands.text_language(value) if isinstance(islands, Islands) else None)


def chapters(blocks: tuple[Block, ...]) -> list[tuple[Heading | None, list[Block]]]:
    """Split an article's body at its headings: a timeline shows one chapter per year."""
    groups: list[tuple[Heading | None, list[Block]]] = [(None, [])]
    for block in blocks:
        if isinstance(block, Heading) and block.level <= 2:
            groups.append((block, []))
        else:
            groups[-1][1].append(block)
    return [group for group in groups if group[0] is not None or group[1]]


def lead_blocks(article: Article, count: int = 2) -> list[Block]:
    """The opening paragraphs of an article, for teasers."""
    return [block for block in article.body if block.type == "paragraph"][:count]


_DATE_SKELETONS = {"year": "y", "month": "yMMMM"}


def issue_date(issue: Issue, locale: Locale) -> str:
    """The issue's date as the locale writes it, to the precision the issue gives: a year
    ("2023", "2023年"), a month ("June 2023", "2023年6月", "يونيو 2023") or a day."""
    skeleton = _DATE_SKELETONS.get(issue.date_precision)
    if skeleton is None:
        return local_date(issue.date, "long", locale)
    return format_skeleton(skeleton, issue.date, locale=locale)


def local_date(value: datetime.date, fmt: str, locale: Locale) -> str:
    """A date as the locale writes it; French writes the first of the month as an ordinal (1er),
    which Babel's patterns cannot express."""
    text = format_date(value, fmt, locale=locale)
    if locale.language == "fr" and value.day == 1 and fmt in ("long", "full"):
        text = re.sub(r"(?<!\d)1(?= )", "1er", text, count=1)
    return text


class ScriptDefaults(gettext.NullTranslations):
    """A language's theme translations, with its script's way of joining a label and its value where
    its catalog does not say it (a language the theme has no catalog for)."""

    def __init__(self, translations: gettext.NullTranslations, language: Language) -> None:
        super().__init__()
        self._translations = translations
        self._language = language

    def gettext(self, message: str) -> str:
        found = self._translations.gettext(message)
        if message == LABEL_PATTERN and found == message:
            return label_pattern(self._language)
        return found

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self._translations.ngettext(msgid1, msgid2, n)

    def pgettext(self, context: str, message: str) -> str:
        return self._translations.pgettext(context, message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return self._translations.npgettext(context, msgid1, msgid2, n)


@pass_context
def _isolate(context: Context, value: str | None) -> Markup | str:
    """A string masthead puts inside the edition's text (an address, a name, a number with its unit)
    set apart in its own direction when that is not the edition's: an English postal address in a
    Hebrew edition keeps its house number at its start. Runs in other scripts inside it are marked
    as :func:`_islands` marks them."""
    if not value:
        return Markup("")
    islands = context.get("islands")
    language: Language = context["lang"]
    direction = text_direction(value)
    if not context.eval_ctx.autoescape:
        # Plain text (the text email): Unicode's isolates, which every current mail client honours.
        if direction is None or direction == language.direction:
            return value
        return ("\u2066" if direction == "ltr" else "\u2067") + value + "\u2069"
    inner = (
        islands.mark_runs(value, islands.edition)
        if isinstance(islands, Islands)
        else Markup(html.escape(value, quote=False))
    )
    if direction is None or direction == language.direction:
        return inner
    return Markup(f'<span dir="{direction}" class="isolate">{inner}</span>')


@pass_context
def _allows(context: Context, value: str | None, feature: str) -> bool:
    """Whether every script written in ``value`` allows ``feature`` (``tracking``, ``uppercase``...)."""
    return allows(str(value or ""), context["lang"], feature)


def script_rules(language: Language, config: Config | None = None) -> ScriptRules:
    """What the CSS of ``language``'s outputs needs from the script table, for the newsletter's
    languages (those of ``config``)."""
    others = (*config.languages, config.source_language) if config is not None else ()
    return ScriptRules(language, tuple(others))


THEME_PREFIX = "theme/"
"""Names the packaged theme's own file (``theme/print.html``), so that a workspace template of the
same name can extend or include it instead of replacing it."""


def environment(templates_dir: Path | None) -> Environment:
    """A Jinja2 environment whose workspace templates override the packaged theme file by file,
    and can build on the packaged file they override through its ``theme/`` name."""
    packaged = PackageLoader("masthead", "templates")
    loaders: list[Any] = [PrefixLoader({THEME_PREFIX.rstrip("/"): packaged})]
    if templates_dir is not None and templates_dir.is_dir():
        loaders.append(FileSystemLoader(templates_dir))
    loaders.append(packaged)
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = _md
    env.filters["plain"] = _plain
    env.filters["islands"] = _islands
    env.filters["display_url"] = display_url
    env.filters["lang_attrs"] = lang_attributes
    env.filters["source_lang"] = lang_attributes  # the name it had before every island was marked
    env.filters["chapters"] = chapters
    env.filters["lead"] = lead_blocks
    env.filters["script_key"] = script_key
    env.filters["font_stack"] = font_stack
    # Where a translator's catalog links to: the id of each translated block (catalogs/_context.py).
    env.globals.update(anchor=block_anchor, section_anchor=section_anchor, issue_anchors=ISSUE_ANCHORS)
    env.filters["isolate"] = _isolate
    env.filters["allows"] = _allows
    env.globals["script_rules"] = script_rules
    return env


@lru_cache(maxsize=8)
def _cached_environment(templates_dir: Path | None, _overrides: frozenset[Path]) -> Environment:
    return environment(templates_dir)


def _workspace_environment(templates_dir: Path | None) -> Environment:
    """The environment for ``templates_dir``, made anew when a file there appears or goes away
    (Jinja2 reloads a changed file by itself, but not one that now shadows a packaged template)."""
    files: frozenset[Path] = frozenset()
    if templates_dir is not None and templates_dir.is_dir():
        files = frozenset(path for path in templates_dir.rglob("*") if path.is_file())
    return _cached_environment(templates_dir, files)


def render_template(
    name: str,
    *,
    templates_dir: Path | None,
    language: Language,
    translations: gettext.NullTranslations | None = None,
    **context: Any,
) -> str:
    """Render one theme template for one language, with theme strings in that language."""
    env = _workspace_environment(templates_dir)
    locale = language.locale
    date: Callable[..., str] = lambda value, fmt="long": local_date(value, fmt, locale)  # noqa: E731
    dated: Callable[[Issue], str] = lambda issue: issue_date(issue, locale)  # noqa: E731
    with_defaults = ScriptDefaults(translations or gettext.NullTranslations(), language)
    env.install_gettext_translations(with_defaults, newstyle=True)  # type: ignore[attr-defined]
    # How a label meets its value ("Website: ", "Site web : ", "ウェブサイト："): what lies between them
    # (colon), and the space after a label that holds its own colon ("Source:"), none after a
    # full-width one (来源：).
    pattern = with_defaults.gettext(LABEL_PATTERN)
    colon = pattern.partition("%(label)s")[2].partition("%(value)s")[0] or ": "
    space = " " if colon[-1:].isspace() else ""
    try:
        template = env.get_template(name)
        return template.render(
            lang=language, format_date=date, issue_date=dated, label_space=space, colon=colon, **context
        )
    except TemplateNotFound as exc:
        raise RenderError(
            f"theme template {exc.name!r} not found",
            path=templates_dir,
            hint="a workspace template can include or extend a file of the theme (print.html) or "
            "the theme's own version of it (theme/print.html)",
        ) from None
    except RecursionError:
        raise RenderError(
            f"rendering {name} never ends: a workspace template extends or includes itself",
            path=templates_dir,
            hint="to build on the theme's file of the same name, name it with theme/ in front: "
            '{% extends "theme/print.html" %}',
        ) from None
    except TemplateSyntaxError as exc:
        raise RenderError(
            f"template error: {exc.message}", path=exc.filename, line=exc.lineno, hint=_TEMPLATE_HINT
        ) from None
    except TemplateError as exc:
        path, line = _template_frame(exc)
        raise RenderError(
            f"template error in {name}: {exc}", path=path or templates_dir, line=line, hint=_TEMPLATE_HINT
        ) from None
    except MastheadError:
        raise
    except Exception as exc:
        # An ordinary Python error raised by an expression of a template ({{ number + "x" }} is a
        # TypeError): where the traceback passes through a template, that file and line are the place.
        path, line = _template_frame(exc)
        if path is None:
            raise
        raise RenderError(
            f"template error in {name}: {type(exc).__name__}: {exc}",
            path=path,
            line=line,
            hint=_TEMPLATE_HINT,
        ) from None


_TEMPLATE_HINT = (
    "the README's section on the theme lists each template's blocks and what templates see "
    "(issue, edition, config, lang)"
)


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The template file and line where rendering failed: Jinja2 puts them in the traceback."""
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if not frame.filename.endswith(".py") and Path(frame.filename).is_file():
            found = (frame.filename, frame.lineno)
    return found


def render_edition(
    name: str,
    edition: Edition,
    config: Config,
    translations: gettext.NullTranslations | None,
    **context: Any,
) -> str:
    """Render theme template ``name`` for an edition: the context every template of the theme has
    (``edition``, ``issue``, ``config``, ``lang``, ``_()``), plus ``context``."""
    return render_template(
        name,
        templates_dir=config.templates_dir,
        language=edition.language,
        translations=translations,
        edition=edition,
        issue=edition.issue,
        config=config,
        islands=edition_islands(edition, config),
        **context,
    )


def edition_islands(edition: Edition, config: Config) -> Islands:
    """What marks the texts of ``edition`` shown in another language than its own."""
    return Islands(edition.language, config.source_language, config.languages, edition.issue.names)


def message_parser(edition: Edition, config: Config) -> Callable[[Text | str], MarkdownIt]:
    """The inline Markdown parser for each message of ``edition``, in the typography of the language
    the message is shown in, as :func:`inline_markdown` sets it: for outputs that are not HTML."""
    islands = edition_islands(edition, config)
    return lambda value: typographer(islands.text_language(value))
