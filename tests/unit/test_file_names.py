"""A stored file's name ends with the extension of what its content is."""

from __future__ import annotations

import pytest

from crm_app.domain.file_types import FileType, name_for_type

PNG = FileType("image/png", "png", is_image=True)
JPEG = FileType("image/jpeg", "jpg", is_image=True)
PDF = FileType("application/pdf", "pdf")


@pytest.mark.parametrize(("name", "kind", "stored"), [
    ("x.html", PNG, "x.png"),
    ("factura.pdf.exe", PDF, "factura.pdf.pdf"),
    ("foto", JPEG, "foto.jpg"),
    (".htaccess", PNG, "htaccess.png"),
    ("x.svg", PNG, "x.png"),
    ("Foto.PNG", PNG, "Foto.PNG"),
    ("foto.jpeg", JPEG, "foto.jpeg"),
    ("informe.pdf", PDF, "informe.pdf"),
])
def test_the_extension_matches_the_detected_type(name, kind, stored):
    assert name_for_type(name, kind) == stored


def test_a_long_name_stays_within_the_limit():
    stored = name_for_type("a" * 300 + ".html", PNG)
    assert stored.endswith(".png") and len(stored) <= 255
