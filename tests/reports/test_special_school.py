"""A special school (every pupil has SEND) in the SEF and a case study. The cohort and its
figures are worked by hand in tests/gaps/framework_cohort.py (build_special_school): Year 4
Reading at Spring, 9 SEND pupils and no one else; 1 of 9 at or above ARE (11%), 7 of 9 made
expected progress or better (78%): 1 of 2 on the school's scale, 2 of 2 on pre-key stage 2
standards, 1 of 2 on reading age, 3 of 3 on small steps."""

import datetime

import pytest
from django.urls import reverse

from assessment.models import EngagementObservation
from attendance.models import Attendance
from core.roles import Role
from reports.models import CaseStudy
from reports.sef import sef_figures
from reports.selectors import _outcomes_by_year
from tests.factories import PupilFactory
from tests.gaps.builders import THIS_YEAR, pupils
from tests.gaps.framework_cohort import build_special_school
from tests.gaps.test_lines import text_of

pytestmark = pytest.mark.django_db

NO_GAP = (
    "every pupil assessed is on the SEND record, so there are no other pupils in the school to "
    "compare with and no in-school gap."
)


def test_the_sef_finding_says_there_is_no_one_to_compare_with():
    """Not "the groups are too small to compare" (nine is no small group): the SEND pupils'
    own figures, and on which framework each was judged."""
    school = build_special_school()
    findings = sef_figures(school["school"], THIS_YEAR, anonymised=False).attainment.findings
    spring = f"Spring {THIS_YEAR}/{(THIS_YEAR + 1) % 100:02d}"
    assert findings == [
        f"At or above ARE: {NO_GAP} SEND pupils: Reading 11% (1/9) at {spring}.",
        f"Expected progress or better: {NO_GAP} SEND pupils: Reading 78% (7/9) at {spring}. "
        "Reading: 7 of 9 made expected progress or better: 1 of 2 on the school's scale, 2 of 2 on "
        "pre-key stage 2 standards, 1 of 2 on reading age, 3 of 3 on small steps.",
    ]


def test_a_governor_reads_the_finding_with_both_shares_hidden(client):
    """Threshold 5: 1 at ARE and the 2 short of expected progress are each under 5, so both
    shares read "c" and the breakdown by framework is not given."""
    school = build_special_school()
    findings = sef_figures(school["school"], THIS_YEAR, anonymised=True).attainment.findings
    spring = f"Spring {THIS_YEAR}/{(THIS_YEAR + 1) % 100:02d}"
    assert findings == [
        f"At or above ARE: {NO_GAP} SEND pupils: Reading c at {spring}.",
        f"Expected progress or better: {NO_GAP} SEND pupils: Reading c at {spring}.",
    ]
    client.force_login(school[Role.GOVERNOR].user)
    response = client.get(reverse("reports:sef_governor"), {"year": THIS_YEAR})
    text = text_of(response)
    assert f"Expected progress or better: {NO_GAP}" in text
    assert "too small to compare" not in text
    assert "1 of 2" not in text


def test_a_case_study_of_a_pupil_on_the_engagement_model_points_to_the_observations(client):
    """A pupil with no assessment over time but two Engagement Model observations: the progress
    summary names where their progress is, rather than "not enough assessments"."""
    school = build_special_school()
    (pupil,) = pupils(school["school"], 1, primary_need="PMLD")
    senco = school[Role.SENCO]
    for day, established in ((datetime.date(THIS_YEAR, 9, 15), 1), (datetime.date(THIS_YEAR, 11, 10), 2)):
        EngagementObservation.objects.create(
            pupil=pupil,
            observer=senco.user,
            observed_on=day,
            area="exploration",
            established=established,
            note="Reached for the textured mat.",
        )
    study = CaseStudy.objects.create(pupil=pupil, pupil_label="Pupil A")
    client.force_login(senco.user)
    text = text_of(client.get(reverse("reports:case_study", kwargs={"pk": study.pk})))
    assert "Assessed on the Engagement Model: progress is followed area by area" in text
    assert "Not enough assessments over time" not in text
    assert "Exploration: emerging (Sep) → developing (Nov)" in text
    # A pupil with neither still reads that there is not enough.
    (other,) = pupils(school["school"], 1, primary_need="MLD")
    plain = CaseStudy.objects.create(pupil=other, pupil_label="Pupil B")
    text = text_of(client.get(reverse("reports:case_study", kwargs={"pk": plain.pk})))
    assert "Not enough assessments over time for a progress summary." in text


@pytest.mark.django_db
def test_a_case_studys_persistent_absence_is_decided_on_the_sessions_not_the_rounded_rate():
    """1,799 of 2,000 sessions is 89.95%: shown as 90.0%, and still below 90%, so persistently
    absent; 1,800 of 2,000 is exactly 90% and is not."""
    below, at = PupilFactory(), PupilFactory()
    for pupil, attended in ((below, (630, 630, 539)), (at, (630, 630, 540))):
        for term, (possible, came) in enumerate(zip((700, 700, 600), attended, strict=True), start=1):
            Attendance.objects.create(
                pupil=pupil, academic_year=2025, term=term, possible_sessions=possible, attended_sessions=came
            )
    below_year = _outcomes_by_year(below, {})[2025]
    at_year = _outcomes_by_year(at, {})[2025]
    assert (below_year.attendance, below_year.persistent_absence) == ("90.0%", True)
    assert (at_year.attendance, at_year.persistent_absence) == ("90.0%", False)
