"""Reading an import file into cleaned rows and a list of errors.

`parse_file(kind, content, file_name, school=...)` does the whole job: bytes in, a
`ParseResult` out, never an exception. pandas reads the table (a CSV in UTF-8, UTF-8 with a
BOM or Windows-1252, or the first sheet of an .xlsx workbook) with every cell as text, so
UPNs and leading zeros survive. Each cell is then checked and converted by its column's
cleaner, and every problem becomes a `RowError` numbered as Excel numbers rows: the headings
are row 1 and the first pupil is row 2.

The only database access here is reading the school's class names. Checks against the
school's pupils (is the pupil archived, does the SEN date fall before the date of birth on
record) are in `selectors.import_plan`, which the preview and the confirmation both run.
"""

import datetime
import io
import logging
import math
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

import pandas as pd
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.calendar import academic_year_of
from pupils.models import AreaOfNeed, SenStatus
from pupils.upn import normalise_upn, validate_upn
from schools.models import SchoolClass

from .models import ImportKind

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
DEFAULT_MAX_ROWS = 20_000
EXTENSIONS = (".csv", ".xlsx")
ENCODINGS = ("utf-8-sig", "cp1252")
DATE_FIELDS = frozenset({"date_of_birth", "sen_status_date", "effective_date"})
UNEXPECTED = (
    "The file could not be read because of a fault in sendtrack. Nothing was imported; "
    "the fault has been logged."
)


def max_bytes():
    return getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_rows():
    return getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


@dataclass(frozen=True)
class RowError:
    """One problem: the row as Excel numbers it (None for the whole file), the column
    heading as the file writes it ("" for the whole row) and the reason in plain words."""

    row: int | None
    column: str
    message: str

    def __str__(self):
        if self.row is None:
            return self.message
        if self.column:
            return f"Row {self.row}, {self.column}: {self.message}"
        return f"Row {self.row}: {self.message}"


@dataclass
class ParseResult:
    kind: str
    file_name: str
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    # field name -> the heading the file uses for it
    columns: dict = field(default_factory=dict)
    ignored_columns: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


class FileProblem(Exception):
    """The file as a whole cannot be read; the message says why in plain words."""


class Invalid(Exception):
    """A cell's value cannot be used; the message says why in plain words."""


# --- Cleaners: one text cell in, a value out, or Invalid ----------------------------------


@dataclass(frozen=True)
class Context:
    today: datetime.date
    classes: dict  # normalised class name -> the class name as the school writes it


def _key(text):
    """Headings and words compared without case, spaces or punctuation."""
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def clean_upn(value, ctx):
    if not value:
        raise Invalid("The UPN is missing.")
    try:
        validate_upn(value)
    except ValidationError as error:
        raise Invalid(" ".join(error.messages)) from None
    return normalise_upn(value)


def name_cleaner(what, *, required, max_length=100):
    def clean(value, ctx):
        value = " ".join(value.split())
        if not value and required:
            raise Invalid(f"The {what} is missing.")
        if len(value) > max_length:
            raise Invalid(f"The {what} is {len(value)} characters long; at most {max_length} fit.")
        return value

    return clean


_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d+)")


def parse_date(value):
    """dd/mm/yyyy as UK schools write it, yyyy-mm-dd, and Excel's own date cells."""
    if match := _YMD.fullmatch(value):
        year, month, day = match.groups()
    elif match := _DMY.fullmatch(value):
        day, month, year = match.groups()
        if len(year) != 4:
            raise Invalid(
                f"{value}: write the year with four digits, as dd/mm/yyyy (for example 01/03/2016)."
            )
    else:
        raise Invalid(f"“{value}” is not a date: write dates as dd/mm/yyyy, for example 01/03/2016.")
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise Invalid(f"{value} is not a real date: check the day and the month.") from None


def clean_date_of_birth(value, ctx):
    if not value:
        raise Invalid("The date of birth is missing.")
    born = parse_date(value)
    if born > ctx.today:
        raise Invalid(f"{value} is in the future: a date of birth must be in the past.")
    if born == ctx.today:
        raise Invalid("The date of birth must be in the past.")
    if ctx.today.year - born.year > 25:
        raise Invalid(f"{value} makes the pupil over 25: check the year.")
    return born


