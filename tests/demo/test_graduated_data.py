import datetime

import pytest
from django.utils.module_loading import import_string

from core.calendar import academic_year_of
from demo.extensions import EXTENSIONS
from demo.generator import build_demo
from graduated.costing import pupil_costs
from graduated.models import ChecklistItem, Provision
from graduated.readiness import readiness
from pupils.models import SenStatus

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def demo(monkeypatch):
    # Every app's demo data up to this one (it builds on plans, interventions and evidence).
    upto = EXTENSIONS[: EXTENSIONS.index("demo.graduated_data.add_graduated") + 1]
    monkeypatch.setattr("demo.generator.extensions", lambda: [import_string(path) for path in upto])
    return build_demo(pupils=420, seed=7, today=TODAY)


def test_the_candidate_is_ready_for_a_request(demo):
    school = demo["schools"][0].school
    candidate = Provision.objects.get(description__startswith="Educational psychologist").pupil
    assert candidate.sen_status == SenStatus.SEN_SUPPORT and candidate.primary_need
    costs = pupil_costs(candidate, academic_year_of(TODAY))
    assert costs.meets_threshold
    assert any(row.source == "Intervention" for row in costs.rows)
    check = readiness(candidate, costs, TODAY)
    assert check.ready, [c.label for c in check.missing]
    assert check.facts.reviewed_cycles >= 3
    assert candidate.evidence.exclude(attachment="").count() == 1
    assert ChecklistItem.objects.filter(school=school).count() == 7


def test_other_pupils_have_some_provision(demo):
    school = demo["schools"][0].school
    with_provision = Provision.objects.filter(pupil__school=school).values("pupil").distinct().count()
    assert 10 <= with_provision <= 77
