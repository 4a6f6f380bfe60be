"""Messages the log-only adapters kept (no e-mail server or SMS API configured): never "sent"."""

ES = {
    "message_status_logged_only": "Solo registrado (no enviado)",
    "feed_message_status_logged_only": "solo registrado (no enviado)",
    "feed_message_logged": "escribió {channel} para {recipient} · {status}",
    "logged_only_reason_email": "No hay servidor de correo configurado: el cliente no recibió nada.",
    "logged_only_reason_phone": "No hay API de SMS configurada: el cliente no recibió nada.",
    "message_logged_only": "Mensaje para {recipient} solo registrado (no enviado). {reason}",
    "invitation_logged_only": "Invitación para {email} solo registrada (no enviada). {reason}",
}

EN = {
    "message_status_logged_only": "Logged only (not sent)",
    "feed_message_status_logged_only": "logged only (not sent)",
    "feed_message_logged": "wrote {channel} to {recipient} · {status}",
    "logged_only_reason_email": "No e-mail server is configured: the customer did not receive anything.",
    "logged_only_reason_phone": "No SMS API is configured: the customer did not receive anything.",
    "message_logged_only": "Message to {recipient} logged only (not sent). {reason}",
    "invitation_logged_only": "Invitation to {email} logged only (not sent). {reason}",
}
