"""The customer's event feed, comments, tasks and files."""

EN = {
    "invalid_datetime": "Invalid date or time.",
    "assignee_unknown": "Choose an active user of the organization.",
}
