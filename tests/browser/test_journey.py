"""Inspection pages in a real browser: the head chooses the case sample through the search,
opens a sampled pupil's journey and its anonymised version, and the SENCO edits the SEN
information report; every page free of serious accessibility violations and of CSP violations."""

import datetime

import pytest
from playwright.sync_api import expect

from core.roles import Role
from pupils.models import Pupil, SenStatus, SenStatusChange
from tests.browser.test_pages import blocking_violations, describe, username


@pytest.fixture
def sampled(transactional_db_with_migration_data, world):
    pupil = world["A"].class_pupil
    Pupil.objects.filter(pk=pupil.pk).update(sen_status=SenStatus.EHCP, primary_need="SLCN")
    SenStatusChange.objects.create(
        pupil=pupil, status=SenStatus.EHCP, effective_date=datetime.date(2024, 9, 10)
    )
    pupil.refresh_from_db()
    return pupil


@pytest.mark.browser
def test_head_samples_a_pupil_and_opens_the_journey(page, live_server, login, world, sampled):
    found = []

    def check(label):
        page.wait_for_load_state("load")
        found.extend(describe(label, page.url, v) for v in blocking_violations(page))

    login(page, username(world, "A", Role.HEAD))
    page.goto(f"{live_server.url}/reports/")
    page.get_by_role("link", name="Case sample for inspection and pupils' journeys").click()
    expect(page.get_by_text("No pupil has been chosen")).to_be_visible()
    check("case sample, empty")
    page.get_by_label("Name or UPN").fill(sampled.legal_surname)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name=f"Add {sampled.full_name} to the sample").click()
    expect(page.get_by_text(f"{sampled.full_name} was added to the sample.")).to_be_visible()
    expect(page.get_by_text("The sample has no pupil with an EHC plan.")).to_have_count(0)
    check("case sample, one pupil")
    page.get_by_role("link", name=f"Journey of {sampled.full_name}", exact=True).click()
    expect(page.get_by_role("heading", name="The journey, in date order")).to_be_visible()
    expect(page.get_by_text("Need identified: placed on Education, health and care plan")).to_be_visible()
    check("journey")
    page.get_by_role("link", name="Anonymised version").click()
    expect(page.get_by_role("heading", name="Pupil's journey: Pupil A")).to_be_visible()
    assert sampled.legal_surname not in page.content()
    check("anonymised journey")
    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(found)
    assert not page.log.csp_messages, page.log.csp_messages


@pytest.mark.browser
def test_senco_edits_the_information_report(page, live_server, login, world):
    found = []

    def check(label):
        page.wait_for_load_state("load")
        found.extend(describe(label, page.url, v) for v in blocking_violations(page))

    login(page, username(world, "A", Role.SENCO))
    page.goto(f"{live_server.url}/reports/information-report/")
    expect(page.get_by_role("heading", name="Our figures")).to_be_visible()
    check("information report")
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("5. Our approach to teaching pupils with SEN").fill("Adapted teaching in every lesson.")
    check("information report editor")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The SEN information report was saved.")).to_be_visible()
    expect(page.get_by_text("Adapted teaching in every lesson.")).to_be_visible()
    page.get_by_role("button", name="Draft again from the records").click()
    expect(page.get_by_text("1 section you edited kept your words")).to_be_visible()
    expect(page.get_by_text("Adapted teaching in every lesson.")).to_be_visible()
    check("information report, redrafted")
    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(found)
    assert not page.log.csp_messages, page.log.csp_messages
