"""What a campaign reports: the plan of a dry run and the outcome of a send, as data and as text."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .._wording import plural
from ._outage import Episode

SAMPLE = 5
"""Recipients and failures a plan or report lists by name."""


# -- plans ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LanguagePlan:
    language: str
    """The subscribers' preferred language."""
    edition: str
    """The edition they receive."""
    rule: str
    """Why: ``exact``, ``region``, ``script`` (another script of the same language) or ``source``."""
    subscribers: int
    """Active subscribers with this preference still to be sent the issue."""


@dataclass(frozen=True)
class CampaignPlan:
    slug: str
    transport: str
    editions: tuple[str, ...]
    languages: tuple[LanguagePlan, ...]
    to_send: int
    already_sent: int
    failed_before: int
    inactive: int
    sample: tuple[tuple[str, str], ...]
    """The first few recipients still to be sent, with their edition."""
    destination: str = ""
    """Where the transport sends: the SMTP server, or the Maildir folder."""
    withheld: tuple[tuple[str, str], ...] = ()
    """Editions built but left out, with the reason (built with --force below the threshold)."""
    warnings: tuple[str, ...] = ()

    def per_edition(self) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for item in self.languages:
            counts[item.edition] += item.subscribers
        return dict(counts)

    def format(self) -> str:
        lines = [
            f"{self.slug}: {self.to_send} to send by {self.transport}"
            + (f" ({self.destination})" if self.destination else "")
            + f"; {self.already_sent} already sent by {self.transport}, {self.failed_before} failed before,"
            f" {self.inactive} unsubscribed or bounced",
            log_note(self.slug, self.transport),
            "editions to send: " + ", ".join(self.editions),
        ]
        lines += [
            f"left out: {tag}: {reason}; its readers get another edition (below)"
            for tag, reason in self.withheld
        ]
        lines += [f"  {edition}: {count}" for edition, count in self.per_edition().items()]
        lines += [f"  {line}" for line in choice_lines(self.languages)]
        if self.sample:
            lines.append("first recipients:")
            lines += [f"  {address} ({edition})" for address, edition in self.sample]
        lines += [f"warning: {warning}" for warning in self.warnings]
        return "\n".join(lines)


def log_note(slug: str, transport: str) -> str:
    """The send log is kept per transport; say so, since it decides who a later run sends to."""
    if transport == "smtp":
        return "only a send by smtp counts as sent: a maildir run does not"
    return (
        f"a {transport} run is a trial and does not count as sent:"
        f" 'masthead send {slug}' by smtp still sends to everyone"
    )


_RULES = {
    "exact": "",
    "region": " (same language and script, another variant)",
    "script": " (same language, ANOTHER SCRIPT: no edition in their script was built)",
    "source": " (no edition in their language; the source language)",
}


def choice_lines(languages: tuple[LanguagePlan, ...]) -> list[str]:
    return [
        f"{item.language} -> {item.edition}{_RULES[item.rule]}: {plural(item.subscribers, 'subscriber')}"
        for item in languages
    ]


# -- reports --------------------------------------------------------------------------------------------


