"""Surveys on the four-point scale at two dates, and the change (seeds/004: TAs asked how
confident they are in supporting a pupil's increasing independence)."""

import pytest
from django.urls import reverse

from core.roles import Role
from evidence import selectors
from evidence.models import Survey

pytestmark = pytest.mark.django_db

QUESTION = "How confident are you in taking steps to support a pupil's increasing independence?"


@pytest.fixture
def senco_a(client, world):
    client.force_login(world["A"].members[Role.SENCO].user)
    return client


def record(client, survey, question, date, label, counts):
    data = {"date": date, "label": label}
    for answer, n in zip((1, 2, 3, 4), counts, strict=True):
        data[f"q{question.pk}_a{answer}"] = n
    return client.post(reverse("evidence:survey_round", kwargs={"pk": survey.pk}), data)


@pytest.fixture
def survey(senco_a):
    response = senco_a.post(
        reverse("evidence:survey_create"),
        {"kind": "staff", "title": "TA confidence", "questions": f"{QUESTION}\n\n"},
    )
    assert response.status_code == 302
    survey = Survey.objects.get()
    question = survey.questions.get()
    # Five TAs. Baseline: A little 1, Fairly 3, Very 1 (20% / 60% / 20%, as in seeds/004).
    assert record(senco_a, survey, question, "2025-09-20", "Baseline", (0, 1, 3, 1)).status_code == 302
    # After: Fairly 2, Very 3 (40% / 60%).
    assert record(senco_a, survey, question, "2026-03-20", "After training", (0, 0, 2, 3)).status_code == 302
    return survey


def test_change_from_baseline_to_after(survey):
    results = selectors.survey_results(survey)
    q = results.questions[0]
    baseline, after = q.rounds
    assert [str(c.share) for c in baseline.cells] == ["0% (0/5)", "20% (1/5)", "60% (3/5)", "20% (1/5)"]
    assert [str(c.share) for c in after.cells] == ["0% (0/5)", "0% (0/5)", "40% (2/5)", "60% (3/5)"]
    # Fairly or Very: 4/5 = 80% before, 5/5 = 100% after: +20 percentage points.
    assert (str(baseline.positive), str(after.positive), q.change_points) == ("80% (4/5)", "100% (5/5)", 20)


def test_page_has_an_svg_chart_and_its_table(senco_a, survey):
    page = senco_a.get(reverse("evidence:survey", kwargs={"pk": survey.pk})).content.decode()
    assert "<svg" in page and "<title" in page
    assert "60% (3/5)" in page and "+20 percentage points" in page
    assert 'style="' not in page.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_pdf_of_the_survey(senco_a, survey):
    from tests.pdf import pdf_text

    response = senco_a.get(reverse("evidence:survey", kwargs={"pk": survey.pk}), {"format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    assert "100% (5/5)" in pdf_text(response.content)


def test_governor_sees_small_counts_suppressed(client, world, survey):
    client.force_login(world["A"].members[Role.GOVERNOR].user)
    page = client.get(reverse("evidence:survey", kwargs={"pk": survey.pk})).content.decode()
    # Five answered (not under 5), but the counts 1, 2, 3 and 4 are under 5: shown as suppressed.
    assert ">c<" in page and "c: not shown, to protect pupils" in page
    assert "60% (3/5)" not in page
    assert "100% (5/5)" in page


def test_bad_rounds_are_refused_and_kept(senco_a, survey):
    question = survey.questions.get()
    response = record(senco_a, survey, question, "2026-03-20", "Again", (0, 0, 0, 0))
    assert response.status_code == 400
    assert "Enter how many people gave each answer." in response.content.decode()
    response = record(senco_a, survey, question, "2026-03-20", "Same date", (1, 0, 0, 0))
    assert response.status_code == 400
    assert "already has a round on that date" in response.content.decode()
    response = record(senco_a, survey, question, "2026-05-20", "Negative", (-1, 0, 2, 0))
    assert response.status_code == 400
    assert 'value="Negative"' in response.content.decode()
    assert survey.rounds.count() == 2


def test_other_school_and_other_roles(client, world, survey):
    client.force_login(world["B"].members[Role.SENCO].user)
    assert client.get(reverse("evidence:survey", kwargs={"pk": survey.pk})).status_code == 404
    client.force_login(world["A"].members[Role.HEAD].user)
    assert client.get(reverse("evidence:survey_round", kwargs={"pk": survey.pk})).status_code == 403
    assert client.post(reverse("evidence:survey_create"), {"kind": "staff", "title": "x"}).status_code == 403


def test_empty_survey_form_is_400(senco_a):
    response = senco_a.post(
        reverse("evidence:survey_create"), {"kind": "pupil", "title": "Pupil voice", "questions": " \n "}
    )
    assert response.status_code == 400
    assert "Pupil voice" in response.content.decode()
