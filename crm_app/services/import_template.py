"""The import's template and the names of a customer sheet's columns.

:func:`sheet_columns` gives one client type's columns (the organization's form: its visible fields in
its order and with its labels, its custom fields) with headers in the user's language; the template,
the mapping screen and the export name columns with it. :func:`header_names_for` gives every name a
column may have in a file (both languages), for matching a file's headers. :func:`build_template` is
the .xlsx to download: the columns to fill (IDs and phones as text cells, lists to pick from) and a
second sheet that explains each one with an example.
"""

from __future__ import annotations

import io
import random

import phonenumbers
import xlsxwriter
from sqlmodel import Session

from crm_app.domain.customers import CLIENT_TYPES, PHONE_KINDS
from crm_app.domain.dto import Actor
from crm_app.domain.form_config import FormConfig
from crm_app.domain.import_columns import Column, customer_columns, numbered
from crm_app.domain.tax_ids import sample_tax_id, tax_id_types
from crm_app.i18n import LANGUAGES, t
from crm_app.models import Organization
from crm_app.services import form_config as form_service
from crm_app.services.customer_choices import list_channels
from crm_app.services.transfer_access import check_transfer

# Catalogue keys of the column keys whose label is not their own key.
_LABEL_KEYS = {"account": "import_col_account"}
# Numbered parts: the catalogue key of their label, followed by the column's number ("Teléfono 2").
_PART_LABELS = {"number": "phone", "kind": "phone_kind", "whatsapp": "whatsapp", "viber": "viber",
                "sms": "sms", "address": "import_col_email", "accepts_email": "import_col_accepts"}
# The form's item behind a column, for the organization's own label of it.
_FORM_ITEM = {"channel": "channel_id", "latitude": "coordinates", "longitude": "coordinates"}


def column_label(key: str, lang: str, config: FormConfig | None = None) -> str:
    """A column's header in ``lang``: the organization's own label of the field, else the catalogue's."""
    parts = numbered(key)
    if parts is not None:
        return f"{t(_PART_LABELS.get(parts[2], parts[2]), lang)} {parts[1]}"
    if config is not None:
        item = _FORM_ITEM.get(key, key)
        own = next((f for f in config.builtin if f.key == item and item != "coordinates"), None)
        if own is not None and (own.label_en if lang == "en" else own.label_es):
            return own.label_en if lang == "en" else own.label_es
    return t(_LABEL_KEYS.get(key, key), lang)


def _choices(session: Session, actor: Actor, org: Organization, client_type: str, lang: str):
    yes_no = (t("yes", lang), t("no", lang))
    channels = tuple(name for _, name in list_channels(session=session, actor=actor))
    types = tuple(t(f"client_type_{ct}", lang) for ct in CLIENT_TYPES)
    kinds = tuple(t(f"phone_kind_{kind}", lang) for kind in PHONE_KINDS)
    tax_types = tuple(t(f"tax_type_{code}", lang) for code in tax_id_types(org.country, client_type))

    def choices(key: str) -> tuple[str, ...]:
        parts = numbered(key)
        if key in ("is_supplier", "is_conflictive") or (parts and parts[2] in (
                "whatsapp", "viber", "sms", "accepts_email")):
            return yes_no
        if parts and parts[2] == "kind":
            return kinds
        return {"channel": channels, "client_type": types, "tax_id_type": tax_types}.get(key, ())

    return choices


def sheet_columns(session: Session, org: Organization, client_type: str, lang: str,
                  actor: Actor | None = None) -> tuple[Column, ...]:
    """One client type's columns, headed in ``lang``."""
    config = form_service.load_form_config(session, org.id, client_type)
    actor = actor or Actor(user_id=0, organization_id=org.id, role="admin", name="", email="", language=lang)
    return customer_columns(config, lambda key: column_label(key, lang, config),
                            choices=_choices(session, actor, org, client_type, lang), lang=lang)


