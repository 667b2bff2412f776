"""A small hand-checkable cohort: two interventions of 2025/26 with their runs, scores and
sessions, written through the services so that the tests use the same paths as the views."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from core.roles import Role
from interventions import services
from tests.factories import InterventionFactory, MembershipFactory, PupilFactory, SchoolFactory
from tests.shared_rows import shared_rows

YEAR = 2025


@dataclass
class Cohort:
    school: object
    senco: object
    ta: object
    reading: object
    maths: object
    reading_run: object
    maths_run: object
    reading_places: list
    maths_places: list


def record_sessions(run, count, minutes, by, *, absent=None, first=None):
    """`count` sessions on consecutive weekdays from the run's start; `absent` maps a place to
    the number of those sessions (the first ones) it missed."""
    absent = absent or {}
    places = list(run.places.all())
    day = first or run.start_date
    for n in range(count):
        while day.weekday() >= 5:
            day += datetime.timedelta(days=1)
        present = [p for p in places if n >= absent.get(p.pk, 0)]
        services.session_record(run=run, date=day, minutes=minutes, present=present, by=by)
        day += datetime.timedelta(days=1)


def build_cohort(*, extra_pupils=0):
    school = SchoolFactory(name="Oakfield")
    senco = MembershipFactory(school=school, role=Role.SENCO)
    ta = MembershipFactory(school=school, role=Role.TEACHING_ASSISTANT)
    # Reading: £15 an hour, £30 of resources a run, 3 sessions a week of 30 minutes for 6 weeks.
    reading = InterventionFactory(
        school=school,
        name="Reading fluency",
        area_of_need="SPLD",
        staff_hourly_rate=Decimal("15.00"),
        resources_cost=Decimal("30.00"),
        sessions_per_week=3,
        session_minutes=30,
        weeks=6,
        group_size=3,
        measure_name="words read correctly in a minute",
    )
    # Maths: £20 an hour, no resources, 2 sessions a week of 60 minutes for 10 weeks.
    maths = InterventionFactory(
        school=school,
        name="Number sense",
        area_of_need="MLD",
        staff_hourly_rate=Decimal("20.00"),
        resources_cost=Decimal("0"),
        sessions_per_week=2,
        session_minutes=60,
        weeks=10,
    )
    readers = [
        PupilFactory(school=school, year_group=4, sen_status="K", legal_surname=f"Reader{i}")
        for i in range(3)
    ]
    counters = [
        PupilFactory(school=school, year_group=5, sen_status="K", legal_surname=f"Counter{i}")
        for i in range(2)
    ]
    for i in range(extra_pupils):
        PupilFactory(school=school, year_group=4, sen_status="N", legal_surname=f"Extra{i}")
    reading_run = services.run_save(
        intervention=reading,
        staff=[ta.user],
        pupils=readers,
        label="Year 4",
        start_date=datetime.date(YEAR, 9, 15),
        end_date=datetime.date(YEAR, 10, 24),
    )
    maths_run = services.run_save(
        intervention=maths,
        staff=[senco.user],
        pupils=counters,
        start_date=datetime.date(YEAR + 1, 1, 5),
        end_date=datetime.date(YEAR + 1, 3, 27),
    )
    reading_places = sorted(reading_run.places.select_related("pupil"), key=lambda p: p.pupil.legal_surname)
    maths_places = sorted(maths_run.places.select_related("pupil"), key=lambda p: p.pupil.legal_surname)
    for place, baseline, exit_score, met in zip(
        reading_places, (10, 12, 15), (16, 15, 21), (True, False, True), strict=True
    ):
        services.place_update(
            place=place, baseline=Decimal(baseline), exit_score=Decimal(exit_score), exit_criteria_met=met
        )
    for place, baseline, exit_score in zip(maths_places, (80, 90), (88, 92), strict=True):
        services.place_update(
            place=place, baseline=Decimal(baseline), exit_score=Decimal(exit_score), exit_criteria_met=True
        )
    # 18 reading sessions of 30 minutes; Reader2 missed the first 16 of them.
    record_sessions(reading_run, 18, 30, ta.user, absent={reading_places[2].pk: 16})
    # 20 maths sessions of 60 minutes, everyone present.
    record_sessions(maths_run, 20, 60, senco.user)
    return Cohort(school, senco, ta, reading, maths, reading_run, maths_run, reading_places, maths_places)


@shared_rows
def cohort():
    return build_cohort()
