import datetime

import pytest
from django.db.models import Avg, Count

from assessment.models import Assessment, AssessmentPoint, AttainmentBand, Subject, SupportObservation, Target
from demo.assessment_data import add_assessment_history
from demo.generator import DemoBuilder, build_demo
from pupils.models import SenStatus
from tests.shared_rows import shared_rows

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

TODAY = datetime.date(2026, 11, 23)


@shared_rows
def demo():
    built = build_demo(pupils=140, seed=11, today=TODAY)
    if not Assessment.objects.exists():  # the extension is listed in demo/extensions.py
        add_assessment_history(DemoBuilder(seed=11, today=TODAY), built)
    return built


def test_five_years_of_six_half_terms_up_to_today(demo):
    school = demo["schools"][0].school
    points = AssessmentPoint.objects.filter(school=school)
    # 2022/23 to 2026/27, six points each; 23 November 2026 is in Autumn 2 of 2026/27.
    assert points.count() == 30
    assert sorted(set(points.values_list("academic_year", flat=True))) == [2022, 2023, 2024, 2025, 2026]
    with_data = set(
        Assessment.objects.filter(point__school=school).values_list("point__name", "point__academic_year")
    )
    assert ("Autumn 2", 2026) in with_data and ("Spring 1", 2026) not in with_data


def test_every_pupil_has_the_subjects_of_their_year_at_the_latest_point(demo):
    """Autumn 2 ends a term: the termly foundation subjects are assessed beside the half-termly
    ones. Reception: reading, writing, maths, GPS and phonics (5). Years 1 and 2: those and
    science (6) and the eight foundation subjects: 14. Years 3 to 6: no phonics, French: 14."""
    school = demo["schools"][0].school
    latest = AssessmentPoint.objects.get(school=school, academic_year=2026, order=2)
    per_pupil = (
        Assessment.objects.filter(point=latest)
        .values("pupil", "year_group")
        .annotate(n=Count("id"))
        .values_list("year_group", "n")
    )
    assert {year: n for year, n in per_pupil} == {0: 5, 1: 14, 2: 14, 3: 14, 4: 14, 5: 14, 6: 14}
    # 4 default subjects, phonics, science, 8 foundation subjects and French.
    assert Subject.objects.filter(school=school).count() == 15
    # Autumn 1 is not the end of a term: the half-termly subjects alone (Year 3: 5).
    first = AssessmentPoint.objects.get(school=school, academic_year=2026, order=1)
    assert set(
        Assessment.objects.filter(point=first, year_group=3)
        .values("pupil")
        .annotate(n=Count("id"))
        .values_list("n", flat=True)
    ) == {5}


def test_send_pupils_are_lower_and_ehcp_lower_still(demo):
    """Shares on track or above, near the national picture: most pupils with no SEN, about a third
    on SEN support, few with an EHC plan (wide bounds: 140 pupils, 20 of them with SEND)."""
    school = demo["schools"][0].school
    latest = Assessment.objects.filter(point__school=school, point__academic_year=2026, point__order=2)
    on_track = AttainmentBand.objects.filter(school=school).order_by("order")[1]
    share = {}
    for status in (SenStatus.NONE, SenStatus.SEN_SUPPORT, SenStatus.EHCP):
        rows = latest.filter(pupil__sen_status=status)
        share[status] = rows.filter(attainment__order__gte=on_track.order).count() / rows.count()
    assert share[SenStatus.NONE] > share[SenStatus.SEN_SUPPORT] > share[SenStatus.EHCP]
    assert share[SenStatus.NONE] > 0.6
    assert 0.1 < share[SenStatus.SEN_SUPPORT] < 0.6
    assert share[SenStatus.EHCP] < 0.3


def test_gap_narrows_in_reading_and_widens_in_maths(demo):
    school = demo["schools"][0].school

    def gap(subject, year):
        rows = Assessment.objects.filter(
            point__school=school,
            subject__name=subject,
            point__academic_year=year,
            point__order=2,
            pupil__year_group__gte=4,
        )
        others = rows.filter(pupil__sen_status=SenStatus.NONE).aggregate(m=Avg("points"))["m"]
        send = rows.exclude(pupil__sen_status=SenStatus.NONE).aggregate(m=Avg("points"))["m"]
        return float(others - send)

    assert gap("Reading", 2026) < gap("Reading", 2024)
    assert gap("Maths", 2026) > gap("Maths", 2024)


def test_targets_and_support_scale_for_send_pupils_only(demo):
    school = demo["schools"][0].school
    targets = Target.objects.filter(pupil__school=school)
    observations = SupportObservation.objects.filter(pupil__school=school)
    assert targets.exists() and observations.exists()
    assert not targets.filter(pupil__sen_status=SenStatus.NONE).exists()
    assert not observations.filter(pupil__sen_status=SenStatus.NONE).exists()
    assert set(observations.values_list("level", flat=True)) <= set(range(1, 7))
