"""The trust comparison in a real browser: the trust lead sorts the schools by a column heading
(a plain link, no script needed), opens another school's gap analysis from its row (the school
switcher's form), and a head reads the other schools unnamed. Every page free of serious or
critical accessibility violations (axe-core) and of CSP violations, at 1280 and 390 pixels."""

import pytest
from playwright.sync_api import expect

from core.roles import Role
from tests.browser.test_pages import blocking_violations, describe
from tests.factories import MembershipFactory, OrganisationMembershipFactory
from tests.trusts.cohort import build_trust
from trusts.services import rollup_refresh_all


@pytest.fixture
def trust(transactional_db_with_migration_data):
    built = build_trust()
    rollup_refresh_all()
    built["lead"] = OrganisationMembershipFactory(organisation=built["trust"], user__username="lead")
    built["head"] = MembershipFactory(school=built["birch"], role=Role.HEAD, user__username="birchhead")
    return built


def school_order(page):
    table = page.get_by_role("region", name="Pupils and the SEND record")
    names = table.locator("tbody th").all_inner_texts()
    return [n.replace("current school", "").replace("your school", "").strip() for n in names]


@pytest.mark.browser
def test_trust_lead_sorts_and_opens_a_school(page, live_server, login, trust):
    found = []

    def check(label):
        page.wait_for_load_state("load")
        found.extend(describe(label, page.url, v) for v in blocking_violations(page))

    login(page, "lead")
    page.get_by_role("navigation").get_by_role("link", name="Schools compared").click()
    expect(page.get_by_role("heading", name="Willow Trust: schools compared")).to_be_visible()
    assert school_order(page) == ["Ash Primary", "Birch Primary"]
    assert page.get_by_text("Cedar Primary").count() == 0
    check("trust comparison")
    page.get_by_role("region", name="Pupils and the SEND record").get_by_role("link", name="Pupils").click()
    assert school_order(page) == ["Birch Primary", "Ash Primary"]  # 8 pupils, then 30
    page.get_by_role("region", name="Pupils and the SEND record").get_by_role("link", name="Pupils").click()
    assert school_order(page) == ["Ash Primary", "Birch Primary"]  # descending
    page.set_viewport_size({"width": 390, "height": 844})
    check("trust comparison at 390 px")
    # The wide tables scroll inside their own regions; the page itself does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Open Birch Primary").click()
    expect(page.get_by_text("You are now working in Birch Primary")).to_be_visible()
    assert page.url.endswith("/gaps/")
    check("Birch's gap analysis")
    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(found)
    assert not page.log.csp_messages, page.log.csp_messages


@pytest.mark.browser
def test_head_reads_the_other_schools_unnamed(page, live_server, login, trust):
    login(page, "birchhead")
    page.goto(f"{live_server.url}/trust/")
    assert sorted(school_order(page)) == ["Birch Primary", "School B"]
    assert page.get_by_text("Ash Primary").count() == 0
    assert page.get_by_role("button", name="Open School B").count() == 0
    violations = [describe("trust comparison (head)", page.url, v) for v in blocking_violations(page)]
    assert not violations, "\n".join(violations)
