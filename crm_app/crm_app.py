"""The Reflex app: pages, API and background tasks are registered here."""

import reflex as rx

app = rx.App()


@rx.page(route="/", title="Clientela")
def index() -> rx.Component:
    return rx.heading("Clientela")
