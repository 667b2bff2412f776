"""Issue 16, items 2 to 4 in a real browser, by keyboard only where the user's hands would be:
the head signs off the SEF from the document itself through the confirmation, then sees it
signed, current, and the earlier version superseded; the SENCO finds and chooses two pupils
with the picker and saves the run; a teaching assistant's overview has no link that is refused.
Each page passes axe-core, breaks no Content-Security-Policy rule, and shows where the focus is."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from core.roles import Role
from evidence.models import Conversation
from interventions.models import InterventionRun
from reports.models import Grade, SefReport, SefSignOff
from reports.selectors import current_academic_year
from tests.factories import InterventionFactory, PupilFactory

from .test_pages import blocking_violations, describe

FOCUS_VISIBLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return outline || (style.boxShadow && style.boxShadow !== "none");
}"""


def tab_to(page, name, limit=80):
    """Press Tab until the focused element's text (or value) contains `name`; fail if it never does,
    and check that the focus can be seen."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate("() => (document.activeElement.innerText || document.activeElement.value || '')")
        if name in text:
            tag = page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
            assert page.evaluate(FOCUS_VISIBLE), f"the focus on {name!r} cannot be seen: {tag}"
            return
    raise AssertionError(f"Tab never reached {name!r}")


def follow(page):
    """Press Enter on the focused link or button and wait for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def no_blocking_violations(page, label):
    found = [describe(label, page.url, v) for v in blocking_violations(page)]
    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(found)


@pytest.mark.browser
def test_the_head_signs_off_from_the_sef_page_by_keyboard(page, live_server, login, world):
    home = world["A"]
    year = current_academic_year()
    # Written against the 2019 framework, whose grade ("Good") the confirmation names.
    SefReport.objects.create(
        school=home.school, academic_year=year, framework="2019", grade=Grade.GOOD, grade_rationale="Because."
    )
    login(page, home.members[Role.HEAD].user.username)
    page.goto(f"{live_server.url}/reports/sef/?year={year}")
    expect(page.locator("#sign-off-state")).to_contain_text("Draft, not yet signed off.")

    tab_to(page, "Sign off this summary")
    follow(page)
    expect(page.get_by_role("heading", name="Sign off the SEF summary")).to_be_visible()
    card = page.locator(".sign-off-card")
    for words in ("A", "SEND self-evaluation summary", "Good"):
        expect(card).to_contain_text(words)
    no_blocking_violations(page, "sign-off confirmation")
    assert not SefSignOff.objects.exists()

    tab_to(page, "Sign off the SEF summary")
    follow(page)
    expect(page.get_by_role("status").first).to_contain_text("You signed off the SEF summary")
    expect(page.locator("#sign-off-state")).to_contain_text("Current version")
    no_blocking_violations(page, "signed copy")

    # The SEF page itself now says it is signed, by whom, and links the copy.
    page.goto(f"{live_server.url}/reports/sef/?year={year}")
    state = page.locator("#sign-off-state")
    expect(state).to_contain_text("Signed off")
    expect(state).not_to_contain_text("Draft")
    expect(state.get_by_role("link", name="Open the signed copy")).to_be_visible()

    # Signing again supersedes the first version, which is kept and marked.
    tab_to(page, "Sign off again")
    follow(page)
    tab_to(page, "Sign off the SEF summary")
    follow(page)
    page.goto(f"{live_server.url}/reports/?year={year}")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Current")
    expect(rows.nth(1)).to_contain_text("Superseded")
    no_blocking_violations(page, "reports index")
    first = SefSignOff.objects.order_by("pk").first()
    page.goto(f"{live_server.url}/reports/sef/signed/{first.pk}/")
    expect(page.locator("#sign-off-state")).to_contain_text("Superseded")
    expect(
        page.locator("#sign-off-state").get_by_role("link", name="open the current version")
    ).to_be_visible()
    assert not page.log.csp_messages and not page.log.page_errors


