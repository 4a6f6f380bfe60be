"""A background job's progress in words (states/job_progress.py), shared by every page with a job bar."""

ES = {
    "job_progress_customers": "{done} de {total} clientes",
    "job_progress_rate": "{rate}/s",
    "job_progress_left": "quedan {left}",
    "job_progress_took": "tardó {took}",
}

EN = {
    "job_progress_customers": "{done} of {total} customers",
    "job_progress_rate": "{rate}/s",
    "job_progress_left": "{left} left",
    "job_progress_took": "took {took}",
}
