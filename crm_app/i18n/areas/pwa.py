"""The installed app: the notice shown while the page has lost its connection to the server
(components/connection_toast.py). The offline page (assets/offline.html) keeps its own texts: it is shown
with the server gone."""

EN = {
    "pwa_connection_lost": "No connection to the server",
    "pwa_connection_hint": "Clientela reconnects by itself as soon as the network is back.",
}
