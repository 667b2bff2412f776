"""The disclosure checker over a demo school as its governor reads it: the SEN register, question
C's grids and gaps (several points and groups), the SEF governor version, the provision map and
the impact page, their CSVs and PDFs. Each page is read twice, as the governor sees it and with
the school's threshold at 0 (the truth in the same layout); every hidden figure is then solved
for from the shown ones (tests/disclosure_checker.py), and none may come out determined.

The demo of 60 pupils has the situations issue 13 found: a need row with a small EHC plan count
beside its total, grid rows with a small band beside a zero, provision map groups of fewer than 5
places. The test asserts that they occur, so the checker is never vacuous."""

import re

import pytest
from django.urls import reverse

from assessment.bands import Bands
from demo.generator import build_demo
from pupils.models import Pupil, SenStatus
from schools.models import School
from tests.disclosure_checker import HIDDEN, Problem, figure, tables
from tests.pdf import pdf_text
from tests.shared_rows import shared_rows

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

T = 5
TOTAL_ROW = "total"
NOTE = "c: not shown, to protect pupils"


@shared_rows
def checker_demo():
    return build_demo(pupils=150)


@pytest.fixture
def reader(client, checker_demo):
    school = checker_demo["schools"][0].school
    client.force_login(checker_demo["users"]["governor"])

    def read(url, params=None, *, raw=False):
        """(truth, shown): the page with nothing hidden, and as the governor sees it."""
        shown = client.get(url, params or {})
        # The truth: no suppression, which the database allows only with a recorded reason.
        School.objects.filter(pk=school.pk).update(
            suppression_threshold=0, suppression_override_reason="test truth"
        )
        try:
            truth = client.get(url, params or {})
        finally:
            School.objects.filter(pk=school.pk).update(
                suppression_threshold=T, suppression_override_reason=""
            )
        assert shown.status_code == truth.status_code == 200, url
        if raw:
            return truth, shown
        return tables(truth.content.decode()), tables(shown.content.decode())

    read.school = school
    return read


def rows_by_label(table):
    return {row[0]: row for row in table.rows if row and len(row) > 1}


def find(found, start):
    matches = [t for caption, t in found.items() if caption.startswith(start)]
    assert matches, f"no table {start!r} in {list(found)}"
    return matches[0]


def assert_safe(problem, *, hides=True):
    assert problem.hidden() or not hides, "the checker found nothing hidden to solve for"
    assert problem.shown_small == [], f"shown although under {T}: {problem.shown_small}"
    assert problem.determined() == [], "hidden figures a reader can work out"


# The SEN register and the SEF's context: status, need and year group tables --------------------


def _status_and_needs(p, truth, shown, status, needs, *, need_columns, school):
    """Status totals (K, E, all, roll) and need rows (K, E, [all,] share of the record)."""
    for label, key in status.items():
        true_row, shown_row = rows_by_label(truth[0])[label], rows_by_label(shown[0])[label]
        p.from_cells(true_row[1], shown_row[1], key)
        if key in ("E", "All") and len(true_row) > 2:
            p.from_cells(true_row[2], shown_row[2], key, "roll")
    p.line("All", ["K", "E"])
    true_needs, shown_needs = rows_by_label(truth[1]), rows_by_label(shown[1])
    assert set(true_needs) == set(shown_needs)
    for label in true_needs:
        t_row, s_row = true_needs[label], shown_needs[label]
        for column, part in need_columns:
            if part == "share":
                p.from_cells(t_row[column], s_row[column], ("need", label, "All"), "All")
            else:
                p.from_cells(t_row[column], s_row[column], ("need", label, part))
        p.line(("need", label, "All"), [("need", label, "K"), ("need", label, "E")])
    record = Pupil.objects.filter(school=school).active().on_sen_record()
    no_need = record.filter(primary_need="")
    p.unknown("no need K", no_need.filter(sen_status=SenStatus.SEN_SUPPORT).count())
    p.unknown("no need E", no_need.filter(sen_status=SenStatus.EHCP).count())
    for part in ("K", "E"):
        p.line(part, [("need", label, part) for label in true_needs] + [f"no need {part}"])
    return true_needs


