"""The Common Transfer File out: the file, the PDF beside it, the log, and the round trip into an
empty school."""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from attendance.models import Attendance, AttendanceYear
from imports import selectors, services
from imports.ctf import parse_ctf
from imports.ctf_export import ctf_bytes
from imports.models import CtfExport
from pupils.models import KeyStageResult, Pupil, SenStatusChange
from pupils.sar import pupil_data_json
from pupils.services import pupil_create, pupil_set_sen_status

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "ctf"
EXPORT = reverse("imports:ctf_export")
SOURCE = {"la": "999", "estab": "2001", "name": "Oakfield"}
DEST = {"la": "999", "estab": "4001", "name": "Hillside Academy"}
COMPARED = (
    "upn",
    "legal_surname",
    "legal_forename",
    "preferred_forename",
    "date_of_birth",
    "gender",
    "year_group",
    "eal",
    "lac",
    "service_child",
    "primary_need",
    "secondary_need",
    "sen_status",
    "sen_placed_on",
)


def import_ctf(school, user, content, name="file.xml", decisions=None):
    preview = selectors.import_preview(school=school, kind="ctf", content=content, file_name=name)
    assert preview.errors == []
    batch = services.import_batch_create(school=school, by=user, preview=preview, content=content)
    return services.import_batch_confirm(batch=batch, by=user, decisions=decisions)


@pytest.fixture
def sending_school(school, senco):
    """The three pupils of the full test file, a pupil entered by hand with a longer SEN
    history, and a year of termly attendance at this school."""
    import_ctf(school, senco.user, (DATA / "full_three_pupils_ctf19.xml").read_bytes())
    dan = pupil_create(
        school=school,
        by=senco.user,
        upn="R999000019005",
        legal_surname="Ng",
        legal_forename="Daniel",
        preferred_forename="Dan",
        date_of_birth=datetime.date(2015, 1, 20),
        gender="M",
        year_group=6,
        eal=True,
        primary_need="ASD",
        sen_status="N",
        sen_status_date=datetime.date(2019, 9, 2),
    )
    for status, day in (("K", datetime.date(2020, 1, 6)), ("E", datetime.date(2022, 5, 3))):
        pupil_set_sen_status(pupil=dan, status=status, effective_date=day, by=senco.user)
    for term, (possible, attended, authorised, unauthorised) in enumerate(
        [(140, 130, 6, 4), (110, 100, 10, 0), (126, 120, 2, 4)], start=1
    ):
        Attendance.objects.create(
            pupil=dan,
            academic_year=2024,
            term=term,
            possible_sessions=possible,
            attended_sessions=attended,
            authorised_absence=authorised,
            unauthorised_absence=unauthorised,
        )
    return school


def snapshot(school):
    """Each pupil's details and SEN history, keyed by UPN, for a row-by-row comparison."""
    out = {}
    for pupil in Pupil.objects.filter(school=school):
        changes = SenStatusChange.objects.filter(pupil=pupil).order_by("effective_date")
        out[pupil.upn] = {
            **{name: getattr(pupil, name) for name in COMPARED},
            "sen_history": [(c.status, c.effective_date) for c in changes],
            "results": sorted(
                KeyStageResult.objects.filter(pupil=pupil).values_list(
                    "stage", "year", "subject", "method", "component", "result", "result_date"
                )
            ),
        }
    return out


def test_round_trip_into_an_empty_school_gives_the_same_pupils_and_sen_history(
    sending_school, other_school, senco
):
    pupils = list(Pupil.objects.filter(school=sending_school).order_by("upn"))
    content = ctf_bytes(school=sending_school, pupils=pupils, source=SOURCE, dest=DEST)
    assert not Pupil.objects.filter(school=other_school).exists()
    plan = import_ctf(other_school, senco.user, content, "export.xml")
    assert plan.counts == {"create": 4, "update": 0, "unchanged": 0}
    before, after = snapshot(sending_school), snapshot(other_school)
    assert sorted(after) == sorted(before)
    for upn in before:
        assert after[upn] == before[upn], upn
    assert after["R999000019005"]["sen_history"] == [
        ("N", datetime.date(2019, 9, 2)),
        ("K", datetime.date(2020, 1, 6)),
        ("E", datetime.date(2022, 5, 3)),
    ]
    # Dan's three terms at Oakfield arrive as one year: 376 possible, 350 attended.
    dan = Pupil.objects.get(school=other_school, upn="R999000019005")
    year = AttendanceYear.objects.get(pupil=dan)
    assert (year.academic_year, year.la_code, year.estab, year.school_name) == (
        2024,
        "999",
        "2001",
        "Oakfield",
    )
    assert (
        year.possible_sessions,
        year.attended_sessions,
        year.authorised_absence,
        year.unauthorised_absence,
    ) == (
        376,
        350,
        18,
        8,
    )
    # The years Amelia brought from Brookfield go on with her.
    amelia = Pupil.objects.get(school=other_school, upn="Z999000018001")
    assert list(
        AttendanceYear.objects.filter(pupil=amelia).values_list("academic_year", "estab", "attended_sessions")
    ) == [(2023, "2001", 352), (2024, "2001", 360)]
    # And the same file again changes nothing.
    again = import_ctf(other_school, senco.user, content, "export.xml")
    assert again.counts == {"create": 0, "update": 0, "unchanged": 4}


