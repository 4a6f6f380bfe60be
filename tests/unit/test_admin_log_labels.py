"""Every event kind the services write to the admin activity log has a label in both languages, so
/settings never shows an admin a raw name like ``settings.tags_merged``."""

import re
from pathlib import Path

import pytest

from crm_app.i18n import catalogue
from crm_app.services.admin_settings import LISTS

SERVICES = Path(__file__).resolve().parents[2] / "crm_app" / "services"
# record_activity(..., kind="login", ...) / kind="user_enabled" if active else "user_disabled" /
# log_change(session, actor, "settings.tags_merged", ...) / ... if not active else "form.x"
_KIND = re.compile(r'kind="([a-z_.]+)"(?: if \w+ else "([a-z_.]+)")?'
                   r'|log_change\(session, actor, "([a-z_.]+)"(?: if not \w+ else "([a-z_.]+)")?')


def _recorded_kinds() -> set[str]:
    kinds = {kind.log_kind for kind in LISTS.values()}
    for path in SERVICES.rglob("*.py"):  # sub-packages too (services/campaigns/...)
        source = path.read_text(encoding="utf-8")
        if "record_activity(" in source or "log_change(" in source:
            kinds.update(k for match in _KIND.findall(source) for k in match if k)
    return kinds


def test_the_scan_finds_the_kinds_admins_see_most():
    assert {"login", "organization_created", "settings.tags_merged", "user_disabled",
            "form.custom_field_restored"} <= _recorded_kinds()


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_recorded_kind_has_a_label(lang):
    messages = catalogue(lang)
    missing = sorted(k for k in _recorded_kinds() if "admin_event_" + k.replace(".", "_") not in messages)
    assert missing == []
