"""The customer list's first load stays light on a phone: no map, chart or other page's code in it.

Reads the production build the e2e session serves: the scripts /customers' prerendered page loads
(module preloads and entry), as the server sends them to a browser that takes brotli (its .br files).
"""

from __future__ import annotations

import re

from tests.e2e.conftest import AppServer

# Issue 21: the first route's JavaScript at most 250 KB compressed (it was 512 KB with gzip).
MAX_COMPRESSED = 250 * 1024
# Text only these libraries' code contains: Leaflet's and Recharts' class names, the Radix slider the
# list does not use (it came with the whole Radix namespace).
FOREIGN = {"leaflet": "leaflet-container", "recharts": "recharts-wrapper", "radix slider": "rt-SliderTrack"}


def first_load_scripts(server: AppServer, route: str) -> list[str]:
    client = server.web_dir / "build" / "client"
    html = (client / f"{route}.html").read_text()
    return sorted({client / name for name in re.findall(r"/(assets/[\w.-]+\.js)", html)})


def test_the_customer_list_loads_no_map_chart_or_unused_component_code(app_server: AppServer):
    scripts = first_load_scripts(app_server, "customers")
    assert scripts
    code = "".join(path.read_text() for path in scripts)
    assert [name for name, marker in FOREIGN.items() if marker in code] == []


def test_the_customer_list_scripts_weigh_at_most_250_kb_compressed(app_server: AppServer):
    scripts = first_load_scripts(app_server, "customers")
    # Files under 256 bytes have no compressed copy (Reflex's compress-static): they travel as they are.
    sizes = [(path.with_name(path.name + ".br") if path.with_name(path.name + ".br").exists() else path)
             .stat().st_size for path in scripts]
    assert sum(sizes) <= MAX_COMPRESSED, f"{len(scripts)} scripts, {sum(sizes) / 1024:.0f} KB compressed"
