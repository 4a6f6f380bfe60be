"""The list's filters on how a customer came (the panel's figures link to them): created on some local days
of the organization, created by a user, from a source; and those who cannot be reached at all.

The created range is a range of the creation index (ix_customer_org_created): sorted by creation, the
walk reads just the range; sorted otherwise, the range lists its ids as a candidate driver. The creator
and the source have no index of their own: they are tested on the rows the other terms leave (the panel
links them with a created range). ``reach=none`` tests the customer's id against the phones' and the
consenting e-mails' indexes (ix_customer_phone_customer, ix_customer_email_consent), so candidates are
filtered before their rows are read.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from crm_app.domain.customers import CustomerQuery
from crm_app.domain.search_text import CONSENT_FACET
from crm_app.services.customer_search.purchase_terms import day_start

if TYPE_CHECKING:
    from crm_app.services.customer_search.plan import Plan

NO_PHONE = "NOT EXISTS (SELECT 1 FROM customer_phone p WHERE p.customer_id = c.id)"


def add_created_filters(plan: Plan, query: CustomerQuery, timezone: str) -> None:
    """The created range (a day starts at midnight in the organization's ``timezone``; the last day is
    included), the creator and the source."""
    bounds: list[tuple[str, str]] = []  # (operator, parameter)
    if query.created_from is not None:
        bounds.append((">=", plan.moment(day_start(query.created_from, timezone))))
    if query.created_to is not None:
        bounds.append(("<", plan.moment(day_start(query.created_to + timedelta(days=1), timezone))))
    for operator, parameter in bounds:
        condition = f"c.created_at {operator} {parameter}"
        plan.terms.append(condition)
        plan.columns.add("c.created_at")
        if plan.sort_field == "created":  # a range of the walked index
            plan.index_terms.append(condition)
    if bounds and not query.trash:  # the creation index holds active customers only
        range_sql = " AND ".join(f"created_at {operator} :b{i}" for i, (operator, _) in enumerate(bounds))
        plan.driver(
            "created",
            f"SELECT id FROM customer WHERE organization_id = :org AND deleted_at IS NULL AND {range_sql}",
            org=plan.organization_id,
            **{f"b{i}": plan.params[parameter.removeprefix(":")] for i, (_, parameter) in enumerate(bounds)},
        )
    if query.created_by is not None:
        plan.terms.append(f"c.created_by = {plan.param(query.created_by)}")
        plan.columns.add("c.created_by")
    if query.source:
        plan.terms.append(f"c.source = {plan.param(query.source)}")
        plan.columns.add("c.source")


def add_unreachable(plan: Plan, query: CustomerQuery) -> None:
    """No phone at all, and no e-mail that accepts mail (PostgreSQL: the row's consent facet, which its
    keyset indexes carry; SQLite: the consent index)."""
    if not query.unreachable:
        return
    plan.id_term(NO_PHONE)
    if plan.dialect == "postgresql":
        from crm_app.services.customer_search.plan import facets_term  # (plan imports this module)

        plan.terms.append(f"NOT {facets_term(plan.param([CONSENT_FACET]))}")
        plan.columns.add("c.search_facets")
    else:
        plan.id_term(
            f"NOT EXISTS (SELECT 1 FROM customer_email e WHERE e.customer_id = c.id "
            f"AND {plan.flag('e.accepts_email')})"
        )
