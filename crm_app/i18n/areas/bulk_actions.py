"""Bulk actions' services (services/bulk/, domain/bulk.py): what an action did, in words, its refusals
and its undo's outcome. (The list's bulk bar and the history page are bulk.py's.)"""

EN = {
    "bulk_desc_tag_add": "Add tag “{tag}”",
    "bulk_desc_tag_remove": "Remove tag “{tag}”",
    "bulk_desc_set_channel": "Channel: {channel}",
    "bulk_desc_clear_channel": "Clear the channel",
    "bulk_desc_set_is_supplier": "Mark as supplier",
    "bulk_desc_clear_is_supplier": "Clear the supplier mark",
    "bulk_desc_set_is_conflictive": "Mark as conflictive",
    "bulk_desc_clear_is_conflictive": "Clear the conflictive mark",
    "bulk_desc_add_to_account": "Add to the account “{account}” as {role}",
    "bulk_desc_send_template": "Send the template “{template}”",
    "bulk_desc_trash": "Move to the trash",
    "bulk_desc_restore": "Restore from the trash",
    "feed_bulk_change": "Bulk change: {what}",
    "feed_bulk_undone": "Bulk change undone: {what}",
    "bulk_selection_empty": "Choose at least one customer.",
    "bulk_selection_too_large": ("At most {max} ticked customers; for more, choose “all that "
                                 "match the filter”."),
    "bulk_kind_invalid": "Not a valid action.",
    "bulk_flag_invalid": "Choose supplier or conflictive.",
    "bulk_flag_value_invalid": "Choose to set or to clear the mark.",
    "bulk_undo_expired": "It can no longer be undone: more than 24 hours went by.",
    "bulk_undone": "This action was already undone.",
    "bulk_not_finished": "The action is still running: wait for it to end or cancel it.",
    "bulk_interrupted": "Interrupted: what was done until then stays, and can be undone.",
    "bulk_result_changed": "{changed} of {matched} customers changed.",
    "bulk_result_no_consent": "{n} without consent for this channel: nothing was sent to them.",
    "bulk_result_duplicates": ("{n} not restored: another active customer now holds their "
                               "phone, e-mail or tax ID."),
    "bulk_result_merged": "{n} merged into another customer: never restored.",
    "bulk_undo_result": "{restored} restored; {left} changed since and left as they are.",
    "bulk_undo_unrecallable": ("{n} messages already sent cannot be recalled; those still "
                               "waiting were cancelled."),
}
