"""The SEF summary of the hand-built cohort in conftest.py: figures, PDF text, governor version,
editing, sign-off and its snapshot."""

import datetime

import pytest
from django.urls import reverse

from assessment.models import Assessment
from attendance.models import Attendance
from core.roles import Role
from reports import snapshot
from reports.models import Grade, SefReport, SefSignOff
from reports.sef import sef_figures
from tests.factories import PupilFactory
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


def test_figures_worked_by_hand(cohort):
    figures = sef_figures(cohort.school, cohort.year, anonymised=False)
    c = figures.context
    # 4 of 12 on the record: 33.3% -> 33%; 1 EHC plan of 12: 8.3% -> 8%.
    assert str(c.send_share) == "33% (4/12)"
    assert str(c.ehcp_share) == "8% (1/12)"
    reading = next(r for r in figures.attainment.measures[0].rows if r.subject == "Reading")
    # Spring: SEND 2/4 = 50%, others 6/8 = 75%, gap 25; autumn gap 75 - 25 = 50; last summer
    # others 7/8 = 87.5% -> 88%, SEND 1/4 = 25%, gap 63.
    assert (str(reading.send), str(reading.others), reading.gap) == ("50% (2/4)", "75% (6/8)", 25)
    assert reading.term_trend == "SEND pupils 25 percentage points behind, down from 50 (narrowed)"
    assert reading.year_trend == "SEND pupils 25 percentage points behind, down from 63 (narrowed)"
    maths = next(r for r in figures.attainment.measures[0].rows if r.subject == "Maths")
    # SEND 3/4 = 75%, others 8/8 = 100%: gap 25, no earlier point.
    assert (maths.gap, maths.term_trend) == (25, "no earlier figure")
    send, others, everyone = (
        next(line for line in figures.attendance.lines if line.group == g)
        for g in ("SEND", "No SEND", "All pupils")
    )
    # SEND 95+85+92+80 = 352 of 400 = 88.0%; others 7 x 97 + 89 = 768 of 800 = 96.0%;
    # all 1120 of 1200 = 93.33 -> 93.3%. Below 90%: 85 and 80 (2/4), 89 (1/8 = 12.5% -> 13%).
    assert (str(send.rate), str(others.rate), str(everyone.rate)) == ("88.0%", "96.0%", "93.3%")
    assert (str(send.persistent_absence), str(others.persistent_absence)) == ("50% (2/4)", "13% (1/8)")
    # Last year: 4 x 90 of 400 = 90.0%. One SEND pupil suspended twice, 1.5 + 1 = 2.5 days.
    assert str(send.previous_rate) == "90.0%"
    assert (str(send.suspended), str(send.suspensions), send.suspension_days) == ("25% (1/4)", "2", "2.5")
    # Incidents: (6 + 2) / 4 = 2.0 per SEND pupil; 1 / 8 = 0.125 -> 0.1 per other pupil.
    assert (send.incidents_per_pupil, others.incidents_per_pupil) == ("2.0", "0.1")


def test_governor_figures_hide_groups_under_the_threshold(cohort):
    figures = sef_figures(cohort.school, cohort.year, anonymised=True)
    assert str(figures.context.send_share) == "c"
    reading = figures.attainment.measures[0].rows[0]
    assert str(reading.send) == "c" and reading.gap is None
    send = figures.attendance.lines[0]
    assert str(send.rate) == "c" and str(send.persistent_absence) == "c"
    # The whole school is large enough: 1120 of 1200 sessions.
    assert str(figures.attendance.lines[-1].rate) == "93.3%"


