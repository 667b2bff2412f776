"""The SENCO's journey to a request pack in a real browser: costed provision, the readiness
check, the pack; every page free of serious accessibility violations and of CSP violations."""

import datetime

import pytest
from playwright.sync_api import expect

from core.calendar import current_academic_year
from core.roles import Role
from graduated.models import Provision
from pupils.models import Pupil, SenStatus
from tests.browser.test_pages import blocking_violations, describe, username


@pytest.fixture
def candidate(transactional_db_with_migration_data, world):
    pupil = world["A"].class_pupil
    Pupil.objects.filter(pk=pupil.pk).update(
        sen_status=SenStatus.SEN_SUPPORT, sen_placed_on=datetime.date(2024, 9, 10), primary_need="SLCN"
    )
    Provision.objects.create(
        pupil=pupil,
        academic_year=current_academic_year(),
        kind=Provision.Kind.IN_CLASS,
        description="TA support in class",
        hours_per_week=10,
        weeks=38,
        hourly_rate=15,
    )
    return pupil


@pytest.mark.browser
def test_senco_checks_readiness_and_builds_the_pack(page, live_server, login, world, candidate):
    found = []

    def check(label):
        page.wait_for_load_state("load")
        found.extend(describe(label, page.url, v) for v in blocking_violations(page))

    login(page, username(world, "A", Role.SENCO))
    page.goto(f"{live_server.url}/pupils/{candidate.pk}/")
    page.get_by_role("link", name="Costed provision", exact=True).click()
    # 10 hours x 38 weeks x £15 = £5,700, £300 below the threshold.
    below = "£5,700 a year, £300 below the element 2 threshold of £6,000"
    expect(page.get_by_text(below).first).to_be_visible()
    check("costed provision")
    page.get_by_role("link", name="Readiness check and pack").click()
    expect(page.get_by_text("Not ready: 4 things missing.").first).to_be_visible()
    check("readiness check")
    page.get_by_role("button", name="Build the pack").click()
    expect(page.get_by_role("heading", name="10. The family's and the pupil's views")).to_be_visible()
    check("pack")
    page.goto(f"{live_server.url}/graduated/")
    check("costed provision map")
    page.goto(f"{live_server.url}/graduated/checklist/")
    check("authority checklist")
    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(found)
    assert not page.log.csp_messages, page.log.csp_messages
