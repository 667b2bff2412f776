"""The pupil journey and the case study with progress on other frameworks (issue 22): each
subject's progress text from the stored gained and months, and a move between frameworks, for
pupils of the mixed class worked by hand in tests/gaps/framework_cohort.py."""

import pytest
from django.urls import reverse

from core.calendar import academic_year_label
from core.roles import Role
from reports.models import CaseStudy
from tests.gaps.builders import THIS_YEAR
from tests.gaps.framework_cohort import build_framework_cohort, record
from tests.gaps.test_lines import text_of

pytestmark = pytest.mark.django_db

NOW = f"Spring {academic_year_label(THIS_YEAR)}"
BEFORE = f"Summer {academic_year_label(THIS_YEAR - 1)}"


@pytest.fixture
def mixed(db):
    return build_framework_cohort()


def journey(client, mixed, pupil):
    client.force_login(mixed[Role.SENCO].user)
    response = client.get(reverse("reports:journey", args=[pupil.pk]))
    assert response.status_code == 200
    return text_of(response)


def test_journey_says_each_pupils_progress_on_their_framework(client, mixed):
    said = {
        "s0": "Reading, on Small steps: +4 steps this year (expected 4 in 8 months), S2.2 at " + NOW,
        "k1": "Reading, on Pre-key stage 2 standards: no standards gained this year (expected 1 standard "
        "a year: none due yet in 8 months), PK2 at " + NOW,
        "r0": "Reading, on Reading age: 16 months gained in 8 months: ratio gain 2 (substantial impact), "
        "8y 4m at " + NOW,
        "r1": "Reading, on Reading age: 4 months gained in 8 months: ratio gain 0.5 (modest impact), "
        "6y 10m at " + NOW,
    }
    for label, sentence in said.items():
        assert sentence in journey(client, mixed, mixed["pupils"][label]), label


def test_journey_shows_a_move_between_frameworks(client, mixed):
    """m0 was on the pre-key stage 2 standards last summer (PK6) and is on the school's scale at
    Spring (On track): the move is said, and no steps are set against the school's bands."""
    m0 = mixed["pupils"]["m0"]
    record(
        mixed["scheme"],
        m0,
        mixed["scheme"].point("Summer", THIS_YEAR - 1),
        "Reading",
        mixed["frameworks"]["pk2"],
        "PK6",
    )
    text = journey(client, mixed, m0)
    assert (
        f"Reading: {m0.forename} moved from Pre-key stage 2 standards (PK6 at {BEFORE}) to the school's "
        f"scale (On track to achieve ARE at {NOW})."
    ) in text


def test_case_study_says_the_framework_progress(client, mixed):
    pupil = mixed["pupils"]["s1"]
    client.force_login(mixed[Role.SENCO].user)
    client.post(reverse("reports:case_study_create", kwargs={"pk": pupil.pk}))
    study = CaseStudy.objects.get(pupil=pupil)
    response = client.get(reverse("reports:case_study", kwargs={"pk": study.pk}))
    assert response.status_code == 200
    text = text_of(response)
    assert "Reading, on Small steps: +6 steps this year (expected 4 in 8 months), S2.3 at " + NOW in text
    # The year's outcome cell names the value and its framework.
    assert "S2.3 on Small steps" in text


def test_journey_targets_table_shows_the_latest_value_on_the_framework(client, mixed):
    """The table of targets shows each subject's latest assessment: for k0 (pre-key stage 2
    standards, PK4 at Spring) and r0 (reading age 8y 4m) their value on their framework, not
    "not assessed"."""
    for label, latest in (("k0", "PK4 (Pre-key stage 2 standards)"), ("r0", "8y 4m (Reading age)")):
        text = journey(client, mixed, mixed["pupils"][label])
        assert f"Reading {latest}" in text, label
        assert "Reading not assessed" not in text, label