def test_query_count_does_not_grow_with_pupils(cohort, django_assert_max_num_queries):
    # 21 for the sections of the 2019 framework, 1 for the year's framework and 7 for the inclusion
    # area of the renewed framework (the default for the current year): identification 2, movement 1,
    # SEND pupils 1, conversations 1, evidence tags 2.
    with django_assert_max_num_queries(29) as small:
        sef_figures(cohort.school, cohort.year, anonymised=False)
    for pupil in PupilFactory.create_batch(30, school=cohort.school, sen_status="K"):
        Attendance.objects.create(
            pupil=pupil, academic_year=cohort.year, term=1, possible_sessions=10, attended_sessions=9
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        sef_figures(cohort.school, cohort.year, anonymised=False)


def test_snapshot_round_trip_gives_the_same_object(cohort):
    figures = sef_figures(cohort.school, cohort.year, anonymised=True)
    assert snapshot.load(snapshot.dump(figures)) == figures


def _client_for(client, cohort, role):
    client.force_login(cohort.members[role].user)
    return client


def test_sef_pdf_shows_the_hand_computed_figures(client, cohort):
    _client_for(client, cohort, Role.SENCO)
    response = client.get(reverse("reports:sef"), {"year": cohort.year, "format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in ["33% (4/12)", "8% (1/12)", "50% (2/4)", "75% (6/8)", "down from 50 (narrowed)"]:
        assert expected in text, expected
    for expected in ["88.0%", "96.0%", "93.3%", "13% (1/8)", "2 (2.5)", "Hawthorn Primary"]:
        assert expected in text, expected
    assert "Page 1 of" in text


def test_governor_pdf_is_anonymised_and_suppressed(client, cohort):
    _client_for(client, cohort, Role.GOVERNOR)
    response = client.get(reverse("reports:sef_governor"), {"year": cohort.year, "format": "pdf"})
    text = pdf_text(response.content)
    assert "Anonymised" in text and "c: not shown, to protect pupils" in text
    assert "50% (2/4)" not in text and "88.0%" not in text
    for pupil in cohort.pupils:
        assert pupil.legal_surname not in text and pupil.legal_forename not in text


def test_governor_cannot_open_the_full_version_prompts_or_case_studies(client, cohort):
    _client_for(client, cohort, Role.GOVERNOR)
    for name in ("reports:sef", "reports:prompts", "reports:case_studies", "reports:sef_edit"):
        assert client.get(reverse(name)).status_code == 403


def test_senco_edits_the_narrative_and_a_bad_post_keeps_the_text(client, cohort):
    _client_for(client, cohort, Role.SENCO)
    url = reverse("reports:sef_edit") + f"?year={cohort.year}"
    named = cohort.send[0]
    data = {
        "narrative_context": f"{named.legal_forename} {named.legal_surname} joined in Year 3.",
        "narrative_attainment": "Reading gaps are narrowing.",
        "grade": "2",
        "grade_rationale": "Gaps narrowing in reading.",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "names a pupil" in response.content.decode()
    assert "Reading gaps are narrowing." in response.content.decode()
    assert not SefReport.objects.exists()
    data["narrative_context"] = "Most pupils with SEND joined in Reception."
    assert client.post(url, data).status_code == 302
    report = SefReport.objects.get()
    assert report.grade == Grade.GOOD and report.narrative["attainment"] == "Reading gaps are narrowing."
    assert client.post(url, {"grade": "9"}).status_code == 400


def test_sign_off_needs_a_grade_and_only_the_head_may(client, cohort):
    _client_for(client, cohort, Role.HEAD)
    response = client.post(reverse("reports:sef_sign_off"), {"year": cohort.year, "confirmed": "yes"})
    # Refused with the confirmation page shown again, saying why.
    assert response.status_code == 200 and not SefSignOff.objects.exists()
    _client_for(client, cohort, Role.SENCO)
    signing = {"year": cohort.year, "confirmed": "yes"}
    assert client.post(reverse("reports:sef_sign_off"), signing).status_code == 403


@pytest.mark.slow
def test_signed_off_snapshot_does_not_change_after_new_data(client, cohort):
    SefReport.objects.create(
        school=cohort.school,
        academic_year=cohort.year,
        narrative={"attainment": "Reading gaps are narrowing."},
        grade=Grade.GOOD,
        grade_rationale="Gaps narrowing.",
    )
    _client_for(client, cohort, Role.HEAD)
    response = client.post(reverse("reports:sef_sign_off"), {"year": cohort.year, "confirmed": "yes"})
    sign_off = SefSignOff.objects.get()
    assert response.status_code == 302
    url = reverse("reports:sign_off", kwargs={"pk": sign_off.pk})
    gov_url = reverse("reports:sign_off_governor", kwargs={"pk": sign_off.pk})
    before = pdf_text(client.get(url, {"format": "pdf"}).content)
    before_gov = pdf_text(client.get(gov_url, {"format": "pdf"}).content)
    assert "50% (2/4)" in before and "Signed off by" in before
    # New data: every SEND pupil now on track in reading at spring, and two new pupils.
    Assessment.objects.filter(pupil__in=cohort.send, point=cohort.points["spring"]).update(
        attainment=cohort.bands["EX"]
    )
    PupilFactory.create_batch(2, school=cohort.school, sen_status="E")
    live = pdf_text(client.get(reverse("reports:sef"), {"year": cohort.year, "format": "pdf"}).content)
    assert "100% (4/4)" in live
    assert pdf_text(client.get(url, {"format": "pdf"}).content) == before
    assert pdf_text(client.get(gov_url, {"format": "pdf"}).content) == before_gov


def test_sef_page_has_charts_with_tables(client, cohort):
    _client_for(client, cohort, Role.HEAD)
    page = client.get(reverse("reports:sef"), {"year": cohort.year}).content.decode()
    assert page.count("<svg") >= 2
    assert "Gap in points at each assessment point" in page
    assert "Download PDF" in page


def test_bad_year_falls_back_to_the_current_year(client, cohort):
    _client_for(client, cohort, Role.SENCO)
    for year in ("abc", "1900", "99999999999999999999"):
        assert client.get(reverse("reports:sef"), {"year": year}).status_code == 200


def test_prompts_page_lists_thirteen_prompts_with_figures(client, cohort):
    SefReport.objects.create(school=cohort.school, academic_year=cohort.year, framework="2019")
    _client_for(client, cohort, Role.SENCO)
    response = client.post(
        reverse("reports:prompts_edit") + f"?year={cohort.year}",
        {f"status_{n}": "not_started" for n in range(1, 14)}
        | {"response_10": "We track suspensions termly.", "status_10": "evidenced"},
    )
    assert response.status_code == 302
    text = pdf_text(client.get(reverse("reports:prompts"), {"year": cohort.year, "format": "pdf"}).content)
    for n in range(1, 14):
        assert f"{n}. " in text
    assert "We track suspensions termly." in text and "Evidenced" in text
    assert "88.0%" in text  # prompt 10 and 13 carry the attendance finding
    assert client.post(reverse("reports:prompts_edit"), {"status_1": "nonsense"}).status_code == 400


def test_date_of_sign_off_is_printed(client, cohort):
    SefReport.objects.create(
        school=cohort.school, academic_year=cohort.year, grade=Grade.GOOD, grade_rationale="Gaps narrowing."
    )
    _client_for(client, cohort, Role.HEAD)
    client.post(reverse("reports:sef_sign_off"), {"year": cohort.year, "confirmed": "yes"})
    sign_off = SefSignOff.objects.get()
    page = client.get(reverse("reports:sign_off_governor", kwargs={"pk": sign_off.pk})).content.decode()
    assert datetime.date.today().strftime("%B %Y") in page
