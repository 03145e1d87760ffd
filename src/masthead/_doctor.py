"""``masthead doctor``: is this machine ready to build every configured language?"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path

from ._config import CONFIG_FILE, Config, load_config
from ._errors import MastheadError, Problems, display_path
from ._language import Language
from ._layout import issue_folder
from .theme import SCRIPTS, Script, fast_subsetting, script_of


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    warning: bool = False
    """Worth knowing but no reason to fail (an image that prints soft)."""


def font_families() -> set[str]:
    """Font families fontconfig knows on this machine."""
    if not shutil.which("fc-list"):
        return set()
    listing = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    return {name.strip() for line in listing.splitlines() for name in line.split(",")}


def font_drawing(row: Script, family: str) -> str:
    """The family fontconfig gives for a letter of ``row``'s script when the theme asks for
    ``family``: the family itself when it is installed, else the one Pango falls back to."""
    if not shutil.which("fc-match"):
        return ""
    found = subprocess.run(
        ["fc-match", "-f", "%{family}", f"{family}:charset={ord(row.sample):x}"],
        capture_output=True, text=True, check=False,
    ).stdout  # fmt: skip
    names = [name.strip() for name in found.split(",")]
    return family if family in names else names[0]


def font_checks(languages: Sequence[Language], families: set[str]) -> list[Check]:
    """For each language, per script its text is written in (its own, and Latin for the names,
    digits and addresses in it), the families that draw it, or the package to install for a
    missing one and the family that stands in for it meanwhile."""
    checks = []
    for tag, scripts in _scripts_by_language(languages).items():
        found, missing, packages = [], [], []
        for row in scripts:
            drawn = {
                family: font_drawing(row, family) if family in families else "" for family in row.families
            }
            absent = [family for family, drawing in drawn.items() if drawing != family]
            if absent:
                stand_ins = sorted(
                    {drawing for drawing in drawn.values() if drawing and drawing not in absent}
                )
                stand_in = stand_ins[0] if stand_ins else font_drawing(row, absent[0])
                missing.append(
                    f"{row.name}: {' and '.join(absent)} not installed"
                    + (f", {stand_in} draws it meanwhile" if stand_in and stand_in not in absent else "")
                )
                packages.append(row.package)
            else:
                found.append(f"{row.name} in {row.serif} and {row.sans}")
        fix = f"apt install {' '.join(dict.fromkeys(packages))}" if packages else ""
        checks.append(Check(f"Font for {tag}", not missing, "; ".join(missing + found), fix))
    return checks


def _scripts_by_language(languages: Sequence[Language]) -> dict[str, list[Script]]:
    latin = SCRIPTS["Latn"]
    rows: dict[str, list[Script]] = {"en": [latin]}
    for lang in languages:
        own = script_of(lang)
        rows[lang.tag] = [own] if own.families == latin.families else [own, latin]
    return rows


def dkim_checks(config: Config) -> list[Check]:
    """Each DKIM key read as a send would read it, with the DNS record to publish for it. Nothing is
    looked up: whether the record is published is for the receivers to say."""
    from .delivery.outbound import signer_for

    try:
        signer = signer_for(config)
    except MastheadError as exc:
        return [
            Check(
                "DKIM", False, f"{exc.location + ': ' if exc.location else ''}{exc.message}", exc.hint or ""
            )
        ]
    if signer is None:
        return []
    checks = []
    sender_domain = parseaddr(config.email.sender or "")[1].rpartition("@")[2].lower()
    for key in signer.keys:
        checks.append(Check(
            f"DKIM key {key.selector}", True,
            f"{key.describe()}; publish at {key.dns_name} the TXT record \"{key.dns_record}\"",
        ))  # fmt: skip
        if sender_domain and not (sender_domain == key.domain or sender_domain.endswith("." + key.domain)):
            checks.append(Check(
                f"DKIM domain {key.domain}", False,
                f"not the domain of [email] sender ({sender_domain}) nor above it: DMARC will not count"
                " the signature",
                "set [dkim] domain to the sender's domain",
            ))  # fmt: skip
    return checks


def image_checks(config: Config) -> list[Check]:
    """The images of the newest issue that have too few pixels for the size print places them at
    (the layout is measured, or recalled from the last build; nothing is written)."""
    from .builder import placements_of
    from .images import low_resolution
    from .sources import find_issue, load_issue

    threshold = config.images.warn_below_dpi
    try:
        issue = load_issue(find_issue(config.issues_dir, None), root=config.root)
        placements = placements_of(config, issue, issue_folder(config.output, issue.slug), remember=False)
    except MastheadError as exc:
        if not config.issues_dir.is_dir() or not any(config.issues_dir.iterdir()):
            return []
        return [Check("Images", False, f"the newest issue could not be read: {exc.message}",
                      "masthead build names every problem with its file and line")]  # fmt: skip
    found = low_resolution(issue.folder, issue.images, placements, threshold)
    if not found:
        placed = sum(1 for source in dict.fromkeys(issue.images) if source in placements)
        return [Check("Images", True, f"{issue.slug}: {placed} placed in print, none below {threshold} dpi")]
    return [
        Check(f"Image {display_path(low.path)}", True, low.message(display_path(low.path), threshold),
              warning=True)
        for low in found
    ]  # fmt: skip


def catalog_checks(config: Config) -> list[Check]:
    """Per language: a theme with no translation in it (its labels print in English), and the
    messages of the newest issue whose source changed since they were translated, which its editions
    print otherwise than translated until a translator reviews them."""
    from .catalogs import (
        changed_messages,
        changed_report,
        issue_catalog,
        missing_theme,
        po_path,
        workspace_path,
    )
    from .sources import find_issue, load_issue

    checks = []
    for lang in config.languages:
        try:
            missing = missing_theme(config, lang)
        except MastheadError as exc:
            checks.append(Check(f"Theme catalog {lang.tag}", False, f"{exc.location}: {exc.message}",
                                exc.hint or ""))  # fmt: skip
            continue
        if missing:
            checks.append(Check(f"Theme catalog {lang.tag}", True, missing, warning=True))
    try:
        issue = load_issue(find_issue(config.issues_dir, None), root=config.root)
    except MastheadError:
        return checks  # the image check names what keeps the newest issue from being read
    waiting = 0
    for lang in config.languages:
        if lang == config.source_language:
            continue
        path = po_path(config.locales_dir, lang, issue.slug)
        try:
            catalog = issue_catalog(config, issue, lang)
        except MastheadError as exc:
            problem = f"{exc.location}: {exc.message}"
            checks.append(Check(f"Catalog {lang.tag}", False, problem, exc.hint or ""))
            continue
        changed = changed_messages(issue, catalog, workspace_path(config, path))
        previous = config.catalogs.publish_previous
        report = changed_report(lang, changed, config.source_language, previous=previous)
        if report:
            waiting += 1
            checks.append(Check("Changed messages", True, report, warning=True))
    if not waiting and len(config.languages) > 1:
        checks.append(Check("Changed messages", True, f"{issue.slug}: none waits for a translator's review"))
    return checks


def run_checks(workspace: Path | None = None) -> list[Check]:
    """Every check, for the languages of the workspace's settings (whose problems are a check too)."""
    checks: list[Check] = []
    languages: Sequence[Language] = ()
    if workspace is not None and (workspace / CONFIG_FILE).is_file():
        try:
            config = load_config(workspace)
        except MastheadError as exc:
            first = exc.problems[0] if isinstance(exc, Problems) else exc
            count = len(exc.problems) if isinstance(exc, Problems) else 1
            problems = f"{count} {'problem' if count == 1 else 'problems'}: {first.format()}"
            fix = "masthead build lists them all; fix masthead.toml"
            checks.append(Check("Settings", False, problems, fix))
        else:
            languages = config.languages
            tags = ", ".join(lang.tag for lang in languages)
            checks.append(Check("Settings", True, f"{CONFIG_FILE}: {tags}"))
            if config.dkim.keys:
                checks += dkim_checks(config)
            checks += image_checks(config)
            checks += catalog_checks(config)
    elif workspace is not None:
        # Run outside a workspace by mistake, doctor would otherwise pass on the machine alone.
        where = display_path(workspace / CONFIG_FILE)
        detail = f"no {where}: only the machine was checked, for English; run it in a workspace or with -C"
        checks.append(Check("Settings", True, detail, warning=True))
    try:
        import weasyprint
        from weasyprint.text.ffi import pango

        number = pango.pango_version()
        pango_version = f"{number // 10000}.{number // 100 % 100}.{number % 100}"
        checks.append(Check("WeasyPrint", True, f"{weasyprint.__version__}, Pango {pango_version}"))
    except (ImportError, OSError) as exc:
        checks.append(Check("WeasyPrint", False, str(exc), "apt install libpango-1.0-0 libpangoft2-1.0-0"))
    subset = "libharfbuzz-subset, the fast path" if fast_subsetting() else None
    checks.append(Check(
        "HarfBuzz subsetting", subset is not None,
        subset or "missing: fonts are subset by a much slower fallback (CJK builds take 4x longer)",
        "apt install libharfbuzz-subset0",
    ))  # fmt: skip
    checks += font_checks(languages, font_families())
    for tool, package in (("pdftotext", "poppler-utils"), ("pdffonts", "poppler-utils")):
        found = shutil.which(tool)
        checks.append(Check(tool, found is not None, found or "not found (used by the tests)",
                            f"apt install {package}"))  # fmt: skip
    return checks
