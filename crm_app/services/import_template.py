"""The import's template and the names of a customer sheet's columns.

:func:`sheet_columns` gives one client type's columns (the organization's form: its visible fields in
its order and with its labels, its custom fields) with headers in the user's language; the template,
the mapping screen and the export name columns with it. :func:`header_names_for` gives every name a
column may have in a file (both languages, the organization's labels and the catalogue's), for
``domain/import_headers.match_headers``. :func:`build_template` is the .xlsx to download.
"""

from __future__ import annotations

import io
import random

import phonenumbers
import xlsxwriter
from sqlalchemy import select
from sqlmodel import Session
from xlsxwriter.utility import xl_col_to_name

from crm_app.domain.customers import CLIENT_TYPES, PHONE_KINDS
from crm_app.domain.dto import Actor
from crm_app.domain.errors import FieldError
from crm_app.domain.form_config import FormConfig
from crm_app.domain.import_columns import Column, customer_columns, numbered
from crm_app.domain.local_time import country_names
from crm_app.domain.tax_ids import sample_tax_id, tax_id_types
from crm_app.i18n import LANGUAGES, t
from crm_app.models import AcquisitionChannel, Organization, PhoneLabel
from crm_app.services import form_config as form_service
from crm_app.services.customer_choices import ensure_default_channels
from crm_app.services.transfer_access import check_transfer

# Catalogue keys of the column keys whose label is not their own key.
_LABEL_KEYS = {"account": "import_col_account"}
# Numbered parts: the catalogue key of their label, followed by the column's number ("Teléfono 2").
_PART_LABELS = {"number": "phone", "kind": "phone_kind", "whatsapp": "whatsapp", "viber": "viber",
                "sms": "sms", "address": "import_col_email", "accepts_email": "import_col_accepts"}
# The form's item behind a column, for the organization's own label of it (a pair of columns keeps the
# catalogue's labels: "Latitud", "Longitud").
_FORM_ITEM = {"channel": "channel_id"}
_MAX_PHONE_LABELS = 50
_TEMPLATE_ROWS = 1_048_575  # validations and formats reach Excel's last row


def column_label(key: str, lang: str, config: FormConfig | None = None) -> str:
    """A column's header in ``lang``: the organization's own label of the field as the form shows it
    (its label in ``lang``, else its Spanish one), else the catalogue's."""
    parts = numbered(key)
    if parts is not None:
        return f"{t(_PART_LABELS.get(parts[2], parts[2]), lang)} {parts[1]}"
    item = _FORM_ITEM.get(key, key)
    field = next((f for f in config.builtin if f.key == item), None) if config is not None else None
    if field is not None and (own := field.own_label(lang)):  # as the form shows it (states/form_items)
        return own
    return t(_LABEL_KEYS.get(key, key), lang)


def _channel_names(session: Session, org: Organization) -> tuple[str, ...]:
    """The organization's active acquisition channels in its order (the defaults given if it has none,
    as the customer form does)."""

    def read() -> tuple[str, ...]:
        return tuple(session.execute(
            select(AcquisitionChannel.name)
            .where(AcquisitionChannel.organization_id == org.id, AcquisitionChannel.is_active.is_(True))
            .order_by(AcquisitionChannel.position, AcquisitionChannel.id)
        ).scalars())

    names = read()
    if not names:
        ensure_default_channels(session, org.id, org.language)
        names = read()
    return names


def _choices(session: Session, org: Organization, client_type: str, lang: str):
    """choices(key): the values a column allows, as a person types them in ``lang``."""
    yes_no = (t("yes", lang), t("no", lang))
    own_phone_kinds = session.execute(
        select(PhoneLabel.name).where(PhoneLabel.organization_id == org.id)
        .order_by(PhoneLabel.name).limit(_MAX_PHONE_LABELS)).scalars()
    lists = {
        "channel": _channel_names(session, org),
        "client_type": tuple(t(f"client_type_{ct}", lang) for ct in CLIENT_TYPES),
        "tax_id_type": tuple(t(f"tax_type_{code}", lang) for code in tax_id_types(org.country, client_type)),
        "is_supplier": yes_no,
        "is_conflictive": yes_no,
        "kind": tuple(dict.fromkeys([*(t(f"phone_kind_{kind}", lang) for kind in PHONE_KINDS),
                                     *own_phone_kinds])),
    }
    for part in ("whatsapp", "viber", "sms", "accepts_email"):
        lists[part] = yes_no

    def choices(key: str) -> tuple[str, ...]:
        parts = numbered(key)
        return lists.get(parts[2] if parts else key, ())

    return choices


