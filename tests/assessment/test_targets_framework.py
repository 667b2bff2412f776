"""Targets on the framework a pupil is assessed on (assessment.targets), worked by hand: the
Python rule (`judge`, and the pupil page's selector) and the database's (`judged`) held to the
same cases; the targets page offering the pupil's framework value typed as in the grid."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessment import frameworks
from assessment import targets as rule
from assessment.models import (
    Assessment,
    AssessmentPoint,
    AttainmentBand,
    Framework,
    FrameworkPlacement,
    Subject,
    Target,
)
from assessment.selectors import pupil_targets
from assessment.services import assessment_points_ensure, scheme_set_up_defaults
from core.roles import Role
from tests.factories import PupilFactory, SchoolFactory, assessment_create


def _on(framework_id, place=None, score=None):
    """A target or an assessment with a value on a framework."""
    return SimpleNamespace(
        framework_id=framework_id,
        place=place,
        score=Decimal(score) if score is not None else None,
        attainment=None,
        attainment_id=None,
        points=None,
    )


PK, AGE, SCORE = 1, 2, 3


@pytest.mark.parametrize(
    ("target", "start", "now", "elapsed", "span", "expected"),
    [
        # Pre-key stage standards, places 3 (PK3) to 5 (PK5) over 2 points: half way the line is
        # at 3 + 2 x 1/2 = 4: PK4 is on track, PK3 below the trajectory.
        (_on(PK, 5), _on(PK, 3), _on(PK, 4), 1, 2, rule.ON_TRACK),
        (_on(PK, 5), _on(PK, 3), _on(PK, 3), 1, 2, rule.BELOW),
        # Small steps, place 7 to 13 over 3: after 2 the line is 7 + 6 x 2/3 = 11; 11 on the line.
        (_on(PK, 13), _on(PK, 7), _on(PK, 11), 2, 3, rule.ON_TRACK),
        (_on(PK, 13), _on(PK, 7), _on(PK, 10), 2, 3, rule.BELOW),
        # Reading age 90 months (7y 6m) to 102 (8y 6m) over 3: after 1 the line is 94.
        (_on(AGE, score="102"), _on(AGE, score="90"), _on(AGE, score="94"), 1, 3, rule.ON_TRACK),
        (_on(AGE, score="102"), _on(AGE, score="90"), _on(AGE, score="93"), 1, 3, rule.BELOW),
        # Scores in tenths: 94.5 to 100 over 3: after 2 the line is 94.5 + 5.5 x 2/3 = 98.1666...
        (_on(SCORE, score="100"), _on(SCORE, score="94.5"), _on(SCORE, score="98.2"), 2, 3, rule.ON_TRACK),
        (_on(SCORE, score="100"), _on(SCORE, score="94.5"), _on(SCORE, score="98.1"), 2, 3, rule.BELOW),
        # A value on another framework, or on the main scheme, is not compared.
        (_on(PK, 5), _on(PK, 3), _on(AGE, score="96"), 1, 2, rule.NONE),
        (_on(PK, 5), _on(PK, 3), _on(None), 1, 2, rule.NONE),
        (_on(PK, 5), _on(AGE, score="90"), _on(PK, 4), 1, 2, rule.NONE),
    ],
)
def test_a_framework_target_before_it_is_due(target, start, now, elapsed, span, expected):
    assert rule.judge(target=target, now=now, start=start, elapsed=elapsed, span=span, due=False) == expected


def test_a_framework_target_when_due():
    assert rule.judge(target=_on(PK, 5), now=_on(PK, 5), due=True) == rule.MET
    assert rule.judge(target=_on(PK, 5), now=_on(PK, 6), due=True) == rule.MET
    assert rule.judge(target=_on(PK, 5), now=_on(PK, 4), due=True) == rule.MISSED
    assert rule.judge(target=_on(AGE, score="102"), now=_on(AGE, score="101"), due=True) == rule.MISSED
    assert rule.judge(target=_on(PK, 5), now=_on(AGE, score="200"), due=True) == rule.NONE
    assert rule.judge(target=_on(PK, 5), now=None, due=True) == rule.NONE
    # A main-scheme target is not judged by a value on a framework.
    main = SimpleNamespace(framework_id=None, attainment=None, attainment_id=None, points=Decimal(16))
    assert rule.judge(target=main, now=_on(PK, 20), due=True) == rule.NONE


@pytest.fixture
def mixed(db):
    """Three points in 2025 (Autumn, Spring, Summer: places 0, 1, 2); Reading; the pre-key
    stage 2 standards and a reading-age framework; a pupil per case."""
    school = SchoolFactory()
    scheme_set_up_defaults(school=school, academic_year=2025)
    AssessmentPoint.objects.filter(school=school).delete()
    assessment_points_ensure(school=school, academic_year=2025, names=["Autumn", "Spring", "Summer"])
    points = list(AssessmentPoint.objects.filter(school=school))
    pk2 = frameworks.kit_add(school, "Pre-key stage 2 standards")
    age = Framework.objects.create(school=school, kind=Framework.Kind.AGE, name="Reading age")
    return SimpleNamespace(
        school=school,
        at={p.order: p for p in points},
        points=points,
        reading=Subject.objects.get(school=school, name="Reading"),
        pk2=pk2,
        stages={s.code: s for s in pk2.stages.all()},
        age=age,
        band={b.code: b for b in AttainmentBand.objects.filter(school=school)},
    )


def _record(m, pupil, order, value):
    """An assessment at the point of `order`: "PK4" on the standards, "7y 6m" as a reading
    age, or a main-scheme (band code, points)."""
    fields = {"pupil": pupil, "point": m.at[order], "subject": m.reading}
    if isinstance(value, tuple):
        code, points = value
        fields.update(attainment=m.band.get(code), points=points and Decimal(points))
    else:
        framework = m.pk2 if value.startswith("PK") else m.age
        v = frameworks.parse(framework, list(m.stages.values()), value)
        fields.update(framework=framework, stage=v.stage, step=v.step, place=v.place, score=v.score)
    assessment_create(**fields)


def _target(m, pupil, value):
    fields = {}
    if isinstance(value, tuple):
        code, points = value
        fields.update(attainment=m.band.get(code), points=points and Decimal(points))
    else:
        framework = m.pk2 if value.startswith("PK") else m.age
        v = frameworks.parse(framework, list(m.stages.values()), value)
        fields.update(framework=framework, stage=v.stage, step=v.step, place=v.place, score=v.score)
    Target.objects.create(
        pupil=pupil, subject=m.reading, kind=Target.Kind.END_OF_YEAR, academic_year=2025, **fields
    )


def test_the_database_and_the_pupil_page_judge_framework_targets_alike(mixed, django_assert_num_queries):
    """At Spring (place 1), half way from Autumn (0) to Summer (2), the due point:

    p0: PK3 -> PK4, target PK5: line 3 + 2 x 1/2 = 4: on track. Summer PK5: met.
    p1: PK3 -> PK3, target PK5: below the trajectory. Summer PK4: missed.
    p2: 7y 6m (90) -> 7y 11m (95), target 8y 6m (102): line 96: below. Summer 8y 6m: met.
    p3: 7y 6m -> 8y 0m (96), target 8y 6m: on the line: on track. Summer 8y 5m: missed.
    p4: PK3 at Autumn, then moved to the main scheme: B at Spring; target PK5: no assessment
        yet (nothing on the standards at Spring); at Summer B again: no assessment yet.
    p5: main scheme B at Autumn, placed on the standards at Spring: PK3; target PK5: the line
        starts at the first value on the standards, Spring itself (0 of 1 along): on track.
    p6: main scheme 10 -> 12.5 points, target 15 (unchanged rule): line 12.5: on track; the
        same pupil is not judged by anything else. Summer 15: met."""
    m = mixed
    pupils = [PupilFactory(school=m.school, year_group=5) for _ in range(7)]
    for i, order, value in [
        (0, 1, "PK3"), (0, 2, "PK4"),
        (1, 1, "PK3"), (1, 2, "PK3"),
        (2, 1, "7y 6m"), (2, 2, "7y 11m"),
        (3, 1, "7y 6m"), (3, 2, "8y 0m"),
        (4, 1, "PK3"), (4, 2, ("B", None)),
        (5, 1, ("B", None)), (5, 2, "PK3"),
        (6, 1, ("B", "10")), (6, 2, ("B", "12.5")),
    ]:  # fmt: skip
        _record(m, pupils[i], order, value)
    for i, value in enumerate(["PK5", "PK5", "8y 6m", "8y 6m", "PK5", "PK5", (None, "15")]):
        _target(m, pupils[i], value)
    timeline = rule.Timeline(m.points)

    def database(point):
        """By `judged` (the database decides, in one query) and `judged_each` (the grid's: the
        rule in Python on the targets and their values, fetched in two), which must agree."""
        found = []
        for judge, queries in ((rule.judged, 1), (rule.judged_each, 2)):
            with django_assert_num_queries(queries):
                rows = list(judge(rule.end_of_year(Target.objects.all(), 2025), point, timeline, year=2025))
            found.append({_index(pupils, t.pupil_id): t.status for t in rows})
        assert found[0] == found[1]
        return found[0]

    def page(today):
        found = {}
        for i, pupil in enumerate(pupils):
            rows, _year, _ks = pupil_targets(pupil, today)
            (row,) = [r for r in rows if r.subject == m.reading]
            found[i] = row.year.status
        return found

    spring = {
        0: rule.ON_TRACK,
        1: rule.BELOW,
        2: rule.BELOW,
        3: rule.ON_TRACK,
        4: rule.NONE,
        5: rule.ON_TRACK,
    }
    spring[6] = rule.ON_TRACK
    assert database(m.at[2]) == spring
    assert page(datetime.date(2026, 3, 1)) == spring

    for i, value in [(0, "PK5"), (1, "PK4"), (2, "8y 6m"), (3, "8y 5m"), (4, ("B", None)), (6, ("B", "15"))]:
        _record(m, pupils[i], 3, value)
    summer = {0: rule.MET, 1: rule.MISSED, 2: rule.MET, 3: rule.MISSED, 4: rule.NONE, 6: rule.MET}
    judged_summer = database(m.at[3])
    del judged_summer[5]  # p5 has nothing at Summer: no assessment yet by both rules
    assert judged_summer == summer
    on_page = page(datetime.date(2026, 7, 20))
    assert on_page.pop(5) == rule.ON_TRACK  # the page judges the latest value: Spring's, on the line
    assert on_page == summer


def _index(pupils, pk):
    return [p.pk for p in pupils].index(pk)


def test_a_target_is_on_the_main_scheme_or_on_a_framework_never_both(mixed):
    pupil = PupilFactory(school=mixed.school)
    base = {"pupil": pupil, "subject": mixed.reading, "kind": Target.Kind.END_OF_YEAR, "academic_year": 2025}
    stage = mixed.stages["PK5"]
    for fields in [
        {"framework": mixed.pk2},  # no value
        {"framework": mixed.pk2, "stage": stage, "step": 1, "place": 5, "points": Decimal(3)},
        {"place": 5},  # a value with no framework
    ]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Target.objects.create(**base, **fields)
    Target.objects.create(**base, framework=mixed.pk2, stage=stage, step=1, place=5)


@pytest.mark.django_db
def test_the_targets_page_offers_the_pupils_framework(client, world):
    """A SENCO sets a pupil's Reading target on the pre-key stage 2 standards they are placed on:
    typed as in the grid; a standard the framework does not have is refused with a message
    naming the subject and the codes; a blank leaves an earlier main-scheme target alone."""
    home = world["A"]
    school = home.school
    scheme_set_up_defaults(school=school, academic_year=2025)
    pupil = home.class_pupil
    reading = Subject.objects.get(school=school, name="Reading")
    maths = Subject.objects.get(school=school, name="Maths")
    writing = Subject.objects.get(school=school, name="Writing")
    pk2 = frameworks.kit_add(school, "Pre-key stage 2 standards")
    engagement = Framework.objects.create(
        school=school, kind=Framework.Kind.ENGAGEMENT, name="Engagement Model"
    )
    long_ago = datetime.date(2020, 9, 1)
    FrameworkPlacement.objects.create(pupil=pupil, subject=reading, framework=pk2, starts_on=long_ago)
    FrameworkPlacement.objects.create(pupil=pupil, subject=writing, framework=engagement, starts_on=long_ago)
    client.force_login(home.members[Role.SENCO].user)
    url = reverse("assessment:pupil_targets", kwargs={"pk": pupil.pk})
    page = client.get(url).content.decode()
    assert "Reading end of year target on Pre-key stage 2 standards" in page
    assert "Engagement Model is recorded as observations" in page
    assert f'name="year-{maths.pk}-band"' in page  # maths stays on the school's scale

    response = client.post(url, {f"year-{reading.pk}-value": "PK7"})
    assert response.status_code == 400
    assert (
        "Reading: “PK7” is not on Pre-key stage 2 standards: its codes are PK1, PK2, PK3, PK4, PK5, PK6."
        in (response.content.decode())
    )
    assert not Target.objects.filter(pupil=pupil).exists()

    response = client.post(url, {f"year-{reading.pk}-value": "pk5", f"ks-{reading.pk}-value": "PK6"})
    assert response.status_code == 302
    ks, year = Target.objects.filter(pupil=pupil, subject=reading).order_by("kind")
    assert (ks.kind, ks.framework, ks.stage.code, ks.place) == ("ks", pk2, "PK6", 6)
    assert (year.kind, year.framework, year.stage.code, year.place) == ("year", pk2, "PK5", 5)
    assert client.get(url).content.decode().count('value="PK5"') == 1

    # Blank clears a target on the framework; a main-scheme target from before the placement
    # is left until a value is typed.
    Target.objects.filter(pupil=pupil, kind="ks").update(
        framework=None, stage=None, step=None, place=None, points=Decimal(20)
    )
    page = client.get(url).content.decode()
    assert (
        "The target set before (20.0 on the school&#x27;s scale) stays until a value is typed here." in page
    )
    client.post(url, {f"year-{reading.pk}-value": "", f"ks-{reading.pk}-value": ""})
    (left,) = Target.objects.filter(pupil=pupil, subject=reading)
    assert (left.kind, left.framework, left.points) == ("ks", None, Decimal(20))


@pytest.mark.parametrize(
    ("target", "start", "now", "elapsed", "span", "expected"),
    [
        # One standard up over three points: after 1 the line is 3 + 1/3, nearest PK3: on track;
        # after 2 it is 3 + 2/3, nearest PK4: PK3 is below the trajectory.
        (_on(PK, 4), _on(PK, 3), _on(PK, 3), 1, 3, rule.ON_TRACK),
        (_on(PK, 4), _on(PK, 3), _on(PK, 3), 2, 3, rule.BELOW),
        (_on(PK, 4), _on(PK, 3), _on(PK, 4), 2, 3, rule.ON_TRACK),
        # Half way rounds up: place 7 to 8 over 2, after 1 the line is 7.5: 8 is expected.
        (_on(PK, 8), _on(PK, 7), _on(PK, 7), 1, 2, rule.BELOW),
        # An age keeps the line itself: 90 to 91 months over 3, after 1 the line is 90.33.
        (_on(AGE, score="91"), _on(AGE, score="90"), _on(AGE, score="90"), 1, 3, rule.BELOW),
    ],
)
def test_a_standard_or_step_is_read_as_the_place_nearest_the_line(
    target, start, now, elapsed, span, expected
):
    assert rule.judge(target=target, now=now, start=start, elapsed=elapsed, span=span, due=False) == expected


def test_the_database_reads_places_nearest_the_line(db):
    """Four points in 2025 (positions 0 to 3), every value recorded at the first: the line runs
    over 3 points. q0: PK3, target PK4, PK3 again at point 1 (line 3 1/3): on track; at point 2
    (line 3 2/3): below. q1: reading age 90 months, target 91, 90 again at point 1 (line 90 1/3):
    below. The pupil page's rule (`judge`) says the same."""
    school = SchoolFactory()
    scheme_set_up_defaults(school=school, academic_year=2025)
    AssessmentPoint.objects.filter(school=school).delete()
    assessment_points_ensure(
        school=school, academic_year=2025, names=["Autumn 1", "Autumn 2", "Spring", "Summer"]
    )
    at = {p.order: p for p in AssessmentPoint.objects.filter(school=school)}
    m = SimpleNamespace(
        at=at,
        reading=Subject.objects.get(school=school, name="Reading"),
        pk2=frameworks.kit_add(school, "Pre-key stage 2 standards"),
        age=Framework.objects.create(school=school, kind=Framework.Kind.AGE, name="Reading age"),
    )
    m.stages = {s.code: s for s in m.pk2.stages.all()}
    q0, q1 = PupilFactory(school=school, year_group=5), PupilFactory(school=school, year_group=5)
    for order in (1, 2, 3):
        _record(m, q0, order, "PK3")
        _record(m, q1, order, "7y 6m")
    _target(m, q0, "PK4")
    _target(m, q1, "7y 7m")
    timeline = rule.Timeline(list(at.values()))
    targets = rule.end_of_year(Target.objects.all(), 2025)
    for order, expected in ((2, [rule.ON_TRACK, rule.BELOW]), (3, [rule.BELOW, rule.BELOW])):
        for judge in (rule.judged, rule.judged_each):
            rows = {t.pupil_id: t.status for t in judge(targets, at[order], timeline, year=2025)}
            assert [rows[q0.pk], rows[q1.pk]] == expected, (order, judge.__name__)
        start = {p: Assessment.objects.get(pupil=p, point=at[1]) for p in (q0, q1)}
        now = {p: Assessment.objects.get(pupil=p, point=at[order]) for p in (q0, q1)}
        by_page = [
            rule.judge(
                target=Target.objects.get(pupil=p),
                now=now[p],
                start=start[p],
                elapsed=order - 1,
                span=3,
                due=False,
            )
            for p in (q0, q1)
        ]
        assert by_page == expected, order
