"""The termly assessment import with pupils on other frameworks (issue 22): each row's value is
read on the framework the pupil is on in the subject at the point; a value not on it is refused
in the preview, naming the pupil and the cell, and nothing is stored; confirmed values keep their
progress.

The default points of 2024/25 start on 1 September, 3 January and 15 April: Autumn is as at
2 January 2025, Spring as at 14 April 2025, three whole months later."""

import datetime
from decimal import Decimal

import pytest

from assessment.frameworks import kit_add
from assessment.models import Assessment, Framework, FrameworkPlacement, Subject
from assessment.services import scheme_set_up_defaults
from imports import services
from imports.models import ImportKind
from imports.selectors import import_preview
from tests.factories import PupilFactory

from .files import UPN1, UPN2, UPN3, csv_bytes

pytestmark = pytest.mark.django_db

ASS = ImportKind.ASSESSMENTS
HEADINGS = ["UPN", "Subject", "Assessment Point", "Attainment", "Progress", "Points", "Framework Value"]
SEPT = datetime.date(2024, 9, 1)


@pytest.fixture
def mixed(school):
    """Zoë Brontë on pre-key stage 2 standards in Reading, Ava Khan on a reading age, Daniel
    Okafor on the school's scheme."""
    scheme_set_up_defaults(school=school, academic_year=2024)
    reading = Subject.objects.get(school=school, name="Reading")
    pk2 = kit_add(school, "Pre-key stage 2 standards")
    age = Framework.objects.create(school=school, kind="age", name="Reading age", expected_per_year=12)
    pupils = [
        PupilFactory(school=school, upn=upn, legal_surname=surname, legal_forename=forename)
        for upn, surname, forename in (
            (UPN1, "Brontë", "Zoë"),
            (UPN2, "Khan", "Ava"),
            (UPN3, "Okafor", "Daniel"),
        )
    ]
    FrameworkPlacement.objects.create(pupil=pupils[0], subject=reading, framework=pk2, starts_on=SEPT)
    FrameworkPlacement.objects.create(pupil=pupils[1], subject=reading, framework=age, starts_on=SEPT)
    return reading, pk2, age, pupils


def check(school, rows, headings=HEADINGS):
    return import_preview(school=school, kind=ASS, content=csv_bytes([headings, *rows]), file_name="data.csv")


def run(school, user, rows, headings=HEADINGS):
    preview = check(school, rows, headings)
    assert preview.errors == []
    content = csv_bytes([headings, *rows])
    batch = services.import_batch_create(school=school, by=user, preview=preview, content=content)
    return services.import_batch_confirm(batch=batch, by=user)


def test_values_on_each_pupils_framework_are_stored_with_their_progress(school, senco, mixed):
    reading, pk2, age, pupils = mixed
    rows = [
        [UPN1, "Reading", "Autumn 2024/25", "", "", "", "PK2"],
        [UPN1, "Reading", "Spring 2024/25", "", "", "", "pk3"],
        [UPN2, "Reading", "Autumn 2024/25", "", "", "", "7:0"],
        [UPN2, "Reading", "Spring 2024/25", "", "", "", "8y 0m"],
        [UPN3, "Reading", "Autumn 2024/25", "OT", "E", "", ""],
    ]
    preview = check(school, rows)
    assert preview.errors == []
    shown = [change for entry in preview.plan.rows for change in entry.changes]
    assert ("Reading, Spring 2024/25", "—", "PK3 (Pre-key stage 2 standards)") in shown
    assert ("Reading, Spring 2024/25", "—", "8y 0m (Reading age)") in shown
    plan = run(school, senco.user, rows)
    assert plan.counts == {"create": 5, "update": 0, "unchanged": 0}
    cells = {
        (a.pupil_id, a.point.name): a
        for a in Assessment.objects.select_related("point", "stage", "attainment")
    }
    zoe = cells[(pupils[0].pk, "Spring")]
    # PK2 to PK3 in the three months from Autumn: one standard; one a year expects none yet.
    assert (zoe.framework, zoe.stage.code, zoe.place, zoe.attainment) == (pk2, "PK3", 3, None)
    assert (zoe.gained, zoe.months, zoe.expected_met) == (1, 3, True)
    assert cells[(pupils[0].pk, "Autumn")].expected_met is None  # the baseline itself
    ava = cells[(pupils[1].pk, "Spring")]
    # 7y 0m (84 months) to 8y 0m (96): twelve months gained in three; twelve a year expect three.
    assert (ava.framework, ava.score, ava.gained, ava.months, ava.expected_met) == (age, 96, 12, 3, True)
    dan = cells[(pupils[2].pk, "Autumn")]
    assert (dan.framework, dan.attainment.code, dan.expected_met) == (None, "OT", None)
    # The same file again changes nothing.
    assert run(school, senco.user, rows).counts == {"create": 0, "update": 0, "unchanged": 5}


