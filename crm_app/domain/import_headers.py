"""A file's headers matched to the columns of a customer sheet, in Spanish or English, whatever their
accents, case and spacing ("TELEFONO 1", "Teléfono", "phone 2", "Correo electrónico").

Numbered columns (phones, e-mails) match with or without their number: "Teléfono" twice is phone 1 and
phone 2, "WhatsApp 2" is phone 2's flag. A column key is taken by one header at most.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from crm_app.domain.import_columns import header_key, numbered

# Words people head columns with, besides the form's labels (compared as header_key does).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "first_name": ("nombre", "nombres", "first name", "given name", "primer nombre"),
    "last_name": ("apellido", "apellidos", "last name", "surname", "family name"),
    "legal_name": ("razon social", "empresa", "company", "company name", "legal name", "entidad"),
    "trade_name": ("nombre comercial", "trade name", "marca"),
    "contact_name": ("contacto", "persona de contacto", "contact", "contact person"),
    "tax_id": ("cedula", "ruc", "nit", "rfc", "cuit", "cuil", "dni", "ci", "rut", "rif", "curp",
               "identificacion", "numero de identificacion", "documento", "tax id", "id number"),
    "tax_id_type": ("tipo de documento", "tipo de identificacion", "id type"),
    "loyalty_id": ("codigo de cliente", "codigo", "fidelizacion", "loyalty", "loyalty id", "customer code"),
    "birthday": ("fecha de nacimiento", "nacimiento", "cumpleanos", "birthday", "date of birth"),
    "street": ("direccion", "calle", "domicilio", "address", "street"),
    "city": ("ciudad", "localidad", "city", "town"),
    "region": ("provincia", "estado", "departamento", "region", "state", "province"),
    "postal_code": ("codigo postal", "cp", "zip", "postal code", "zip code"),
    "address_country": ("pais", "country"),
    "notes": ("notas", "observaciones", "comentarios", "notes", "comments"),
    "tags": ("etiquetas", "etiqueta", "tags", "tag", "grupos"),
    "channel": ("canal", "como nos conocio", "origen", "channel", "how did you hear", "source"),
    "credit_limit": ("limite de credito", "credito", "credit limit", "credit"),
    "discount_percent": ("descuento", "discount", "descuento personal"),
    "account": ("cuenta", "account"),
    "client_type": ("tipo de cliente", "tipo", "client type", "customer type", "type"),
    "is_supplier": ("proveedor", "supplier", "es proveedor"),
    "is_conflictive": ("conflictivo", "conflictive", "cliente conflictivo"),
}
# Numbered columns: the words of each part, the number added or not ("telefono 2", "telefono").
NUMBERED_SYNONYMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("phones", "number"): ("telefono", "celular", "movil", "tel", "phone", "mobile", "cell", "numero"),
    ("phones", "kind"): ("tipo de telefono", "phone type"),
    ("phones", "whatsapp"): ("whatsapp",),
    ("phones", "viber"): ("viber",),
    ("phones", "sms"): ("sms",),
    ("emails", "address"): ("correo", "correo electronico", "email", "e mail", "mail"),
    ("emails", "accepts_email"): ("acepta correos", "consentimiento", "accepts email", "email consent"),
}
_TRAILING_NUMBER = re.compile(r"^(.*?)\s*(\d+)$")


def _split_number(key: str) -> tuple[str, int | None]:
    found = _TRAILING_NUMBER.match(key)
    return (found[1], int(found[2])) if found else (key, None)


def _vocabulary(names: Mapping[str, Iterable[str]]) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """(header word -> column key, numbered part's word without its number -> (kind, part))."""
    exact: dict[str, str] = {}
    parts: dict[str, tuple[str, str]] = {}
    for key, key_names in names.items():
        parts_of = numbered(key)
        for word in filter(None, (header_key(name) for name in (key, *key_names))):
            exact.setdefault(word, key)
            if parts_of is not None:
                parts.setdefault(_split_number(word)[0], (parts_of[0], parts_of[2]))
    for (kind, part), words in NUMBERED_SYNONYMS.items():
        for word in words:
            parts.setdefault(header_key(word), (kind, part))
    for key, words in SYNONYMS.items():
        for word in words if key in names else ():
            exact.setdefault(header_key(word), key)
    return exact, parts


def _numbered_key(header: str, parts: Mapping[str, tuple[str, str]], taken: set[str]) -> str | None:
    """"Teléfono 2" -> phones.2.number; "Teléfono" -> the first phone number not yet taken."""
    word, number = _split_number(header_key(header))
    found = parts.get(word) or parts.get(header_key(header))
    if found is None:
        return None
    kind, part = found
    return next((key for n in ([number] if number else range(1, 100))
                 if (key := f"{kind}.{n}.{part}") not in taken), None)


def match_headers(headers: Sequence[str], names: Mapping[str, Iterable[str]]) -> dict[int, str]:
    """{header index: column key} for the headers that name a column; the rest are left unmatched."""
    exact, parts = _vocabulary(names)
    matched: dict[int, str] = {}
    # Exact names first ("Teléfono 2" is phone 2), then numbered words with or without their number.
    for index, header in enumerate(headers):
        key = exact.get(header_key(header))
        if key and key not in matched.values() and (
                numbered(key) is None or _split_number(header_key(header))[1]):
            matched[index] = key
    for index, header in enumerate(headers):
        if index in matched:
            continue
        taken = set(matched.values())
        key = _numbered_key(header, parts, taken) or exact.get(header_key(header))
        if key and key not in taken:
            matched[index] = key
    return matched
