"""D against end-of-year targets, and E worked by hand over several terms (a pupil with more
than one term counts once; exactly 90% is not persistent absence; the link to attainment)."""

from decimal import Decimal

import pytest

from attendance.models import Attendance
from core.calendar import academic_year_label
from core.roles import Role
from gaps.individual_pupils import _behind_reason
from tests.gaps.builders import THIS_YEAR, assess, targets
from tests.gaps.test_figures import page

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_targets(cohort):
    """Reading (from the cohort): Autumn send[:5] OT 10 points, send[5:] B 8; Spring send[:6] OT
    12, send[6:8] EX 13, send[8:] B 8. Maths, added here: send[7] OT 10 at Autumn, B 9 at Spring.

    Points: last year's Autumn, Spring, Summer at places 0, 1, 2; this year's at 3, 4, 5. The
    end-of-year targets fall due at this year's Summer (5). Nothing was assessed last year, so
    each starting point is Autumn (3): at Spring the line is 1 of 2 points along, half way.
    Bands B, OT, EX are places 1, 2, 3; half way rounds up to the target band.

    End-of-year targets, judged at Spring (at Autumn, the starting point, all are on track):
      Reading send[0], send[1]: EX   start OT: line 2.5 -> EX; now OT: below the trajectory
      Reading send[2]: 12.5 points   start 10: line 11.25; now 12.0: on track
      Reading send[3]: OT and 12.0   band line OT, points line 11.0; now OT 12.0: on track
      Reading send[6]: EX            start B: line 2 -> OT; now EX: on track
      Reading send[8]: OT            start B: line 1.5 -> OT; now B: below the trajectory
      Reading send[9]: 8.0 points    start 8: line 8.0; now 8.0: on track
      Reading others[0]: EX          not in the group
      Maths send[7]: OT              start OT: line OT; now B: below the trajectory
      Maths send[10]: OT             no Maths assessment: not yet assessed
    """
    scheme, send, others = cohort["scheme"], cohort["send"], cohort["others"]
    assess(scheme, [send[7]], scheme.point("Autumn"), "Maths", "OT", points="10")
    assess(scheme, [send[7]], scheme.point("Spring"), "Maths", "B", points="9")
    targets(scheme, send[0:2], "Reading", "EX")
    targets(scheme, [send[2]], "Reading", points="12.5")
    targets(scheme, [send[3]], "Reading", "OT", points="12.0")
    targets(scheme, [send[6]], "Reading", "EX")
    targets(scheme, [send[8]], "Reading", "OT")
    targets(scheme, [send[9]], "Reading", points="8.0")
    targets(scheme, [others[0]], "Reading", "EX")
    targets(scheme, [send[7], send[10]], "Maths", "OT")
    return cohort


def test_d_pupils_against_the_trajectory_to_their_end_of_year_targets(client, with_targets):
    group = with_targets
    spring = group["scheme"].point("Spring")
    send = group["send"]
    response = page(client, group[Role.SENCO], "gaps:pupils", f"?point={spring.pk}&group=send")
    report = response.context["report"]
    assert report.targets_due is False
    reading, maths = report.targets
    # Reading: on track send[2], send[3], send[6], send[9] = 4; below send[0], send[1], send[8] = 3.
    # 4 of 7 = 57.14% -> 57%.
    assert reading.subject.name == "Reading"
    assert (str(reading.on_target), str(reading.below), str(reading.not_assessed)) == ("57% (4/7)", "3", "0")
    assert (reading.on_words, reading.below_words) == ("on track", "below the trajectory")
    # Maths: send[7] below; send[10]'s target has nothing to compare yet. 0 of 1 on track.
    assert maths.subject.name == "Maths"
    assert (str(maths.on_target), str(maths.below), str(maths.not_assessed)) == ("0% (0/1)", "1", "1")
    # The watch list: send[0], send[1], send[8] (Reading) and send[7] (Maths) are below the line
    # at Spring, but Autumn was their starting point (on track by definition), so none is listed
    # as falling behind; nothing stalled (nothing two points back).
    assert report.watch == []
    # Each pupil's track carries the target per core subject (Reading first) and its status.
    tracks = {t.pupil.pk: t for t in report.tracks}
    assert [(t.subject.name, t.target, t.words) for t in tracks[send[3].pk].targets if t] == [
        ("Reading", "OT / 12.0", "on track")
    ]
    assert tracks[send[0].pk].targets[0].words == "below the trajectory"
    assert [t.words for t in tracks[send[10].pk].targets if t] == ["no assessment yet"]
    text = response.content.decode()
    assert "Are pupils on track to meet their end-of-year targets?" in text
    assert '<th scope="col" class="text-end">Below the trajectory</th>' in text
    assert "below the trajectory</span>" in text
    assert "target met" not in text and "target missed" not in text


