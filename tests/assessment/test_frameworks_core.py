"""Values on the school's other frameworks and the progress kept beside them
(assessment.frameworks), worked by hand.

The school's points: 2025/26 Autumn from 1 Sep 2025, Spring from 5 Jan 2026, Summer from 20 Apr
2026; 2026/27 Autumn from 1 Sep 2026, Spring from 4 Jan 2027. Their as-at dates: 4 Jan 2026,
19 Apr 2026, 31 Aug 2026; 3 Jan 2027, and 31 Aug 2027 for Spring 2026/27, the last point set up
for its year. Months between as-at dates count calendar months: Aug 2026 to Jan 2027 is 5."""

import datetime
from decimal import Decimal

import pytest

from assessment import frameworks
from assessment.models import (
    Assessment,
    AssessmentPoint,
    Framework,
    FrameworkPlacement,
    FrameworkStage,
    Subject,
)
from tests.factories import SchoolFactory
from tests.gaps.builders import pupils

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def school():
    school = SchoolFactory()
    for year, order, name, starts in (
        (2025, 1, "Autumn", D(2025, 9, 1)),
        (2025, 2, "Spring", D(2026, 1, 5)),
        (2025, 3, "Summer", D(2026, 4, 20)),
        (2026, 1, "Autumn", D(2026, 9, 1)),
        (2026, 2, "Spring", D(2027, 1, 4)),
    ):
        AssessmentPoint.objects.create(
            school=school, academic_year=year, order=order, name=name, starts_on=starts
        )
    Subject.objects.create(school=school, name="Reading")
    return school


def point(school, year, name):
    return AssessmentPoint.objects.get(school=school, academic_year=year, name=name)


def steps_framework(school):
    fw = Framework.objects.create(
        school=school, kind=Framework.Kind.STEPS, name="Reading steps", expected_per_year=Decimal(4)
    )
    FrameworkStage.objects.create(framework=fw, order=1, code="S1", name="First words", steps=6, offset=0)
    FrameworkStage.objects.create(
        framework=fw, order=2, code="S2", name="Simple sentences", steps=6, offset=6
    )
    return fw


def age_framework(school):
    return Framework.objects.create(
        school=school, kind=Framework.Kind.AGE, name="Reading age", test_name="Salford", expected_per_year=12
    )


def record(school, pupil, year, name, framework, text):
    value = frameworks.parse(framework, list(framework.stages.all()), text)
    return Assessment.objects.create(
        pupil=pupil,
        point=point(school, year, name),
        subject=Subject.objects.get(school=school),
        year_group=pupil.year_group,
        framework=framework,
        stage=value.stage,
        step=value.step,
        place=value.place,
        score=value.score,
    )


# -- reading what was typed -------------------------------------------------------------------


def test_a_seventh_pre_key_stage_standard_is_refused(school):
    ks2 = frameworks.kit_add(school, "Pre-key stage 2 standards")
    stages = list(ks2.stages.all())
    assert [s.code for s in stages] == ["PK1", "PK2", "PK3", "PK4", "PK5", "PK6"]
    assert frameworks.parse(ks2, stages, "pk4").place == 4
    with pytest.raises(frameworks.NotOnFramework, match="its codes are PK1, PK2, PK3, PK4, PK5, PK6"):
        frameworks.parse(ks2, stages, "PK7")


def test_a_step_the_stage_does_not_have_is_refused(school):
    fw = steps_framework(school)
    stages = list(fw.stages.all())
    assert frameworks.parse(fw, stages, "S2.3").place == 9  # six steps of S1, then the third
    with pytest.raises(frameworks.NotOnFramework, match="has 6 steps: type S2.1 to S2.6"):
        frameworks.parse(fw, stages, "S2.7")
    with pytest.raises(frameworks.NotOnFramework, match="has 6 steps"):
        frameworks.parse(fw, stages, "S2")


def test_ages_read_as_years_and_months_and_a_reading_age_of_40_is_refused(school):
    fw = age_framework(school)
    assert frameworks.parse(fw, [], "7y 6m").score == 90
    assert frameworks.parse(fw, [], "7:06").score == 90
    assert frameworks.parse(fw, [], "9").score == 108
    assert frameworks.show(fw, None, None, Decimal(90)) == "7y 6m"
    with pytest.raises(
        frameworks.NotOnFramework, match="40y 0m is outside Reading age's range, 3y 0m to 17y 0m"
    ):
        frameworks.parse(fw, [], "40")
    with pytest.raises(frameworks.NotOnFramework, match="not an age"):
        frameworks.parse(fw, [], "7y 14m")


def test_scores_within_the_tests_range(school):
    fw = Framework.objects.create(
        school=school, kind=Framework.Kind.SCORE, name="NGRT", value_min=69, value_max=141
    )
    assert frameworks.parse(fw, [], "96").score == 96
    with pytest.raises(frameworks.NotOnFramework, match="150 is outside NGRT's range, 69 to 141"):
        frameworks.parse(fw, [], "150")
    with pytest.raises(frameworks.NotOnFramework, match="not a score"):
        frameworks.parse(fw, [], "ninety")


