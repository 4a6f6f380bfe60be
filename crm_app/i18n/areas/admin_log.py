"""Labels of the admin activity log's event kinds on /settings.

A key is ``admin_event_`` + the kind recorded by the services with its dot as ``_``
(``settings.tags_merged`` → ``admin_event_settings_tags_merged``); a kind without a label here shows
its raw name (pages/settings.py ``_log_row``).
"""

EN = {
    "admin_event_login": "Sign-in",
    "admin_event_login_failed": "Failed sign-in",
    "admin_event_login_throttled": "Sign-ins blocked after too many attempts",
    "admin_event_password_changed": "Password changed",
    "admin_event_organization_created": "Organization created",
    "admin_event_admin_added_by_cli": "Admin added from the command line",
    "admin_event_user_created": "User created",
    "admin_event_user_role_changed": "User role changed",
    "admin_event_user_enabled": "User enabled",
    "admin_event_user_disabled": "User disabled",
    "admin_event_user_password_reset": "User password reset",
    "admin_event_settings_organization": "Organization details",
    "admin_event_settings_duplicates": "Duplicate rules",
    "admin_event_settings_channels": "Acquisition channels",
    "admin_event_settings_phone_labels": "Phone labels",
    "admin_event_settings_order_types": "Order types",
    "admin_event_settings_tag_renamed": "Tag renamed",
    "admin_event_settings_tags_merged": "Tags merged",
    "admin_event_settings_tag_deleted": "Tag deleted",
    "admin_event_form_fields": "Form fields",
    "admin_event_form_custom_field_created": "Custom field created",
    "admin_event_form_custom_field_updated": "Custom field changed",
    "admin_event_form_custom_field_moved": "Custom field moved",
    "admin_event_form_custom_field_removed": "Custom field removed",
    "admin_event_form_custom_field_restored": "Custom field restored",
    "admin_event_form_custom_field_purged": "Custom field deleted for good",
}
