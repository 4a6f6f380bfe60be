"""Messages shown while the database or the state store cannot be reached (issue 17, fault drills)."""

EN = {
    "database_unavailable": "Could not connect to the database. Try again in a few seconds.",
    "api_database_unavailable": "The database is unavailable; please try again in a few seconds.",
    "state_store_unavailable": "The connection to the server was interrupted. Try again in a few seconds.",
}
