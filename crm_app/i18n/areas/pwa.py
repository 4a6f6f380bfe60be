"""The installed app: the notice shown while the page has lost its connection to the server
(components/connection_toast.py). The offline page (assets/offline.html) keeps its own texts: it is shown
with the server gone."""

ES = {
    "pwa_connection_lost": "Sin conexión con el servidor",
    "pwa_connection_hint": "Clientela se vuelve a conectar sola en cuanto vuelva la red.",
}

EN = {
    "pwa_connection_lost": "No connection to the server",
    "pwa_connection_hint": "Clientela reconnects by itself as soon as the network is back.",
}
