"""A file's headers matched to the columns of a customer sheet, in Spanish or English, whatever their
accents, case, spacing and punctuation ("TELEFONO 1", "Teléfono", "phone 2", "Nro. de cédula").

Numbered columns (phones, e-mails) match with or without their number: "Teléfono" twice is phone 1 and
phone 2, "WhatsApp 2" is phone 2's flag. A column key is taken by one header at most; a header nobody
recognizes is left unmatched (the mapping screen lets the user choose).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from crm_app.domain.import_columns import header_key, numbered

# Words people head columns with, besides the form's labels (compared as header_key does).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "first_name": ("nombre", "nombres", "nombre s", "primer nombre", "first name", "given name"),
    "last_name": ("apellido", "apellidos", "apellido s", "last name", "surname", "family name"),
    "legal_name": ("razon social", "empresa", "nombre de la empresa", "company", "company name", "legal name",
                   "entidad"),
    "trade_name": ("nombre comercial", "trade name", "marca"),
    "contact_name": ("contacto", "persona de contacto", "contact", "contact person"),
    "tax_id": ("cedula", "cedula de identidad", "ruc", "nit", "rfc", "cuit", "cuil", "dni", "ci", "rut",
               "rif", "curp", "nif", "cif", "cedula ruc", "ruc cedula", "ci ruc", "identificacion",
               "documento", "documento de identidad", "pasaporte", "tax id", "id number", "passport"),
    "tax_id_type": ("tipo de documento", "tipo de identificacion", "id type", "document type"),
    "loyalty_id": ("codigo de cliente", "codigo", "fidelizacion", "loyalty", "loyalty id", "customer code"),
    "birthday": ("fecha de nacimiento", "nacimiento", "cumpleanos", "fecha nac", "birthday", "date of birth",
                 "birth date", "dob"),
    "street": ("direccion", "calle", "domicilio", "address", "street"),
    "city": ("ciudad", "localidad", "canton", "municipio", "city", "town"),
    "region": ("provincia", "estado", "departamento", "region", "state", "province"),
    "postal_code": ("codigo postal", "cp", "c p", "zip", "postal code", "zip code"),
    "address_country": ("pais", "country"),
    "notes": ("notas", "nota", "observaciones", "comentarios", "notes", "comments"),
    "tags": ("etiquetas", "etiqueta", "tags", "tag", "grupos"),
    "channel": ("canal", "como nos conocio", "origen", "fuente", "channel", "how did you hear", "source"),
    "credit_limit": ("limite de credito", "credito", "credit limit", "credit"),
    "discount_percent": ("descuento", "discount", "descuento personal"),
    "account": ("cuenta", "account"),
    "client_type": ("tipo de cliente", "tipo de persona", "tipo", "client type", "customer type", "type"),
    "is_supplier": ("proveedor", "supplier", "es proveedor"),
    "is_conflictive": ("conflictivo", "conflictive", "cliente conflictivo"),
}
# Numbered columns: the words of each part, the number added or not ("telefono 2", "telefono").
NUMBERED_SYNONYMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("phones", "number"): ("telefono", "celular", "movil", "tel", "telefono celular", "telefono movil",
                           "telefono fijo", "phone", "mobile", "cell", "cell phone", "mobile phone"),
    ("phones", "kind"): ("tipo de telefono", "phone type"),
    ("phones", "whatsapp"): ("whatsapp",),
    ("phones", "viber"): ("viber",),
    ("phones", "sms"): ("sms",),
    ("emails", "address"): ("correo", "correo electronico", "direccion de correo", "email", "e mail", "mail",
                            "email address", "e mail address"),
    ("emails", "accepts_email"): ("acepta correos", "acepta correo", "recibe correos", "consentimiento",
                                  "accepts email", "email consent"),
}
# Words a header may add around a name ("Nro. de cédula", "Número de teléfono", "Your e-mail").
_FILLER = frozenset({"numero", "nro", "num", "no", "n", "de", "del", "el", "la", "los", "las", "su", "tu",
                     "number", "of", "the", "your"})
_TRAILING_NUMBER = re.compile(r"^(.*?)\s*(\d+)$")


def header_names(label_of: Callable[[str, str], str], keys: Iterable[str],
                 languages: Sequence[str] = ("es", "en")) -> dict[str, tuple[str, ...]]:
    """{column key: its names}: its label in each language (``label_of(key, lang)``) and the synonyms
    of SYNONYMS, as :func:`match_headers` takes them (it adds the synonyms itself too)."""
    return {key: tuple(dict.fromkeys([*(label_of(key, lang) for lang in languages), *SYNONYMS.get(key, ())]))
            for key in keys}


def _split_number(key: str) -> tuple[str, int | None]:
    found = _TRAILING_NUMBER.match(key)
    return (found[1], int(found[2])) if found else (key, None)


def _plain(key: str) -> str:
    """A header key without the words around the name."""
    return " ".join(word for word in key.split() if word not in _FILLER)


class _Vocabulary:
    """The words of ``names`` and of the synonyms, as compared."""

    def __init__(self, names: Mapping[str, Iterable[str]]) -> None:
        self.exact: dict[str, str] = {}  # header key -> column key
        self.parts: dict[str, tuple[str, str]] = {}  # numbered part's word, no number -> (kind, part)
        for key, key_names in names.items():
            parts_of = numbered(key)
            for word in filter(None, (header_key(name) for name in (key, *key_names))):
                self.exact.setdefault(word, key)
                if parts_of is not None:
                    self.parts.setdefault(_split_number(word)[0], (parts_of[0], parts_of[2]))
        for (kind, part), words in NUMBERED_SYNONYMS.items():
            for word in words:
                self.parts.setdefault(header_key(word), (kind, part))
        for key, words in SYNONYMS.items():
            for word in words if key in names else ():
                self.exact.setdefault(header_key(word), key)
        # The same without the words around the names, where that leaves one meaning of 4+ letters.
        plain: dict[str, set[str]] = {}
        for word, key in self.exact.items():
            if numbered(key) is None and len(_plain(word)) >= 4:
                plain.setdefault(_plain(word), set()).add(key)
        self.plain = {word: keys.pop() for word, keys in plain.items() if len(keys) == 1}

    def numbered_key(self, header: str, taken: set[str]) -> str | None:
        """"Teléfono 2" -> phones.2.number; "Teléfono" -> the first phone number not yet taken."""
        word, number = _split_number(header)
        found = self.parts.get(word) or self.parts.get(header)
        if found is None:
            return None
        kind, part = found
        return next((key for n in ([number] if number else range(1, 100))
                     if (key := f"{kind}.{n}.{part}") not in taken), None)


def match_headers(headers: Sequence[str], names: Mapping[str, Iterable[str]]) -> dict[int, str]:
    """{header index: column key} for the headers that name a column; the rest are left unmatched.

    ``names`` maps each column key to the names it may have (its labels in both languages: see
    :func:`header_names`); the synonyms of the keys it holds are added. First the exact names ("Teléfono
    2" is phone 2), then numbered words with or without their number, then names found once the words
    around them are dropped ("Nro. de cédula")."""
    words = _Vocabulary(names)
    keys = [header_key(header) for header in headers]
    matched: dict[int, str] = {}

    def take(index: int, key: str | None) -> None:
        if key and key not in matched.values():
            matched[index] = key

    for index, header in enumerate(keys):
        key = words.exact.get(header)
        if key and (numbered(key) is None or _split_number(header)[1]):
            take(index, key)
    for index, header in enumerate(keys):
        if index not in matched and header:
            take(index, words.numbered_key(header, set(matched.values())) or words.exact.get(header))
    for index, header in enumerate(keys):
        plain = _plain(header)
        if index not in matched and plain:
            taken = set(matched.values())
            take(index, words.exact.get(plain) or words.numbered_key(plain, taken) or words.plain.get(plain))
    return matched
