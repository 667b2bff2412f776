"""Writes of the trust comparison: the rollup of each school's figures (trusts.models), refreshed
from the live calculation (trusts.figures) by one function, `rollup_refresh`.

It runs after every committed change to the figures (schools.changes: the termly grid, imports,
SEN status, attendance and exclusions, interventions, the scheme), from `manage.py
refresh_rollups` for every school, and when the demo is built. It is a plain function of a
school's id, idempotent and safe to run twice, so a task queue can call it as it is.
"""

from django.db import transaction

from schools.models import School

from .figures import school_year_figures
from .models import SchoolYearFigures


@transaction.atomic
def rollup_refresh(*, school_id, today=None):
    """Recompute the school's rollup for the years the comparison shows and drop older years."""
    school = School.objects.select_for_update().get(pk=school_id)
    figures = school_year_figures(school, today=today)
    SchoolYearFigures.objects.filter(school=school).exclude(academic_year__in=figures).delete()
    for year, values in figures.items():
        SchoolYearFigures.objects.update_or_create(school=school, academic_year=year, defaults=values)


def rollup_refresh_changed(*, school_id):
    """The listener of schools.changes: a school's figures changed."""
    rollup_refresh(school_id=school_id)


def rollup_refresh_all(*, today=None):
    """Every school's rollup (after a bulk load, or when the academic year turns)."""
    for school_id in School.objects.order_by("pk").values_list("pk", flat=True):
        rollup_refresh(school_id=school_id, today=today)
