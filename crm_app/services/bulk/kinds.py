"""Each kind of bulk action applied to one batch of customer ids, in the caller's transaction: which
customers it changes, and what each held before (for the undo).

A customer the change would not change (a tag he has, the channel he is in, a trashed one for a tag)
is not a change: no item, no feed event, no new version. What a kind skips for a reason of its own
(no consent for the template's channel, a restore that would duplicate an active customer, a merged
customer) is counted in ``Applied.skipped``.

Version: the changes to the customer's own record (tags, channel, flags, trash/restore) bump his
``version`` and ``updated_at``, as a save of the form does, so that a form opened before the bulk
change and saved after it is told "changed by someone else" (services/customers.update_customer
compares versions) instead of silently writing the old tags or channel back; and the duplicate scan's
"changed since" sees them. Joining an account and a message leave the record itself as it was (the form
does not edit them), so they do not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, text, update
from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.errors import ValidationFailed
from crm_app.models import (
    AccountMember,
    Customer,
    CustomerEmail,
    CustomerPhone,
    CustomerTag,
    FeedEvent,
    MessageTemplate,
    Organization,
)
from crm_app.models.types import utcnow
from crm_app.services import duplicates, feed, messaging
from crm_app.services.bulk.records import dumps
from crm_app.services.customer_duplicates import DuplicateValues, duplicate_errors_many
from crm_app.services.template_render import render_message


@dataclass(frozen=True)
class Ctx:
    """What a batch needs: the organization, who acts, the action and its stored params."""

    org_id: int
    actor: Actor
    action_id: int
    kind: str
    params: dict[str, Any]


@dataclass
class Applied:
    items: dict[int, str] = field(default_factory=dict)  # customer id -> his value before (JSON or "")
    skipped: dict[str, int] = field(default_factory=dict)
    # The ordinary change's feed kind, for its webhook (services/webhook_events.FEED_EVENTS).
    webhook_kind: str = "customer_updated"
    own_events: bool = False  # the kind wrote its customers' feed events itself (messages)


def active_ids(session: Session, org_id: int, ids: list[int], *, trashed: bool = False) -> list[int]:
    """The organization's active customers among ``ids`` (trashed ones with ``trashed``; never a merged
    customer)."""
    deleted = Customer.deleted_at.is_not(None) if trashed else Customer.deleted_at.is_(None)
    return list(session.execute(
        select(Customer.id).where(Customer.organization_id == org_id, Customer.id.in_(ids), deleted,
                                  Customer.merged_into_id.is_(None)).order_by(Customer.id)
    ).scalars())


def bump(session: Session, actor: Actor, ids: list[int], **values: Any) -> None:
    """Write ``values`` on these customers as a change of their record: version + 1, who and when."""
    if ids:
        session.execute(
            update(Customer).where(Customer.id.in_(ids))
            .values(**values, version=Customer.version + 1, updated_at=utcnow(), updated_by=actor.user_id)
            .execution_options(synchronize_session=False))


def tagged(session: Session, tag_id: int | None, ids: list[int]) -> set[int]:
    if tag_id is None or not ids:
        return set()
    return set(session.execute(select(CustomerTag.customer_id).where(
        CustomerTag.tag_id == tag_id, CustomerTag.customer_id.in_(ids))).scalars())


# PostgreSQL's customer.search_facets (migration 0008: the tag ids, sorted, and -1 for e-mail consent)
# once the tag is added or removed. Why: its triggers on customer_tag rewrite each touched customer's
# row, and so did the version bump after them: two new versions of each row, each one new entries in
# every customer index (the trigram index's many). Written with the bump, before the tag rows change,
# the triggers (0015: only rows whose facets differ) then find nothing to write: one rewrite a customer.
_FACETS_WITH = "ARRAY(SELECT DISTINCT f FROM unnest(search_facets || CAST(:tag_id AS integer)) f ORDER BY 1)"
_FACETS_WITHOUT = "array_remove(search_facets, CAST(:tag_id AS integer))"


def bump_tag(session: Session, actor: Actor, ids: list[int], tag_id: int, facets: str) -> None:
    """``bump`` for a tag added (``_FACETS_WITH``) or removed (``_FACETS_WITHOUT``), before the
    customer_tag rows change; on PostgreSQL with the facets they will have then (see above)."""
    if not ids or session.get_bind().dialect.name != "postgresql":
        bump(session, actor, ids)
        return
    session.execute(text(
        f"UPDATE customer SET search_facets = {facets}, version = version + 1, updated_at = :now, "
        "updated_by = :by WHERE id IN :ids").bindparams(bindparam("ids", expanding=True)),
        {"tag_id": tag_id, "now": utcnow(), "by": actor.user_id, "ids": ids})


def add_tag(session: Session, ctx: Ctx, tag_id: int, ids: list[int]) -> None:
    if ids:
        bump_tag(session, ctx.actor, ids, tag_id, _FACETS_WITH)
        session.execute(insert(CustomerTag.__table__),
                        [{"customer_id": i, "tag_id": tag_id, "organization_id": ctx.org_id} for i in ids])


def remove_tag(session: Session, ctx: Ctx, tag_id: int, ids: list[int]) -> None:
    if ids:
        bump_tag(session, ctx.actor, ids, tag_id, _FACETS_WITHOUT)
        session.execute(delete(CustomerTag)
                        .where(CustomerTag.tag_id == tag_id, CustomerTag.customer_id.in_(ids))
                        .execution_options(synchronize_session=False))


def _tag_add(session: Session, ctx: Ctx, ids: list[int]) -> Applied:
    tag_id = ctx.params["tag_id"]
    active = active_ids(session, ctx.org_id, ids)
    have = tagged(session, tag_id, active)
    changed = [i for i in active if i not in have]
    add_tag(session, ctx, tag_id, changed)
    return Applied(items=dict.fromkeys(changed, ""))


def _tag_remove(session: Session, ctx: Ctx, ids: list[int]) -> Applied:
    tag_id = ctx.params.get("tag_id")
    have = tagged(session, tag_id, active_ids(session, ctx.org_id, ids))
    changed = sorted(have)
    if tag_id is not None:
        remove_tag(session, ctx, tag_id, changed)
    return Applied(items=dict.fromkeys(changed, ""))


def _column_change(column: Any, value: Any) -> Callable[[Session, Ctx, list[int]], Applied]:
    """A kind writing one column (the channel, a flag): changed are the customers holding another value;
    each one's value before is kept."""

    def apply(session: Session, ctx: Ctx, ids: list[int]) -> Applied:
        rows = session.execute(select(Customer.id, column).where(
            Customer.id.in_(active_ids(session, ctx.org_id, ids)), column.is_distinct_from(value))).all()
        before = {customer_id: dumps({"value": old}) for customer_id, old in rows}
        bump(session, ctx.actor, sorted(before), **{column.key: value})
        return Applied(items=before)

    return apply


