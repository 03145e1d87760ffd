"""The subscriber store: subscribers, readers' sign-ups and consents, campaigns' send logs and returned
mail, behind one interface (:class:`Store`) that a SQLite file (:mod:`.sqlite`) and a PostgreSQL
database (:mod:`.postgres`) both implement; :func:`open_store` opens the one
``[subscribers] database`` names.
"""

from ._interface import Store
from ._open import database_path, is_postgresql, open_store
from ._records import (
    STATUSES,
    CampaignProgress,
    Consent,
    Delivery,
    ImportTally,
    LanguageTally,
    Origin,
    Return,
    SendEntry,
    SenderProgress,
    Signup,
    Subscriber,
    SubscriberRow,
    address_key,
    new_public_id,
    normalise_language,
    normalise_name,
    normalise_status,
    now,
    sender_name,
)
from ._saving import saved_status, saving
from ._unavailable import DatabaseUnavailable, Recovery, reports_unavailable, steadily

__all__ = [
    "STATUSES",
    "CampaignProgress",
    "Consent",
    "DatabaseUnavailable",
    "Delivery",
    "ImportTally",
    "LanguageTally",
    "Origin",
    "Recovery",
    "Return",
    "SendEntry",
    "SenderProgress",
    "Signup",
    "Store",
    "Subscriber",
    "SubscriberRow",
    "address_key",
    "database_path",
    "is_postgresql",
    "new_public_id",
    "normalise_language",
    "normalise_name",
    "normalise_status",
    "now",
    "open_store",
    "reports_unavailable",
    "saved_status",
    "saving",
    "sender_name",
    "steadily",
]
