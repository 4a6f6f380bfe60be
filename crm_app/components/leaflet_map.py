"""A small Reflex wrapper around react-leaflet: a map with one point, read-only or as a picker.

The React side lives beside this file (leaflet_map.jsx, copied into the build by ``rx.asset``). It is
rendered in the browser only (NoSSRComponent: Leaflet needs ``window``). Tiles come from the
``CRM_MAP_TILE_URL`` setting; without them (offline) the map still shows and picks points.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from crm_app.components.reach_links import directions_href
from crm_app.settings import get_settings
from crm_app.states.session import SessionState

_SOURCE = rx.asset("leaflet_map.jsx", shared=True)


class LocationMap(rx.NoSSRComponent):
    library = _SOURCE.importable_path
    tag = "LocationMap"
    lib_dependencies: list[str] = ["react-leaflet@5.0.0", "leaflet@1.9.4"]

    # Read-only map: the point to show (strings, as typed; empty for none).
    latitude: Var[str]
    longitude: Var[str]
    tile_url: Var[str]
    attribution: Var[str]
    # Picker: ids of the latitude/longitude inputs a click fills and whose typing moves the marker.
    latitude_input_id: Var[str]
    longitude_input_id: Var[str]
    height: Var[str]
    aria_label: Var[str]


def _tiles() -> dict[str, str]:
    settings = get_settings()
    return {"tile_url": settings.map_tile_url, "attribution": settings.map_attribution}


def location_map(latitude: Var | str, longitude: Var | str, *, label: Var | str, **props) -> rx.Component:
    """A read-only map centred on the point (the world when there is none)."""
    return LocationMap.create(latitude=latitude, longitude=longitude, aria_label=label, **_tiles(), **props)


def location_picker(latitude_input_id: str, longitude_input_id: str, *, label: Var | str,
                    **props) -> rx.Component:
    """A map where a click sets the two coordinate inputs, and typing in them moves the marker."""
    return LocationMap.create(latitude_input_id=latitude_input_id, longitude_input_id=longitude_input_id,
                              aria_label=label, **_tiles(), **props)


def location_card(latitude: Var, longitude: Var, *, title: Var) -> rx.Component:
    """The profile's map card, shown only when the customer has a point."""
    return rx.cond(
        (latitude != "") & (longitude != ""),
        rx.card(
            rx.vstack(
                rx.heading(title, size="4", as_="h2"),
                location_map(latitude, longitude, label=title, id="customer-map"),
                rx.link(rx.icon("navigation", size=16, aria_hidden="true"),
                        SessionState.tr["map_directions"], href=directions_href(latitude, longitude),
                        is_external=True, size="2"),
                spacing="2",
                width="100%",
            ),
            grid_column="1 / -1",
        ),
    )


def location_picker_field(latitude_input_id: str, longitude_input_id: str) -> rx.Component:
    """The form's map under the coordinate inputs, with a hint for keyboard and screen-reader users."""
    label = SessionState.tr["map_location"]
    return rx.vstack(
        rx.text(SessionState.tr["map_pick_hint"], size="1", color_scheme="gray"),
        location_picker(latitude_input_id, longitude_input_id, label=label, id="customer-form-map",
                        height="14rem"),
        spacing="1",
        width="100%",
    )