def _set_channel(session: Session, ctx: Ctx, ids: list[int]) -> Applied:
    return _column_change(Customer.channel_id, ctx.params.get("channel_id"))(session, ctx, ids)


def flag_column(flag: str) -> Any:
    return {"is_supplier": Customer.is_supplier, "is_conflictive": Customer.is_conflictive}[flag]


def _set_flag(session: Session, ctx: Ctx, ids: list[int]) -> Applied:
    return _column_change(flag_column(ctx.params["flag"]), bool(ctx.params["value"]))(session, ctx, ids)


def _add_to_account(session: Session, ctx: Ctx, ids: list[int]) -> Applied:
    account_id, role = ctx.params["account_id"], ctx.params["role"]
    active = active_ids(session, ctx.org_id, ids)
    members = set(session.execute(select(AccountMember.customer_id).where(
        AccountMember.account_id == account_id, AccountMember.customer_id.in_(active or [0]))).scalars())
    changed = [i for i in active if i not in members]
    if changed:
        now = utcnow()
        session.execute(insert(AccountMember.__table__), [
            {"organization_id": ctx.org_id, "account_id": account_id, "customer_id": i, "role": role,
             "created_at": now, "created_by": ctx.actor.user_id} for i in changed])
    return Applied(items=dict.fromkeys(changed, ""), webhook_kind="member_added")


def recipients(session: Session, channel: str, ids: list[int]) -> dict[int, str]:
    """Each customer's first address that accepts this channel, as services/messaging does for one: an
    e-mail that accepts mail; a phone flagged for SMS or for WhatsApp. Customers with none are absent."""
    if channel == "email":
        query = (select(CustomerEmail.customer_id, CustomerEmail.address)
                 .where(CustomerEmail.customer_id.in_(ids), CustomerEmail.accepts_email.is_(True))
                 .order_by(CustomerEmail.customer_id, CustomerEmail.position, CustomerEmail.id))
    else:
        flag = CustomerPhone.sms if channel == "sms" else CustomerPhone.whatsapp
        query = (select(CustomerPhone.customer_id, CustomerPhone.e164)
                 .where(CustomerPhone.customer_id.in_(ids), flag.is_(True))
                 .order_by(CustomerPhone.customer_id, CustomerPhone.position, CustomerPhone.id))
    found: dict[int, str] = {}
    for customer_id, address in session.execute(query).all():
        found.setdefault(customer_id, address)
    return found


