"""Catalogue entries by product area, one module each, with ``ES`` and ``EN`` dicts side by side.

Every module in this package is merged into the main catalogues (crm_app/i18n/__init__.py), so an
area adds its strings without touching the shared es.py/en.py; a key may not be defined twice.
"""
