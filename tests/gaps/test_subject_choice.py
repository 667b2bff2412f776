"""Question C's choice of subjects: core subjects by default where the school assesses more than
the core, all subjects, or one; the grids, lines, ranked gaps, draft finding and CSV follow it;
the queries and what a governor may read do not change with it.

The cohort, worked by hand. The default scheme (tests/gaps/builders.py): Reading, Writing and
Maths are core, GPS is not. Year 4 at Spring, the focus group All SEND against everyone else:

    5 SEND (SEN support)   Reading: 2 OT, 3 B      GPS: 5 B
    5 others               Reading: 4 OT, 1 B      GPS: 5 OT

- Reading: SEND at or above ARE 2/5 = 40%, others 4/5 = 80%: 40 points behind;
  grid B 3/5 = 60%, OT 2/5 = 40%, EX 0/5 = 0%.
- GPS: SEND 0/5 = 0%, others 5/5 = 100%: 100 points behind, the largest gap of all subjects,
  and not on the default (core) page, whose largest gap is Reading's.
"""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import Subject
from core.roles import Role
from gaps.grids import choose_subjects, subject_choices
from gaps.shared import school_scheme
from pupils.access_log import AccessLogPupil
from pupils.models import SenStatus
from tests.factories import MembershipFactory, SchoolFactory
from tests.gaps.builders import Scheme, assess, pupils

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(db):
    school = SchoolFactory(name="Subjectfield")
    scheme = Scheme(school)
    send = pupils(school, 5, sen_status=SenStatus.SEN_SUPPORT)
    others = pupils(school, 5)
    spring = scheme.point("Spring")
    assess(scheme, send[:2], spring, "Reading", "OT", "E", points="10")
    assess(scheme, send[2:], spring, "Reading", "B", "E", points="8")
    assess(scheme, others[:4], spring, "Reading", "OT", "E", points="12")
    assess(scheme, others[4:], spring, "Reading", "B", "E", points="8")
    assess(scheme, send, spring, "GPS", "B", "E", points="8")
    assess(scheme, others, spring, "GPS", "OT", "E", points="12")
    return {"school": school, "scheme": scheme, "spring": spring, "send": send, "others": others}


def get(client, school, query="", role=Role.SENCO):
    client.force_login(MembershipFactory(school=school["school"], role=role).user)
    return client.get(reverse("gaps:grid") + f"?point={school['spring'].pk}{query}")


def _gaps(report):
    return [(g.subject.name, g.label, str(g.focus), str(g.rest), g.points) for g in report.gaps]


def test_default_is_the_core_when_the_school_assesses_more(client, school):
    response = get(client, school)
    assert response.status_code == 200
    report = response.context["report"]
    assert report.choice.key == "core"
    assert [s.name for s in report.scheme.subjects] == ["Reading", "Writing", "Maths"]
    # One year group; Reading's bands B, OT, EX (no pupil on another framework: no such column).
    (row,) = report.attainment
    reading = [(band.code, str(figure)) for band, figure, _initials in row.cells[0]]
    assert reading == [("B", "60% (3/5)"), ("OT", "40% (2/5)"), ("EX", "0% (0/5)")]
    assert row.cells[1][0][1] is None and row.cells[2][0][1] is None  # no Writing, no Maths
    assert [(r.subject.name, r.says()[0]) for r in report.attainment_lines] == [
        ("Reading", "40% (2/5) at or above ARE")
    ]
    # GPS's gap of 100 points is larger, but GPS is not core.
    assert _gaps(report) == [("Reading", "Year 4", "40% (2/5)", "80% (4/5)", 40)]
    draft = response.context["finding"]["draft"]
    assert draft.startswith("The largest in-school gap is Reading in Year 4:")
    assert draft.endswith("Gaps compared in core subjects (Reading, Writing and Maths).")
    text = response.content.decode()
    assert '<option value="core" selected>Core subjects</option>' in text
    assert "largest first: core subjects (Reading, Writing and Maths)</h2>" in text
    assert '<th scope="colgroup" colspan="3" class="text-center">GPS</th>' not in text


