"""Property (hypothesis), on both databases: for random customers with children (phones, e-mails with
random consent, tags, custom values, loyalty IDs, flags, accounts, comments, tasks, files, orders,
sales, leads), a merge with random choices and survivor, then its undo, gives back the same database
row for row (but the merge's own records: its row, its two feed events, webhook deliveries)."""

from __future__ import annotations

import secrets

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from crm_app.domain.accounts import AccountInput
from crm_app.domain.customers import CustomerInput, EmailInput, PhoneInput
from crm_app.domain.documents import LineInput
from crm_app.domain.form_edits import CustomFieldInput
from crm_app.domain.leads import LeadInput
from crm_app.domain.merge import FIELDS
from crm_app.domain.orders import OrderInput
from crm_app.domain.sales import SaleInput
from crm_app.models import (
    Comment,
    Customer,
    CustomerEmail,
    CustomerFieldValue,
    CustomerPhone,
    CustomerTag,
    Sale,
    StoredFile,
)
from crm_app.services import account_members, accounts, comments, leads, merge, orders, sales, tasks
from crm_app.services import form_config as forms
from tests.api.v1.api_world import make_order_type
from tests.db import run_like_app
from tests.factories import make_org
from tests.merge_factories import allow_duplicates, create, database, do_merge

PHONES = ("0991111111", "0992222222", "0993333333")
EMAILS = ("ana@example.com", "vera@example.com", "otra@example.com")
TAGS = ("vip", "mayorista", "nuevo")
LINE = LineInput("Pantalla", "1", "20.00", "")

customer_specs = st.fixed_dictionaries({
    "first": st.sampled_from(("Ana", "Ana María", "Bea")),
    "last": st.sampled_from(("Vera", "Mora")),
    "phones": st.lists(st.tuples(st.integers(0, 2), st.booleans(), st.booleans()), max_size=2,
                       unique_by=lambda p: p[0]),
    "emails": st.lists(st.tuples(st.integers(0, 2), st.booleans()), max_size=2, unique_by=lambda e: e[0]),
    "tags": st.lists(st.sampled_from(TAGS), max_size=2, unique=True),
    "loyalty": st.booleans(),
    "city": st.sampled_from(("", "Quito", "Cuenca")),
    "custom": st.sampled_from(("", "Norte", "Sur")),
    "interests": st.lists(st.integers(0, 2), max_size=3, unique=True),  # a multiple choice: a row each
    "conflictive": st.booleans(),
    "supplier": st.booleans(),
    "account": st.sampled_from((None, 0, 1)),
    "comments": st.integers(0, 2),
    "task": st.booleans(),
    "file": st.booleans(),
    "order": st.booleans(),
    "sale": st.booleans(),
    "lead": st.booleans(),
})
merges = st.tuples(
    st.lists(customer_specs, min_size=2, max_size=4),
    st.integers(0, 3),  # the survivor's position (modulo the count)
    st.dictionaries(st.sampled_from((*FIELDS, "custom", "multi")), st.integers(0, 3), max_size=5),
)


def _custom(world, spec) -> dict[int, object]:
    values: dict[int, object] = {}
    if spec["custom"]:
        values[world["field"]] = spec["custom"]
    if spec["interests"]:
        values[world["multi"]] = [world["options"][i] for i in spec["interests"]]
    return values


