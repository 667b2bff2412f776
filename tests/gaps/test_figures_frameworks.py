"""Question C with pupils judged on other frameworks (issue 22): the mixed class of
tests/gaps/framework_cohort.py, worked by hand there, and a larger class a governor reads."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse

from assessment.frameworks import progress_refresh, progress_words
from assessment.models import Assessment
from core.roles import Role
from gaps.cohort import cohort_form
from gaps.frameworks import Part, ProgressBreakdown, breakdown, in_sentence
from gaps.grids import average_progress
from pupils.models import SenStatus
from tests.disclosure_checker import Problem, figure, tables
from tests.factories import MembershipFactory, SchoolFactory
from tests.gaps.builders import THIS_YEAR, Scheme, assess, pupils
from tests.gaps.framework_cohort import build_framework_cohort, frameworks_of, place_on, record
from tests.gaps.test_lines import text_of

pytestmark = pytest.mark.django_db

LINE = (
    "12 of 15 made expected progress or better: 6 of 8 on the school's scale, 2 of 2 on pre-key "
    "stage 2 standards, 1 of 2 on reading age, 3 of 3 on small steps"
)


@pytest.fixture
def mixed(db):
    return build_framework_cohort()


def grid(client, membership, point, extra=""):
    client.force_login(membership.user)
    response = client.get(reverse("gaps:grid") + f"?point={point.pk}&group=send{extra}")
    assert response.status_code == 200
    return response


def test_every_pupils_progress_text_as_a_reader_sees_it(mixed):
    """Each framework pupil's progress at Spring, from the stored gained and months."""
    expected = {
        "k0": "+1 standard this year (expected 1 standard a year: none due yet in 8 months)",
        "k1": "no standards gained this year (expected 1 standard a year: none due yet in 8 months)",
        "s0": "+4 steps this year (expected 4 in 8 months)",
        "s1": "+6 steps this year (expected 4 in 8 months)",
        "s2": "+4 steps this year (expected 4 in 8 months)",
        "r0": "16 months gained in 8 months: ratio gain 2 (substantial impact)",
        "r1": "4 months gained in 8 months: ratio gain 0.5 (modest impact)",
    }
    met = {"k0": True, "k1": True, "s0": True, "s1": True, "s2": True, "r0": True, "r1": False}
    for label, words in expected.items():
        cell = Assessment.objects.select_related("framework").get(
            pupil=mixed["pupils"][label], point=mixed["spring"]
        )
        assert progress_words(cell.framework, cell.gained, cell.months) == words, label
        assert cell.expected_met is met[label], label


def test_c_grids_count_framework_pupils_in_their_own_columns(client, mixed):
    response = grid(client, mixed[Role.SENCO], mixed["spring"])
    report = response.context["report"]
    att, prog = report.attainment[0], report.progress[0]
    assert att.label == "Year 4"
    reading = {column.label: str(figure) for column, figure, _ in att.cells[0]}
    assert reading == {
        "On another framework (below ARE)": "47% (7/15)",
        "Below ARE": "27% (4/15)",
        "On track to achieve ARE": "20% (3/15)",
        "Exceeded ARE": "7% (1/15)",
    }
    reading = {column.label: str(figure) for column, figure, _ in prog.cells[0]}
    assert reading == {
        "Below expected": "13% (2/15)",
        "Expected": "27% (4/15)",
        "Exceeded expected": "13% (2/15)",
        "Own framework: expected or better": "40% (6/15)",
        "Own framework: below expected": "7% (1/15)",
    }
    # The lines add up the grid's own columns: the same denominator, 15.
    assert report.attainment_lines[0].says() == ["27% (4/15) at or above ARE", "7% (1/15) exceeding ARE"]
    assert report.progress_lines[0].says() == [
        "80% (12/15) made expected progress or better",
        "13% (2/15) made more than expected progress",
    ]
    assert report.progress_lines[0].breakdown.says() == LINE
    text = text_of(response)
    assert f"Year 4, Reading: {LINE}" in text
    assert "count as below ARE: they are in each line's denominator and on no line" in text
    # The gap at or above ARE is over the same 15.
    gap = report.gaps[0]
    assert (str(gap.focus), str(gap.rest), gap.points) == ("27% (4/15)", "100% (5/5)", 73)


