"""Catalogue entries by product area, one module each, with its English ``EN`` dict (the source texts).

Every module in this package is merged into the catalogues (crm_app/i18n/sources.py), so an area adds
its strings without touching the shared en.py; a key may not be defined twice. Their Spanish and
Portuguese live in crm_app/i18n/locale/*/LC_MESSAGES/messages.po (`make messages`, README "Translating").
"""