def sen_date_cleaner(*, required):
    def clean(value, ctx):
        if not value:
            if required:
                raise Invalid("The date is missing: give the date this status began.")
            return None
        when = parse_date(value)
        if when > ctx.today:
            raise Invalid(f"{value} is in the future: give the date the status began.")
        return when

    return clean


_GENDERS = {"m": "M", "male": "M", "boy": "M", "f": "F", "female": "F", "girl": "F"}


def clean_gender(value, ctx):
    if not value:
        raise Invalid("The gender is missing: use M or F.")
    try:
        return _GENDERS[_key(value)]
    except KeyError:
        raise Invalid(f"“{value}” is not a gender sendtrack records: use M or F.") from None


_RECEPTION = {"r", "rec", "reception", "yr", "yearr", "yearreception", "ncyearr"}
_WHOLE_NUMBER = re.compile(r"(\d+)\.0+")  # Excel's number cells: 4.0 for 4


def clean_year_group(value, ctx):
    if not value:
        raise Invalid("The year group is missing: use R for Reception, or 1 to 13.")
    if match := _WHOLE_NUMBER.fullmatch(value):
        value = match[1]
    key = _key(value)
    if key in _RECEPTION:
        return 0
    match = re.fullmatch(r"(?:ncyear|year|yr|y)?(\d{1,2})", key)
    if match and 0 <= int(match[1]) <= 13:
        return int(match[1])
    raise Invalid(
        f"“{value}” is not a year group: use R (or 0) for Reception, or 1 to 13 (for example 4 or Year 4)."
    )


_YES = {"y", "yes", "true", "t", "1"}
_NO = {"", "n", "no", "false", "f", "0"}


def clean_flag(value, ctx):
    if match := _WHOLE_NUMBER.fullmatch(value):
        value = match[1]
    key = _key(value)
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise Invalid(
        f"“{value}” is not yes or no: use Y or N (Yes/No, True/False, 1/0 also work); leave it blank for No."
    )


def _need_keys():
    keys = {}
    for need in AreaOfNeed:
        keys[_key(need.value)] = need.value
        keys[_key(need.label.split("—", 1)[1])] = need.value
    keys["asc"] = AreaOfNeed.ASD.value  # autistic spectrum condition, as many schools write it
    return keys


_NEEDS = _need_keys()
_NEED_CODES = ", ".join(need.value for need in AreaOfNeed)


def clean_need(value, ctx):
    if not value:
        return ""
    code = value.split("—", 1)[0].split(" - ", 1)[0].split("–", 1)[0]
    for candidate in (value, code):
        if _key(candidate) in _NEEDS:
            return _NEEDS[_key(candidate)]
    raise Invalid(f"“{value}” is not an area of need: use a school census code ({_NEED_CODES}).")


_STATUSES = {
    "n": SenStatus.NONE,
    "nosen": SenStatus.NONE,
    "none": SenStatus.NONE,
    "no": SenStatus.NONE,
    "k": SenStatus.SEN_SUPPORT,
    "sensupport": SenStatus.SEN_SUPPORT,
    "support": SenStatus.SEN_SUPPORT,
    "e": SenStatus.EHCP,
    "ehcp": SenStatus.EHCP,
    "ehcplan": SenStatus.EHCP,
    "ehc": SenStatus.EHCP,
    "educationhealthandcareplan": SenStatus.EHCP,
}
_OLD_STATUSES = {
    "s": "S (statement) was replaced by E (EHC plan) in 2014: use E.",
    "statement": "Statements were replaced by EHC plans in 2014: use E.",
    "a": "A (School Action) was replaced by K (SEN support) in 2014: use K.",
    "p": "P (School Action Plus) was replaced by K (SEN support) in 2014: use K.",
}


def status_cleaner(*, required):
    def clean(value, ctx):
        if not value:
            if required:
                raise Invalid("The SEN provision is missing: use N, K or E.")
            return None
        for candidate in (value, value.split("—", 1)[0].split(" - ", 1)[0]):
            key = _key(candidate)
            if key in _STATUSES:
                return _STATUSES[key].value
            if key in _OLD_STATUSES:
                raise Invalid(_OLD_STATUSES[key])
        raise Invalid(f"“{value}” is not an SEN provision: use N (no SEN), K (SEN support) or E (EHC plan).")

    return clean


