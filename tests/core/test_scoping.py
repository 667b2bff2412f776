"""The pupil-scoped queryset base (core.scoping) and the pupil-visibility rule it relies on.

Uses the shared two-school world (conftest.py): in each school a class pupil taught by the
teacher, a group pupil in the teaching assistant's run, and a pupil in neither.
"""

import datetime

import pytest

from attendance.models import Attendance
from core.roles import Role
from evidence.models import Conversation
from interventions.models import InterventionPlace, InterventionRun
from plans.models import PlanTarget
from pupils.models import Pupil
from tests.factories import (
    ConversationFactory,
    InterventionPlaceFactory,
    InterventionRunFactory,
    PlanTargetFactory,
    SupportPlanFactory,
)

pytestmark = pytest.mark.django_db

# Whose records each role reads, by the README's access rules.
READS = {
    Role.SENCO: {"class", "group", "other"},
    Role.HEAD: {"class", "group", "other"},
    Role.TEACHER: {"class"},
    Role.TEACHING_ASSISTANT: {"group"},
    Role.GOVERNOR: set(),
    Role.TRUST_LEAD: set(),
}


def pupils_of(home):
    return {"class": home.class_pupil, "group": home.group_pupil, "other": home.other_pupil}


def attendance_of(pupil):
    return Attendance.objects.create(
        pupil=pupil, academic_year=2024, term=1, possible_sessions=140, attended_sessions=130
    )


@pytest.mark.parametrize("role", list(Role))
def test_records_follow_the_pupils_each_role_may_see(world, role):
    home, away = world["A"], world["B"]
    rows = {key: attendance_of(pupil) for key, pupil in pupils_of(home).items()}
    attendance_of(away.class_pupil)
    seen = set(Attendance.objects.for_membership(home.members[role]).values_list("pk", flat=True))
    assert seen == {rows[key].pk for key in READS[role]}


@pytest.mark.parametrize("role", [Role.SENCO, Role.TEACHER])
def test_the_records_of_a_pupil_who_has_left_stay_readable(world, role):
    home = world["A"]
    pupil = home.class_pupil
    record = attendance_of(pupil)
    Pupil.objects.filter(pk=pupil.pk).update(archived_at=datetime.datetime(2025, 7, 20, tzinfo=datetime.UTC))
    member = home.members[role]
    # The pupil has left the roll, so the pupil list no longer shows them...
    assert not Pupil.objects.for_membership(member).filter(pk=pupil.pk).exists()
    # ...but their page and its records still open for those who could open them.
    assert Pupil.objects.for_membership(member, include_archived=True).filter(pk=pupil.pk).exists()
    assert list(Attendance.objects.for_membership(member)) == [record]


def test_the_pupil_is_found_through_a_longer_path(world):
    """PlanTarget reaches its pupil through plan__pupil: the teacher reads the targets of their
    class pupil's plan and not those of the other pupil's."""
    home = world["A"]
    theirs = PlanTargetFactory(plan=SupportPlanFactory(pupil=home.class_pupil))
    PlanTargetFactory(plan=SupportPlanFactory(pupil=home.other_pupil))
    assert list(PlanTarget.objects.for_membership(home.members[Role.TEACHER])) == [theirs]
    assert PlanTarget.objects.for_membership(home.members[Role.SENCO]).count() == 2


def test_for_school_counts_every_pupil_of_the_school_and_no_other(world):
    home, away = world["A"], world["B"]
    for pupil in home.pupils + [away.class_pupil]:
        ConversationFactory(pupil=pupil, recorded_by=home.members[Role.SENCO].user)
    assert Conversation.objects.for_school(home.school).count() == 3
    assert Conversation.objects.for_school(away.school).count() == 1


def test_a_pupil_in_two_of_the_assistants_runs_is_listed_once(world):
    home = world["A"]
    assistant = home.members[Role.TEACHING_ASSISTANT]
    second = InterventionRunFactory(intervention__school=home.school)
    second.staff.add(assistant.user)
    InterventionPlaceFactory(run=second, pupil=home.group_pupil)
    assert list(Pupil.objects.for_membership(assistant)) == [home.group_pupil]
    assert set(InterventionRun.objects.for_membership(assistant)) == {home.run, second}
    assert InterventionPlace.objects.for_membership(assistant).count() == 2


def test_no_membership_reads_no_record(world):
    attendance_of(world["A"].class_pupil)
    assert not Attendance.objects.for_membership(None).exists()
    assert not Pupil.objects.for_membership(None).exists()