def header_names_for(
    session: Session, org: Organization, client_type: str = "person"
) -> dict[str, tuple[str, ...]]:
    """Every column key of every client type's sheet with the names it may have in a file's header: its
    labels in both languages, for matching (domain/import_headers.match_headers adds the synonyms)."""
    names: dict[str, set[str]] = {}
    for ct in CLIENT_TYPES:
        config = form_service.load_form_config(session, org.id, ct)
        for lang in LANGUAGES:
            for column in customer_columns(config, lambda key, c=config, lg=lang: column_label(key, lg, c),
                                           lang=lang):
                names.setdefault(column.key, set()).add(column.label)
        for field in config.active_custom:
            names.setdefault(f"custom.{field.id}", set()).update(
                label for label in (field.label_es, field.label_en) if label)
    return {key: tuple(sorted(labels)) for key, labels in names.items()}


# --------------------------------------------------------------------------- the template file


def _example(column: Column, org: Organization, client_type: str, lang: str) -> str:
    parts = numbered(column.key)
    if parts is not None and parts[2] == "number":
        number = phonenumbers.example_number_for_type(org.country, phonenumbers.PhoneNumberType.MOBILE)
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL) if number else ""
    if parts is not None and parts[2] == "address":
        return f"cliente{parts[1]}@ejemplo.com"
    if column.choices:
        return column.choices[0]
    examples = {
        "first_name": "María", "last_name": "Pérez Gómez", "legal_name": "Ferretería El Clavo S.A.",
        "trade_name": "El Clavo", "contact_name": "Jorge Ríos", "loyalty_id": "CL-000123",
        "tax_id": sample_tax_id(org.country, client_type, random.Random(7)), "birthday": "1990-05-31",
        "tags": "vip, mayorista", "discount_percent": "5", "credit_limit": "1500.00",
        "street": "Av. Central 123",
        "city": "Quito", "region": "Pichincha", "postal_code": "170135", "address_country": org.country,
        "latitude": "-0.1807", "longitude": "-78.4678", "notes": t("import_example_note", lang),
    }
    if column.kind == "date":
        return "2024-01-31"
    if column.kind == "number" and column.key.startswith("custom."):
        return "10"
    return examples.get(column.key, "")


def _format(column: Column, lang: str) -> str:
    return t(f"import_format_{column.kind}", lang)


def build_template(*, session: Session, actor: Actor, client_type: str, lang: str) -> bytes:
    """The .xlsx template of ``client_type`` for the actor's organization. Raises Forbidden."""
    org = check_transfer(session, actor)
    columns = sheet_columns(session, org, client_type, lang, actor)
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False,
                                     "strings_to_formulas": False, "strings_to_urls": False})
    header = book.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1})
    text = book.add_format({"num_format": "@"})
    sheet = book.add_worksheet(t("import_template_sheet", lang)[:31])
    for col, column in enumerate(columns):
        sheet.write_string(0, col, column.label, header)
        # IDs and phones stay text as typed: 0991234567 keeps its zero, no 1.2E+17.
        sheet.set_column(col, col, max(12, len(column.label) + 2), text if column.text_cell else None)
        values = list(column.choices)
        if values and sum(len(v) + 1 for v in values) < 250:  # Excel's limit for a list written inline
            sheet.data_validation(1, col, 5000, col, {"validate": "list", "source": values,
                                                      "ignore_blank": True, "error_type": "warning"})
    sheet.freeze_panes(1, 0)
    guide = book.add_worksheet(t("import_guide_sheet", lang)[:31])
    titles = ("import_guide_column", "import_guide_required", "import_guide_format", "import_guide_values",
              "import_guide_example")
    for col, key in enumerate(titles):
        guide.write_string(0, col, t(key, lang), header)
    for row, column in enumerate(columns, start=1):
        required = t("yes", lang) if column.required else t("no", lang)
        for col, value in enumerate((column.label, required, _format(column, lang), ", ".join(column.choices),
                                     _example(column, org, client_type, lang))):
            guide.write_string(row, col, value)
    guide.set_column(0, 0, 28)
    guide.set_column(1, 1, 12)
    guide.set_column(2, 4, 40)
    guide.freeze_panes(1, 0)
    book.close()
    return out.getvalue()
