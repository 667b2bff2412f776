import datetime

import pytest
from django.core.exceptions import ValidationError

from core.roles import Role
from plans import selectors, services
from plans.models import EhcpOutcomeProgress, PlanTarget, SupportPlan
from plans.services import OutcomeInput, ScoreInput, TargetInput
from pupils.models import SenStatus
from tests.factories import (
    EhcPlanFactory,
    EhcpOutcomeFactory,
    InterventionFactory,
    MembershipFactory,
    PupilFactory,
    SupportPlanFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def first_plan(pupil, user, n_targets=3):
    return services.support_plan_create(
        pupil=pupil,
        by=user,
        starts_on=D(2024, 9, 10),
        review_date=D(2024, 12, 10),
        strengths="Loves stories",
        needs="Decoding",
        pupil_voice="I want to read to my sister",
        parent_voice="More reading at home",
        strategies="Pre-teach vocabulary",
        targets=[TargetInput(outcome=f"Outcome {i}", target=f"Target {i}") for i in range(n_targets)],
    )


def review(plan, user, scores, on, next_on):
    targets = list(plan.targets.order_by("order"))
    return services.support_plan_review(
        plan=plan,
        by=user,
        reviewed_on=on,
        next_review_date=next_on,
        summary="Good progress",
        scores={t.pk: ScoreInput(s, f"comment {s}") for t, s in zip(targets, scores, strict=True)},
    )


@pytest.fixture
def senco():
    return MembershipFactory(role=Role.SENCO)


@pytest.fixture
def pupil(senco):
    return PupilFactory(school=senco.school, sen_status=SenStatus.SEN_SUPPORT)


def test_review_scores_marks_reviewed_and_starts_a_copy(senco, pupil):
    plan1 = first_plan(pupil, senco.user)
    plan2 = review(plan1, senco.user, [2, 0, -1], D(2024, 12, 9), D(2025, 3, 20))
    plan1.refresh_from_db()
    assert plan1.status == SupportPlan.Status.REVIEWED and plan1.reviewed_on == D(2024, 12, 9)
    assert [t.score for t in plan1.targets.order_by("order")] == [2, 0, -1]
    assert (plan2.number, plan2.previous, plan2.status) == (2, plan1, SupportPlan.Status.OPEN)
    assert (plan2.starts_on, plan2.review_date) == (D(2024, 12, 9), D(2025, 3, 20))
    assert plan2.needs == "Decoding" and plan2.parent_voice == "More reading at home"
    # The copy has the same targets, unscored, as rows of its own.
    copied = list(plan2.targets.order_by("order").values_list("target", "score"))
    assert copied == [("Target 0", None), ("Target 1", None), ("Target 2", None)]
    assert PlanTarget.objects.count() == 6


def test_a_reviewed_plan_is_never_changed(senco, pupil):
    plan1 = first_plan(pupil, senco.user)
    review(plan1, senco.user, [1, 1, 1], D(2024, 12, 9), D(2025, 3, 20))
    before = list(PlanTarget.objects.filter(plan=plan1).values())
    with pytest.raises(ValidationError, match="never changed"):
        services.support_plan_update(plan=plan1, by=senco.user, needs="Rewritten")
    with pytest.raises(ValidationError, match="never changed"):
        review(plan1, senco.user, [-2, -2, -2], D(2025, 1, 9), D(2025, 3, 20))
    with pytest.raises(ValidationError, match="never changed"):
        services.support_plan_update(
            plan=plan1, by=senco.user, targets=[TargetInput(outcome="x", target="y")]
        )
    plan1.refresh_from_db()
    assert plan1.needs == "Decoding"
    assert list(PlanTarget.objects.filter(plan=plan1).values()) == before
    assert SupportPlan.objects.filter(pupil=pupil).count() == 2  # no third plan from the refused review


def test_a_stale_copy_of_a_plan_cannot_slip_past_the_check(senco, pupil):
    """The service re-reads the plan's status under a lock rather than trusting the object."""
    plan1 = first_plan(pupil, senco.user)
    stale = SupportPlan.objects.get(pk=plan1.pk)
    review(plan1, senco.user, [0, 0, 0], D(2024, 12, 9), D(2025, 3, 20))
    assert stale.status == SupportPlan.Status.OPEN
    with pytest.raises(ValidationError):
        services.support_plan_update(plan=stale, by=senco.user, needs="Late edit")


def test_review_needs_every_target_scored_and_sensible_dates(senco, pupil):
    plan = first_plan(pupil, senco.user, n_targets=2)
    target = plan.targets.first()
    with pytest.raises(ValidationError, match="Score every target"):
        services.support_plan_review(
            plan=plan,
            by=senco.user,
            reviewed_on=D(2024, 12, 9),
            next_review_date=D(2025, 3, 1),
            scores={target.pk: ScoreInput(1)},
        )
    with pytest.raises(ValidationError):
        review(plan, senco.user, [0, 0], D(2024, 9, 1), D(2025, 3, 1))  # before the plan started
    with pytest.raises(ValidationError):
        review(plan, senco.user, [0, 0], D(2024, 12, 9), D(2024, 12, 1))  # next review before this one
    plan.refresh_from_db()
    assert plan.status == SupportPlan.Status.OPEN


def test_only_the_first_plan_is_created_directly(senco, pupil):
    first_plan(pupil, senco.user)
    with pytest.raises(ValidationError, match="already has"):
        first_plan(pupil, senco.user)


def test_intervention_must_belong_to_the_pupils_school(senco, pupil):
    stranger = InterventionFactory()
    with pytest.raises(ValidationError):
        services.support_plan_create(
            pupil=pupil,
            by=senco.user,
            starts_on=D(2024, 9, 1),
            review_date=D(2024, 12, 1),
            targets=[TargetInput(outcome="o", target="t", intervention=stranger)],
        )
    assert not SupportPlan.objects.exists()


def test_target_scoring_figures_and_history_span(senco, pupil):
    plan1 = first_plan(pupil, senco.user)
    plan2 = review(plan1, senco.user, [2, 0, -1], D(2024, 12, 9), D(2025, 3, 20))
    plan3 = review(plan2, senco.user, [1, 1, -2], D(2025, 3, 19), D(2025, 7, 10))
    plan4 = review(plan3, senco.user, [2, 2, 1], D(2025, 7, 9), D(2025, 12, 10))
    services.support_plan_update(plan=plan4, by=senco.user, needs="Now fluency")
    plan4.refresh_from_db()
    history = selectors.plan_history(pupil)
    figures = [(p.number, p.target_count, p.scored_count, p.met_count, p.mean_score) for p in history.plans]
    # Plan 1: (2 + 0 - 1) / 3 = 0.333; met = scores >= 0 -> 2 of 3.
    # Plan 2: (1 + 1 - 2) / 3 = 0.0; met 2 of 3.  Plan 3: (2 + 2 + 1) / 3 = 1.667; met 3 of 3.
    # Plan 4 is open: 3 targets, none scored, no mean.
    assert [f[:4] for f in figures] == [(1, 3, 3, 2), (2, 3, 3, 2), (3, 3, 3, 3), (4, 3, 0, 0)]
    assert [round(f[4], 3) if f[4] is not None else None for f in figures] == [0.333, 0.0, 1.667, None]
    # Plan 1 started 10/09/2024; plan 4 is open and started 09/07/2025: 9 whole months.
    assert history.summary == "Plan 1 to plan 4 over 9 months."
    assert plan4.needs == "Now fluency"


def test_passport_needs_something_written(senco, pupil):
    with pytest.raises(ValidationError):
        services.passport_save(pupil=pupil, by=senco.user, helps_me="  ")
    passport = services.passport_save(pupil=pupil, by=senco.user, helps_me="A quiet corner")
    again = services.passport_save(pupil=pupil, by=senco.user, helps_me="Movement breaks")
    assert passport.pk == again.pk and again.helps_me == "Movement breaks"


def test_ehc_plan_due_dates_follow_the_plan_and_each_review(senco):
    pupil = PupilFactory(school=senco.school, sen_status=SenStatus.EHCP)
    plan = services.ehc_plan_create(
        pupil=pupil,
        by=senco.user,
        plan_date=D(2024, 1, 15),
        outcomes=[OutcomeInput("Uses a communication book"), OutcomeInput("Walks to the hall with a peer")],
    )
    assert plan.next_review_due == D(2025, 1, 15)
    outcomes = list(plan.outcomes.order_by("order"))
    with pytest.raises(ValidationError, match="every outcome"):
        services.ehcp_review_record(
            plan=plan,
            by=senco.user,
            meeting_date=D(2025, 1, 10),
            attendees="Mum; SENCO",
            pupil_views="Likes the hall",
            family_views="Happy",
            progress={outcomes[0].pk: "Uses it daily"},
        )
    review = services.ehcp_review_record(
        plan=plan,
        by=senco.user,
        meeting_date=D(2025, 1, 10),
        attendees="Mum; SENCO; SALT",
        pupil_views="Likes the hall",
        family_views="Happy",
        progress={outcomes[0].pk: "Uses it daily", outcomes[1].pk: "With an adult nearby"},
    )
    plan.refresh_from_db()
    assert plan.next_review_due == D(2026, 1, 10)  # twelve months after the meeting
    assert EhcpOutcomeProgress.objects.filter(review=review).count() == 2
    # Changing the plan date keeps the later of plan date and last review as the base.
    services.ehc_plan_update(plan=plan, by=senco.user, plan_date=D(2024, 2, 1))
    plan.refresh_from_db()
    assert plan.next_review_due == D(2026, 1, 10)
    # An outcome a review reported on cannot be removed.
    with pytest.raises(ValidationError, match="kept"):
        services.ehc_plan_update(
            plan=plan,
            by=senco.user,
            plan_date=D(2024, 2, 1),
            outcomes=[OutcomeInput("", pk=outcomes[0].pk, remove=True)],
        )


def test_ehc_plan_needs_status_e(senco, pupil):
    with pytest.raises(ValidationError, match="status E"):
        services.ehc_plan_create(pupil=pupil, by=senco.user, plan_date=D(2024, 1, 15))


def test_review_overview_sorts_plans_by_state_with_fixed_dates(senco):
    today = D(2026, 11, 23)
    school = senco.school
    overdue = EhcPlanFactory(pupil__school=school, plan_date=D(2025, 11, 1))  # due 01/11/2026
    due_soon = EhcPlanFactory(
        pupil__school=school, plan_date=D(2026, 1, 15)
    )  # due 15/01/2027, reminded 20/11
    later = EhcPlanFactory(pupil__school=school, plan_date=D(2026, 3, 1))  # due 01/03/2027
    reviewed = EhcPlanFactory(pupil__school=school, plan_date=D(2024, 12, 1))
    outcome = EhcpOutcomeFactory(plan=reviewed)
    # A review held 10/12/2025 moves its plan to 10/12/2026: due soon too (from 15/10/2026).
    services.ehcp_review_record(
        plan=reviewed,
        by=senco.user,
        meeting_date=D(2025, 12, 10),
        attendees="a",
        pupil_views="b",
        family_views="c",
        progress={outcome.pk: "d"},
    )
    PupilFactory(school=school, sen_status=SenStatus.EHCP)  # status E, no plan recorded
    EhcPlanFactory(plan_date=D(2025, 1, 1))  # another school's: never counted
    plan = SupportPlanFactory(pupil__school=school, review_date=D(2026, 11, 30))  # due within 14 days
    SupportPlanFactory(pupil__school=school, review_date=D(2026, 10, 1))  # past its review date
    PupilFactory(school=school, sen_status=SenStatus.SEN_SUPPORT)  # on SEN support, no plan
    o = selectors.review_overview(senco, today)
    assert o.counts == {"plans": 4, "overdue": 1, "due_soon": 2, "not_yet_due": 1, "done": 1}
    assert o.overdue == [overdue]
    assert o.due_soon == [reviewed, due_soon]  # by due date: 10/12/2026, 15/01/2027
    assert later not in o.overdue + o.due_soon
    assert len(o.ehcp_without_plan) == 1
    assert o.support_due_soon == [plan] and len(o.support_overdue) == 1
    # Only the pupil with status K and no plan counts (the factories' plan pupils have status N).
    assert o.support_without_plan == 1
