"""A gap with SEND pupils ahead, worded right in the SEF page, its PDF and the governor's PDF
(core.gap_direction): once printed as "narrowing (from -15 to -25 points)"."""

import datetime

import pytest
from django.urls import reverse

from assessment.models import Assessment, AssessmentPoint, AttainmentBand, Subject, year_group_in
from assessment.services import scheme_set_up_defaults
from core.roles import Role
from pupils.models import SenStatus, SenStatusChange
from reports.sef import sef_figures
from reports.selectors import current_academic_year
from tests.factories import MembershipFactory, PupilFactory, SchoolFactory
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def ahead():
    """10 SEND pupils and 20 others, Reading at Autumn and Spring of this year.

    Autumn: SEND 5/10 = 50% at or above ARE, others 7/20 = 35%: gap 35 - 50 = -15.
    Spring: SEND 5/10 = 50%, others 5/20 = 25%: gap -25. SEND pupils are 25 points ahead, up
    from 15: the gap widened, in their favour. Every count and its complement is 5 or more, so
    the governor (threshold 5) sees the same figures."""
    year = current_academic_year()
    school = SchoolFactory(name="Aheadfield Primary", suppression_threshold=5)
    scheme_set_up_defaults(school=school, academic_year=year)
    send = [
        PupilFactory(
            school=school,
            sen_status=SenStatus.SEN_SUPPORT,
            primary_need="SLCN",
            sen_placed_on=datetime.date(year - 1, 10, 1),
        )
        for _ in range(10)
    ]
    # The dated history the SEF takes each pupil's status from (as at each point).
    SenStatusChange.objects.bulk_create(
        SenStatusChange(pupil=p, status=p.sen_status, effective_date=p.sen_placed_on) for p in send
    )
    others = [PupilFactory(school=school) for _ in range(20)]
    points = {p.name: p for p in AssessmentPoint.objects.filter(school=school, academic_year=year)}
    reading = Subject.objects.get(school=school, name="Reading")
    band = {b.code: b for b in AttainmentBand.objects.filter(school=school)}
    rows = [(send, "Autumn", 5), (others, "Autumn", 7), (send, "Spring", 5), (others, "Spring", 5)]
    Assessment.objects.bulk_create(
        Assessment(
            pupil=p,
            point=points[name],
            subject=reading,
            attainment=band["OT" if i < n else "B"],
            year_group=year_group_in(p, year),
        )
        for group, name, n in rows
        for i, p in enumerate(group)
    )
    members = {role: MembershipFactory(school=school, role=role) for role in (Role.SENCO, Role.GOVERNOR)}
    return school, year, members


WORDS = "SEND pupils 25 percentage points ahead, up from 15 (widened)"


def test_sef_words_a_gap_with_send_pupils_ahead(client, ahead):
    school, year, members = ahead
    figures = sef_figures(school, year, anonymised=False)
    reading = next(r for r in figures.attainment.measures[0].rows if r.subject == "Reading")
    assert (str(reading.send), str(reading.others), reading.gap) == ("50% (5/10)", "25% (5/20)", -25)
    assert reading.term_trend == WORDS
    assert reading.year_trend == "no earlier figure"
    client.force_login(members[Role.SENCO].user)
    page = client.get(reverse("reports:sef"), {"year": year}).content.decode()
    assert WORDS in page
    assert "narrowing" not in page and "-25 points" not in page
    text = pdf_text(client.get(reverse("reports:sef"), {"year": year, "format": "pdf"}).content)
    assert WORDS in text and "narrowing" not in text


def test_governor_pdf_words_a_gap_with_send_pupils_ahead(client, ahead):
    school, year, members = ahead
    client.force_login(members[Role.GOVERNOR].user)
    response = client.get(reverse("reports:sef_governor"), {"year": year, "format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Anonymised" in text
    assert WORDS in text and "narrowing" not in text