@dataclass
class CampaignReport:
    slug: str
    transport: str
    sent: int = 0
    failed: int = 0
    """Permanent refusals in this run (recorded; not retried)."""
    retry: int = 0
    """Temporary failures left pending after their last attempt; the next run tries them again."""
    remaining: int = 0
    """Pending in the log after this run (includes ``retry`` and anyone not reached)."""
    already_sent: int = 0
    inactive: int = 0
    per_edition: dict[str, Counter[str]] = field(default_factory=dict)
    failures: list[tuple[str, str]] = field(default_factory=list)
    paused: str | None = None
    interrupted: bool = False
    seconds: float = 0.0
    withheld: tuple[tuple[str, str], ...] = ()
    """Editions built but left out, with the reason; their readers got another edition."""
    failed_before: int = 0
    """Entries of active subscribers that earlier runs left failed (``--retry-failed`` sends them)."""
    failed_before_sample: list[tuple[str, str]] = field(default_factory=list)
    """The first few of them, with the refusal."""
    outages: list[Episode] = field(default_factory=list)
    """Each time the subscriber database went away and came back during the run."""
    database_gone: Episode | None = None
    """The time it went away and did not come back: the run stopped."""
    patience: float = 0.0
    """How long the run waited for it (``[subscribers] reconnect_seconds``)."""
    kept: int = 0
    """Messages the relay accepted that the send log does not have: they are in ``journal``."""
    journal: str = ""
    """The run's journal, as a person in the workspace names it."""
    journal_problem: str | None = None
    """Why the journal could not be written, if it could not: what it should hold is lost."""

    @property
    def complete(self) -> bool:
        return (
            self.remaining == 0
            and not self.paused
            and not self.interrupted
            and self.database_gone is None
            and not self.kept
        )

    def count(self, edition: str, outcome: str) -> None:
        self.per_edition.setdefault(edition, Counter())[outcome] += 1
        if outcome == "sent":
            self.sent += 1
        elif outcome == "failed":
            self.failed += 1
        else:
            self.retry += 1

    def format(self) -> str:
        rate = self.sent / self.seconds if self.seconds else 0.0
        lines = [
            f"{self.slug}: {self.sent} sent, {self.failed} failed, {self.retry} to retry, skipped"
            f" {self.already_sent} sent before and {self.inactive} unsubscribed or bounced"
            f" ({self.seconds:.1f} s, {rate:.0f} messages/s by {self.transport})"
        ]
        for edition, counts in sorted(self.per_edition.items()):
            parts = [f"{counts[outcome]} {outcome}" for outcome in ("sent", "failed") if counts[outcome]]
            if counts["pending"]:
                parts.append(f"{counts['pending']} to retry")
            lines.append(f"  {edition}: {', '.join(parts)}")
        lines += [f"  left out: {tag}: {reason}" for tag, reason in self.withheld]
        lines += [f"  failed: {address}: {reason}" for address, reason in self.failures[:SAMPLE]]
        if len(self.failures) > SAMPLE:
            lines.append(f"  ... and {len(self.failures) - SAMPLE} more failures in the send log")
        if self.failed_before:
            lines.append(
                f"{self.failed_before} left failed by earlier runs (send them again with"
                f" 'masthead send {self.slug} --retry-failed'):"
            )
            lines += [f"  {address}: {reason}" for address, reason in self.failed_before_sample]
            more = self.failed_before - len(self.failed_before_sample)
            if more > 0:
                lines.append(f"  ... and {more} more in the send log")
        lines += [
            f"the subscriber database went away at {episode.began} ({episode.reason}) and came back after"
            f" {episode.seconds or 0:.1f} s; every message the relay accepted meanwhile is recorded"
            for episode in self.outages
        ]
        if self.paused:
            lines.append(f"paused: {self.paused}")
        if self.interrupted:
            lines.append("interrupted")
        if self.database_gone is not None:
            lines.append(self._gone(self.database_gone))
        elif self.kept:
            lines.append(
                f"{self._kept()}: the subscriber database did not answer before the run stopped; run"
                f" 'masthead send {self.slug}' again to resume"
            )
        elif self.remaining:
            lines.append(f"{self.remaining} still to send: run 'masthead send {self.slug}' again to resume")
        return "\n".join(lines)

    def _kept(self) -> str:
        if self.journal_problem:
            return (
                f"{self.kept} sent and not recorded (the journal {self.journal} could not be written:"
                f" {self.journal_problem}), which the next run sends again"
            )
        return f"{self.kept} sent and kept in journal {self.journal}"

    def _gone(self, episode: Episode) -> str:
        """One paragraph: what happened, what is safe, and what to do."""
        done = [f"{self.sent - self.kept} sent and recorded"] + ([self._kept()] if self.kept else [])
        return (
            f"the subscriber database went away at {episode.began} ({episode.reason}) and did not come back"
            f" within {self.patience:g} s: {', '.join(done)}; run 'masthead send {self.slug}' again to resume"
        )
