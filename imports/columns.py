"""The columns of each kind of import: our headings, the headings SIMS and Arbor export for
the same thing, which are required, how each cell is cleaned, and how a file's own heading row
is matched against them. The import page and the downloadable templates are drawn from here.
"""

from collections.abc import Callable
from dataclasses import dataclass

from core.words import letters

from .cleaning import (
    EXAMPLE_MARK,
    clean_academic_year,
    clean_class,
    clean_date_of_birth,
    clean_flag,
    clean_gender,
    clean_need,
    clean_note,
    clean_point,
    clean_points,
    clean_post_looked_after,
    clean_social_care,
    clean_term,
    clean_upn,
    clean_year_group,
    clean_young_carer,
    count_cleaner,
    loose_key,
    name_cleaner,
    sen_date_cleaner,
    status_cleaner,
    text_cleaner,
)
from .errors import RowError
from .models import ImportKind


@dataclass(frozen=True)
class Column:
    field: str
    heading: str  # ours, as in the template
    aliases: tuple = ()  # as school systems export it, best match first
    required: bool = False
    clean: Callable = None
    example: str = ""
    accepts: str = ""  # what the column takes, for the import page

    @property
    def keys(self):
        return [loose_key(self.heading), *(loose_key(alias) for alias in self.aliases)]


PUPIL_COLUMNS = (
    Column(
        "upn",
        "UPN",
        ("Unique Pupil Number",),
        required=True,
        clean=clean_upn,
        accepts="13 characters, with a valid check letter",
    ),
    Column(
        "legal_surname",
        "Legal Surname",
        ("Surname", "Last Name", "Family Name"),
        required=True,
        clean=name_cleaner("legal surname", required=True),
        example="Brontë",
    ),
    Column(
        "legal_forename",
        "Legal Forename",
        ("Forename", "First Name", "Forenames", "Given Name"),
        required=True,
        clean=name_cleaner("legal forename", required=True),
        example="Zoë",
    ),
    Column(
        "preferred_forename",
        "Preferred Forename",
        ("Preferred Name", "Known As"),
        clean=name_cleaner("preferred forename", required=False),
        accepts="may be blank",
    ),
    Column(
        "date_of_birth",
        "Date of Birth",
        ("DOB", "Birth Date"),
        required=True,
        clean=clean_date_of_birth,
        example="01/03/2016",
        accepts="dd/mm/yyyy",
    ),
    Column(
        "gender",
        "Gender",
        ("Sex",),
        required=True,
        clean=clean_gender,
        example="F",
        accepts="M or F (Male, Female)",
    ),
    Column(
        "year_group",
        "Year Group",
        ("Year", "NC Year", "NC Year Actual", "National Curriculum Year", "Curriculum Year"),
        required=True,
        clean=clean_year_group,
        example="4",
        accepts="R for Reception, 1 to 13, or Year 4",
    ),
    Column(
        "school_class",
        "Class",
        ("Reg Group", "Registration Group", "Form", "Form Group", "Tutor Group"),
        clean=clean_class,
        accepts="a class name as sendtrack has it; may be blank",
    ),
    Column(
        "pupil_premium",
        "Pupil Premium",
        ("PP", "Pupil Premium Indicator"),
        clean=clean_flag,
        example="N",
        accepts="Y or N; blank is N",
    ),
    Column(
        "fsm",
        "FSM",
        ("Free School Meals", "FSM Eligible"),
        clean=clean_flag,
        example="N",
        accepts="Y or N; blank is N",
    ),
    Column(
        "eal",
        "EAL",
        ("English as an Additional Language",),
        clean=clean_flag,
        example="N",
        accepts="Y or N; blank is N",
    ),
    Column(
        "lac",
        "LAC",
        ("CLA", "Looked After", "Looked After Child", "In Care"),
        clean=clean_flag,
        example="N",
        accepts="Y or N; blank is N",
    ),
    Column(
        "social_care",
        "Social Care",
        ("Known to Social Care", "Social Worker", "CIN CP Status", "CIN Status"),
        clean=clean_social_care,
        accepts="CIN (child in need plan now), CPP (protection plan now), PREV (known before); or blank",
    ),
    Column(
        "post_looked_after",
        "Post Looked After",
        ("Post Looked After Arrangements", "PLAA", "Previously Looked After", "Adopted From Care"),
        clean=clean_post_looked_after,
        accepts="census code A, S, R or C; blank if not declared",
    ),
    Column(
        "young_carer",
        "Young Carer",
        ("Young Carer Indicator",),
        clean=clean_young_carer,
        accepts="census code N, P or S; blank is N (not declared)",
    ),
    Column(
        "primary_need",
        "Primary Need",
        ("SEN Primary Need", "Primary SEN Need", "SEN Need 1"),
        clean=clean_need,
        example="SPLD",
        accepts="a census code such as SPLD or SLCN; may be blank",
    ),
    Column(
        "secondary_need",
        "Secondary Need",
        ("SEN Secondary Need", "Secondary SEN Need", "SEN Need 2"),
        clean=clean_need,
        accepts="a census code; may be blank",
    ),
    Column(
        "sen_status",
        "SEN Provision",
        ("SEN Status", "SEN Stage"),
        clean=status_cleaner(required=False),
        example="K",
        accepts="N, K or E; may be blank",
    ),
    Column(
        "sen_status_date",
        "SEN Start Date",
        ("SEN Provision Start Date", "SEN Status Date"),
        clean=sen_date_cleaner(required=False),
        example="10/09/2024",
        accepts="dd/mm/yyyy; needed with K or E",
    ),
)

