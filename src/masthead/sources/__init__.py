"""Stage 1: an issue's sources (``issue.yaml`` and Markdown articles) as a typed model."""

from ._loader import ISSUE_FILE, find_issue, load_issue
from ._model import (
    LAYOUTS,
    Article,
    BackPage,
    Block,
    Credit,
    Figure,
    Heading,
    Issue,
    ItemList,
    Origin,
    Paragraph,
    Quote,
    Section,
    Text,
)
from ._walk import map_texts, texts

__all__ = [
    "ISSUE_FILE",
    "LAYOUTS",
    "Article",
    "BackPage",
    "Block",
    "Credit",
    "Figure",
    "Heading",
    "Issue",
    "ItemList",
    "Origin",
    "Paragraph",
    "Quote",
    "Section",
    "Text",
    "find_issue",
    "load_issue",
    "map_texts",
    "texts",
]
