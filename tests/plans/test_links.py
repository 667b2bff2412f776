"""Plans read the latest structured conversation (evidence) and the latest intervention
checkpoint (interventions) through plans/links.py."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core.roles import Role
from evidence.services import conversation_create
from interventions.services import checkpoint_record
from pupils.models import SenStatus
from tests.factories import (
    InterventionPlaceFactory,
    InterventionRunFactory,
    MembershipFactory,
    PlanTargetFactory,
    PupilFactory,
    SupportPlanFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def senco():
    return MembershipFactory(role=Role.SENCO)


def test_latest_conversation_sits_beside_the_plan_form_and_prefills_it(client, senco):
    pupil = PupilFactory(school=senco.school, sen_status=SenStatus.SEN_SUPPORT)
    for day, hope in (
        (datetime.date(2025, 3, 4), "Older hope"),
        (datetime.date(2025, 10, 14), "Go to Scouts"),
    ):
        conversation_create(
            pupil=pupil,
            by=senco.user,
            date=day,
            attended="Mother, class teacher",
            led_by="teacher",
            barriers="Gets tired after lunch",
            aspirations=hope,
            curricular_target=f"Reads a chapter book by {day:%B}",
            wider_target="Joins a club outside school",
        )
    client.force_login(senco.user)
    url = reverse("plans:plan_new", kwargs={"pk": pupil.pk})
    page = client.get(url).content.decode()
    assert "Latest structured conversation" in page and "Go to Scouts" in page and "Older hope" not in page
    assert "Reads a chapter book by October" in page
    prefilled = client.get(url, {"prefill": "conversation"}).content.decode()
    # The parents' views go into the parent voice box, the agreed targets become target rows.
    parent_voice = prefilled.split('name="parent_voice"')[1].split("</textarea>")[0]
    assert "Aspirations: Go to Scouts" in parent_voice
    assert "Barriers to learning, as the parents see them: Gets tired after lunch" in parent_voice
    assert 'name="t-0-target"' in prefilled
    target_0 = prefilled.split('name="t-0-target"')[1].split("</textarea>")[0]
    assert "Reads a chapter book by October" in target_0
    # On an existing plan, the parents' views are added to what the plan already says.
    plan = SupportPlanFactory(pupil=pupil, parent_voice="Wants more homework")
    PlanTargetFactory(plan=plan, target="Counts to 50")
    url = reverse("plans:plan_edit", kwargs={"pk": plan.pk})
    prefilled = client.get(url, {"prefill": "conversation"}).content.decode()
    parent_voice = prefilled.split('name="parent_voice"')[1].split("</textarea>")[0]
    assert "Wants more homework" in parent_voice and "Go to Scouts" in parent_voice
    rows = [prefilled.split(f'name="t-{i}-target"')[1].split("</textarea>")[0] for i in range(3)]
    assert "Counts to 50" in rows[0] and "Reads a chapter book" in rows[1] and "Joins a club" in rows[2]


def test_plan_shows_the_latest_checkpoint_of_the_interventions_it_names(client, senco):
    pupil = PupilFactory(school=senco.school, sen_status=SenStatus.SEN_SUPPORT)
    old_run = InterventionRunFactory(intervention__school=senco.school, start_date=datetime.date(2024, 9, 9))
    new_run = InterventionRunFactory(intervention=old_run.intervention, start_date=datetime.date(2025, 9, 15))
    old_place = InterventionPlaceFactory(run=old_run, pupil=pupil)
    new_place = InterventionPlaceFactory(run=new_run, pupil=pupil)
    for place, week, score in ((old_place, 6, "12"), (new_place, 3, "18"), (new_place, 6, "23.5")):
        checkpoint_record(place=place, week=week, score=Decimal(score), note="", by=senco.user)
    plan = SupportPlanFactory(pupil=pupil)
    PlanTargetFactory(plan=plan, intervention=old_run.intervention)
    client.force_login(senco.user)
    page = client.get(reverse("plans:plan", kwargs={"pk": plan.pk})).content.decode()
    # The latest run's latest week: week 6 of the 2025 run, 23.5 (not week 6 of 2024, 12).
    assert "Latest checkpoint: end of week 6, score 23.5" in page
