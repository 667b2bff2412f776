"""The national comparators a school keeps (from the DfE key stage 2 pupil characteristics
file, or typed in), as the gap screens read them: key question B sets them beside the school."""

from django.shortcuts import get_object_or_404

from core.figures import Share

from .models import NationalComparator


def school_comparators(membership):
    return NationalComparator.objects.filter(school_id=membership.school_id)


def comparator_for(membership, pk):
    """One of the school's comparators, or 404 (also for another school's)."""
    return get_object_or_404(school_comparators(membership), pk=pk)


def comparators_by_cell(membership, years):
    """{(academic year, measure, group): comparator} for these years."""
    rows = school_comparators(membership).filter(academic_year__in=years)
    return {(c.academic_year, c.measure, c.group): c for c in rows}


def comparator_share(comparator):
    """The comparator as a share, or None when it is missing or was not published."""
    if comparator is None or comparator.numerator is None or not comparator.denominator:
        return None
    return Share.of(comparator.numerator, comparator.denominator)