def _semh_row(school):
    """Issue 13's SEMH row on top of the demo's: 9 more pupils on SEN support and 2 with an EHC
    plan for SEMH (SEN support 9 or more, EHC plan small, all shown beside them)."""
    others = Pupil.objects.filter(school=school, sen_status=SenStatus.NONE).active().order_by("pk")
    pks = list(others.values_list("pk", flat=True)[:11])
    Pupil.objects.filter(pk__in=pks[:9]).update(sen_status=SenStatus.SEN_SUPPORT, primary_need="SEMH")
    Pupil.objects.filter(pk__in=pks[9:]).update(sen_status=SenStatus.EHCP, primary_need="SEMH")


def test_sen_register_cannot_be_worked_back(reader):
    _semh_row(reader.school)
    truth, shown = reader(reverse("sen_register"))
    captions = (
        "Pupils by SEN status, with the school's share beside the national share",
        "Pupils on the SEND record by primary area of need",
        "Share of each year group on the SEND record and with an EHC plan",
    )
    truth, shown = [truth[c] for c in captions], [shown[c] for c in captions]
    p = Problem(T)
    status = {
        "K — SEN support": "K",
        "E — EHC plan": "E",
        "All pupils with SEND (K + E)": "All",
        "Pupils on roll": "roll",
    }
    needs = _status_and_needs(
        p, truth, shown, status, None, need_columns=[(1, "K"), (2, "E"), (3, "share")], school=reader.school
    )
    # Issue 13's SEMH row: a small EHC plan count beside SEN support and a total shown.
    assert any(
        0 < p.truth[("need", label, "E")] < T and p.seen[("need", label, "All")] is not None
        for label in needs
    )
    years = rows_by_label(truth[2])
    shown_years = rows_by_label(shown[2])
    for label, row in years.items():
        s_row = shown_years[label]
        y = ("year", label)
        p.from_cells(row[1], s_row[1], (*y, "N"))
        p.from_cells(row[2], s_row[2], (*y, "S"), (*y, "N"))
        p.from_cells(row[3], s_row[3], (*y, "E"), (*y, "N"))
        p.unknown((*y, "K"), p.truth[(*y, "S")] - p.truth[(*y, "E")])
        p.unknown((*y, "not SEND"), p.truth[(*y, "N")] - p.truth[(*y, "S")])
        p.line((*y, "S"), [(*y, "E"), (*y, "K")])
        p.line((*y, "N"), [(*y, "S"), (*y, "not SEND")])
    for part, total in (("S", "All"), ("E", "E"), ("N", "roll"), ("K", "K")):
        p.line(total, [("year", label, part) for label in years])
    assert_safe(p)


# Question C: the grids and the ranked gaps ---------------------------------------------------


def _grid(p, truth, shown, kind):
    header, bands = truth.head[0], truth.head[1]
    subjects = header[1:]
    per = len(bands) // len(subjects)
    shown_rows = rows_by_label(shown)
    keys = {}
    for label, row in rows_by_label(truth).items():
        if len(row) != 1 + per * len(subjects):
            continue
        for s, subject in enumerate(subjects):
            cells = row[1 + s * per : 1 + (s + 1) * per]
            if all(figure(c) is None for c in cells):
                continue
            total = ("grid", kind, label, subject, "N")
            members = []
            for b, text in enumerate(cells):
                key = ("grid", kind, label, subject, b)
                p.from_cells(text, shown_rows[label][1 + s * per + b], key, total)
                members.append(key)
            p.line(total, members)
            keys[(label, subject)] = members
            if 0 < p.truth[total] < T:
                # A row under the threshold prints every band "c", zeros too: the reader cannot
                # tell which bands hold a pupil.
                shown_cells = shown_rows[label][1 + s * per : 1 + (s + 1) * per]
                assert all(c == HIDDEN for c in shown_cells), (label, subject, shown_cells)
                p.cannot_tell_small(members)
    return keys


def _gaps(p, truth, shown, attainment, meets_from):
    shown_rows = rows_by_label(shown)
    for label, row in rows_by_label(truth).items():
        subject, year = label.split(", ", 1)
        s_row = shown_rows[label]
        n_key = ("grid", "attainment", year, subject, "N")
        p.from_cells(row[1], s_row[1], ("ok", label), n_key)
        p.from_cells(row[2], s_row[2], ("rest ok", label), ("rest N", label))
        true_rest = figure(row[2])
        p.unknown(("rest below", label), true_rest[2] - true_rest[1])
        p.line(("rest N", label), [("rest ok", label), ("rest below", label)])
        if (year, subject) in attainment:
            members = attainment[(year, subject)]
            p.line(("ok", label), members[meets_from:])
        if HIDDEN in (s_row[1], s_row[2]):
            assert s_row[3] == HIDDEN, f"{label}: a gap in points beside a hidden share"


