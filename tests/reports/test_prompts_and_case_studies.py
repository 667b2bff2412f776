"""Appendix A prompts with the evidence tagged to them, and the Appendix B case study flow."""

import datetime

import pytest
from django.urls import reverse

from core.roles import Role
from evidence.models import OfstedPrompt, PartTwoQuestion
from reports.models import CaseStudy, SefReport
from reports.sef import sef_figures
from tests.factories import EvidenceItemFactory
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


def test_prompt_shows_the_evidence_tagged_to_it(client, cohort):
    item = EvidenceItemFactory(
        school=cohort.school, date=datetime.date(cohort.year, 10, 7), summary="Learning walk at lunchtime."
    )
    item.prompts.add(OfstedPrompt.objects.get(number=5))
    SefReport.objects.create(school=cohort.school, academic_year=cohort.year, framework="2019")
    client.force_login(cohort.members[Role.HEAD].user)
    text = pdf_text(client.get(reverse("reports:prompts"), {"year": cohort.year, "format": "pdf"}).content)
    after_five = text.rsplit("5. Pupils outside lessons", 1)[1].split("6. Curriculum intent", 1)[0]
    assert "Learning walk at lunchtime. (strength)" in after_five


def test_sef_counts_part_two_evidence_for_governors_too(cohort):
    question = PartTwoQuestion.objects.order_by("pk").first()
    for judgement in ("strength", "strength", "development"):
        item = EvidenceItemFactory(
            school=cohort.school, date=datetime.date(cohort.year, 10, 7), judgement=judgement
        )
        item.questions.add(question)
    qualitative = sef_figures(cohort.school, cohort.year, anonymised=True).qualitative
    assert qualitative.available
    assert (qualitative.strengths, qualitative.developments) == (2, 1)


def test_senco_builds_a_case_study_and_prints_it(client, cohort):
    pupil = cohort.send[0]
    client.force_login(cohort.members[Role.SENCO].user)
    page = client.get(reverse("reports:case_studies")).content.decode()
    assert pupil.full_name in page
    response = client.post(reverse("reports:case_study_create", kwargs={"pk": pupil.pk}))
    study = CaseStudy.objects.get(pupil=pupil)
    assert response.status_code == 302 and study.pupil_label == pupil.forename
    edit = reverse("reports:case_study_edit", kwargs={"pk": study.pk})
    bad = client.post(
        edit, {"pupil_label": f"{pupil.forename} {pupil.legal_surname}", "staff_skills": "Makaton"}
    )
    assert bad.status_code == 400 and "Makaton" in bad.content.decode()
    good = client.post(
        edit, {"pupil_label": "Pupil A", "staff_skills": "Makaton training for two assistants."}
    )
    assert good.status_code == 302
    text = pdf_text(
        client.get(reverse("reports:case_study", kwargs={"pk": study.pk}), {"format": "pdf"}).content
    )
    assert "Pupil A" in text and "Makaton training for two assistants." in text
    assert pupil.legal_surname not in text and pupil.legal_forename not in text
    # The pupil's record: placed 1 October last year; reading B at last summer and at spring
    # (the latest point of each year); attendance 95 of 100 = 95.0%; two suspensions, 2.5 days.
    assert f"1 October {cohort.year - 1}" in text
    assert "95.0%" in text and "2 (2.5)" in text
    assert "6" in text  # behaviour incidents this year


def test_head_reads_but_does_not_edit_case_studies(client, cohort):
    study = CaseStudy.objects.create(pupil=cohort.send[1], pupil_label="Pupil B")
    client.force_login(cohort.members[Role.HEAD].user)
    assert client.get(reverse("reports:case_study", kwargs={"pk": study.pk})).status_code == 200
    assert client.get(reverse("reports:case_study_edit", kwargs={"pk": study.pk})).status_code == 403
    client.force_login(cohort.members[Role.TEACHER].user)
    assert client.get(reverse("reports:case_study", kwargs={"pk": study.pk})).status_code == 403
