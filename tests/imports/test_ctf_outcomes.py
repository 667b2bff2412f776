"""Statutory outcomes in the Common Transfer File: written as key stage teacher assessments in
StageAssessments (the expected elements written out by hand from the CTF specification's
structure), and read back from a CTF into the receiving school's statutory outcomes."""

import datetime

import pytest
from defusedxml import ElementTree

from assessment.engagement import outcome_from_ctf
from assessment.models import StatutoryOutcome
from imports import selectors, services
from imports.ctf_export import ctf_bytes
from pupils.models import KeyStageResult, Pupil
from pupils.services import pupil_create

pytestmark = pytest.mark.django_db

SOURCE = {"la": "999", "estab": "2001", "name": "Oakfield"}
DEST = {"la": "999", "estab": "4001", "name": "Hillside Academy"}


def import_ctf(school, user, content, name="file.xml"):
    preview = selectors.import_preview(school=school, kind="ctf", content=content, file_name=name)
    assert preview.errors == []
    batch = services.import_batch_create(school=school, by=user, preview=preview, content=content)
    return services.import_batch_confirm(batch=batch, by=user, decisions=None)


@pytest.fixture
def maya(school, senco):
    """Maya, Year 6 at the end of key stage 2 in 2025/26, reported below the tests: PK5 in
    reading, PK4 in writing, the Engagement Model in maths; at key stage 1 (2021/22) PK2 in
    reading. Her CTF brought a KS2 reading result of PK3 that the school has since corrected."""
    pupil = pupil_create(
        school=school,
        by=senco.user,
        upn="R999000019005",
        legal_surname="Ng",
        legal_forename="Maya",
        preferred_forename="Maya",
        date_of_birth=datetime.date(2015, 1, 20),
        gender="F",
        year_group=6,
        sen_status="N",
        sen_status_date=datetime.date(2019, 9, 2),
    )
    for key_stage, year, subject, code in (
        (2, 2025, "reading", "PK5"),
        (2, 2025, "writing", "PK4"),
        (2, 2025, "maths", "EM"),
        (1, 2021, "reading", "PK2"),
    ):
        StatutoryOutcome.objects.create(
            pupil=pupil, key_stage=key_stage, academic_year=year, subject=subject, outcome=code
        )
    KeyStageResult.objects.create(
        pupil=pupil, stage="KS2", year=2026, subject="ENG", method="TA", component="RE", result="PK3"
    )
    return pupil


def stage_assessments(content):
    """[(Stage, Year, Subject, Method, Component, Result)] in the file's order."""
    root = ElementTree.fromstring(content)
    out = []
    for stage in root.iter("KeyStage"):
        for item in stage.findall("StageAssessment"):
            out.append(
                (
                    stage.findtext("Stage"),
                    item.findtext("Year"),
                    item.findtext("Subject"),
                    item.findtext("Method"),
                    item.findtext("Component"),
                    item.findtext("Result"),
                )
            )
    return out


def test_the_ctf_writes_the_outcomes_as_key_stage_teacher_assessments(school, maya):
    content = ctf_bytes(school=school, pupils=[maya], source=SOURCE, dest=DEST)
    # Each key stage once, its results as teacher assessments (TA) in the calendar year the key
    # stage ended (2025/26 ends in 2026); the school's PK5 replaces the PK3 the old CTF brought.
    assert sorted(stage_assessments(content)) == [
        ("KS1", "2022", "ENG", "TA", "RE", "PK2"),
        ("KS2", "2026", "ENG", "TA", "RE", "PK5"),
        ("KS2", "2026", "ENG", "TA", "WR", "PK4"),
        ("KS2", "2026", "MAT", "TA", None, "EM"),
    ]
    text = content.decode()
    assert text.count("<Stage>KS2</Stage>") == 1
    assert (
        "<StageAssessment>\n"
        "            <Locale>ENG</Locale>\n"
        "            <Year>2026</Year>\n"
        "            <Subject>MAT</Subject>\n"
        "            <Method>TA</Method>\n"
        "            <Result>EM</Result>\n"
        "          </StageAssessment>"
    ) in text
    assert "PK3" not in text


def test_a_ctf_with_outcomes_gives_the_receiving_school_its_statutory_outcomes(
    school, other_school, maya, senco
):
    content = ctf_bytes(school=school, pupils=[maya], source=SOURCE, dest=DEST)
    plan = import_ctf(other_school, senco.user, content, "maya.xml")
    assert plan.counts == {"create": 1, "update": 0, "unchanged": 0}
    arrived = Pupil.objects.get(school=other_school, upn="R999000019005")
    assert sorted(
        StatutoryOutcome.objects.filter(pupil=arrived).values_list(
            "key_stage", "academic_year", "subject", "outcome"
        )
    ) == [
        (1, 2021, "reading", "PK2"),
        (2, 2025, "maths", "EM"),
        (2, 2025, "reading", "PK5"),
        (2, 2025, "writing", "PK4"),
    ]
    assert StatutoryOutcome.history.filter(pupil_id=arrived.pk).count() == 4
    # The same file again changes nothing.
    again = import_ctf(other_school, senco.user, content, "maya.xml")
    assert again.counts == {"create": 0, "update": 0, "unchanged": 1}
    assert StatutoryOutcome.objects.filter(pupil=arrived).count() == 4


@pytest.mark.parametrize(
    "stage, subject, component, method, result, expected",
    [
        ("KS2", "ENG", "RE", "TA", "pk6", (2, "reading", "PK6")),
        ("KS1", "MAT", "", "TA", "EM", (1, "maths", "EM")),
        ("KS1", "ENG", "WR", "TA", "PK5", None),  # no fifth pre-key stage 1 standard
        ("KS2", "ENG", "RE", "TT", "PK4", None),  # a test result, not a teacher assessment
        ("KS2", "ENG", "WR", "TA", "WTS", None),  # at the standard of the curriculum
        ("KS2", "SCI", "SCI", "TA", "HNM", None),
        ("EYF", "COM", "G03", "FA", "2", None),
    ],
)
def test_which_ctf_results_are_statutory_outcomes(stage, subject, component, method, result, expected):
    assert outcome_from_ctf(stage, subject, component, method, result) == expected