SEN_STATUS_COLUMNS = (
    Column(
        "upn",
        "UPN",
        ("Unique Pupil Number",),
        required=True,
        clean=clean_upn,
        accepts="13 characters, of a pupil already in sendtrack",
    ),
    Column(
        "status",
        "SEN Provision",
        ("SEN Status", "SEN Stage"),
        required=True,
        clean=status_cleaner(required=True),
        example="K",
        accepts="N (no SEN), K (SEN support) or E (EHC plan)",
    ),
    Column(
        "effective_date",
        "Start Date",
        ("SEN Start Date", "Date", "SEN Provision Start Date", "Effective Date", "From"),
        required=True,
        clean=sen_date_cleaner(required=True),
        example="10/09/2024",
        accepts="dd/mm/yyyy, not in the future",
    ),
    Column(
        "note",
        "Note",
        ("Notes", "Reason", "Comment"),
        clean=clean_note,
        example="Placed on SEN support after review",
        accepts="kept with the change in the pupil's SEN history; may be blank",
    ),
)

UPN_COLUMN = Column(
    "upn",
    "UPN",
    ("Unique Pupil Number",),
    required=True,
    clean=clean_upn,
    accepts="13 characters, of a pupil already in sendtrack",
)

ASSESSMENT_COLUMNS = (
    UPN_COLUMN,
    Column(
        "subject",
        "Subject",
        ("Subject Name", "Aspect"),
        required=True,
        clean=text_cleaner("subject", required=True),
        example="Reading",
        accepts="a subject of the school's scheme",
    ),
    Column(
        "point",
        "Assessment Point",
        ("Point", "Assessment", "Collection", "Data Collection", "Term"),
        required=True,
        clean=clean_point,
        example="Autumn",
        accepts="a point of the scheme, such as Autumn 2; may end with the year (Autumn 2 2025/26)",
    ),
    Column(
        "academic_year",
        "Academic Year",
        ("School Year", "Academic Session"),
        clean=lambda value, ctx: clean_academic_year(value, ctx) if value else None,
        example="",
        accepts="2025/26; blank means the year in the point, or the current year",
    ),
    Column(
        "attainment",
        "Attainment",
        ("Attainment Band", "Teacher Assessment", "Grade", "Result"),
        clean=text_cleaner("attainment band", required=False),
        example="OT",
        accepts="a band code or label of the scheme, in any case; may be blank",
    ),
    Column(
        "progress",
        "Progress",
        ("Progress Band",),
        clean=text_cleaner("progress band", required=False),
        example="E",
        accepts="a band code or label of the scheme, in any case; may be blank",
    ),
    Column(
        "points",
        "Points",
        ("APS", "Score", "Scaled Score", "Steps", "Points Score"),
        clean=clean_points,
        example="",
        accepts="a number such as 21.5; may be blank",
    ),
    Column(
        "framework_value",
        "Framework Value",
        ("Other Framework", "Framework", "Pre-Key Stage", "Small Step", "Reading Age", "Spelling Age"),
        clean=text_cleaner("framework value", required=False, max_length=20),
        example="",
        accepts="for a pupil on another framework in the subject at the point: the value on it, "
        "such as PK3, S2.3, 96 or 7y 6m; blank for the school's scheme",
    ),
)

