"""Delivery: subscribers, and campaigns that send each of them the issue once, in their language.

::

    from masthead.delivery import import_subscribers, plan_campaign, send_campaign

    import_subscribers(config, Path("list.csv"))      # report.problems names each bad line
    print(plan_campaign(config, "spring").format())   # what would be sent, per language
    report = send_campaign(config, "spring")          # resumable: run it again after any failure
    unsubscribe(config, token)                        # what an unsubscribe endpoint calls

Everything is kept in the subscriber store (:mod:`.store`). The names below are imported on first
use (PEP 562): the web service's sign-up pages need no sending threads, SMTP or DKIM.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._errors import DeliveryError
from .._lazy import lazy_attributes
from .store import STATUSES

if TYPE_CHECKING:
    from .campaign import (
        CampaignPlan,
        CampaignReport,
        LanguagePlan,
        TokenBucket,
        built_editions,
        campaign_progress,
        plan_campaign,
        send_campaign,
        sendable_editions,
    )
    from .readers import (
        Choice,
        ConfirmRequest,
        Keyring,
        SignupRequest,
        UnsubscribeRequest,
        change_preferences,
        choose_edition,
        confirm_signup,
        consents,
        find_reader,
        find_signup,
        keyring_from_environment,
        make_confirm_token,
        make_unsubscribe_token,
        open_confirm_token,
        open_unsubscribe_token,
        request_signup,
        unsubscribe_reader,
        unsubscribe_readers,
        verify_unsubscribe_token,
    )
    from .returns import Action, BounceRun, Effect, Unhandled, process_bounces
    from .store import (
        CampaignProgress,
        Consent,
        Origin,
        SenderProgress,
        Signup,
        Store,
        Subscriber,
        database_path,
        open_store,
    )
    from .subscribers import (
        ImportReport,
        RowProblem,
        add_subscriber,
        export_subscribers,
        import_subscribers,
        list_subscribers,
        remove_subscriber,
        unsubscribe,
    )

__getattr__, __dir__ = lazy_attributes(
    __name__,
    {
        ".campaign": (
            "CampaignPlan", "CampaignReport", "LanguagePlan", "TokenBucket", "built_editions",
            "campaign_progress", "plan_campaign", "send_campaign", "sendable_editions",
        ),
        ".readers": (
            "Choice", "ConfirmRequest", "Keyring", "SignupRequest", "UnsubscribeRequest",
            "change_preferences", "choose_edition", "confirm_signup", "consents", "find_reader",
            "find_signup",
            "keyring_from_environment", "make_confirm_token", "make_unsubscribe_token", "open_confirm_token",
            "open_unsubscribe_token", "request_signup", "unsubscribe_reader", "unsubscribe_readers",
            "verify_unsubscribe_token",
        ),
        ".returns": ("Action", "BounceRun", "Effect", "Unhandled", "process_bounces"),
        ".store": (
            "CampaignProgress", "Consent", "Origin", "SenderProgress", "Signup", "Store", "Subscriber",
            "database_path", "open_store",
        ),
        ".subscribers": (
            "ImportReport", "RowProblem", "add_subscriber", "export_subscribers", "import_subscribers",
            "list_subscribers", "remove_subscriber", "unsubscribe",
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
    "Effect",
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
