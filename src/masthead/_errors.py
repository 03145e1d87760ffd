"""One exception tree: every error a user can fix knows where it was found and what to do."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def display_path(path: Path) -> str:
    """A path as a person in the current folder would type it."""
    if path.is_absolute() and path.is_relative_to(Path.cwd()):
        return str(path.relative_to(Path.cwd()))
    return str(path)


class MastheadError(Exception):
    """An error in the user's input or environment that the user can fix.

    ``path`` and ``line`` say where the problem was found (when known) and ``hint`` what to do.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.hint = hint

    @property
    def location(self) -> str:
        if self.path is None:
            return ""
        path = display_path(self.path)
        return f"{path}:{self.line}" if self.line else path

    def format(self) -> str:
        where = f"{self.location}: " if self.location else ""
        text = f"{where}{self.message}"
        if self.hint:
            text += f"\n    {self.hint}"
        return text

    def __str__(self) -> str:
        return self.format()


class ConfigError(MastheadError):
    """A problem in ``masthead.toml``."""


class SourceError(MastheadError):
    """A problem in an issue's sources (``issue.yaml``, articles, images)."""


class CatalogError(MastheadError):
    """A problem in a translation catalog."""


class RenderError(MastheadError):
    """A problem met while rendering an edition (missing fonts, broken templates)."""


class ResourceError(RenderError):
    """A reference to something a build may not load: a URL, or a file outside the issue and theme."""


class EmailError(MastheadError):
    """A problem building or personalising an email."""

    evidence: str = ""
    """The text of the edition at fault, to find the file and line it was written on."""


class RecipientError(EmailError):
    """A subscriber's field that cannot go into a message (a line break in a header, a bad URL)."""

    def __init__(self, field: str, message: str, *, hint: str | None = None) -> None:
        super().__init__(f"recipient {field}: {message}", hint=hint)
        self.field = field


class DeliveryError(MastheadError):
    """A problem with subscribers or with sending a campaign."""


class Problems(MastheadError):
    """Several problems found in one pass, reported together."""

    def __init__(self, problems: Iterable[MastheadError]) -> None:
        # In the order a person fixes them: file by file, top to bottom.
        self.problems = sorted(problems, key=lambda p: (str(p.path or ""), p.line or 0))
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found")

    def format(self) -> str:
        return "\n".join(problem.format() for problem in self.problems)


def raise_all(problems: list[MastheadError]) -> None:
    """Raise the one problem found, or all of them together; do nothing if there are none."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise Problems(problems)
