"""The addresses staff type to reach this machine: ``python -m crm_app.network PORT`` (used by make run)."""

from __future__ import annotations

import socket
import sys

# TEST-NET-2 (RFC 5737): never routed on the internet. Connecting a UDP socket sends no packet, it
# only asks the kernel which local address its route would leave from: the LAN address.
_PROBE = ("198.51.100.1", 9)


def lan_address() -> str | None:
    """This machine's address on its local network, or None when it has no route (offline)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.connect(_PROBE)
            address = sock.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def urls(port: int) -> list[str]:
    lan = lan_address()
    return [f"http://localhost:{port}", *([f"http://{lan}:{port}"] if lan else [])]


if __name__ == "__main__":
    labels = ("on this computer", "from a phone on this network")
    for label, url in zip(labels, urls(int(sys.argv[1])), strict=False):
        print(f"Clientela {label}: {url}")
