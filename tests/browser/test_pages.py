"""What a person sees in a real browser: the main journeys, access, accessibility, privacy.

Run with `pytest tests/browser` (Debian's Chromium at /usr/bin/chromium; see conftest.py).
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from assessment.models import AssessmentPoint
from assessment.services import scheme_set_up_defaults
from core.roles import Role
from pupils.models import Pupil, SenStatus

BAD_UPN = "A207000016049"  # the check letter for these digits is P
GOOD_UPN = "P207000016049"
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture
def people(transactional_db_with_migration_data, world):
    """The two-school world, with school A's class pupil on SEN support so that the SEN
    register has a named pupil on it (the governor must not see it; the SENCO must)."""
    Pupil.objects.filter(pk=world["A"].class_pupil.pk).update(
        sen_status=SenStatus.SEN_SUPPORT,
        sen_placed_on=datetime.date(2024, 9, 10),
        primary_need="SEMH",
    )
    return world


def username(world, school, role):
    return world[school].members[role].user.username


def every_surname(world):
    return [p.legal_surname for school in ("A", "B") for p in world[school].pupils]


def pupils_url(live_server, path=""):
    return f"{live_server.url}/pupils/{path}"


def fill_new_pupil(page, upn):
    page.fill("#id_upn", upn)
    page.fill("#id_legal_forename", "Maisie")
    page.fill("#id_legal_surname", "Newcombe")
    page.fill("#id_date_of_birth", "2017-05-04")
    page.select_option("#id_gender", "F")
    page.select_option("#id_year_group", "3")
    page.get_by_role("button", name="Save pupil").click()
    page.wait_for_load_state()


def tour(page, live_server, login, world):
    """A SENCO's ordinary working session: every main page, a live search, a rejected form."""
    login(page, username(world, "A", Role.SENCO))
    page.goto(pupils_url(live_server))
    with page.expect_response(lambda r: "q=Grou" in r.url):
        page.locator("#id_q").press_sequentially("Grou")
    results = page.locator("#results").first  # the tour checks requests, not the swap
    expect(results).not_to_contain_text("OtherA")
    results.get_by_role("link", name=re.compile("GroupA")).first.click()
    expect(page.get_by_role("heading", name="Change history")).to_be_visible()
    page.goto(pupils_url(live_server, "new/"))
    fill_new_pupil(page, BAD_UPN)
    expect(page.get_by_text("check letter")).to_be_visible()
    page.goto(f"{live_server.url}/register/")
    expect(page.get_by_role("heading", name="SEN register", level=1)).to_be_visible()
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Main").get_by_role(
        "button", name=username(world, "A", Role.SENCO), exact=True
    ).click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


@pytest.mark.browser
def test_senco_searches_and_opens_a_pupil_record(page, live_server, login, people):
    login(page, username(people, "A", Role.SENCO))

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="A", level=1, exact=True)).to_be_visible()
    expect(page.get_by_text("You are working as SENCO")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Pupils").click()
    expect(page).to_have_url(pupils_url(live_server))
    results = page.locator("#results")
    # Only the count is a live region: a screen reader hears "1 pupil", not the whole table.
    count = page.locator("[aria-live]")
    expect(count).to_have_count(1)
    expect(count).to_have_attribute("id", "results-count")
    expect(count).to_have_text("3 pupils")
    expect(results).not_to_contain_text("ClassB")  # another school's pupil

    # Typing filters the list in place: htmx swaps #results without loading a new page.
    with page.expect_response(
        lambda r: "/pupils/?" in r.url and "q=Grou" in r.url and r.request.headers.get("hx-request") == "true"
    ) as answer:
        page.locator("#id_q").press_sequentially("Grou")
    assert answer.value.status == 200
    # The answer replaces the list rather than nesting a second #results inside it.
    expect(results).to_have_count(1)
    expect(count).to_have_text("1 pupil")  # the same live region, its words swapped
    expect(page.locator("[aria-live]")).to_have_count(1)
    expect(results).to_contain_text("GroupA")
    expect(results).not_to_contain_text("ClassA")
    expect(results).not_to_contain_text("OtherA")
    expect(page).to_have_url(re.compile(r"/pupils/\?.*q=Grou"))  # hx-push-url

    pupil = people["A"].group_pupil
    results.get_by_role("link", name=re.compile("GroupA")).click()
    expect(page).to_have_url(pupils_url(live_server, f"{pupil.pk}/"))
    expect(page.get_by_role("heading", level=1, name=re.compile(pupil.legal_surname))).to_be_visible()
    expect(page.get_by_text(pupil.upn, exact=True)).to_be_visible()

    history = page.locator("section[aria-labelledby=history-h]")
    expect(history.get_by_role("heading", name="Change history")).to_be_visible()
    expect(history.get_by_role("table")).to_contain_text("Record created")


@pytest.mark.browser
def test_senco_adds_a_pupil_after_correcting_a_bad_upn(page, live_server, login, people):
    school = people["A"].school
    login(page, username(people, "A", Role.SENCO))
    page.goto(pupils_url(live_server))
    page.get_by_role("link", name="Add a pupil").click()
    expect(page).to_have_url(pupils_url(live_server, "new/"))

    fill_new_pupil(page, BAD_UPN)

    expect(page).to_have_url(pupils_url(live_server, "new/"))
    expect(page.get_by_role("alert")).to_contain_text("Nothing has been saved yet")
    error = page.get_by_text(re.compile("check letter of this UPN is wrong"))
    expect(error).to_be_visible()
    expect(error).to_contain_text("should be P")
    expect(page.locator("#id_upn")).to_have_class(re.compile(r"\bis-invalid\b"))
    assert not Pupil.objects.filter(school=school, legal_surname="Newcombe").exists()
    # The other answers are kept, so only the UPN needs retyping.
    expect(page.locator("#id_legal_surname")).to_have_value("Newcombe")

    fill_new_pupil(page, GOOD_UPN)

    pupil = Pupil.objects.get(school=school, upn=GOOD_UPN)
    expect(page).to_have_url(pupils_url(live_server, f"{pupil.pk}/"))
    expect(page.get_by_role("status")).to_contain_text("Maisie Newcombe was added")
    expect(page.get_by_role("heading", level=1, name=re.compile("Newcombe"))).to_be_visible()
    assert pupil.legal_surname == "Newcombe"
    assert Pupil.objects.filter(legal_surname="Newcombe").count() == 1


@pytest.mark.browser
def test_governor_sees_the_register_without_pupil_names(page, live_server, login, people):
    login(page, username(people, "A", Role.GOVERNOR))

    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="SEN register")).to_be_visible()
    expect(nav.get_by_role("link", name="Pupils")).to_have_count(0)

    response = page.goto(f"{live_server.url}/register/")
    assert response.status == 200
    expect(page.get_by_role("heading", name="SEN register", level=1)).to_be_visible()
    expect(page.get_by_text("c: not shown, to protect pupils")).to_be_visible()
    expect(page.get_by_role("heading", name="Pupils on the SEND record")).to_have_count(0)
    content = page.content()
    on_register = people["A"].class_pupil
    for name in [*every_surname(people), on_register.legal_forename, on_register.upn]:
        assert name not in content, f"a governor's register page shows {name!r}"

    response = page.goto(pupils_url(live_server))
    assert response.status == 403
    expect(page.get_by_role("heading", name="You do not have access to this page")).to_be_visible()
    assert page.goto(pupils_url(live_server, f"{on_register.pk}/")).status == 403


