"""What a build publishes and how later stages know it: which languages pass the completeness
threshold, the digest of everything an edition is made from, and the stamp a finished build leaves
with its verdict (whether the edition may go out) for sending and the archive to read.

Nothing here loads the renderer.
"""

from ._fingerprint import fingerprint, layout_digest
from ._publishable import Publishable, linked_languages, publishable_editions, unpublishable
from ._stamp import EditionStatus, Stamp, edition_status, is_current, read_stamp

__all__ = [
    "EditionStatus",
    "Publishable",
    "Stamp",
    "edition_status",
    "fingerprint",
    "is_current",
    "layout_digest",
    "linked_languages",
    "publishable_editions",
    "read_stamp",
    "unpublishable",
]
