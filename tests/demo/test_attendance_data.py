import datetime
import random

import pytest
from django.db.models import Min

from attendance.models import Attendance, BehaviourCount, Exclusion, Participation
from demo.attendance_data import _attendance, _terms
from demo.generator import DemoBuilder, build_demo
from pupils.models import Pupil

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

TODAY = datetime.date(2026, 11, 23)


def test_terms_are_the_last_three_years_up_to_today():
    # 23/11/2026 is in the autumn of 2026/27: 2024/25 and 2025/26 whole, and that autumn, held
    # up to today: 3 September to 23 November is 82 of the term's 108 days (to 19 December).
    assert _terms(2026, TODAY) == [
        (2024, 1, 1.0),
        (2024, 2, 1.0),
        (2024, 3, 1.0),
        (2025, 1, 1.0),
        (2025, 2, 1.0),
        (2025, 3, 1.0),
        (2026, 1, 82 / 108),
    ]


def test_the_term_under_way_counts_only_the_sessions_held_so_far():
    pupil = Pupil(pk=1)
    record = _attendance(random.Random(1), pupil, 2026, 1, send=False, held=82 / 108)
    # 140 sessions in the whole autumn; 82/108 of them held: 106.3, two a day: 106.
    assert record.possible_sessions == 106
    assert record.attended_sessions + record.authorised_absence + record.unauthorised_absence == 106


def test_every_pupil_has_the_terms_since_joining_and_shares_follow_the_national_picture():
    builder = DemoBuilder(seed=7, today=TODAY)
    demo = build_demo(pupils=420, seed=7, today=TODAY)
    assert builder.year_start == 2026
    main = demo["schools"][0].school
    records = Attendance.objects.for_school(main)
    # A pupil who joined in September 2026 has one term; one who joined in 2025 four; earlier,
    # all seven of the three years shown.
    terms_since = {2026: 1, 2025: 4}
    for pupil in Pupil.objects.filter(school=main).annotate(joined=Min("sen_history__effective_date")):
        expected = terms_since.get(pupil.joined.year, 7)
        assert records.filter(pupil=pupil).count() == expected, pupil
        assert BehaviourCount.objects.filter(pupil=pupil).count() == expected
    assert not records.filter(pupil__year_group=0).exclude(academic_year=2026).exists()
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
