"""The editor's subscriber list: add, remove, list, and CSV import and export."""

from ._csv import ImportReport, RowProblem
from ._list import (
    add_subscriber,
    export_subscribers,
    import_subscribers,
    list_subscribers,
    remove_subscriber,
    unsubscribe,
)

__all__ = [
    "ImportReport",
    "RowProblem",
    "add_subscriber",
    "export_subscribers",
    "import_subscribers",
    "list_subscribers",
    "remove_subscriber",
    "unsubscribe",
]
