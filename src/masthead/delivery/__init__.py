"""Delivery: subscribers, and campaigns that send each of them the issue once, in their language.

::

    from masthead.delivery import import_subscribers, plan_campaign, send_campaign

    import_subscribers(config, Path("list.csv"))      # report.problems names each bad line
    print(plan_campaign(config, "spring").format())   # what would be sent, per language
    report = send_campaign(config, "spring")          # resumable: run it again after any failure
    unsubscribe(config, token)                        # what an unsubscribe endpoint calls

Everything is kept in the subscriber store (:mod:`._store`). The names below are imported on first
use (PEP 562): the web service's sign-up pages need no sending threads, SMTP or DKIM.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._errors import DeliveryError
from .._lazy import lazy_attributes
from ._records import STATUSES

if TYPE_CHECKING:
    from ._bounces import Action, BounceRun, Unhandled, process_bounces
    from ._campaign import campaign_progress, plan_campaign, send_campaign
    from ._campaign_reports import CampaignPlan, CampaignReport, LanguagePlan
    from ._csv import ImportReport, RowProblem
    from ._editions import built_editions, sendable_editions
    from ._languages import Choice, choose_edition
    from ._readers import (
        SignupRequest,
        change_preferences,
        confirm_signup,
        consents,
        find_reader,
        find_signup,
        request_signup,
        unsubscribe_reader,
        unsubscribe_readers,
    )
    from ._records import CampaignProgress, Consent, Origin, SenderProgress, Signup, Subscriber
    from ._store import Store, database_path, open_store
    from ._subscribers import (
        add_subscriber,
        export_subscribers,
        import_subscribers,
        list_subscribers,
        remove_subscriber,
        unsubscribe,
    )
    from ._throttle import TokenBucket
    from ._tokens import (
        ConfirmRequest,
        Keyring,
        UnsubscribeRequest,
        keyring_from_environment,
        make_confirm_token,
        make_unsubscribe_token,
        open_confirm_token,
        open_unsubscribe_token,
        verify_unsubscribe_token,
    )

__getattr__, __dir__ = lazy_attributes(
    __name__,
    {
        "._bounces": ("Action", "BounceRun", "Unhandled", "process_bounces"),
        "._campaign": ("campaign_progress", "plan_campaign", "send_campaign"),
        "._campaign_reports": ("CampaignPlan", "CampaignReport", "LanguagePlan"),
        "._csv": ("ImportReport", "RowProblem"),
        "._editions": ("built_editions", "sendable_editions"),
        "._languages": ("Choice", "choose_edition"),
        "._readers": (
            "SignupRequest", "change_preferences", "confirm_signup", "consents", "find_reader",
            "find_signup", "request_signup", "unsubscribe_reader", "unsubscribe_readers",
        ),
        "._records": ("CampaignProgress", "Consent", "Origin", "SenderProgress", "Signup", "Subscriber"),
        "._store": ("Store", "database_path", "open_store"),
        "._subscribers": (
            "add_subscriber", "export_subscribers", "import_subscribers", "list_subscribers",
            "remove_subscriber", "unsubscribe",
        ),
        "._throttle": ("TokenBucket",),
        "._tokens": (
            "ConfirmRequest", "Keyring", "UnsubscribeRequest", "keyring_from_environment",
            "make_confirm_token", "make_unsubscribe_token", "open_confirm_token",
            "open_unsubscribe_token", "verify_unsubscribe_token",
        ),
    },
)  # fmt: skip

__all__ = [
    "STATUSES",
    "Action",
    "BounceRun",
    "CampaignPlan",
    "CampaignProgress",
    "CampaignReport",
    "Choice",
    "ConfirmRequest",
    "Consent",
    "DeliveryError",
    "ImportReport",
    "Keyring",
    "LanguagePlan",
    "Origin",
    "RowProblem",
    "SenderProgress",
    "Signup",
    "SignupRequest",
    "Store",
    "Subscriber",
    "TokenBucket",
    "Unhandled",
    "UnsubscribeRequest",
    "add_subscriber",
    "built_editions",
    "campaign_progress",
    "change_preferences",
    "choose_edition",
    "confirm_signup",
    "consents",
    "database_path",
    "export_subscribers",
    "find_reader",
    "find_signup",
    "import_subscribers",
    "keyring_from_environment",
    "list_subscribers",
    "make_confirm_token",
    "make_unsubscribe_token",
    "open_confirm_token",
    "open_store",
    "open_unsubscribe_token",
    "plan_campaign",
    "process_bounces",
    "remove_subscriber",
    "request_signup",
    "send_campaign",
    "sendable_editions",
    "unsubscribe",
    "unsubscribe_reader",
    "unsubscribe_readers",
    "verify_unsubscribe_token",
]
