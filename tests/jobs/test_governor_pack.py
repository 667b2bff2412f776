"""The trust's governor pack: a job that zips each school's signed-off governor SEF summary."""

import io
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.roles import Role
from jobs.models import Job
from reports.models import SefReport
from reports.services import sef_sign_off
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    PupilFactory,
    SchoolFactory,
)

pytestmark = pytest.mark.slow


def signed_off(school, year):
    head = MembershipFactory(school=school, role=Role.HEAD)
    SefReport.objects.update_or_create(
        school=school, academic_year=year, defaults={"grade": 2, "grade_rationale": "Strong plans."}
    )
    return sef_sign_off(membership=head, academic_year=year)


@pytest.fixture
def trust(db):
    trust = OrganisationFactory(name="Riverside Trust")
    schools = {name: SchoolFactory(name=name, organisation=trust) for name in ("Ash", "Birch", "Cedar")}
    PupilFactory(school=schools["Ash"], legal_surname="Wolstenholme")
    lead = OrganisationMembershipFactory(organisation=trust)
    signed_off(schools["Ash"], 2024)
    newest = signed_off(schools["Ash"], 2025)
    signed_off(schools["Birch"], 2025)
    # Another trust's school, signed off: never in this trust's pack.
    signed_off(SchoolFactory(name="Elsewhere", organisation=OrganisationFactory()), 2025)
    return {"lead": lead, "schools": schools, "ash_newest": newest}


def start_pack(client, user, school, capture):
    client.force_login(user)
    client.post(reverse("switch_school"), {"school": school.pk})
    with capture(execute=True):
        response = client.post(reverse("reports:governor_pack"))
    return response


def test_the_pack_holds_each_schools_current_governor_summary(
    trust, client, django_capture_on_commit_callbacks
):
    response = start_pack(
        client, trust["lead"].user, trust["schools"]["Ash"], django_capture_on_commit_callbacks
    )
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == Job.Status.DONE, job.message
    # Ash and Birch are signed off, Cedar is not; Elsewhere belongs to another trust.
    assert job.message == (
        "The governor pack holds the signed-off summaries of 2 of 3 schools. Not signed off yet: Cedar."
    )
    with job.result.open("rb") as stored:
        pack = zipfile.ZipFile(io.BytesIO(stored.read()))
    names = sorted(pack.namelist())
    assert names == ["README.txt", "ash-governor-sef-2025.pdf", "birch-governor-sef-2025.pdf"]
    readme = pack.read("README.txt").decode()
    assert "Ash: summary of 2025/26" in readme and "Cedar: none signed off" in readme
    assert "Elsewhere" not in readme
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pack.read(names[1]))).pages)
    assert "governor version" in text and "Ash" in text
    assert "Wolstenholme" not in text


@pytest.mark.parametrize("role", [Role.HEAD, Role.SENCO, Role.GOVERNOR])
def test_only_the_trust_lead_builds_the_pack(trust, client, role):
    member = MembershipFactory(school=trust["schools"]["Ash"], role=role)
    client.force_login(member.user)
    assert client.post(reverse("reports:governor_pack")).status_code == 403
    assert not Job.objects.exists()


def test_a_lead_who_left_the_trust_is_told_so(trust, client, django_capture_on_commit_callbacks):
    from jobs import runner
    from reports import tasks

    lead = trust["lead"]
    job = Job.objects.create(
        kind="reports.governor_pack", title="Pack", requested_by=lead.user, school=trust["schools"]["Ash"]
    )
    lead.is_active = False
    lead.save()
    runner.run(job.pk, tasks.governor_pack.work)
    job.refresh_from_db()
    assert (job.status, job.message) == (Job.Status.FAILED, tasks.NOT_A_LEAD)
