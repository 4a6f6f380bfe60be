"""A file's headers matched to a customer sheet's columns, in Spanish or English, whatever their accents,
case, spacing and punctuation; numbered columns with or without their number; a column taken once."""

from __future__ import annotations

from crm_app.domain.import_headers import SYNONYMS, header_names, match_headers

NAMES = {
    "first_name": ("Nombres", "First name"),
    "last_name": ("Apellidos", "Last name"),
    "tax_id": ("Número de identificación", "ID number"),
    "birthday": ("Fecha de nacimiento", "Birthday"),
    "phones.1.number": ("Teléfono 1", "Phone 1"),
    "phones.1.kind": ("Tipo de teléfono 1", "Phone type 1"),
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
    headers = ["First Name", "Surname", "RUC", "Mobile", "Email", "Tags", "Unknown column", "Customer Level"]
    assert match_headers(headers, NAMES) == {
        0: "first_name", 1: "last_name", 2: "tax_id", 3: "phones.1.number", 4: "emails.1.address", 5: "tags",
        7: "custom.12"}


def test_words_around_a_name_are_looked_through():
    headers = ["Nro. de cédula", "Número de teléfono", "N° de celular 2", "Fecha nacimiento", "Your e-mail"]
    assert match_headers(headers, NAMES) == {
        0: "tax_id", 1: "phones.1.number", 2: "phones.2.number", 3: "birthday", 4: "emails.1.address"}
    # A row number or an internal id is nobody's column.
    assert match_headers(["N°", "No.", "Número", "ID", "Nombres"], NAMES) == {4: "first_name"}


def test_numbered_columns_with_or_without_their_number():
    assert match_headers(["Teléfono", "Teléfono", "Celular"], NAMES) == {
        0: "phones.1.number", 1: "phones.2.number", 2: "phones.3.number"}
    assert match_headers(["Teléfono 2", "Teléfono"], NAMES) == {0: "phones.2.number", 1: "phones.1.number"}
    assert match_headers(["Correo", "E-mail", "Acepta correos 2"], NAMES) == {
        0: "emails.1.address", 1: "emails.2.address", 2: "emails.2.accepts_email"}
    assert match_headers(["Teléfono", "Tipo de teléfono", "WhatsApp", "Teléfono", "Tipo de teléfono 2",
                          "WhatsApp 2", "Telefono3"], NAMES) == {
        0: "phones.1.number", 1: "phones.1.kind", 2: "phones.1.whatsapp", 3: "phones.2.number",
        4: "phones.2.kind", 5: "phones.2.whatsapp", 6: "phones.3.number"}


def test_a_column_is_taken_once_and_unknown_headers_stay_unmatched():
    assert match_headers(["Nombres", "Nombre", "Observaciones internas", ""], NAMES) == {0: "first_name"}
    assert match_headers(["Teléfono 1", "Phone 1", "Correo 1", "Correo 1"], NAMES) == {
        0: "phones.1.number", 2: "emails.1.address"}


def test_synonyms_only_for_the_columns_offered():
    # "Empresa" names a company's legal name: not offered here, so not matched (and not taken for another).
    assert match_headers(["Empresa", "Nombres"], NAMES) == {1: "first_name"}
    assert match_headers(["Empresa"], {"legal_name": ("Razón social",)}) == {0: "legal_name"}


def test_an_organizations_own_label_wins_over_a_synonym():
    own = {**NAMES, "custom.7": ("Código",)}
    assert match_headers(["Código"], own) == {0: "custom.7"}
    assert match_headers(["Código"], {**own, "loyalty_id": ("Fidelidad",)}) == {0: "custom.7"}


def test_header_names_gives_both_languages_and_the_synonyms():
    labels = {("first_name", "es"): "Nombres", ("first_name", "en"): "First names",
              ("phones.1.number", "es"): "Teléfono 1", ("phones.1.number", "en"): "Phone 1"}
    names = header_names(lambda key, lang: labels[key, lang], ["first_name", "phones.1.number"])
    assert names["first_name"][:2] == ("Nombres", "First names")
    assert set(SYNONYMS["first_name"]) <= set(names["first_name"])
    assert names["phones.1.number"] == ("Teléfono 1", "Phone 1")
    assert match_headers(["first names", "PHONE 1"], names) == {0: "first_name", 1: "phones.1.number"}
