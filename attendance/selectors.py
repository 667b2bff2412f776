"""Reads for attendance, behaviour and participation: one pupil's panel and the termly entry grid.

Every read starts from a pupil the caller already reached through `pupils.access.access_pupil`,
or from `Pupil.objects.for_membership`, so nothing here widens what a role may see.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from core.calendar import academic_year_label, current_academic_year, term_of
from pupils.models import Pupil

from .models import Attendance, BehaviourCount, Exclusion, Participation


def academic_year_choices(*, years=5, today=None):
    """The current academic year and the ones before it, newest first: (2025, "2025/26")."""
    this = current_academic_year(today)
    return [(year, academic_year_label(year)) for year in range(this, this - years, -1)]


def current_term(today=None):
    return term_of(today or timezone.localdate())


@dataclass
class PupilAttendanceSummary:
    terms: list
    exclusions: list
    behaviour: list
    activities: list
    totals: dict = field(default_factory=dict)

    @property
    def is_empty(self):
        return not (self.terms or self.exclusions or self.behaviour or self.activities)


def pupil_attendance_summary(pupil):
    """The pupil page's panel: four queries whatever the number of terms."""
    terms = list(Attendance.objects.filter(pupil=pupil).order_by("-academic_year", "-term"))
    exclusions = list(Exclusion.objects.filter(pupil=pupil).order_by("-start_date"))
    behaviour = list(BehaviourCount.objects.filter(pupil=pupil).order_by("-academic_year", "-term"))
    activities = list(Participation.objects.filter(pupil=pupil).order_by("-date", "activity"))
    suspension_days = sum((e.days for e in exclusions if e.kind == Exclusion.Kind.SUSPENSION), 0)
    totals = {
        "suspensions": sum(1 for e in exclusions if e.kind == Exclusion.Kind.SUSPENSION),
        "suspension_days": suspension_days,
        "permanent": any(e.kind == Exclusion.Kind.PERMANENT for e in exclusions),
    }
    return PupilAttendanceSummary(terms, exclusions, behaviour, activities, totals)


def grid_pupils(membership, *, school_class=None, year_group=None):
    pupils = Pupil.objects.for_membership(membership)
    if school_class is not None:
        pupils = pupils.filter(school_class=school_class)
    if year_group is not None:
        pupils = pupils.filter(year_group=year_group)
    return pupils.select_related("school_class").order_by("legal_surname", "legal_forename", "pk")


@dataclass
class GridRow:
    pupil: object
    record: Attendance | None
    values: dict  # field -> the value shown in the inputs (submitted, or stored)
    errors: list = field(default_factory=list)
    conflict: Attendance | None = None

    @property
    def key(self):
        return f"p{self.pupil.pk}"


GRID_FIELDS = ("possible_sessions", "attended_sessions", "authorised_absence", "unauthorised_absence")


def attendance_grid(pupils, *, academic_year, term):
    """One row per pupil with the term's stored record: two queries whatever the class size."""
    pupils = list(pupils)
    stored = {
        record.pupil_id: record
        for record in Attendance.objects.filter(
            pupil__in=[p.pk for p in pupils], academic_year=academic_year, term=term
        )
    }
    rows = []
    for pupil in pupils:
        record = stored.get(pupil.pk)
        values = {name: getattr(record, name) for name in GRID_FIELDS} if record else {}
        rows.append(GridRow(pupil, record, values))
    return rows
