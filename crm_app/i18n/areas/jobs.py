"""A background job's progress in words (states/job_progress.py), shared by every page with a job bar."""

EN = {
    "job_progress_customers": "{done} of {total} customers",
    "job_progress_rate": "{rate}/s",
    "job_progress_left": "{left} left",
    "job_progress_took": "took {took}",
}
