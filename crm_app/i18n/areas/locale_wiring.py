"""Portuguese wiring and money in the reader's locale (issue 21): what a new organization starts with,
the templates' format_money filter. ``PT`` is pending until the strings move to the .po files."""

EN = {
    "default_channel_referral": "Referral",
    "default_channel_social": "Social media",
    "default_channel_google": "Google",
    "default_channel_walk_in": "Walked in",
    "default_channel_other": "Other",
    "template_filters_hint": "Filters: {{ first_name | upper }}; {{ credit_limit | format_money }} or "
                             "{{ 1500 | format_money }} write an amount in the organization's currency and "
                             "format (R$ 1.500,00 in Brazil).",
}
