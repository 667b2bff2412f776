"""The Common Transfer File in: the real SIMS file, the files written from the specification,
files that are not CTFs at all, matching, merging and the SENCO's choices."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from attendance.models import AttendanceYear
from imports.ctf import parse_ctf
from imports.models import ImportBatch
from pupils.models import KeyStageResult, Pupil, SenStatusChange
from pupils.services import pupil_archive, pupil_set_sen_status
from tests.factories import PupilFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "ctf"
INDEX = reverse("imports:index")
AMELIA, BEN, CHLOE = "Z999000018001", "N999000018002", "C999000018003"


def ctf(name):
    return (DATA / name).read_bytes()


def upload(client, content, name="school.xml", kind="pupils"):
    return client.post(INDEX, {"kind": kind, "file": SimpleUploadedFile(name, content)}, follow=True)


def html(response):
    return response.content.decode()


def confirm(client, response, **post):
    batch = response.context["batch"]
    return client.post(reverse("imports:confirm", args=[batch.pk]), post, follow=True)


def history(pupil):
    return [
        (c.status, c.effective_date)
        for c in SenStatusChange.objects.filter(pupil=pupil).order_by("effective_date")
    ]


def nothing_stored():
    return not Pupil.objects.exists() and not ImportBatch.objects.exists()


# --- The real file --------------------------------------------------------------------------


def test_the_real_sims_file_is_refused_for_its_upn_check_letter(senco_client):
    response = upload(senco_client, ctf("gryphon_y7_partial_ctf19.xml"), "gryphon_y7_partial_ctf19.xml")
    page = html(response)
    assert response.status_code == 200
    assert "Nothing has been imported." in page
    assert "<td>Pupil 1: J933207636549 Mick Jagger</td><td>UPN</td>" in page
    assert "The check letter of this UPN is wrong: for these digits it should be T." in page
    assert '<th scope="col">Element</th>' in page
    assert nothing_stored()


def test_the_real_file_reads_once_its_check_letter_is_right(school):
    """Everything else in the real SIMS file is read: the refusal is the UPN alone."""
    content = ctf("gryphon_y7_partial_ctf19.xml").replace(b"J933207636549", b"T933207636549")
    result = parse_ctf(content, "gryphon.xml", today=datetime.date(2026, 1, 5))
    assert result.errors == []
    (row,) = result.rows
    assert row["fields"] == {
        "legal_surname": "Jagger",
        "legal_forename": "Mick",
        "date_of_birth": "2009-06-07",
        "gender": "M",
        "preferred_forename": "",
        "year_group": 6,
        "eal": False,
        "service_child": False,
    }
    assert row["sen"] == [] and row["results"] == []
    assert row["attendance"] == [
        {
            "academic_year": 2018,
            "la_code": "933",
            "estab": "3281",
            "urn": "123818",
            "school_name": "Lil Old Prim. School",
            "possible_sessions": 378,
            "authorised_absence": 7,
            "unauthorised_absence": 0,
            "attended_sessions": 371,
        }
    ]
    assert result.columns["source_name"] == "Lil Old Prim. School"
    assert result.columns["qualifier"] == "partial"


# --- A full file, twice, then a partial one -----------------------------------------------


def test_full_file_starts_a_school_and_the_same_file_again_changes_nothing(senco_client, school, senco):
    response = upload(senco_client, ctf("full_three_pupils_ctf19.xml"), "full_three_pupils_ctf19.xml")
    page = html(response)
    assert "The file has no problems." in page
    assert "<li>3 new pupils</li>" in page and "<li>0 pupils updated</li>" in page
    assert "Brookfield Primary School (LA 999, establishment 2001)" in page
    assert "CTF 19.0, full, made 2025-07-18" in page
    assert (
        "New record. Details: Year 6, F, born 14/03/2015; SEN history: N from 14/03/2015, K from "
        "04/10/2021, E from 21/07/2023; Needs: SLCN (primary), SEMH (secondary); Flags: FSM, Pupil "
        "premium, EAL; Attendance years: 2 new; Key stage results: 2 new"
    ) in page
    assert "The file and the record disagree" not in page
    assert not Pupil.objects.exists()  # nothing until confirmed

    done = confirm(senco_client, response)
    assert "full_three_pupils_ctf19.xml was imported: 3 new, 0 updated, 0 unchanged." in html(done)

    amelia = Pupil.objects.get(school=school, upn=AMELIA)
    assert (amelia.legal_forename, amelia.preferred_forename, amelia.legal_surname) == (
        "Amelia",
        "Millie",
        "Hart",
    )
    assert (amelia.date_of_birth, amelia.gender, amelia.year_group) == (datetime.date(2015, 3, 14), "F", 6)
    assert (amelia.fsm, amelia.pupil_premium, amelia.eal, amelia.lac, amelia.service_child) == (
        True,
        True,
        True,
        False,
        False,
    )
    assert (amelia.primary_need, amelia.secondary_need) == ("SLCN", "SEMH")
    # K ended the day before E began, so no return to N between them; none before K either.
    assert history(amelia) == [
        ("N", datetime.date(2015, 3, 14)),
        ("K", datetime.date(2021, 10, 4)),
        ("E", datetime.date(2023, 7, 21)),
    ]
    assert (amelia.sen_status, amelia.sen_placed_on) == ("E", datetime.date(2021, 10, 4))
    years = AttendanceYear.objects.filter(pupil=amelia).order_by("academic_year")
    assert [
        (
            y.academic_year,
            y.possible_sessions,
            y.attended_sessions,
            y.authorised_absence,
            y.unauthorised_absence,
        )
        for y in years
    ] == [(2023, 380, 352, 20, 8), (2024, 378, 360, 12, 6)]
    results = KeyStageResult.objects.filter(pupil=amelia).order_by("subject")
    assert [(r.stage, r.year, r.subject, r.method, r.component, r.result) for r in results] == [
        ("KS1", 2022, "ENG", "TA", "RE", "WTS"),
        ("KS1", 2022, "MAT", "TA", "", "EXS"),
    ]

    ben = Pupil.objects.get(upn=BEN)
    # The K spell ended on 31/03/2022 with nothing after it: back to N the next day.
    assert history(ben) == [
        ("N", datetime.date(2014, 11, 2)),
        ("K", datetime.date(2019, 9, 9)),
        ("N", datetime.date(2022, 4, 1)),
    ]
    # FSM in 2015 only: not now, and not within the last six years, so no pupil premium evidence.
    assert (ben.sen_status, ben.fsm, ben.pupil_premium, ben.eal, ben.service_child) == (
        "N",
        False,
        False,
        False,
        True,
    )
    assert ben.primary_need == "SPLD"

    chloe = Pupil.objects.get(upn=CHLOE)
    # In care: pupil premium (plus); "ENB", believed English: not EAL; no FSM history: FSM no.
    assert (chloe.lac, chloe.pupil_premium, chloe.eal, chloe.fsm, chloe.year_group) == (
        True,
        True,
        False,
        False,
        5,
    )
    assert history(chloe) == [("N", datetime.date(2016, 6, 30))]
    assert {h.history_user for h in Pupil.history.all()} == {senco.user}

    counts = (Pupil.history.count(), SenStatusChange.history.count(), AttendanceYear.history.count())
    again = upload(senco_client, ctf("full_three_pupils_ctf19.xml"), "again.xml")
    assert "<li>0 new pupils</li>" in html(again) and "<li>3 pupils unchanged</li>" in html(again)
    assert "The file and the record disagree" not in html(again)
    done = confirm(senco_client, again)
    assert "again.xml was imported: 0 new, 0 updated, 3 unchanged." in html(done)
    assert (Pupil.history.count(), SenStatusChange.history.count(), AttendanceYear.history.count()) == counts


def test_a_later_partial_file_adds_the_new_spell_without_duplicating_the_old(senco_client, school):
    confirm(senco_client, upload(senco_client, ctf("full_three_pupils_ctf19.xml")))
    response = upload(senco_client, ctf("partial_update_ctf19.xml"), "partial.xml")
    page = html(response)
    assert "<li>0 new pupils</li><li>1 pupil updated</li><li>1 pupil unchanged</li>" in page
    assert "Year group: Year 6 → Year 7; SEN status: N → K from 13/01/2025; Attendance years: 1 new" in page
    assert "Take the file's Year group: Year 6 → Year 7" in page
    confirm(senco_client, response)
    ben = Pupil.objects.get(upn=BEN)
    assert ben.year_group == 7
    assert history(ben)[-1] == ("K", datetime.date(2025, 1, 13))
    assert len(history(ben)) == 4
    assert (ben.sen_status, ben.sen_placed_on) == ("K", datetime.date(2025, 1, 13))
    # A partial file without FSM history or languages leaves them as they were.
    assert (ben.fsm, ben.eal, ben.service_child, ben.primary_need) == (False, False, True, "SPLD")
    assert AttendanceYear.objects.filter(pupil=ben).count() == 2
    amelia = Pupil.objects.get(upn=AMELIA)
    assert len(history(amelia)) == 3 and (amelia.fsm, amelia.eal) == (True, True)
    assert Pupil.objects.get(upn=CHLOE).lac is True


def test_attendance_at_this_school_is_not_taken_from_a_ctf(senco_client, school):
    """This school's attendance is recorded termly: a year's total from its own MIS beside it
    would count the sessions twice. Years at other schools are taken."""
    content = ctf("full_three_pupils_ctf19.xml").replace(
        b"<Year>2024</Year>\n<LEA>999</LEA>\n<Estab>2001</Estab>",
        f"<Year>2024</Year>\n<LEA>999</LEA>\n<Estab>2001</Estab>\n<URN>{school.urn}</URN>".encode(),
        1,
    )
    confirm(senco_client, upload(senco_client, content))
    amelia = Pupil.objects.get(upn=AMELIA)
    assert list(AttendanceYear.objects.filter(pupil=amelia).values_list("academic_year", flat=True)) == [2023]


# --- Matching and the SENCO's choices ------------------------------------------------------


def test_a_pupil_with_another_upn_is_matched_by_name_and_birth_date_for_confirmation(senco_client, school):
    record = PupilFactory(
        school=school,
        upn="R999000018004",
        legal_forename="Amelia",
        legal_surname="Hart",
        date_of_birth=datetime.date(2015, 3, 14),
        year_group=5,
    )
    response = upload(senco_client, ctf("full_three_pupils_ctf19.xml"))
    page = html(response)
    assert "Matched by name and date of birth to the record with UPN R999000018004" in page
    assert "<li>2 new pupils</li>" in page and "<li>1 pupil updated</li>" in page
    confirm(senco_client, response)
    record.refresh_from_db()
    assert (record.upn, record.year_group) == (AMELIA, 6)
    assert Pupil.objects.filter(school=school).count() == 3


def test_unticking_the_match_adds_the_file_pupil_as_new(senco_client, school):
    PupilFactory(
        school=school,
        upn="R999000018004",
        legal_forename="Amelia",
        legal_surname="Hart",
        date_of_birth=datetime.date(2015, 3, 14),
    )
    response = upload(senco_client, ctf("full_three_pupils_ctf19.xml"))
    key = f"match:{AMELIA}"
    confirm(senco_client, response, shown=[key])
    assert Pupil.objects.filter(school=school).count() == 4
    assert Pupil.objects.filter(upn="R999000018004").exists() and Pupil.objects.filter(upn=AMELIA).exists()


def test_a_disagreement_about_a_date_keeps_the_record_unless_ticked(senco_client, school, senco):
    confirm(senco_client, upload(senco_client, ctf("full_three_pupils_ctf19.xml")))
    amelia = Pupil.objects.get(upn=AMELIA)
    pupil_set_sen_status(pupil=amelia, status="K", effective_date=datetime.date(2023, 7, 21), by=senco.user)
    assert amelia.sen_status == "K"

    response = upload(senco_client, ctf("full_three_pupils_ctf19.xml"))
    page = html(response)
    assert "The file has SEN status E from 21/07/2023; the record has K." in page
    assert "The file has SEN status E from 21/07/2023; the record has K. The record is kept." in page
    key = f"sen:{AMELIA}:2023-07-21"
    confirm(senco_client, response, shown=[key])  # shown but not ticked: the record stays
    amelia.refresh_from_db()
    assert amelia.sen_status == "K"

    response = upload(senco_client, ctf("full_three_pupils_ctf19.xml"))
    confirm(senco_client, response, shown=[key], take=[key])
    amelia.refresh_from_db()
    assert amelia.sen_status == "E" and len(history(amelia)) == 3


def test_a_spell_the_file_starts_earlier_is_not_a_second_spell(senco_client, school, senco):
    pupil = PupilFactory(
        school=school,
        upn=BEN,
        legal_forename="Ben",
        legal_surname="Okafor",
        date_of_birth=datetime.date(2014, 11, 2),
        gender="M",
        year_group=6,
    )
    pupil_set_sen_status(pupil=pupil, status="K", effective_date=datetime.date(2019, 10, 1), by=senco.user)
    response = upload(senco_client, ctf("full_three_pupils_ctf19.xml"))
    assert "The file starts the K spell on 09/09/2019; the record on 01/10/2019." in html(response)
    confirm(senco_client, response)  # by default the record's start stays
    assert history(pupil)[0] == ("K", datetime.date(2019, 10, 1))
    response = upload(senco_client, ctf("full_three_pupils_ctf19.xml"))
    key = f"sen:{BEN}:2019-09-09"
    confirm(senco_client, response, shown=[key], take=[key])
    assert [c for c in history(pupil) if c[0] == "K"] == [("K", datetime.date(2019, 9, 9))]


def test_a_changed_detail_can_be_refused(senco_client, school):
    confirm(senco_client, upload(senco_client, ctf("full_three_pupils_ctf19.xml")))
    response = upload(senco_client, ctf("partial_update_ctf19.xml"))
    key = f"field:{BEN}:year_group"
    confirm(senco_client, response, shown=[key])
    ben = Pupil.objects.get(upn=BEN)
    assert ben.year_group == 6 and history(ben)[-1] == ("K", datetime.date(2025, 1, 13))


def test_an_archived_pupil_is_a_problem_named_with_the_pupil(senco_client, school, senco):
    confirm(senco_client, upload(senco_client, ctf("full_three_pupils_ctf19.xml")))
    pupil_archive(pupil=Pupil.objects.get(upn=BEN), by=senco.user, reason="Left")
    page = html(upload(senco_client, ctf("partial_update_ctf19.xml")))
    assert "<td>Pupil 2: N999000018002 Ben Okafor</td><td>UPN</td><td>This UPN belongs to Ben Okafor" in page


# --- Problems inside a file ----------------------------------------------------------------


def test_every_problem_names_the_pupil_the_element_and_the_reason(senco_client):
    content = (
        ctf("full_three_pupils_ctf19.xml")
        .replace(
            b"<SENprovision>K</SENprovision>\n<EndDate>2022-03-31",
            b"<SENprovision>Q</SENprovision>\n<EndDate>2022-03-31",
        )
        .replace(b"<NCyearActual>5</NCyearActual>", b"<NCyearActual>N2</NCyearActual>")
        .replace(b"<SessionsAttended>352</SessionsAttended>", b"<SessionsAttended>370</SessionsAttended>")
        .replace(b"<SENtype>SEMH</SENtype>", b"<SENtype>XYZ</SENtype>")
    )
    page = html(upload(senco_client, content))
    assert "Nothing has been imported." in page
    assert (
        "<td>Pupil 2: N999000018002 Ben Okafor</td><td>SENhistory/SEN/SENprovision"
        "</td><td>“Q” is not a SEN provision code (N, K or E).</td>" in page
    )
    assert (
        "<td>Pupil 3: C999000018003 Chloe Singh</td><td>BasicDetails/NCyearActual"
        "</td><td>“N2”: sendtrack takes Reception (R) to year 13" in page
    )
    assert (
        "<td>Pupil 1: Z999000018001 Amelia Hart</td><td>Attendance/YearData/SessionsPossible"
        "</td><td>2023: attended and absent sessions add up to 398, more than the 380 possible.</td>" in page
    )
    assert (
        "<td>Pupil 1: Z999000018001 Amelia Hart</td><td>SENneeds/SENneed/SENtype"
        "</td><td>“XYZ” is not a type of SEN need.</td>" in page
    )
    assert "4 problems, in the order of the file" in page
    assert nothing_stored()


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<CTfile><Header><CTFversion>19.0</CTFversion></Header><CTFpupilData><Pupil><Surname>&lol9;</Surname></Pupil></CTFpupilData></CTfile>
"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE CTfile [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<CTfile><Header><CTFversion>19.0</CTFversion></Header><CTFpupilData><Pupil><Surname>&secret;</Surname></Pupil></CTFpupilData></CTfile>
"""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty: there is nothing to import."),
        (b"   \n", "The file is empty: there is nothing to import."),
        (
            b"<CTfile><Header><CTFversion>19.0</CTFversion></Header><CTFpupilData><Pupil>",
            "The file is not well-formed XML at line 1, column 75",
        ),
        (b"\x00\xff\xfe garbage", "The file is not well-formed XML"),
        (BOMB, "The file declares a document type or entities, which a Common Transfer File never does"),
        (EXTERNAL, "The file declares a document type or entities"),
        (
            b'<?xml version="1.0"?><html><body>Hello</body></html>',
            "This XML file is not a Common Transfer File: it starts w"
            "ith &lt;html&gt;, where a CTF starts with &lt;CTfile&gt;.",
        ),
        (b"<CTfile><Header></Header></CTfile>", "The file has no Header/CTFversion"),
        (
            b"<CTfile><Header><CTFversion>8.0</CTFversion></Header></CTfile>",
            "This is a CTF 8.0 file, from before the 2014 SEN reforms",
        ),
        (
            b"<CTfile><Header><CTFversion>nineteen</CTFversion></Header></CTfile>",
            "is not a CTF version number",
        ),
        (
            b"<CTfile><Header><CTFversion>19.0</CTFversion></Header><CTFpupilData/></CTfile>",
            "The file has no pupils in it",
        ),
    ],
)
def test_files_that_cannot_be_read_get_a_clear_message_and_store_nothing(senco_client, content, message):
    response = upload(senco_client, content, "file.xml")
    assert response.status_code == 200
    page = html(response)
    assert message in page
    assert "Nothing has been imported." in page or "The file is empty" in page
    assert nothing_stored()


