"""VERP: each subscriber's own return path, so that a bounce names who it is about whatever it says."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Verp:
    """The return path ``local@domain`` and each subscriber's own, ``local+<public id>@domain``."""

    local: str
    domain: str

    @classmethod
    def parse(cls, address: str) -> Verp:
        local, _, domain = address.rpartition("@")
        return cls(local, domain.lower())

    def address(self, public_id: str) -> str:
        return f"{self.local}+{public_id}@{self.domain}"

    def public_id(self, address: str) -> str | None:
        local, _, domain = address.strip().rpartition("@")
        base, plus, tag = local.partition("+")
        if plus and domain.lower() == self.domain and base.lower() == self.local.lower() and tag:
            return tag.lower() if re.fullmatch(r"[0-9a-fA-F]{16,64}", tag) else None
        return None
