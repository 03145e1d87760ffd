"""Campaigns: the plan of a dry run, sending each active subscriber the issue once in their language
through worker threads at a steady rate, and what came of it."""

from ._outcomes import CampaignPlan, CampaignReport, LanguagePlan
from ._send import campaign_progress, plan_campaign, send_campaign
from ._sendable import built_editions, sendable_editions
from ._throttle import TokenBucket, retry_wait

__all__ = [
    "CampaignPlan",
    "CampaignReport",
    "LanguagePlan",
    "TokenBucket",
    "built_editions",
    "campaign_progress",
    "plan_campaign",
    "retry_wait",
    "send_campaign",
    "sendable_editions",
]