# -- progress kept beside each value ------------------------------------------------------------


def test_standards_gained_against_one_a_year(school):
    ks2 = frameworks.kit_add(school, "Pre-key stage 2 standards")
    (pupil,) = pupils(school, 1, year_group=6)
    summer = record(school, pupil, 2025, "Summer", ks2, "PK2")
    autumn = record(school, pupil, 2026, "Autumn", ks2, "PK2")
    spring = record(school, pupil, 2026, "Spring", ks2, "PK3")
    frameworks.progress_refresh(school.pk, [(pupil.pk, summer.subject_id)])
    for row in (summer, autumn, spring):
        row.refresh_from_db()
    # Summer 2025/26 is the first value on the framework: nothing to measure from.
    assert (summer.gained, summer.months, summer.expected_met) == (None, None, None)
    # From Summer 2025/26 (31 Aug 2026) to Autumn (3 Jan 2027): 5 months, none expected.
    assert (autumn.gained, autumn.months, autumn.expected_met) == (0, 5, True)
    # To Spring (31 Aug 2027, the year's last point set up): 12 months, one standard expected.
    assert (spring.gained, spring.months, spring.expected_met) == (1, 12, True)
    assert (
        frameworks.progress_words(ks2, spring.gained, spring.months)
        == "+1 standard this year (expected 1 in 12 months)"
    )
    assert (
        frameworks.progress_words(ks2, autumn.gained, autumn.months)
        == "no standards gained this year (expected 1 standard a year: none due yet in 5 months)"
    )


def test_reading_age_ratio_gain(school):
    fw = age_framework(school)
    (pupil,) = pupils(school, 1, year_group=9)
    autumn = record(school, pupil, 2026, "Autumn", fw, "7y 0m")
    spring = record(school, pupil, 2026, "Spring", fw, "7y 10m")
    frameworks.progress_refresh(school.pk, [(pupil.pk, autumn.subject_id)])
    spring.refresh_from_db()
    # 3 Jan 2027 to 31 Aug 2027: 7 months; 10 months of reading age gained, 7 expected.
    assert (spring.gained, spring.months, spring.expected_met) == (10, 7, True)
    assert frameworks.progress_words(fw, spring.gained, spring.months) == (
        "10 months gained in 7 months: ratio gain 1.4 (useful impact)"
    )
    assert (
        frameworks.progress_words(fw, Decimal(10), 4)
        == "10 months gained in 4 months: ratio gain 2.5 (substantial impact)"
    )
    # Half way rounds up, as a reader rounds: 9 / 4 = 2.25 is 2.3 (half-even would give 2.2);
    # the band is named from the ratio as shown: 11 / 8 = 1.375 reads 1.4, useful impact.
    assert (
        frameworks.progress_words(fw, Decimal(9), 4)
        == "9 months gained in 4 months: ratio gain 2.3 (substantial impact)"
    )
    assert (
        frameworks.progress_words(fw, Decimal(11), 8)
        == "11 months gained in 8 months: ratio gain 1.4 (useful impact)"
    )


def test_small_steps_and_renumbering_after_an_edit(school):
    fw = steps_framework(school)
    (pupil,) = pupils(school, 1, year_group=4)
    summer = record(school, pupil, 2025, "Summer", fw, "S1.5")
    spring = record(school, pupil, 2026, "Spring", fw, "S2.2")
    frameworks.progress_refresh(school.pk, [(pupil.pk, summer.subject_id)])
    spring.refresh_from_db()
    # place 5 to place 8 over 12 months; four steps a year expected: 3 < 4.
    assert (spring.place, spring.gained, spring.months, spring.expected_met) == (8, 3, 12, False)
    # The SENCO splits the first stage into eight steps: S2.2 is now the tenth step.
    FrameworkStage.objects.filter(framework=fw, code="S1").update(steps=8)
    frameworks.renumber(fw)
    spring.refresh_from_db()
    assert (spring.place, spring.gained, spring.expected_met) == (10, 5, True)
    assert frameworks.show(fw, spring.stage, spring.step, None) == "S2.2"


def test_the_placement_in_force_is_the_latest_started(school):
    fw = steps_framework(school)
    (pupil,) = pupils(school, 1)
    reading = Subject.objects.get(school=school)
    FrameworkPlacement.objects.create(pupil=pupil, subject=reading, framework=fw, starts_on=D(2025, 9, 1))
    FrameworkPlacement.objects.create(pupil=pupil, subject=reading, framework=None, starts_on=D(2027, 1, 10))
    key = (pupil.pk, reading.pk)
    assert frameworks.placements_at([pupil.pk], D(2025, 8, 31)).get(key, "main") == "main"
    assert frameworks.placements_at([pupil.pk], D(2026, 12, 1))[key] == fw.pk
    assert frameworks.placements_at([pupil.pk], D(2027, 4, 18))[key] is None