def test_a_future_version_is_read_and_its_new_elements_ignored(school):
    content = (
        ctf("full_three_pupils_ctf19.xml")
        .replace(b"<CTFversion>19.0", b"<CTFversion>31.0")
        .replace(
            b"<EnrolStatus>C</EnrolStatus>", b"<EnrolStatus>C</EnrolStatus><SomethingNew>1</SomethingNew>"
        )
    )
    result = parse_ctf(content, "future.xml")
    assert result.errors == [] and len(result.rows) == 3


def test_a_namespaced_file_is_read(school):
    content = ctf("full_three_pupils_ctf19.xml").replace(b"<CTfile>", b'<CTfile xmlns="urn:example:ctf">')
    assert parse_ctf(content, "ns.xml").errors == []


def test_a_csv_is_not_taken_as_a_ctf_and_an_xml_is_always_one(senco_client):
    response = senco_client.post(
        INDEX, {"kind": "ctf", "file": SimpleUploadedFile("pupils.csv", b"UPN\r\nX\r\n")}
    )
    assert "A Common Transfer File is an .xml file" in html(response)
    response = upload(senco_client, ctf("full_three_pupils_ctf19.xml"), "school.xml", kind="attendance")
    assert "Common Transfer File (CTF) import: school.xml" in html(response)


