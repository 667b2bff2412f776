"""The Pupil Support Scale's change in steps (assessment.support), worked by hand: this year
and since the first observation, for one pupil; moved up / held / moved down for a school."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import SupportObservation
from assessment.support import support_change, support_movement
from core.calendar import academic_year_of
from core.roles import Role
from tests.factories import MembershipFactory, PupilFactory, SchoolFactory

D = datetime.date


def _observations(*rows):
    return [SimpleNamespace(pk=i, observed_on=day, level=level) for i, (day, level) in enumerate(rows)]


# 2024/25: Correcting (1) on 12/09/2024, Modelling (2) on 10/03/2025.
EARLIER = [(D(2024, 9, 12), 1), (D(2025, 3, 10), 2)]


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        # 2025/26: Modelling (2) to Prompting (4): up 2; since Correcting (1): up 3.
        (
            [*EARLIER, (D(2025, 9, 15), 2), (D(2026, 1, 20), 3), (D(2026, 5, 1), 4)],
            "Up 2 steps this year (Modelling to Prompting); "
            "up 3 steps since the first observation (Correcting, 12/09/2024)",
        ),
        # Prompting (4) to Cueing (3): down 1; since Correcting: up 2.
        (
            [*EARLIER, (D(2025, 9, 15), 4), (D(2026, 2, 1), 3)],
            "Down 1 step this year (Prompting to Cueing); "
            "up 2 steps since the first observation (Correcting, 12/09/2024)",
        ),
        # Cueing, up to Prompting and back to Cueing: held at Cueing (first against latest).
        (
            [*EARLIER, (D(2025, 9, 15), 3), (D(2025, 11, 1), 4), (D(2026, 2, 1), 3)],
            "Held at Cueing this year; up 2 steps since the first observation (Correcting, 12/09/2024)",
        ),
        # One observation this year: no change to state for the year.
        (
            [*EARLIER, (D(2025, 10, 1), 2)],
            "One observation this year (Modelling), no change to state yet; "
            "up 1 step since the first observation (Correcting, 12/09/2024)",
        ),
        # None this year: the change since the first is to the latest, last year's Modelling.
        (EARLIER, "No observation this year; up 1 step since the first observation (Correcting, 12/09/2024)"),
        # Observed once, this year.
        (
            [(D(2025, 9, 15), 4)],
            "One observation this year (Prompting), no change to state yet; "
            "first observed at Prompting on 15/09/2025",
        ),
        # Back where they started.
        (
            [(D(2024, 9, 12), 3), (D(2025, 9, 15), 3), (D(2026, 6, 1), 3)],
            "Held at Cueing this year; no change since the first observation (Cueing, 12/09/2024)",
        ),
        # Down since the first observation.
        (
            [(D(2024, 9, 12), 5), (D(2025, 9, 15), 4), (D(2026, 6, 1), 6)],
            "Up 2 steps this year (Prompting to Independence); "
            "up 1 step since the first observation (Self-scaffolding, 12/09/2024)",
        ),
        (
            [(D(2024, 9, 12), 6), (D(2025, 9, 15), 5), (D(2026, 6, 1), 4)],
            "Down 1 step this year (Self-scaffolding to Prompting); "
            "down 2 steps since the first observation (Independence, 12/09/2024)",
        ),
    ],
)
def test_change_this_year_and_since_the_first_observation(rows, words):
    change = support_change(_observations(*rows), 2025)
    assert change.words == words


def test_steps_and_no_observations():
    change = support_change(_observations(*EARLIER, (D(2025, 9, 15), 2), (D(2026, 5, 1), 4)), 2025)
    assert (change.steps_this_year, change.steps_since_first) == (2, 3)
    once = support_change(_observations((D(2025, 9, 15), 2)), 2025)
    assert (once.steps_this_year, once.steps_since_first) == (None, None)
    assert support_change([], 2025) is None


@pytest.mark.django_db
def test_pupil_page_states_the_change(client):
    year = academic_year_of(timezone.localdate())
    school = SchoolFactory()
    senco = MembershipFactory(school=school, role=Role.SENCO)
    pupil = PupilFactory(school=school, sen_status="K")
    for day, level in ((D(year - 1, 9, 12), 1), (D(year, 9, 15), 2), (D(year, 10, 20), 4)):
        SupportObservation.objects.create(
            pupil=pupil, observed_on=day, level=level, context="Playtime", observer=senco.user
        )
    client.force_login(senco.user)
    page = client.get(reverse("pupils:detail", kwargs={"pk": pupil.pk})).content.decode()
    assert (
        '<p class="mb-2" id="support-change">Up 2 steps this year (Modelling to Prompting); '
        f"up 3 steps since the first observation (Correcting, 12/09/{year - 1}).</p>"
    ) in page


@pytest.mark.django_db
def test_school_counts_moved_up_held_and_down():
    """2025/26. A: 2 -> 4 up; B: 3 -> 4 -> 3 held; C: 4 -> 2 down; F: 2 -> 5 up. D is observed
    once this year and E once this year (once last year): neither counts. Another school's G
    does not count. 4 pupils: up 2, held 1, down 1."""
    school, other = SchoolFactory(), SchoolFactory()
    observer = MembershipFactory(school=school, role=Role.SENCO).user
    plan = {
        "A": [(D(2025, 9, 10), 2), (D(2026, 3, 1), 4)],
        "B": [(D(2025, 9, 10), 3), (D(2025, 12, 1), 4), (D(2026, 7, 1), 3)],
        "C": [(D(2025, 9, 10), 4), (D(2026, 3, 1), 2)],
        "D": [(D(2025, 9, 10), 1)],
        "E": [(D(2025, 5, 1), 1), (D(2025, 9, 10), 2)],
        "F": [(D(2025, 10, 10), 2), (D(2026, 8, 31), 5)],
    }
    for rows in plan.values():
        pupil = PupilFactory(school=school)
        for day, level in rows:
            SupportObservation.objects.create(
                pupil=pupil, observed_on=day, level=level, context="Class", observer=observer
            )
    stranger = PupilFactory(school=other)
    for day, level in ((D(2025, 9, 10), 1), (D(2026, 3, 1), 6)):
        SupportObservation.objects.create(
            pupil=stranger, observed_on=day, level=level, context="Class", observer=observer
        )
    moved = support_movement(school.pk, 2025)
    assert (moved.pupils, moved.up, moved.held, moved.down) == (4, 2, 1, 1)
