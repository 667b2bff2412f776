"""Lines of a school's scheme (issue 13): each band can start a cumulative line, the lowest line
is the headline line, presets and the migration mark sensible lines, and the SENCO marks and
names them in the scheme editor."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.db.models import Count, F
from django.urls import reverse

from assessment.bands import Bands, Scale, line_shares
from assessment.models import Assessment, AssessmentPoint, AttainmentBand, ProgressBand, Subject
from assessment.services import bands_apply_preset, scheme_set_up_defaults
from core.roles import Role
from tests.assessment.test_scheme import formset_data
from tests.factories import PupilFactory, SchoolFactory, assessment_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(world):
    home = world["A"]
    scheme_set_up_defaults(school=home.school, academic_year=2025)
    return home


def lines_of(model, school):
    return [(b.code, b.line_name) for b in model.objects.filter(school=school).order_by("order")]


def band(pk, order, code, line_name=""):
    return ProgressBand(pk=pk, order=order, code=code, label=code, line_name=line_name)


def test_each_marked_band_starts_a_cumulative_line_and_the_lowest_is_the_headline():
    # Orders 30, 10, 20, 40 given out of order: I (10), S (20), G (30), O (40).
    scale = Scale.of(
        [
            band(3, 30, "G", "good or outstanding progress"),
            band(1, 10, "I"),
            band(2, 20, "S", "at least satisfactory progress"),
            band(4, 40, "O"),
        ],
        "progress",
    )
    satisfactory, good = scale.lines
    assert scale.headline is satisfactory and scale.threshold == 20
    assert (satisfactory.band_ids, good.band_ids) == ((2, 3, 4), (3, 4))
    assert [b.code for b in scale.meeting] == ["S", "G", "O"]
    assert good.says("55% (6/11)") == "55% (6/11) made good or outstanding progress"
    assert good.heading == "Made good or outstanding progress"
    attainment = Scale.of([AttainmentBand(pk=9, order=1, code="B"), AttainmentBand(pk=8, order=2, code="OT")])
    assert attainment.headline.says("73% (8/11)") == "73% (8/11) at or above ARE"


def test_a_scale_with_no_line_marked_keeps_every_band_above_the_lowest():
    scale = Scale.of([band(1, 1, "B"), band(2, 2, "E"), band(3, 3, "X")], "progress")
    assert [(line.name, line.band_ids) for line in scale.lines] == [("expected progress or better", (2, 3))]


def test_every_line_is_counted_in_one_query(django_assert_num_queries):
    """Six Reading assessments on the four-band scale: I, S, G, G, O and one with no progress
    band. At least satisfactory: S, G, G, O = 4 of the 5 with a band; good or outstanding:
    G, G, O = 3. Attainment (default lines): B, OT, OT, EX, EX, none: at or above ARE 4 of 5,
    exceeding ARE 2."""
    school = SchoolFactory()
    scheme_set_up_defaults(school=school, academic_year=2025)
    bands_apply_preset(model=ProgressBand, school=school, preset="ofsted")
    point = AssessmentPoint.objects.filter(school=school).first()
    reading = Subject.objects.get(school=school, name="Reading")
    att = {b.code: b for b in AttainmentBand.objects.filter(school=school)}
    prog = {b.code: b for b in ProgressBand.objects.filter(school=school)}
    marks = [("B", "I"), ("OT", "S"), ("OT", "G"), ("EX", "G"), ("EX", "O"), (None, None)]
    for attainment, progress in marks:
        assessment_create(
            pupil=PupilFactory(school=school),
            point=point,
            subject=reading,
            attainment=att.get(attainment),
            progress=prog.get(progress),
        )
    bands = Bands.of_school(school.pk)
    assert [line.name for line in bands.lines] == [
        "at or above ARE",
        "exceeding ARE",
        "at least satisfactory progress",
        "good or outstanding progress",
    ]
    with django_assert_num_queries(1):
        figures = Assessment.objects.filter(point=point).aggregate(
            assessed=Count("pk", filter=bands.has_attainment),
            with_progress=Count("pk", filter=bands.has_progress),
            **bands.line_counts(),
        )
    assert figures == {"assessed": 5, "with_progress": 5, "a1": 4, "a2": 2, "p1": 4, "p2": 3}


@pytest.mark.parametrize(
    "met, assessed, threshold, shown",
    [
        ([9, 6], 11, 0, ["82% (9/11)", "55% (6/11)"]),  # no threshold: every line
        # With a threshold, 9 or 10 of 11 on the headline line says 2 or 1 are not: the headline
        # is hidden as its complement is under 5 (core.figures), and so is the same line after it.
        ([9, 6], 11, 5, ["c", None]),  # and 9 - 6 = 3 pupils between the lines
        ([10, 4], 11, 5, ["c", None]),  # the second line is itself under 5
        ([10, 5], 11, 5, ["c", "45% (5/11)"]),  # 5 between them, 5 on the line, 6 not on it
        ([9, 9, 0], 11, 5, ["c", None, None]),  # the second line, 9 of 11, hides the lines after it
        ([6, 6, 0], 11, 5, ["55% (6/11)", "55% (6/11)", "0% (0/11)"]),  # nobody between: nothing to hide
    ],
)
def test_lines_after_the_headline_hide_a_small_difference(met, assessed, threshold, shown):
    shares = line_shares(met, assessed, threshold)
    assert [None if s is None else str(s) for s in shares] == shown


def test_presets_and_the_default_scheme_come_with_their_lines(client, home):
    school = home.school
    assert lines_of(AttainmentBand, school) == [("B", ""), ("OT", "at or above ARE"), ("EX", "exceeding ARE")]
    assert lines_of(ProgressBand, school) == [
        ("B", ""),
        ("E", "expected progress or better"),
        ("X", "more than expected progress"),
    ]
    client.force_login(home.members[Role.SENCO].user)
    url = reverse("assessment:scheme_bands", kwargs={"kind": "progress"})
    assert client.post(url, {"preset": "ofsted"}).status_code == 302
    assert lines_of(ProgressBand, school) == [
        ("I", ""),
        ("S", "at least satisfactory progress"),
        ("G", "good or outstanding progress"),
        ("O", ""),
    ]
    url = reverse("assessment:scheme_bands", kwargs={"kind": "attainment"})
    assert client.post(url, {"preset": "wts"}).status_code == 302
    assert lines_of(AttainmentBand, school) == [
        ("WTS", ""),
        ("EXS", "at the expected standard or above"),
        ("GDS", "at greater depth"),
    ]
    page = client.get(reverse("assessment:scheme")).content.decode()
    assert "“at least satisfactory progress”: Satisfactory and above" in page
    assert "“good or outstanding progress”: Good and above" in page
    assert page.index("headline: gaps use this line") < page.index("“good or outstanding progress”")


def _rows(school, model, names):
    bands = list(model.objects.filter(school=school).order_by("order"))
    return [
        {"id": b.pk, "code": b.code, "label": b.label, "line_name": names.get(b.code, ""), "ORDER": str(i)}
        for i, b in enumerate(bands, 1)
    ]


def test_senco_marks_and_names_lines(client, home):
    client.force_login(home.members[Role.SENCO].user)
    url = reverse("assessment:scheme_bands", kwargs={"kind": "progress"})
    page = client.get(url).content.decode()
    assert "Line from this band up" in page and "the lowest band cannot start a line" in page
    rows = _rows(home.school, ProgressBand, {"X": "good progress or better"})
    response = client.post(url, formset_data(rows))
    assert response.status_code == 302
    assert lines_of(ProgressBand, home.school) == [("B", ""), ("E", ""), ("X", "good progress or better")]
    # The only line is now the headline: gaps are worked out on it.
    assert Bands.of_school(home.school.pk).progress.headline.band_ids == (
        ProgressBand.objects.get(school=home.school, code="X").pk,
    )


@pytest.mark.parametrize(
    "names, message",
    [
        (
            {"B": "everyone", "E": "expected progress or better"},
            "“Below expected” is the lowest band, so a line from it would count every pupil assessed",
        ),
        (
            {"E": "Good progress", "X": "good progress"},
            "Two lines are called “good progress”: give each line its own name.",
        ),
    ],
)
def test_bad_lines_save_nothing_and_say_why(client, home, names, message):
    client.force_login(home.members[Role.SENCO].user)
    url = reverse("assessment:scheme_bands", kwargs={"kind": "progress"})
    before = lines_of(ProgressBand, home.school)
    response = client.post(url, formset_data(_rows(home.school, ProgressBand, names)))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Nothing was saved." in response.content.decode()
    assert lines_of(ProgressBand, home.school) == before


def test_a_line_name_too_long_is_refused_with_a_message(client, home):
    client.force_login(home.members[Role.SENCO].user)
    url = reverse("assessment:scheme_bands", kwargs={"kind": "attainment"})
    response = client.post(url, formset_data(_rows(home.school, AttainmentBand, {"OT": "x" * 61})))
    assert response.status_code == 400
    assert "Ensure this value has at most 60 characters" in response.content.decode()


def _migration():
    path = next((Path(__file__).resolve().parents[2] / "assessment/migrations").glob("*_band_line_names.py"))
    return importlib.import_module(f"assessment.migrations.{path.stem}")


def test_the_migration_keeps_every_existing_schools_headline_line():
    """Schools whose bands were written before lines: a preset's bands get the preset's lines
    (the headline still the band above the lowest), any other scale one line from its second
    band, named as before; a school that already has a line is left alone."""
    preset, custom, marked = SchoolFactory(), SchoolFactory(), SchoolFactory()
    for school in (preset, custom, marked):
        scheme_set_up_defaults(school=school, academic_year=2025)
    bands_apply_preset(model=ProgressBand, school=preset, preset="ofsted")
    AttainmentBand.objects.filter(school=custom, code="OT").update(label="Meeting")
    ProgressBand.objects.filter(school=custom).update(label=F("code"))  # "B", "E", "X": no preset
    AttainmentBand.objects.filter(school__in=[preset, custom]).update(line_name="")
    ProgressBand.objects.filter(school__in=[preset, custom]).update(line_name="")
    AttainmentBand.objects.filter(school=marked, code="EX").update(line_name="")
    _migration().mark_lines(apps, None)
    assert lines_of(ProgressBand, preset) == [
        ("I", ""),
        ("S", "at least satisfactory progress"),
        ("G", "good or outstanding progress"),
        ("O", ""),
    ]
    assert lines_of(AttainmentBand, preset) == [("B", ""), ("OT", "at or above ARE"), ("EX", "exceeding ARE")]
    assert lines_of(AttainmentBand, custom) == [("B", ""), ("OT", "at or above ARE"), ("EX", "")]
    assert lines_of(ProgressBand, custom) == [("B", ""), ("E", "expected progress or better"), ("X", "")]
    assert lines_of(AttainmentBand, marked) == [("B", ""), ("OT", "at or above ARE"), ("EX", "")]
    # Whatever the lines, the headline is the band above the lowest, as before.
    for school in (preset, custom, marked):
        bands = Bands.of_school(school.pk)
        assert [b.order for b in bands.progress.meeting][0] == 2
        assert [b.order for b in bands.attainment.meeting][0] == 2
