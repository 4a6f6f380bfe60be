"""One-tap ways to reach a customer from the list and the profile (components/reach_links.py): each
label is followed by the customer's name in the link's accessible name."""

ES = {
    "reach_call": "Llamar a",
    "reach_whatsapp": "WhatsApp a",
    "reach_sms": "SMS a",
    "reach_email": "Escribir a",
    "reach_directions": "Cómo llegar donde",
    "reach_actions": "Contactar",
    "reach_directions_short": "Ir",
    "map_directions": "Cómo llegar",
}

EN = {
    "reach_call": "Call",
    "reach_whatsapp": "WhatsApp",
    "reach_sms": "Text",
    "reach_email": "E-mail",
    "reach_directions": "Directions to",
    "reach_actions": "Contact",
    "reach_directions_short": "Directions",
    "map_directions": "Get directions",
}
