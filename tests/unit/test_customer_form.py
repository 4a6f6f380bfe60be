from datetime import date
from decimal import Decimal

from crm_app.domain.customer_form import input_index_keys, parse_customer_form


def _parse(form, **kw):
    kw.setdefault("client_type", "person")
    kw.setdefault("phone_keys", ["a", "b"])
    kw.setdefault("email_keys", ["x"])
    kw.setdefault("tags", [])
    return parse_customer_form(form, **kw)


def test_full_form_becomes_typed_input():
    data, errors = _parse({
        "first_name": " Ana ", "last_name": "Pérez", "birthday": "1990-05-17", "credit_limit": "1.500,75",
        "discount_percent": "7,5", "channel_id": "3", "is_supplier": "on",
        "phones.a.number": "0991234567", "phones.a.kind": "mobile", "phones.a.whatsapp": "on",
        "phones.b.number": "022345678", "phones.b.kind": "home", "phone_primary": "b",
        "emails.x.address": "ana@example.com", "emails.x.accepts_email": "on", "email_primary": "x",
    }, tags=["vip", " vip ", "mayorista"])
    assert errors == {}
    assert data.first_name == "Ana" and data.last_name == "Pérez"
    assert data.birthday == date(1990, 5, 17)
    assert data.credit_limit == Decimal("1500.75") and data.discount_percent == Decimal("7.5")
    assert data.channel_id == 3 and data.is_supplier and not data.is_conflictive
    assert [p.number for p in data.phones] == ["0991234567", "022345678"]
    assert data.phones[0].whatsapp and not data.phones[1].whatsapp
    assert [p.primary for p in data.phones] == [False, True]
    assert data.emails[0].accepts_email and data.emails[0].primary
    assert data.tags == ("vip", "mayorista")


def test_empty_rows_are_ignored_and_bad_values_reported_per_field():
    data, errors = _parse({"phones.a.number": "", "phones.b.number": "099", "birthday": "17/05/1990",
                           "credit_limit": "mucho", "latitude": "x"})
    assert len(data.phones) == 1
    assert set(errors) == {"birthday", "credit_limit", "latitude"}
    assert errors["birthday"].code == "date_invalid"


def test_service_indexes_map_back_to_row_keys():
    form = {"phones.a.number": "", "phones.b.number": "099", "emails.x.address": "a@b.co"}
    mapping = input_index_keys(["a", "b"], ["x"], form)
    assert mapping == {"phones.0.": "phones.b.", "emails.0.": "emails.x."}
