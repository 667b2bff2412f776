"""The E to H screen: attendance (E), exclusions (F) and participation (G, H) for one academic
year, from one pass over the pupils (absence.pupil_rows) and three more grouped queries."""

from dataclasses import dataclass

from core.calendar import current_academic_year

from .absence import attendance_link, by_group, by_need, by_status, pupil_rows, totals
from .exclusions import exclusion_rows
from .participation import participation


@dataclass
class AttendanceReport:
    cohort: object
    academic_year: int
    by_group: list
    by_status: list
    by_need: list
    link: list
    exclusions: list
    participation: list


def attendance_report(membership, cohort, scheme):
    suppress = membership.suppress_below
    year = cohort.academic_year or current_academic_year()
    rows = pupil_rows(membership, cohort, year)
    school_n, focus_n = totals(rows)["n"], totals(rows, focus=True)["n"]
    return AttendanceReport(
        cohort,
        year,
        by_group(cohort, rows, suppress),
        by_status(rows, suppress),
        by_need(rows, suppress),
        attendance_link(membership, cohort, scheme, year, suppress),
        exclusion_rows(membership, year, rows, suppress),
        participation(membership, cohort, year, suppress, school_n, focus_n),
    )
