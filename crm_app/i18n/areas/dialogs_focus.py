"""Dialogs and focus (issue 19): confirmations of the profile's comment and task forms."""

EN = {
    "comment_posted": "Comment posted.",
    "task_created": "Task created.",
}
