import datetime
from decimal import Decimal

import pytest
from django.db.models import Count

from core.roles import Role
from demo.generator import build_demo
from interventions import selectors
from interventions.models import Checkpoint, Intervention, InterventionPlace, InterventionRun, Priority
from schools.models import Membership
from tests.shared_rows import shared_rows

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

TODAY = datetime.date(2026, 11, 23)


@shared_rows
def demo():
    return build_demo(pupils=420, seed=7, today=TODAY)


def test_demo_has_a_costed_catalogue_with_runs_last_year_and_this_autumn(demo):
    school = demo["schools"][0].school
    interventions = Intervention.objects.filter(school=school)
    assert interventions.count() >= 6
    assert not interventions.filter(staff_hourly_rate=0).exists()
    assert not interventions.filter(evidence_url="").exists()
    starts = set(
        InterventionRun.objects.filter(intervention__school=school).values_list(
            "start_date__year", "start_date__month"
        )
    )
    # Autumn, spring and summer of 2025/26, and this autumn.
    assert {(2025, 9), (2026, 1), (2026, 4), (2026, 9)} <= starts
    # No run has more pupils than its intervention's group size (the generator's run is of 6).
    oversize = InterventionRun.objects.annotate(n=Count("places")).filter(n__gt=6)
    assert not oversize.exists()


def test_finished_runs_have_exit_scores_and_current_ones_checkpoints(demo):
    school = demo["schools"][0].school
    finished = InterventionPlace.objects.filter(run__intervention__school=school, run__end_date__lt=TODAY)
    assert finished.exists()
    assert not finished.filter(exit_score__isnull=True).exists()
    assert not finished.filter(baseline__isnull=True).exists()
    running = InterventionPlace.objects.filter(run__intervention__school=school, run__end_date__gte=TODAY)
    assert not running.filter(exit_score__isnull=False).exists()
    assert Checkpoint.objects.filter(place__in=running).exists()
    rows = selectors.intervention_impact(school, 2025)
    assert len(rows) >= 6
    assert all(r.cost > Decimal("0") and r.hours_delivered > 0 for r in rows)
    assert selectors.rank_within_measures(rows).measures
    assert Priority.objects.filter(school=school).exists()


def test_demo_teaching_assistant_still_sees_only_the_six_pupils_of_their_group(demo):
    from pupils.models import Pupil

    ta = Membership.objects.get(user=demo["users"]["ta"], role=Role.TEACHING_ASSISTANT)
    assert Pupil.objects.for_membership(ta).count() == 6
    run = InterventionRun.objects.get(staff=ta.user)
    assert not run.places.filter(baseline__isnull=True).exists()
    assert run.sessions.exists()
