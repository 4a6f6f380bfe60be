"""The lists' filters behind the panel's figures: the customer list's chips (created on some days, by
someone, from a source, unreachable) and the task list of another staff member or of the team."""

EN = {
    "listf_created_range": "Created from {start} to {end}",
    "listf_created_on": "Created on {day}",
    "listf_created_since": "Created since {day}",
    "listf_created_until": "Created until {day}",
    "listf_created_by": "Created by {name}",
    "listf_created_by_unknown": "Created by an unknown user",
    "listf_source": "Source: {source}",
    "listf_reach_none": "No way to contact",
    "listf_remove": "Remove the filter: {label}",
    "listf_active_filters": "Active filters",
    "listf_created_by_invalid": "Invalid user.",
    "listf_source_invalid": "Invalid source.",
    "listf_status_invalid": "Invalid status.",
    "listf_tasks_of": "Tasks of {name}",
    "listf_tasks_team": "Team tasks",
    "listf_tasks_status_open": "Open",
    "listf_tasks_status_overdue": "Overdue",
    "listf_tasks_all_open": "See all open ones",
    "listf_tasks_own_only": "You can only see your own tasks: yours are shown.",
    "listf_tasks_unknown_user": "That user is not in your organization: your tasks are shown.",
    "listf_tasks_my_tasks": "My tasks",
}
