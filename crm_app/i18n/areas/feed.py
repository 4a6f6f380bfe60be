"""The customer's event feed, comments, tasks and files."""

ES = {
    "invalid_datetime": "Fecha u hora no válida.",
    "assignee_unknown": "Elige un usuario activo de la organización.",
}

EN = {
    "invalid_datetime": "Invalid date or time.",
    "assignee_unknown": "Choose an active user of the organization.",
}
