"""Reads for the termly grid: rows of pupils, columns of subjects, this point and the last."""

from dataclasses import dataclass

from django.db.models import Q

from pupils.models import Pupil

from .models import (
    Assessment,
    AssessmentPoint,
    AssessmentScheme,
    AttainmentBand,
    ProgressBand,
    Subject,
)


@dataclass
class GridCell:
    pupil: object
    subject: object
    attainment_id: int | None = None
    progress_id: int | None = None
    points: object = None
    version: int = 0
    previous: object = None  # the Assessment at the previous point, if any
    error: str = ""
    conflict: object = None  # the stored Assessment that someone else saved meanwhile

    @property
    def key(self):
        return f"{self.pupil.pk}-{self.subject.pk}"


@dataclass
class Grid:
    point: object
    previous_point: object
    subjects: list
    attainment_bands: list
    progress_bands: list
    rows: list  # (pupil, [GridCell per subject])


def scheme_of(school):
    return AssessmentScheme.objects.filter(school=school).first()


def previous_point(point):
    earlier = Q(academic_year__lt=point.academic_year) | Q(
        academic_year=point.academic_year, order__lt=point.order
    )
    return (
        AssessmentPoint.objects.filter(earlier, school_id=point.school_id)
        .order_by("-academic_year", "-order")
        .first()
    )


def grid_pupils(membership, *, school_class=None, year_group=None):
    pupils = Pupil.objects.for_membership(membership)
    if school_class is not None:
        pupils = pupils.filter(school_class=school_class)
    if year_group is not None:
        pupils = pupils.filter(year_group=year_group)
    return pupils.order_by("legal_surname", "legal_forename")


def build_grid(membership, point, pupils):
    """The grid for `pupils` at `point`: a fixed number of queries whatever the class size."""
    school = membership.school
    pupils = list(pupils)
    before = previous_point(point)
    subjects = list(Subject.objects.filter(school=school))
    wanted = [point.pk] + ([before.pk] if before else [])
    stored = {}
    in_grid = Assessment.objects.filter(point_id__in=wanted, pupil__in=[p.pk for p in pupils])
    for a in in_grid.select_related("attainment", "progress", "updated_by"):
        stored[(a.point_id, a.pupil_id, a.subject_id)] = a
    rows = []
    for pupil in pupils:
        cells = []
        for subject in subjects:
            current = stored.get((point.pk, pupil.pk, subject.pk))
            cell = GridCell(pupil=pupil, subject=subject)
            if current:
                cell.attainment_id, cell.progress_id = current.attainment_id, current.progress_id
                cell.points, cell.version = current.points, current.version
            if before:
                cell.previous = stored.get((before.pk, pupil.pk, subject.pk))
            cells.append(cell)
        rows.append((pupil, cells))
    return Grid(
        point=point,
        previous_point=before,
        subjects=subjects,
        attainment_bands=list(AttainmentBand.objects.filter(school=school)),
        progress_bands=list(ProgressBand.objects.filter(school=school)),
        rows=rows,
    )
