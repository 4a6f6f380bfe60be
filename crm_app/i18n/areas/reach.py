"""One-tap ways to reach a customer from the list and the profile (components/reach_links.py): each
label is followed by the customer's name in the link's accessible name."""

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
