"""Demo attendance, suspensions, behaviour counts and participation for every school.

Shares follow the national picture the seeds ask schools to compare against (seeds/002 Part
One E to H): about 20-25% of pupils with SEND and about 10% of other pupils persistently
absent in a term; suspensions a few, over-represented among pupils whose primary need is
SEMH; SEND pupils a little less often on clubs, trips and residential visits. Everything is
written with bulk_create.
"""

import datetime
import math
import random
from decimal import Decimal

from attendance.models import Attendance, BehaviourCount, Exclusion, Participation
from core.calendar import Term
from pupils.models import Pupil, SenStatus

POSSIBLE = {Term.AUTUMN: 140, Term.SPRING: 118, Term.SUMMER: 126}  # two sessions a day
TERM_MONTHS = {Term.AUTUMN: (9, 12), Term.SPRING: (1, 3), Term.SUMMER: (4, 7)}
PERSISTENT = {"send": 0.22, "other": 0.10}
SUSPENSION_PER_YEAR = {"semh": 0.10, "send": 0.035, "other": 0.012}
BEHAVIOUR_MEAN = {"semh": 4.0, "send": 1.8, "other": 0.7}
CLUBS = ["Choir", "Football club", "Coding club", "Art club", "Chess club", "Drama club"]
TRIPS = ["Science museum", "Theatre visit", "Local nature reserve", "Castle visit"]


# The first and last school day of each term, as (month, day): near a typical English year.
TERM_DAYS = {Term.AUTUMN: ((9, 3), (12, 19)), Term.SPRING: ((1, 5), (3, 27)), Term.SUMMER: ((4, 13), (7, 21))}


def _term_span(year, term):
    calendar_year = year if term == Term.AUTUMN else year + 1
    (m1, d1), (m2, d2) = TERM_DAYS[term]
    return datetime.date(calendar_year, m1, d1), datetime.date(calendar_year, m2, d2)


def _terms(year_start, today):
    """The last three academic years' terms up to today's, each with the share of its sessions
    held by today (1 for a finished term, less for the term under way)."""
    started = []
    for year in range(year_start - 2, year_start + 1):
        for term in Term:
            first, last = _term_span(year, term)
            if first <= today:
                held = min(1.0, ((today - first).days + 1) / ((last - first).days + 1))
                started.append((year, term, held))
    return started


def _day(rng, year, term):
    first, last = TERM_MONTHS[term]
    calendar_year = year if term == Term.AUTUMN else year + 1
    return datetime.date(calendar_year, rng.randint(first, last), rng.randint(1, 28))


def _group(pupil):
    if pupil.primary_need == "SEMH" and pupil.sen_status != SenStatus.NONE:
        return "semh"
    return "send" if pupil.sen_status != SenStatus.NONE else "other"


def _poisson(rng, mean):
    count, limit, product = 0, 2.718281828459045 ** (-mean), rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def add_attendance(builder, demo):
    rng = random.Random(builder.seed + 30)
    terms = _terms(builder.year_start, builder.today)
    for built in demo["schools"]:
        pupils = list(
            Pupil.objects.filter(school=built.school, archived_at__isnull=True)
            .only("pk", "sen_status", "primary_need", "year_group", "school_id")
            .order_by("pk")
        )
        attendance, behaviour, exclusions, activities = [], [], [], []
        for pupil in pupils:
            group = _group(pupil)
            send = group != "other"
            joined = builder.joined(pupil.pk)
            # Only the terms the pupil was at the school for (none before they joined).
            pupil_terms = [(y, t, held) for y, t, held in terms if _term_span(y, t)[1] >= joined]
            for year, term, held in pupil_terms:
                attendance.append(_attendance(rng, pupil, year, term, send, held))
                behaviour.append(
                    BehaviourCount(
                        pupil=pupil,
                        academic_year=year,
                        term=term,
                        incidents=_poisson(rng, BEHAVIOUR_MEAN[group]),
                    )
                )
            for year in sorted({y for y, _t, _held in pupil_terms}):
                exclusions.extend(_exclusions(rng, builder, pupil, year, group))
                activities.extend(_activities(rng, builder, pupil, year, send, built))
        Attendance.objects.bulk_create(attendance, batch_size=5000)
        BehaviourCount.objects.bulk_create(behaviour, batch_size=5000)
        Exclusion.objects.bulk_create(exclusions, batch_size=5000)
        Participation.objects.bulk_create(activities, batch_size=5000, ignore_conflicts=True)


def _attendance(rng, pupil, year, term, send, held=1.0):
    # Sessions so far in the term under way: two a day, never a session still to come.
    possible = max(2, 2 * round(POSSIBLE[term] * held / 2))
    if rng.random() < PERSISTENT["send" if send else "other"]:
        rate = rng.uniform(0.70, 0.894)
    else:
        rate = rng.uniform(0.90, 0.985 if send else 1.0)
    # Rounded up, so that a rate drawn at 90% or more stays at 90% or more in a short term.
    attended = min(possible, math.ceil(possible * rate))
    missed = possible - attended
    unauthorised = int(missed * rng.uniform(0.0, 0.5 if rate < 0.9 else 0.25))
    return Attendance(
        pupil=pupil,
        academic_year=year,
        term=term,
        possible_sessions=possible,
        attended_sessions=attended,
        authorised_absence=missed - unauthorised,
        unauthorised_absence=unauthorised,
    )


def _exclusions(rng, builder, pupil, year, group):
    found = []
    while rng.random() < SUSPENSION_PER_YEAR[group] and len(found) < 3:
        term = rng.choice(list(Term))
        start = _day(rng, year, term)
        if not builder.within(pupil.pk, start):
            break
        found.append(
            Exclusion(
                pupil=pupil,
                kind=Exclusion.Kind.SUSPENSION,
                start_date=start,
                academic_year=year,
                days=Decimal(rng.choice(["0.5", "1", "1", "2", "3", "5"])),
                reason=rng.choice(
                    ["Persistent disruptive behaviour", "Physical assault against a pupil", "Verbal abuse"]
                ),
            )
        )
    return found


def _activities(rng, builder, pupil, year, send, built):
    found = []
    take_part = 0.88 if send else 0.95
    if rng.random() < (0.45 if send else 0.55):
        found.append(("club", rng.choice(CLUBS), datetime.date(year, 10, 1)))
    for n, trip in enumerate(TRIPS[:2]):
        if rng.random() < take_part:
            found.append(("trip", trip, datetime.date(year + 1, 3 + 2 * n, 10 + pupil.year_group)))
    residential_year = 6 if built.school.phase == "primary" else 7
    if pupil.year_group == residential_year and rng.random() < take_part - 0.1:
        found.append(("residential", f"Year {residential_year} residential", datetime.date(year + 1, 6, 9)))
    return [
        Participation(pupil=pupil, kind=kind, activity=activity, date=day, academic_year=year)
        for kind, activity, day in found
        if builder.within(pupil.pk, day)
    ]
