"""The readiness check, the request pack (page, PDF read back, zip), who may build it, and the
record-view log."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from assessment.models import SupportObservation
from attendance.models import Attendance
from core.roles import Role
from graduated.costing import pupil_costs
from graduated.models import ChecklistItem
from graduated.readiness import last_term_start, readiness
from interventions.models import Checkpoint
from plans.models import SupportPlan
from pupils.access_log import pupil_access_log
from pupils.models import ExternalAgency
from tests.factories import (
    ConversationFactory,
    EvidenceItemFactory,
    MembershipFactory,
    PlanTargetFactory,
    SchoolClassFactory,
    SupportPlanFactory,
)
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 2, 10)  # spring term: the last term began on 1 September 2025


def reviewed_plan(pupil, number, starts, reviewed, **extra):
    plan = SupportPlanFactory(
        pupil=pupil,
        number=number,
        starts_on=starts,
        review_date=reviewed,
        status=SupportPlan.Status.REVIEWED,
        reviewed_on=reviewed,
        review_summary=f"Review of plan {number}: next steps agreed.",
        **extra,
    )
    PlanTargetFactory(
        plan=plan, target=f"Target of plan {number}", score=number - 2, score_comment="Seen in class"
    )
    return plan


# -- readiness -----------------------------------------------------------------------------------


def test_last_term_begins_with_the_term_before_this_one():
    assert last_term_start(datetime.date(2026, 2, 10)) == datetime.date(2025, 9, 1)
    assert last_term_start(datetime.date(2026, 5, 10)) == datetime.date(2026, 1, 1)
    assert last_term_start(datetime.date(2025, 10, 10)) == datetime.date(2025, 4, 1)


def test_one_cycle_and_no_parent_view(cohort):
    pupil = cohort.p
    reviewed_plan(pupil, 1, datetime.date(2025, 9, 8), datetime.date(2025, 12, 5))
    check = readiness(pupil, pupil_costs(pupil, cohort.year), TODAY)
    by_label = {c.label: (c.word, c.detail) for c in check.checks}
    assert by_label == {
        "At least two reviewed assess-plan-do-review cycles": (
            "Missing",
            "1 reviewed SEN support plan: an authority expects at least 2.",
        ),
        "The parents' view, given in the last term": (
            "Missing",
            "No conversation, plan or evidence records the parents' view.",
        ),
        "An outside agency involved": (
            "Missing",
            "No outside agency is recorded on the pupil's record or in the evidence log.",
        ),
        "Provision at or above the element 2 threshold (£6,000)": (
            "Missing",
            "£5,388 a year, £612 below the element 2 threshold of £6,000.",
        ),
    }
    assert check.summary == "Not ready: 4 things missing."


def test_an_old_parent_view_is_named_and_a_recent_one_counts(cohort):
    pupil = cohort.p
    ConversationFactory(pupil=pupil, date=datetime.date(2025, 6, 20))
    check = readiness(pupil, pupil_costs(pupil, cohort.year), TODAY)
    assert (
        check.checks[1].detail == "The last was on 20/06/2025, before the last term began (1 September 2025)."
    )
    ConversationFactory(pupil=pupil, date=datetime.date(2025, 11, 4))
    check = readiness(pupil, pupil_costs(pupil, cohort.year), TODAY)
    assert (check.checks[1].word, check.checks[1].detail) == ("Ready", "Last recorded on 04/11/2025.")


def test_the_authoritys_checklist_is_checked_against_the_records(school, cohort):
    pupil = cohort.p
    ChecklistItem.objects.create(
        school=school, order=1, wording="EP report within 12 months", requirement="agency_report"
    )
    ChecklistItem.objects.create(
        school=school, order=2, wording="Pupil's one-page profile", requirement="pupil_view"
    )
    ChecklistItem.objects.create(
        school=school, order=3, wording="Signed parental consent", requirement="manual"
    )
    EvidenceItemFactory(school=school, source="pupil_voice", date=datetime.date(2025, 11, 1)).pupils.add(
        pupil
    )
    check = readiness(pupil, pupil_costs(pupil, cohort.year), TODAY)
    assert [(item.wording, c.word) for item, c in check.checklist] == [
        ("EP report within 12 months", "Missing"),
        ("Pupil's one-page profile", "Ready"),
        ("Signed parental consent", "Check by hand"),
    ]
    # Four core checks and the missing report; the item checked by hand is not counted missing.
    assert check.summary == "Not ready: 5 things missing."


def test_the_readiness_page(client, senco, cohort):
    client.force_login(senco.user)
    page = client.get(reverse("graduated:readiness", args=[cohort.p.pk])).content.decode()
    assert "Not ready: 4 things missing." in page
    assert "Build the pack" in page


# -- the pack ------------------------------------------------------------------------------------


@pytest.fixture
def full_record(school, cohort, senco):
    """P with three reviewed cycles (entered out of order) and an open fourth, an intervention
    with baseline, checkpoints and exit, an agency and its report, the parents' and the pupil's
    views, attendance and support-scale observations."""
    pupil = cohort.p
    p1 = reviewed_plan(pupil, 1, datetime.date(2024, 9, 9), datetime.date(2024, 12, 13))
    p3 = reviewed_plan(pupil, 3, datetime.date(2025, 4, 21), datetime.date(2025, 7, 18))
    p2 = reviewed_plan(
        pupil,
        2,
        datetime.date(2025, 1, 6),
        datetime.date(2025, 4, 4),
        parent_voice="More help with reading at home",
    )
    SupportPlan.objects.filter(pk=p2.pk).update(previous=p1)
    SupportPlan.objects.filter(pk=p3.pk).update(previous=p2)
    SupportPlanFactory(
        pupil=pupil, number=4, starts_on=datetime.date(2025, 9, 8), review_date=datetime.date(2025, 12, 5)
    )
    place = cohort.run_a.places.get(pupil=pupil)
    place.baseline, place.exit_score, place.exit_criteria_met = Decimal("12"), Decimal("21"), True
    place.save()
    Checkpoint.objects.create(place=place, week=5, score=Decimal("16"), recorded_by=senco.user)
    pupil.agencies.add(ExternalAgency.objects.get_or_create(name="Speech and language therapy")[0])
    report = EvidenceItemFactory(
        school=school, source="agency_report", summary="SALT assessment: receptive language below age."
    )
    report.pupils.add(pupil)
    report.attachment.save("salt.pdf", ContentFile(b"%PDF-1.4 salt report"), save=False)
    report.attachment_name = "SALT report.pdf"
    report.save()
    ConversationFactory(
        pupil=pupil, date=datetime.date(2025, 11, 4), aspirations="To read a book to her brother"
    )
    Attendance.objects.create(
        pupil=pupil, academic_year=2025, term=1, possible_sessions=140, attended_sessions=126
    )
    Attendance.objects.create(
        pupil=cohort.q1, academic_year=2025, term=1, possible_sessions=140, attended_sessions=133
    )
    SupportObservation.objects.create(
        pupil=pupil, observed_on=datetime.date(2025, 10, 1), level=2, observer=senco.user
    )
    SupportObservation.objects.create(
        pupil=pupil, observed_on=datetime.date(2025, 12, 1), level=3, observer=senco.user
    )
    return report


SECTIONS = [
    "1. Summary",
    "2. Needs and history on the SEN register",
    "3. Assess, plan, do, review: the completed cycles",
    "4. Interventions and their impact",
    "5. Costed provision",
    "6. Attendance, suspensions and behaviour",
    "7. Attainment and progress against peers and targets",
    "8. Pupil Support Scale",
    "9. Outside agencies and their reports",
    "10. The family's and the pupil's views",
]


def test_the_pack_pdf_has_every_section_and_the_cycles_in_order(client, senco, cohort, full_record):
    client.force_login(senco.user)
    response = client.get(
        reverse("graduated:pack", args=[cohort.p.pk]), {"purpose": "request", "format": "pdf"}
    )
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    positions = [text.index(heading) for heading in SECTIONS]
    assert positions == sorted(positions)
    # 9 Sep to 13 Dec 2024 is 95 days; 6 Jan to 4 Apr 2025, 88; 21 Apr to 18 Jul 2025, 88.
    cycles = [
        "Cycle 1: plan 1, 09/09/2024 to 13/12/2024, 13 weeks",
        "Cycle 2: plan 2, 06/01/2025 to 04/04/2025, 12 weeks",
        "Cycle 3: plan 3, 21/04/2025 to 18/07/2025, 12 weeks",
    ]
    where = [text.index(c) for c in cycles]
    assert where == sorted(where)
    assert "Request for an EHC needs assessment" in text
    assert "3 reviewed, plan 4 open" in text
    assert "£5,388 a year, £612 below the element 2 threshold of £6,000" in text
    assert "week 5: 16.0" in text and "+9.0; exit criteria met" in text
    assert "90% (126/140)" in text and "95% (133/140)" in text  # the pupil against the rest of the school
    assert "Trend: No observation this year; up 1 step since the first observation" in text
    assert "SALT assessment" in text and "Speech and language therapy" in text
    assert "To read a book to her brother" in text and "More help with reading at home" in text


def test_the_zip_bundles_the_pdf_and_the_chosen_files(client, senco, cohort, full_record):
    client.force_login(senco.user)
    response = client.get(
        reverse("graduated:pack", args=[cohort.p.pk]),
        {"purpose": "top_up", "attach": [str(full_record.pk)], "format": "zip"},
    )
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert len(names) == 2 and names[0].endswith(".pdf") and "top-up-funding-bid" in names[0]
    assert names[1] == "attachments/01-SALT_report.pdf"
    assert archive.read(names[1]) == b"%PDF-1.4 salt report"


def test_an_attachment_not_about_the_pupil_is_refused_with_a_message(
    client, senco, school, cohort, full_record
):
    other = EvidenceItemFactory(school=school, source="agency_report")
    other.attachment.save("x.pdf", ContentFile(b"x"))
    client.force_login(senco.user)
    response = client.get(
        reverse("graduated:pack", args=[cohort.p.pk]),
        {"purpose": "request", "attach": [str(other.pk)], "format": "zip"},
    )
    assert response.status_code == 400
    assert "is not one of the available choices" in response.content.decode()
    response = client.get(reverse("graduated:pack", args=[cohort.p.pk]), {"purpose": "bribe"})
    assert response.status_code == 400


# -- who may, and the log ------------------------------------------------------------------------


def test_only_the_senco_downloads_and_the_head_reads(client, school, cohort, full_record):
    url = reverse("graduated:pack", args=[cohort.p.pk])
    head = MembershipFactory(school=school, role=Role.HEAD)
    client.force_login(head.user)
    page = client.get(url)
    assert page.status_code == 200 and "5. Costed provision" in page.content.decode()
    assert "format=pdf" not in page.content.decode()  # no download button for the head
    for download in ("pdf", "zip"):
        refused = client.get(url, {"format": download})
        assert refused.status_code == 403
        assert "only the SENCO can build and download" in refused.content.decode()
    teacher = MembershipFactory(school=school, role=Role.TEACHER)
    client.force_login(teacher.user)
    assert client.get(url).status_code == 403


def test_every_download_is_logged_on_the_pupils_record(client, senco, cohort, full_record):
    client.force_login(senco.user)
    url = reverse("graduated:pack", args=[cohort.p.pk])
    client.get(url, {"purpose": "request", "format": "pdf"})
    client.get(url, {"purpose": "annual_review", "attach": [str(full_record.pk)], "format": "zip"})
    log = list(pupil_access_log(cohort.p).order_by("pk").values_list("user", "how", "detail"))
    assert log == [
        (senco.user.pk, "pdf", "Request for an EHC needs assessment (PDF)"),
        (senco.user.pk, "export", "Annual review of an EHC plan (ZIP, 1 attachment)"),
    ]
    page = client.get(reverse("pupils:detail", args=[cohort.p.pk])).content.decode()
    assert "Annual review of an EHC plan (ZIP, 1 attachment)" in page


def test_a_provision_record_is_added_by_the_senco_and_refused_to_the_head(client, senco, school, cohort):
    url = reverse("graduated:provision_add", args=[cohort.q2.pk])
    data = {
        "academic_year": cohort.year,
        "kind": "specialist",
        "description": "Educational psychologist, 3 visits",
        "hours_per_week": "0",
        "weeks": "0",
        "hourly_rate": "0",
        "other_cost": "1350",
        "shared_by": "1",
    }
    head = MembershipFactory(school=school, role=Role.HEAD)
    client.force_login(head.user)
    assert client.post(url, data).status_code == 403
    client.force_login(senco.user)
    assert client.post(url, data).status_code == 302
    # Quinn: £120 from Talk Boost and £1,350 of visits.
    assert pupil_costs(cohort.q2, cohort.year).total_text == "£1,470 a year"
    bad = client.post(url, {**data, "shared_by": "0"})
    assert (
        bad.status_code == 400 and "Ensure this value is greater than or equal to 1" in bad.content.decode()
    )


def test_the_pupil_page_links_to_the_pack_for_leaders_only(client, senco, school, cohort):
    link = reverse("graduated:readiness", args=[cohort.p.pk])
    client.force_login(senco.user)
    assert link in client.get(reverse("pupils:detail", args=[cohort.p.pk])).content.decode()
    teacher = MembershipFactory(school=school, role=Role.TEACHER)
    school_class = SchoolClassFactory(school=school)
    school_class.teachers.add(teacher.user)
    cohort.p.school_class = school_class
    cohort.p.save()
    client.force_login(teacher.user)
    page = client.get(reverse("pupils:detail", args=[cohort.p.pk]))
    assert page.status_code == 200 and link not in page.content.decode()
