"""A file's headers matched to a customer sheet's columns, in Spanish or English, whatever their accents,
case and spacing; numbered columns with or without their number; a column taken once."""

from __future__ import annotations

from crm_app.domain.import_headers import match_headers

NAMES = {
    "first_name": ("Nombres", "First name"),
    "last_name": ("Apellidos", "Last name"),
    "tax_id": ("Número de identificación", "ID number"),
    "phones.1.number": ("Teléfono 1", "Phone 1"),
    "phones.1.whatsapp": ("WhatsApp 1",),
    "phones.2.number": ("Teléfono 2", "Phone 2"),
    "emails.1.address": ("Correo 1", "E-mail 1"),
    "emails.1.accepts_email": ("Acepta correos 1", "Accepts e-mails 1"),
    "channel": ("¿Cómo nos conoció?", "How did you find us?"),
    "tags": ("Etiquetas", "Tags"),
    "custom.12": ("Nivel de cliente", "Customer level"),
}


def test_spanish_headers_whatever_accents_case_and_spacing():
    headers = ["  NOMBRES ", "apellidos", "Numero de Identificacion", "TELÉFONO_1", "whatsapp 1", "Correo 1",
               "como nos conocio", "nivel de cliente"]
    assert match_headers(headers, NAMES) == {
        0: "first_name", 1: "last_name", 2: "tax_id", 3: "phones.1.number", 4: "phones.1.whatsapp",
        5: "emails.1.address", 6: "channel", 7: "custom.12"}


def test_english_headers_and_common_synonyms():
    headers = ["First Name", "Surname", "RUC", "Mobile", "Email", "Tags", "Unknown column"]
    assert match_headers(headers, NAMES) == {
        0: "first_name", 1: "last_name", 2: "tax_id", 3: "phones.1.number", 4: "emails.1.address", 5: "tags"}


def test_numbered_columns_with_or_without_their_number():
    assert match_headers(["Teléfono", "Teléfono", "Celular"], NAMES) == {
        0: "phones.1.number", 1: "phones.2.number", 2: "phones.3.number"}
    assert match_headers(["Teléfono 2", "Teléfono"], NAMES) == {0: "phones.2.number", 1: "phones.1.number"}
    assert match_headers(["Correo", "E-mail", "Acepta correos 2"], NAMES) == {
        0: "emails.1.address", 1: "emails.2.address", 2: "emails.2.accepts_email"}


def test_a_column_is_taken_once_and_unknown_headers_stay_unmatched():
    assert match_headers(["Nombres", "Nombre", "Observaciones internas", ""], NAMES) == {0: "first_name"}