def _question_c(reader, params):
    truth, shown = reader(reverse("gaps:grid"), params)
    p = Problem(T)
    attainment = _grid(
        p, find(truth, "Attainment by year group"), find(shown, "Attainment by year group"), "attainment"
    )
    _grid(p, find(truth, "Progress by year group"), find(shown, "Progress by year group"), "progress")
    scale = Bands.of_school(reader.school.pk).attainment
    # The first column at or above the line, by its heading: a column of pupils on another
    # framework (below ARE, issue 22) comes before the lowest band when there is one.
    first = next(band.label for band in scale.bands if band.order >= scale.threshold)
    meets_from = find(truth, "Attainment by year group").head[1].index(first)
    _gaps(p, find(truth, "Gaps at or above ARE"), find(shown, "Gaps at or above ARE"), attainment, meets_from)
    bands = Bands.of_school(reader.school.pk)
    for kind, caption, lines in (
        ("attainment", "Attainment", bands.attainment),
        ("progress", "Progress", bands.progress),
    ):
        if not any(c.startswith(f"{caption} lines") for c in truth):
            continue  # no pupil of the group assessed at the point: no lines table
        grid_head = find(truth, f"{caption} by year group").head[1]
        _lines(p, find(truth, f"{caption} lines"), find(shown, f"{caption} lines"), kind, lines, grid_head)
    average = "Average gain in points per pupil"
    if any(c.startswith(average) for c in truth):
        _average_progress(p, find(truth, average), find(shown, average))
    return p, attainment


def _lines(p, truth, shown, kind, scale, grid_head):
    """The lines table, laid out as the grid (a row per year group, per subject a column per line
    of the scale): each line's share is the pupils of the grid's columns on it (its bands, and on
    the headline progress line the pupils who made their own framework's expected progress) over
    the grid row's pupils. A shown line is known to the reader and must give no hidden cell of
    the grid away; a hidden one is an unknown sum of the grid's cells (`Problem.unknown`)."""
    subjects, headings = truth.head[0][1:], truth.head[1]
    per = len(headings) // len(subjects)
    assert per == len(scale.lines), (headings, scale.lines)
    columns = len(grid_head) // len(subjects)
    labels = {band.pk: band.label for band in scale.bands}
    shown_rows = rows_by_label(shown)
    for label, row in rows_by_label(truth).items():
        for s, subject in enumerate(subjects):
            for i, line in enumerate(scale.lines):
                text = row[1 + s * per + i]
                if text == "—":
                    continue
                on_line = {labels[pk] for pk in line.band_ids}
                if kind == "progress" and line.headline:
                    on_line.add("Own framework: expected or better")
                members = [
                    ("grid", kind, label, subject, b)
                    for b, heading in enumerate(grid_head[:columns])
                    if heading in on_line
                ]
                key = ("line", kind, label, subject, i)
                shown_text = shown_rows[label][1 + s * per + i]
                if shown_text == HIDDEN:
                    # A hidden line is a sum of the grid's cells, which are what is protected:
                    # an unknown the reader may work out, not asked about itself.
                    p.unknown(key, figure(text)[1])
                else:
                    p.from_cells(text, shown_text, key, ("grid", kind, label, subject, "N"))
                p.line(key, members)


def _pupils(text):
    """The pupils a cell of the average progress table is over: "1.5 (12 pupils)"; None if hidden."""
    if text == HIDDEN:
        return None
    match = re.search(r"\((\d+) pupils?\)", text)
    return int(match[1]) if match else 0


def _average_progress(p, truth, shown):
    """Average progress: per year group the focus group's pupils and the rest's, which add up to
    the year group's, and each column to the school's (totals the strictest reader knows)."""
    shown_rows = rows_by_label(shown)
    years = []
    for label, row in rows_by_label(truth).items():
        s_row = shown_rows[label]
        for column, side in ((1, "focus"), (2, "rest")):
            p.cell(("avg", label, side), _pupils(row[column]), _pupils(s_row[column]))
            if s_row[column] == HIDDEN:
                assert s_row[3] == "—", f"{label}: a difference beside a hidden average"
        n = p.truth[("avg", label, "focus")] + p.truth[("avg", label, "rest")]
        p.cell(("avg", label, "N"), n, n)
        p.line(("avg", label, "N"), [("avg", label, "focus"), ("avg", label, "rest")])
        years.append(label)
    for side in ("focus", "rest"):
        n = sum(p.truth[("avg", y, side)] for y in years)
        p.cell(("avg", side), n, n)
        p.line(("avg", side), [("avg", y, side) for y in years])


