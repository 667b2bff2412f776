"""The one definition of "at or above ARE" and "expected progress or better" (assessment.bands),
and the cohort of a point: pupils who have left since still count, in the year group they were
in."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count

from assessment.bands import Bands, Scale, assessments_at, year_group_now
from assessment.models import Assessment, AssessmentPoint, AttainmentBand, ProgressBand, Subject
from assessment.services import scheme_set_up_defaults
from core.calendar import current_academic_year
from pupils.models import Pupil
from tests.factories import PupilFactory, SchoolFactory, assessment_create

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
THIS_YEAR = current_academic_year()


def codes(bands):
    return [b.code for b in bands]


def test_every_band_above_the_lowest_meets_the_line_whatever_the_order_numbers():
    # Orders 20, 5, 10 and 40: the lowest is 5 (WTS), so EXS (10), GDS (20) and the fourth (40)
    # meet the line; the threshold is the order of the band just above the lowest.
    scale = Scale.of(
        [
            AttainmentBand(pk=1, order=20, code="GDS"),
            AttainmentBand(pk=2, order=5, code="WTS"),
            AttainmentBand(pk=3, order=10, code="EXS"),
            AttainmentBand(pk=4, order=40, code="HNS"),
        ]
    )
    assert codes(scale.bands) == ["WTS", "EXS", "GDS", "HNS"]
    assert scale.lowest.code == "WTS"
    assert scale.threshold == 10
    assert codes(scale.meeting) == ["EXS", "GDS", "HNS"]
    # A threshold set higher (as issue 13 will let a scheme do) leaves out the bands below it.
    assert codes(Scale(scale.bands, 20).meeting) == ["GDS", "HNS"]


def test_a_scale_of_one_band_or_none_has_no_band_over_the_line():
    assert Scale.of([AttainmentBand(pk=1, order=1, code="B")]).meeting == ()
    empty = Scale.of([])
    assert (empty.threshold, empty.lowest, empty.meeting) == (None, None, ())


def test_counts_with_the_default_scheme(django_assert_num_queries):
    """Below / On track / Exceeded and Below expected / Expected / Exceeded expected. Six
    Reading assessments: B, OT, OT, EX, and two with no attainment band; progress B, E, X, X,
    none, none. At or above ARE: OT, OT, EX = 3 of the 4 with a band. Expected progress or
    better: E, X, X = 3 of the 4 with a progress band."""
    school = SchoolFactory()
    scheme_set_up_defaults(school=school, academic_year=THIS_YEAR)
    point = AssessmentPoint.objects.filter(school=school).first()
    reading = Subject.objects.get(school=school, name="Reading")
    att = {b.code: b for b in AttainmentBand.objects.filter(school=school)}
    prog = {b.code: b for b in ProgressBand.objects.filter(school=school)}
    marks = [("B", "B"), ("OT", "E"), ("OT", "X"), ("EX", "X"), (None, None), (None, None)]
    for attainment, progress in marks:
        assessment_create(
            pupil=PupilFactory(school=school),
            point=point,
            subject=reading,
            attainment=att.get(attainment),
            progress=prog.get(progress),
        )
    with django_assert_num_queries(2):
        bands = Bands.of_school(school.pk)
    assert codes(bands.attainment.meeting) == ["OT", "EX"]
    assert codes(bands.progress.meeting) == ["E", "X"]
    figures = Assessment.objects.filter(point=point).aggregate(
        assessed=Count("pk", filter=bands.has_attainment),
        at_or_above=Count("pk", filter=bands.at_or_above_are),
        with_progress=Count("pk", filter=bands.has_progress),
        expected=Count("pk", filter=bands.expected_progress),
    )
    assert figures == {"assessed": 4, "at_or_above": 3, "with_progress": 4, "expected": 3}


def test_a_school_whose_scale_has_one_band_counts_nobody_at_or_above():
    school = SchoolFactory()
    scheme_set_up_defaults(school=school, academic_year=THIS_YEAR)
    point = AssessmentPoint.objects.filter(school=school).first()
    only = AttainmentBand.objects.filter(school=school).order_by("order").first()
    AttainmentBand.objects.filter(school=school).exclude(pk=only.pk).delete()
    assessment_create(
        pupil=PupilFactory(school=school),
        point=point,
        subject=Subject.objects.filter(school=school).first(),
        attainment=only,
    )
    bands = Bands.of_school(school.pk)
    assert Assessment.objects.filter(bands.has_attainment).count() == 1
    assert Assessment.objects.filter(bands.at_or_above_are).count() == 0


def _archived(day, hour, minute=0):
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def test_year_group_now_moves_a_leaver_on_by_the_years_since_they_left():
    school = SchoolFactory()
    on_roll = PupilFactory(school=school, year_group=4)
    this_year = PupilFactory(
        school=school, year_group=5, archived_at=_archived(datetime.date(THIS_YEAR, 9, 20), 12)
    )
    # Left Year 6 in July of last academic year: Year 7 now.
    last_july = PupilFactory(
        school=school, year_group=6, archived_at=_archived(datetime.date(THIS_YEAR, 7, 20), 12)
    )
    # Archived at half past midnight on 1 September, London time (23:30 on 31 August in UTC):
    # already this academic year, so not moved on.
    first_of_september = PupilFactory(
        school=school, year_group=2, archived_at=_archived(datetime.date(THIS_YEAR, 9, 1), 0, 30)
    )
    # Left Year 3 in September two academic years ago: Year 5 now.
    two_years = PupilFactory(
        school=school, year_group=3, archived_at=_archived(datetime.date(THIS_YEAR - 2, 9, 10), 12)
    )
    now = dict(Pupil.objects.filter(school=school).annotate(now=year_group_now("")).values_list("pk", "now"))
    assert now == {
        on_roll.pk: 4,
        this_year.pk: 5,
        last_july.pk: 7,
        first_of_september.pk: 2,
        two_years.pk: 5,
    }


def test_assessments_at_a_point_keep_the_pupils_who_have_left():
    school = SchoolFactory()
    scheme_set_up_defaults(school=school, academic_year=THIS_YEAR)
    point = AssessmentPoint.objects.filter(school=school).first()
    subject = Subject.objects.filter(school=school).first()
    stayed = PupilFactory(school=school)
    left = PupilFactory(school=school, archived_at=_archived(datetime.date(THIS_YEAR, 9, 20), 12))
    for pupil in (stayed, left):
        assessment_create(pupil=pupil, point=point, subject=subject)
    assert set(assessments_at([point.pk]).values_list("pupil_id", flat=True)) == {stayed.pk, left.pk}
