"""The inclusion evaluation area in a real browser: the SENCO switches the year's framework, opens
the inclusion page, writes the evaluation and grade, and the governor opens the anonymised
version; every page free of serious accessibility violations and of CSP violations."""

import datetime

import pytest
from playwright.sync_api import expect

from core.roles import Role
from pupils.models import Concern, SenStatus, SenStatusChange
from tests.browser.test_pages import blocking_violations, describe, username


@pytest.fixture
def placed(transactional_db_with_migration_data, world):
    pupil = world["A"].class_pupil
    placed_on = datetime.date.today() - datetime.timedelta(days=40)
    SenStatusChange.objects.create(pupil=pupil, status=SenStatus.SEN_SUPPORT, effective_date=placed_on)
    Concern.objects.create(
        pupil=pupil, raised_on=placed_on - datetime.timedelta(days=21), raised_by="teacher", summary="Phonics"
    )
    return pupil


@pytest.mark.browser
def test_senco_and_governor_read_the_inclusion_area(page, live_server, login, world, placed):
    found = []

    def check(label):
        page.wait_for_load_state("load")
        found.extend(describe(label, page.url, v) for v in blocking_violations(page))

    login(page, username(world, "A", Role.SENCO))
    page.goto(f"{live_server.url}/reports/")
    check("reports with the framework choice")
    page.get_by_label("Write this year's SEF against").select_option("2025")
    page.get_by_role("button", name="Switch").click()
    expect(page.get_by_text("now written against the renewed framework").first).to_be_visible()
    page.get_by_role("link", name="Inclusion: the evaluation area with the school's figures").click()
    expect(page.get_by_role("heading", name="Identifying needs early and accurately")).to_be_visible()
    # One pupil placed this year, 21 days after the concern.
    expect(page.get_by_text("100% (1/1)").first).to_be_visible()
    check("inclusion page")
    page.get_by_role("link", name="Write the evaluation and grade").click()
    page.get_by_label("Inclusion", exact=True).fill("Needs are identified within weeks of a concern.")
    page.get_by_label("Best-fit grade for inclusion").select_option("3")
    page.get_by_label("Safeguarding").select_option("met")
    check("SEF narrative and grade")
    page.get_by_role("button", name="Save").click()
    page.goto(f"{live_server.url}/reports/inclusion/")
    expect(page.get_by_text("Needs are identified within weeks of a concern.")).to_be_visible()
    expect(page.get_by_text("Expected standard").first).to_be_visible()
    page.goto(f"{live_server.url}/reports/prompts/")
    expect(
        page.get_by_role("heading", name="1. Inclusion: identifying needs early and accurately")
    ).to_be_visible()
    check("renewed judgement prompts")

    page.context.clear_cookies()
    login(page, username(world, "A", Role.GOVERNOR))
    page.goto(f"{live_server.url}/reports/inclusion/governor/")
    expect(page.get_by_role("heading", name="Achieve, belong and thrive")).to_be_visible()
    assert placed.legal_surname not in page.content()
    check("inclusion, governor version")
    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(found)
    assert not page.log.csp_messages, page.log.csp_messages
