"""Portuguese wiring and money in the reader's locale (issue 21): what a new organization starts with,
the templates' format_money filter. ``PT`` is pending until the strings move to the .po files."""

ES = {
    "default_channel_referral": "Recomendación",
    "default_channel_social": "Redes sociales",
    "default_channel_google": "Google",
    "default_channel_walk_in": "Pasó por la tienda",
    "default_channel_other": "Otro",
    # Shown as written (no parameters): the braces are the template's own.
    "template_filters_hint": "Filtros: {{ first_name | upper }}; {{ credit_limit | format_money }} o "
                             "{{ 1500 | format_money }} escriben un importe en la moneda y el formato de la "
                             "organización (R$ 1.500,00 en Brasil).",
}

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

PT = {
    "default_channel_referral": "Indicação",
    "default_channel_social": "Redes sociais",
    "default_channel_google": "Google",
    "default_channel_walk_in": "Passou pela loja",
    "default_channel_other": "Outro",
    "template_filters_hint": "Filtros: {{ first_name | upper }}; {{ credit_limit | format_money }} ou "
                             "{{ 1500 | format_money }} escrevem um valor na moeda e no formato da "
                             "organização (R$ 1.500,00 no Brasil).",
}
