"""The pupil page's timeline: every source, newest first, in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import AssessmentPoint, AttainmentBand, Subject
from assessment.selectors import pupil_assessments, support_observations
from attendance.models import Attendance, Exclusion
from attendance.selectors import pupil_attendance_summary
from core.roles import Role
from evidence.timeline import pupil_timeline
from pupils.models import SenStatus
from tests.factories import (
    ConversationFactory,
    EvidenceItemFactory,
    InterventionPlaceFactory,
    InterventionRunFactory,
    SenStatusChangeFactory,
    assessment_create,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def history(world_school, pupil, years):
    """`years` academic years of everything for one pupil, from 2025/26 backwards."""
    school = world_school.school
    senco = world_school.members[Role.SENCO].user
    band = AttainmentBand.objects.get_or_create(school=school, order=1, code="OT", label="On track")[0]
    subjects = [
        Subject.objects.get_or_create(school=school, name=n, order=i)[0]
        for i, n in enumerate(["Reading", "Maths"])
    ]
    for y in range(2025, 2025 - years, -1):
        SenStatusChangeFactory(pupil=pupil, status=SenStatus.SEN_SUPPORT, effective_date=D(y, 9, 20))
        for order in (1, 2, 3):
            point = AssessmentPoint.objects.create(
                school=school,
                academic_year=y,
                order=order,
                name=f"Term {order}",
                starts_on=D(y, 9, 1) + datetime.timedelta(days=120 * (order - 1)),
            )
            for subject in subjects:
                assessment_create(
                    pupil=pupil, point=point, subject=subject, attainment=band, points=Decimal("12.5")
                )
        Attendance.objects.create(
            pupil=pupil, academic_year=y, term=1, possible_sessions=140, attended_sessions=120
        )
        Exclusion.objects.create(pupil=pupil, start_date=D(y, 11, 3), days=Decimal("1.5"), reason="Fighting")
        run = InterventionRunFactory(
            intervention__school=school, start_date=D(y, 10, 1), end_date=D(y, 12, 10)
        )
        InterventionPlaceFactory(run=run, pupil=pupil)
        ConversationFactory(pupil=pupil, date=D(y, 10, 14), academic_year=y, recorded_by=senco)
        item = EvidenceItemFactory(school=school, author=senco, date=D(y, 10, 20), summary=f"Evidence {y}")
        item.pupils.set([pupil])
        _support(pupil, senco, D(y, 11, 20))


def _support(pupil, observer, day):
    from assessment import models

    model = getattr(models, "SupportObservation", None)
    if model is not None:
        model.objects.create(pupil=pupil, observed_on=day, level=3, observer=observer)


def test_every_source_appears_newest_first(world):
    home = world["A"]
    pupil = home.class_pupil
    history(home, pupil, 1)
    entries = pupil_timeline(pupil=pupil, membership=home.members[Role.TEACHER])
    kinds = {e.kind for e in entries}
    assert {
        "sen",
        "assessment",
        "intervention",
        "attendance",
        "exclusion",
        "conversation",
        "evidence",
    } <= kinds
    dates = [e.date for e in entries]
    assert dates == sorted(dates, reverse=True)
    term1 = next(e for e in entries if e.title.startswith("Term 1"))
    assert term1.lines == ["Reading: On track, 12.5 points", "Maths: On track, 12.5 points"]
    attendance = next(e for e in entries if e.kind == "attendance")
    # 120 of 140 sessions = 85.7%, under 90%: persistently absent.
    assert attendance.title == "Autumn 2025/26 attendance 85.7% (persistent absence)"


def test_a_run_under_way_is_not_shown_as_finished(world):
    """On 3 December a run planned to end on 12 December has started, not finished."""
    home = world["A"]
    pupil = home.class_pupil
    today = timezone.localdate()
    run = InterventionRunFactory(
        intervention__school=home.school,
        intervention__name="Talk Boost",
        start_date=today - datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=9),
    )
    InterventionPlaceFactory(run=run, pupil=pupil)
    titles = [e.title for e in pupil_timeline(pupil=pupil, membership=home.members[Role.SENCO])]
    assert "Started Talk Boost" in titles and "Finished Talk Boost" not in titles
    run.end_date = today
    run.save()
    titles = [e.title for e in pupil_timeline(pupil=pupil, membership=home.members[Role.SENCO])]
    assert "Finished Talk Boost" in titles


def test_teacher_sees_only_evidence_they_may_read_on_the_timeline(world):
    home = world["A"]
    item = EvidenceItemFactory(school=home.school, summary="About the group pupil")
    item.pupils.set([home.group_pupil])
    assert pupil_timeline(pupil=home.group_pupil, membership=home.members[Role.TEACHING_ASSISTANT])
    # A SENCO sees it; the same pupil seen by the head too.
    assert any(
        e.kind == "evidence"
        for e in pupil_timeline(pupil=home.group_pupil, membership=home.members[Role.HEAD])
    )


@pytest.mark.parametrize("years", [1, 4])
def test_timeline_queries_do_not_grow_with_history(world, django_assert_max_num_queries, years):
    home = world["A"]
    pupil = home.class_pupil
    history(home, pupil, years)
    # SEN history, the school's points and subjects and the pupil's assessments, intervention
    # places, support scale, attendance, exclusions, conversations and their targets, evidence:
    # eleven.
    with django_assert_max_num_queries(11):
        entries = pupil_timeline(pupil=pupil, membership=home.members[Role.SENCO])
    assert len([e for e in entries if e.kind == "assessment"]) == 3 * years


def test_the_timeline_from_the_pages_reads_is_the_timeline_it_reads_itself(
    world, django_assert_max_num_queries
):
    """Given the SEN history, support observations, attendance and assessments the pupil page
    has read, the timeline is entry for entry the one it reads for itself (three years: three SEN
    changes, attendance terms, exclusions and support observations), in five queries instead of
    eleven."""
    home = world["A"]
    pupil = home.class_pupil
    history(home, pupil, 3)
    membership = home.members[Role.SENCO]
    itself = pupil_timeline(pupil=pupil, membership=membership)
    read = {
        "sen_history": list(pupil.sen_history.select_related("recorded_by")),
        "support": support_observations(pupil),
        "attendance": pupil_attendance_summary(pupil),
        "assessments": pupil_assessments(membership, pupil),
    }
    with django_assert_max_num_queries(5):
        given = pupil_timeline(pupil=pupil, membership=membership, **read)
    assert given == itself
    kinds = [e.kind for e in given]
    counted = [kinds.count(kind) for kind in ("sen", "attendance", "exclusion", "support")]
    assert counted == [3, 3, 3, 3 if read["support"] else 0]


@pytest.mark.parametrize("years", [1, 4])
def test_pupil_page_shows_the_timeline(client, world, django_assert_max_num_queries, years):
    home = world["A"]
    history(home, home.class_pupil, years)
    client.force_login(home.members[Role.TEACHER].user)
    # 32 at one year and at four years of history (the timeline adds five of them, and takes the
    # SEN history, attendance, exclusions and support observations from the panels that read them;
    # what a Common Transfer File brought, years at earlier schools and key stage results, two; the
    # other frameworks four: Engagement Model observations, statutory outcomes, and the framework
    # section's placements, which say whether the pupil is on the Engagement Model, and values).
    # The access log adds 8 whatever the number of pupils: the savepoint, the school's chain head
    # made (its first entry) and locked and read in one UPDATE ... RETURNING, the entry, its pupil
    # rows in one INSERT, the head's new hash, the savepoint released.
    with django_assert_max_num_queries(32 + 8):
        page = client.get(reverse("pupils:detail", kwargs={"pk": home.class_pupil.pk})).content.decode()
    assert 'id="timeline-h"' in page and "Evidence 2025" in page
    assert "Record a conversation with the family" in page


def test_a_value_on_another_framework_is_shown_with_its_progress(world):
    """A pupil on the pre-key stage 2 standards in Reading: PK3 at Term 1, PK4 at Term 3 of
    2025/26. The timeline shows the value on the framework, never "not assessed" (the first
    value alone: nothing to measure from), and at Term 3 the progress since the first value:
    +1 standard. Term 1 stands as at 28 April 2026 (the day before the next point, Term 3,
    starts on 29 April), Term 3 as at 31 August 2026 (the year's end): 4 whole months, and one
    standard a year is expected, so none is due yet."""
    from assessment import frameworks  # noqa: PLC0415  (this test only)

    home = world["A"]
    school, pupil = home.school, home.class_pupil
    reading = Subject.objects.get_or_create(school=school, name="Reading", order=0)[0]
    pk2 = frameworks.kit_add(school, "Pre-key stage 2 standards")
    stages = list(pk2.stages.all())
    for order, code in ((1, "PK3"), (3, "PK4")):
        point = AssessmentPoint.objects.create(
            school=school,
            academic_year=2025,
            order=order,
            name=f"Term {order}",
            starts_on=D(2025, 9, 1) + datetime.timedelta(days=120 * (order - 1)),
        )
        value = frameworks.parse(pk2, stages, code)
        assessment_create(
            pupil=pupil,
            point=point,
            subject=reading,
            framework=pk2,
            stage=value.stage,
            step=value.step,
            place=value.place,
        )
    frameworks.progress_refresh(school.pk, [(pupil.pk, reading.pk)])
    entries = pupil_timeline(pupil=pupil, membership=home.members[Role.TEACHER])
    lines = {e.title: e.lines for e in entries if e.kind == "assessment"}
    assert lines["Term 1 2025/26 assessment"] == ["Reading: PK3 on Pre-key stage 2 standards"]
    (term3,) = lines["Term 3 2025/26 assessment"]
    assert term3 == (
        "Reading: PK4 on Pre-key stage 2 standards: +1 standard this year "
        "(expected 1 standard a year: none due yet in 4 months)"
    )
