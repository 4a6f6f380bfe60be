"""(being written) The webhooks_section of /settings/api."""

import reflex as rx


def webhooks_section() -> rx.Component:
    return rx.fragment()
