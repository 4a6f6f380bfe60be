"""Webhooks: the /settings/api section, the URL refusals and the e-mail to an admin whose endpoint was
disabled (crm_app/services/webhooks.py, components/webhook_settings.py)."""

EN = {
    "webhook_url_invalid": "Enter a complete URL, for example https://example.com/webhooks.",
    "webhook_url_https_only": "The URL must start with https://.",
    "webhook_url_credentials": "The URL may not carry a user name or password.",
    "webhook_url_unresolved": "The server {host} cannot be found.",
    "webhook_url_private": "{host} is a private or local address: webhooks go to public servers only.",
    "webhook_events_required": "Choose at least one event.",
    "webhook_too_many": "An organization may have at most {max} webhooks.",
    "webhook_disabled": "This webhook is disabled; enable it before testing it.",
    "webhook_disabled_subject": "Webhook disabled: {url}",
    "webhook_disabled_body": (
        "Hello {name},\n\nThe webhook {url} failed {failures} times in a row and we disabled it; "
        "it will receive no more events.\n\nOnce the receiver works, enable it again at {link}\n"
    ),
    "webhook_title": "Webhooks",
    "webhook_intro": (
        "Clientela tells your systems when something changes: a signed POST to each registered URL."
    ),
    "webhook_add": "Add webhook",
    "webhook_url": "URL",
    "webhook_description": "Description",
    "webhook_events": "Events",
    "webhook_save": "Register",
    "webhook_none": "No webhooks yet.",
    "webhook_active": "Active",
    "webhook_inactive": "Disabled",
    "webhook_reason_failures": "Disabled after failing repeatedly",
    "webhook_reason_admin": "Disabled by an admin",
    "webhook_enable": "Enable",
    "webhook_test": "Send test",
    "webhook_test_sent": "Test event queued.",
    "webhook_delete": "Delete",
    "webhook_delete_confirm": "Delete the webhook {url}? It will receive no more events.",
    "webhook_deleted": "Webhook deleted.",
    "webhook_enabled": "Webhook enabled.",
    "webhook_created": "Webhook registered.",
    "webhook_secret_title": "Signing secret",
    "webhook_secret_once": "Copy it now: it will not be shown again. It verifies each delivery's signature.",
    "webhook_copy": "Copy",
    "webhook_copied": "Copied.",
    "webhook_log": "Delivery log",
    "webhook_log_none": "No deliveries yet.",
    "webhook_log_more": "Load more",
    "webhook_col_event": "Event",
    "webhook_col_status": "Status",
    "webhook_col_code": "Code",
    "webhook_col_duration": "Duration",
    "webhook_col_time": "Time",
    "webhook_col_error": "Error",
    "webhook_status_queued": "Queued",
    "webhook_status_sending": "Sending",
    "webhook_status_delivered": "Delivered",
    "webhook_status_failed": "Failed",
    "webhook_docs": (
        "Each delivery carries Clientela-Signature (t=<seconds>,v1=<HMAC-SHA256 of “t.body” with the "
        "secret>) "
        "and Clientela-Event-Id to drop repeats; docs/webhooks.md has a sample receiver."
    ),
    "webhook_event_customer_created": "A customer is created",
    "webhook_event_customer_updated": "A customer's details change",
    "webhook_event_customer_deleted": "A customer goes to the trash",
    "webhook_event_customer_merged": "Duplicate customers are merged (not sent yet)",
    "webhook_event_lead_created": "A lead is created",
    "webhook_event_order_status_changed": "An order's status changes",
    "webhook_event_message_failed": "A message could not be sent",
    "webhook_events_of": "Events of {url}",
    "webhook_log_of": "Delivery log of {url}",
    "webhook_refresh": "Refresh",
    "webhook_url_hint": "Your system's address that will receive the events (https).",
    "webhook_secret_for": "The secret that signs the deliveries to {url}.",
    "webhook_saved_it": "I saved it",
    "webhook_rotate": "New secret",
    "webhook_rotate_confirm": (
        "Create a new secret for {url}? The current one stops working now: "
        "update your receiver with the new one."
    ),
}
