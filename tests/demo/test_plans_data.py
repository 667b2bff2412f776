import datetime

import pytest
from django.db.models import Count

from demo.generator import build_demo
from demo.plans_data import add_plans
from plans.models import EhcPlan, PlanTarget, PupilPassport, ReviewState, SupportPlan, annual_review_due
from pupils.models import Pupil, SenStatus

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def demo(monkeypatch):
    # Only this app's demo data, over the generator's schools and users.
    monkeypatch.setattr("demo.generator.extensions", lambda: [add_plans])
    return build_demo(pupils=420, seed=7, today=TODAY)


def test_support_plans_have_versions_and_one_open_plan_each(demo):
    school = demo["schools"][0].school
    sen_support = Pupil.objects.filter(school=school, sen_status=SenStatus.SEN_SUPPORT)
    plans = SupportPlan.objects.filter(pupil__school=school)
    # Every pupil on SEN support has exactly one open plan; nobody else has a plan.
    assert plans.filter(status="open").count() == sen_support.count() == 57
    assert set(plans.values_list("pupil__sen_status", flat=True)) == {"K"}
    versions = dict(plans.values("pupil").annotate(n=Count("pk")).values_list("pupil", "n"))
    assert max(versions.values()) >= 4 and sum(n > 1 for n in versions.values()) >= 10
    # Plans chain: plan n+1 starts the day plan n was reviewed, and points at it.
    for plan in plans.filter(number__gt=1).select_related("previous")[:50]:
        assert plan.previous.number == plan.number - 1 and plan.previous.pupil_id == plan.pupil_id
        assert plan.previous.reviewed_on == plan.starts_on and plan.previous.status == "reviewed"
    # Reviewed plans have every target scored; open plans none.
    assert not PlanTarget.objects.filter(plan__status="reviewed", score__isnull=True).exists()
    assert not PlanTarget.objects.filter(plan__status="open", score__isnull=False).exists()


def test_passports_and_ehc_plans_with_reviews_due_and_overdue(demo):
    school = demo["schools"][0].school
    on_record = Pupil.objects.filter(school=school).on_sen_record().count()
    assert 0.7 * on_record < PupilPassport.objects.filter(pupil__school=school).count() <= on_record
    plans = list(EhcPlan.objects.filter(pupil__school=school).prefetch_related("reviews"))
    assert len(plans) == Pupil.objects.filter(school=school, sen_status=SenStatus.EHCP).count() == 20
    states = [plan.review_state(TODAY) for plan in plans]
    assert ReviewState.OVERDUE in states and ReviewState.DUE_SOON in states
    assert sum(len(plan.reviews.all()) for plan in plans) >= 5
    for plan in plans:
        meetings = [r.meeting_date for r in plan.reviews.all()]
        base = max([plan.plan_date, *meetings])
        assert plan.next_review_due == annual_review_due(base)  # the service's rule holds
        assert all(plan.plan_date < m <= TODAY for m in meetings)


def test_second_school_gets_no_plans(demo):
    second = demo["schools"][1].school
    assert not SupportPlan.objects.filter(pupil__school=second).exists()
