"""Property-based tests of the CTF reader: whatever bytes arrive it answers with problems or
pupils and never raises; and a pupil written as a CTF is read back as written."""

import datetime
from xml.etree import ElementTree as ET  # noqa: S405 (the tests write XML; the reader is defusedxml)

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.gb.upn import calc_check_digit

from imports.ctf import CtfProblem, parse_ctf
from imports.parsing import UNEXPECTED, ParseResult

pytestmark = [pytest.mark.slow]

PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TODAY = datetime.date(2026, 1, 5)
VALID = b"""<?xml version="1.0" encoding="utf-8"?><CTfile><Header><CTFversion>19.0</CTFversion></Header>
<CTFpupilData><Pupil><UPN>Z999000018001</UPN><Surname>Hart</Surname><Forename>Amelia</Forename>
<DOB>2015-03-14</DOB><Gender>F</Gender><BasicDetails><NCyearActual>6</NCyearActual></BasicDetails>
<SENhistory><SEN><StartDate>2021-10-04</StartDate><SENprovision>K</SENprovision></SEN></SENhistory>
</Pupil></CTFpupilData></CTfile>"""


def assert_well_formed(result):
    assert isinstance(result, ParseResult)
    assert all(isinstance(error, CtfProblem) for error in result.errors)
    assert all(error.message and error.message != UNEXPECTED for error in result.errors)
    assert bool(result.errors) != bool(result.rows)


@PROPERTY_SETTINGS
@given(st.binary(max_size=2000))
def test_any_bytes_give_problems_never_an_exception(content):
    assert_well_formed(parse_ctf(content, "file.xml", today=TODAY))


@PROPERTY_SETTINGS
@given(st.data())
def test_a_valid_file_with_bytes_changed_still_answers(data):
    content = bytearray(VALID)
    for _ in range(data.draw(st.integers(1, 5))):
        position = data.draw(st.integers(0, len(content) - 1))
        content[position] = data.draw(st.integers(0, 255))
    assert_well_formed(parse_ctf(bytes(content), "file.xml", today=TODAY))


@PROPERTY_SETTINGS
@given(st.text(max_size=60))
def test_any_text_in_any_element_answers(value):
    for tag in (b"Surname", b"DOB", b"NCyearActual", b"StartDate", b"SENprovision", b"UPN"):
        start = VALID.index(b"<" + tag + b">") + len(tag) + 2
        end = VALID.index(b"</" + tag + b">")
        escaped = value.replace("&", "&amp;").replace("<", "&lt;").encode("utf-8", "replace")
        assert_well_formed(parse_ctf(VALID[:start] + escaped + VALID[end:], "file.xml", today=TODAY))


names = (
    st.text(st.characters(categories=["L"], exclude_characters="ıſ"), min_size=1, max_size=30)
    .map(str.strip)
    .filter(bool)
)
days = st.dates(datetime.date(2005, 1, 1), datetime.date(2021, 12, 31))
upns = st.integers(0, 999).map(lambda n: f"999000018{n:03d}").map(lambda s: calc_check_digit(s) + s)


@st.composite
def pupils(draw):
    born = draw(days)
    starts = sorted(draw(st.sets(st.dates(born, TODAY), max_size=4)))
    statuses = [draw(st.sampled_from("NKE")) for _ in starts]
    # Consecutive repeats are one spell in a CTF's history, not two.
    spells = [
        (s, d)
        for i, (s, d) in enumerate(zip(statuses, starts, strict=True))
        if i == 0 or statuses[i - 1] != s
    ]
    return {
        "upn": draw(upns),
        "surname": draw(names),
        "forename": draw(names),
        "born": born,
        "gender": draw(st.sampled_from("FM")),
        "year": draw(st.integers(0, 13)),
        "spells": spells,
    }


def write(pupil):
    root = ET.Element("CTfile")
    ET.SubElement(ET.SubElement(root, "Header"), "CTFversion").text = "19.0"
    element = ET.SubElement(ET.SubElement(root, "CTFpupilData"), "Pupil")
    for tag, value in (
        ("UPN", pupil["upn"]),
        ("Surname", pupil["surname"]),
        ("Forename", pupil["forename"]),
        ("DOB", pupil["born"].isoformat()),
        ("Gender", pupil["gender"]),
    ):
        ET.SubElement(element, tag).text = value
    year = "R" if pupil["year"] == 0 else str(pupil["year"])
    ET.SubElement(ET.SubElement(element, "BasicDetails"), "NCyearActual").text = year
    history = ET.SubElement(element, "SENhistory")
    for status, day in pupil["spells"]:
        spell = ET.SubElement(history, "SEN")
        ET.SubElement(spell, "StartDate").text = day.isoformat()
        ET.SubElement(spell, "SENprovision").text = status
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


@PROPERTY_SETTINGS
@given(pupils())
def test_a_pupil_written_as_a_ctf_is_read_back_as_written(pupil):
    result = parse_ctf(write(pupil), "pupil.xml", today=TODAY)
    assert result.errors == []
    (row,) = result.rows
    assert row["upn"] == pupil["upn"]
    assert row["fields"]["legal_surname"] == pupil["surname"]
    assert row["fields"]["legal_forename"] == pupil["forename"]
    assert row["fields"]["date_of_birth"] == pupil["born"].isoformat()
    assert row["fields"]["year_group"] == pupil["year"]
    assert row["sen"] == [[s, d.isoformat()] for s, d in pupil["spells"]] or row["sen"] == [
        (s, d.isoformat()) for s, d in pupil["spells"]
    ]
