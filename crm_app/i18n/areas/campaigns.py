"""E-mail campaigns' screens: the list, the form, the report, the customer list's segment actions and the
pace setting. (The services' own labels, the unsubscribe page and the mail footer are campaigns_data.py.)"""

ES = {
    "nav_campaigns": "Campañas",
    # Settings
    "campaign_pace_section": "Campañas de correo",
    "campaign_pace_label": "Campañas: mensajes por minuto",
    "campaign_pace_hint": "Cuántos correos de una campaña salen por minuto (de 1 a 600).",
    "campaign_pace_range": "Escribe un número entero entre {min} y {max}.",
    "admin_event_settings_campaign_pace": "Ritmo de las campañas",
}

EN = {
    "nav_campaigns": "Campaigns",
    # Settings
    "campaign_pace_section": "E-mail campaigns",
    "campaign_pace_label": "Campaigns: messages per minute",
    "campaign_pace_hint": "How many e-mails of a campaign go out each minute (1 to 600).",
    "campaign_pace_range": "Enter a whole number from {min} to {max}.",
    "admin_event_settings_campaign_pace": "Campaigns' pace",
}
