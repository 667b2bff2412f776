"""Cleaning: one text cell of an import file in, a checked value out, or `Invalid`.

Each cleaner takes the cell as text (already stripped by `reading`) and a `Context` (today's
date, the school's classes), and returns the value to store or raises `Invalid` with the
reason in plain words. Excel's number cells (4.0 for 4) and the ways school systems write
dates, year groups, flags, needs and SEN provision are all accepted here.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from stdnum.gb.upn import calc_check_digit

from core.calendar import academic_year_of
from pupils.models import AreaOfNeed, PostLookedAfter, SenStatus, SocialCare, YoungCarer
from pupils.upn import normalise_upn, validate_upn
from schools.models import SchoolClass


class Invalid(Exception):
    """A cell's value cannot be used; the message says why in plain words."""


@dataclass(frozen=True)
class Context:
    today: datetime.date
    classes: dict  # normalised class name -> the class name as the school writes it


def loose_key(text):
    """Headings and words compared without case, spaces or punctuation."""
    return re.sub(r"[^0-9a-z]", "", text.casefold())


# --- Cleaners for pupils and SEN status ---------------------------------------------------


# The downloadable templates' example row: a made-up UPN with a correct check letter (LA 999
# does not exist). A file that still holds the example is refused, so it never becomes a pupil.
EXAMPLE_UPN = calc_check_digit("999000024001") + "999000024001"
EXAMPLE_MARK = "EXAMPLE - delete this row"


def clean_upn(value, ctx):
    if not value:
        raise Invalid("The UPN is missing.")
    try:
        validate_upn(value)
    except ValidationError as error:
        raise Invalid(" ".join(error.messages)) from None
    upn = normalise_upn(value)
    if upn == EXAMPLE_UPN:
        raise Invalid(
            "This is the template's example row, not a real pupil: delete the row "
            "(or put a real pupil in its place), then upload the file again."
        )
    return upn


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
        return _GENDERS[loose_key(value)]
    except KeyError:
        raise Invalid(f"“{value}” is not a gender sendtrack records: use M or F.") from None


_RECEPTION = {"r", "rec", "reception", "yr", "yearr", "yearreception", "ncyearr"}
_WHOLE_NUMBER = re.compile(r"(\d+)\.0+")  # Excel's number cells: 4.0 for 4


def clean_year_group(value, ctx):
    if not value:
        raise Invalid("The year group is missing: use R for Reception, or 1 to 13.")
    if match := _WHOLE_NUMBER.fullmatch(value):
        value = match[1]
    key = loose_key(value)
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
    key = loose_key(value)
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
        keys[loose_key(need.value)] = need.value
        keys[loose_key(need.label.split("—", 1)[1])] = need.value
    keys["asc"] = AreaOfNeed.ASD.value  # autistic spectrum condition, as many schools write it
    return keys


_NEEDS = _need_keys()


def code_cleaner(choices, what, *, blank, extra=None):
    """A cleaner of a census-style code column: the code or its wording (as in the choices' labels,
    "A" or "Ceased to be looked after through adoption"), or `blank` for an empty cell."""
    keys = {}
    for value, label in choices:
        if value:
            keys[loose_key(value)] = value
            keys[loose_key(label.split("—", 1)[-1])] = value
    keys.update(extra or {})
    codes = ", ".join(value for value, _ in choices if value)

    def clean(value, ctx):
        if not value.strip():
            return blank
        code = value.split("—", 1)[0].split(" - ", 1)[0].split("–", 1)[0]
        for candidate in (value, code):
            if loose_key(candidate) in keys:
                return keys[loose_key(candidate)]
        raise Invalid(f"“{value[:40]}” is not {what}: use {codes}, or leave it blank.")

    return clean


clean_social_care = code_cleaner(
    SocialCare.choices, "a social care code", blank=SocialCare.NONE, extra={"n": "", "no": "", "none": ""}
)
clean_post_looked_after = code_cleaner(
    PostLookedAfter.choices,
    "a post looked after arrangements code",
    blank=PostLookedAfter.NOT_DECLARED,
    extra={"n": "", "notdeclared": ""},
)
clean_young_carer = code_cleaner(YoungCarer.choices, "a young carer code", blank=YoungCarer.NOT_DECLARED)
_NEED_CODES = ", ".join(need.value for need in AreaOfNeed)


def clean_need(value, ctx):
    if not value:
        return ""
    code = value.split("—", 1)[0].split(" - ", 1)[0].split("–", 1)[0]
    for candidate in (value, code):
        if loose_key(candidate) in _NEEDS:
            return _NEEDS[loose_key(candidate)]
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
            key = loose_key(candidate)
            if key in _STATUSES:
                return _STATUSES[key].value
            if key in _OLD_STATUSES:
                raise Invalid(_OLD_STATUSES[key])
        raise Invalid(f"“{value}” is not an SEN provision: use N (no SEN), K (SEN support) or E (EHC plan).")

    return clean


def class_key(name):
    return " ".join(name.casefold().split())


def class_names(school):
    """The Context's classes: the school's class names by `class_key`."""
    names = SchoolClass.objects.filter(school=school).values_list("name", flat=True)
    return {class_key(name): name for name in names}


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
        return _TERMS[loose_key(value)]
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
