"""What a build publishes and how later stages know it: which languages pass the completeness
threshold, the digest of what each output of an edition is made from, the stamp a finished build
leaves with its verdict (whether the edition may go out) for sending and the archive to read, and
the record that lets a build with nothing to do say so at once.

Nothing here loads the renderer. The record (:mod:`._record`) needs the standard library alone, so
that ``masthead build`` decides a build with nothing to do before anything else loads; the other
names are imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_attributes
from ._record import (
    EMAIL as EMAIL,
    PDF as PDF,
    STAGES as STAGES,
    WEB as WEB,
    Outcome as Outcome,
    Request as Request,
    Snapshot as Snapshot,
    Transcript as Transcript,
    input_paths as input_paths,
    nothing_to_do as nothing_to_do,
    remember as remember,
)

if TYPE_CHECKING:
    from ._fingerprint import (
        input_digests as input_digests,
        layout_digest as layout_digest,
        stage_digests as stage_digests,
        with_links as with_links,
    )
    from ._publishable import (
        Publishable as Publishable,
        linked_languages as linked_languages,
        publishable_editions as publishable_editions,
        unpublishable as unpublishable,
    )
    from ._stamp import (
        EditionStatus as EditionStatus,
        Stamp as Stamp,
        edition_status as edition_status,
        finish as finish,
        read_stamp as read_stamp,
        withdraw as withdraw,
    )

__getattr__, __dir__, __all__ = lazy_attributes(__name__)