ATTENDANCE_COLUMNS = (
    UPN_COLUMN,
    Column(
        "academic_year",
        "Academic Year",
        ("School Year", "Academic Session", "Year"),
        required=True,
        clean=clean_academic_year,
        example="2024/25",
        accepts="2025/26, or 2025 for 2025/26",
    ),
    Column(
        "term",
        "Term",
        ("Term Name", "Period"),
        required=True,
        clean=clean_term,
        example="Autumn",
        accepts="Autumn, Spring or Summer (or 1, 2, 3)",
    ),
    Column(
        "possible_sessions",
        "Possible Sessions",
        ("Possible", "Possible Marks", "Sessions Possible", "Possible Attendance"),
        required=True,
        clean=count_cleaner("possible sessions", required=True, at_least=1),
        example="140",
        accepts="a whole number, at least 1",
    ),
    Column(
        "attended_sessions",
        "Sessions Attended",
        (
            "Attended",
            "Attendance Marks",
            "Attended Sessions",
            "Present",
            "Present Marks",
            "Sessions Present",
            "Attendances",
        ),
        required=True,
        clean=count_cleaner("sessions attended", required=True),
        example="131",
        accepts="a whole number",
    ),
    Column(
        "authorised_absence",
        "Authorised Absence",
        ("Authorised Absences", "Authorised", "Authorised Absence Sessions", "Authorised Sessions"),
        clean=count_cleaner("authorised absences", required=False, blank_is_zero=True),
        example="7",
        accepts="a whole number; blank is 0",
    ),
    Column(
        "unauthorised_absence",
        "Unauthorised Absence",
        (
            "Unauthorised Absences",
            "Unauthorised",
            "Unauthorised Absence Sessions",
            "Unauthorised Sessions",
        ),
        clean=count_cleaner("unauthorised absences", required=False, blank_is_zero=True),
        example="2",
        accepts="a whole number; blank is 0",
    ),
)

BEHAVIOUR_COLUMNS = (
    UPN_COLUMN,
    ATTENDANCE_COLUMNS[1],
    ATTENDANCE_COLUMNS[2],
    Column(
        "incidents",
        "Incidents",
        ("Behaviour Incidents", "Behaviour Points", "Negative Incidents", "Incident Count", "Count"),
        required=True,
        clean=count_cleaner("incidents", required=True),
        example="3",
        accepts="a whole number",
    ),
)

COLUMNS = {
    ImportKind.PUPILS: PUPIL_COLUMNS,
    ImportKind.SEN_STATUS: SEN_STATUS_COLUMNS,
    ImportKind.ASSESSMENTS: ASSESSMENT_COLUMNS,
    ImportKind.ATTENDANCE: ATTENDANCE_COLUMNS,
    ImportKind.BEHAVIOUR: BEHAVIOUR_COLUMNS,
}


# --- Headings -----------------------------------------------------------------------------


def column_letter(index):
    """The spreadsheet letter of the column at `index` (0 -> "A")."""
    return letters(index + 1)


def match_headings(headings, columns):
    """Which column of the file holds each field: (positions, errors, ignored headings)."""
    by_key = {}
    for column in columns:
        for rank, key in enumerate(column.keys):
            by_key[key] = (column, rank)
    best = {}  # field -> (rank, position)
    errors, ignored, seen = [], [], {}
    for position, heading in enumerate(headings):
        key = loose_key(heading)
        if not key:
            continue
        if key not in by_key:
            ignored.append(heading)
            continue
        if key in seen:
            errors.append(
                RowError(
                    1,
                    heading,
                    f"The heading “{heading}” is in both column {column_letter(seen[key])} "
                    f"and column {column_letter(position)}: keep only one of them.",
                )
            )
            continue
        seen[key] = position
        column, rank = by_key[key]
        if column.field in best:
            other_rank, other_position = best[column.field]
            if other_rank <= rank:
                ignored.append(heading)
                continue
            ignored.append(headings[other_position])
        best[column.field] = (rank, position)
    positions = {name: position for name, (_rank, position) in best.items()}
    missing = [column for column in columns if column.required and column.field not in positions]
    if missing:
        wanted = "; ".join(_heading_with_aliases(column) for column in missing)
        found = ", ".join(f"“{h}”" for h in headings if h) or "none"
        errors.append(
            RowError(
                1,
                "",
                f"Missing column{'s' if len(missing) > 1 else ''}: {wanted}. Columns found: "
                f"{found}. The headings must be in row 1; the template shows them.",
            )
        )
    return positions, errors, ignored


def _heading_with_aliases(column):
    if not column.aliases:
        return column.heading
    return f"{column.heading} (or {', '.join(column.aliases[:2])})"


def template_rows(kind, *, example_upn, example_class="", example_year=None, examples=None):
    """Our headings and one example row, for the downloadable template. `examples` gives
    values from the school's own records (a subject, a point, bands)."""
    columns = COLUMNS[ImportKind(kind)]
    examples = {"upn": example_upn, "school_class": example_class, **(examples or {})}
    # The example is marked as one where a person reads it (the surname, or a note column);
    # the import refuses its UPN whatever else is changed (cleaning.clean_upn).
    for field in ("legal_surname", "note"):
        if any(column.field == field for column in columns):
            examples[field] = EXAMPLE_MARK
    if example_year is not None:
        examples["year_group"] = "R" if example_year == 0 else str(example_year)
    return [
        [column.heading for column in columns],
        [examples.get(column.field, column.example) for column in columns],
    ]
