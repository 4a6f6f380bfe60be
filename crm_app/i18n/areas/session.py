"""Signing in and out: what the tab says when the session cookie could not be set."""

EN = {
    "sign_in_not_completed": "The session could not be opened in this browser. Please try again.",
}
