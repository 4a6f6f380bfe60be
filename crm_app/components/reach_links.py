"""One-tap ways to reach a customer: call, WhatsApp, SMS, e-mail and directions to his map point.

Plain links to the phone's own apps (``tel:``, ``https://wa.me/<digits>``, ``sms:``, ``mailto:``) and to
the map provider's directions, each shown only when the customer has what it needs: WhatsApp and SMS
only for a number flagged for them. Each link's accessible name says what it does and to whom; on a
phone each is a 44 px target (``.crm-reach``).
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from crm_app.components import plain
from crm_app.states.session import SessionState

T = SessionState.tr

# Opens the phone's map app (Android and iOS take this universal link) or the browser on a desktop.
DIRECTIONS_URL = "https://www.google.com/maps/dir/?api=1&destination="


def directions_href(latitude: Var, longitude: Var) -> Var:
    """The directions link to a point given as its two coordinates (the profile's map and bar)."""
    return DIRECTIONS_URL + latitude + "," + longitude


def _link(icon: str, label_key: str, name: Var, href: Var, *, external: bool = False) -> rx.Component:
    # Plain links (components/plain.py): a list repeats them on every row.
    return plain.outside_link(
        rx.icon(icon, size=18, aria_hidden="true"),
        href=href,
        new_tab=external,
        aria_label=T[label_key].to(str) + " " + name,
        title=T[label_key],
        class_name="crm-reach",
    )


def reach_links(name: Var, *, call: Var, whatsapp: Var, sms: Var, map_point: Var,
                email: Var | None = None) -> rx.Component:
    """The links a customer's data allows, side by side (e-mail left out where the page links it already)."""
    return plain.inline(
        rx.cond(call != "", _link("phone", "reach_call", name, "tel:" + call)),
        rx.cond(whatsapp != "", _link("message_circle", "reach_whatsapp", name,
                                      "https://wa.me/" + whatsapp.to(str).replace("+", ""), external=True)),
        rx.cond(sms != "", _link("message_square_text", "reach_sms", name, "sms:" + sms)),
        rx.cond(email != "", _link("mail", "reach_email", name, "mailto:" + email))
        if email is not None else rx.fragment(),
        rx.cond(map_point != "", _link("navigation", "reach_directions", name, DIRECTIONS_URL + map_point,
                                       external=True)),
    )
