"""The Pupil Support Scale in the SEF (moved up, held, moved down, with shares) and in a case
study (the pupil's change in steps), on the hand-built cohort of conftest.py."""

import datetime

import pytest
from django.urls import reverse

from assessment.models import SupportObservation
from core.roles import Role
from reports.models import CaseStudy
from reports.sef import sef_figures
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


def _observe(cohort, pupil, rows):
    observer = cohort.members[Role.SENCO].user
    for day, level in rows:
        SupportObservation.objects.create(
            pupil=pupil, observed_on=day, level=level, context="Class", observer=observer
        )


@pytest.fixture
def observed(cohort):
    """This year: send[0] 2 -> 4 (up), send[1] 3 -> 3 (held), send[2] 4 -> 3 (down), send[3]
    1 -> 2 (up). others[0] is observed once: not counted. 4 pupils: up 2 = 50% (2/4), held
    1 = 25% (1/4), down 1 = 25% (1/4). send[0] was first observed last year, at Correcting."""
    y = cohort.year
    _observe(cohort, cohort.send[0], [(datetime.date(y - 1, 9, 12), 1), (datetime.date(y, 9, 15), 2)])
    _observe(cohort, cohort.send[0], [(datetime.date(y, 10, 20), 4)])
    _observe(cohort, cohort.send[1], [(datetime.date(y, 9, 15), 3), (datetime.date(y, 10, 20), 3)])
    _observe(cohort, cohort.send[2], [(datetime.date(y, 9, 15), 4), (datetime.date(y, 10, 20), 3)])
    _observe(cohort, cohort.send[3], [(datetime.date(y, 9, 15), 1), (datetime.date(y, 10, 20), 2)])
    _observe(cohort, cohort.others[0], [(datetime.date(y, 9, 15), 5)])
    return cohort


def test_sef_counts_pupils_who_moved_up_held_and_down(client, observed):
    support = sef_figures(observed.school, observed.year, anonymised=False).support
    assert [str(x) for x in (support.pupils, support.up, support.held, support.down)] == [
        "4",
        "50% (2/4)",
        "25% (1/4)",
        "25% (1/4)",
    ]
    client.force_login(observed.members[Role.SENCO].user)
    response = client.get(reverse("reports:sef"), {"year": observed.year, "format": "pdf"})
    text = pdf_text(response.content)
    assert "Pupil Support Scale: steps towards independence" in text
    assert "4 50% (2/4) 25% (1/4) 25% (1/4)" in text


def test_governor_sees_the_small_counts_hidden_together(observed):
    # 4 pupils, under the threshold of 5: the total and all three shares are hidden (one hidden
    # alone could be worked out from the total and the other two).
    support = sef_figures(observed.school, observed.year, anonymised=True).support
    assert [str(x) for x in (support.pupils, support.up, support.held, support.down)] == ["c"] * 4


def test_case_study_states_the_change_in_steps(client, observed):
    y = observed.year
    study = CaseStudy.objects.create(pupil=observed.send[0], pupil_label="Pupil A")
    client.force_login(observed.members[Role.SENCO].user)
    page = client.get(reverse("reports:case_study", kwargs={"pk": study.pk})).content.decode()
    assert (
        "<strong>Pupil Support Scale:</strong> Up 2 steps this year (Modelling to Prompting); "
        f"up 3 steps since the first observation (Correcting, 12/09/{y - 1}).</p>"
    ) in page