def test_question_c_grids_and_gaps_cannot_be_worked_back(reader):
    p, attainment = _question_c(reader, {})
    # A row of a grid with a small band beside a zero band (issue 13's "64% (7/11), c, 0%").
    assert any(
        any(0 < p.truth[k] < T for k in members) and any(p.truth[k] == 0 for k in members)
        for members in attainment.values()
    )
    # The lines tables are read: shown lines the reader knows, beside the grids they add up.
    assert any(k[0] == "line" and p.seen[k] is not None for k in p.truth)
    assert_safe(p)
    for params in ({"group": "K"}, {"group": "pp"}, {"group": "send", "point": _an_earlier_point(reader)}):
        assert_safe(_question_c(reader, params)[0], hides=False)


def test_question_c_cannot_be_worked_back_whatever_the_subjects(reader):
    """The default is the core subjects (the demo primary assesses 15); all of them, one subject
    beyond the core, and the core together with all (one reader may open both) read alike."""
    p, _attainment = _question_c(reader, {"subjects": "all"})
    assert len(find(reader(reverse("gaps:grid"), {"subjects": "all"})[0], "Attainment by").head[0]) > 4
    assert_safe(p)
    science = _subject(reader, "Science")
    assert_safe(_question_c(reader, {"subjects": science})[0], hides=False)
    core, _attainment = _question_c(reader, {})
    both, _attainment = _question_c(reader, {"subjects": "all"})
    # Both pages' cells in one problem: each subject's cells have the same keys on either page.
    for key, truth in core.truth.items():
        assert both.truth.get(key, truth) == truth and both.seen.get(key, core.seen[key]) == core.seen[key]
    assert set(core.truth) < set(both.truth)


def _subject(reader, name):
    from assessment.models import Subject  # noqa: PLC0415  (only this case needs it)

    return str(Subject.objects.get(school=reader.school, name=name).pk)


def _an_earlier_point(reader):
    from assessment.models import AssessmentPoint  # noqa: PLC0415  (only this case needs it)

    points = list(AssessmentPoint.objects.filter(school=reader.school).order_by("-academic_year", "-order"))
    return points[3].pk


def test_question_c_headline_is_the_heads(reader, client, checker_demo):
    """The governor's largest gap is the head's, with its figures withheld if they must be."""
    drafts = {}
    for role in ("head", "governor"):
        client.force_login(checker_demo["users"][role])
        page = client.get(reverse("gaps:grid")).content.decode()
        found = re.search(r"The largest in-school gap is ([A-Za-z ]+) in (Reception|Year \d+)", page)
        drafts[role] = found.groups()
    assert drafts["head"] == drafts["governor"]


def test_grid_csv_shows_what_the_page_shows(reader):
    _truth, shown = reader(reverse("gaps:grid"), {"format": "csv"}, raw=True)
    text = shown.content.decode("utf-8-sig")
    assert NOTE in text
    csv_rows = [line.split(",") for line in text.splitlines()[1:] if NOTE not in line]
    page = find(reader(reverse("gaps:grid"))[1], "Attainment by year group")
    subjects, bands = page.head[0][1:], page.head[1]
    per = len(bands) // len(subjects)
    by_label = rows_by_label(page)
    checked = 0
    for grid, year, subject, band, text, *_ in csv_rows:
        if grid != "Attainment" or year not in by_label:
            continue
        s = subjects.index(subject)
        b = bands[s * per : (s + 1) * per].index(band)
        on_page = by_label[year][1 + s * per + b]
        # A subject not assessed in a year group: a dash on the page, an empty cell in the CSV.
        assert (on_page if on_page != "—" else "") == text, (year, subject, band)
        checked += 1
    assert checked


# The SEF, governor version: page and PDF ------------------------------------------------------


