"""E-mail campaigns, on both databases: the segment is the list's selection, only addresses with consent
get mail (one per customer), messages go at the organization's pace, pause / resume / cancel hold back
what is not sent, a scheduled campaign starts when due, a resumed preparation never sends twice, and
another organization's campaigns and a sales user are refused."""

from __future__ import annotations

import sys
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from crm_app.domain.campaigns import CampaignInput
from crm_app.domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
from crm_app.jobs import outbox
from crm_app.models import Campaign, CampaignRecipient, FeedEvent, Job, Organization, OutboxMessage
from crm_app.models.types import utcnow
from crm_app.services import campaigns, templates
from crm_app.services.campaigns import prepare
from tests.campaign_factories import (
    Recorder,
    campaign_shop,
    customer,
    draft,
    messages,
    run_jobs,
    started,
)
from tests.db import run_like_app
from tests.factories import make_org, make_user


@pytest.fixture
def shop(session):
    return campaign_shop(session)


def test_only_addresses_with_consent_one_per_customer_and_the_count_before(session, db_url, shop):
    admin, tpl = shop
    audience = campaigns.audience(session=session, actor=admin, query="tags=vip")
    assert (audience.customers, audience.addresses, audience.excluded, audience.complete) == (3, 2, 1, True)
    campaign_id = started(session, db_url, admin, tpl)
    sent = messages(session, campaign_id)
    assert [m.recipient for m in sent] == ["ana@example.com", "carla@example.com"]
    assert all(m.unsubscribe_url and m.html and "Tenemos novedades" in m.body for m in sent)
    assert sent[0].subject == "Hola Ana"
    campaign = session.get(Campaign, campaign_id)
    assert (campaign.status, campaign.recipients, campaign.excluded) == ("sending", 2, 1)
    events = session.execute(select(FeedEvent).where(FeedEvent.kind == "message",
                                                     FeedEvent.ref_id.in_([m.id for m in sent]))).scalars()
    assert len(list(events)) == 2