def test_c_counts_and_initials_modes(client, mixed):
    report = grid(client, mixed[Role.SENCO], mixed["spring"], "&mode=counts").context["report"]
    assert [str(f) for _c, f, _i in report.attainment[0].cells[0]] == ["7", "4", "3", "1"]
    assert [str(f) for _c, f, _i in report.progress[0].cells[0]] == ["2", "4", "2", "6", "1"]
    report = grid(client, mixed[Role.SENCO], mixed["spring"], "&mode=initials").context["report"]
    # The builders' pupils are F<n> Surname-S<n>: every initial is "FS".
    named = {c.label: i for c, _f, i in report.progress[0].cells[0]}
    assert named["Own framework: expected or better"] == ", ".join(["FS"] * 6)
    assert named["Own framework: below expected"] == "FS"
    named = {c.label: i for c, _f, i in report.attainment[0].cells[0]}
    assert named["On another framework (below ARE)"] == ", ".join(["FS"] * 7)


def test_c_csv_has_the_framework_columns(client, mixed):
    response = grid(client, mixed[Role.SENCO], mixed["spring"], "&format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    found = {(r[0], r[2], r[3]): r[4] for r in rows[1:] if len(r) > 4 and r[1] == "Year 4"}
    assert found[("Attainment", "Reading", "On another framework (below ARE)")] == "47% (7/15)"
    assert found[("Progress", "Reading", "Own framework: expected or better")] == "40% (6/15)"
    assert found[("Progress line", "Reading", "expected progress or better")] == "80% (12/15)"
    assert found[("Progress line by framework", "Reading", "")] == LINE


def test_average_progress_in_points_leaves_out_framework_pupils(mixed):
    """Framework cells have no points: average progress is over points on the school's scale
    only. m0 and m1 gain 2 points from Autumn to Spring (10 -> 12); a framework pupil's cell at
    Autumn with points (a value typed on the school's scale before a placement) is not paired
    with their framework cell at Spring."""
    scheme, school = mixed["scheme"], mixed["school"]
    autumn = scheme.point("Autumn")
    main = [mixed["pupils"]["m0"], mixed["pupils"]["m1"]]
    assess(scheme, main, autumn, "Reading", "OT", "E", points="10")
    Assessment.objects.filter(pupil__in=main, point=mixed["spring"]).update(points=12)
    assess(scheme, [mixed["pupils"]["s0"]], autumn, "Reading", "B", "E", points="3")
    membership = mixed[Role.SENCO]
    cohort = cohort_form(membership, {"point": mixed["spring"].pk, "group": "send"}).cohort()
    assert cohort.school.pk == school.pk
    rows = average_progress(membership, cohort, 0)
    assert [(r.label, r.focus_avg, r.focus_n) for r in rows] == [("Year 4", 2, 2)]


def test_nothing_averages_framework_values():
    """No figure of gaps or reports sums or averages a framework's `score` or `gained`: unlike
    measures are counted by framework, never added (a search of the code)."""
    import pathlib  # noqa: PLC0415

    root = pathlib.Path(__file__).resolve().parents[2]
    pattern = re.compile(r"(Avg|Sum|Max|Min|StdDev)\(\s*[\"'](score|gained|months|place|step)")
    for folder in ("gaps", "reports", "trusts", "overview"):
        for path in (root / folder).rglob("*.py"):
            assert not pattern.search(path.read_text()), path


def test_breakdown_words():
    names = {None: "the school's scale", 7: "small steps"}
    said = breakdown({None: (8, 6), 7: (3, 3)}, names, "expected progress or better")
    assert said.says() == (
        "9 of 11 made expected progress or better: 6 of 8 on the school's scale, 3 of 3 on small steps"
    )
    # With nobody on another framework, nothing more is said.
    assert breakdown({None: (8, 6)}, names, "expected progress or better").says() == (
        "6 of 8 made expected progress or better"
    )
    assert in_sentence("Pre-key stage 2 standards") == "pre-key stage 2 standards"
    assert in_sentence("KS2 steps") == "KS2 steps"
    assert isinstance(said, ProgressBreakdown) and isinstance(said.parts[0], Part)


def test_breakdown_hides_a_small_part_and_its_complement():
    """Threshold 5: pre-key stage 2 standards 2 of 2 is under it; shown beside the total 18 of 23
    and the school's scale 11 of 16, small steps 5 of 5 would give it away (23 - 16 - 5 = 2), so
    small steps is hidden too; the total stays, as the two hidden parts could be 2 and 5, 3 and
    4, or 4 and 3."""
    names = {None: "the school's scale", 1: "pre-key stage 2 standards", 2: "small steps"}
    said = breakdown({None: (16, 11), 1: (2, 2), 2: (5, 5)}, names, "expected progress or better", 5)
    assert said.says() == (
        "18 of 23 made expected progress or better: 11 of 16 on the school's scale, c of c on pre-key "
        "stage 2 standards, c of c on small steps"
    )


# A class a governor reads ------------------------------------------------------------------------


def build_governor_class():
    """Year 4 Reading at Spring, 23 SEND pupils, threshold 5: on the school's scale 16 (attainment
    B 5, OT 6, EX 5; progress B 5, E 6, X 5), small steps 5 (S1.1 -> S2.1, +4 steps in 8 months,
    4 expected: met), pre-key stage 2 standards 2 (PK3 -> PK4: met); 5 pupils with no SEN, OT and
    E. Grids: attainment on another framework 7/23 = 30%, B 5/23 = 22%, OT 6/23 = 26%, EX 5/23 =
    22%; progress B 22%, E 26%, X 22%, own framework met 7/23 = 30% (no pupil below expected on
    one: that column is not shown). Expected progress or better: 6 + 5 + 7 = 18/23 = 78.3 -> 78%."""
    school = SchoolFactory(name="Governed Primary", suppression_threshold=5)
    scheme = Scheme(school)
    spring, last_summer = scheme.point("Spring"), scheme.point("Summer", THIS_YEAR - 1)
    main = pupils(school, 16, sen_status=SenStatus.SEN_SUPPORT, primary_need="MLD")
    on = pupils(school, 7, sen_status=SenStatus.EHCP, primary_need="SLD")
    for start, stop, a, p in [(0, 5, "B", "B"), (5, 11, "OT", "E"), (11, 16, "EX", "X")]:
        assess(scheme, main[start:stop], spring, "Reading", a, p)
    assess(scheme, pupils(school, 5), spring, "Reading", "OT", "E")
    frameworks = frameworks_of(school)
    reading = scheme.subjects["Reading"]
    for i, pupil in enumerate(on):
        key, before, now = ("steps", "S1.1", "S2.1") if i < 5 else ("pk2", "PK3", "PK4")
        place_on(pupil, reading, frameworks[key], datetime.date(THIS_YEAR - 1, 9, 1))
        record(scheme, pupil, last_summer, "Reading", frameworks[key], before)
        record(scheme, pupil, spring, "Reading", frameworks[key], now)
    progress_refresh(school.pk, [(p.pk, reading.pk) for p in on])
    governor = MembershipFactory(school=school, role=Role.GOVERNOR)
    return school, spring, governor


def test_governor_reads_the_line_by_framework_with_small_parts_hidden(client):
    school, spring, governor = build_governor_class()
    response = grid(client, governor, spring)
    report = response.context["report"]
    assert [str(f) for _c, f, _i in report.progress[0].cells[0]] == [
        "22% (5/23)",
        "26% (6/23)",
        "22% (5/23)",
        "30% (7/23)",
    ]
    assert report.progress_lines[0].says()[0] == "78% (18/23) made expected progress or better"
    said = report.progress_lines[0].breakdown.says()
    assert said == (
        "18 of 23 made expected progress or better: 11 of 16 on the school's scale, c of c on pre-key "
        "stage 2 standards, c of c on small steps"
    )
    assert said in text_of(response)
    _checker(client, school, governor, spring)


PERCENT = "as percentages of the pupils assessed with their counts"
PART = re.compile(r"(\w+) of (\w+) on ([^,]+)")


def _checker(client, school, governor, spring):
    """The page read twice, as the governor sees it and with nothing hidden, every hidden figure
    solved for from the shown ones (tests/disclosure_checker.py): the progress grid's row, the
    lines table's headline and the line by framework, with the lines that add them up."""
    shown = grid(client, governor, spring).content.decode()
    school.__class__.objects.filter(pk=school.pk).update(
        suppression_threshold=0, suppression_override_reason="test truth"
    )
    truth = grid(client, governor, spring).content.decode()
    school.__class__.objects.filter(pk=school.pk).update(
        suppression_threshold=5, suppression_override_reason=""
    )
    p = Problem(5)
    t_grid, s_grid = (
        tables(page)[f"Progress by year group, subject and band, {PERCENT}"] for page in (truth, shown)
    )
    labels = t_grid.head[1]
    t_row, s_row = t_grid.rows[0], s_grid.rows[0]
    members = []
    for i, label in enumerate(labels[:4]):
        p.from_cells(t_row[1 + i], s_row[1 + i], ("grid", label), "N")
        members.append(("grid", label))
    p.line("N", members)
    t_parts, s_parts = (
        dict((m[3], m) for m in PART.finditer(_by_framework(page))) for page in (truth, shown)
    )
    t_head, s_head = (re.search(r"(\w+) of (\w+) made", _by_framework(page)) for page in (truth, shown))
    p.from_cells(t_head[1], s_head[1], "K")
    p.from_cells(t_head[2], s_head[2], "N")
    for name, t in t_parts.items():
        s = s_parts[name]
        p.from_cells(t[1], s[1], ("k", name))
        p.from_cells(t[2], s[2], ("n", name))
        p.unknown(("below", name), int(t[2]) - int(t[1]))
        p.line(("n", name), [("k", name), ("below", name)])
    others = [n for n in t_parts if n != "the school's scale"]
    p.line("K", [("k", n) for n in t_parts])
    p.line("N", [("n", n) for n in t_parts])
    p.line(("grid", "Own framework: expected or better"), [("k", n) for n in others])
    p.line(("k", "the school's scale"), [("grid", "Expected"), ("grid", "Exceeded expected")])
    p.line(("below", "the school's scale"), [("grid", "Below expected")])
    assert figure(s_row[1]) is not None
    assert p.hidden(), "nothing hidden: the checker would be vacuous"
    assert p.shown_small == []
    assert p.determined() == []


def _by_framework(page):
    found = re.search(r"Year 4, Reading: ([^<]+)</li>", page)
    assert found, "no line by framework on the page"
    return found[1].replace("&#x27;", "'")


def test_d_shows_framework_values_and_lists_pupils_below_their_own_rate(client, mixed):
    """D at Spring: each framework pupil's Reading cell is their value on their framework; r1
    (4 months of reading age in 8, 8 expected) is on the watch list, the six others who met
    their framework's rate are not."""
    client.force_login(mixed[Role.SENCO].user)
    response = client.get(reverse("gaps:pupils") + f"?point={mixed['spring'].pk}&group=send")
    assert response.status_code == 200
    report = response.context["report"]
    by_pupil = {t.pupil.pk: t for t in report.tracks}
    reading = [s.name for s in report.subjects].index("Reading")
    width = len(report.points)
    cell = by_pupil[mixed["pupils"]["s1"].pk].row[reading * width + width - 1]
    assert cell == ("S2.3", None)
    assert by_pupil[mixed["pupils"]["r0"].pk].row[reading * width + width - 1] == ("8y 4m", None)
    framework = [w for w in report.watch if w["kind"] == "framework"]
    assert [(w["pupil_id"], w["subject__name"]) for w in framework] == [(mixed["pupils"]["r1"].pk, "Reading")]
    assert framework[0]["reason"] == (
        f"Below the expected progress on Reading age at {mixed['spring']}: 4 months gained in 8 months: "
        "ratio gain 0.5 (modest impact)."
    )
    assert framework[0]["reason"] in text_of(response)


def test_b_says_the_progress_line_by_framework(client, mixed):
    """B at Spring, Reading: the eight on the school's scale are on SEN support (6 of 8 made
    expected progress or better, nothing more said), the seven on frameworks have EHC plans
    (6 of 7: 2 of 2, 1 of 2, 3 of 3), All SEND 12 of 15; No SEN 5 of 5."""
    client.force_login(mixed[Role.SENCO].user)
    response = client.get(reverse("gaps:attainment") + f"?point={mixed['spring'].pk}")
    assert response.status_code == 200
    row = next(r for r in response.context["report"].rows if r.subject.name == "Reading")
    ehcp = (
        "6 of 7 made expected progress or better: 2 of 2 on pre-key stage 2 standards, 1 of 2 on "
        "reading age, 3 of 3 on small steps"
    )
    assert [(label, said.says()) for label, said in row.framework_lines] == [
        ("EHC plan", ehcp),
        ("All SEND", LINE),
    ]
    text = text_of(response)
    assert f"EHC plan: {ehcp}; All SEND: {LINE}." in text
    assert "At or above ARE 100% (5/5) 50% (4/8) 0% (0/7) 27% (4/15)" in text
    assert "Made expected progress or better 100% (5/5) 75% (6/8) 86% (6/7) 80% (12/15)" in text
    draft = response.context["finding"]["draft"]
    assert (
        f"SEND 80% (12/15) made expected progress or better (no SEN 100% (5/5)) [SEND pupils {LINE}]" in draft
    )


def test_c_queries_do_not_grow_with_framework_pupils(client, mixed):
    """The C page's queries with 7 pupils on three frameworks and with 37: the same number (the
    counts by framework come from the grid's own grouped query, the names from one more)."""
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    def count():
        client.force_login(mixed[Role.SENCO].user)
        with CaptureQueriesContext(connection) as queries:
            grid(client, mixed[Role.SENCO], mixed["spring"])
        return len(queries)

    before = count()
    scheme, steps = mixed["scheme"], mixed["frameworks"]["steps"]
    more = pupils(mixed["school"], 30, sen_status=SenStatus.EHCP, primary_need="SLD")
    for pupil in more:
        record(scheme, pupil, scheme.point("Summer", THIS_YEAR - 1), "Reading", steps, "S1.1")
        record(scheme, pupil, mixed["spring"], "Reading", steps, "S1.3")
    progress_refresh(mixed["school"].pk, [(p.pk, scheme.subjects["Reading"].pk) for p in more])
    assert count() == before
    report = grid(client, mixed[Role.SENCO], mixed["spring"]).context["report"]
    # 30 more on small steps, +2 steps in 8 months against 4 expected: none met.
    assert report.progress_lines[0].breakdown.says() == (
        "12 of 45 made expected progress or better: 6 of 8 on the school's scale, 2 of 2 on pre-key "
        "stage 2 standards, 1 of 2 on reading age, 3 of 33 on small steps"
    )
