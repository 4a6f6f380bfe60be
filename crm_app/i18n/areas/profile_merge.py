"""The survivor's profile after a merge (issue 16): the banner with Undo, its confirmation, the outcome."""

ES = {
    "pmerge_banner": "Se fusionaron aquí: {names} ({ago})",
    "pmerge_region": "Fusión reciente",
    "pmerge_undo": "Deshacer fusión",
    "pmerge_history": "Historial de fusiones",
    "pmerge_confirm": (
        "{names} volverá(n) a ser cliente(s) aparte y {survivor} quedará como antes de la fusión."
    ),
    "pmerge_done": "Fusión deshecha: {names} vuelve(n) a estar por separado.",
}

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
