"""E-mail campaigns: a template sent to a segment of the customer list, through the outbox at the
organization's pace, with one-click unsubscribe (see crm_app/models/campaign.py for the design).

One package, one door: pages and the API import ``crm_app.services.campaigns`` and find every service
here. Admins only, checked by each function (records.require_admin).
"""

from crm_app.domain.campaigns import CampaignInput
from crm_app.services.campaigns.audience import audience
from crm_app.services.campaigns.drafts import (
    create_campaign,
    delete_campaign,
    get_campaign,
    list_campaigns,
    send_test,
    update_campaign,
)
from crm_app.services.campaigns.lifecycle import cancel, pause, resume, start
from crm_app.services.campaigns.report import list_recipients, report
from crm_app.services.campaigns.segments import delete_segment, list_segments, save_segment

__all__ = [
    "CampaignInput",
    "audience",
    "cancel",
    "create_campaign",
    "delete_campaign",
    "delete_segment",
    "get_campaign",
    "list_campaigns",
    "list_recipients",
    "list_segments",
    "pause",
    "report",
    "resume",
    "save_segment",
    "send_test",
    "start",
    "update_campaign",
]
