"""The campaigns' pace in /settings (issue 15): admins set 1..600 e-mails a minute, each organization its
own; a value out of range or not a whole number is refused on its field and nothing changes; the change is
in the activity log; SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from crm_app.domain.errors import Forbidden, ValidationFailed
from crm_app.models import ActivityLog, Organization
from crm_app.services import admin_settings as admin
from tests.db import run_like_app
from tests.factories import make_org, make_user


def pace_of(session, actor) -> int:
    session.expire_all()
    return session.get(Organization, actor.organization_id).campaign_per_minute


def test_an_admin_sets_the_pace_of_his_organization_only(session):
    _, owner = make_org(session)
    _, other = make_org(session, "Beta")
    assert pace_of(session, owner) == 60  # the default

    assert run_like_app(session, admin.set_campaign_pace, actor=owner, per_minute=600) == 600
    assert run_like_app(session, admin.set_campaign_pace, actor=owner, per_minute=1) == 1

    assert (pace_of(session, owner), pace_of(session, other)) == (1, 60)
    logged = session.execute(select(ActivityLog.detail).where(
        ActivityLog.organization_id == owner.organization_id, ActivityLog.kind == "settings.campaign_pace")
        .order_by(ActivityLog.id)).scalars().all()
    assert [json.loads(d) for d in logged] == [
        {"before": {"per_minute": 60}, "after": {"per_minute": 600}},
        {"before": {"per_minute": 600}, "after": {"per_minute": 1}},
    ]


@pytest.mark.parametrize("value", [0, 601, -5, None, True])
def test_a_pace_out_of_range_is_refused_on_its_field(session, value):
    _, owner = make_org(session)
    run_like_app(session, admin.set_campaign_pace, actor=owner, per_minute=120)
    with pytest.raises(ValidationFailed) as refused:
        run_like_app(session, admin.set_campaign_pace, actor=owner, per_minute=value)
    error = refused.value.errors["campaign_per_minute"]
    assert (error.code, error.params) == ("campaign_pace_range", {"min": 1, "max": 600})
    assert pace_of(session, owner) == 120


def test_a_sales_user_may_not_change_the_pace(session):
    _, owner = make_org(session)
    _, seller, _ = make_user(session, owner)
    with pytest.raises(Forbidden):
        run_like_app(session, admin.set_campaign_pace, actor=seller, per_minute=300)
    assert pace_of(session, owner) == 60
