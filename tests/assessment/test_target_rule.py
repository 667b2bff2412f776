"""The rule of assessment.targets worked by hand: when a target falls due, and the line from the
starting point to the target before then; the database's judgement of a list agrees with it."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from assessment import targets as rule
from assessment.models import AssessmentPoint, AttainmentBand, Subject, Target
from assessment.services import assessment_points_ensure, scheme_set_up_defaults
from tests.factories import PupilFactory, SchoolFactory, assessment_create


def _point(pk, year, order):
    return SimpleNamespace(pk=pk, academic_year=year, order=order)


def test_timeline_places_points_and_years_without_points():
    # 2024: three points (0, 1, 2); 2025: two so far (3, 4), listed out of order.
    points = [
        _point(5, 2025, 2),
        _point(1, 2024, 1),
        _point(2, 2024, 2),
        _point(3, 2024, 3),
        _point(4, 2025, 1),
    ]
    timeline = rule.Timeline(points)
    assert [timeline.position[pk] for pk in (1, 2, 3, 4, 5)] == [0, 1, 2, 3, 4]
    assert (timeline.first(2024), timeline.last(2024)) == (0, 2)
    assert (timeline.first(2025), timeline.last(2025)) == (3, 4)
    # 2027 has no points: two years on from 2025's two points, 5, 6 for 2026 and 7, 8 for 2027.
    assert (timeline.first(2027), timeline.last(2027)) == (7, 8)
    # 2022: two years before 2024's three points: -6, -5, -4.
    assert (timeline.first(2022), timeline.last(2022)) == (-6, -4)


def _band(order):
    return SimpleNamespace(order=order)


def _value(band=None, points=None):
    """A target or an assessment: a band place and/or points."""
    return SimpleNamespace(
        attainment=_band(band) if band else None,
        attainment_id=band,
        points=Decimal(points) if points is not None else None,
    )


@pytest.mark.parametrize(
    ("target", "start", "now", "elapsed", "span", "expected"),
    [
        # Points: from 10 to 16 over 3 points; after 1 the line is at 12.
        (_value(points="16"), _value(points="10"), _value(points="12"), 1, 3, rule.ON_TRACK),  # on the line
        (_value(points="16"), _value(points="10"), _value(points="11.9"), 1, 3, rule.BELOW),
        # 0.1 steps: from 10.1 to 10.4 over 3: after 1 the line is 10.2 exactly.
        (_value(points="10.4"), _value(points="10.1"), _value(points="10.2"), 1, 3, rule.ON_TRACK),
        # At the starting point itself (nothing elapsed): on track whatever the target.
        (_value(points="40"), _value(points="10"), _value(points="10"), 0, 5, rule.ON_TRACK),
        # A target below the start: the line goes down, from 20 to 14 over 2: 17 after 1.
        (_value(points="14"), _value(points="20"), _value(points="17"), 1, 2, rule.ON_TRACK),
        (_value(points="14"), _value(points="20"), _value(points="16.9"), 1, 2, rule.BELOW),
        # Bands: one band up (1 to 2) over 5 points: 1.2, 1.4 round to band 1; 1.6 rounds to 2.
        (_value(band=2), _value(band=1), _value(band=1), 2, 5, rule.ON_TRACK),
        (_value(band=2), _value(band=1), _value(band=1), 3, 5, rule.BELOW),
        (_value(band=2), _value(band=1), _value(band=2), 3, 5, rule.ON_TRACK),
        # Exactly half way (1.5) rounds up to the target band.
        (_value(band=2), _value(band=1), _value(band=1), 1, 2, rule.BELOW),
        # Two bands up (1 to 3) over 4: after 1, 1.5 -> 2; band 1 is below, band 2 on track.
        (_value(band=3), _value(band=1), _value(band=1), 1, 4, rule.BELOW),
        (_value(band=3), _value(band=1), _value(band=2), 1, 4, rule.ON_TRACK),
        # Both parts: on track in points (12 on the line), below in bands: below.
        (
            _value(band=2, points="16"),
            _value(band=1, points="10"),
            _value(band=1, points="12"),
            3,
            5,
            rule.BELOW,
        ),
        # Only the parts all three have are compared: a band-only start for a points target.
        (_value(points="16"), _value(band=1), _value(band=1, points="12"), 1, 3, rule.NONE),
    ],
)
def test_before_the_due_point_against_the_line(target, start, now, elapsed, span, expected):
    assert rule.judge(target=target, now=now, start=start, elapsed=elapsed, span=span, due=False) == expected


def test_at_the_due_point_met_or_missed_and_no_assessment():
    target = _value(band=2, points="16")
    assert rule.judge(target=target, now=_value(band=2, points="16"), due=True) == rule.MET
    assert rule.judge(target=target, now=_value(band=3, points="15.9"), due=True) == rule.MISSED
    assert rule.judge(target=target, now=_value(band=2), due=True) == rule.MET  # points not assessed
    assert rule.judge(target=_value(points="16"), now=_value(band=2), due=True) == rule.NONE
    assert rule.judge(target=target, now=None, due=True) == rule.NONE
    assert rule.judge(target=target, now=_value(band=2), start=None, due=False) == rule.NONE
    words = [rule.WORDS[s] for s in (rule.ON_TRACK, rule.BELOW, rule.MET, rule.MISSED, rule.NONE)]
    assert words == ["on track", "below the trajectory", "target met", "target missed", "no assessment yet"]


@pytest.mark.django_db
def test_the_database_judges_a_list_as_the_rule_does():
    """Six half terms (places 0 to 5) in 2025; pupils assessed in Reading with an end-of-year
    target, judged at Spring 2 (place 3): 3 of 5 along from an Autumn 1 start.

    p0: 10 -> 13 at Sp2, target 15: line 10 + 5 x 3/5 = 13: on track (on the line)
    p1: 10 -> 12.9, target 15: below the trajectory
    p2: first assessed at Autumn 2 (place 1), 10 -> 12 at Sp2, target 15: 2 of 4 along,
        10 + 5 x 2/4 = 12.5: below
    p3: band B (1) -> B, target OT (2): line 1.6 -> OT: below; p4: OT -> OT, target OT: on track
    p5: no assessment at Sp2: no assessment yet
    At Summer 2 (place 5), due: p0 15 -> met; p1 14.9 -> missed."""
    school = SchoolFactory()
    scheme_set_up_defaults(school=school, academic_year=2025)
    AssessmentPoint.objects.filter(school=school).delete()
    names = ["Autumn 1", "Autumn 2", "Spring 1", "Spring 2", "Summer 1", "Summer 2"]
    assessment_points_ensure(school=school, academic_year=2025, names=names)
    points = list(AssessmentPoint.objects.filter(school=school))
    at = {p.order: p for p in points}
    reading = Subject.objects.get(school=school, name="Reading")
    b, ot = (AttainmentBand.objects.get(school=school, code=c) for c in ("B", "OT"))
    pupils = [PupilFactory(school=school) for _ in range(6)]
    cells = [
        (0, 1, None, "10"), (0, 4, None, "13"), (0, 6, None, "15"),
        (1, 1, None, "10"), (1, 4, None, "12.9"), (1, 6, None, "14.9"),
        (2, 2, None, "10"), (2, 4, None, "12"),
        (3, 1, b, None), (3, 4, b, None),
        (4, 1, ot, None), (4, 4, ot, None),
        (5, 1, ot, None),
    ]  # fmt: skip
    for i, order, band, value in cells:
        assessment_create(
            pupil=pupils[i],
            point=at[order],
            subject=reading,
            attainment=band,
            points=value and Decimal(value),
        )
    for i, band, value in [
        (0, None, "15"),
        (1, None, "15"),
        (2, None, "15"),
        (3, ot, None),
        (4, ot, None),
        (5, ot, None),
    ]:
        Target.objects.create(
            pupil=pupils[i], subject=reading, kind=Target.Kind.END_OF_YEAR, academic_year=2025,
            attainment=band, points=value and Decimal(value),
        )  # fmt: skip
    timeline = rule.Timeline(points)

    def statuses(point):
        """The statuses by `judged` (the database decides: lists that are counted), checked
        against `judged_each` (the rule in Python on fetched values: the grid)."""
        targets = rule.end_of_year(Target.objects.all(), 2025)
        found = [
            {pupils.index(t.pupil): t.status for t in judge(targets, point, timeline, year=2025)}
            for judge in (rule.judged, rule.judged_each)
        ]
        assert found[0] == found[1]
        return found[0]

    assert statuses(at[4]) == {
        0: rule.ON_TRACK,
        1: rule.BELOW,
        2: rule.BELOW,
        3: rule.BELOW,
        4: rule.ON_TRACK,
        5: rule.NONE,
    }
    summer = statuses(at[6])
    assert (summer[0], summer[1], summer[2]) == (rule.MET, rule.MISSED, rule.NONE)
