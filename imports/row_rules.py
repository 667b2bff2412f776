"""Rules across cells and rows, once every cell of a file is clean: one row's cells must agree
with each other (a secondary need beside a primary one, absences within the possible sessions),
and a pupil may be in a file once, or once per date, term or assessment.

Only the file is read here; the rules that need the school's records are in `selectors` and
`termly`.
"""

from .cleaning import loose_key
from .errors import RowError
from .models import ImportKind

TERMLY_KINDS = (ImportKind.ASSESSMENTS, ImportKind.ATTENDANCE, ImportKind.BEHAVIOUR)
TERM_NAMES = {1: "autumn", 2: "spring", 3: "summer"}


# --- One row ------------------------------------------------------------------------------


def row_problems(kind, row, headings):
    """The rules across the cells of one row whose every cell is clean."""
    check = ROW_RULES.get(kind)
    return check(row, headings) if check else []


def _pupil_row(row, headings):
    errors = []
    primary, secondary = row.get("primary_need"), row.get("secondary_need")
    if secondary and "primary_need" in row:
        if not primary:
            errors.append(
                RowError(
                    row["row"], headings["secondary_need"], "Give a primary need before a secondary one."
                )
            )
        elif secondary == primary:
            errors.append(
                RowError(
                    row["row"],
                    headings["secondary_need"],
                    "The secondary need must differ from the primary need.",
                )
            )
    when = row.get("sen_status_date")
    if when and not row.get("sen_status"):
        errors.append(
            RowError(
                row["row"],
                headings["sen_status_date"],
                "A SEN start date needs an SEN provision (N, K or E) in the same row.",
            )
        )
    elif when and when < row["date_of_birth"]:
        errors.append(
            RowError(
                row["row"],
                headings["sen_status_date"],
                f"{when:%d/%m/%Y} is before the pupil's date of birth.",
            )
        )
    return errors


def _assessment_row(row, headings):
    if row.get("attainment") or row.get("progress") or row.get("points") or row.get("framework_value"):
        return []
    return [
        RowError(
            row["row"],
            "",
            "The row has no attainment, progress, points or framework value: there is nothing to "
            "record. Fill one in, or take the row out.",
        )
    ]


def _attendance_row(row, headings):
    counted = row["attended_sessions"] + row.get("authorised_absence", 0) + row.get("unauthorised_absence", 0)
    if counted > row["possible_sessions"]:
        return [
            RowError(
                row["row"],
                headings["possible_sessions"],
                f"Attended and absent sessions add up to {counted}, more than the "
                f"{row['possible_sessions']} possible sessions.",
            )
        ]
    return []


ROW_RULES = {
    ImportKind.PUPILS: _pupil_row,
    ImportKind.ASSESSMENTS: _assessment_row,
    ImportKind.ATTENDANCE: _attendance_row,
}


# --- The rows of a file -------------------------------------------------------------------


def duplicates(kind, rows, headings):
    """A pupil once per file; in a SEN status file, once per pupil per date; in termly data,
    once per pupil per term (or per subject and point)."""
    errors, first_seen = [], {}
    for row in rows:
        if not row.get("upn"):
            continue
        found = _once_per(kind, row)
        if found is None:
            continue
        key, what, rule = found
        if key in first_seen:
            errors.append(
                RowError(
                    row["row"],
                    headings["upn"],
                    f"Rows {first_seen[key]} and {row['row']} both have {what}: {rule}.",
                )
            )
        else:
            first_seen[key] = row["row"]
    return errors


def _once_per(kind, row):
    """What may appear once per file, how to say it and the rule; None to skip the row."""
    upn = row["upn"]
    if kind in TERMLY_KINDS:
        return _termly_key(kind, row)
    if kind == ImportKind.SEN_STATUS:
        if not row.get("effective_date"):
            return None
        return (
            (upn, row["effective_date"]),
            f"UPN {upn} with the date {row['effective_date']:%d/%m/%Y}",
            "a pupil can have one SEN status for each date",
        )
    return upn, f"UPN {upn}", "each pupil can be in the file only once"


def _termly_key(kind, row):
    upn = row["upn"]
    if kind == ImportKind.ASSESSMENTS:
        if "subject" not in row or "point" not in row:
            return None
        point = row["point"]
        year = point["year"] or row.get("academic_year")
        key = (upn, loose_key(row["subject"]), loose_key(point["name"]), year)
        return key, f"UPN {upn}, {row['subject']} at {point['name']}", "one assessment per subject per point"
    if "academic_year" not in row or "term" not in row:
        return None
    year = f"{row['academic_year']}/{(row['academic_year'] + 1) % 100:02d}"
    return (
        (upn, row["academic_year"], row["term"]),
        f"UPN {upn} in the {TERM_NAMES[row['term']]} term of {year}",
        "one row per pupil per term",
    )