@pytest.mark.browser
def test_the_senco_chooses_two_pupils_by_keyboard_and_saves_the_run(page, live_server, login, world):
    home = world["A"]
    intervention = InterventionFactory(school=home.school, name="Toe by Toe")
    for forename in ("Amira", "Amos", "Ben"):
        PupilFactory(school=home.school, legal_forename=forename, legal_surname="Okafor")
    login(page, home.members[Role.SENCO].user.username)
    page.goto(f"{live_server.url}/interventions/{intervention.pk}/runs/new/")
    page.get_by_label("Label").fill("Year 4 group")
    page.get_by_label("Start date").fill("2026-11-02")
    page.locator('input[name="staff"]').first.check()

    search = page.get_by_label("Pupils in the group")
    search.focus()
    assert page.evaluate(FOCUS_VISIBLE)
    page.keyboard.type("okafor am")
    status = page.locator("[data-picker-status]")
    # Only the count is announced, not the list.
    expect(status).to_have_text("2 pupils match \u201cokafor am\u201d.")
    expect(page.locator("[aria-live]")).to_have_count(1)
    no_blocking_violations(page, "run form with matches")

    page.keyboard.press("Tab")  # the Search button
    page.keyboard.press("Tab")  # the first match
    page.keyboard.press("Space")
    expect(status).to_contain_text("Added Okafor, Amira")
    assert page.evaluate(FOCUS_VISIBLE)
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(status).to_contain_text("Added Okafor, Amos")
    expect(status).to_contain_text("2 pupils chosen")
    expect(page.locator("[data-picker-chosen] input:checked")).to_have_count(2)

    tab_to(page, "Save run")
    follow(page)
    expect(page.get_by_text("The run was saved.")).to_be_visible()
    run = InterventionRun.objects.get(intervention=intervention)
    assert sorted(run.pupils.values_list("legal_forename", flat=True)) == ["Amira", "Amos"]
    assert not page.log.csp_messages and not page.log.page_errors


@pytest.mark.browser
def test_no_link_on_the_teaching_assistants_overview_is_refused(page, live_server, login, world):
    home = world["A"]
    InterventionRun.objects.filter(pk=home.run.pk).update(
        start_date=datetime.date.today() - datetime.timedelta(days=3)
    )
    login(page, home.members[Role.TEACHING_ASSISTANT].user.username)
    page.goto(f"{live_server.url}/")
    tasks = page.get_by_role("region", name="Your next tasks")
    expect(tasks).to_contain_text("Record today's session of")
    hrefs = page.eval_on_selector_all("main a[href]", "links => links.map(a => a.getAttribute('href'))")
    assert hrefs
    statuses = {href: page.request.get(f"{live_server.url}{href}").status for href in set(hrefs)}
    assert statuses == {href: 200 for href in statuses}
    no_blocking_violations(page, "teaching assistant's overview")

    # The first task opens the run's sheet at its session form.
    tasks.get_by_role("link").first.focus()
    assert page.evaluate(FOCUS_VISIBLE)
    follow(page)
    expect(page.get_by_role("heading", name="Record a session")).to_be_visible()


@pytest.mark.browser
def test_a_teacher_picks_one_pupil_for_a_conversation_by_keyboard(page, live_server, login, world):
    home = world["A"]
    login(page, home.members[Role.TEACHER].user.username)
    page.goto(f"{live_server.url}/evidence/conversations/")
    tab_to(page, "Record a conversation with any family")
    follow(page)
    page.get_by_role("searchbox", name=re.compile(r"^Pupil\b")).focus()
    # The teacher sees only their class: the pupil outside it is never offered.
    page.keyboard.type("Other")
    status = page.locator("[data-picker-status]")
    expect(status).to_have_text("No pupil matches \u201cOther\u201d.")
    page.keyboard.press("Control+A")
    page.keyboard.type(home.class_pupil.legal_surname)
    expect(status).to_have_text(f"1 pupil matches \u201c{home.class_pupil.legal_surname}\u201d.")
    page.keyboard.press("Tab")  # the Search button
    page.keyboard.press("Tab")  # the match, a radio button
    page.keyboard.press("Space")
    expect(status).to_contain_text(f"Chosen: {home.class_pupil.legal_surname}, {home.class_pupil.forename}")
    assert page.evaluate(FOCUS_VISIBLE)
    expect(page.locator("[data-picker-chosen] input:checked")).to_have_count(1)
    page.get_by_label("Who attended").fill("Mother")
    page.get_by_label("Agreed curricular target").fill("Read 100 Year 2 words.")
    page.get_by_label("Agreed personal (wider outcome) target").fill("Join the drumming club.")
    tab_to(page, "Save")
    follow(page)
    expect(page.get_by_text("The conversation was recorded.")).to_be_visible()
    assert Conversation.objects.get().pupil == home.class_pupil
    assert not page.log.csp_messages and not page.log.page_errors
