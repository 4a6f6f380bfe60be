"""The demo organization behind ``python -m crm_app seed-demo``."""

from __future__ import annotations

from sqlmodel import select

from crm_app.db import get_engine, session_scope
from crm_app.domain import passwords
from crm_app.domain.countries import COUNTRIES
from crm_app.models import Organization, User
from crm_app.services.organizations import AdminInput, OrganizationInput, create_organization

DEMO_ADMIN = "admin@demo.clientela.test"
DEMO_SALES = "ventas@demo.clientela.test"


def seed_demo(*, customers: int, country: str, password: str, sales: int = 0) -> list[str]:
    """Create (once) the demo organization with an admin and a sales user; add customers, and sales with
    a tenth as many work orders among them, if asked."""
    lines: list[str] = []
    with session_scope() as session:
        admin = session.exec(select(User).where(User.email == DEMO_ADMIN)).first()
        if admin is None:
            c = COUNTRIES[country]
            org = create_organization(
                session=session,
                org=OrganizationInput(name="Demo Clientela", country=country, currency=c.currency,
                                      language="es", timezone=c.timezone),
                admin=AdminInput(name="Administradora Demo", email=DEMO_ADMIN, password=password),
            )
            session.add(User(organization_id=org.id, email=DEMO_SALES, name="Vendedor Demo", role="sales",
                             password_hash=passwords.hash_password(password)))
            organization_id, admin_id = org.id, session.exec(
                select(User.id).where(User.email == DEMO_ADMIN)).one()
            lines.append(f"demo organization {org.id} created")
        else:
            organization_id, admin_id = admin.organization_id, admin.id
            lines.append(f"demo organization {organization_id} already exists")
        org_country = session.get(Organization, organization_id).country
    lines.append(f"sign in as {DEMO_ADMIN} or {DEMO_SALES}, password: {password}")
    if customers > 0:
        lines.extend(_seed_customers(organization_id, admin_id, customers, org_country))
    if sales > 0:
        lines.append(_seed_sales(organization_id, sales))
    return lines


def _seed_sales(organization_id: int, n: int) -> str:
    from crm_app.services.seed_sales import seed_sales

    seeded = seed_sales(get_engine(), organization_id, n, orders=max(1, n // 10))
    return f"{seeded.sales} sales and {seeded.orders} work orders in {seeded.seconds:.1f} s"


def _seed_customers(organization_id: int, admin_id: int, n: int, country: str) -> list[str]:
    import time

    from crm_app.services.seed import seed_customers

    started = time.perf_counter()
    created = seed_customers(get_engine(), organization_id, n, country=country, created_by=admin_id)
    elapsed = time.perf_counter() - started
    return [f"{created} customers in {elapsed:.1f} s ({created / max(elapsed, 1e-9):,.0f}/s)"]
