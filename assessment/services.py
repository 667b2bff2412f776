"""Writes to the assessment scheme and the termly grids."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from schools.models import School

from .models import (
    Assessment,
    AssessmentPoint,
    AssessmentScheme,
    AttainmentBand,
    ProgressBand,
    Subject,
)

DEFAULT_SUBJECTS = {
    School.Phase.PRIMARY: ["Reading", "Writing", "Maths", "GPS"],
    School.Phase.SECONDARY: ["English", "Maths", "Science", "History", "Geography", "Computing"],
}
DEFAULT_ATTAINMENT = [
    ("B", "Below ARE"),
    ("OT", "On track to achieve ARE"),
    ("EX", "Exceeded ARE"),
]
DEFAULT_PROGRESS = [("B", "Below expected"), ("E", "Expected"), ("X", "Exceeded expected")]
DEFAULT_POINTS = ["Autumn", "Spring", "Summer"]


@transaction.atomic
def scheme_set_up_defaults(*, school, academic_year):
    """Give a school the default scheme (seeds/002 Part One C) unless it already has one."""
    scheme, created = AssessmentScheme.objects.get_or_create(
        school=school, defaults={"measure_name": "APS points", "expected_progress_per_year": 4}
    )
    if not Subject.objects.filter(school=school).exists():
        names = DEFAULT_SUBJECTS.get(school.phase, DEFAULT_SUBJECTS[School.Phase.PRIMARY])
        Subject.objects.bulk_create(
            Subject(school=school, name=name, order=i, is_core=i < 3) for i, name in enumerate(names)
        )
    for model, defaults in ((AttainmentBand, DEFAULT_ATTAINMENT), (ProgressBand, DEFAULT_PROGRESS)):
        if not model.objects.filter(school=school).exists():
            model.objects.bulk_create(
                model(school=school, order=i, code=code, label=label)
                for i, (code, label) in enumerate(defaults, start=1)
            )
    assessment_points_ensure(school=school, academic_year=academic_year)
    return scheme


def assessment_points_ensure(*, school, academic_year, names=DEFAULT_POINTS):
    if AssessmentPoint.objects.filter(school=school, academic_year=academic_year).exists():
        return
    AssessmentPoint.objects.bulk_create(
        AssessmentPoint(school=school, academic_year=academic_year, order=i, name=name)
        for i, name in enumerate(names, start=1)
    )


@dataclass
class CellInput:
    pupil_id: int
    subject_id: int
    attainment_id: int | None
    progress_id: int | None
    points: object  # Decimal or None
    version: int  # the version the user loaded; 0 for a cell that was empty

    @property
    def values(self):
        return (self.attainment_id, self.progress_id, self.points)

    @property
    def empty(self):
        return self.values == (None, None, None)


@dataclass
class GridSaveResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: list = field(default_factory=list)  # (CellInput, current Assessment)


@transaction.atomic
def grid_save(*, point, cells, by):
    """Save a whole grid in one bulk write.

    A cell whose stored version is newer than the one the user loaded, and whose stored value
    differs from what the user typed, is a conflict: it is not written, and is returned so that
    both values can be shown. Every other changed cell is created or updated.
    """
    existing = {
        (a.pupil_id, a.subject_id): a
        for a in Assessment.objects.select_for_update().filter(
            point=point,
            pupil_id__in={c.pupil_id for c in cells},
            subject_id__in={c.subject_id for c in cells},
        )
    }
    result = GridSaveResult()
    now = timezone.now()
    to_create, to_update = [], []
    for cell in cells:
        current = existing.get((cell.pupil_id, cell.subject_id))
        if current is None:
            if cell.empty:
                result.unchanged += 1
                continue
            to_create.append(
                Assessment(
                    pupil_id=cell.pupil_id,
                    subject_id=cell.subject_id,
                    point=point,
                    attainment_id=cell.attainment_id,
                    progress_id=cell.progress_id,
                    points=cell.points,
                    updated_by=by,
                )
            )
            continue
        stored = (current.attainment_id, current.progress_id, current.points)
        if stored == cell.values:
            result.unchanged += 1
        elif current.version != cell.version:
            result.conflicts.append((cell, current))
        else:
            current.attainment_id, current.progress_id, current.points = cell.values
            current.version += 1
            current.updated_by, current.updated_at = by, now
            to_update.append(current)
    if to_create:
        bulk_create_with_history(to_create, Assessment, default_user=by)
        result.created = len(to_create)
    if to_update:
        bulk_update_with_history(
            to_update,
            Assessment,
            ["attainment", "progress", "points", "version", "updated_by", "updated_at"],
            default_user=by,
        )
        result.updated = len(to_update)
    return result