def class_key(name):
    return " ".join(name.casefold().split())


def clean_class(value, ctx):
    if not value:
        return ""
    try:
        return ctx.classes[class_key(value)]
    except KeyError:
        pass
    if not ctx.classes:
        raise Invalid(
            f"There is no class called “{value}”: this school has no classes yet. Leave the "
            "column blank, or ask the administrator to add the classes first."
        )
    known = ", ".join(sorted(ctx.classes.values()))
    raise Invalid(f"There is no class called “{value}” in this school. Its classes are: {known}.")


def clean_note(value, ctx):
    value = " ".join(value.split())
    if len(value) > 300:
        raise Invalid(f"The note is {len(value)} characters long; at most 300 fit.")
    return value


# --- Cleaners for termly data: assessments, attendance, behaviour --------------------------

_ACADEMIC_YEAR = re.compile(r"(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?")


def parse_academic_year(value, today):
    """2025/26, 2025/2026, 2025-26 or 2025 (the year it starts): the starting year."""
    if match := _WHOLE_NUMBER.fullmatch(value):
        value = match[1]
    match = _ACADEMIC_YEAR.fullmatch(value.strip())
    if not match:
        raise Invalid(f"“{value}” is not an academic year: write it as 2025/26 (or 2025 for 2025/26).")
    start = int(match[1])
    if match[2]:
        end = int(match[2])
        if end != (start + 1) % (100 if len(match[2]) == 2 else 10_000):
            raise Invalid(
                f"{value} is not an academic year: the second year must follow the first (2025/26)."
            )
    this_year = academic_year_of(today)
    if start > this_year:
        raise Invalid(f"{value} has not started yet: the current academic year starts in {this_year}.")
    if start < this_year - 15:
        raise Invalid(f"{value} is more than 15 years ago: check the year.")
    return start


def clean_academic_year(value, ctx):
    if not value:
        raise Invalid("The academic year is missing: write it as 2025/26.")
    return parse_academic_year(value, ctx.today)


_TERMS = {
    "autumn": 1, "aut": 1, "autumnterm": 1, "au": 1, "t1": 1, "term1": 1, "1": 1,
    "spring": 2, "spr": 2, "springterm": 2, "sp": 2, "t2": 2, "term2": 2, "2": 2,
    "summer": 3, "sum": 3, "summerterm": 3, "su": 3, "t3": 3, "term3": 3, "3": 3,
}  # fmt: skip


def clean_term(value, ctx):
    if not value:
        raise Invalid("The term is missing: use Autumn, Spring or Summer.")
    if match := _WHOLE_NUMBER.fullmatch(value):
        value = match[1]
    try:
        return _TERMS[_key(value)]
    except KeyError:
        raise Invalid(f"“{value}” is not a term: use Autumn, Spring or Summer (or 1, 2, 3).") from None


MAX_SESSIONS = 999


def count_cleaner(what, *, required, blank_is_zero=False, at_least=0, most=MAX_SESSIONS):
    """A whole number of sessions or incidents; Excel's 162.0 is 162."""

    def clean(value, ctx):
        if not value:
            if required:
                raise Invalid(f"The {what} is missing: give a whole number.")
            return 0 if blank_is_zero else None
        text = value.replace(",", "")
        if match := _WHOLE_NUMBER.fullmatch(text):
            text = match[1]
        if not re.fullmatch(r"\d{1,6}", text):
            raise Invalid(f"“{value}” is not a whole number of {what}.")
        number = int(text)
        if number < at_least:
            raise Invalid(f"The {what} must be at least {at_least}.")
        if number > most:
            raise Invalid(f"{number} {what} is more than {most}: check the figure.")
        return number

    return clean


def text_cleaner(what, *, required, max_length=60):
    """A name to be matched against the school's records (subject, point, band)."""

    def clean(value, ctx):
        value = " ".join(value.split())
        if not value:
            if required:
                raise Invalid(f"The {what} is missing.")
            return ""
        if len(value) > max_length:
            raise Invalid(f"The {what} is {len(value)} characters long; at most {max_length} fit.")
        return value

    return clean


