"""Messages the log-only adapters kept (no e-mail server or SMS API configured): never "sent"."""

EN = {
    "message_status_logged_only": "Logged only (not sent)",
    "feed_message_status_logged_only": "logged only (not sent)",
    "feed_message_logged": "wrote {channel} to {recipient} · {status}",
    "logged_only_reason_email": "No e-mail server is configured: the customer did not receive anything.",
    "logged_only_reason_phone": "No SMS API is configured: the customer did not receive anything.",
    "message_logged_only": "Message to {recipient} logged only (not sent). {reason}",
    "invitation_logged_only": "Invitation to {email} logged only (not sent). {reason}",
}