def test_sef_governor_version_cannot_be_worked_back(reader):
    truth, shown = reader(reverse("reports:sef_governor"))
    p = Problem(T)
    status = {"SEN support (K)": "K", "EHC plan (E)": "E", "All SEND": "All"}
    pair = (truth["SEN status"], truth["Primary area of need"])
    shown_pair = (shown["SEN status"], shown["Primary area of need"])
    _status_and_needs(
        p,
        pair,
        shown_pair,
        status,
        None,
        need_columns=[(1, "K"), (2, "E"), (3, "All"), (4, "share")],
        school=reader.school,
    )
    for caption, table in truth.items():
        if not caption.endswith("SEND pupils against other pupils"):
            continue
        shown_rows = rows_by_label(shown[caption])
        for label, row in rows_by_label(table).items():
            s_row = shown_rows[label]
            for column, side in ((2, "send"), (3, "others")):
                key = (caption, label, side)
                true_share = p.from_cells(row[column], s_row[column], (*key, "k"), (*key, "n"))
                p.unknown((*key, "below"), true_share[2] - true_share[1])
                p.line((*key, "n"), [(*key, "k"), (*key, "below")])
            if HIDDEN in (s_row[2], s_row[3]):
                assert not re.match(r"^-?\d+$", s_row[4]), f"{label}: a gap beside a hidden share"
    places = find(truth, "Interventions that ran in")
    _places(p, places, shown[places.caption])
    _standalone_shares(
        p,
        truth,
        shown,
        skip=("SEN status", "Primary area of need", "SEND pupils against", "Interventions that ran in"),
    )
    assert_safe(p)


def _places(p, truth, shown):
    """The SEF's places table: each intervention's places are its SEND places and the others'
    (never shown), and the line of all interventions adds up every column."""
    rows = []
    for i, (t_row, s_row) in enumerate(zip(truth.rows, shown.rows, strict=True)):
        key = TOTAL_ROW if t_row[0] == "All interventions" else i
        p.from_cells(t_row[4], s_row[4], ("places", key))
        true_share = p.from_cells(t_row[5], s_row[5], ("send", key), ("places", key))
        p.unknown(("other", key), true_share[2] - true_share[1])
        p.line(("places", key), [("send", key), ("other", key)])
        rows.append(key)
    if TOTAL_ROW in rows:
        for column in ("places", "send", "other"):
            p.line((column, TOTAL_ROW), [(column, key) for key in rows if key != TOTAL_ROW])


def _standalone_shares(p, truth, shown, *, skip):
    """Every other share of the page on its own: its count, its group and the rest of the group."""
    for caption, table in truth.items():
        if any(s in caption for s in skip) or caption not in shown:
            continue
        shown_rows = rows_by_label(shown[caption])
        for label, row in rows_by_label(table).items():
            for column, text in enumerate(row):
                true_share = figure(text)
                if not true_share or true_share[0] != "share" or label not in shown_rows:
                    continue
                key = (caption, label, column)
                p.from_cells(text, shown_rows[label][column], (*key, "k"), (*key, "n"))
                p.unknown((*key, "rest"), true_share[2] - true_share[1])
                p.line((*key, "n"), [(*key, "k"), (*key, "rest")])


def test_governor_pdfs_show_no_figure_the_checked_page_does_not(reader):
    for name in ("reports:sef_governor", "interventions:provision_map"):
        _truth, page = reader(reverse(name), raw=True)
        _truth, pdf = reader(reverse(name), {"format": "pdf"}, raw=True)
        text = pdf_text(pdf.content)
        assert NOTE in text
        page_text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))
        for share in set(re.findall(r"\d+% \(\d+/\d+\)", text)):
            assert share in page_text, f"{name}: {share} is in the PDF only"
        for places in set(re.findall(r"Total: \S+ places?", text)):
            assert places in page_text, f"{name}: {places} is in the PDF only"


# Interventions: the provision map and the impact page ----------------------------------------