_POINT_WITH_YEAR = re.compile(r"(.*?)[\s,]*\(?(\d{4}\s*[/-]\s*(?:\d{2}|\d{4}))\)?")


def clean_point(value, ctx):
    """An assessment point's name, optionally with its academic year: "Autumn 2 2025/26"."""
    name = text_cleaner("assessment point", required=True, max_length=60)(value, ctx)
    if (match := _POINT_WITH_YEAR.fullmatch(name)) and match[1]:
        return {"name": match[1], "year": parse_academic_year(match[2], ctx.today)}
    return {"name": name, "year": None}


_DECIMAL = re.compile(r"-?\d{1,5}(?:\.\d+)?")


def clean_points(value, ctx):
    """The optional numeric measure (APS points, scaled score, steps), to one decimal place."""
    if not value:
        return None
    if not _DECIMAL.fullmatch(value):
        raise Invalid(f"“{value}” is not a number: write points as a number such as 21 or 21.5.")
    number = float(value)
    if round(number, 1) != number and abs(round(number, 1) - number) > 1e-9:
        raise Invalid(f"{value} has more than one decimal place: points are kept to one (21.5).")
    return f"{number:.1f}"


# --- Columns of each kind of import -------------------------------------------------------


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
        return [_key(self.heading), *(_key(alias) for alias in self.aliases)]


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
        accepts="may be blank",
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


# --- Reading the file ---------------------------------------------------------------------


def file_problem(file_name, size):
    """A message if the file's name or size rules it out before it is read, else None."""
    suffix = PurePath(file_name or "").suffix.lower()
    if suffix not in EXTENSIONS:
        shown = f"a {suffix} file" if suffix else "a file without an extension"
        return (
            f"Only .csv and .xlsx files can be imported, and this is {shown}. In Excel, use "
            "Save As and choose “CSV UTF-8 (Comma delimited)” or “Excel Workbook (.xlsx)”."
        )
    limit = max_bytes()
    if size > limit:
        return (
            f"The file is {size_text(size, up=True)}, over the limit of {size_text(limit)} for "
            "one import. Split it into smaller files, or remove columns sendtrack does not use."
        )
    if size == 0:
        return "The file is empty: there is nothing to import."
    return None


def size_text(n, *, up=False):
    """1.5 MB, 300 KB or 12 bytes; `up` rounds up, so a file just over a limit says so."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= factor:
            tenths = n * 10 / factor
            tenths = math.ceil(tenths) if up else round(tenths)
            return f"{tenths / 10:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} byte{'s' if n != 1 else ''}"


def read_table(content, file_name):
    """The file's cells as lists of stripped strings, headings first. Raises FileProblem."""
    problem = file_problem(file_name, len(content))
    if problem:
        raise FileProblem(problem)
    read = _read_csv if PurePath(file_name).suffix.lower() == ".csv" else _read_xlsx
    frame = read(content)
    # pandas stops after max_rows() + 2 rows (headings, the limit, one more), so a long file
    # is not read to the end just to be refused.
    capped = len(frame) >= max_rows() + 2
    rows = [[_cell(value) for value in record] for record in frame.itertuples(False, None)]
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise FileProblem("The file is empty: there is nothing to import.")
    if capped or len(rows) - 1 > max_rows():
        raise FileProblem(
            f"The file has more than {max_rows():,} rows below the headings (empty rows "
            f"count too). Import at most {max_rows():,} rows at a time: split the file."
        )
    return rows


def _cell(value):
    if isinstance(value, str):
        return value.replace("\ufeff", "").strip()
    return ""  # a missing cell: pandas gives NaN


def _decode(content):
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        for encoding in ENCODINGS:
            try:
                return content.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise FileProblem(
        "The file could not be read as text. In Excel, use Save As and choose “CSV UTF-8 (Comma delimited)”."
    )


_NOT_CSV = (
    "This file could not be read as a CSV file. Open it in Excel and use Save As with "
    "“CSV UTF-8 (Comma delimited)”, or save it as an Excel workbook (.xlsx)."
)


def _separator(text):
    """Commas, unless the heading row plainly uses semicolons or tabs (some exports do)."""
    first_line = text.lstrip().split("\n", 1)[0]
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] > counts[","] else ","


