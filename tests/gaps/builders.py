"""Small cohorts for the gap tests: the default scheme of seeds/002 Part One C (Reading,
Writing, Maths, GPS; Below / On track / Exceeded; Autumn, Spring, Summer) in this academic year
and the last, and pupils with assessments written in bulk."""

import datetime
from decimal import Decimal

from django.utils import timezone
from stdnum.gb.upn import calc_check_digit

from assessment.models import (
    Assessment,
    AssessmentPoint,
    AttainmentBand,
    ProgressBand,
    Subject,
    Target,
    year_group_in,
)
from assessment.services import assessment_points_ensure, scheme_set_up_defaults
from core.calendar import academic_year_of
from pupils.models import Pupil, SenStatus, SenStatusChange

THIS_YEAR = academic_year_of(timezone.localdate())
# The date the builders' pupils have held their SEN status since: before every point they use.
STATUS_SINCE = datetime.date(THIS_YEAR - 3, 9, 1)


class Scheme:
    def __init__(self, school):
        scheme_set_up_defaults(school=school, academic_year=THIS_YEAR)
        assessment_points_ensure(school=school, academic_year=THIS_YEAR - 1)
        self.school = school
        self.subjects = {s.name: s for s in Subject.objects.filter(school=school)}
        self.att = {b.code: b for b in AttainmentBand.objects.filter(school=school)}
        self.prog = {b.code: b for b in ProgressBand.objects.filter(school=school)}
        self.points = {(p.academic_year, p.name): p for p in AssessmentPoint.objects.filter(school=school)}

    def point(self, name, year=THIS_YEAR):
        return self.points[(year, name)]


_counter = [0]


def _upn(n):
    body = f"8862{n:08d}"
    return calc_check_digit(body) + body


def pupils(school, n, *, sen_status=SenStatus.NONE, year_group=4, since=STATUS_SINCE, **fields):
    """`n` pupils, each with a history of one SEN status held since `since` (None: no history)."""
    start = _counter[0]
    _counter[0] += n
    made = Pupil.objects.bulk_create(
        Pupil(
            school=school,
            upn=_upn(start + i),
            legal_forename=f"F{start + i}",
            legal_surname=f"Surname-S{start + i}",  # no "-" in a CSRF token, so never found in one by chance
            date_of_birth=datetime.date(2016, 1, 1),
            gender="F",
            year_group=year_group,
            sen_status=sen_status,
            **fields,
        )
        for i in range(n)
    )
    made = list(Pupil.objects.filter(school=school).order_by("-pk")[:n])[::-1] if not made[0].pk else made
    if since is not None:
        SenStatusChange.objects.bulk_create(
            SenStatusChange(pupil=p, status=sen_status, effective_date=since) for p in made
        )
    return made


def assess(scheme, pupils, point, subject, attainment=None, progress=None, points=None, year_group=None):
    """Assessments of `pupils` at `point`, each with the pupil's year group then (the rule the app
    writes, assessment.models.year_group_in) unless `year_group` says otherwise."""
    Assessment.objects.bulk_create(
        Assessment(
            pupil=p,
            point=point,
            year_group=year_group_in(p, point.academic_year) if year_group is None else year_group,
            subject=scheme.subjects[subject],
            attainment=scheme.att[attainment] if attainment else None,
            progress=scheme.prog[progress] if progress else None,
            points=Decimal(points) if points is not None else None,
        )
        for p in pupils
    )


def targets(scheme, pupils, subject, attainment=None, points=None, year=THIS_YEAR):
    """End-of-year targets for `pupils` in `subject` (a band code, points, or both)."""
    Target.objects.bulk_create(
        Target(
            pupil=p,
            subject=scheme.subjects[subject],
            kind=Target.Kind.END_OF_YEAR,
            academic_year=year,
            attainment=scheme.att[attainment] if attainment else None,
            points=Decimal(points) if points is not None else None,
        )
        for p in pupils
    )
