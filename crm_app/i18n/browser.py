"""The part of each catalogue the browser holds: ``SessionState.tr``, compiled into every page's initial
state and sent to a tab in its language.

About 40% of the messages are only read by the server (error texts, toasts, e-mails, feed summaries,
exports): kept out of ``tr``, they no longer weigh on a page's first load. The Spanish catalogue the
pages carry went from 1,965 messages (23.8 KB brotli) to about 1,180 (13.1 KB); see
bench/list_page.py --network fast3g.

A page looks a message up in one of three ways, and each is covered here:
- by its name (``T["save"]``): ``browser_keys.txt``, written from the pages themselves by
  ``make browser-keys`` (crm_app/browser_catalogue.py builds every page and records its lookups);
- by a prefix and a value only the browser knows (``T["client_type_" + row.client_type]``): ``PREFIXES``;
- by a name the server sends with its data (the profile's facts, its purchase figures): ``SENT``.
tests/unit/test_browser_catalogue.py builds every page and fails when a lookup is not covered.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from crm_app.i18n import catalogue

KEYS_FILE = Path(__file__).resolve().parent / "browser_keys.txt"

PREFIXES = (
    "admin_event_", "client_type_", "dupui_mode_", "field_kind_", "import_status_", "invitation_status_",
    "member_role_", "message_status_", "phone_kind_", "tax_type_",
)

# The profile header's key facts and its purchase figures, in the order the page shows them
# (states/customer_profile.py and states/customer_documents.py send them with their values).
PROFILE_FACTS = ("discount", "credit_limit", "loyalty_id", "birthday")
PURCHASE_FIGURES = ("purchases_sales_count", "purchases_amount_spent", "purchases_last_purchase",
                    "purchases_open_orders", "purchases_open_credit")
SENT = frozenset(PROFILE_FACTS + PURCHASE_FIGURES)


@cache
def named_keys() -> frozenset[str]:
    return frozenset(KEYS_FILE.read_text(encoding="utf-8").split())


def wanted(key: str) -> bool:
    return key in named_keys() or key in SENT or key.startswith(PREFIXES)


@cache
def browser_catalogue(lang: str) -> dict[str, str]:
    """The messages of ``lang`` a page may show (``catalogue(lang)``'s, in the same order)."""
    return {key: text for key, text in catalogue(lang).items() if wanted(key)}