def test_d_targets_met_or_missed_at_the_last_point_of_the_year(client, with_targets):
    """At Summer, the year's last point, the targets fall due. Reading at Summer: send[:8] OT 14,
    send[8:] B 8. Met: send[2] (14 >= 12.5), send[3] (OT, 14 >= 12), send[9] (8 >= 8) = 3;
    missed: send[0], send[1], send[6] (OT, target EX), send[8] (B, target OT) = 4: 3 of 7 = 42.86%
    -> 43%. Maths: send[7] and send[10] have no Summer assessment: 2 not yet assessed."""
    group = with_targets
    scheme, send = group["scheme"], group["send"]
    summer = scheme.point("Summer")
    assess(scheme, send[8:], summer, "Reading", "B", points="8")
    assess(scheme, send[:8], summer, "Reading", "OT", points="14")
    response = page(client, group[Role.SENCO], "gaps:pupils", f"?point={summer.pk}&group=send")
    report = response.context["report"]
    assert report.targets_due is True
    reading, maths = report.targets
    assert (str(reading.on_target), str(reading.below), str(reading.not_assessed)) == ("43% (3/7)", "4", "0")
    assert (reading.on_words, reading.below_words) == ("target met", "target missed")
    assert (str(maths.on_target), str(maths.below), str(maths.not_assessed)) == ("none (0/0)", "0", "2")
    tracks = {t.pupil.pk: t for t in report.tracks}
    assert tracks[send[2].pk].targets[0].words == "target met"
    assert tracks[send[8].pk].targets[0].words == "target missed"
    text = response.content.decode()
    assert "Did pupils meet their end-of-year targets?" in text
    assert '<th scope="col" class="text-end">Target missed</th>' in text
    assert "on track</span>" not in text and "below the trajectory</span>" not in text
    at = f"Summer {academic_year_label(THIS_YEAR)}"
    assert response.context["finding"]["draft"].startswith(
        f"All SEND (SEN support and EHCP) who met their end-of-year targets at {at}: Reading 43% (3/7)."
    )


def test_d_stalled_and_fell_behind_both_listed(client, with_targets):
    """At Summer (previous point Spring), send[8:] stay on 8 points since Autumn: stalled.
    send[:8] are OT on 14 points: send[6] (target EX) was on track at Spring (EX) and missed its
    target now: fell behind; send[0] and send[1] (EX) were below the trajectory at Spring
    already, so they are not listed; send[8] (OT) is behind at both points: stalled only."""
    group = with_targets
    scheme, send = group["scheme"], group["send"]
    summer = scheme.point("Summer")
    assess(scheme, send[8:], summer, "Reading", "B", points="8")
    assess(scheme, send[:8], summer, "Reading", "OT", points="14")
    report = page(client, group[Role.SENCO], "gaps:pupils", f"?point={summer.pk}").context["report"]
    kinds = sorted((w["pupil_id"], w["kind"]) for w in report.watch)
    assert kinds == sorted([(send[6].pk, "target")] + [(p.pk, "stalled") for p in send[8:]])
    behind = [w for w in report.watch if w["kind"] == "target"][0]
    spring = f"Spring {academic_year_label(THIS_YEAR)}"
    assert behind["reason"] == (
        f"Missed the end-of-year target at Summer {academic_year_label(THIS_YEAR)} "
        f"(on track at {spring}): now OT 14.0, target EX."
    )
    stalled = [w for w in report.watch if w["kind"] == "stalled"][0]
    assert (
        stalled["reason"]
        == f"No gain in points since Autumn {academic_year_label(THIS_YEAR)}: 8.0 then, 8.0 now."
    )


def test_d_governor_gets_suppressed_target_figures_and_no_names(client, with_targets):
    group = with_targets
    spring = group["scheme"].point("Spring")
    response = page(client, group[Role.GOVERNOR], "gaps:pupils", f"?point={spring.pk}")
    report = response.context["report"]
    assert report.watch is None and report.tracks is None
    # 4 on track and 3 below the trajectory are both under the threshold of 5.
    assert (str(report.targets[0].on_target), str(report.targets[0].below)) == (
        "c",
        "c",
    )
    text = response.content.decode()
    for pupil in group["send"]:
        assert pupil.legal_surname not in text


