"""What the campaign services say: refusals, the test send's subject and the unsubscribe footer of
every campaign e-mail (services/campaigns)."""

EN = {
    "camp_segment_name_taken": "There is already a segment called “{name}”.",
    "camp_template_not_email": "Choose one of your organization's e-mail templates.",
    "camp_segment_unknown": "That segment no longer exists.",
    "camp_not_draft": "The campaign has started: it can no longer be changed or deleted.",
    "camp_not_sending": "Only a campaign that is sending can be paused.",
    "camp_not_paused": "Only a paused campaign can be resumed.",
    "camp_still_stopping": "The preparation is still stopping; try again in a few seconds.",
    "camp_not_live": "The campaign has already ended or was cancelled.",
    "camp_schedule_past": "Choose a time in the future.",
    "camp_test_prefix": "[Test]",
    "camp_footer": "You receive this e-mail because you agreed to receive our messages.",
    "camp_footer_link": "Unsubscribe",
    "camp_unsub_title": "Stop receiving e-mails from {organization}",
    "camp_unsub_question": "Do you want {organization} to stop sending e-mails to {address}?",
    "camp_unsub_button": "Unsubscribe me",
    "camp_unsub_done_title": "Done",
    "camp_unsub_done": "{address} will no longer receive e-mails from {organization}.",
    "camp_unsub_already": "{address} had already unsubscribed: no more e-mails will be sent.",
    "camp_unsub_unknown_title": "Invalid link",
    "camp_unsub_unknown": "This unsubscribe link is not valid or no longer exists.",
}
