"""Property-based tests: whatever bytes or text arrive, the parser answers with errors or
rows, and never raises or falls through to its last-resort message."""

import io
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imports.columns import COLUMNS
from imports.errors import RowError
from imports.models import ImportKind
from imports.parsing import UNEXPECTED, ParseResult, parse_file

from .files import PUPIL_HEADINGS, PUPIL_ROWS, csv_text

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# The parser only reads from the database (the school's classes), so one school serves
# every example.
PROPERTY_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# The tabular kinds; the Common Transfer File has its own properties (test_ctf_properties.py).
kinds = st.sampled_from([kind for kind in ImportKind if kind != ImportKind.CTF])
names = st.sampled_from(["data.csv", "data.CSV", "data.xlsx", "data.xls", "data", ".csv"])


def assert_well_formed(result, *, data_rows=None):
    assert isinstance(result, ParseResult)
    assert all(isinstance(error, RowError) for error in result.errors)
    assert all(error.message and error.message != UNEXPECTED for error in result.errors)
    if result.errors:
        assert result.rows == []
    else:
        assert result.rows, "a file without errors has rows"
    if data_rows is not None:
        for error in result.errors:
            assert error.row is None or 1 <= error.row <= data_rows + 1


@PROPERTY_SETTINGS
@given(content=st.binary(max_size=4000), kind=kinds, name=names)
def test_random_bytes(school, content, kind, name):
    assert_well_formed(parse_file(kind, content, name, school=school))


@PROPERTY_SETTINGS
@given(
    text=st.text(max_size=2000),
    kind=kinds,
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_random_text_as_csv(school, text, kind, encoding):
    try:
        content = text.encode(encoding)
    except UnicodeEncodeError:
        content = text.encode("utf-8")
    assert_well_formed(parse_file(kind, content, "data.csv", school=school))


cells = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["", "Y", "N", "R", "4", "Year 4", "K", "E", "SPLD", "01/03/2016"]),
    st.sampled_from(["31/02/2020", "2016-03-01", "M", "F", "4 Oak", "R886200124001"]),
    st.sampled_from(["2024/25", "2024-2025", "Autumn", "spring term", "180", "162.0", "-3", "OT", "21.5"]),
)


@PROPERTY_SETTINGS
@given(
    kind=kinds,
    data=st.data(),
    rows=st.lists(st.lists(cells, min_size=0, max_size=20), max_size=15),
)
def test_our_headings_over_random_cells(school, kind, data, rows):
    """Real headings, in any order, with random cells below: every error names a real row."""
    columns = COLUMNS[kind]
    headings = data.draw(st.permutations([c.heading for c in columns]))
    text = csv_text([headings, *rows]) if rows else ",".join(headings)
    result = parse_file(kind, text.encode("utf-8"), "data.csv", school=school)
    assert_well_formed(result, data_rows=len(rows))
    for error in result.errors:
        assert error.column in ("", *headings)


@PROPERTY_SETTINGS
@given(rows=st.lists(st.lists(cells, max_size=len(PUPIL_HEADINGS) + 2), max_size=8))
def test_random_cells_in_a_workbook(school, rows):
    workbook = openpyxl.Workbook()
    workbook.active.append(PUPIL_HEADINGS)
    for row in rows:
        workbook.active.append([_safe_for_excel(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = parse_file(ImportKind.PUPILS, buffer.getvalue(), "data.xlsx", school=school)
    assert_well_formed(result)


def _safe_for_excel(cell):
    # openpyxl refuses control characters a worksheet cannot hold; Excel could not have
    # written them either.
    return "".join(ch for ch in cell if ch >= " " or ch in "\t\n\r")


@PROPERTY_SETTINGS
@given(data=st.data())
def test_a_valid_row_survives_any_heading_case_and_spacing(school, data):
    def scramble(heading):
        return "".join(
            data.draw(st.sampled_from([ch.upper(), ch.lower()])) + data.draw(st.sampled_from(["", " "]))
            for ch in heading
        )

    headings = [scramble(h) for h in PUPIL_HEADINGS]
    row = list(PUPIL_ROWS[1])
    row[PUPIL_HEADINGS.index("Class")] = ""
    result = parse_file(ImportKind.PUPILS, csv_text([headings, row]).encode(), "data.csv", school=school)
    assert result.errors == []
    assert result.rows[0]["legal_surname"] == "Khan"


terms = st.sampled_from(
    [
        ("Autumn", 1),
        ("autumn term", 1),
        ("1", 1),
        ("Spring", 2),
        ("SPR", 2),
        ("2.0", 2),
        ("Summer", 3),
        ("T3", 3),
    ]
)


@PROPERTY_SETTINGS
@given(
    possible=st.integers(min_value=1, max_value=999),
    data=st.data(),
    term=terms,
    year=st.sampled_from([("2023/24", 2023), ("2023-2024", 2023), ("2023", 2023), ("2024/25", 2024)]),
)
def test_valid_attendance_rows_read_back_exactly(school, possible, data, term, year):
    attended = data.draw(st.integers(min_value=0, max_value=possible))
    authorised = data.draw(st.integers(min_value=0, max_value=possible - attended))
    unauthorised = data.draw(st.integers(min_value=0, max_value=possible - attended - authorised))
    headings = ["UPN", "Academic Year", "Term", "Possible Sessions", "Attendance Marks"]
    headings += ["Authorised Absences", "Unauthorised Absences"]
    row = [
        "R886200124001",
        year[0],
        term[0],
        str(possible),
        str(attended),
        str(authorised),
        str(unauthorised),
    ]
    result = parse_file(
        ImportKind.ATTENDANCE, csv_text([headings, row]).encode("cp1252"), "a.csv", school=school
    )
    assert result.errors == []
    parsed = result.rows[0]
    assert (parsed["academic_year"], parsed["term"]) == (year[1], term[1])
    assert (parsed["possible_sessions"], parsed["attended_sessions"]) == (possible, attended)
    assert (parsed["authorised_absence"], parsed["unauthorised_absence"]) == (authorised, unauthorised)


@PROPERTY_SETTINGS
@given(possible=st.integers(min_value=1, max_value=999), extra=st.integers(min_value=1, max_value=50))
def test_attendance_over_the_possible_sessions_is_always_refused(school, possible, extra):
    headings = ["UPN", "Academic Year", "Term", "Possible", "Attended"]
    row = ["R886200124001", "2024/25", "Autumn", str(possible), str(possible + extra)]
    result = parse_file(ImportKind.ATTENDANCE, csv_text([headings, row]).encode(), "a.csv", school=school)
    assert result.rows == []
    assert [(e.row, e.column) for e in result.errors] in ([(2, "Possible")], [(2, "Attended")])


@PROPERTY_SETTINGS
@given(points=st.decimals(min_value=-999, max_value=9999, places=1, allow_nan=False, allow_infinity=False))
def test_points_with_one_decimal_place_survive(school, points):
    headings = ["UPN", "Subject", "Assessment Point", "Points"]
    row = ["R886200124001", "Maths", "Autumn 2024/25", str(points)]
    result = parse_file(ImportKind.ASSESSMENTS, csv_text([headings, row]).encode(), "a.csv", school=school)
    assert result.errors == []
    assert Decimal(result.rows[0]["points"]) == points
    assert result.rows[0]["point"] == {"name": "Autumn", "year": 2024}
