"""Customer files: size limit, type from the content, thumbnails, disk cleanup, permissions, isolation."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from crm_app.domain.customers import CustomerInput
from crm_app.domain.errors import Forbidden, NotFound, ValidationFailed
from crm_app.models import FeedEvent, StoredFile
from crm_app.services import customers, feed, files
from crm_app.services.file_store import FileStore
from tests.db import run_like_app
from tests.factories import make_org, make_user
from tests.isolation import assert_not_found_for_other_org, column_snapshot


@pytest.fixture
def store(tmp_path: Path) -> FileStore:
    return FileStore(tmp_path / "files")


def image_bytes(fmt: str = "PNG", size=(640, 480), exif_orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif_orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        image.save(out, fmt, exif=exif)
    else:
        image.save(out, fmt)
    return out.getvalue()


def new_customer(session, actor):
    return run_like_app(session, customers.create_customer, actor=actor,
                        data=CustomerInput(client_type="person", first_name="Ana", last_name="Vera"))


def upload(session, actor, customer_id, content: bytes, name: str, store: FileStore, **kw):
    return run_like_app(session, files.store_file, actor=actor, customer_id=customer_id,
                        stream=io.BytesIO(content), filename=name, store=store, **kw)


def stored_on_disk(store: FileStore) -> list[str]:
    return sorted(p.name for p in store.root.rglob("*") if p.is_file()) if store.root.exists() else []


def refusal(excinfo: pytest.ExceptionInfo) -> str:
    return excinfo.value.errors["file"].code


def test_an_image_is_stored_with_its_real_type_size_thumbnail_and_feed_event(session, store):
    _, admin = make_org(session)
    customer = new_customer(session, admin)
    content = image_bytes("PNG")
    stored = upload(session, admin, customer.id, content, "../../etc/foto cliente.jpg", store)

    # Without its path, and with the extension of what it is (PNG bytes named .jpg).
    assert stored.name == "foto cliente.png"
    assert (stored.content_type, stored.is_image, stored.size) == ("image/png", True, len(content))
    assert (stored.width, stored.height, stored.has_thumbnail) == (640, 480, True)
    opened = files.open_file(session=session, actor=admin, file_id=stored.id, store=store)
    assert opened.path.read_bytes() == content and opened.path.is_relative_to(store.root)
    assert "foto" not in str(opened.path)  # the user's name never becomes a path
    thumb = files.open_file(session=session, actor=admin, file_id=stored.id, thumbnail=True, store=store)
    with Image.open(thumb.path) as image:
        assert (image.format, image.size) == ("WEBP", (320, 240))

    (event,) = feed.list_feed(session=session, actor=admin, customer_id=customer.id, category="files").entries
    assert (event.kind, event.actor_name) == ("file", "Admin Acme")
    assert event.ref == {"name": "foto cliente.png", "content_type": "image/png", "size": len(content),
                         "is_image": True, "has_thumbnail": True}


def test_phone_photos_are_measured_and_thumbnailed_upright(session, store):
    _, admin = make_org(session)
    customer = new_customer(session, admin)
    # Stored landscape, EXIF says "rotate 90°": people see a portrait photo.
    stored = upload(session, admin, customer.id, image_bytes("JPEG", (400, 200), exif_orientation=6),
                    "IMG_0001.JPG", store)
    assert (stored.width, stored.height) == (200, 400)
    thumb = files.open_file(session=session, actor=admin, file_id=stored.id, thumbnail=True, store=store)
    with Image.open(thumb.path) as image:
        assert image.size == (160, 320)


@pytest.mark.parametrize(
    ("content", "name", "mime"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "factura.pdf", "application/pdf"),
        ("nombre;teléfono\nAna;0991234567\n".encode("cp1252"), "clientes.csv", "text/csv"),
        (b"Llamar el lunes.\r\n", "nota.txt", "text/plain"),
    ],
)
def test_documents_and_text_are_accepted(session, store, content, name, mime):
    _, admin = make_org(session)
    customer = new_customer(session, admin)
    stored = upload(session, admin, customer.id, content, name, store)
    assert (stored.content_type, stored.is_image, stored.has_thumbnail) == (mime, False, False)


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00\x03" + b"\x00" * 200 + b"This program cannot be run in DOS mode", "foto.jpg"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "contrato.pdf"),
        (b"PK\x03\x04\x14\x00\x00\x00" + b"\x00" * 100, "archivo.zip"),
        (b"<html><script>alert(1)</script></html>", "pagina.html"),
        (b"<html><script>alert(1)</script></html>", "pagina.txt.html"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "roto.png"),  # a PNG header over garbage
        (b"texto\x00binario\x01\x02", "datos.csv"),
    ],
    ids=["exe-as-jpg", "elf-as-pdf", "zip", "html", "html-named-txt", "corrupt-png", "binary-as-csv"],
)
def test_types_outside_the_allow_list_are_refused_and_nothing_is_kept(session, store, content, name):
    _, admin = make_org(session)
    customer = new_customer(session, admin)
    with pytest.raises(ValidationFailed) as refused:
        upload(session, admin, customer.id, content, name, store)
    assert refusal(refused) == "file_type_not_allowed"
    assert stored_on_disk(store) == []
    assert session.scalar(select(func.count()).select_from(StoredFile)) == 0


def test_files_over_20_mb_are_refused_while_reading_and_leave_nothing(session, store):
    _, admin = make_org(session)
    customer = new_customer(session, admin)
    too_big = b"%PDF-1.7\n" + b"0" * (files.MAX_FILE_BYTES - 8)
    with pytest.raises(ValidationFailed) as refused:
        upload(session, admin, customer.id, too_big, "grande.pdf", store)
    assert (refusal(refused), refused.value.errors["file"].params) == ("file_too_big", {"max_mb": 20})
    assert stored_on_disk(store) == []
    # Exactly 20 MB is fine.
    stored = upload(session, admin, customer.id, too_big[:-1], "justo.pdf", store)
    assert stored.size == files.MAX_FILE_BYTES


def test_an_announced_size_over_the_limit_is_refused_without_reading(session, store):
    _, admin = make_org(session)
    customer = new_customer(session, admin)

    class Unreadable(io.RawIOBase):
        def read(self, *_):
            raise AssertionError("read although the announced size was too big")

    with pytest.raises(ValidationFailed) as refused:
        run_like_app(session, files.store_file, actor=admin, customer_id=customer.id, stream=Unreadable(),
                     filename="video.mp4", size_hint=files.MAX_FILE_BYTES + 1, store=store)
    assert refusal(refused) == "file_too_big"


def test_empty_files_are_refused(session, store):
    _, admin = make_org(session)
    customer = new_customer(session, admin)
    with pytest.raises(ValidationFailed) as refused:
        upload(session, admin, customer.id, b"", "vacio.txt", store)
    assert refusal(refused) == "file_empty"


def test_a_failed_transaction_removes_the_bytes_it_wrote(session, store):
    _, admin = make_org(session)
    customer = new_customer(session, admin)
    files.store_file(session=session, actor=admin, customer_id=customer.id,
                     stream=io.BytesIO(image_bytes()), filename="a.png", store=store)
    assert len(stored_on_disk(store)) == 2  # the image and its thumbnail
    session.rollback()  # e.g. the commit failed
    assert stored_on_disk(store) == []


def test_delete_by_uploader_or_admin_removes_row_event_and_bytes_after_commit(session, store):
    _, admin = make_org(session)
    _, sales, _ = make_user(session, admin)
    _, other_sales, _ = make_user(session, admin)
    customer = new_customer(session, admin)
    mine = upload(session, sales, customer.id, image_bytes(), "mine.png", store)
    theirs = upload(session, other_sales, customer.id, b"hola\n", "nota.txt", store)

    with pytest.raises(Forbidden):
        files.delete_file(session=session, actor=sales, file_id=theirs.id, store=store)
    session.rollback()

    files.delete_file(session=session, actor=sales, file_id=mine.id, store=store)
    assert len(stored_on_disk(store)) == 3  # still there until the transaction commits
    session.commit()
    assert len(stored_on_disk(store)) == 1
    run_like_app(session, files.delete_file, actor=admin, file_id=theirs.id, store=store)
    assert stored_on_disk(store) == []
    assert session.scalar(select(func.count()).select_from(FeedEvent).where(FeedEvent.kind == "file")) == 0
    with pytest.raises(NotFound):
        files.get_file(session=session, actor=admin, file_id=mine.id)


def test_list_is_newest_first_and_keyset_paged(session, store):
    _, admin = make_org(session)
    customer = new_customer(session, admin)
    ids = [upload(session, admin, customer.id, f"nota {i}\n".encode(), f"n{i}.txt", store).id
           for i in range(5)]
    first = files.list_files(session=session, actor=admin, customer_id=customer.id, limit=3)
    assert [f.id for f in first.files] == ids[::-1][:3]
    assert first.files[0].uploaded_by_name == "Admin Acme"
    second = files.list_files(session=session, actor=admin, customer_id=customer.id, limit=3,
                              before=first.next_before)
    assert ([f.id for f in second.files], second.next_before) == (ids[::-1][3:], None)


def test_another_organizations_customer_and_files_are_not_found(session, store):
    _, admin_a = make_org(session, "A")
    customer = new_customer(session, admin_a)
    stored = upload(session, admin_a, customer.id, image_bytes(), "a.png", store)
    _, admin_b = make_org(session, "B")
    snapshot = column_snapshot(session, StoredFile, stored.id)

    for call in (
        lambda: files.store_file(session=session, actor=admin_b, customer_id=customer.id,
                                 stream=io.BytesIO(b"x\n"), filename="x.txt", store=store),
        lambda: files.list_files(session=session, actor=admin_b, customer_id=customer.id),
        lambda: files.get_file(session=session, actor=admin_b, file_id=stored.id),
        lambda: files.open_file(session=session, actor=admin_b, file_id=stored.id, store=store),
        lambda: files.open_file(session=session, actor=admin_b, file_id=stored.id, thumbnail=True,
                                store=store),
        lambda: files.delete_file(session=session, actor=admin_b, file_id=stored.id, store=store),
    ):
        assert_not_found_for_other_org(session, call, snapshot)
    assert len(stored_on_disk(store)) == 2
