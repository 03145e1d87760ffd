"""Mail that came back: bounce (DSN) and complaint (ARF) reports read from a Maildir or over IMAP,
matched to subscribers through VERP return paths, and acted on."""

from ._bounces import Action, BounceRun, Effect, Outcome, Unhandled, process_bounces
from ._parse import COMPLAINT, DELAYED, HARD, SOFT, Finding, Report, read_report
from ._verp import Verp

__all__ = [
    "COMPLAINT",
    "DELAYED",
    "HARD",
    "SOFT",
    "Action",
    "BounceRun",
    "Effect",
    "Finding",
    "Outcome",
    "Report",
    "Unhandled",
    "Verp",
    "process_bounces",
    "read_report",
]