@pytest.mark.browser
def test_senco_sees_the_named_register(page, live_server, login, people):
    """The other side of the governor test: the same page names the pupil for the SENCO."""
    login(page, username(people, "A", Role.SENCO))
    page.goto(f"{live_server.url}/register/")
    register = page.locator("section[aria-labelledby=register-h]")
    expect(register).to_contain_text(people["A"].class_pupil.legal_surname)
    expect(register).not_to_contain_text(people["A"].other_pupil.legal_surname)  # not on record


def blocking_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def describe(label, url, violation):
    lines = [
        f"{label} ({url}): {violation['id']} [{violation['impact']}] {violation['help']}",
        f"    {violation.get('helpUrl', '')}",
    ]
    for node in violation["nodes"]:
        summary = " ".join(node.get("failureSummary", "").split())
        lines.append(f"    at {node['target']}: {summary}")
    return "\n".join(lines)


@pytest.mark.browser
def test_pages_have_no_serious_accessibility_violations(page, live_server, login, people):
    pupil = people["A"].class_pupil
    checks = []

    def check(label):
        page.wait_for_load_state("load")
        checks.append(label)
        return [describe(label, page.url, v) for v in blocking_violations(page)]

    found = []
    page.goto(f"{live_server.url}/accounts/login/")
    found += check("login page")
    login(page, username(people, "A", Role.SENCO))
    found += check("overview")
    page.goto(pupils_url(live_server))
    found += check("pupil list")
    page.goto(pupils_url(live_server, f"{pupil.pk}/"))
    found += check("pupil page")
    page.goto(pupils_url(live_server, "new/"))
    found += check("pupil create form")
    fill_new_pupil(page, BAD_UPN)
    expect(page.get_by_text("check letter")).to_be_visible()
    found += check("pupil create form with errors")
    page.goto(f"{live_server.url}/register/")
    found += check("SEN register")
    scheme_set_up_defaults(school=people["A"].school, academic_year=2025)
    point = AssessmentPoint.objects.filter(school=people["A"].school).first()
    page.goto(
        f"{live_server.url}/assessment/grid/?point={point.pk}&school_class={people['A'].school_class.pk}"
    )
    found += check("termly grid")

    assert len(checks) == 8
    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(found)


@pytest.mark.browser
def test_no_request_leaves_the_origin(page, live_server, login, people):
    tour(page, live_server, login, people)

    requests = page.log.requests
    assert any(url.endswith("/static/vendor/htmx/htmx.min.js") for url in requests)
    outside = [
        url for url in requests if not (url.startswith(live_server.url + "/") or url.startswith("data:"))
    ]
    assert not outside, "requests left the origin:\n" + "\n".join(outside)
    failed = [(status, url) for status, url in page.log.responses if status >= 400]
    # A request cut short by the next navigation (ERR_ABORTED) is not a failure.
    failed += [(url, why) for url, why in page.log.failed if why != "net::ERR_ABORTED"]
    assert not failed, f"requests failed during the tour: {failed}"


@pytest.mark.browser
def test_no_content_security_policy_violation(page, live_server, login, people):
    tour(page, live_server, login, people)

    assert not page.log.csp_messages, "CSP violations:\n" + "\n".join(page.log.csp_messages)
    assert not page.log.page_errors, f"script errors on the pages: {page.log.page_errors}"

    # The canary: an inline script must be refused, and the refusal must reach the log. This
    # proves both that the policy is enforced and that the listener above would have heard.
    page.goto(f"{live_server.url}/accounts/login/")
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate("""() => {
            const script = document.createElement("script");
            script.textContent = "window.inlineRan = true";
            document.head.appendChild(script);
        }""")
    assert page.evaluate("() => window.inlineRan === undefined"), "an inline script ran"
    assert page.log.csp_messages, "an inline script was blocked but no CSP message was logged"