def test_all_subjects_rank_every_subject(client, school):
    report = get(client, school, "&subjects=all").context["report"]
    assert report.choice.key == "all"
    assert [s.name for s in report.scheme.subjects] == ["Reading", "Writing", "Maths", "GPS"]
    # GPS 0/5 against 5/5 = 100 points, then Reading's 40.
    assert _gaps(report) == [
        ("GPS", "Year 4", "0% (0/5)", "100% (5/5)", 100),
        ("Reading", "Year 4", "40% (2/5)", "80% (4/5)", 40),
    ]
    (row,) = report.attainment
    assert [str(f) for _b, f, _i in row.cells[3]] == ["100% (5/5)", "0% (0/5)", "0% (0/5)"]


def test_one_subject(client, school):
    gps = school["scheme"].subjects["GPS"]
    response = get(client, school, f"&subjects={gps.pk}")
    report = response.context["report"]
    assert [s.name for s in report.scheme.subjects] == ["GPS"]
    assert [(r.subject.name, r.says()[0]) for r in report.attainment_lines] == [
        ("GPS", "0% (0/5) at or above ARE")
    ]
    # Progress: every pupil Expected, 5/5 on the line "expected progress or better".
    assert [(r.subject.name, str(r.figures[0][1])) for r in report.progress_lines] == [("GPS", "100% (5/5)")]
    assert _gaps(report) == [("GPS", "Year 4", "0% (0/5)", "100% (5/5)", 100)]
    assert response.context["finding"]["draft"].endswith("Gaps compared in GPS.")


def test_a_year_group_with_none_of_the_subjects_is_left_out(client, school):
    """Year 5: 5 more SEND pupils (the grids' group) assessed in GPS only. The core page has no
    Year 5 row; all subjects has."""
    year5 = pupils(school["school"], 5, year_group=5, sen_status=SenStatus.SEN_SUPPORT)
    assess(school["scheme"], year5, school["spring"], "GPS", "OT", "E")
    assert [r.label for r in get(client, school).context["report"].attainment] == ["Year 4"]
    assert [r.label for r in get(client, school, "&subjects=all").context["report"].attainment] == [
        "Year 4",
        "Year 5",
    ]


def test_a_school_of_core_subjects_only_sees_all_of_them(school):
    Subject.objects.filter(school=school["school"]).update(is_core=True)
    scheme = school_scheme(MembershipFactory(school=school["school"], role=Role.SENCO))
    assert list(subject_choices(scheme))[:2] == ["all", str(scheme.subjects[0].pk)]
    # "core" there is every subject: no message.
    assert choose_subjects(scheme, "core") == (subject_choices(scheme)["all"], None)


@pytest.mark.parametrize("bad", ["nonsense", "999999", "core; drop", "<b>x</b>"])
def test_a_bad_subject_choice_says_so_and_shows_the_default(client, school, bad):
    response = get(client, school, f"&subjects={bad}")
    assert response.status_code == 200
    assert response.context["report"].choice.key == "core"
    text = response.content.decode()
    assert 'role="alert">There is no subject choice' in text
    assert "showing core subjects" in text
    assert "<b>x</b>" not in text  # escaped
    # Asked as a download, the same page: no file of other subjects than asked for.
    csv_response = get(client, school, f"&subjects={bad}&format=csv")
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"].startswith("text/html")
    assert 'role="alert">There is no subject choice' in csv_response.content.decode()


