"""The names of the tax ID types (domain/tax_ids.py). The acronyms are the same in every language."""

_ACRONYMS = {
    f"tax_type_{code}": code.upper()
    for code in ("ruc", "nit", "rfc", "curp", "dni", "cuit", "rut", "rif", "rnc", "ssn", "ein", "nif", "cnpj",
                 "rtn")
}

EN = {
    **_ACRONYMS,
    "tax_type_cedula": "Cédula",
    "tax_type_passport": "Passport",
    "tax_type_ci": "Identity card",
    "tax_type_cpf": "Personal ID (CR)",
    "tax_type_cpj": "Company ID (CR)",
    "tax_type_cpf_br": "CPF",
    "tax_type_tax_id": "Tax ID",
    "tax_format_only_hint": "Only the format of {types} is checked, without a check digit.",
}
