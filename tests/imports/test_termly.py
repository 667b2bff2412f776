"""Imports of termly data: attendance, assessments and behaviour counts."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessment.models import Assessment, AttainmentBand, ProgressBand, Subject
from assessment.services import scheme_set_up_defaults
from attendance.models import Attendance, BehaviourCount
from imports import services
from imports.models import ImportKind
from imports.selectors import import_preview
from tests.factories import PupilFactory

from .files import UPN1, UPN2, UPN3, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

ATT, ASS, BEH = ImportKind.ATTENDANCE, ImportKind.ASSESSMENTS, ImportKind.BEHAVIOUR
YEAR = 2024  # 2024/25, in the past whatever day the tests run

# Headings as SIMS exports them.
SIMS = ["UPN", "Academic Year", "Term", "Possible Sessions", "Attendance Marks", "Authorised Absences"]
SIMS += ["Unauthorised Absences"]
ATTENDANCE_ROWS = [
    [UPN1, "2024/25", "Autumn", "180", "162", "18", "0"],  # 162/180 = 90.0%: not persistent
    [UPN2, "2024/25", "Autumn", "180", "161", "10", "9"],  # 161/180 = 89.4%: persistent
    [UPN2, "2024-25", "Spring Term", "120.0", "120", "", ""],  # Excel's 120.0; blanks are 0
]


@pytest.fixture
def pupils(school):
    return [
        PupilFactory(school=school, upn=upn, legal_surname=name, legal_forename="Jo")
        for upn, name in ((UPN1, "Brontë"), (UPN2, "Khan"), (UPN3, "Okafor"))
    ]


def check(school, content, kind, name="data.csv"):
    return import_preview(school=school, kind=kind, content=content, file_name=name)


def run(school, user, content, kind, name="data.csv"):
    preview = check(school, content, kind, name)
    assert preview.errors == []
    batch = services.import_batch_create(school=school, by=user, preview=preview, content=content)
    return services.import_batch_confirm(batch=batch, by=user)


def errors(preview):
    return [(e.row, e.column, e.message) for e in preview.errors]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_attendance_with_sims_headings_is_stored_and_flagged(school, senco, pupils, encoding):
    plan = run(school, senco.user, csv_bytes([SIMS, *ATTENDANCE_ROWS], encoding), ATT)
    assert plan.counts == {"create": 3, "update": 0, "unchanged": 0}
    zoe = Attendance.objects.get(pupil=pupils[0])
    assert (zoe.possible_sessions, zoe.attended_sessions, zoe.authorised_absence) == (180, 162, 18)
    assert (zoe.rate, zoe.persistently_absent) == (Decimal("90.0"), False)
    ava = Attendance.objects.get(pupil=pupils[1], term=1)
    assert (ava.rate, ava.persistently_absent) == (Decimal("89.4"), True)
    spring = Attendance.objects.get(pupil=pupils[1], term=2)
    assert (spring.possible_sessions, spring.authorised_absence, spring.unauthorised_absence) == (120, 0, 0)
    # The database agrees with the hand working: only Ava's autumn is persistent.
    assert list(Attendance.objects.persistently_absent().values_list("pupil", "term")) == [(pupils[1].pk, 1)]
    assert Attendance.history.filter(history_user=senco.user).count() == 3


def test_attendance_twice_changes_nothing_then_a_correction_updates_one(school, senco, pupils):
    content = csv_bytes([SIMS, *ATTENDANCE_ROWS])
    run(school, senco.user, content, ATT)
    history = Attendance.history.count()
    assert run(school, senco.user, content, ATT).counts == {"create": 0, "update": 0, "unchanged": 3}
    assert Attendance.history.count() == history
    corrected = [SIMS, *ATTENDANCE_ROWS[:2], [UPN2, "2024/25", "Spring", "120", "118", "2", "0"]]
    plan = run(school, senco.user, csv_bytes(corrected), ATT)
    assert plan.counts == {"create": 0, "update": 1, "unchanged": 2}
    assert Attendance.objects.get(pupil=pupils[1], term=2).attended_sessions == 118
    assert Attendance.history.count() == history + 1


def test_arbor_headings_in_a_workbook(school, senco, pupils):
    headings = ["UPN", "Academic Year", "Term", "Possible", "Attended", "Authorised", "Unauthorised"]
    plan = run(
        school, senco.user, xlsx_bytes([headings, [UPN3, "2024", "1", 140, 126, 14, 0]]), ATT, "a.xlsx"
    )
    assert plan.counts["create"] == 1
    assert Attendance.objects.get(pupil=pupils[2]).attended_sessions == 126


def test_every_bad_attendance_row_is_reported_and_nothing_stored(school, senco, pupils):
    rows = [
        [UPN1, "2024/25", "Winter", "180", "170", "0", "0"],
        [UPN2, "2024/26", "Autumn", "180", "170", "0", "0"],
        [UPN3, "2024/25", "Autumn", "100", "90", "8", "3"],
        [UPN1, "2024/25", "Spring", "0", "0", "0", "0"],
        [UPN2, "2024/25", "Summer", "ten", "9", "0", "0"],
        [UPN3, "2024/25", "Autumn", "100", "100", "0", "0"],
    ]
    preview = check(school, csv_bytes([SIMS, *rows]), ATT)
    assert errors(preview) == [
        (2, "Term", "“Winter” is not a term: use Autumn, Spring or Summer (or 1, 2, 3)."),
        (
            3,
            "Academic Year",
            "2024/26 is not an academic year: the second year must follow the first (2025/26).",
        ),
        # 90 + 8 + 3 = 101 sessions counted against 100 possible.
        (
            4,
            "Possible Sessions",
            "Attended and absent sessions add up to 101, more than the 100 possible sessions.",
        ),
        (5, "Possible Sessions", "The possible sessions must be at least 1."),
        (6, "Possible Sessions", "“ten” is not a whole number of possible sessions."),
        (
            7,
            "UPN",
            f"Rows 4 and 7 both have UPN {UPN3} in the autumn term of 2024/25: one row per pupil per term.",
        ),
    ]
    assert not Attendance.objects.exists()


def test_unknown_pupil_is_reported_with_its_row(school, senco, pupils):
    other = PupilFactory()  # a pupil of another school
    preview = check(school, csv_bytes([SIMS, [other.upn, "2024/25", "Autumn", "10", "10", "0", "0"]]), ATT)
    assert [(e.row, e.column) for e in preview.errors] == [(2, "UPN")]
    assert "No pupil in this school has the UPN" in preview.errors[0].message


# --- Assessments ---------------------------------------------------------------------------


@pytest.fixture
def scheme(school):
    return scheme_set_up_defaults(school=school, academic_year=YEAR)


ASSESSMENT_HEADINGS = ["UPN", "Subject", "Assessment Point", "Attainment", "Progress", "Points"]


def test_assessments_accept_band_codes_and_labels_in_any_case(school, senco, pupils, scheme):
    subject = Subject.objects.filter(school=school).first()
    rows = [
        [UPN1, subject.name.upper(), "Autumn 2024/25", "ot", "E", "21.5"],
        [UPN2, subject.name, "autumn (2024/25)", "below are", "below expected", ""],
        [UPN3, subject.name, "Spring 2024/25", "", "", "19"],
    ]
    plan = run(school, senco.user, csv_bytes([ASSESSMENT_HEADINGS, *rows]), ASS)
    assert plan.counts == {"create": 3, "update": 0, "unchanged": 0}
    zoe = Assessment.objects.get(pupil=pupils[0])
    assert (zoe.attainment.code, zoe.progress.code, zoe.points) == ("OT", "E", Decimal("21.5"))
    assert (zoe.point.name, zoe.point.academic_year, zoe.updated_by) == ("Autumn", YEAR, senco.user)
    ava = Assessment.objects.get(pupil=pupils[1])
    assert (ava.attainment.code, ava.progress.code, ava.points) == ("B", "B", None)

    # Again: nothing changes. Then one band differs: one update, its version raised.
    content = csv_bytes([ASSESSMENT_HEADINGS, *rows])
    assert run(school, senco.user, content, ASS).counts == {"create": 0, "update": 0, "unchanged": 3}
    rows[0][3] = "EX"
    plan = run(school, senco.user, csv_bytes([ASSESSMENT_HEADINGS, *rows]), ASS)
    assert plan.counts == {"create": 0, "update": 1, "unchanged": 2}
    zoe.refresh_from_db()
    assert (zoe.attainment.code, zoe.version, zoe.points) == ("EX", 2, Decimal("21.5"))


def test_assessment_rows_that_do_not_fit_the_scheme(school, senco, pupils, scheme):
    subject = Subject.objects.filter(school=school).first()
    codes = ", ".join(f"{b.code} ({b.label})" for b in AttainmentBand.objects.filter(school=school))
    rows = [
        [UPN1, "Latin", "Autumn 2024/25", "OT", "", ""],
        [UPN2, subject.name, "Autumn 3 2024/25", "OT", "", ""],
        [UPN3, subject.name, "Autumn 2024/25", "Super", "", ""],
    ]
    preview = check(school, csv_bytes([ASSESSMENT_HEADINGS, *rows]), ASS)
    found = errors(preview)
    assert [(row, column) for row, column, _m in found] == [
        (2, "Subject"),
        (3, "Assessment Point"),
        (4, "Attainment"),
    ]
    assert found[1][2] == (
        "There is no assessment point “Autumn 3” in 2024/25. "
        "The points of that year are: Autumn, Spring, Summer."
    )
    assert found[2][2] == f"“Super” is not an attainment band here: use {codes}."
    # Cells the parser refuses before any look-up.
    rows = [
        [UPN1, subject.name, "Autumn 2024/25", "", "", ""],
        [UPN2, subject.name, "Spring 2024/25", "", "", "21.55"],
    ]
    preview = check(school, csv_bytes([ASSESSMENT_HEADINGS, *rows]), ASS)
    assert errors(preview) == [
        (
            2,
            "",
            "The row has no attainment, progress, points or framework value: there is nothing to "
            "record. Fill one in, or take the row out.",
        ),
        (3, "Points", "21.55 has more than one decimal place: points are kept to one (21.5)."),
    ]
    assert not Assessment.objects.exists()
    assert ProgressBand.objects.filter(school=school).exists()


def test_behaviour_counts(school, senco, pupils):
    content = csv_bytes(
        [["UPN", "Academic Year", "Term", "Behaviour Incidents"], [UPN3, "2024/25", "Summer", "4"]]
    )
    run(school, senco.user, content, BEH)
    assert BehaviourCount.objects.get(pupil=pupils[2]).incidents == 4
    assert run(school, senco.user, content, BEH).counts["unchanged"] == 1


def test_command_imports_attendance(school, senco, pupils, tmp_path, capsys):
    path = tmp_path / "attendance.csv"
    path.write_bytes(csv_bytes([SIMS, *ATTENDANCE_ROWS]))
    call_command("import_data", str(path), school=school.urn, kind="attendance")
    assert "Imported attendance: 3 new records, 0 changed, 0 unchanged." in capsys.readouterr().out
    path.write_bytes(csv_bytes([SIMS, [UPN1, "2024/25", "Autumn", "10", "11", "0", "0"]]))
    with pytest.raises(CommandError):
        call_command("import_data", str(path), school=school.urn, kind="attendance")
    assert "Row 2, Possible Sessions: Attended and absent sessions add up to 11" in capsys.readouterr().err


def _assessment_file(school, pupils, subjects):
    rows = [
        [p.upn, s.name, point, "OT", "E", "20"]
        for p in pupils
        for s in subjects
        for point in ("Autumn 2024/25", "Spring 2024/25")
    ]
    return csv_bytes([ASSESSMENT_HEADINGS, *rows])


@pytest.mark.parametrize("size", [3, 12])
def test_assessment_import_queries_do_not_grow_with_the_file(
    school, senco, scheme, size, django_assert_max_num_queries
):
    pupils = PupilFactory.create_batch(size, school=school)
    subjects = list(Subject.objects.filter(school=school)[:3])
    content = _assessment_file(school, pupils, subjects)
    # Preview: the school's classes are not read; pupils, subjects, points, two band sets, the
    # scheme and the stored assessments, one query each.
    with django_assert_max_num_queries(10):
        preview = check(school, content, ASS)
    assert preview.errors == []
    batch = services.import_batch_create(school=school, by=senco.user, preview=preview, content=content)
    # Confirmation: the claim, the same look-ups again under lock, one insert of the records and
    # one of their history (up to 1,000 a batch), the batch itself, savepoints.
    with django_assert_max_num_queries(22):
        plan = services.import_batch_confirm(batch=batch, by=senco.user)
    assert plan.counts["create"] == size * 3 * 2


def test_template_has_the_schemes_own_example(senco_client, scheme):
    from django.urls import reverse

    body = senco_client.get(reverse("imports:template", kwargs={"kind": "assessments"})).content.decode()
    first_line, example = body.lstrip("\ufeff").splitlines()[:2]
    assert (
        first_line == "UPN,Subject,Assessment Point,Academic Year,Attainment,Progress,Points,Framework Value"
    )
    assert ",Autumn," in example or ",Spring," in example or ",Summer," in example
