"""The build: an issue's images prepared once (where print places each is measured first), then each
language's PDF, web page and email rendered in worker processes, and a stamp left when it is done.

Importing this loads the renderer; only building needs it.
"""

from ._build import BuildReport, build
from ._issue_images import placements_of, prepare_issue_images
from ._parallel import LanguageBuild, LanguageJob, render_languages, split_for_workers, workers

__all__ = [
    "BuildReport",
    "LanguageBuild",
    "LanguageJob",
    "build",
    "placements_of",
    "prepare_issue_images",
    "render_languages",
    "split_for_workers",
    "workers",
]
