"""A spreadsheet row read into a customer input: the words people type read as the form's values, and a
matched customer updated only where the row says something."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from crm_app.domain.customers import CustomerInput, EmailInput, PhoneInput
from crm_app.domain.import_rows import ImportPlan, Vocabulary, column_of, merged_update, read_date, read_row
from crm_app.domain.input_json import input_from_json, input_to_json

WORDS = Vocabulary(
    client_types={"persona": "person", "empresa": "company", "company": "company"},
    channels={"google": 7, "recomendacion": 8},
    phone_kinds={"movil": "mobile", "casa": "home", "mobile": "mobile"},
    tax_id_types={"ruc": "ruc", "cedula": "cedula"},
    options={12: {"oro": 1, "plata": 2}},
    countries={"ecuador": "EC"},
)
HEADERS = ["first_name", "last_name", "phones.1.number", "phones.1.kind", "phones.1.whatsapp",
           "phones.2.number", "emails.1.address", "emails.1.accepts_email", "tags", "channel", "birthday",
           "custom.12", "client_type", "credit_limit", "account"]


def row(**cells: str) -> list[str]:
    return [cells.get(key.replace(".", "_"), "") for key in HEADERS]


PLAN = ImportPlan(columns=dict(enumerate(HEADERS)), defaults={})


def test_a_row_reads_as_the_form_would_take_it():
    read = read_row(row(first_name=" Ana ", last_name="Pérez", phones_1_number="0991234567",
                        phones_1_kind="Móvil", phones_1_whatsapp="Sí", phones_2_number="022345678",
                        emails_1_address="ana@example.com", emails_1_accepts_email="x",
                        tags="vip, nuevo;VIP", channel="Google", birthday="31/12/1990", custom_12="Oro",
                        client_type="Persona", credit_limit="1.500,50", account="Acme"), PLAN, WORDS)
    data = read.data
    assert not read.errors
    assert (data.first_name, data.last_name, data.client_type) == ("Ana", "Pérez", "person")
    assert data.source == "import"
    assert data.phones == (PhoneInput(number="0991234567", kind="mobile", whatsapp=True),
                           PhoneInput(number="022345678"))
    assert data.emails == (EmailInput(address="ana@example.com", accepts_email=True),)
    assert data.tags == ("vip", "nuevo", "VIP")  # "VIP" and "vip" are one tag: the customer rules say so
    assert (data.channel_id, data.birthday, data.custom, data.credit_limit) == (
        7, date(1990, 12, 31), {12: [1]}, Decimal("1500.50"))
    assert read.account == "Acme" and read.phone_columns == (1, 2)


def test_what_a_cell_cannot_say_is_an_error_under_its_column():
    read = read_row(row(first_name="Ana", channel="Radio", birthday="ayer", phones_1_number="099",
                        phones_1_whatsapp="tal vez", custom_12="Bronce", client_type="Marciano"), PLAN, WORDS)
    assert {k: e.code for k, e in read.errors.items()} == {
        "channel": "channel_unknown", "birthday": "date_invalid", "phones.1.whatsapp": "boolean_invalid",
        "custom.12": "option_invalid", "client_type": "client_type_invalid",
    }
    assert read.data.client_type == "person"  # the plan's type, the error says why


def test_defaults_fill_what_the_file_lacks_and_a_cell_wins_over_them():
    plan = ImportPlan(columns={0: "first_name", 9: "channel"}, defaults={"channel": "Recomendación",
                                                                         "last_name": "Sin apellido"})
    assert read_row(["Ana"], plan, WORDS).data.channel_id == 8
    assert read_row(["Ana"], plan, WORDS).data.last_name == "Sin apellido"
    cells = ["Ana", "", "", "", "", "", "", "", "", "google"]
    assert read_row(cells, plan, WORDS).data.channel_id == 7


def test_dates_as_people_and_spreadsheets_write_them():
    assert read_date("1990-12-31") == read_date("31/12/1990") == read_date("31-12-1990") == date(1990, 12, 31)
    assert read_date("33238") == date(1990, 12, 31)  # an Excel day number (a date cell read as a number)
    assert read_date("1990-12-31 00:00:00") == date(1990, 12, 31)


def test_an_error_of_the_rules_points_at_the_column_the_value_came_from():
    read = read_row(row(first_name="Ana", phones_2_number="123"), PLAN, WORDS)  # phones[0] is column 2
    assert column_of("phones.0.number", read) == "phones.2.number"
    assert column_of("channel_id", read) == "channel"
    assert column_of("first_name", read) == "first_name"


def test_an_update_changes_what_the_row_gives_and_keeps_the_rest():
    stored = CustomerInput(first_name="Ana", last_name="Pérez", notes="cliente antiguo", tags=("vip",),
                           phones=(PhoneInput(number="+593991234567", kind="mobile", whatsapp=True),),
                           emails=(EmailInput(address="ana@example.com", accepts_email=True),))
    plan = ImportPlan(columns={0: "last_name", 1: "phones.1.number", 2: "phones.1.sms", 3: "tags",
                               4: "emails.1.address", 5: "notes"}, defaults={})
    read = read_row(["Pérez Gómez", "0991234567", "sí", "nuevo", "ANA@example.com", ""], plan, WORDS)
    merged = merged_update(stored, read, "EC")
    assert (merged.first_name, merged.last_name, merged.notes) == ("Ana", "Pérez Gómez", "cliente antiguo")
    assert merged.phones == (PhoneInput(number="+593991234567", kind="mobile", whatsapp=True, sms=True),)
    assert merged.emails == stored.emails  # the same address; its consent column was not given
    assert merged.tags == ("vip", "nuevo")


def test_a_new_phone_of_a_matched_customer_is_added():
    stored = CustomerInput(first_name="Ana", last_name="P", phones=(PhoneInput(number="+593991234567"),))
    plan = ImportPlan(columns={0: "phones.1.number"}, defaults={})
    merged = merged_update(stored, read_row(["022345678"], plan, WORDS), "EC")
    assert [p.number for p in merged.phones] == ["+593991234567", "022345678"]


def test_a_customer_input_survives_its_json():
    data = CustomerInput(first_name="Ana", birthday=date(1990, 1, 2), credit_limit=Decimal("10.50"),
                         phones=(PhoneInput(number="+593991234567", sms=True),), tags=("vip",),
                         custom={3: [1, 2], 4: "texto"})
    assert input_from_json(input_to_json(data)) == data