def test_the_exported_file_is_a_ctf_with_header_and_sen_history(sending_school):
    dan = Pupil.objects.get(upn="R999000019005")
    content = ctf_bytes(school=sending_school, pupils=[dan], source=SOURCE, dest=DEST)
    text = content.decode()
    assert text.startswith("<?xml version='1.0' encoding='utf-8'?>\n<CTfile>")
    assert "<CTFversion>19.0</CTFversion>" in text
    assert "<SourceSchool>\n      <LEA>999</LEA>\n      <Estab>2001</Estab>" in text
    assert "<DestSchool>\n      <LEA>999</LEA>\n      <Estab>4001</Estab>" in text
    assert (
        "<SEN>\n          <StartDate>2020-01-06</StartDate>\n          <SENprovision>K</SENprovision>\n"
        "          <EndDate>2022-05-02</EndDate>\n        </SEN>"
    ) in text
    assert "<SENtypeRank>1</SENtypeRank>\n            <SENtype>ASD</SENtype>" in text
    assert "<Language>OTB</Language>" in text
    assert parse_ctf(content, "dan.xml").errors == []


def test_senco_downloads_a_zip_of_the_ctf_and_the_pdf_and_the_export_is_logged(client, sending_school, senco):
    client.force_login(senco.user)
    page = client.get(EXPORT)
    assert page.status_code == 200
    assert "Ng, Dan (Year 6, R999000019005)" in page.content.decode()
    dan = Pupil.objects.get(upn="R999000019005")
    response = client.post(
        EXPORT,
        {
            "pupils": [dan.pk],
            "source_la": "999",
            "source_estab": "2001",
            "dest_la": "999",
            "dest_estab": "4001",
            "dest_name": "Hillside Academy",
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = sorted(archive.namelist(), key=lambda n: n.endswith(".xml"))
    assert len(names) == 2 and names[0].endswith("_SEN_record.pdf") and names[1].endswith(".xml")
    assert names[1].startswith("9992001_CTF_9994001_")
    assert parse_ctf(archive.read(names[1]), names[1]).errors == []
    pdf = PdfReader(io.BytesIO(archive.read(names[0])))
    text = "".join(p.extract_text() for p in pdf.pages)
    assert "Daniel Ng (known as Dan)" in text
    assert "No SEN support plan yet." in text
    log = CtfExport.objects.get()
    assert (log.user, log.dest_la, log.dest_estab, log.dest_name) == (
        senco.user,
        "999",
        "4001",
        "Hillside Academy",
    )
    assert [(s.pupil, s.upn, s.name) for s in log.sent.all()] == [(dan, "R999000019005", "Dan Ng")]
    listing = client.get(EXPORT).content.decode()
    assert "Dan Ng (R999000019005)" in listing and "Hillside Academy 999/4001" in listing
    # The next export starts from this school's numbers.
    assert 'value="2001"' in listing


def test_a_whole_year_group_can_be_sent(client, sending_school, senco):
    client.force_login(senco.user)
    response = client.post(
        EXPORT,
        {
            "year_group": "6",
            "source_la": "999",
            "source_estab": "2001",
            "dest_la": "MMM",
            "dest_estab": "MMMM",
        },
    )
    assert response.status_code == 200
    log = CtfExport.objects.get()
    assert sorted(s.upn for s in log.sent.all()) == ["N999000018002", "R999000019005", "Z999000018001"]
    # A pupil's subject access download holds their own line of the log, and no other pupil.
    data = pupil_data_json(Pupil.objects.get(upn="R999000019005"))
    assert '"imports.ctfexportpupil"' in data and "R999000019005" in data
    assert "Z999000018001" not in data and "Okafor" not in data


def test_an_export_without_pupils_or_with_a_bad_number_says_so(client, sending_school, senco):
    client.force_login(senco.user)
    response = client.post(
        EXPORT, {"source_la": "99", "source_estab": "2001", "dest_la": "999", "dest_estab": "4001"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose the pupils who are leaving, or a year group." in page or "Three digits" in page
    assert "Three digits (MMM if not known, XXX if abroad)." in page
    assert not CtfExport.objects.exists()
    response = client.post(
        EXPORT, {"source_la": "999", "source_estab": "2001", "dest_la": "999", "dest_estab": "4001"}
    )
    assert "Choose the pupils who are leaving, or a year group." in response.content.decode()


@pytest.mark.parametrize("role", ["head", "teacher", "governor"])
def test_only_the_senco_exports(client, role, request, sending_school):
    member = request.getfixturevalue(role)
    client.force_login(member.user)
    assert client.get(EXPORT).status_code == 403
    assert client.post(EXPORT, {"year_group": "6"}).status_code == 403
    assert not CtfExport.objects.exists()
