"""Countries an organization can be in: default currency, time zone, language and names.

The country also decides the default phone region (its ISO code) and the tax-ID scheme
(see tax_ids.py).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    code: str
    name_es: str
    name_en: str
    currency: str
    timezone: str
    language: str = "es"  # the interface language a new organization there starts with


COUNTRIES: dict[str, Country] = {c.code: c for c in (
    Country("AR", "Argentina", "Argentina", "ARS", "America/Argentina/Buenos_Aires"),
    Country("BO", "Bolivia", "Bolivia", "BOB", "America/La_Paz"),
    Country("BR", "Brasil", "Brazil", "BRL", "America/Sao_Paulo", language="pt"),
    Country("CL", "Chile", "Chile", "CLP", "America/Santiago"),
    Country("CO", "Colombia", "Colombia", "COP", "America/Bogota"),
    Country("CR", "Costa Rica", "Costa Rica", "CRC", "America/Costa_Rica"),
    Country("DO", "República Dominicana", "Dominican Republic", "DOP", "America/Santo_Domingo"),
    Country("EC", "Ecuador", "Ecuador", "USD", "America/Guayaquil"),
    Country("ES", "España", "Spain", "EUR", "Europe/Madrid"),
    Country("GT", "Guatemala", "Guatemala", "GTQ", "America/Guatemala"),
    Country("HN", "Honduras", "Honduras", "HNL", "America/Tegucigalpa"),
    Country("MX", "México", "Mexico", "MXN", "America/Mexico_City"),
    Country("NI", "Nicaragua", "Nicaragua", "NIO", "America/Managua"),
    Country("PA", "Panamá", "Panama", "USD", "America/Panama"),
    Country("PE", "Perú", "Peru", "PEN", "America/Lima"),
    Country("PY", "Paraguay", "Paraguay", "PYG", "America/Asuncion"),
    Country("SV", "El Salvador", "El Salvador", "USD", "America/El_Salvador"),
    Country("US", "Estados Unidos", "United States", "USD", "America/New_York"),
    Country("UY", "Uruguay", "Uruguay", "UYU", "America/Montevideo"),
    Country("VE", "Venezuela", "Venezuela", "VES", "America/Caracas"),
)}

CURRENCIES = sorted({c.currency for c in COUNTRIES.values()})
TIMEZONES = sorted({c.timezone for c in COUNTRIES.values()} | {"UTC"})


def default_language(code: str) -> str:
    """The language an organization in ``code`` starts with: Portuguese in Brazil, else Spanish."""
    country = COUNTRIES.get(code)
    return country.language if country is not None else "es"
