"""What the benchmarks share: their organization and its signed-in admin."""

from __future__ import annotations


def create_bench_organization(email: str, password: str, name: str = "Bench Admin"):
    """An Ecuadorian organization with one admin, signed in: (organization id, signed-in result)."""
    from crm_app.db import session_scope
    from crm_app.services import auth
    from crm_app.services.organizations import AdminInput, OrganizationInput, create_organization

    with session_scope() as session:
        org = create_organization(
            session=session,
            org=OrganizationInput(
                name="Bench", country="EC", currency="USD", language="es", timezone="America/Guayaquil"
            ),
            admin=AdminInput(name=name, email=email, password=password),
        )
        signed = auth.sign_in(session=session, email=email, password=password)
    return org.id, signed
