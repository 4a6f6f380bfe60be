"""Every other kind of bulk action and its undo, on both databases: channel, flags, account membership,
a template message (consent per address), trash and restore (admins only; merged customers never
restored; a restore that would duplicate an active customer skipped), the version a bulk change moves
(an open form is told), and the webhooks an ordinary change sends."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from crm_app.domain.accounts import AccountInput
from crm_app.domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
from crm_app.domain.form_config import input_from_dto
from crm_app.models import AccountMember, Customer, OutboxMessage, WebhookDelivery, WebhookEndpoint
from crm_app.services import account_members, accounts, customers, templates
from crm_app.services.customer_choices import create_channel
from tests.db import run_like_app
from tests.factories import make_org, make_user
from tests.services.bulk_helpers import make_customer, start, undo, version


@pytest.fixture
def shop(session):
    _, admin = make_org(session)
    ids = [make_customer(session, admin, name) for name in ("Ana", "Beto", "Carla")]
    return admin, ids


def customer(session, customer_id: int) -> Customer:
    session.expire_all()
    return session.get(Customer, customer_id)


def test_set_channel_and_its_undo_leave_a_customer_changed_since(session, shop):
    admin, ids = shop
    web, _ = run_like_app(session, create_channel, actor=admin, name="Web")
    fair, _ = run_like_app(session, create_channel, actor=admin, name="Feria")
    start(session, admin, "set_channel", ids=[ids[0]], channel_id=fair)
    dto = start(session, admin, "set_channel", ids=ids, channel_id=web)
    assert (dto.changed, dto.description) == (3, "Canal: Web")
    start(session, admin, "set_channel", ids=[ids[2]], channel_id=None)  # Carla's changed since
    undone = undo(session, admin, dto.id)
    assert "2 restaurados; 1 cambiados" in undone.summary
    assert [customer(session, i).channel_id for i in ids] == [fair, None, None]
    _, other_admin = make_org(session, "Otra")
    theirs, _ = run_like_app(session, create_channel, actor=other_admin, name="Suya")
    with pytest.raises(ValidationFailed) as refused:
        start(session, admin, "set_channel", ids=ids, channel_id=theirs)
    assert refused.value.errors["channel_id"].code == "invalid_choice"


def test_set_and_clear_a_flag(session, shop):
    admin, ids = shop
    dto = start(session, admin, "set_flag", ids=ids[:2], flag="is_conflictive", value=True)
    assert dto.changed == 2 and dto.description == "Marcar como conflictivo"
    assert [customer(session, i).is_conflictive for i in ids] == [True, True, False]
    cleared = start(session, admin, "set_flag", ids=ids, flag="is_conflictive", value=False)
    assert cleared.changed == 2
    undo(session, admin, cleared.id)
    assert [customer(session, i).is_conflictive for i in ids] == [True, True, False]
    with pytest.raises(ValidationFailed) as refused:
        start(session, admin, "set_flag", ids=ids, flag="is_vip", value="yes")
    assert set(refused.value.errors) == {"flag", "value"}


def test_add_to_account_with_a_role_and_undo(session, shop):
    admin, ids = shop
    account = run_like_app(session, accounts.create_account, actor=admin, data=AccountInput(name="Acme SA"))
    run_like_app(session, account_members.add_member, actor=admin, account_id=account.id,
                 customer_id=ids[0], role="member")
    dto = start(session, admin, "add_to_account", ids=ids, account_id=account.id, role="billing")
    assert dto.changed == 2 and dto.description == "Añadir a la cuenta «Acme SA» como Facturación"
    roles = dict(session.execute(select(AccountMember.customer_id, AccountMember.role)).all())
    assert roles == {ids[0]: "member", ids[1]: "billing", ids[2]: "billing"}
    undo(session, admin, dto.id)
    session.expire_all()
    assert session.execute(select(AccountMember.customer_id)).scalars().all() == [ids[0]]
    _, other_admin = make_org(session, "Otra")
    with pytest.raises(NotFound):
        start(session, other_admin, "add_to_account", ids=ids, account_id=account.id)


def test_send_template_only_to_addresses_with_consent_and_undo_cancels_the_queued(session):
    _, admin = make_org(session)
    ana = make_customer(session, admin, "Ana",
                        emails=[("ana@example.com", False), ("ana2@example.com", True)])
    beto = make_customer(session, admin, "Beto", emails=[("beto@example.com", False)])
    sms_ok = make_customer(session, admin, "Carla", phones=[("0991234567", {"sms": True})])
    sms_no = make_customer(session, admin, "Dora", phones=[("0987654321", {"whatsapp": True})])
    mail = run_like_app(session, templates.save_template, actor=admin, data=templates.TemplateInput(
        "email", "Promo", "Hola {{ first_name }}", "Novedades para {{ first_name }}."))
    dto = start(session, admin, "send_template", ids=[ana, beto, sms_ok, sms_no], template_id=mail.id)
    assert (dto.matched, dto.changed) == (4, 1) and "3 sin consentimiento" in dto.summary
    sent = session.execute(select(OutboxMessage)).scalars().all()
    assert [(m.recipient, m.subject, m.status) for m in sent] == [("ana2@example.com", "Hola Ana", "queued")]
    sms = run_like_app(session, templates.save_template, actor=admin, data=templates.TemplateInput(
        "sms", "Aviso", "", "Hola {{ first_name }}"))
    texts = start(session, admin, "send_template", ids=[ana, sms_ok, sms_no], template_id=sms.id)
    assert texts.changed == 1
    session.execute(update(OutboxMessage).where(OutboxMessage.recipient == "ana2@example.com")
                    .values(status="sent"))
    session.commit()
    undone = undo(session, admin, dto.id)
    assert "1 mensajes ya enviados no se pueden recuperar" in undone.summary
    undo(session, admin, texts.id)
    session.expire_all()
    statuses = dict(session.execute(select(OutboxMessage.recipient, OutboxMessage.status)).all())
    assert statuses == {"ana2@example.com": "sent", "+593991234567": "cancelled"}


def test_trash_is_the_admins_and_restore_skips_duplicates_and_merged(session, shop):
    admin, ids = shop
    _, sales, _ = make_user(session, admin, "sales")
    with pytest.raises(Forbidden):
        start(session, sales, "trash", ids=ids)
    assert start(session, sales, "tag_add", ids=ids, tag="ok").changed == 3  # the rest: any staff user
    with_phone = make_customer(session, admin, "Eva", phones=[("0991234567", {})])
    dto = start(session, admin, "trash", ids=[*ids, with_phone])
    assert dto.changed == 4 and all(customer(session, i).deleted_at for i in ids)
    make_customer(session, admin, "Eva Nueva", phones=[("0991234567", {})])  # holds Eva's phone now
    session.execute(update(Customer).where(Customer.id == ids[2]).values(merged_into_id=ids[0]))
    session.commit()
    restored = start(session, admin, "restore", ids=[*ids, with_phone])
    assert restored.changed == 2 and "1 no se restauraron" in restored.summary
    assert "1 fusionados" in restored.summary
    assert customer(session, with_phone).deleted_at is not None
    assert customer(session, ids[2]).deleted_at is not None
    undo(session, admin, restored.id)  # trashed again
    assert customer(session, ids[0]).deleted_at is not None
    with pytest.raises(NotFound):  # a sales user sees his own actions only
        undo(session, sales, dto.id)


def test_an_open_form_is_told_and_webhooks_go_out(session, shop):
    admin, ids = shop
    session.add(WebhookEndpoint(organization_id=admin.organization_id, url="https://hooks.example/x",
                                events="customer.updated customer.deleted", secret="s" * 32,
                                created_by=admin.user_id))
    session.commit()
    opened = customers.get_customer(session=session, actor=admin, customer_id=ids[0])
    before = version(session, ids[0])
    start(session, admin, "tag_add", ids=ids, tag="vip")
    assert version(session, ids[0]) == before + 1
    with pytest.raises(Conflict) as stale:
        run_like_app(session, customers.update_customer, actor=admin, customer_id=ids[0],
                     version=opened.version, data=input_from_dto(opened))
    assert stale.value.code == "stale_version"
    start(session, admin, "trash", ids=ids[:1])
    kinds = session.execute(select(WebhookDelivery.event_type)).scalars().all()
    assert sorted(kinds) == ["customer.deleted"] + ["customer.updated"] * 3