def test_an_oversized_file_is_refused_before_it_is_read(senco_client, settings):
    settings.CTF_MAX_BYTES = 1000
    response = upload(senco_client, ctf("full_three_pupils_ctf19.xml"), "big.xml")
    assert "over the limit of 1000 bytes for one Common Transfer File" in html(response)
    assert nothing_stored()


def test_two_pupils_with_one_upn_are_refused(school):
    content = ctf("full_three_pupils_ctf19.xml").replace(b"C999000018003", b"Z999000018001")
    result = parse_ctf(content, "twice.xml")
    assert [str(e) for e in result.errors] == [
        "Pupil 3: Z999000018001 Chloe Singh, UPN: This UPN is also pupil 1's: a pupil appears once."
    ]


# --- The command ---------------------------------------------------------------------------


def test_the_command_imports_a_ctf_and_refuses_the_real_one(school, senco, tmp_path):
    path = tmp_path / "school.xml"
    path.write_bytes(ctf("full_three_pupils_ctf19.xml"))
    out = io.StringIO()
    call_command(
        "import_data", str(path), school=school.urn, kind="ctf", user=senco.user.username, stdout=out
    )
    assert out.getvalue() == "Imported: 3 new pupils, 0 updated, 0 unchanged.\n"
    real = tmp_path / "real.xml"
    real.write_bytes(ctf("gryphon_y7_partial_ctf19.xml"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem in the file: nothing was imported."):
        call_command("import_data", str(real), school=school.urn, kind="ctf", stderr=err)
    assert err.getvalue().startswith(
        "Pupil 1: J933207636549 Mick Jagger, UPN: The check letter of this UPN is wrong"
    )
    assert Pupil.objects.count() == 3


def test_a_later_change_on_record_stays_and_the_preview_says_so(senco_client, school, senco):
    confirm(senco_client, upload(senco_client, ctf("full_three_pupils_ctf19.xml")))
    ben = Pupil.objects.get(upn=BEN)
    pupil_set_sen_status(pupil=ben, status="K", effective_date=datetime.date(2024, 2, 5), by=senco.user)
    page = html(upload(senco_client, ctf("full_three_pupils_ctf19.xml")))
    assert (
        "The file&#x27;s latest SEN status is N (from 01/04/2022); the record&#x27;s is K (from 05/02/2024)."
    ) in page
    assert "<li>3 pupils unchanged</li>" in page


def test_two_spells_of_one_status_in_a_row_are_one_spell(school):
    content = ctf("full_three_pupils_ctf19.xml").replace(
        b"<SEN>\n<StartDate>2023-07-21</StartDate>\n<SENprovision>E</SENprovision>",
        b"<SEN>\n<StartDate>2023-07-21</StartDate>\n<SENprovision>K</SENprovision>",
    )
    (amelia, *_rest) = parse_ctf(content, "file.xml").rows
    assert amelia["sen"] == [("K", "2021-10-04")]


def test_the_pupil_page_shows_what_the_file_brought(senco_client, school):
    confirm(senco_client, upload(senco_client, ctf("full_three_pupils_ctf19.xml")))
    amelia = Pupil.objects.get(upn=AMELIA)
    page = html(senco_client.get(reverse("pupils:detail", args=[amelia.pk])))
    assert "From the Common Transfer File" in page
    assert "<td>2023/24</td><td>Brookfield Primary School (999/2001)</td>" in page
    assert '<td class="text-end">352 of 380</td>' in page
    assert "<td>KS1</td><td>2022</td><td>ENG</td><td>TA</td><td>RE</td><td>WTS</td>" in page
    ben = Pupil.objects.get(upn=BEN)
    assert "Service child." in html(senco_client.get(reverse("pupils:detail", args=[ben.pk])))
