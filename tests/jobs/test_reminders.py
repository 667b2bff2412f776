"""EHC annual review reminders: one e-mail per school to its SENCOs, once per plan and due date."""

import datetime

import pytest
from django.core import mail

from core.roles import Role
from plans.models import ReviewReminder
from plans.reminders import send_all_reminders
from tests.factories import EhcPlanFactory, MembershipFactory, PupilFactory

TODAY = datetime.date(2026, 3, 2)
LEFT = datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC)


def plan_due(school, due, **pupil):
    return EhcPlanFactory(pupil=PupilFactory(school=school, **pupil), next_review_due=due)


@pytest.fixture
def plans(school, senco):
    senco.user.email = "senco@oakfield.example"
    senco.user.save()
    return {
        "overdue": plan_due(school, datetime.date(2026, 2, 20)),
        "soon": plan_due(school, datetime.date(2026, 3, 30)),  # 4 weeks ahead
        "edge": plan_due(school, datetime.date(2026, 4, 27)),  # exactly 8 weeks ahead: due soon
        "later": plan_due(school, datetime.date(2026, 4, 28)),  # 8 weeks and a day: not yet
        "left": plan_due(school, datetime.date(2026, 2, 1), archived_at=LEFT),
    }


def test_one_email_names_how_many_and_no_pupil(plans, school):
    # overdue: 1 (the archived pupil's plan is not counted); due soon: "soon" and "edge".
    assert send_all_reminders(TODAY) == 3
    [email] = mail.outbox
    assert email.to == ["senco@oakfield.example"]
    assert "3 annual reviews of EHC plans need arranging: 1 is overdue and 2 fall due" in email.body
    for plan in plans.values():
        assert plan.pupil.legal_surname not in email.body and plan.pupil.legal_forename not in email.body
    assert "/plans/" in email.body


def test_nothing_is_sent_twice_and_a_new_due_date_is_told_again(plans):
    send_all_reminders(TODAY)
    assert send_all_reminders(TODAY) == 0
    assert len(mail.outbox) == 1
    # The overdue review is held; the next is due a year on: nothing until eight weeks before it.
    overdue = plans["overdue"]
    overdue.next_review_due = datetime.date(2027, 2, 20)
    overdue.save()
    assert send_all_reminders(TODAY) == 0
    assert send_all_reminders(datetime.date(2026, 12, 26)) == 2  # 2027-02-20 and "later" (already past)
    assert ReviewReminder.objects.filter(ehc_plan=overdue).count() == 2


def test_a_school_without_a_senco_address_is_not_marked_as_told(school, plans, senco):
    senco.user.email = ""
    senco.user.save()
    assert send_all_reminders(TODAY) == 0
    assert not mail.outbox and not ReviewReminder.objects.exists()


def test_each_school_hears_only_of_its_own(plans, other_school):
    theirs = MembershipFactory(school=other_school, role=Role.SENCO)
    theirs.user.email = "senco@riverside.example"
    theirs.user.save()
    plan_due(other_school, datetime.date(2026, 3, 9))
    send_all_reminders(TODAY)
    bodies = {tuple(email.to): email.body for email in mail.outbox}
    theirs_told = bodies[("senco@riverside.example",)]
    assert "Riverside: 1 annual review of an EHC plan needs arranging: 1 falls due" in theirs_told
    assert bodies[("senco@oakfield.example",)].startswith("Oakfield: 3 annual reviews")
