"""Customer files and the map end to end (issue #4): upload an image and see its thumbnail, a refused
file gets its own message, downloads need a session of the same organization, and a point picked on
the form's map is saved.
"""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from sqlmodel import select

from crm_app.domain import local_time
from crm_app.models import Customer, StoredFile
from tests.e2e.conftest import AppServer, db_session, make_org_with_admin, sign_in, wait_hydrated
from tests.e2e.test_customers import make_customer

pytestmark = pytest.mark.e2e


def png(color=(20, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), color).save(out, "PNG")
    return out.getvalue()


def open_profile(page: Page, app_server: AppServer, customer_id: int, name: str) -> None:
    page.goto(app_server.url(f"/customers/{customer_id}"))
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    wait_hydrated(page)


def test_upload_an_image_see_its_thumbnail_and_only_the_organization_downloads_it(
    app_server: AppServer, page: Page, new_page
):
    admin = make_org_with_admin(app_server.db_url)
    customer_id = make_customer(app_server.db_url, admin, "Rosa", "Paredes")
    sign_in(page, app_server.base_url, admin.email, admin.password)
    open_profile(page, app_server, customer_id, "Rosa Paredes")
    expect(page.get_by_text("Todavía no hay archivos.")).to_be_visible()

    # Two files at once: an image and an executable renamed as a photo.
    page.locator("#customer-files input[type=file]").set_input_files([
        {"name": "fachada.png", "mimeType": "image/png", "buffer": png()},
        {"name": "foto.jpg", "mimeType": "image/jpeg",
         "buffer": b"MZ\x90\x00\x03" + b"\x00" * 400 + b"This program cannot be run in DOS mode"},
    ])

    # The Files card (the feed shows the same file too, with its own thumbnail and link).
    files = page.get_by_role("region", name="Archivos")
    thumbnail = files.get_by_role("img", name="fachada.png")
    expect(thumbnail).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth === 320", arg=thumbnail.element_handle())
    expect(page.get_by_role("alert").filter(has_text="foto.jpg")).to_contain_text(
        "Este tipo de archivo no está permitido")
    expect(page.get_by_role("link", name="Descargar foto.jpg")).to_have_count(0)
    # The day it was added in the organization's zone, in the format of every other date ("2 dic 2026").
    with db_session(app_server.db_url) as session:
        added = session.exec(select(StoredFile.created_at).where(StoredFile.customer_id == customer_id)).one()
    expect(files.get_by_text(f"{local_time.local_day(added, 'America/Guayaquil', 'es')} · ")).to_be_visible()

    download = files.get_by_role("link", name="Descargar fachada.png")
    href = download.get_attribute("href")
    assert href and re.fullmatch(r"/api/files/\d+\?download=1", href)
    url = app_server.url(href)
    mine = page.request.get(url)
    assert (mine.status, mine.headers["content-type"]) == (200, "image/png")
    assert mine.headers["content-disposition"].startswith('attachment; filename="fachada.png"')
    assert mine.body() == png()

    signed_out = new_page()
    assert signed_out.request.get(url).status == 401
    assert signed_out.request.get(url.replace("?download=1", "/thumbnail")).status == 401

    stranger = make_org_with_admin(app_server.db_url)
    other = new_page()
    sign_in(other, app_server.base_url, stranger.email, stranger.password)
    assert other.request.get(url).status == 404
    assert other.request.get(url.replace("?download=1", "/thumbnail")).status == 404
    assert other.request.get(app_server.url("/api/files/999999999")).status == 404


def test_delete_a_file_after_confirming(app_server: AppServer, page: Page):
    admin = make_org_with_admin(app_server.db_url)
    customer_id = make_customer(app_server.db_url, admin, "Luis", "Mora")
    sign_in(page, app_server.base_url, admin.email, admin.password)
    open_profile(page, app_server, customer_id, "Luis Mora")
    page.locator("#customer-files input[type=file]").set_input_files([
        {"name": "notas.txt", "mimeType": "text/plain", "buffer": b"Llamar el lunes\n"},
    ])
    files = page.get_by_role("region", name="Archivos")
    expect(files.get_by_role("link", name="Descargar notas.txt")).to_be_visible()

    page.get_by_role("button", name="Eliminar notas.txt").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("notas.txt")
    dialog.get_by_role("button", name="Confirmar").click()
    expect(files.get_by_role("link", name="Descargar notas.txt")).to_have_count(0)
    expect(page.get_by_text("Todavía no hay archivos.")).to_be_visible()


def test_pick_a_point_on_the_form_map_and_it_is_saved(app_server: AppServer, page: Page):
    admin = make_org_with_admin(app_server.db_url)
    customer_id = make_customer(app_server.db_url, admin, "Ana", "Vera")
    sign_in(page, app_server.base_url, admin.email, admin.password)
    open_profile(page, app_server, customer_id, "Ana Vera")
    expect(page.locator("#customer-map")).to_have_count(0)  # no point yet: no map on the profile

    page.get_by_role("button", name="Editar").click()
    dialog = page.get_by_role("dialog")
    latitude, longitude = dialog.get_by_label("Latitud"), dialog.get_by_label("Longitud")
    expect(latitude).to_have_value("")
    map_box = dialog.locator("#customer-form-map .leaflet-container")
    map_box.scroll_into_view_if_needed()
    expect(map_box).to_be_visible()
    page.wait_for_timeout(400)  # the map measures itself again once the dialog has its size
    box = map_box.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.4)
    expect(latitude).not_to_have_value("")
    picked = (float(latitude.input_value()), float(longitude.input_value()))
    assert picked[0] > 0 and picked[1] > 0  # up and to the right of the world's centre
    expect(dialog.locator("#customer-form-map path.leaflet-interactive")).to_have_count(1)  # the marker

    # Typing coordinates moves the marker.
    latitude.fill("-2.170998")
    longitude.fill("-79.922359")
    expect(dialog.locator("#customer-form-map")).to_have_attribute(
        "data-point", "-2.170998,-79.922359")
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.7)  # south-west of it
    expect(latitude).not_to_have_value("-2.170998")
    assert float(latitude.input_value()) < -2.170998 and float(longitude.input_value()) < -79.922359
    saved = (latitude.input_value(), longitude.input_value())

    dialog.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    with db_session(app_server.db_url) as session:
        row = session.get(Customer, customer_id)
        stored = (float(row.latitude), float(row.longitude))
    assert stored == pytest.approx(tuple(map(float, saved)), abs=1e-6)
    expect(page.locator("#customer-map .leaflet-container")).to_be_visible()
    expect(page.locator("#customer-map")).to_have_attribute(
        "data-point", re.compile(r"^-2\.1\d*,-79\.9\d*$"))
