"""The termly grid in a real browser: a SENCO fills it from the keyboard, saves, reloads."""

import pytest
from playwright.sync_api import expect

from assessment.models import Assessment, AssessmentPoint
from assessment.services import scheme_set_up_defaults
from core.roles import Role
from tests.factories import PupilFactory


@pytest.mark.browser
def test_senco_fills_grid_by_keyboard_saves_and_sees_values_after_reload(page, live_server, login, world):
    home = world["A"]
    second = PupilFactory(school=home.school, school_class=home.school_class, legal_surname="Zephyr")
    scheme_set_up_defaults(school=home.school, academic_year=2025)
    point = AssessmentPoint.objects.get(school=home.school, academic_year=2025, order=1)
    login(page, home.members[Role.SENCO].user.username)
    url = f"{live_server.url}/assessment/grid/?point={point.pk}&school_class={home.school_class.pk}"
    page.goto(url)

    first = page.get_by_label(f"Reading attainment for {home.class_pupil.full_name}")
    first.focus()
    # Type band codes into the lists and a number, moving only with the keyboard.
    page.keyboard.type("OT")
    page.keyboard.press("ArrowRight")  # to Reading progress
    page.keyboard.type("E")
    page.keyboard.press("ArrowRight")  # to Reading points
    page.keyboard.type("17")
    page.keyboard.press("Enter")  # down to the next pupil's Reading points
    page.keyboard.type("9.5")
    expect(page.get_by_label(f"Reading APS points for {second.full_name}")).to_be_focused()
    page.get_by_role("button", name="Save grid").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Saved 2 cells.")).to_be_visible()

    page.reload()
    expect(page.get_by_label(f"Reading attainment for {home.class_pupil.full_name}")).to_have_value(
        str(Assessment.objects.get(pupil=home.class_pupil).attainment_id)
    )
    expect(page.get_by_label(f"Reading APS points for {home.class_pupil.full_name}")).to_have_value("17.0")
    expect(page.get_by_label(f"Reading APS points for {second.full_name}")).to_have_value("9.5")
    stored = Assessment.objects.select_related("attainment", "progress").get(pupil=home.class_pupil)
    assert (stored.attainment.code, stored.progress.code, str(stored.points)) == ("OT", "E", "17.0")
