import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from interventions.models import Action, Checkpoint, InterventionPlace, InterventionSession, Priority
from tests.factories import InterventionRunFactory, MembershipFactory, PupilFactory, assessment_create
from tests.pdf import pdf_text

from .conftest import YEAR, build_cohort

pytestmark = pytest.mark.django_db


def login(client, membership):
    client.force_login(membership.user)
    return client


# -- teaching assistants see and write only their groups -----------------------------------


def test_teaching_assistant_sees_and_records_only_their_group(client, cohort):
    login(client, cohort.ta)
    listing = client.get(reverse("interventions:list")).content.decode()
    assert "Reading fluency (Year 4)" in listing
    assert reverse("interventions:run", args=[cohort.maths_run.pk]) not in listing
    assert client.get(reverse("interventions:run", args=[cohort.reading_run.pk])).status_code == 200
    assert client.get(reverse("interventions:run", args=[cohort.maths_run.pk])).status_code == 404

    own, other = cohort.reading_places[0], cohort.maths_places[0]
    response = client.post(
        reverse("interventions:checkpoint_create", args=[own.pk]), {"week": 3, "score": "12"}
    )
    assert response.status_code == 302
    assert Checkpoint.objects.get(place=own).score == Decimal("12")
    response = client.post(
        reverse("interventions:checkpoint_create", args=[other.pk]), {"week": 3, "score": "85"}
    )
    assert response.status_code == 404
    assert not Checkpoint.objects.filter(place=other).exists()
    # Entry data, baseline and exit are the SENCO's to record.
    assert client.get(reverse("interventions:place_edit", args=[own.pk])).status_code == 403
    assert (
        client.post(reverse("interventions:place_edit", args=[own.pk]), {"baseline": "1"}).status_code == 403
    )
    # Sessions: their own group only.
    sessions = InterventionSession.objects.count()
    response = client.post(
        reverse("interventions:session_create", args=[cohort.maths_run.pk]),
        {"date": "2026-02-02", "minutes": 60},
    )
    assert response.status_code == 404
    response = client.post(
        reverse("interventions:session_create", args=[cohort.reading_run.pk]),
        {"date": "2025-10-20", "minutes": 30, "present": [own.pk]},
    )
    assert response.status_code == 302
    assert InterventionSession.objects.count() == sessions + 1
    session = InterventionSession.objects.get(run=cohort.reading_run, date=datetime.date(2025, 10, 20))
    assert sorted(session.attendance.values_list("place_id", "present")) == sorted(
        [(p.pk, p.pk == own.pk) for p in cohort.reading_places]
    )
    # The impact page lists only their group's pupils.
    page = client.get(reverse("interventions:impact") + f"?year={YEAR}").content.decode()
    assert "Reader0" in page and "Counter0" not in page


def test_teacher_cannot_record_and_sees_runs_of_their_pupils_only(client, cohort):
    from tests.factories import SchoolClassFactory

    teacher = MembershipFactory(school=cohort.school, role=Role.TEACHER)
    school_class = SchoolClassFactory(school=cohort.school)
    school_class.teachers.add(teacher.user)
    reader = cohort.reading_places[0].pupil
    reader.school_class = school_class
    reader.save()
    login(client, teacher)
    response = client.post(
        reverse("interventions:checkpoint_create", args=[cohort.reading_places[0].pk]),
        {"week": 2, "score": "3"},
    )
    assert response.status_code == 403
    page = client.get(reverse("interventions:run", args=[cohort.reading_run.pk])).content.decode()
    assert "Reader0" in page and "Reader1" not in page
    assert client.get(reverse("interventions:run", args=[cohort.maths_run.pk])).status_code == 404


# -- bad input -----------------------------------------------------------------------------


def test_session_outside_the_run_is_refused_with_a_message(client, cohort):
    login(client, cohort.ta)
    before = InterventionSession.objects.count()
    response = client.post(
        reverse("interventions:session_create", args=[cohort.reading_run.pk]),
        {"date": "2025-12-01", "minutes": 30},
    )
    assert response.status_code == 400
    assert "between the run&#x27;s start and end dates" in response.content.decode()
    assert InterventionSession.objects.count() == before
    response = client.post(
        reverse("interventions:session_create", args=[cohort.reading_run.pk]),
        {"date": "not a date", "minutes": "x"},
    )
    assert response.status_code == 400