def _make(session, admin, world, spec, n: int) -> int:
    data = CustomerInput(
        client_type="person", first_name=spec["first"], last_name=spec["last"], city=spec["city"],
        phones=tuple(PhoneInput(PHONES[i], whatsapp=w, sms=s) for i, w, s in spec["phones"]),
        emails=tuple(EmailInput(EMAILS[i], accepts_email=a) for i, a in spec["emails"]),
        tags=tuple(spec["tags"]), loyalty_id=f"L-{n}-{secrets.token_hex(2)}" if spec["loyalty"] else "",
        is_conflictive=spec["conflictive"], is_supplier=spec["supplier"],
        custom=_custom(world, spec),
    )
    customer_id = create(session, admin, data)
    if spec["account"] is not None:
        account_id = world["accounts"][spec["account"]]
        run_like_app(session, account_members.add_member, actor=admin, account_id=account_id,
                     customer_id=customer_id, role="billing")
    for i in range(spec["comments"]):
        run_like_app(session, comments.add_comment, actor=admin, customer_id=customer_id, body=f"nota {i}")
    if spec["task"]:
        run_like_app(session, tasks.create_task, actor=admin, customer_id=customer_id,
                     data=tasks.TaskInput(title="Llamar"))
    if spec["file"]:
        session.add(StoredFile(organization_id=admin.organization_id, customer_id=customer_id,
                               uploaded_by=admin.user_id, storage_key=secrets.token_hex(16),
                               original_name="a.pdf", content_type="application/pdf", size=10,
                               sha256="0" * 64))
        session.commit()
    if spec["order"]:
        order = OrderInput(order_type_id=world["order_type"], customer_id=customer_id, lines=(LINE,))
        run_like_app(session, orders.create_order, actor=admin, data=order)
    if spec["sale"]:
        sale = SaleInput(customer_id=customer_id, lines=(LINE,))
        run_like_app(session, sales.create_sale, actor=admin, data=sale)
    if spec["lead"]:
        lead = LeadInput(name="Ana", customer_id=customer_id)
        run_like_app(session, leads.create_lead, actor=admin, data=lead)
    return customer_id


def test_merge_then_undo_gives_back_the_same_database(session):
    _, admin = make_org(session, country="EC")
    allow_duplicates(session, admin)
    field = run_like_app(session, forms.create_custom_field, actor=admin, client_type="person",
                         data=CustomFieldInput(kind="text", label_es="Sucursal"))
    options = ((None, "Cine", ""), (None, "Pesca", ""), (None, "Yoga", ""))
    multi = run_like_app(session, forms.create_custom_field, actor=admin, client_type="person",
                         data=CustomFieldInput(kind="multi_choice", label_es="Intereses", options=options))
    world = {
        "field": field.id, "multi": multi.id, "options": [o.id for o in multi.options],
        "accounts": [run_like_app(session, accounts.create_account, actor=admin,
                                  data=AccountInput(name=name)).id for name in ("Vera S.A.", "Mora Cía.")],
        "order_type": make_order_type(session, admin),
    }

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(merges)
    def merge_then_undo(case):
        specs, survivor_at, picks = case
        ids = [_make(session, admin, world, spec, n) for n, spec in enumerate(specs)]
        survivor = ids[survivor_at % len(ids)]
        filled = {"custom": any(s["custom"] for s in specs), "multi": any(s["interests"] for s in specs)}
        custom = {"custom": f"custom:{world['field']}", "multi": f"custom:{world['multi']}"}
        # A custom field nobody filled in is no choice of this merge (the service refuses it).
        choices = {custom.get(name, name): ids[i % len(ids)] for name, i in picks.items()
                   if filled.get(name, True)}
        session.expire_all()
        before = database(session)
        done = do_merge(session, admin, ids, survivor, choices=choices)
        session.expire_all()
        assert database(session) != before  # the comparison sees the merge (the merged are trashed)
        kept = session.get(Customer, survivor)
        assert kept.deleted_at is None and kept.is_conflictive == any(s["conflictive"] for s in specs)
        gone = session.execute(select(Customer.id).where(Customer.merged_into_id == survivor)).scalars()
        merged = sorted(i for i in ids if i != survivor)
        assert sorted(gone) == merged
        for model in (CustomerPhone, CustomerEmail, CustomerTag, CustomerFieldValue, Comment, Sale):
            left = session.execute(select(model.customer_id).where(model.customer_id.in_(merged))).first()
            assert left is None, model  # everything moved to the survivor or dropped
        run_like_app(session, merge.undo_merge, actor=admin, merge_id=done.id)
        session.expire_all()
        assert database(session) == before

    merge_then_undo()
