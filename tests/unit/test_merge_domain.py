"""domain/merge.py: the default choice of a field, phones and e-mails combined, the snapshot's values."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from crm_app.domain.merge import (
    Candidate,
    ContactRow,
    choice_errors,
    default_choice,
    field_choices,
    from_snapshot,
    merge_contacts,
    suggested_survivor,
    to_snapshot,
)

OLD, NEW = datetime(2025, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)


def test_the_most_recent_non_empty_value_else_the_most_complete_record():
    a = Candidate(1, OLD, OLD, {"city": "Quito", "notes": "x", "street": "Av. 1"})
    b = Candidate(2, NEW, NEW, {"city": "", "notes": "y"})
    assert default_choice("notes", [a, b]) == 2  # the most recent
    assert default_choice("city", [a, b]) == 1  # the only one filled in
    assert default_choice("birthday", [a, b]) == 1  # nobody: the most complete
    assert suggested_survivor([b, a]) == 1  # the oldest
    rows = field_choices([a, b], {"city": "Ciudad", "birthday": "Nacimiento", "notes": "Notas"})
    assert [(r.field, r.values, r.differs) for r in rows] == [
        ("city", ("Quito", ""), False), ("notes", ("x", "y"), True)]  # nobody's birthday: no row
    assert choice_errors({"city"}, (1, 2), {"city": 3, "zip": 1}) == {
        "city": "merge_choice_unknown_customer", "zip": "merge_choice_unknown_field"}


def test_phones_once_per_number_with_every_channel():
    kept, dropped = merge_contacts([
        ContactRow(10, "+593991", False, {"whatsapp": True, "sms": False}),
        ContactRow(11, "+593992", True, {"whatsapp": False, "sms": False}),
        ContactRow(20, "+593991", True, {"whatsapp": False, "sms": True}),
    ])
    assert dropped == [20]
    assert [(k.id, k.position, k.primary, k.flags) for k in kept] == [
        (10, 0, False, {"whatsapp": True, "sms": True}), (11, 1, True, {"whatsapp": False, "sms": False})]


def test_an_address_accepts_mail_only_if_every_copy_did_and_a_refusal_keeps_its_source():
    given = datetime(2026, 3, 1, tzinfo=UTC)
    kept, dropped = merge_contacts([
        ContactRow(1, "ana@x.com", False, {"accepts_email": True}, given, "form"),
        ContactRow(2, "ana@x.com", False, {"accepts_email": False}, NEW, "unsubscribed"),
        ContactRow(3, "bea@x.com", False, {"accepts_email": True}, given, "import"),
        ContactRow(4, "bea@x.com", False, {"accepts_email": True}, NEW, "api"),
    ], consent=True)
    assert dropped == [2, 4]
    assert [(k.flags["accepts_email"], k.consent_at, k.consent_source, k.primary) for k in kept] == [
        (False, NEW, "unsubscribed", True), (True, given, "import", False)]


def test_snapshot_values_come_back_exactly():
    for value in (datetime(2026, 12, 4, 10, 2, 11, 532000, tzinfo=UTC), date(1990, 5, 17), Decimal("12.50"),
                  None, True, 7, "texto"):
        assert from_snapshot(to_snapshot(value)) == value
    assert str(from_snapshot(to_snapshot(Decimal("12.50")))) == "12.50"
