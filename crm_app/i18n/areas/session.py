"""Signing in and out: what the tab says when the session cookie could not be set."""

ES = {
    "sign_in_not_completed": "No se pudo iniciar la sesión en este navegador. Inténtalo de nuevo.",
}

EN = {
    "sign_in_not_completed": "The session could not be opened in this browser. Please try again.",
}
