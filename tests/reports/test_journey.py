"""The pupil's journey (issue 14, item 5): the PDF read back with the pupil's events in date order,
the anonymised journey without a name, initials, UPN or date of birth (the pupil's or any other
pupil's), who may open it, and a query count that does not grow with the pupil's history."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import SupportObservation
from attendance.models import Attendance, Exclusion
from core.roles import Role
from core.words import letters
from interventions.models import Intervention, InterventionSession, SessionAttendance
from plans.models import SupportPlan
from pupils.access_log import pupil_access_log
from pupils.models import ExternalAgency, SenStatus, SenStatusChange
from reports.journey import Redactor
from tests.factories import (
    ConversationFactory,
    EvidenceItemFactory,
    InterventionPlaceFactory,
    InterventionRunFactory,
    MembershipFactory,
    PlanTargetFactory,
    PupilFactory,
    SchoolClassFactory,
    SchoolFactory,
    SupportPlanFactory,
)
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    school = SchoolFactory(name="Larkfield Primary", suppression_threshold=5)
    school.members = {role: MembershipFactory(school=school, role=role) for role in Role}
    return school


def history_of(pupil, school, *, friend, extra_plans=0):
    """The dated record of one pupil; `friend` is another pupil of the school named in notes.

    In date order:
      03/10/2024 concern (observation notes)     28/11/2024 placed on SEN support (56 days later)
      02/12/2024 plan 1 starts                   06/01/2025 Lexia starts
      10/02/2025 suspension (1 day)              21/03/2025 plan 1 reviewed
      28/03/2025 Lexia finishes                  30/04/2025 conversation with the family
      15/05/2025 report from an outside agency
    """
    senco = school.members[Role.SENCO].user
    SenStatusChange.objects.create(
        pupil=pupil, status=SenStatus.NONE, effective_date=datetime.date(2024, 9, 2)
    )
    SenStatusChange.objects.create(
        pupil=pupil,
        status=SenStatus.SEN_SUPPORT,
        effective_date=datetime.date(2024, 11, 28),
        note=f"Placed after the SENCO's assessment; {pupil.legal_forename}'s mother agreed.",
    )
    pupil.sen_status = SenStatus.SEN_SUPPORT
    pupil.save()
    EvidenceItemFactory(
        school=school,
        source="observation_notes",
        date=datetime.date(2024, 10, 3),
        summary=f"{pupil.legal_forename} cannot copy from the board; sits beside {friend.legal_forename} "
        f"{friend.legal_surname}.",
    ).pupils.add(pupil)
    plan = SupportPlanFactory(
        pupil=pupil,
        number=1,
        starts_on=datetime.date(2024, 12, 2),
        review_date=datetime.date(2025, 3, 21),
        status=SupportPlan.Status.REVIEWED,
        reviewed_on=datetime.date(2025, 3, 21),
        needs=f"{pupil.initials[0]}.{pupil.initials[1]}. finds copying hard.",
        pupil_voice=f"I like working with {friend.preferred_forename or friend.legal_forename}.",
        review_summary="Keep the word cards.",
    )
    PlanTargetFactory(plan=plan, target="Copies a sentence from the board", score=1)
    PlanTargetFactory(plan=plan, target="Reads 20 common exception words", score=-1)
    previous = plan
    for n in range(extra_plans):
        start = datetime.date(2025, 4, 1) + datetime.timedelta(days=100 * n)
        previous = SupportPlanFactory(
            pupil=pupil,
            number=n + 2,
            previous=previous,
            starts_on=start,
            review_date=start + datetime.timedelta(days=80),
            status=SupportPlan.Status.REVIEWED,
            reviewed_on=start + datetime.timedelta(days=80),
        )
        PlanTargetFactory(plan=previous, score=0)
        ConversationFactory(pupil=pupil, date=start + datetime.timedelta(days=10), recorded_by=senco)
        Exclusion.objects.create(
            pupil=pupil, start_date=start + datetime.timedelta(days=20), days=Decimal("0.5")
        )
        SupportObservation.objects.create(
            pupil=pupil, observed_on=start + datetime.timedelta(days=5), level=3, observer=senco
        )
    run = InterventionRunFactory(
        intervention=Intervention.objects.get_or_create(school=school, name="Lexia Catch-up")[0],
        start_date=datetime.date(2025, 1, 6),
        end_date=datetime.date(2025, 3, 28),
    )
    place = InterventionPlaceFactory(
        run=run,
        pupil=pupil,
        baseline=Decimal("10"),
        exit_score=Decimal("16"),
        exit_criteria_met=True,
        progress_details=f"{pupil.legal_forename} read 40 words.",
    )
    for day, present in ((7, True), (14, True), (21, False)):
        session = InterventionSession.objects.create(
            run=run, date=datetime.date(2025, 1, day), minutes=45, delivered_by=senco
        )
        SessionAttendance.objects.create(session=session, place=place, present=present)
    Exclusion.objects.create(
        pupil=pupil,
        start_date=datetime.date(2025, 2, 10),
        days=Decimal("1"),
        reason=f"Hit {friend.legal_forename} {friend.legal_surname} at lunch.",
    )
    ConversationFactory(
        pupil=pupil,
        date=datetime.date(2025, 4, 30),
        attended=f"Mrs {pupil.legal_surname} (mother), class teacher",
        barriers=f"{pupil.legal_forename} is tired after swimming.",
        recorded_by=senco,
    )
    EvidenceItemFactory(
        school=school,
        source="agency_report",
        date=datetime.date(2025, 5, 15),
        summary=f"EP report for {pupil.legal_forename} {pupil.legal_surname}, UPN {pupil.upn}, born "
        f"{pupil.date_of_birth:%d/%m/%Y}.",
    ).pupils.add(pupil)
    pupil.agencies.add(ExternalAgency.objects.get_or_create(name="Educational psychology")[0])
    Attendance.objects.create(
        pupil=pupil, academic_year=2024, term=1, possible_sessions=140, attended_sessions=126
    )


@pytest.fixture
def maisie(school):
    friend = PupilFactory(
        school=school, legal_forename="Theodore", preferred_forename="Theo", legal_surname="Brennan"
    )
    PupilFactory.create_batch(3, school=school)
    pupil = PupilFactory(
        school=school,
        legal_forename="Maisie",
        legal_surname="Oakley",
        date_of_birth=datetime.date(2016, 3, 1),
    )
    history_of(pupil, school, friend=friend)
    return pupil


def login(client, school, role):
    client.force_login(school.members[role].user)


# In date order; each title is printed once in the journey.
EVENTS_IN_ORDER = [
    "Concern first recorded (observation notes)",
    "Need identified: placed on SEN support",
    "SEN support plan 1 started",
    "Started Lexia Catch-up",
    "Suspension of 1 day",
    "SEN support plan 1 reviewed",
    "Finished Lexia Catch-up",
    "Structured conversation with the family",
    "Report from an outside agency",
]


def test_the_journey_pdf_reads_back_the_events_in_date_order(client, school, maisie):
    login(client, school, Role.SENCO)
    response = client.get(reverse("reports:journey", args=[maisie.pk]) + "?format=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    positions = [text.find(title) for title in EVENTS_IN_ORDER]
    assert -1 not in positions, [t for t, p in zip(EVENTS_IN_ORDER, positions, strict=True) if p == -1]
    assert positions == sorted(positions)
    # Concern 03/10/2024 to identification 28/11/2024: 28 days of October after the 3rd, 30 of
    # November... counted: 3 Oct -> 3 Nov is 31 days, 3 Nov -> 28 Nov is 25: 56 days, 8 weeks.
    assert "8 weeks (56 days)" in text
    # The plan's review: targets scored +1 and -1: one met (0 or better) of two.
    assert "1 of 2 targets met" in text
    # Lexia: two 45-minute sessions attended of three held: 1.5 hours, 67% (2/3); 10 to 16.
    assert "1.5 hours attended, sessions 67% (2/3); 10 to 16 (+6); exit criteria met" in text
    # The named version names the pupil.
    assert "Maisie Oakley" in text
    assert "Educational psychology" in text


def _names_pattern(pupils):
    words = set()
    for p in pupils:
        for name in (p.legal_forename, p.preferred_forename, p.legal_surname):
            if name:
                words.add(name)
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


def test_the_anonymised_journey_names_no_pupil(client, school, maisie):
    login(client, school, Role.SENCO)
    response = client.get(reverse("reports:journey_anonymised", args=[maisie.pk]) + "?format=pdf")
    text = pdf_text(response.content)
    page = client.get(reverse("reports:journey_anonymised", args=[maisie.pk])).content.decode()
    everyone = list(school.pupils.all())
    assert len(everyone) == 5
    for shown in (text, page):
        assert "Pupil X" in shown  # not in the sample: no letter of the sample
        assert not _names_pattern(everyone).search(shown), _names_pattern(everyone).search(shown)
        assert not re.search(r"\bM\.?\s?O\.?\b", shown)  # Maisie Oakley's initials
        assert maisie.upn not in shown
        assert "01/03/2016" not in shown and "1 March 2016" not in shown
    # The events are still there, with the names in their notes removed.
    assert "cannot copy from the board; sits beside [name removed] [name removed]" in text
    assert "Hit [name removed] [name removed] at lunch" in text
    assert "[UPN removed]" in text and "[date removed]" in text
    positions = [text.find(title) for title in EVENTS_IN_ORDER]
    assert -1 not in positions and positions == sorted(positions)


def test_the_anonymised_label_is_the_pupils_letter_in_the_sample(client, school, maisie):
    login(client, school, Role.HEAD)
    others = list(school.pupils.exclude(pk=maisie.pk)[:2])
    page = client.get(reverse("reports:journey_anonymised", args=[others[0].pk])).content.decode()
    assert "Pupil X" in page and "Pupil A" not in page  # outside the sample
    for pupil in [*others, maisie]:
        client.post(reverse("reports:sample_add", args=[pupil.pk]))
    page = client.get(reverse("reports:journey_anonymised", args=[maisie.pk])).content.decode()
    assert "Pupil C" in page  # third chosen
    page = client.get(reverse("reports:journey_anonymised", args=[others[0].pk])).content.decode()
    assert "Pupil A" in page
    client.post(reverse("reports:sample_remove", args=[others[0].pk]))
    page = client.get(reverse("reports:journey_anonymised", args=[maisie.pk])).content.decode()
    assert "Pupil C" in page  # the others keep their letters


def test_letters_run_past_z():
    assert [letters(n) for n in (1, 2, 26, 27, 28)] == ["A", "B", "Z", "AA", "AB"]


def test_the_redactor_removes_names_initials_upns_and_the_date_of_birth(school):
    pupil = PupilFactory(
        school=school,
        legal_forename="Anne-Marie",
        legal_surname="O'Neill",
        date_of_birth=datetime.date(2015, 7, 4),
    )
    PupilFactory(school=school, legal_forename="Will", legal_surname="Hart")
    clean = Redactor(pupil)
    assert clean("Anne-Marie and anne talked to WILL HART.") == (
        "[name removed] and [name removed] talked to [name removed] [name removed]."
    )
    assert clean("AO and A.O. and A. O. met; ao is lower case.") == (
        "[name removed] and [name removed] and [name removed] met; ao is lower case."
    )
    assert clean("Mrs O'Neill rang on 4 July 2015 (04/07/2015), UPN A123456789012.") == (
        "Mrs [name removed] rang on [date removed] ([date removed]), UPN [UPN removed]."
    )
    # A name inside another word is left alone.
    assert clean("Willow and Hartley") == "Willow and Hartley"


def test_who_may_open_a_journey(client, school, maisie):
    teacher = school.members[Role.TEACHER]
    maisie.school_class = SchoolClassFactory(school=school)
    maisie.save()
    maisie.school_class.teachers.add(teacher.user)
    for role, expected in [
        (Role.SENCO, 200),
        (Role.HEAD, 200),
        (Role.TEACHER, 403),  # even the pupil's own teacher: the journey is the leaders' evidence
        (Role.TEACHING_ASSISTANT, 403),
        (Role.GOVERNOR, 403),
        (Role.TRUST_LEAD, 403),
    ]:
        login(client, school, role)
        for name in ("reports:journey", "reports:journey_anonymised"):
            assert client.get(reverse(name, args=[maisie.pk])).status_code == expected, (role, name)


def test_a_pupil_of_another_school_is_not_found(client, school, maisie):
    other = PupilFactory()
    login(client, school, Role.SENCO)
    assert client.get(reverse("reports:journey", args=[other.pk])).status_code == 404


def test_opening_a_journey_is_logged_on_the_pupils_record(client, school, maisie):
    login(client, school, Role.HEAD)
    client.get(reverse("reports:journey_anonymised", args=[maisie.pk]) + "?format=pdf")
    entry = pupil_access_log(maisie).get()
    assert (entry.user, entry.how, entry.detail) == (
        school.members[Role.HEAD].user,
        "pdf",
        "Pupil's journey (anonymised) PDF",
    )


def test_queries_do_not_grow_with_the_pupils_history(client, school, maisie):
    friend = school.pupils.get(legal_surname="Brennan")
    longer = PupilFactory(school=school, legal_forename="Ada", legal_surname="Quill")
    history_of(longer, school, friend=friend, extra_plans=4)
    login(client, school, Role.SENCO)
    # The school's first access-log entry also makes its chain head: open one page first.
    client.get(reverse("reports:journey_anonymised", args=[maisie.pk]))
    counts = []
    for pupil in (maisie, longer):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("reports:journey_anonymised", args=[pupil.pk]))
        assert response.status_code == 200
        counts.append(len(queries))
    page = response.content.decode()
    assert "SEN support plan 5 reviewed" in page  # the longer history is on the page
    assert counts[0] == counts[1], counts


def test_a_concern_raised_record_starts_the_journey(client, school, maisie):
    """A dated concern (pupils.Concern) earlier than the evidence the journey read before is the
    first concern: 12 Sep 2024 to the identification on 28 Nov 2024 is 18 + 31 + 28 = 77 days."""
    from pupils.models import Concern

    Concern.objects.create(
        pupil=maisie,
        raised_on=datetime.date(2024, 9, 12),
        raised_by="parent",
        summary="Struggles to settle to reading.",
    )
    login(client, school, Role.SENCO)
    text = client.get(reverse("reports:journey", args=[maisie.pk])).content.decode()
    assert "Concern first recorded (parent or carer)" in text
    assert "Struggles to settle to reading." in text and "77 days" in text
