"""Messages of the server-side checks on forged or malformed input (issue 19, findings 5 and 6)."""

EN = {
    "email_unavailable": "This e-mail cannot be used; use another one.",
    "birthday_too_old": "The birthday cannot be before {year}.",
    "money_decimals": "Use at most {places} decimals.",
    "money_no_decimals": "This currency has no decimals.",
    "discount_decimals": "Use at most 2 decimals in the discount.",
    "payload_invalid": "It could not be done: the data sent is not valid. Reload the page.",
    "server_error": "Something went wrong. Try again; if it happens again, reload the page.",
}