def _read_csv(content):
    text = _decode(content)
    if "\x00" in text:
        raise FileProblem(_NOT_CSV)
    if not text.strip(" \t\r\n,;"):
        raise FileProblem("The file is empty: there is nothing to import.")
    width = None
    # A row with more cells than the first makes pandas stop and name the width it saw;
    # read again that wide, so that every such row is reported, not just the first.
    for _attempt in range(20):
        try:
            return pd.read_csv(
                io.StringIO(text),
                sep=_separator(text),
                header=None,
                names=range(width) if width else None,
                index_col=False,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,
                nrows=max_rows() + 2,
                engine="c",
            )
        except pd.errors.ParserError as error:
            message = str(error)
            if match := re.search(r"Expected \d+ fields in line (\d+), saw (\d+)", message):
                width = max(int(match[2]), (width or 0) + 1)
                continue
            if match := re.search(r"EOF inside string starting at row (\d+)", message):
                raise FileProblem(
                    f'Row {int(match[1]) + 1} opens a quotation mark (") that is never '
                    "closed, so the rest of the file cannot be read. Check that row in "
                    "Excel and save the file again."
                ) from None
            raise FileProblem(_NOT_CSV) from None
        except pd.errors.EmptyDataError:
            raise FileProblem("The file is empty: there is nothing to import.") from None
        except (ValueError, OverflowError, MemoryError):
            raise FileProblem(_NOT_CSV) from None
    raise FileProblem(_NOT_CSV)


def _read_xlsx(content):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's notes on styles it does not read
            return pd.read_excel(
                io.BytesIO(content),
                sheet_name=0,
                header=None,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                engine="openpyxl",
                nrows=max_rows() + 2,
            )
    # zipfile, openpyxl, XML and pandas each raise their own errors for a damaged or
    # disguised file; any of them means the same thing to the user.
    except Exception:
        raise FileProblem(
            "This file could not be opened as an Excel workbook (.xlsx). Open it in Excel and "
            "save it again as “Excel Workbook (.xlsx)”, or as “CSV UTF-8 (Comma delimited)”."
        ) from None


# --- Headings -----------------------------------------------------------------------------


def column_letter(index):
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def match_headings(headings, columns):
    """Which column of the file holds each field: (positions, errors, ignored headings)."""
    by_key = {}
    for column in columns:
        for rank, key in enumerate(column.keys):
            by_key[key] = (column, rank)
    best = {}  # field -> (rank, position)
    errors, ignored, seen = [], [], {}
    for position, heading in enumerate(headings):
        key = _key(heading)
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


# --- The whole parse ----------------------------------------------------------------------


def class_names(school):
    names = SchoolClass.objects.filter(school=school).values_list("name", flat=True)
    return {class_key(name): name for name in names}


def parse_file(kind, content, file_name, *, school, today=None):
    """Read and check a whole file. Never raises: every problem is in `result.errors`."""
    file_name = PurePath(str(file_name or "")).name[:255]
    result = ParseResult(kind=kind, file_name=file_name)
    try:
        _parse(result, content, school=school, today=today or timezone.localdate())
    except FileProblem as problem:
        result.errors, result.rows = [RowError(None, "", str(problem))], []
    except Exception:
        logger.exception("Import of %s (%s) failed unexpectedly", file_name, kind)
        result.errors, result.rows = [RowError(None, "", UNEXPECTED)], []
    return result


def _parse(result, content, *, school, today):
    columns = COLUMNS[ImportKind(result.kind)]
    table = read_table(bytes(content), result.file_name)
    headings, data = table[0], table[1:]
    positions, heading_errors, result.ignored_columns = match_headings(headings, columns)
    result.errors.extend(heading_errors)
    if not any(any(cells) for cells in data):
        result.errors.append(RowError(None, "", "The file has headings but no rows of data below them."))
    if result.errors:
        return
    result.columns = {name: headings[position] for name, position in positions.items()}
    in_use = [(column, positions[column.field]) for column in columns if column.field in positions]
    classes = class_names(school) if "school_class" in positions else {}
    ctx = Context(today=today, classes=classes)
    last_heading = max(i for i, heading in enumerate(headings) if heading)
    for number, cells in enumerate(data, start=2):
        if not any(cells):
            continue
        row, valid = {"row": number}, True
        for column, position in in_use:
            try:
                row[column.field] = column.clean(cells[position], ctx)
            except Invalid as problem:
                result.errors.append(RowError(number, result.columns[column.field], str(problem)))
                valid = False
        beyond = [i for i, cell in enumerate(cells) if cell and i > last_heading]
        if beyond:
            result.errors.append(
                RowError(
                    number,
                    "",
                    f"There is something in column {column_letter(beyond[0])}, which has no "
                    "heading. Clear it, or check for a comma in a name that is not in quotes.",
                )
            )
        if valid:
            result.errors.extend(_check_row(result.kind, row, result.columns))
        result.rows.append(row)
    result.errors.extend(_duplicates(result.kind, result.rows, result.columns))
    result.errors.sort(key=lambda error: error.row or 0)
    if result.errors:
        result.rows = []


