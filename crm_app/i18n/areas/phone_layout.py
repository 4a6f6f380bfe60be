"""The profile on a phone (tabs, action bar), the lists on a phone (filters dialog; the customer list's
actions menu), automatic phone types and the settings lists' built-ins."""

EN = {
    "phone_kind_auto": "Automatic (from the number)",
    "profile_tab_summary": "Summary",
    "profile_tab_activity": "Activity",
    "profile_tab_messages": "Messages",
    "profile_tab_files": "Files",
    "quick_actions": "Quick actions",
    "action_comment": "Comment",
    "action_task": "New task",
    "list_filters_button": "Filters",
    "list_filters_active": "Filters: {count} active",
    "list_filters_hint": "The list changes as you choose.",
    "list_filters_done": "Show customers",
    "list_filters_results": "Show results",
    "list_more_filters": "More filters",
    "list_more_filters_active": "More filters: {count} active",
    "list_more_actions": "More list actions",
    "list_export_xlsx": "Export to Excel (.xlsx)",
    "list_export_csv": "Export to CSV",
    "list_builtin": "Built-in",
    "list_empty": "None yet.",
    "list_phone_labels_hint": "Mobile, Work, Home and Other are built in. Types you add are suggested as "
                              "the label when a phone's type is “Other”.",
    "list_order_types_hint": "There are no built-in types: each type you add, with its colour, will "
                             "classify orders.",
}
