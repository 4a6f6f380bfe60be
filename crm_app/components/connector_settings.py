"""(being written) The connectors_section of /settings/api."""

import reflex as rx


def connectors_section() -> rx.Component:
    return rx.fragment()