def test_checkpoint_past_the_last_week_is_refused(client, cohort):
    login(client, cohort.senco)
    place = cohort.reading_places[0]
    response = client.post(
        reverse("interventions:checkpoint_create", args=[place.pk]), {"week": 9, "score": "20"}
    )
    assert response.status_code == 400
    assert "This intervention runs for 6 weeks." in response.content.decode()
    assert not Checkpoint.objects.exists()


def test_run_ending_before_it_starts_is_refused_and_keeps_the_input(client, cohort):
    login(client, cohort.senco)
    response = client.post(
        reverse("interventions:run_create", args=[cohort.reading.pk]),
        {
            "label": "Group B",
            "start_date": "2026-01-10",
            "end_date": "2026-01-01",
            "staff": [cohort.ta.user.pk],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The run must end on or after the day it starts." in page
    assert 'value="Group B"' in page
    assert cohort.reading.runs.count() == 1


def test_pupil_with_scores_cannot_be_taken_out_of_a_run(client, cohort):
    login(client, cohort.senco)
    keep = [p.pupil.pk for p in cohort.reading_places[:2]]
    response = client.post(
        reverse("interventions:run_edit", args=[cohort.reading_run.pk]),
        {"start_date": "2025-09-15", "end_date": "2025-10-24", "staff": [cohort.ta.user.pk], "pupils": keep},
    )
    assert response.status_code == 400
    assert "already have scores or sessions recorded" in response.content.decode()
    assert cohort.reading_run.places.count() == 3


def test_senco_records_entry_baseline_and_exit(client, cohort):
    login(client, cohort.senco)
    place = cohort.reading_places[0]
    response = client.post(
        reverse("interventions:place_edit", args=[place.pk]),
        {
            "entry_data": "Can read 2 high-frequency words from the Year 1 list",
            "baseline": "2",
            "exit_score": "abc",
            "exit_criteria_met": "unknown",
        },
    )
    assert response.status_code == 400
    place.refresh_from_db()
    assert place.baseline == Decimal("10")
    response = client.post(
        reverse("interventions:place_edit", args=[place.pk]),
        {"entry_data": "Reads 2 HFW", "baseline": "2", "exit_score": "9", "exit_criteria_met": "true"},
    )
    assert response.status_code == 302
    place.refresh_from_db()
    assert (place.baseline, place.exit_score, place.exit_criteria_met) == (Decimal("2"), Decimal("9"), True)


def test_senco_adds_an_intervention_and_bad_numbers_are_explained(client, cohort):
    login(client, cohort.senco)
    data = {
        "name": "Talk boost",
        "area_of_need": "SLCN",
        "wave": 2,
        "sessions_per_week": 0,
        "session_minutes": 30,
        "weeks": 10,
        "group_size": 4,
        "staff_hourly_rate": "14.50",
        "resources_cost": "-5",
        "evidence_url": "https://educationendowmentfoundation.org.uk/",
    }
    response = client.post(reverse("interventions:create"), data)
    assert response.status_code == 400
    assert "Talk boost" in response.content.decode()
    response = client.post(
        reverse("interventions:create"), {**data, "sessions_per_week": 2, "resources_cost": "40"}
    )
    assert response.status_code == 302
    assert cohort.school.interventions.get(name="Talk boost").staff_hourly_rate == Decimal("14.50")


# -- documents and exports -----------------------------------------------------------------


def test_monitoring_sheet_pdf(client, cohort):
    login(client, cohort.senco)
    response = client.get(reverse("interventions:run", args=[cohort.reading_run.pk]) + "?format=pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Intervention monitoring" in text
    assert "Reader0" in text
    assert "165.00" in text


def test_governor_provision_map_pdf_and_csv_name_no_pupil(client, cohort):
    governor = MembershipFactory(school=cohort.school, role=Role.GOVERNOR)
    login(client, governor)
    response = client.get(reverse("interventions:provision_map") + f"?year={YEAR}&format=pdf")
    text = pdf_text(response.content)
    assert "Anonymised" in text
    assert "Reader" not in text and "Counter" not in text
    assert "c: not shown, to protect pupils" in text
    assert "565.00" in text
    page = client.get(reverse("interventions:impact") + f"?year={YEAR}").content.decode()
    assert "Reader" not in page and "Counter" not in page
    csv = client.get(reverse("interventions:provision_map_csv") + f"?year={YEAR}").content.decode("utf-8-sig")
    assert "Reader" not in csv
    assert ",c," in csv and "c: not shown, to protect pupils" in csv


def test_csv_neutralises_formulas(client, cohort):
    cohort.maths.name = '=HYPERLINK("http://x")'
    cohort.maths.save()
    login(client, cohort.senco)
    response = client.get(reverse("interventions:provision_map_csv") + f"?year={YEAR}")
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert '"\'=HYPERLINK(""http://x"")"' in body
    assert "All terms,All years,Total" in body


def test_bad_year_is_ignored(client, cohort):
    login(client, cohort.senco)
    assert client.get(reverse("interventions:provision_map") + "?year=banana").status_code == 200
    assert client.get(reverse("interventions:impact") + "?year=99999999999").status_code == 200


# -- action plan ---------------------------------------------------------------------------


def test_senco_builds_the_action_plan_and_head_reads_it(client, cohort):
    login(client, cohort.senco)
    response = client.post(
        reverse("interventions:priority_create"),
        {"title": "Narrow the writing gap in Year 4", "detail": "38 points", "source": "gap"},
    )
    assert response.status_code == 302
    priority = Priority.objects.get()
    assert priority.source == "gap"
    assert client.post(reverse("interventions:priority_create"), {"title": ""}).status_code == 400
    response = client.post(
        reverse("interventions:action_create", args=[priority.pk]),
        {
            "description": "Precision teaching for Year 4",
            "owner": "SENCO",
            "success_criteria": "Gap under 20 points by summer",
            "review_date": "2026-03-01",
            "phase": "prepare",
            "status": "in_progress",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.phase, action.status) == ("prepare", "in_progress")
    head = MembershipFactory(school=cohort.school, role=Role.HEAD)
    login(client, head)
    page = client.get(reverse("interventions:action_plan")).content.decode()
    assert "Precision teaching for Year 4" in page and "Prepare" in page
    assert client.post(reverse("interventions:action_edit", args=[action.pk]), {}).status_code == 403


# -- constant query counts -----------------------------------------------------------------


def page_queries(client, membership, url, django_assert_max_num_queries):
    login(client, membership)
    with django_assert_max_num_queries(25) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["interventions:provision_map", "interventions:impact"])
@pytest.mark.parametrize("role", [Role.SENCO, Role.GOVERNOR])
def test_main_pages_keep_their_query_count_as_pupils_grow(client, page, role, django_assert_max_num_queries):
    counts = []
    for size in (0, 40):
        cohort = build_cohort(extra_pupils=size)
        if size:
            # More pupils in a bigger run as well, with their scores.
            run = InterventionRunFactory(intervention=cohort.reading, start_date=datetime.date(YEAR, 11, 3))
            InterventionPlace.objects.bulk_create(
                InterventionPlace(run=run, pupil=PupilFactory(school=cohort.school, year_group=4),
                                  baseline=Decimal(i), exit_score=Decimal(i + 4))
                for i in range(size)
            )  # fmt: skip
        member = cohort.senco if role == Role.SENCO else MembershipFactory(school=cohort.school, role=role)
        url = reverse(page) + f"?year={YEAR}"
        counts.append(page_queries(client, member, url, django_assert_max_num_queries))
    assert counts[0] == counts[1], counts


def test_monitoring_sheet_reads_in_a_bounded_number_of_queries(client, cohort):
    login(client, cohort.senco)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("interventions:run", args=[cohort.reading_run.pk]))
    assert response.status_code == 200
    assert len(captured) <= 25


def test_action_plan_suggests_the_largest_gap(client, cohort):
    from assessment.models import AttainmentBand, Subject

    from .test_subject_comparison import make_point

    writing = Subject.objects.create(school=cohort.school, name="Writing")
    below, on_track = (
        AttainmentBand.objects.create(school=cohort.school, order=order, code=code, label=code)
        for order, code in ((1, "B"), (2, "OT"))
    )
    point = make_point(cohort.school, 1, "Autumn", datetime.date(2025, 9, 1))
    # Year 4: the three readers (SEND) are 1 of 3 at or above ARE (33%); four others 3 of 4 (75%).
    others = [PupilFactory(school=cohort.school, year_group=4) for _ in range(4)]
    for pupil, band in zip(
        [p.pupil for p in cohort.reading_places] + others,
        [on_track, below, below, on_track, on_track, on_track, below],
        strict=True,
    ):
        assessment_create(pupil=pupil, subject=writing, point=point, attainment=band)
    login(client, cohort.senco)
    page = client.get(reverse("interventions:action_plan")).content.decode()
    # 75 - 33 = 42 points.
    assert "Narrow the Writing gap in Year 4: 42 percentage points at Autumn 2025/26" in page
