"""domain/bulk.py's pure rules: params cleaned or refused field by field, the description's keys, when
an undo is offered; and every description key in both catalogues."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crm_app.domain.bulk import (
    FLAGS,
    KINDS,
    MAX_IDS,
    BulkRequest,
    Selection,
    can_undo,
    description,
    validate,
)
from crm_app.domain.errors import ValidationFailed
from crm_app.i18n import catalogue

TICKED = Selection(ids=(1, 2))


def refused(selection: Selection, kind: str, **params) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        validate(selection, BulkRequest(kind, params))
    return {name: error.code for name, error in caught.value.errors.items()}


def test_params_are_cleaned():
    assert validate(TICKED, BulkRequest("tag_add", {"tag": "  VIP   oro "})) == {"tag": "VIP oro"}
    assert validate(TICKED, BulkRequest("set_channel", {"channel_id": None})) == {"channel_id": None}
    assert validate(TICKED, BulkRequest("add_to_account", {"account_id": 7})) == {"account_id": 7,
                                                                                  "role": "member"}
    assert validate(Selection(all_matching=True, query="tags=vip"), BulkRequest("trash")) == {}


def test_each_wrong_field_is_named():
    assert refused(Selection(), "tag_add", tag="") == {"selection": "bulk_selection_empty", "tag": "required"}
    assert refused(TICKED, "tag_add", tag="x" * 61) == {"tag": "too_long"}
    too_many = Selection(ids=tuple(range(1, MAX_IDS + 2)))
    assert refused(too_many, "trash") == {"selection": "bulk_selection_too_large"}
    assert refused(TICKED, "set_channel", channel_id="3") == {"channel_id": "invalid_choice"}
    assert refused(TICKED, "set_flag", flag="vip", value=1) == {"flag": "bulk_flag_invalid",
                                                                 "value": "bulk_flag_value_invalid"}
    assert refused(TICKED, "add_to_account", account_id=True, role="boss") == {
        "account_id": "required", "role": "member_role_invalid"}
    assert refused(TICKED, "send_template") == {"template_id": "required"}
    assert refused(TICKED, "delete_all") == {"kind": "bulk_kind_invalid"}


def test_every_description_is_in_both_catalogues():
    samples = {"set_flag": [{"flag": f, "value": v} for f in FLAGS for v in (True, False)],
               "set_channel": [{"channel_id": None}, {"channel_id": 3, "channel": "Web"}]}
    for kind in KINDS:
        for params in samples.get(kind, [{}]):
            key, _ = description(kind, params)
            assert key in catalogue("es") and key in catalogue("en"), key


def test_undo_is_offered_for_a_day_after_an_ended_action():
    now = datetime(2026, 12, 4, 12, tzinfo=UTC)
    until = now + timedelta(hours=1)
    assert can_undo("done", None, until, now) and can_undo("cancelled", None, until, now)
    assert not can_undo("running", None, until, now)
    assert not can_undo("done", now, until, now)
    assert not can_undo("done", None, now, now)