def test_another_schools_subject_is_not_on_offer(client, school):
    other = Scheme(SchoolFactory(name="Elsewhere"))
    response = get(client, school, f"&subjects={other.subjects['GPS'].pk}")
    assert response.context["report"].choice.key == "core"
    assert "There is no subject choice" in response.content.decode()


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_follows_the_choice(client, school):
    core = get(client, school, "&format=csv")
    assert "grid-core-subjects.csv" in core["Content-Disposition"]
    rows = _csv(core)[1:]
    # Every cell of the grid shown, an unassessed subject's empty, as on the page.
    assert {r[2] for r in rows} == {"Reading", "Writing", "Maths"}
    assert {r[2] for r in rows if r[4]} == {"Reading"}
    assert ["Attainment", "Year 4", "Reading", "Below ARE", "60% (3/5)"] in rows
    everything = _csv(get(client, school, "&subjects=all&format=csv"))[1:]
    assert {r[2] for r in everything if r[4]} == {"Reading", "GPS"}
    assert ["Attainment line", "Year 4", "GPS", "at or above ARE", "0% (0/5)"] in everything
    gps = school["scheme"].subjects["GPS"].pk
    one = get(client, school, f"&subjects={gps}&format=csv")
    assert "grid-gps.csv" in one["Content-Disposition"]
    assert {r[2] for r in _csv(one)[1:]} == {"GPS"}


@pytest.mark.parametrize("role", [Role.SENCO, Role.GOVERNOR])
def test_the_queries_do_not_change_with_the_choice(client, school, role):
    gps = school["scheme"].subjects["GPS"].pk
    counts = {}
    client.force_login(MembershipFactory(school=school["school"], role=role).user)
    client.get(reverse("home"))  # the first request after logging in writes the session once
    for choice in ("", "core", "all", str(gps), "nonsense"):
        url = reverse("gaps:grid") + f"?point={school['spring'].pk}&subjects={choice}"
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts[choice] = len(captured)
    assert len(set(counts.values())) == 1, counts
    assert counts[""] <= 17  # tests/gaps/test_queries.py: the page's limit


def test_initials_name_only_the_pupils_of_the_chosen_subjects(client, school):
    """Initials read the pupils of the subjects shown, so the access log names no pupil who is
    not shown: a SEND pupil in Year 5 assessed in GPS only is not read on the core page, and is
    on the GPS page."""
    (year5,) = pupils(school["school"], 1, year_group=5, sen_status=SenStatus.SEN_SUPPORT)
    assess(school["scheme"], [year5], school["spring"], "GPS", "OT", "E")
    report = get(client, school, "&mode=initials").context["report"]
    assert report.mode == "initials" and [r.label for r in report.attainment] == ["Year 4"]
    assert not AccessLogPupil.objects.filter(pupil=year5).exists()
    gps = school["scheme"].subjects["GPS"].pk
    report = get(client, school, f"&mode=initials&subjects={gps}").context["report"]
    assert [r.label for r in report.attainment] == ["Year 4", "Year 5"]
    assert AccessLogPupil.objects.filter(pupil=year5).exists()


def test_a_governor_reads_each_subject_alike_whatever_the_choice(client, school):
    """Three more SEND pupils in Year 5, in Reading and GPS (3 < 5: their shares are withheld, and
    the other side's beside them as the table requires). Whatever the choice, Reading's figures
    read the same: disclosure control is decided over every subject before the choice."""
    year5 = pupils(school["school"], 3, year_group=5, sen_status=SenStatus.SEN_SUPPORT)
    rest5 = pupils(school["school"], 6, year_group=5)
    for subject in ("Reading", "GPS"):
        assess(school["scheme"], year5, school["spring"], subject, "OT", "E")
        assess(school["scheme"], rest5, school["spring"], subject, "OT", "E")
    reading = school["scheme"].subjects["Reading"].pk
    seen = {}
    for choice in ("", "all", str(reading)):
        report = get(client, school, f"&subjects={choice}", role=Role.GOVERNOR).context["report"]
        index = [s.pk for s in report.scheme.subjects].index(reading)
        seen[choice] = (
            [g for g in _gaps(report) if g[0] == "Reading"],
            [[str(f) for _b, f, _i in row.cells[index]] for row in report.attainment],
        )
    gaps, grid = seen[""]
    assert ("Reading", "Year 5", "c", "100% (6/6)", None) in gaps
    assert grid[1] == ["c", "c", "c"]  # a row of 3 pupils prints every band c
    assert seen[""] == seen["all"] == seen[str(reading)]
