"""Messages of the server-side checks on forged or malformed input (issue 19, findings 5 and 6)."""

ES = {
    "email_unavailable": "Este correo no se puede usar; usa otro.",
    "birthday_too_old": "La fecha de nacimiento no puede ser anterior a {year}.",
    "money_decimals": "Usa como máximo {places} decimales.",
    "money_no_decimals": "Esta moneda no usa decimales.",
    "discount_decimals": "Usa como máximo 2 decimales en el descuento.",
    "payload_invalid": "No se pudo completar: los datos enviados no son válidos. Recarga la página.",
    "server_error": "Algo salió mal. Inténtalo de nuevo; si se repite, recarga la página.",
}

EN = {
    "email_unavailable": "This e-mail cannot be used; use another one.",
    "birthday_too_old": "The birthday cannot be before {year}.",
    "money_decimals": "Use at most {places} decimals.",
    "money_no_decimals": "This currency has no decimals.",
    "discount_decimals": "Use at most 2 decimals in the discount.",
    "payload_invalid": "It could not be done: the data sent is not valid. Reload the page.",
    "server_error": "Something went wrong. Try again; if it happens again, reload the page.",
}