def test_messages_go_at_the_pace_and_the_worker_sends_only_the_due_ones(session, db_url, shop):
    admin, tpl = shop
    campaign_id = started(session, db_url, admin, tpl)
    first, second = messages(session, campaign_id)
    assert second.next_attempt_at - first.next_attempt_at == timedelta(seconds=1)  # 60 a minute
    recorder = Recorder()
    outbox.run_once(senders={"email": recorder}, database_url=db_url)
    assert recorder.sent == ["ana@example.com"]  # the second is due a second later
    session.execute(update(OutboxMessage).where(OutboxMessage.id == second.id)
                    .values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    session.commit()
    outbox.run_once(senders={"email": recorder}, database_url=db_url)
    assert recorder.sent == ["ana@example.com", "carla@example.com"]
    counts = campaigns.report(session=session, actor=admin, campaign_id=campaign_id)
    assert counts["sent"] == 2 and counts["queued"] == 0


def test_a_second_campaign_waits_for_the_first_ones_pace(session, db_url, shop):
    admin, tpl = shop
    session.execute(update(Organization).where(Organization.id == admin.organization_id)
                    .values(campaign_per_minute=6))  # one every 10 s
    session.commit()
    one = started(session, db_url, admin, tpl)
    two = started(session, db_url, admin, tpl, name="Otra")
    last_of_one = messages(session, one)[-1].next_attempt_at
    first_of_two = messages(session, two)[0].next_attempt_at
    assert first_of_two - last_of_one == timedelta(seconds=10)


def test_pause_holds_back_resume_spaces_again_and_cancel_drops(session, db_url, shop):
    admin, tpl = shop
    campaign_id = started(session, db_url, admin, tpl)
    run_like_app(session, campaigns.pause, actor=admin, campaign_id=campaign_id)
    recorder = Recorder()
    session.execute(update(OutboxMessage).where(OutboxMessage.campaign_id == campaign_id)
                    .values(next_attempt_at=utcnow() - timedelta(minutes=1)))
    session.commit()
    outbox.run_once(senders={"email": recorder}, database_url=db_url)
    assert recorder.sent == []  # paused: nothing goes
    assert campaigns.report(session=session, actor=admin, campaign_id=campaign_id)["paused"] == 2
    with pytest.raises(Conflict):
        run_like_app(session, campaigns.pause, actor=admin, campaign_id=campaign_id)
    run_like_app(session, campaigns.resume, actor=admin, campaign_id=campaign_id)
    run_jobs(db_url)
    session.expire_all()
    assert session.get(Campaign, campaign_id).status == "sending"
    queued = messages(session, campaign_id)
    assert [m.status for m in queued] == ["queued", "queued"]
    assert len(session.execute(select(CampaignRecipient).where(
        CampaignRecipient.campaign_id == campaign_id)).all()) == 2  # resumed: nobody twice
    outbox.run_once(senders={"email": recorder}, database_url=db_url)
    assert recorder.sent == ["ana@example.com"]  # spaced again from now
    run_like_app(session, campaigns.cancel, actor=admin, campaign_id=campaign_id)
    session.expire_all()
    assert [m.status for m in messages(session, campaign_id)] == ["sent", "cancelled"]
    assert session.get(Campaign, campaign_id).status == "cancelled"


def test_a_preparation_cut_short_finishes_without_sending_twice(session, db_url, shop, monkeypatch):
    admin, tpl = shop
    campaign = draft(session, admin, tpl.id)
    run_like_app(session, campaigns.start, actor=admin, campaign_id=campaign.id)
    real_batch, calls = prepare._batch, []

    def dying_after_one(*args, **kwargs):
        if calls:
            raise RuntimeError("kill -9")
        calls.append(1)
        return real_batch(*args, **kwargs)

    # One customer a page (the segment's walk is services/customer_selection's).
    monkeypatch.setattr(sys.modules["crm_app.services.customer_selection"], "MAX_PAGE", 1)
    monkeypatch.setattr(prepare, "_batch", dying_after_one)
    run_jobs(db_url)
    session.expire_all()
    assert session.get(Campaign, campaign.id).status == "paused"  # failed: held, for the admin to resume
    done_before = len(messages(session, campaign.id))
    assert done_before == 1
    monkeypatch.setattr(prepare, "_batch", real_batch)
    run_like_app(session, campaigns.resume, actor=admin, campaign_id=campaign.id)
    run_jobs(db_url)
    session.expire_all()
    sent = messages(session, campaign.id)
    assert sorted(m.recipient for m in sent) == ["ana@example.com", "carla@example.com"]
    assert session.get(Campaign, campaign.id).status == "sending"


def test_a_scheduled_campaign_starts_when_due(session, db_url, shop):
    admin, tpl = shop
    campaign = draft(session, admin, tpl.id)
    with pytest.raises(ValidationFailed) as refused:
        run_like_app(session, campaigns.start, actor=admin, campaign_id=campaign.id,
                     scheduled_at=utcnow() - timedelta(minutes=1))
    assert set(refused.value.errors) == {"scheduled_at"}
    run_like_app(session, campaigns.start, actor=admin, campaign_id=campaign.id,
                 scheduled_at=utcnow() + timedelta(hours=1))
    run_jobs(db_url)
    session.expire_all()
    assert session.get(Campaign, campaign.id).status == "scheduled"  # not yet
    session.execute(update(Campaign).where(Campaign.id == campaign.id)
                    .values(scheduled_at=utcnow() - timedelta(seconds=1)))
    session.commit()
    run_jobs(db_url)  # the tick queues it, then it is prepared
    session.expire_all()
    assert session.get(Campaign, campaign.id).status == "sending"
    assert len(messages(session, campaign.id)) == 2


def test_a_draft_is_checked_edited_and_deleted_but_a_started_one_is_kept(session, db_url, shop):
    admin, tpl = shop
    with pytest.raises(ValidationFailed) as refused:
        run_like_app(session, campaigns.create_campaign, actor=admin,
                     data=CampaignInput(name=" ", template_id=None))
    assert set(refused.value.errors) == {"name", "template_id"}
    sms = run_like_app(session, templates.save_template, actor=admin,
                       data=templates.TemplateInput("sms", "Aviso", body="Hola"))
    with pytest.raises(ValidationFailed) as refused:
        draft(session, admin, sms.id)
    assert set(refused.value.errors) == {"template_id"}
    campaign = draft(session, admin, tpl.id, query="tags=vip&after=xyz&trash=1&bogus=1")
    assert campaign.query == "tags=vip"  # read as the list reads it, never the trash
    changed = run_like_app(session, campaigns.update_campaign, actor=admin, campaign_id=campaign.id,
                           data=CampaignInput(name="Navidad", template_id=tpl.id, query="consent=1"))
    assert (changed.name, changed.query) == ("Navidad", "consent=1")
    other = started(session, db_url, admin, tpl)
    with pytest.raises(Conflict):
        run_like_app(session, campaigns.delete_campaign, actor=admin, campaign_id=other)
    run_like_app(session, campaigns.delete_campaign, actor=admin, campaign_id=campaign.id)
    assert session.get(Campaign, campaign.id) is None
    page = campaigns.list_campaigns(session=session, actor=admin)
    assert [c.id for c in page.rows] == [other] and page.rows[0].sent == 0


def test_segments_are_saved_normalized_and_named_once(session, shop):
    admin, _ = shop
    saved = run_like_app(session, campaigns.save_segment, actor=admin, name=" VIP ",
                         query="tags=vip&sort=-created")
    assert (saved.name, saved.query) == ("VIP", "tags=vip")
    with pytest.raises(ValidationFailed) as refused:
        run_like_app(session, campaigns.save_segment, actor=admin, name="VIP", query="consent=1")
    assert set(refused.value.errors) == {"name"}
    assert [s.name for s in campaigns.list_segments(session=session, actor=admin)] == ["VIP"]
    run_like_app(session, campaigns.delete_segment, actor=admin, segment_id=saved.id)
    assert campaigns.list_segments(session=session, actor=admin) == []


def test_the_test_send_goes_to_the_admin_only(session, db_url, shop):
    admin, tpl = shop
    campaign = draft(session, admin, tpl.id)
    address = run_like_app(session, campaigns.send_test, actor=admin, campaign_id=campaign.id)
    assert address == admin.email
    test = session.execute(select(OutboxMessage).where(OutboxMessage.recipient == admin.email)).scalar_one()
    assert test.subject == "[Prueba] Hola Ana" and test.campaign_id is None and test.customer_id is None


def test_recipients_page_by_status(session, db_url, shop):
    admin, tpl = shop
    campaign_id = started(session, db_url, admin, tpl)
    session.execute(update(OutboxMessage).where(OutboxMessage.campaign_id == campaign_id,
                                                OutboxMessage.recipient == "carla@example.com")
                    .values(status="failed", last_error="550 mailbox unavailable"))
    session.commit()
    page = campaigns.list_recipients(session=session, actor=admin, campaign_id=campaign_id, limit=1)
    assert [r.address for r in page.rows] == ["ana@example.com"] and page.next_cursor
    rest = campaigns.list_recipients(session=session, actor=admin, campaign_id=campaign_id,
                                     after=page.next_cursor)
    assert [(r.address, r.status, r.error) for r in rest.rows] == [
        ("carla@example.com", "failed", "550 mailbox unavailable")]
    failed = campaigns.list_recipients(session=session, actor=admin, campaign_id=campaign_id, status="failed")
    assert [r.customer_name for r in failed.rows] == ["Carla Prueba"]
    assert campaigns.report(session=session, actor=admin, campaign_id=campaign_id)["failed"] == 1


def test_other_organizations_and_sales_users_are_refused(session, db_url, shop):
    admin, tpl = shop
    campaign_id = started(session, db_url, admin, tpl)
    _, intruder = make_org(session, "Otra")
    for call in (campaigns.get_campaign, campaigns.report, campaigns.pause, campaigns.cancel,
                 campaigns.list_recipients, campaigns.send_test):
        with pytest.raises(NotFound):
            call(session=session, actor=intruder, campaign_id=campaign_id)
    session.rollback()
    with pytest.raises(ValidationFailed) as refused:  # another organization's template
        draft(session, intruder, tpl.id)
    assert set(refused.value.errors) == {"template_id"}
    assert campaigns.list_campaigns(session=session, actor=intruder).rows == ()
    _, seller, _ = make_user(session, admin)
    for call in (lambda: campaigns.list_campaigns(session=session, actor=seller),
                 lambda: campaigns.audience(session=session, actor=seller, query=""),
                 lambda: campaigns.get_campaign(session=session, actor=seller, campaign_id=campaign_id)):
        with pytest.raises(Forbidden):
            call()
    jobs_of_intruder = session.execute(select(func.count()).select_from(Job)
                                       .where(Job.organization_id == intruder.organization_id)).scalar_one()
    assert jobs_of_intruder == 0


def test_resuming_a_prepared_campaign_adds_nobody_who_joined_the_segment_since(session, db_url, shop):
    admin, tpl = shop
    campaign_id = started(session, db_url, admin, tpl)
    run_like_app(session, campaigns.pause, actor=admin, campaign_id=campaign_id)
    customer(session, admin, "Elena", ("elena@example.com", True))  # a new vip, after the start
    run_like_app(session, campaigns.resume, actor=admin, campaign_id=campaign_id)
    run_jobs(db_url)
    session.expire_all()
    addresses = sorted(m.recipient for m in messages(session, campaign_id))
    assert addresses == ["ana@example.com", "carla@example.com"]
    campaign = session.get(Campaign, campaign_id)
    assert (campaign.status, campaign.recipients, campaign.excluded) == ("sending", 2, 1)
