"""Where a webhook may be sent: no SSRF into the server's own network.

A URL is accepted when its scheme is https (http only where the deployment allows it) and every
address its host resolves to is public: not private, loopback, link-local, multicast, reserved,
unspecified, CGNAT (100.64/10), an IPv6 unique-local address, nor an IPv6 form that carries one of
those IPv4 addresses (mapped ``::ffff:a.b.c.d``, 6to4, Teredo, NAT64). The check runs on the resolved
addresses, at registration and again at each delivery, and the delivery connects to the address that
was checked (:func:`pinned_url`), so a DNS answer that changes in between (rebinding) cannot redirect
it. The classification is the standard library's ``ipaddress``; nothing here parses addresses by hand.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]

MAX_URL = 500  # the column's length
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_CGNAT = ipaddress.ip_network("100.64.0.0/10")


class UnsafeTarget(ValueError):
    """A URL a webhook may not be sent to; ``code`` is an i18n key (crm_app/i18n/areas/webhooks.py)."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(code)


@dataclass(frozen=True)
class Target:
    url: str
    scheme: str
    host: str  # as typed (lower-cased), for the Host header and TLS's server name
    port: int
    addresses: tuple[IPAddress, ...]  # checked; empty when private targets are allowed (not resolved)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (mapped, 6to4, Teredo's client, NAT64)."""
    found = [a for a in (address.ipv4_mapped, address.sixtofour) if a is not None]
    if address.teredo is not None:
        found.extend(address.teredo)
    if address in _NAT64:
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def is_public(address: IPAddress) -> bool:
    """An address on the public internet, which a webhook may reach."""
    if isinstance(address, ipaddress.IPv6Address) and not all(is_public(a) for a in _embedded_ipv4(address)):
        return False
    if isinstance(address, ipaddress.IPv4Address) and address in _CGNAT:
        return False
    return (
        address.is_global
        and not address.is_multicast
        and not address.is_reserved
        and not address.is_unspecified
        and not address.is_loopback
        and not address.is_link_local
    )


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


def parse(url: str, *, allow_http: bool) -> tuple[str, str, int]:
    """(scheme, host, port) of an acceptable URL's syntax, else UnsafeTarget."""
    text = (url or "").strip()
    if not text:
        raise UnsafeTarget("required")
    if len(text) > MAX_URL:
        raise UnsafeTarget("too_long", max=MAX_URL)
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise UnsafeTarget("webhook_url_invalid") from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not parts.hostname:
        raise UnsafeTarget("webhook_url_invalid")
    if scheme == "http" and not allow_http:
        raise UnsafeTarget("webhook_url_https_only")
    if parts.username is not None or parts.password is not None:
        raise UnsafeTarget("webhook_url_credentials")
    return scheme, parts.hostname.lower(), port or (443 if scheme == "https" else 80)


def check(
    url: str, *, allow_http: bool, allow_private: bool, resolve: Resolver = system_resolver
) -> Target:
    """The URL as a :class:`Target` whose resolved addresses are all public, else UnsafeTarget.

    A host with one private address among public ones is refused: the connection could use any.
    """
    scheme, host, port = parse(url, allow_http=allow_http)
    if allow_private:
        return Target(url.strip(), scheme, host, port, ())
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
        resolved: list[IPAddress] = [literal]
    except ValueError:
        try:
            resolved = [ipaddress.ip_address(a.split("%")[0]) for a in resolve(host, port)]
        except (OSError, UnicodeError, ValueError):
            raise UnsafeTarget("webhook_url_unresolved", host=host) from None
    if not resolved:
        raise UnsafeTarget("webhook_url_unresolved", host=host)
    if not all(is_public(a) for a in resolved):
        raise UnsafeTarget("webhook_url_private", host=host)
    return Target(url.strip(), scheme, host, port, tuple(dict.fromkeys(resolved)))


def pinned_url(target: Target) -> str:
    """The target's URL with its host replaced by the first checked address (the Host header and TLS
    server name must then carry ``target.host``); the URL itself when nothing was resolved."""
    if not target.addresses:
        return target.url
    address = target.addresses[0]
    netloc = f"[{address}]" if address.version == 6 else str(address)
    parts = urlsplit(target.url)
    return urlunsplit((parts.scheme, f"{netloc}:{target.port}", parts.path or "/", parts.query, ""))
