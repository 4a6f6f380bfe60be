"""Merging customers (services/merge): the preview's words, the refusals, the feed's lines."""

EN = {
    "merge_email_no_consent": "{address} (no consent)",
    "merge_count": "Choose between {min} and {max} customers to merge.",
    "merge_survivor_unknown": "The customer kept must be one of those merged.",
    "merge_choice_unknown_field": "This field cannot be chosen in this merge.",
    "merge_choice_unknown_customer": "The value chosen must be one of the merged customers'.",
    "merge_name_empty": "The merged customer would have no name: choose another customer's name.",
    "customer_stale": "{name} changed since the preview. Open it again; nothing was merged.",
    "merge_customer_deleted": "{name} is in the trash: restore them before merging.",
    "merge_customer_merged": "{name} was already merged into another customer.",
    "customer_merged": "This customer was merged into another; they can no longer be edited or restored.",
    "merge_undone": "This merge was already undone.",
    "merge_undo_expired": "A merge can only be undone for {hours} hours.",
    "merge_undo_survivor_edited": (
        "{name} was edited after the merge: undoing it would lose those changes, so it was not undone."
    ),
    "merge_undo_survivor_merged": "{name} was merged into another customer in turn: undo that merge first.",
    "merge_undo_loyalty_taken": (
        "Loyalty ID {loyalty_id} now belongs to {name}: change it before undoing the merge."
    ),
    "api_customer_merged": "This customer was merged into customer {merged_into}: their data is there.",
    "admin_event_customer_merged": "Customers merged",
    "admin_event_customer_merge_undone": "Customer merge undone",
    "feed_customer_merged": "Merged into this customer: {names}",
    "feed_customer_merge_undone": "Undid the merge; separate again: {names}",
    "feed_merge_moved_orders": "Orders",
    "feed_merge_moved_sales": "Sales",
    "feed_merge_moved_leads": "Leads",
    "feed_merge_moved_files": "Files",
    "feed_merge_moved_comments": "Comments",
    "feed_merge_moved_tasks": "Tasks",
    "feed_merge_moved_events": "History events",
    "feed_merge_moved_messages": "Messages",
    "feed_merge_moved_invitations": "Invitations",
    "feed_merge_moved_campaign_recipients": "Campaign sends",
    "feed_merge_moved_accounts": "Accounts",
}
