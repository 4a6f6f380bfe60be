"""The organization's words for what an import's cells name (client types, channels, phone types, tax
ID types, custom field options, countries), in both languages, and its forms by client type."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from crm_app.domain.customers import CLIENT_TYPES, PHONE_KINDS
from crm_app.domain.dto import Actor
from crm_app.domain.form_config import CHOICE_KINDS, FormConfig
from crm_app.domain.import_columns import header_key
from crm_app.domain.import_rows import Vocabulary
from crm_app.domain.local_time import country_names
from crm_app.domain.tax_ids import tax_id_types
from crm_app.i18n import LANGUAGES, t
from crm_app.models import Organization, PhoneLabel
from crm_app.services import form_config as form_service
from crm_app.services.customer_choices import list_channels

# Words people use besides the form's own labels.
_CLIENT_TYPE_WORDS = {
    "person": ("persona", "natural", "persona natural", "individual", "particular", "cliente"),
    "company": ("empresa", "juridico", "juridica", "persona juridica", "sociedad", "business"),
    "government": ("gobierno", "publico", "entidad publica", "institucion publica", "public"),
}
_PHONE_KIND_WORDS = {
    "mobile": ("celular", "movil", "cel", "cell", "cellphone", "whatsapp"),
    "work": ("trabajo", "oficina", "office", "laboral"),
    "home": ("casa", "hogar", "domicilio", "fijo", "landline"),
    "custom": ("otro", "other"),
}


def _words(pairs) -> dict:
    return {header_key(word): value for word, value in pairs if header_key(word)}


def forms(session: Session, organization_id: int) -> dict[str, FormConfig]:
    return {ct: form_service.load_form_config(session, organization_id, ct) for ct in CLIENT_TYPES}


def vocabulary(
    session: Session, actor: Actor, org: Organization, configs: dict[str, FormConfig]
) -> Vocabulary:
    client_types = _words(
        [(ct, ct) for ct in CLIENT_TYPES]
        + [(t(f"client_type_{ct}", lang), ct) for ct in CLIENT_TYPES for lang in LANGUAGES]
        + [(word, ct) for ct, words in _CLIENT_TYPE_WORDS.items() for word in words]
    )
    phone_kinds = _words(
        [(kind, kind) for kind in PHONE_KINDS]
        + [(t(f"phone_kind_{kind}", lang), kind) for kind in PHONE_KINDS for lang in LANGUAGES]
        + [(word, kind) for kind, words in _PHONE_KIND_WORDS.items() for word in words]
    )
    labels = session.execute(select(PhoneLabel.name).where(PhoneLabel.organization_id == org.id)).scalars()
    for label in labels:  # the organization's own phone types are custom ones, under their label
        phone_kinds.setdefault(header_key(label), "custom")
    codes = {code for ct in CLIENT_TYPES for code in tax_id_types(org.country, ct)}
    tax_types = _words([(code, code) for code in codes]
                       + [(t(f"tax_type_{code}", lang), code) for code in codes for lang in LANGUAGES])
    options = {
        field.id: _words([(label, o.id) for o in field.active_options
                          for label in (o.label_es, o.label_en, o.label_pt) if label])
        for config in configs.values() for field in config.active_custom if field.kind in CHOICE_KINDS
    }
    countries = _words([(name, code) for lang in LANGUAGES for code, name in country_names(lang).items()])
    channels = _words([(name, ch_id) for ch_id, name in list_channels(session=session, actor=actor)])
    return Vocabulary(client_types=client_types, channels=channels, phone_kinds=phone_kinds,
                      tax_id_types=tax_types, options=options, countries=countries)
