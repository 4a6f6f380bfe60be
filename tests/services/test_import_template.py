"""The import template (services/import_template) on SQLite and PostgreSQL: the organization's form in its
order and labels, the custom fields, numbered phone and e-mail columns, text cells for IDs and phones,
lists to pick from, the explanation sheet; who may download it; and its headers read back to their
columns by the header matching."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from crm_app.domain.customers import CLIENT_TYPES
from crm_app.domain.errors import FieldError, Forbidden
from crm_app.domain.form_edits import CustomFieldInput
from crm_app.domain.import_headers import match_headers
from crm_app.domain.sheet_reading import SheetLimits, inspect_sheet, iter_rows
from crm_app.models import Organization, PhoneLabel
from crm_app.services import form_config as forms
from crm_app.services.customer_choices import create_channel
from crm_app.services.import_template import build_template, header_names_for, sheet_columns
from crm_app.services.transfer_access import set_sales_transfer
from tests.db import run_like_app
from tests.factories import make_org, make_user


def sheets(data: bytes) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: book.get_sheet_by_index(i).to_python() for i, name in enumerate(book.sheet_names)}


def xml_part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode()


def customize(session, admin):
    """The person form with notes first under the organization's own label, the loyalty ID hidden, a
    choice field and a date field; a channel and a phone type of its own."""
    config = forms.get_form_config(session=session, actor=admin, client_type="person")
    by_key = {f.key: f for f in config.builtin}
    keys = ["notes", *(f.key for f in config.builtin if f.key != "notes")]
    fields = [dataclasses.replace(by_key[k], visible=k != "loyalty_id",
                                  label_es="Observaciones" if k == "notes" else "",
                                  label_en="Remarks" if k == "notes" else "") for k in keys]
    run_like_app(session, forms.save_builtin_fields, actor=admin, client_type="person", fields=fields)
    options = ((None, "Oro, plus", "Gold, plus"), (None, "Plata", "Silver"))  # a comma: no inline list
    level = CustomFieldInput(kind="choice", label_es="Nivel", label_en="Level", options=options,
                             required=True)
    since = CustomFieldInput(kind="date", label_es="Cliente desde", label_en="Customer since")
    for data in (level, since):
        run_like_app(session, forms.create_custom_field, actor=admin, client_type="person", data=data)
    run_like_app(session, create_channel, actor=admin, name="Feria del hogar")
    session.add(PhoneLabel(organization_id=admin.organization_id, name="Recepción"))
    session.commit()


def test_the_person_template_follows_the_organizations_form(session):
    _, admin = make_org(session)
    customize(session, admin)
    book = sheets(build_template(session=session, actor=admin, client_type="person", lang="es"))
    assert list(book) == ["Clientes", "Instrucciones", "Ejemplo", "Listas"]  # the last one hidden
    headers = book["Clientes"][0]
    assert headers[:4] == ["Tipo de cliente", "Observaciones", "Nombres", "Apellidos"]
    assert "Código de fidelización" not in headers  # hidden on the form
    assert headers[-3:] == ["Cuenta", "Nivel", "Cliente desde"]
    numbered = [h for h in headers if re.search(r" \d$", h)]
    assert numbered == ["Teléfono 1", "Tipo de teléfono 1", "WhatsApp 1", "Viber 1", "SMS 1",
                        "Teléfono 2", "Tipo de teléfono 2", "WhatsApp 2", "Viber 2", "SMS 2",
                        "Correo 1", "Acepta correos 1", "Correo 2", "Acepta correos 2"]
    assert len(book["Clientes"]) == 1  # ready to fill: no example in it

    guide = {row[0]: row for row in book["Instrucciones"][1:]}
    assert book["Instrucciones"][0] == ["Columna", "Obligatoria", "Formato", "Valores permitidos", "Ejemplo"]
    assert list(guide) == headers  # every column explained, in the sheet's order
    assert guide["Nombres"][1] == "Sí" and guide["Observaciones"][1] == "No"
    assert guide["Nivel"][1:4] == ["Sí", "Uno de los valores permitidos (hay una lista para elegir)",
                                   "Oro, plus, Plata"]
    assert "Feria del hogar" in guide["¿Cómo nos conoció?"][3]
    assert guide["Tipo de teléfono 1"][3] == "Móvil, Trabajo, Casa, Otro, Recepción"
    assert guide["Tipo de identificación"][3] == "Cédula, RUC, Pasaporte"
    assert guide["WhatsApp 1"][3] == "Sí, No"
    assert guide["Fecha de nacimiento"][2].startswith("Fecha AAAA-MM-DD")
    assert guide["Número de identificación"][2].startswith("Texto")
    cedula = guide["Número de identificación"][4]
    assert len(cedula) == 10 and cedula.isdigit()  # a valid Ecuadorian cédula
    assert guide["Teléfono 1"][4] == "099 123 4567" and guide["Cliente desde"][4] == "2024-01-31"
    example = dict(zip(*book["Ejemplo"], strict=True))
    assert list(example) == headers and example["Número de identificación"] == cedula


def test_the_templates_of_companies_and_governments_and_in_english(session):
    _, admin = make_org(session)
    company = sheets(build_template(session=session, actor=admin, client_type="company", lang="es"))
    assert company["Clientes"][0][:4] == ["Tipo de cliente", "Razón social", "Nombre comercial",
                                          "Persona de contacto"]
    guide = {row[0]: row for row in company["Instrucciones"][1:]}
    assert guide["Tipo de identificación"][3] == "RUC" and len(guide["Número de identificación"][4]) == 13
    assert guide["Tipo de cliente"][4] == "Empresa (jurídico)"
    government = sheets(build_template(session=session, actor=admin, client_type="government", lang="en"))
    assert list(government) == ["Customers", "Instructions", "Example"]
    assert government["Customers"][0][:2] == ["Client type", "Legal name"]
    assert {"Phone 1", "Phone type 1", "E-mail 2", "Accepts e-mails 2"} <= set(government["Customers"][0])
    with pytest.raises(FieldError):
        build_template(session=session, actor=admin, client_type="alien", lang="es")


def test_ids_and_phones_are_text_cells_that_keep_their_zeros(session, tmp_path):
    _, admin = make_org(session)
    data = build_template(session=session, actor=admin, client_type="person", lang="es")
    styles, sheet = xml_part(data, "xl/styles.xml"), xml_part(data, "xl/worksheets/sheet1.xml")
    text_formats = {"49", *re.findall(r'numFmtId="(\d+)" formatCode="@"', styles)}  # "@": text
    cell_styles = re.findall(r'<xf numFmtId="(\d+)"', styles.split("<cellXfs")[1])
    text_styles = {i for i, number_format in enumerate(cell_styles) if number_format in text_formats}
    headers = sheets(data)["Clientes"][0]
    text_columns = {headers.index(h) + 1 for h in ("Número de identificación", "Teléfono 1", "Teléfono 2",
                                                   "Código de fidelización", "Código postal")}
    styled = {int(a) for a, b, s in re.findall(r'<col min="(\d+)" max="(\d+)"[^>]*style="(\d+)"', sheet)
              if int(s) in text_styles and a == b}
    assert text_columns <= styled
    assert f'sqref="{chr(64 + headers.index("Tipo de teléfono 1") + 1)}2:' in sheet  # a drop-down list
    # A value typed into the template's text columns keeps its zeros when the file is read back.
    filled = tmp_path / "lleno.xlsx"
    book = xlsxwriter.Workbook(str(filled))
    out = book.add_worksheet()
    out.write_row(0, 0, headers)
    out.write_string(1, headers.index("Número de identificación"), "0102030405")
    out.write_string(1, headers.index("Teléfono 1"), "0991234567")
    out.write_string(1, headers.index("Nombres"), "Ana")
    book.close()
    assert inspect_sheet(filled, "lleno.xlsx", SheetLimits(5 * 1024 * 1024, 100)).headers == tuple(headers)
    (_, row), = iter_rows(filled, "lleno.xlsx")
    assert row[headers.index("Número de identificación")] == "0102030405"
    assert row[headers.index("Teléfono 1")] == "0991234567"


def test_the_template_read_back_maps_every_column_to_its_key(session):
    org_dto, admin = make_org(session)
    customize(session, admin)
    org = session.get(Organization, org_dto.id)
    names = header_names_for(session, org, "person")
    for client_type in CLIENT_TYPES:
        for lang in ("es", "en"):
            data = build_template(session=session, actor=admin, client_type=client_type, lang=lang)
            headers = tuple(sheets(data)["Clientes" if lang == "es" else "Customers"][0])
            columns = sheet_columns(session, org, client_type, lang)
            assert headers == tuple(c.label for c in columns)
            assert match_headers(headers, names) == {i: c.key for i, c in enumerate(columns)}
    # A file may hold persons and companies: both kinds of names are known.
    assert match_headers(["Nombres", "Razón social", "Trade name", "Apellidos"], names) == {
        0: "first_name", 1: "legal_name", 2: "trade_name", 3: "last_name"}


def test_a_sales_user_gets_the_template_only_when_an_admin_allows_it(session):
    _, admin = make_org(session)
    _, sales, _ = make_user(session, admin)
    with pytest.raises(Forbidden):
        build_template(session=session, actor=sales, client_type="person", lang="es")
    run_like_app(session, set_sales_transfer, actor=admin, allowed=True)
    assert build_template(session=session, actor=sales, client_type="person", lang="es").startswith(b"PK")
