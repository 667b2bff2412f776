import datetime

import pytest

from attendance.models import Attendance, BehaviourCount, Exclusion, Participation
from demo.attendance_data import _terms
from demo.generator import DemoBuilder, build_demo
from pupils.models import Pupil

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

TODAY = datetime.date(2026, 11, 23)


def test_terms_are_the_last_three_years_up_to_today():
    # 23/11/2026 is in the autumn of 2026/27: 2024/25 and 2025/26 whole, and that autumn.
    assert _terms(2026, TODAY) == [
        (2024, 1),
        (2024, 2),
        (2024, 3),
        (2025, 1),
        (2025, 2),
        (2025, 3),
        (2026, 1),
    ]


def test_every_pupil_has_every_term_and_shares_follow_the_national_picture():
    builder = DemoBuilder(seed=7, today=TODAY)
    demo = build_demo(pupils=420, seed=7, today=TODAY)
    assert builder.year_start == 2026
    main = demo["schools"][0].school
    pupils = Pupil.objects.filter(school=main).count()
    records = Attendance.objects.for_school(main)
    assert records.count() == pupils * 7
    assert BehaviourCount.objects.for_school(main).count() == pupils * 7
    send = records.filter(pupil__sen_status__in=["K", "E"])
    other = records.filter(pupil__sen_status="N")
    send_share = send.persistently_absent().count() / send.count()
    other_share = other.persistently_absent().count() / other.count()
    # Drawn at 22% and 10% per term; 77 SEND pupils x 7 terms = 539 draws keeps it near.
    assert 0.17 < send_share < 0.27
    assert 0.07 < other_share < 0.13
    # Suspensions: a few, and more often for SEMH than for pupils without SEND.
    suspended = Exclusion.objects.filter(pupil__school=main)
    assert 5 < suspended.count() < 120
    semh = Pupil.objects.filter(school=main, primary_need="SEMH").exclude(sen_status="N")
    semh_rate = suspended.filter(pupil__in=semh).count() / max(1, semh.count())
    other_rate = (
        suspended.filter(pupil__sen_status="N").count()
        / Pupil.objects.filter(school=main, sen_status="N").count()
    )
    assert semh_rate > other_rate
    assert Participation.objects.filter(pupil__school=main, kind="residential").exists()
    assert Participation.objects.filter(pupil__school=main, date__gt=TODAY).count() == 0