def sheet_columns(session: Session, org: Organization, client_type: str, lang: str) -> tuple[Column, ...]:
    """One client type's columns, headed in ``lang``, with the values each allows."""
    config = form_service.load_form_config(session, org.id, client_type)
    return customer_columns(config, lambda key: column_label(key, lang, config),
                            choices=_choices(session, org, client_type, lang), lang=lang)


def header_names_for(
    session: Session, org: Organization, client_type: str = "person"
) -> dict[str, tuple[str, ...]]:
    """Every column key of every client type's sheet (a file may hold persons and companies) with the
    names it may have in a file's header: the organization's labels and the catalogue's, in both
    languages (``match_headers`` adds the synonyms). ``client_type``'s own labels come first, so they
    win where two columns share a name."""
    names: dict[str, dict[str, None]] = {}
    for ct in sorted(CLIENT_TYPES, key=lambda ct: ct != client_type):
        config = form_service.load_form_config(session, org.id, ct)
        for lang in LANGUAGES:
            for conf in (config, None):  # the organization's label, then the catalogue's
                for column in customer_columns(config, lambda key, c=conf, lg=lang: column_label(key, lg, c),
                                               lang=lang):
                    names.setdefault(column.key, {})[column.label] = None
        for field in config.active_custom:
            names.setdefault(f"custom.{field.id}", {}).update(
                dict.fromkeys(label for label in (field.label_es, field.label_en, field.label_pt) if label))
    return {key: tuple(labels) for key, labels in names.items()}


# --------------------------------------------------------------------------- the template file


def _example_phone(country: str) -> str:
    number = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.MOBILE)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL) if number else ""


def _example_tax_id(country: str, client_type: str) -> str:
    try:
        return sample_tax_id(country, client_type, random.Random(7))
    except (FieldError, ValueError, NotImplementedError):  # a type without a checksum to sample
        return ""


def _example(column: Column, org: Organization, client_type: str, lang: str) -> str:
    """A valid value for the column, in the organization's country where that matters."""
    parts = numbered(column.key)
    if parts is not None:
        if parts[2] == "number":
            return _example_phone(org.country)
        if parts[2] == "address":
            return f"{'customer' if lang == 'en' else 'cliente'}{parts[1]}@example.com"
        return column.choices[0] if column.choices else ""
    examples = {
        "client_type": t(f"client_type_{client_type}", lang),
        "first_name": "María José", "last_name": "Pérez Gómez", "legal_name": "Ferretería El Clavo S.A.",
        "trade_name": "El Clavo", "contact_name": "Jorge Ríos", "loyalty_id": "000123",
        "tax_id": _example_tax_id(org.country, client_type), "birthday": "1990-05-31",
        "tags": t("import_example_tags", lang), "discount_percent": "5", "credit_limit": "1500.50",
        "street": "Av. Amazonas N34-120", "city": "Quito", "region": "Pichincha", "postal_code": "170135",
        "address_country": country_names(lang).get(org.country, org.country), "latitude": "-0.1807",
        "longitude": "-78.4678", "notes": t("import_example_note", lang), "account": "Grupo Andino",
        "is_supplier": t("no", lang), "is_conflictive": t("no", lang),
    }
    if column.key in examples:
        return examples[column.key]
    if column.choices:
        return column.choices[0]
    return {"date": "2024-01-31", "number": "10", "boolean": t("yes", lang)}.get(column.kind, "")


def _format(column: Column, lang: str) -> str:
    kind = "choice" if column.kind == "text" and column.choices else column.kind
    return t(f"import_format_{kind}", lang)


