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

from .._errors import DeliveryError as DeliveryError
from .._lazy import lazy_attributes
from .store import STATUSES as STATUSES

if TYPE_CHECKING:
    from .campaign import (
        CampaignPlan as CampaignPlan,
        CampaignReport as CampaignReport,
        LanguagePlan as LanguagePlan,
        TokenBucket as TokenBucket,
        built_editions as built_editions,
        campaign_progress as campaign_progress,
        plan_campaign as plan_campaign,
        send_campaign as send_campaign,
        sendable_editions as sendable_editions,
    )
    from .readers import (
        Choice as Choice,
        ConfirmRequest as ConfirmRequest,
        Keyring as Keyring,
        SignupRequest as SignupRequest,
        UnsubscribeRequest as UnsubscribeRequest,
        allow_signup_form as allow_signup_form,
        change_preferences as change_preferences,
        choose_edition as choose_edition,
        confirm_signup as confirm_signup,
        consents as consents,
        find_reader as find_reader,
        find_signup as find_signup,
        keyring_from_environment as keyring_from_environment,
        make_confirm_token as make_confirm_token,
        make_unsubscribe_token as make_unsubscribe_token,
        open_confirm_token as open_confirm_token,
        open_unsubscribe_token as open_unsubscribe_token,
        request_signup as request_signup,
        unsubscribe_reader as unsubscribe_reader,
        unsubscribe_readers as unsubscribe_readers,
        verify_unsubscribe_token as verify_unsubscribe_token,
    )
    from .returns import (
        Action as Action,
        BounceRun as BounceRun,
        Effect as Effect,
        Unhandled as Unhandled,
        process_bounces as process_bounces,
    )
    from .store import (
        CampaignProgress as CampaignProgress,
        Consent as Consent,
        Origin as Origin,
        SenderProgress as SenderProgress,
        Signup as Signup,
        Store as Store,
        Subscriber as Subscriber,
        database_path as database_path,
        open_store as open_store,
    )
    from .subscribers import (
        ImportReport as ImportReport,
        RowProblem as RowProblem,
        add_subscriber as add_subscriber,
        export_subscribers as export_subscribers,
        import_subscribers as import_subscribers,
        list_subscribers as list_subscribers,
        remove_subscriber as remove_subscriber,
        unsubscribe as unsubscribe,
    )

__getattr__, __dir__, __all__ = lazy_attributes(__name__)
