"""A delivery's signature: what a receiver copying docs/webhooks.md checks (Stripe's scheme)."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from crm_app.domain.webhook_signing import new_event_id, new_secret, signature_header, verify

BODY = b'{"id":"evt_1","type":"customer.created","data":{"object":{"id":7,"display_name":"Jos\xc3\xa9"}}}'


def test_the_header_is_t_and_v1_hmac_of_timestamp_dot_body():
    header = signature_header("whsec_abc", BODY, timestamp=1_700_000_000)
    expected = hmac.new(b"whsec_abc", b"1700000000." + BODY, hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"


def test_a_genuine_delivery_verifies_within_the_tolerance():
    header = signature_header("whsec_abc", BODY, timestamp=1_700_000_000)
    assert verify("whsec_abc", header, BODY, now=1_700_000_100)
    assert verify("whsec_abc", header, BODY.decode("utf-8"), now=1_700_000_100)  # str body alike


def test_a_tampered_body_a_wrong_secret_or_an_old_replay_is_refused():
    header = signature_header("whsec_abc", BODY, timestamp=1_700_000_000)
    assert not verify("whsec_abc", header, BODY.replace(b"7", b"8"), now=1_700_000_000)
    assert not verify("whsec_other", header, BODY, now=1_700_000_000)
    assert not verify("whsec_abc", header, BODY, now=1_700_000_000 + 301)  # replayed too late
    assert not verify("whsec_abc", header, BODY, now=1_700_000_000 - 301)  # from the future


def test_malformed_headers_are_refused_not_crashing():
    for header in ("", "t=,v1=", "v1=abc", "t=1700000000", "t=abc,v1=00", "garbage", "t=1700000000,v1="):
        assert not verify("whsec_abc", header, BODY, now=1_700_000_000)


def test_any_matching_v1_is_enough_for_a_secret_rotation():
    good = signature_header("whsec_new", BODY, timestamp=1_700_000_000).split(",")[1]
    header = f"t=1700000000,v1={'0' * 64},{good}"
    assert verify("whsec_new", header, BODY, now=1_700_000_000)


def test_secrets_and_event_ids_are_random_and_recognizable():
    assert new_secret().startswith("whsec_") and new_secret() != new_secret()
    assert len(new_secret()) > 40
    assert new_event_id().startswith("evt_") and new_event_id() != new_event_id()


def test_the_receiver_in_the_docs_verifies_what_clientela_signs():
    """docs/webhooks.md's copy-paste verify accepts a genuine delivery and refuses a tampered one."""
    docs = (Path(__file__).resolve().parents[2] / "docs" / "webhooks.md").read_text(encoding="utf-8")
    code = docs.split("```python\n", 1)[1].split("```", 1)[0]
    # Everything defined, nothing served:
    code = code.replace('HTTPServer(("0.0.0.0", 8000), Receiver).serve_forever()', "")
    namespace: dict = {}
    exec(compile(code, "docs/webhooks.md", "exec"), namespace)
    header = signature_header("whsec_doc", BODY)
    assert namespace["verify"]("whsec_doc", header, BODY)
    assert not namespace["verify"]("whsec_doc", header, BODY + b" ")