def _send_template(session: Session, ctx: Ctx, ids: list[int]) -> Applied:
    """One message per customer with consent on the template's channel, queued in the outbox with its
    "message" feed event (the feed shows its status); the others are skipped and counted."""
    template = session.get(MessageTemplate, ctx.params["template_id"])
    org = session.get(Organization, ctx.org_id)
    active = active_ids(session, ctx.org_id, ids)
    to = recipients(session, template.channel, active)
    customers = {c.id: c for c in
                 session.execute(select(Customer).where(Customer.id.in_(list(to)))).scalars()}
    applied = Applied(skipped={"no_consent": len(active) - len(to)}, webhook_kind="", own_events=True)
    events = []
    for customer_id, recipient in to.items():
        try:
            rendered = render_message(template.channel, template.subject, template.body,
                                      messaging.template_context(org, ctx.actor, customers[customer_id]))
        except ValidationFailed:  # this customer's values broke the template: not sent, counted
            applied.skipped["render_failed"] = applied.skipped.get("render_failed", 0) + 1
            continue
        message = messaging.enqueue(session, organization_id=org.id, channel=template.channel,
                                    recipient=recipient, subject=rendered.subject, body=rendered.body,
                                    html=template.channel == "email", customer_id=customer_id,
                                    created_by=ctx.actor.user_id)
        applied.items[customer_id] = dumps({"message_id": message.id})
        events.append(feed.event_values(
            organization_id=org.id, customer_id=customer_id, actor_id=ctx.actor.user_id, kind="message",
            ref_id=message.id, data={"channel": template.channel, "recipient": recipient,
                                     "bulk_action_id": ctx.action_id}))
    insert_events(session, events)
    return applied


def insert_events(session: Session, events: list[dict[str, Any]]) -> None:
    if events:
        session.execute(insert(FeedEvent.__table__), events)


def trash(session: Session, ctx: Ctx, ids: list[int]) -> None:
    """Move these customers to the trash, as delete_customer does (who and when kept, version + 1), and
    out of the duplicate candidates."""
    if ids:
        bump(session, ctx.actor, ids, deleted_at=utcnow(), deleted_by=ctx.actor.user_id)
        duplicates.forget_customers(session, ctx.org_id, ids)


def restorable(session: Session, org_id: int, ids: list[int]) -> tuple[list[int], int]:
    """Which trashed customers can come back (restore_customer's check, for a batch): none of his phones,
    e-mails, tax ID or loyalty ID held by an active customer, nor by another one restored with him.
    Returns (ids, how many were refused)."""
    if not ids:
        return [], 0
    org = session.get(Organization, org_id)
    rows = {c.id: c for c in session.execute(select(Customer).where(Customer.id.in_(ids))).scalars()}
    phones: dict[int, list[str]] = {i: [] for i in ids}
    emails: dict[int, list[str]] = {i: [] for i in ids}
    for customer_id, e164 in session.execute(select(CustomerPhone.customer_id, CustomerPhone.e164)
                                             .where(CustomerPhone.customer_id.in_(ids))
                                             .order_by(CustomerPhone.position)).all():
        phones[customer_id].append(e164)
    for customer_id, address in session.execute(select(CustomerEmail.customer_id, CustomerEmail.address)
                                                .where(CustomerEmail.customer_id.in_(ids))
                                                .order_by(CustomerEmail.position)).all():
        emails[customer_id].append(address)
    values = [DuplicateValues(tuple(phones[i]), tuple(emails[i]), rows[i].tax_id, rows[i].loyalty_id)
              for i in ids]
    errors = duplicate_errors_many(session, org, [(v, i) for v, i in zip(values, ids, strict=True)])
    ok, claimed = [], set()
    for customer_id, value, error in zip(ids, values, errors, strict=True):
        mine = ({("p", p) for p in value.phones} | {("e", e) for e in value.emails}
                | ({("t", value.tax_id)} if value.tax_id else set())
                | ({("l", value.loyalty_id)} if value.loyalty_id else set()))
        if error or mine & claimed:
            continue
        claimed |= mine
        ok.append(customer_id)
    return ok, len(ids) - len(ok)


def restore(session: Session, ctx: Ctx, ids: list[int]) -> None:
    bump(session, ctx.actor, ids, deleted_at=None, deleted_by=None)


def _trash(session: Session, ctx: Ctx, ids: list[int]) -> Applied:
    changed = active_ids(session, ctx.org_id, ids)
    trash(session, ctx, changed)
    return Applied(items=dict.fromkeys(changed, ""), webhook_kind="customer_deleted")


def _restore(session: Session, ctx: Ctx, ids: list[int]) -> Applied:
    merged = session.execute(select(Customer.id).where(
        Customer.organization_id == ctx.org_id, Customer.id.in_(ids), Customer.merged_into_id.is_not(None)
    )).scalars().all()
    changed, refused = restorable(session, ctx.org_id, active_ids(session, ctx.org_id, ids, trashed=True))
    restore(session, ctx, changed)
    return Applied(items=dict.fromkeys(changed, ""), skipped={"duplicates": refused, "merged": len(merged)},
                   webhook_kind="customer_restored")


APPLY: dict[str, Callable[[Session, Ctx, list[int]], Applied]] = {
    "tag_add": _tag_add, "tag_remove": _tag_remove, "set_channel": _set_channel, "set_flag": _set_flag,
    "add_to_account": _add_to_account, "send_template": _send_template, "trash": _trash, "restore": _restore,
}