def _check_row(kind, row, headings):
    """Rules across the cells of one row."""
    if kind == ImportKind.ATTENDANCE:
        return _check_attendance_row(row, headings)
    if kind == ImportKind.ASSESSMENTS:
        if not (row.get("attainment") or row.get("progress") or row.get("points")):
            return [
                RowError(
                    row["row"],
                    "",
                    "The row has no attainment, progress or points: there is nothing to record. "
                    "Fill one in, or take the row out.",
                )
            ]
        return []
    if kind != ImportKind.PUPILS:
        return []
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


def _check_attendance_row(row, headings):
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


def _termly_key(kind, row):
    """What may appear once per file in a termly-data file, and how to say it; None to skip."""
    upn = row["upn"]
    if kind == ImportKind.ASSESSMENTS:
        if "subject" not in row or "point" not in row:
            return None
        point = row["point"]
        year = point["year"] or row.get("academic_year")
        key = (upn, _key(row["subject"]), _key(point["name"]), year)
        return key, f"UPN {upn}, {row['subject']} at {point['name']}", "one assessment per subject per point"
    if "academic_year" not in row or "term" not in row:
        return None
    term = {1: "autumn", 2: "spring", 3: "summer"}[row["term"]]
    year = f"{row['academic_year']}/{(row['academic_year'] + 1) % 100:02d}"
    return (
        (upn, row["academic_year"], row["term"]),
        f"UPN {upn} in the {term} term of {year}",
        "one row per pupil per term",
    )


def _duplicates(kind, rows, headings):
    """A pupil once per file; in a SEN status file, once per pupil per date; in termly data,
    once per pupil per term (or per subject and point)."""
    errors, first_seen = [], {}
    for row in rows:
        upn = row.get("upn")
        if not upn:
            continue
        if kind in (ImportKind.ASSESSMENTS, ImportKind.ATTENDANCE, ImportKind.BEHAVIOUR):
            found = _termly_key(kind, row)
            if found is None:
                continue
            key, what, rule = found
        elif kind == ImportKind.SEN_STATUS:
            if not row.get("effective_date"):
                continue
            key = (upn, row["effective_date"])
            what = f"UPN {upn} with the date {row['effective_date']:%d/%m/%Y}"
            rule = "a pupil can have one SEN status for each date"
        else:
            key, what, rule = upn, f"UPN {upn}", "each pupil can be in the file only once"
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


# --- Rows kept between preview and confirmation -------------------------------------------


def rows_to_json(rows):
    return [
        {name: (value.isoformat() if name in DATE_FIELDS and value else value) for name, value in row.items()}
        for row in rows
    ]


def rows_from_json(rows):
    return [
        {
            name: (datetime.date.fromisoformat(value) if name in DATE_FIELDS and value else value)
            for name, value in row.items()
        }
        for row in rows
    ]


def template_rows(kind, *, example_upn, example_class="", example_year=None, examples=None):
    """Our headings and one example row, for the downloadable template. `examples` gives
    values from the school's own records (a subject, a point, bands)."""
    columns = COLUMNS[ImportKind(kind)]
    examples = {"upn": example_upn, "school_class": example_class, **(examples or {})}
    if example_year is not None:
        examples["year_group"] = "R" if example_year == 0 else str(example_year)
    return [
        [column.heading for column in columns],
        [examples.get(column.field, column.example) for column in columns],
    ]