def test_values_not_on_the_framework_are_refused_naming_pupil_and_cell(school, senco, mixed):
    reading, pk2, age, pupils = mixed
    rows = [
        [UPN1, "Reading", "Autumn 2024/25", "", "", "", "PK7"],
        [UPN2, "Reading", "Autumn 2024/25", "", "", "", "40"],
        [UPN3, "Reading", "Autumn 2024/25", "", "", "", "PK1"],
        [UPN1, "Reading", "Spring 2024/25", "OT", "", "", "PK2"],
        [UPN1, "Writing", "Autumn 2024/25", "OT", "", "", ""],  # Writing is on the scheme: fine
    ]
    preview = check(school, rows)
    assert [(e.row, e.column, e.message) for e in preview.errors] == [
        (
            2,
            "Framework Value",
            "Zoë Brontë, Reading at Autumn 2024/25: “PK7” is not on Pre-key stage 2 standards: its codes "
            "are PK1, PK2, PK3, PK4, PK5, PK6.",
        ),
        (
            3,
            "Framework Value",
            "Ava Khan, Reading at Autumn 2024/25: 40y 0m is outside Reading age's range, 3y 0m to 17y 0m.",
        ),
        (
            4,
            "Framework Value",
            "Daniel Okafor, Reading at Autumn 2024/25: the pupil is on the school's scheme, not another "
            "framework, so “PK1” cannot be stored: use the attainment, progress and points columns.",
        ),
        (
            5,
            "Framework Value",
            "Zoë Brontë, Reading at Spring 2024/25: the pupil is assessed on Pre-key stage 2 standards, so "
            "the row needs its value on it (Framework Value) and no attainment, progress or points.",
        ),
    ]
    assert not Assessment.objects.exists()


def test_a_file_without_the_framework_column_is_read_on_the_pupils_framework(school, senco, mixed):
    reading, pk2, age, pupils = mixed
    headings = ["UPN", "Subject", "Assessment Point", "Attainment"]
    rows = [
        [UPN1, "Reading", "Summer 2024/25", "PK4"],
        [UPN2, "Reading", "Summer 2024/25", "9y 6m"],
        [UPN3, "Reading", "Summer 2024/25", "EX"],
    ]
    assert run(school, senco.user, rows, headings).counts == {"create": 3, "update": 0, "unchanged": 0}
    stored = {a.pupil_id: a for a in Assessment.objects.select_related("stage", "attainment")}
    assert (stored[pupils[0].pk].stage.code, stored[pupils[0].pk].attainment) == ("PK4", None)
    assert stored[pupils[1].pk].score == Decimal(114)  # 9 x 12 + 6 months
    assert (stored[pupils[2].pk].framework, stored[pupils[2].pk].attainment.code) == (None, "EX")
    # A step PK4 does not have, read the same way, is refused.
    preview = check(school, [[UPN1, "Reading", "Summer 2024/25", "PK4.2"]], headings)
    assert [(e.column, e.message) for e in preview.errors] == [
        (
            "Attainment",
            "Zoë Brontë, Reading at Summer 2024/25: PK4 Standard 4: foundations for the expected standard "
            "has 1 step: type PK4.1. (Pre-key stage 2 standards)",
        )
    ]