def test_e_several_terms_count_each_pupil_once(client, cohort):
    """send[0]: 90/100 + 72/80 = 162/180, exactly 90%: not persistently absent (90 to 95 band).
    send[1]: 89/100 + 72/80 = 161/180 = 89.4%: persistently absent.
    send[2:]: 95/100 (9 pupils, 95 or more). Others: 99/100 + 80/80 = 179/180 (9 pupils).

    SEND: (162 + 161 + 9 x 95) / (180 + 180 + 900) = 1178/1260 = 93.49% -> 93%; PA 1/11 = 9%.
    Everyone else: 9 x 179 / 9 x 180 = 1611/1620 = 99.4% -> 99%; PA 0/9.
    Whole school: 2789/2880 = 96.8% -> 97%; PA 1/20 = 5%.
    SEN support (send[:8], SPLD): (162 + 161 + 6 x 95) / (360 + 600) = 893/960 = 93.0% -> 93%;
    PA 1/8 = 12.5% -> 13% (half up).
    """
    send, others = cohort["send"], cohort["others"]
    rows = [(send[0], 1, 100, 90), (send[0], 2, 80, 72), (send[1], 1, 100, 89), (send[1], 2, 80, 72)]
    rows += [(p, 1, 100, 95) for p in send[2:]]
    rows += [
        (p, term, possible, possible - (1 if term == 1 else 0))
        for p in others
        for term, possible in ((1, 100), (2, 80))
    ]
    Attendance.objects.bulk_create(
        Attendance(
            pupil=p, academic_year=THIS_YEAR, term=term, possible_sessions=possible, attended_sessions=att
        )
        for p, term, possible, att in rows
    )
    spring = cohort["scheme"].point("Spring")
    report = page(client, cohort[Role.SENCO], "gaps:attendance", f"?point={spring.pk}").context["report"]
    focus, rest, school = report.by_group
    assert [str(x) for x in (focus.pupils, focus.rate, focus.persistent)] == [
        "11",
        "93% (1178/1260)",
        "9% (1/11)",
    ]
    assert [str(x) for x in (rest.pupils, rest.rate, rest.persistent)] == ["9", "99% (1611/1620)", "0% (0/9)"]
    assert [str(x) for x in (school.pupils, school.rate, school.persistent)] == [
        "20",
        "97% (2789/2880)",
        "5% (1/20)",
    ]
    support = [r for r in report.by_status if r.label == "SEN support"][0]
    assert (str(support.rate), str(support.persistent)) == ("93% (893/960)", "13% (1/8)")
    spld = [r for r in report.by_need if r.label.startswith("SPLD")][0]
    assert str(spld.pupils) == "8"
    # Link to attainment at Spring (Reading): 95% or more: send[2:] -> send[2:6] OT and send[6:8]
    # EX at or above ARE, send[8:] below: 6 of 9 = 67%; the others 9 of 9. 90 to 95: send[0] OT
    # (1 of 1); under 90: send[1] OT (1 of 1); no one else in either band.
    assert [(str(r.focus), str(r.rest)) for r in report.link] == [
        ("67% (6/9)", "100% (9/9)"),
        ("100% (1/1)", "none (0/0)"),
        ("100% (1/1)", "none (0/0)"),
    ]


def test_d_finding_is_drafted_from_the_targets(client, with_targets):
    group = with_targets
    spring = group["scheme"].point("Spring")
    response = page(client, group[Role.SENCO], "gaps:pupils", f"?point={spring.pk}")
    # Reading 4 of 7 on track, Maths 0 of 1 (see with_targets); no one on the watch list (see
    # above); no intervention places.
    at = f"Spring {academic_year_label(THIS_YEAR)}"
    assert response.context["finding"]["draft"] == (
        f"All SEND (SEN support and EHCP) on track for their end-of-year targets at {at} "
        "(against the line from their starting point to the target): "
        "Reading 57% (4/7); Maths 0% (0/1)."
    )


def test_d_reason_for_falling_below_the_trajectory():
    row = {
        "status": "below",
        "now__attainment__code": "B",
        "now__points": Decimal("9.0"),
        "attainment__code": "OT",
        "points": None,
    }
    assert _behind_reason(row, "Spring 1 2025/26", "Autumn 2 2025/26") == (
        "Fell below the trajectory to the end-of-year target at Spring 1 2025/26 "
        "(on track at Autumn 2 2025/26): now B 9.0, target OT."
    )