class _TemplateBook:
    """The workbook being written: its formats, and the hidden last sheet that holds long lists."""

    def __init__(self, lang: str) -> None:
        self.out = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.out, {"in_memory": True, "strings_to_numbers": False,
                                                   "strings_to_formulas": False, "strings_to_urls": False})
        self.header = self.book.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1,
                                            "text_wrap": True, "valign": "top"})
        self.text = self.book.add_format({"num_format": "@"})
        self.date = self.book.add_format({"num_format": "yyyy-mm-dd"})
        self.wrap = self.book.add_format({"text_wrap": True, "valign": "top"})
        self.lang = lang
        self._lists_name = t("import_lists_sheet", lang)[:31]
        self._lists: list[tuple[str, ...]] = []

    def source(self, values: tuple[str, ...]) -> list[str] | str:
        """What a drop-down offers: the values themselves when Excel takes them inline (255 characters,
        no comma in a value), else a range of the hidden sheet of lists (written last)."""
        if sum(len(v) + 1 for v in values) < 250 and not any("," in v for v in values):
            return list(values)
        letter = xl_col_to_name(len(self._lists), col_abs=True)
        self._lists.append(values)
        return f"='{self._lists_name}'!{letter}$1:{letter}${len(values)}"

    def close(self) -> bytes:
        if self._lists:
            sheet = self.book.add_worksheet(self._lists_name)
            for col, values in enumerate(self._lists):
                for row, value in enumerate(values):
                    sheet.write_string(row, col, value)
            sheet.hide()
        self.book.close()
        return self.out.getvalue()


def _fill_sheet(wb: _TemplateBook, columns: tuple[Column, ...]) -> None:
    """Sheet 1, ready to fill: the headers (frozen), IDs and phones as text cells, dates as dates, a
    drop-down wherever the values are fixed (a warning, not a refusal: the import checks them)."""
    sheet = wb.book.add_worksheet(t("import_template_sheet", wb.lang)[:31])
    sheet.activate()
    for col, column in enumerate(columns):
        sheet.write_string(0, col, column.label, wb.header)
        cell_format = wb.text if column.text_cell else wb.date if column.kind == "date" else None
        sheet.set_column(col, col, max(12, min(40, len(column.label) + 2)), cell_format)
        if column.choices and column.kind != "multi_choice":
            sheet.data_validation(1, col, _TEMPLATE_ROWS, col, {
                "validate": "list", "source": wb.source(column.choices), "ignore_blank": True,
                "error_type": "warning"})
    sheet.freeze_panes(1, 0)


def _fill_guide(wb: _TemplateBook, columns: tuple[Column, ...], examples: list[str]) -> None:
    """Sheet 2: one row per column (required, format, allowed values, an example); sheet 3: the
    examples as one customer's row under the headers, as sheet 1 would hold it."""
    lang = wb.lang
    guide = wb.book.add_worksheet(t("import_guide_sheet", lang)[:31])
    titles = ("import_guide_column", "import_guide_required", "import_guide_format", "import_guide_values",
              "import_guide_example")
    for col, key in enumerate(titles):
        guide.write_string(0, col, t(key, lang), wb.header)
    for row, (column, example) in enumerate(zip(columns, examples, strict=True), start=1):
        required = t("yes", lang) if column.required else t("no", lang)
        for col, value in enumerate((column.label, required, _format(column, lang), ", ".join(column.choices),
                                     example)):
            guide.write_string(row, col, value, wb.wrap)
    guide.set_column(0, 0, 28)
    guide.set_column(1, 1, 12)
    guide.set_column(2, 4, 40)
    guide.freeze_panes(1, 0)
    sample = wb.book.add_worksheet(t("import_example_sheet", lang)[:31])
    for col, (column, example) in enumerate(zip(columns, examples, strict=True)):
        sample.write_string(0, col, column.label, wb.header)
        sample.write_string(1, col, example, wb.text if column.text_cell else None)
        sample.set_column(col, col, max(12, min(40, max(len(column.label), len(example)) + 2)))
    sample.freeze_panes(1, 0)


def build_template(*, session: Session, actor: Actor, client_type: str, lang: str) -> bytes:
    """The .xlsx template of ``client_type`` for the actor's organization, in ``lang``. Raises Forbidden
    (the actor may not import) and FieldError("client_type_invalid")."""
    org = check_transfer(session, actor)
    if client_type not in CLIENT_TYPES:
        raise FieldError("client_type_invalid", client_type=client_type)
    columns = sheet_columns(session, org, client_type, lang)
    examples = [_example(column, org, client_type, lang) for column in columns]
    wb = _TemplateBook(lang)
    _fill_sheet(wb, columns)
    _fill_guide(wb, columns, examples)
    return wb.close()
