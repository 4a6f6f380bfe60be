"""A file is stored, and downloaded, under a name whose extension says what its content is."""

from __future__ import annotations

import io

from PIL import Image
from PIL.PngImagePlugin import PngInfo

from tests.api.test_files_api import attach, client, signed_in_org  # noqa: F401  (client is a fixture)

SCRIPT = "<html><body><script>alert(document.cookie)</script></body></html>"


def polyglot() -> bytes:
    """A valid PNG whose bytes also hold an HTML page (a browser sniffing it as HTML runs the script)."""
    info = PngInfo()
    info.add_text("comment", SCRIPT)
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 0, 0)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def test_a_png_html_polyglot_named_html_is_stored_and_downloaded_as_png(client, session):  # noqa: F811 pytest passes the imported fixture
    admin, token = signed_in_org(session, "A")
    content = polyglot()
    assert SCRIPT.encode() in content
    stored = attach(session, admin, content, "x.html")
    assert (stored.name, stored.content_type) == ("x.png", "image/png")

    client.cookies.set("crm_session", token)
    response = client.get(f"/api/files/{stored.id}", params={"download": "1"})
    assert response.headers["content-type"] == "image/png"
    assert response.headers["content-disposition"].startswith('attachment; filename="x.png"')