def test_provision_map_cannot_be_worked_back(reader):
    truth, shown = reader(reverse("interventions:provision_map"))
    p = Problem(T)
    groups = [c for c in truth if c.startswith("Interventions in the ")]
    assert groups
    for caption in groups:
        t_rows, s_rows = truth[caption].rows, shown[caption].rows
        members = []
        for i, (t_row, s_row) in enumerate(zip(t_rows, s_rows, strict=True)):
            if t_row[0].startswith("Total:"):
                true_total = int(re.match(r"Total: (\d+) place", t_row[0])[1])
                match = re.match(r"Total: (\d+) place", s_row[0])
                p.cell(("places", caption), true_total, int(match[1]) if match else None)
                p.from_cells(t_row[1], s_row[1], ("pupils", caption))
            elif len(t_row) > 5 and figure(t_row[5]):
                p.from_cells(t_row[5], s_row[5], ("run", caption, i))
                members.append(("run", caption, i))
        p.line(("places", caption), members)
    # Issue 13: "Social skills group ... Total: 3 places".
    assert any(0 < p.truth[("places", c)] < T for c in groups)
    totals = [c for c in truth if c.startswith("Totals for")][0]
    t_rows, s_rows = rows_by_label(truth[totals]), rows_by_label(shown[totals])
    places = "Places (a pupil in two runs counts twice)"
    p.from_cells(t_rows[places][1], s_rows[places][1], "places")
    p.line("places", [("places", c) for c in groups])
    p.from_cells(t_rows["Pupils receiving provision"][1], s_rows["Pupils receiving provision"][1], "pupils")
    assert_safe(p)
    _truth, csv = reader(reverse("interventions:provision_map_csv"), raw=True)
    text = csv.content.decode("utf-8-sig")
    assert NOTE in text
    for count in re.findall(r",(\d+),\d+,\d+,\d+,[\d.]+,[\d.]+\r?$", text, re.M):
        assert not 0 < int(count) < T, "a small count of pupils in the CSV"


def test_impact_comparable_pupils_are_suppressed(reader):
    truth, shown = reader(reverse("interventions:impact"))
    caption = "Termly grid change for pupils in each run against comparable pupils"
    t_rows, s_rows = truth[caption].rows, shown[caption].rows
    p = Problem(T)
    for i, (t_row, s_row) in enumerate(zip(t_rows, s_rows, strict=True)):
        if len(t_row) < 8:
            continue
        p.from_cells(t_row[3], s_row[3], ("run", i))
        p.from_cells(t_row[5], s_row[5], ("comparable", i))
        if s_row[5] == HIDDEN:
            assert s_row[6] == HIDDEN and s_row[7] == "—", "a mean change beside hidden comparable pupils"
    assert p.shown_small == []


def test_dashboard_gaps_are_withheld_as_on_the_c_page(reader):
    """The same gaps, hidden the same way, on the dashboard and on question C: a reader cannot
    play one page against the other."""
    _truth, dashboard = reader(reverse("gaps:dashboard"))
    _truth, c_page = reader(reverse("gaps:grid"), {"subjects": "all"})
    on_dashboard = find(dashboard, "Gaps at or above ARE").rows
    on_c_page = find(c_page, "Gaps at or above ARE").rows
    assert on_dashboard and on_dashboard == on_c_page[: len(on_dashboard)]
    assert any(HIDDEN in row for row in on_dashboard)
    # The dashboard ranks every subject; C shows the core by default: the same rows, in order.
    _truth, core_page = reader(reverse("gaps:grid"))
    on_core_page = find(core_page, "Gaps at or above ARE").rows
    core = {row[0].split(", ")[0] for row in on_core_page}
    assert core and core < {row[0].split(", ")[0] for row in on_c_page}
    assert on_core_page == [row for row in on_c_page if row[0].split(", ")[0] in core]


def test_movement_on_the_sen_record_cannot_be_worked_back(reader):
    truth, shown = reader(reverse("gaps:groups"))
    caption = "Changes of SEN status recorded in each academic year"
    t_rows, s_rows = rows_by_label(truth[caption]), rows_by_label(shown[caption])
    totals = [label for label in t_rows if label.startswith("All ")]
    assert totals, "no line of the years' totals"
    years = [label for label in t_rows if label not in totals]
    p = Problem(T)
    for label in t_rows:
        for column in range(1, 5):
            p.from_cells(t_rows[label][column], s_rows[label][column], ("move", label, column))
    for column in range(1, 5):
        p.line(("move", totals[0], column), [("move", y, column) for y in years])
    assert_safe(p, hides=False)


