"""The inclusion evaluation area (reports.sef.inclusion, the inclusion page and the SEF section),
worked by hand on the cohort of tests/reports/conftest.py: four SEND pupils, all first placed on
the SEND record on 1 October of last academic year, and eight others; threshold 5."""

import datetime

import pytest
from django.urls import reverse

from core.roles import Role
from evidence.models import OfstedPrompt
from pupils.models import Concern, ExternalAgency, SocialCare
from reports import services
from reports.sef import sef_figures
from tests.factories import EvidenceItemFactory
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def inclusion(cohort):
    year, send = cohort.year, cohort.send
    placed = datetime.date(year - 1, 10, 1)
    # send[0]: concern 1 Sep, 30 days before; send[1]: concern 2 Aug, 60 days before (30 + 30).
    Concern.objects.create(
        pupil=send[0], raised_on=placed - datetime.timedelta(days=30), raised_by="teacher", summary="a"
    )
    Concern.objects.create(
        pupil=send[1], raised_on=datetime.date(year - 1, 8, 2), raised_by="parent", summary="b"
    )
    send[2].agencies.add(ExternalAgency.objects.get_or_create(name="Educational psychology")[0])
    send[0].pupil_premium, send[0].social_care = True, SocialCare.CHILD_IN_NEED
    send[0].save()
    item = EvidenceItemFactory(school=cohort.school, date=datetime.date(year, 10, 7), judgement="strength")
    item.prompts.add(OfstedPrompt.objects.get(number=14))
    return cohort


def test_the_inclusion_figures_worked_by_hand(inclusion):
    i = sef_figures(inclusion.school, inclusion.year, anonymised=False).inclusion
    last_year = i.concerns[1]
    # Last year: the 4 SEND pupils were placed; 2 had a concern first (30 and 60 days): median 45.
    assert (last_year.placed.value, str(last_year.with_concern), last_year.median_days) == (
        4,
        "50% (2/4)",
        45,
    )
    # One of the 4 has an agency involved: 25%.
    assert (str(i.send_pupils), str(i.with_agency)) == ("4", "25% (1/4)")
    # send[0] is pupil premium and known to social care: one SEND pupil in two or more groups.
    assert str(i.several_groups) == "1"
    identifying = next(e for e in i.evidence if e.tag == "Identifying needs")
    assert (str(identifying.strengths), str(identifying.total)) == ("1", "1")
    # No plan is recorded: the 3 pupils on SEN support at the end of the last term have none.
    assert (str(i.reviews[-1].sen_support), str(i.reviews[-1].no_plan)) == ("3", "100% (3/3)")
    assert "waited a median of 45 days" in " ".join(i.findings)


def test_the_governor_version_hides_the_small_figures(inclusion):
    i = sef_figures(inclusion.school, inclusion.year, anonymised=True).inclusion
    last_year = i.concerns[1]
    # Threshold 5: 4 pupils placed, 2 with a concern, 1 with an agency, 1 in several groups: all hidden.
    assert (str(last_year.placed), str(last_year.with_concern), last_year.median_days) == ("c", "c", None)
    assert {str(i.send_pupils), str(i.with_agency), str(i.several_groups)} == {"c"}
    assert {str(r.sen_support) for r in i.reviews} <= {"c", "0"}


def test_the_page_for_staff_and_the_governor_version(client, inclusion):
    client.force_login(inclusion.members[Role.SENCO].user)
    text = client.get(reverse("reports:inclusion")).content.decode()
    for heading in (
        "Identifying needs early and accurately",
        "High expectations",
        "Adaptations and support, reviewed",
        "Working with specialists and families",
        "Achieve, belong and thrive",
    ):
        assert heading in text
    assert "50% (2/4)" in text and "Write the evaluation and grade" in text
    client.force_login(inclusion.members[Role.GOVERNOR].user)
    assert client.get(reverse("reports:inclusion")).status_code == 403
    governor = client.get(reverse("reports:inclusion_governor")).content.decode()
    assert "50% (2/4)" not in governor and "Write the evaluation" not in governor
    for pupil in inclusion.send:
        assert pupil.legal_surname not in governor


def test_the_senco_writes_the_evaluation_and_grade_and_the_sef_pdf_has_the_section(client, inclusion):
    client.force_login(inclusion.members[Role.SENCO].user)
    form = client.get(reverse("reports:sef_edit")).context["form"]
    assert [value for value, _ in form.fields["grade"].choices][1:] == [1, 2, 3, 4, 5]
    response = client.post(
        reverse("reports:sef_edit") + f"?year={inclusion.year}",
        {
            "narrative_inclusion": "Concerns are followed up within weeks.",
            "grade": "3",
            "grade_rationale": "So.",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("reports:inclusion")).content.decode()
    assert "Concerns are followed up within weeks." in page and "<strong>Expected standard</strong>" in page
    text = pdf_text(client.get(reverse("reports:sef"), {"format": "pdf"}).content)
    assert "2. Inclusion" in text and "Identifying needs early and accurately" in text
    assert "Concerns are followed up within weeks." in text


def test_the_governor_sef_follows_the_framework(client, inclusion):
    client.force_login(inclusion.members[Role.GOVERNOR].user)
    renewed = client.get(reverse("reports:sef_governor")).content.decode()
    assert '<h2 id="inclusion">2. Inclusion</h2>' in renewed
    assert "Best-fit grade for inclusion" in renewed and "50% (2/4)" not in renewed
    for pupil in inclusion.send:
        assert pupil.legal_surname not in renewed
    services.sef_framework_set(
        school=inclusion.school,
        academic_year=inclusion.year,
        framework="2019",
        by=inclusion.members[Role.SENCO].user,
    )
    old = client.get(reverse("reports:sef_governor")).content.decode()
    assert 'id="inclusion"' not in old and "4. Interventions: impact and cost" in old
    assert "Grade descriptors relevant to pupils with SEND" in old
