"""The framework a year's SEF is written against: the renewed framework (report card) by default
from 2025/26, the 2019 framework with the Appendix A prompts before; grades, sections, wording and
prompts follow it, and a signed-off SEF never changes when the year's framework is switched."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.roles import Role
from reports import services, snapshot
from reports.frameworks import Framework, ReportCardGrade, default_framework
from reports.models import Grade, PromptResponse, SefReport
from reports.sef import sef_figures

pytestmark = pytest.mark.django_db


def login(client, cohort, role):
    client.force_login(cohort.members[role].user)
    return client


def document(html):
    """The SEF's sections and judgement, without the page's furniture (tokens, printed date)."""
    body = html[html.index('<h2 id="context">') : html.index('class="signature"')]
    return re.sub(r'(nonce|value)="[^"]*"', "", body)


def test_the_renewed_framework_is_the_default_from_2025_26():
    assert default_framework(2024) == Framework.EIF_2019
    assert default_framework(2025) == Framework.RENEWED
    assert SefReport(academic_year=2023).chosen_framework == "2019"
    assert SefReport(academic_year=2023, framework="2025").chosen_framework == "2025"


def test_an_earlier_years_signed_off_sef_is_unchanged_after_switching(client, cohort):
    earlier = cohort.year - 2  # 2024/25 when the tests run in 2026/27: the 2019 framework by default
    assert default_framework(earlier) == Framework.EIF_2019
    services.sef_report_save(
        school=cohort.school,
        academic_year=earlier,
        narrative={"context": "A small SEND cohort.", "strengths": "Phonics."},
        grade=Grade.GOOD,
        grade_rationale="Gaps narrowing.",
        by=cohort.members[Role.SENCO].user,
    )
    sign_off = services.sef_sign_off(membership=cohort.members[Role.HEAD], academic_year=earlier)
    login(client, cohort, Role.HEAD)
    urls = [
        reverse("reports:sign_off", args=[sign_off.pk]),
        reverse("reports:sign_off_governor", args=[sign_off.pk]),
    ]
    before = [document(client.get(url).content.decode()) for url in urls]
    assert "4. Interventions: impact and cost" in before[0] and "<strong>Good</strong>" in before[0]
    assert "Grade descriptors relevant to pupils with SEND" in before[0] and "Inclusion" not in before[0]

    # The SENCO switches the year to the renewed framework and grades inclusion on its scale.
    login(client, cohort, Role.SENCO)
    response = client.post(reverse("reports:sef_framework"), {"year": earlier, "framework": "2025"})
    assert response.status_code == 302
    report = SefReport.objects.get(school=cohort.school, academic_year=earlier)
    assert (report.framework, report.grade) == ("2025", None)  # the 2019 grade does not carry over
    assert report.narrative["context"] == "A small SEND cohort."  # the narrative stays
    services.sef_report_save(
        school=cohort.school,
        academic_year=earlier,
        narrative={"inclusion": "Needs identified early."},
        grade=ReportCardGrade.EXCEPTIONAL,
        grade_rationale="Sector-leading.",
        safeguarding="met",
        by=cohort.members[Role.SENCO].user,
    )

    login(client, cohort, Role.HEAD)
    after = [document(client.get(url).content.decode()) for url in urls]
    assert after == before
    # The live SEF of that year now follows the renewed framework.
    live = client.get(reverse("reports:sef"), {"year": earlier}).content.decode()
    assert '<h2 id="inclusion">2. Inclusion</h2>' in live
    assert "<strong>Exceptional</strong>" in live and "Safeguarding: <strong>Met</strong>" in live
    assert "Needs identified early." in live and "Urgent improvement" in live


def test_a_grade_must_be_on_the_scale_of_the_years_framework(cohort):
    senco = cohort.members[Role.SENCO].user
    earlier = cohort.year - 2
    with pytest.raises(ValidationError, match="framework"):
        services.sef_report_save(
            school=cohort.school,
            academic_year=earlier,
            narrative={},
            grade=ReportCardGrade.URGENT_IMPROVEMENT,  # 5: there is no fifth grade in 2019
            grade_rationale="",
            by=senco,
        )
    report = services.sef_report_save(
        school=cohort.school,
        academic_year=cohort.year,
        narrative={},
        grade=ReportCardGrade.URGENT_IMPROVEMENT,
        grade_rationale="",
        safeguarding="not_met",
        by=senco,
    )
    assert (report.grade, report.safeguarding) == (5, "not_met")
    # Switching to 2019 clears the grade and the safeguarding judgement, which 2019 does not have.
    report = services.sef_framework_set(
        school=cohort.school, academic_year=cohort.year, framework="2019", by=senco
    )
    assert (report.grade, report.safeguarding) == (None, "")
    with pytest.raises(ValidationError):
        services.sef_framework_set(
            school=cohort.school, academic_year=cohort.year, framework="2031", by=senco
        )


def test_the_prompts_page_follows_the_framework(client, cohort):
    login(client, cohort, Role.SENCO)
    renewed = client.get(reverse("reports:prompts"), {"year": cohort.year}).content.decode()
    assert "1. Inclusion: identifying needs early and accurately" in renewed
    assert "Source: School inspection toolkit (Ofsted, November 2025), evaluation area: Inclusion." in renewed
    assert "School inspection operating guide (Ofsted, November 2025)" in renewed
    assert "Pupils outside lessons" not in renewed
    statuses = {f"status_{n}": "not_started" for n in range(1, 12)}
    response = client.post(
        reverse("reports:prompts_edit") + f"?year={cohort.year}",
        statuses | {"response_1": "Concerns logged within a week.", "status_1": "evidenced"},
    )
    assert response.status_code == 302
    saved = PromptResponse.objects.get(school=cohort.school, academic_year=cohort.year, number=1)
    assert (saved.framework, saved.response) == ("2025", "Concerns logged within a week.")

    services.sef_framework_set(
        school=cohort.school, academic_year=cohort.year, framework="2019", by=cohort.members[Role.SENCO].user
    )
    old = client.get(reverse("reports:prompts"), {"year": cohort.year}).content.decode()
    assert "13. Behaviour and attendance" in old and "Inclusion: identifying needs" not in old
    assert "Concerns logged within a week." not in old  # the renewed framework's response stays with it


def test_a_snapshot_kept_before_the_choice_loads_as_the_2019_framework(cohort):
    dumped = snapshot.dump(sef_figures(cohort.school, cohort.year - 2, anonymised=True))
    del dumped["framework"], dumped["inclusion"]
    loaded = snapshot.load(dumped)
    assert (loaded.framework, loaded.inclusion, loaded.renewed) == ("2019", None, False)
    assert [key for key, _ in loaded.sections][:4] == ["context", "attainment", "attendance", "interventions"]
