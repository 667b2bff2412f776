"""The Pupil Support Scale summarised: how many steps a pupil moved towards independence.

A step is one level of the scale (1 Correcting ... 6 Independence); up is towards
independence. For one pupil, `support_change` states two changes from their observations:

- over the academic year: from the first observation of the year to the latest of the year;
- since the first observation ever: from it to the latest observation.

For example "Up 2 steps this year (Modelling to Prompting); up 3 steps since the first
observation (Correcting, 12/09/2024)". A year with one observation has no change to state yet;
a pupil observed once has only where they started.

For a school, `support_movement` counts the pupils observed at least twice in an academic year
by how their latest level of the year stands against their first: moved up, held, moved down.
One query, in the database.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery

from core.calendar import academic_year_of
from pupils.models import Pupil

from .models import SupportLevel, SupportObservation


def level_name(level):
    """ "Modelling" for 2: the level's name without its number."""
    return SupportLevel(level).label.split(" ", 1)[1]


def _steps(n):
    return f"{abs(n)} step{'s' if abs(n) != 1 else ''}"


def _moved(steps, when, detail):
    if steps > 0:
        return f"up {_steps(steps)} {when} ({detail})"
    if steps < 0:
        return f"down {_steps(steps)} {when} ({detail})"
    return None


@dataclass
class SupportChange:
    """One pupil's change on the scale, from their observations (oldest first)."""

    first: object  # the first observation ever
    first_of_year: object  # the first of the academic year, or None
    latest_of_year: object  # the latest of the academic year, or None
    latest: object  # the latest observation ever
    observed_this_year: int

    @property
    def steps_this_year(self):
        """Steps from the year's first observation to its latest; None with fewer than two."""
        if self.observed_this_year < 2:
            return None
        return self.latest_of_year.level - self.first_of_year.level

    @property
    def steps_since_first(self):
        """Steps from the first observation ever to the latest; None when observed once."""
        if self.latest.pk == self.first.pk:
            return None
        return self.latest.level - self.first.level

    @property
    def year_words(self):
        steps = self.steps_this_year
        if self.observed_this_year == 0:
            return "no observation this year"
        if steps is None:
            return (
                f"one observation this year ({level_name(self.latest_of_year.level)}), no change to state yet"
            )
        start, end = level_name(self.first_of_year.level), level_name(self.latest_of_year.level)
        return _moved(steps, "this year", f"{start} to {end}") or f"held at {end} this year"

    @property
    def since_first_words(self):
        first = f"{level_name(self.first.level)}, {self.first.observed_on:%d/%m/%Y}"
        steps = self.steps_since_first
        if steps is None:
            return f"first observed at {first.replace(',', ' on', 1)}"
        return (
            _moved(steps, "since the first observation", first)
            or f"no change since the first observation ({first})"
        )

    @property
    def words(self):
        text = f"{self.year_words}; {self.since_first_words}"
        return text[0].upper() + text[1:]


def support_change(observations, academic_year):
    """The SupportChange of one pupil's `observations` (oldest first), for `academic_year`;
    None when there are none."""
    if not observations:
        return None
    this_year = [o for o in observations if academic_year_of(o.observed_on) == academic_year]
    return SupportChange(
        first=observations[0],
        first_of_year=this_year[0] if this_year else None,
        latest_of_year=this_year[-1] if this_year else None,
        latest=observations[-1],
        observed_this_year=len(this_year),
    )


@dataclass
class SupportMovement:
    """Pupils observed at least twice in a year, by the change from their first level of the
    year to their latest."""

    pupils: int
    up: int
    held: int
    down: int


def support_movement(school_id, academic_year):
    """Counts of the school's pupils (leavers included: the year happened) observed at least
    twice in `academic_year` who moved up, held or moved down the scale. One query."""
    start = datetime.date(academic_year, 9, 1)
    end = datetime.date(academic_year + 1, 8, 31)
    of_year = SupportObservation.objects.filter(pupil_id=OuterRef("pk"), observed_on__range=(start, end))

    def level(*order):
        return Subquery(of_year.order_by(*order).values("level")[:1], output_field=IntegerField())

    counted = of_year.order_by().values("pupil_id").annotate(n=Count("pk")).values("n")
    totals = (
        Pupil.objects.filter(school_id=school_id)
        .annotate(
            n=Subquery(counted, output_field=IntegerField()),
            first=level("observed_on", "pk"),
            last=level("-observed_on", "-pk"),
        )
        .filter(n__gte=2)
        .aggregate(
            pupils=Count("pk"),
            up=Count("pk", filter=Q(last__gt=F("first"))),
            held=Count("pk", filter=Q(last=F("first"))),
            down=Count("pk", filter=Q(last__lt=F("first"))),
        )
    )
    return SupportMovement(**totals)
