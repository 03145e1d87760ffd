"""The lowest versions pyproject.toml allows are versions masthead works with. ``make lowest`` installs
exactly those (uv's lowest-direct resolution) and runs the tests marked ``smoke`` there, this one
first: it checks that the environment really holds the floors, so that the others try them."""

from __future__ import annotations

import os
from importlib.metadata import requires, version

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

LOWEST = os.environ.get("MASTHEAD_LOWEST") == "1"


def floors() -> dict[str, Version]:
    """Each direct dependency of masthead and of its PostgreSQL extra, and its declared lowest version."""
    found = {}
    for line in requires("masthead") or []:
        requirement = Requirement(line)
        marker = requirement.marker
        if marker is not None and not marker.evaluate({"extra": "postgresql"}):
            continue  # the test extra: tools for developing masthead, not masthead's own
        (lowest,) = [spec.version for spec in requirement.specifier if spec.operator == ">="]
        found[requirement.name] = Version(lowest)
    return found


def _release(value: Version) -> tuple[int, ...]:
    padded = (*value.release, 0, 0, 0)
    return padded[:3]


@pytest.mark.smoke
def test_every_direct_dependency_has_a_floor_and_the_floors_are_installed() -> None:
    declared = floors()
    assert {"starlette", "uvicorn", "weasyprint", "psycopg"} <= set(declared)
    for name, lowest in sorted(declared.items()):
        installed = Version(version(name))
        assert installed >= lowest, (name, installed, lowest)
        if LOWEST:
            # The floor itself (a post-release of it counts: it changes packaging, not code).
            assert _release(installed) == _release(lowest), f"{name}: {installed} installed, floor {lowest}"
