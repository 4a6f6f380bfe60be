"""The survivor's profile after a merge (issue 16): the banner with Undo, its confirmation, the outcome."""

EN = {
    "pmerge_banner": "Merged here: {names} ({ago})",
    "pmerge_region": "Recent merge",
    "pmerge_undo": "Undo merge",
    "pmerge_history": "Merge history",
    "pmerge_confirm": (
        "{names} will be separate customer(s) again and {survivor} will be as before the merge."
    ),
    "pmerge_done": "Merge undone: {names} are separate again.",
}
