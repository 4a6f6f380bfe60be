"""A small production build on disk, shaped like React Router's: pages, the SPA shell, the route manifest.

Used where a test needs the build's files without running one: the single-port server's static files
(tests/api/test_static_files.py) and nginx's configuration (tests/unit/test_prod_launcher.py).
"""

from __future__ import annotations

import json
from pathlib import Path

ROUTES = {
    "root": {"path": "", "module": "/assets/root-1.js", "imports": ["/assets/react-2.js"]},
    "routes/customers": {"path": "customers", "module": "/assets/customers-3.js",
                         "imports": ["/assets/react-2.js", "/assets/table-4.js"]},
    "routes/customer": {"path": "customers/:customer_id", "module": "/assets/customer-5.js",
                        "imports": ["/assets/card-6.js"]},
    "routes/login": {"path": "login", "module": "/assets/login-7.js", "imports": []},
}


def write_build(root: Path) -> Path:
    """The build's files under ``root``: /customers prerendered, /login.html, the shell and its manifest."""
    (root / "assets").mkdir(parents=True)
    (root / "assets" / "entry-Ab12.js").write_text("export const x = 1;")
    (root / "customers").mkdir()
    (root / "customers" / "index.html").write_text("<html><body><h1>Clientes</h1></body></html>")
    (root / "__spa-fallback.html").write_text(
        '<html><head><link rel="modulepreload" href="/assets/manifest-ab12.js"/></head><body><div id=root>'
        "</div></body></html>")
    manifest = {"entry": {"module": "/assets/entry-0.js", "imports": []}, "routes": ROUTES}
    (root / "assets" / "manifest-ab12.js").write_text(f"window.__reactRouterManifest={json.dumps(manifest)};")
    (root / "login.html").write_text("<html><body><h1>Ingresar</h1></body></html>")
    (root / "sw.js").write_text("self.addEventListener('fetch', () => {});")
    (root / "manifest.webmanifest").write_text("{}")
    (root / "styles.css").write_text("body {}")
    return root
