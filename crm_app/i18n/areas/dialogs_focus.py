"""Dialogs and focus (issue 19): confirmations of the profile's comment and task forms."""

ES = {
    "comment_posted": "Comentario publicado.",
    "task_created": "Tarea creada.",
}

EN = {
    "comment_posted": "Comment posted.",
    "task_created": "Task created.",
}
