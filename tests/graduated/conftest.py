"""A small hand-worked cohort for the costs: pupil P in two group interventions and one
individual provision, with the other pupils of P's groups.

Run A: 3 sessions a week x 30 min x 10 weeks = 15 hours, at £24/h = £360, plus £120 resources
= £480 for the run, shared by its 4 pupils (P, Q1, Q2, Q3): £120.00 each, 1.5 hours a week.
Run B: 2 sessions a week x 45 min x 12 weeks = 18 hours, at £18/h = £324, plus £90 resources
= £414, shared by its 3 pupils (P, Q1, R1): £138.00 each, 1.5 hours a week.
P's in-class support: 10 hours a week x 38 weeks = 380 hours at £13.50/h = £5,130.00.
P: 120 + 138 + 5,130 = £5,388 a year, 13 hours a week. Q1: 120 + 138 = £258. Q2 and Q3: £120.
R1: £138.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from core.calendar import current_academic_year
from graduated.models import Provision
from pupils.models import SenStatus
from tests.factories import (
    InterventionFactory,
    InterventionPlaceFactory,
    InterventionRunFactory,
    PupilFactory,
)


@dataclass
class Cohort:
    year: int
    p: object
    q1: object
    q2: object
    q3: object
    r1: object
    run_a: object
    run_b: object
    support: object


def make_cohort(school, year):
    def pupil(surname, need, status=SenStatus.SEN_SUPPORT):
        return PupilFactory(school=school, legal_surname=surname, primary_need=need, sen_status=status)

    p = pupil("Pemberton", "SLCN")
    q1, q2, q3 = pupil("Quayle", "SLCN"), pupil("Quinn", "SEMH"), pupil("Quartey", "SEMH")
    r1 = pupil("Rourke", "", SenStatus.NONE)
    talk = InterventionFactory(
        school=school,
        name="Talk Boost",
        sessions_per_week=3,
        session_minutes=30,
        weeks=10,
        staff_hourly_rate=Decimal("24"),
        resources_cost=Decimal("120"),
    )
    maths = InterventionFactory(
        school=school,
        name="Numbers Count",
        sessions_per_week=2,
        session_minutes=45,
        weeks=12,
        staff_hourly_rate=Decimal("18"),
        resources_cost=Decimal("90"),
    )
    run_a = InterventionRunFactory(intervention=talk, start_date=datetime.date(year, 9, 15), label="Group A")
    run_b = InterventionRunFactory(intervention=maths, start_date=datetime.date(year + 1, 1, 12))
    for member in (p, q1, q2, q3):
        InterventionPlaceFactory(run=run_a, pupil=member)
    for member in (p, q1, r1):
        InterventionPlaceFactory(run=run_b, pupil=member)
    # Not counted: a run of the year before, and provision no longer given.
    old = InterventionRunFactory(intervention=talk, start_date=datetime.date(year - 1, 9, 15))
    InterventionPlaceFactory(run=old, pupil=p)
    support = Provision.objects.create(
        pupil=p,
        academic_year=year,
        kind=Provision.Kind.IN_CLASS,
        description="TA support in English and maths lessons",
        hours_per_week=Decimal("10"),
        weeks=38,
        hourly_rate=Decimal("13.50"),
    )
    Provision.objects.create(
        pupil=p,
        academic_year=year,
        kind=Provision.Kind.TRANSPORT,
        description="Taxi to school",
        other_cost=Decimal("2000"),
        ended=True,
    )
    return Cohort(year, p, q1, q2, q3, r1, run_a, run_b, support)


@pytest.fixture
def cohort(school):
    return make_cohort(school, current_academic_year())
