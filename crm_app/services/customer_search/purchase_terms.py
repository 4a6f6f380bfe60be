"""The list's filters on what a customer bought (``Customer.last_purchase_at``, ``amount_spent``, kept by
services/customer_totals): bought since a day, not since a day, spent at least an amount."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from crm_app.domain.customers import CustomerQuery
from crm_app.domain.local_time import zone

if TYPE_CHECKING:
    from crm_app.services.customer_search.plan import Plan


def add_purchase_filters(plan: Plan, query: CustomerQuery, timezone: str) -> None:
    """Bounds on the purchase columns, each listed by the column's (organization_id, column, id) index. On
    the sort's own column a bound is also a range of the walked index. A day starts at midnight in the
    organization's ``timezone``."""
    bounds: list[tuple[str, str, str]] = []  # (column, operator, parameter)
    if query.bought_since is not None:
        bounds.append(("last_purchase_at", ">=", plan.moment(day_start(query.bought_since, timezone))))
    if query.lapsed_since is not None:  # he bought, before that day: never-bought customers are not lapsed
        bounds.append(("last_purchase_at", "<", plan.moment(day_start(query.lapsed_since, timezone))))
    if query.min_spent is not None:
        bounds.append(("amount_spent", ">=", plan.amount(query.min_spent)))
    for column, operator, parameter in bounds:
        condition = f"c.{column} {operator} {parameter}"
        plan.terms.append(condition)
        plan.columns.add(f"c.{column}")
        if plan.sort_column == f"c.{column}":
            plan.index_terms.append(condition)
        if not query.trash:  # the columns' indexes hold active customers only
            bound: Any = plan.params[parameter.removeprefix(":")]
            plan.driver(
                column,
                f"SELECT id FROM customer WHERE organization_id = :org AND deleted_at IS NULL "
                f"AND {column} {operator} :bound",
                org=plan.organization_id,
                bound=bound,
            )
    plan.buyers_only = query.bought_since is not None or query.lapsed_since is not None


def day_start(day: date, timezone: str) -> datetime:
    """Midnight of ``day`` in the organization's time zone, in UTC."""
    return datetime.combine(day, time(0), tzinfo=zone(timezone)).astimezone(UTC)