def test_conversation_participation_cannot_be_worked_back(reader):
    truth, shown = reader(reverse("evidence:conversations"))
    numbers, leads = "Share of the ", "Each family is counted under whoever led"
    t_rows, s_rows = rows_by_label(find(truth, numbers)), rows_by_label(find(shown, numbers))
    p = Problem(T)
    for label, row in t_rows.items():
        p.from_cells(row[1], s_rows[label][1], ("had", label), "pupils")
    p.line("pupils", [("had", label) for label in t_rows])
    any_conversation = [("had", label) for label in t_rows if label != "None"]
    p.unknown("families", sum(p.truth[k] for k in any_conversation))
    p.line("families", any_conversation)
    t_leads, s_leads = rows_by_label(find(truth, leads)), rows_by_label(find(shown, leads))
    for label, row in t_leads.items():
        s_row = s_leads[label]
        p.from_cells(row[1], s_row[1], ("conversations", label))
        p.from_cells(row[2], s_row[2], ("families", label))
        true_share = p.from_cells(row[3], s_row[3], ("full", label), ("families", label))
        p.unknown(("not full", label), true_share[2] - true_share[1])
        p.line(("families", label), [("full", label), ("not full", label)])
    p.line("families", [("families", label) for label in t_leads])
    p.line(("had", "All three (or more)"), [("full", label) for label in t_leads])
    assert p.truth["pupils"] > 0, "no SEND pupils in the demo's conversations"
    assert_safe(p, hides=False)


def test_survey_answers_cannot_be_worked_back(reader):
    from evidence.models import Survey  # noqa: PLC0415  (only this test reads surveys)

    surveys = Survey.objects.filter(school=reader.school)
    assert surveys.exists()
    for survey in surveys:
        truth, shown = reader(reverse("evidence:survey", args=[survey.pk]))
        p = Problem(T)
        # A question's caption gives the change in Fairly or Very only when both rounds are shown.
        shown_by_question = {c.split(" Change in")[0]: t for c, t in shown.items()}
        for caption, table in truth.items():
            if not caption.startswith("Q"):
                continue
            shown_rows = rows_by_label(shown_by_question[caption.split(" Change in")[0]])
            for label, row in rows_by_label(table).items():
                key = (caption, label)
                for column in range(1, 6):
                    p.from_cells(row[column], shown_rows[label][column], (*key, column), (*key, "n"))
                p.line((*key, "n"), [(*key, column) for column in range(1, 5)])
                p.line((*key, 5), [(*key, 3), (*key, 4)])
        assert_safe(p, hides=False)


@pytest.mark.parametrize(
    "name",
    [
        "gaps:groups",
        "gaps:attainment",
        "gaps:pupils",
        "gaps:attendance",
        "home",
        "reports:index",
        "reports:inclusion_governor",
    ],
)
def test_every_other_governor_share_keeps_its_complement(reader, name):
    """The other governor pages' shares, each with its count, its group and the rest of the group:
    none shows a small count, and none gives a hidden one away."""
    truth, shown = reader(reverse(name))
    p = Problem(T)
    _standalone_shares(p, truth, shown, skip=())
    assert_safe(p, hides=False)


def test_inclusion_governor_figures_cannot_be_worked_back(reader):
    """The inclusion page's own tables as the governor reads them: each year's pupils placed with
    those who had a concern first (the share's group is the count beside it), the plans reviewed,
    without a plan and overdue over the pupils on SEN support, and the movement on and off the SEN
    record with its total row. The demo has pupils in the new groups and concerns to count."""
    truth, shown = reader(reverse("reports:inclusion_governor"))
    p = Problem(T)
    concerns = find(truth, "Time from the first concern recorded to SEN support")
    shown_concerns = rows_by_label(shown[concerns.caption])
    for label, row in rows_by_label(concerns).items():
        if figure(row[2]) is None:  # nobody placed that year: "none (0/0)"
            continue
        key = ("concern", label)
        p.from_cells(row[1], shown_concerns[label][1], (*key, "placed"))
        share = p.from_cells(row[2], shown_concerns[label][2], (*key, "first"), (*key, "placed"))
        p.unknown((*key, "none"), share[2] - share[1])
        p.line((*key, "placed"), [(*key, "first"), (*key, "none")])
        if shown_concerns[label][2] == HIDDEN:
            assert shown_concerns[label][3] in (HIDDEN, "–"), f"{label}: a median beside a hidden share"
    groups = find(truth, "Disadvantaged and vulnerable groups")
    labels = {row[0] for row in groups.rows}
    assert {"Known to social care", "Previously looked after", "Pupils who are young carers"} <= labels
    _standalone_shares(p, truth, shown, skip=("Time from the first concern",))
    assert_safe(p, hides=False)
