"""The SSRF guard: webhooks go to public https servers only, checked on the resolved addresses."""

from __future__ import annotations

import ipaddress

import pytest

from crm_app.domain.net_guard import UnsafeTarget, check, is_public, pinned_url

PUBLIC = "93.184.216.34"


def resolver(*answers: str):
    def resolve(host: str, port: int) -> list[str]:
        return list(answers)
    return resolve


def refused(url: str, *answers: str, allow_http: bool = False) -> str:
    with pytest.raises(UnsafeTarget) as caught:
        check(url, allow_http=allow_http, allow_private=False, resolve=resolver(*answers))
    return caught.value.code


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.10", "169.254.169.254", "100.64.0.1", "0.0.0.0",
    "224.0.0.1", "240.0.0.1", "255.255.255.255", "198.18.0.1",
    "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "2002:7f00:1::1", "64:ff9b::a00:1",
    "::ffff:8.8.8.8",  # IPv4-mapped: never a real IPv6 peer, refused whatever it carries
])
def test_private_loopback_link_local_multicast_reserved_cgnat_and_ipv6_forms_are_refused(address):
    assert not is_public(ipaddress.ip_address(address))
    assert refused("https://hooks.example.com/in", address) == "webhook_url_private"


@pytest.mark.parametrize("address", [PUBLIC, "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_accepted(address):
    assert is_public(ipaddress.ip_address(address))
    target = check("https://hooks.example.com/in?x=1", allow_http=False, allow_private=False,
                   resolve=resolver(address))
    assert target.host == "hooks.example.com" and target.port == 443


def test_literal_ips_in_the_url_are_checked_without_dns():
    assert refused("https://127.0.0.1/x") == "webhook_url_private"
    assert refused("https://[::1]:8443/x") == "webhook_url_private"
    assert refused("https://[::ffff:192.168.0.1]/x") == "webhook_url_private"


def test_one_private_address_among_public_ones_refuses_the_host():
    assert refused("https://hooks.example.com/", PUBLIC, "10.0.0.5") == "webhook_url_private"


def test_a_name_that_resolves_to_a_private_address_is_refused_dns_rebinding():
    """The same name is checked again at each delivery: once it points inside, it is refused."""
    check("https://rebind.example.com/", allow_http=False, allow_private=False, resolve=resolver(PUBLIC))
    assert refused("https://rebind.example.com/", "127.0.0.1") == "webhook_url_private"


def test_the_delivery_connects_to_the_checked_address():
    target = check("https://hooks.example.com:8443/in?a=1", allow_http=False, allow_private=False,
                   resolve=resolver(PUBLIC))
    assert pinned_url(target) == f"https://{PUBLIC}:8443/in?a=1"
    v6 = check("https://hooks.example.com/in", allow_http=False, allow_private=False,
               resolve=resolver("2606:4700:4700::1111"))
    assert pinned_url(v6) == "https://[2606:4700:4700::1111]:443/in"


def test_http_only_where_allowed_and_urls_are_well_formed():
    assert refused("http://hooks.example.com/", PUBLIC) == "webhook_url_https_only"
    assert check("http://hooks.example.com/", allow_http=True, allow_private=False,
                 resolve=resolver(PUBLIC)).port == 80
    assert refused("ftp://hooks.example.com/", PUBLIC) == "webhook_url_invalid"
    assert refused("hooks.example.com/in", PUBLIC) == "webhook_url_invalid"
    assert refused("https://hooks.example.com:99999/", PUBLIC) == "webhook_url_invalid"
    assert refused("https://user:pw@hooks.example.com/", PUBLIC) == "webhook_url_credentials"
    assert refused("", PUBLIC) == "required"
    assert refused("https://x.example.com/" + "a" * 500, PUBLIC) == "too_long"


def test_a_name_that_does_not_resolve_is_refused():
    def failing(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    with pytest.raises(UnsafeTarget) as caught:
        check("https://nowhere.invalid/", allow_http=False, allow_private=False, resolve=failing)
    assert caught.value.code == "webhook_url_unresolved"


def test_private_targets_are_allowed_only_when_the_setting_says_so():
    target = check("http://127.0.0.1:8080/in", allow_http=True, allow_private=True, resolve=resolver())
    assert target.addresses == () and pinned_url(target) == "http://127.0.0.1:8080/in"
