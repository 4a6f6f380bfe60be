"""Messages shown while the database or the state store cannot be reached (issue 17, fault drills)."""

ES = {
    "database_unavailable": "No se pudo conectar con la base de datos. Inténtalo de nuevo en unos segundos.",
    "api_database_unavailable": "La base de datos no está disponible; inténtelo de nuevo en unos segundos.",
}

EN = {
    "database_unavailable": "Could not connect to the database. Try again in a few seconds.",
    "api_database_unavailable": "The database is unavailable; please try again in a few seconds.",
}
