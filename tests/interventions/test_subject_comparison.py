"""Did class-subject progress on the termly grid move for pupils in a run, against comparable
pupils who were not in it?"""

import datetime
from decimal import Decimal

import pytest

from assessment.models import AssessmentPoint, Subject
from interventions import selectors, services
from tests.factories import InterventionFactory, PupilFactory, SchoolFactory, assessment_create

pytestmark = pytest.mark.django_db


def make_point(school, order, name, starts_on):
    # The grid points carry their start date once the termly-data issue lands.
    dated = any(f.name == "starts_on" for f in AssessmentPoint._meta.get_fields())
    extra = {"starts_on": starts_on} if dated else {}
    return AssessmentPoint.objects.create(school=school, academic_year=2025, order=order, name=name, **extra)


def test_grid_change_of_run_pupils_against_comparable_pupils(db):
    school = SchoolFactory()
    maths = Subject.objects.create(school=school, name="Maths")
    autumn = make_point(school, 1, "Autumn", datetime.date(2025, 9, 1))
    spring = make_point(school, 2, "Spring", datetime.date(2026, 1, 5))
    intervention = InterventionFactory(school=school, subject=maths)

    def pupil(year, status, before, after, surname):
        p = PupilFactory(school=school, year_group=year, sen_status=status, legal_surname=surname)
        assessment_create(pupil=p, subject=maths, point=autumn, points=Decimal(before))
        assessment_create(pupil=p, subject=maths, point=spring, points=Decimal(after))
        return p

    # In the run: 10 -> 14, 12 -> 15, 15 -> 20: changes 4, 3, 5, mean 4.
    group = [pupil(4, "K", 10, 14, "G1"), pupil(4, "K", 12, 15, "G2"), pupil(4, "E", 15, 20, "G3")]
    # Comparable (Year 4, on the SEND record, not in it): 11 -> 12 and 13 -> 16, mean of 1 and 3 = 2.
    pupil(4, "K", 11, 12, "C1")
    pupil(4, "E", 13, 16, "C2")
    # Not comparable: not on the SEND record, or another year group.
    pupil(4, "N", 10, 20, "N1")
    pupil(5, "K", 10, 30, "Y5")
    services.run_save(
        intervention=intervention,
        staff=[],
        pupils=group,
        start_date=datetime.date(2025, 11, 3),
        baseline_point=autumn,
        review_point=spring,
    )
    [row] = selectors.class_subject_comparison(school, 2025)
    assert (row.group_pupils, row.group_change) == (3, Decimal("4.00"))
    assert (row.comparison_pupils, row.comparison_change) == (2, Decimal("2.00"))
    assert row.difference == Decimal("2.00")
    # A governor with a threshold of 5 does not see the group of 3's figure.
    [row] = selectors.class_subject_comparison(school, 2025, suppress_below=5)
    assert row.suppressed and row.group_change is None
