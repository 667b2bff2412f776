"""The termly grid in a real browser (Debian Chromium): every value readable, the header row and
the pupil column kept in view, the save bar in view with its count, a year group of 300 saved,
and a walk by keyboard alone with a visible focus."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from assessment.models import Assessment, AssessmentPoint, AttainmentBand, ProgressBand, Subject
from assessment.services import CellInput, grid_save, scheme_set_up_defaults
from core.roles import Role
from tests.browser.test_pages import blocking_violations, describe
from tests.factories import PupilFactory

pytestmark = pytest.mark.browser


def grid_of(home, size, *, subjects=6, year_group=4, fill=False):
    """The world's school with the default scheme, `subjects` subjects and `size` pupils in the
    teacher's class (the class pupil included), optionally with a stored value in every box."""
    school = home.school
    scheme_set_up_defaults(school=school, academic_year=2025)
    for i in range(4, subjects):
        Subject.objects.create(school=school, name=f"Science {i}", order=i)
    home.class_pupil.year_group = year_group
    home.class_pupil.save()
    pupils = [home.class_pupil] + PupilFactory.create_batch(
        size - 1, school=school, school_class=home.school_class, year_group=year_group
    )
    point = AssessmentPoint.objects.get(school=school, academic_year=2025, order=1)
    if fill:
        # The widest values a scheme gives: a four-letter code and a scaled score with a decimal.
        AttainmentBand.objects.filter(school=school, code="EX").update(code="GDS+")
        att = AttainmentBand.objects.get(school=school, code="GDS+")
        prog = ProgressBand.objects.get(school=school, code="X")
        grid_save(
            point=point,
            by=home.members[Role.SENCO].user,
            cells=[
                CellInput(p.pk, s.pk, att.pk, prog.pk, Decimal("120.5"), 0)
                for p in pupils
                for s in Subject.objects.filter(school=school)
            ],
        )
    return point, pupils


def class_url(live_server, point, home):
    return f"{live_server.url}/assessment/grid/?point={point.pk}&school_class={home.school_class.pk}"


def box(page, subject, what, pupil):
    """A box by its accessible name, as a screen reader announces it. The band boxes offer their
    codes as a list (a combobox); the number boxes are plain text boxes."""
    role = "textbox" if what.endswith("points") else "combobox"
    return page.get_by_role(
        role, name=f"{subject} {what} for {pupil.legal_surname}, {pupil.forename}", exact=True
    )


CLIPPED = """() => Array.from(document.querySelectorAll('#grid input'))
    .filter((input) => input.scrollWidth > input.clientWidth)
    .map((input) => input.name + '=' + input.value)"""


def test_every_value_is_readable_and_header_and_pupils_stay_in_view(page, live_server, login, world):
    home = world["A"]
    point, pupils = grid_of(home, 30, fill=True)
    login(page, home.members[Role.SENCO].user.username)
    for width in (1280, 1366, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(class_url(live_server, point, home))
        assert page.locator("#grid input").count() == 30 * 6 * 3
        expect(box(page, "Reading", "attainment", pupils[0])).to_have_value("GDS+")
        # The box is as wide as its value: nothing scrolls inside any of the 540 boxes.
        assert page.evaluate(CLIPPED) == [], f"values cut off at {width} px"

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(class_url(live_server, point, home))
    scroller = page.locator("#grid-scroll")
    scroller.scroll_into_view_if_needed()
    page.evaluate(
        "() => { const s = document.getElementById('grid-scroll'); s.scrollTop = 900; s.scrollLeft = 500; }"
    )
    box_of = scroller.bounding_box()
    head = page.locator("#grid thead tr").first.locator("th").nth(1).bounding_box()  # "Reading"
    second_head = page.locator("#grid thead tr").nth(1).locator("th").first.bounding_box()
    last_pupil = page.locator("#grid tbody th").last
    last_pupil.scroll_into_view_if_needed()
    pupil_cell = last_pupil.bounding_box()
    # After scrolling down and across inside the grid's box, the header rows are still at its
    # top and the pupil's name still at its left edge.
    assert abs(head["y"] - box_of["y"]) <= 2, (head, box_of)
    assert second_head["y"] >= head["y"] + head["height"] - 2
    assert second_head["y"] < box_of["y"] + 100
    assert abs(pupil_cell["x"] - box_of["x"]) <= 2, (pupil_cell, box_of)
    assert page.evaluate("() => document.getElementById('grid-scroll').scrollLeft") > 0
    last = max(pupils, key=lambda p: (p.legal_surname, p.legal_forename))  # rows are by surname
    expect(last_pupil).to_contain_text(f"{last.legal_surname}, {last.forename}")


def test_save_bar_stays_in_view_with_the_count_of_unsaved_changes(page, live_server, login, world):
    home = world["A"]
    point, pupils = grid_of(home, 30)
    login(page, home.members[Role.SENCO].user.username)
    page.goto(class_url(live_server, point, home))
    bar = page.locator("#grid-savebar")
    count = page.locator("#grid-count")
    expect(count).to_have_text("No unsaved changes")

    def in_view():
        rect = bar.bounding_box()
        return rect["y"] >= 0 and rect["y"] + rect["height"] <= 900

    # At the top of the page, scrolled to the middle of the grid, and at its last pupil.
    assert in_view()
    box(page, "Reading", "attainment", pupils[0]).fill("OT")
    box(page, "Maths", "APS points", pupils[0]).fill("12")
    box(page, "Writing", "progress", pupils[15]).fill("E")
    expect(count).to_have_text("3 unsaved changes")
    page.mouse.wheel(0, 1200)
    assert in_view()
    box(page, "GPS", "attainment", pupils[-1]).fill("B")
    expect(count).to_have_text("4 unsaved changes")
    assert in_view()
    # Changing a box back to what it was is no change.
    box(page, "GPS", "attainment", pupils[-1]).fill("")
    expect(count).to_have_text("3 unsaved changes")
    expect(page.get_by_role("button", name="Save grid")).to_be_in_viewport()


def test_a_year_group_of_300_is_saved_through_the_browser(page, live_server, login, world):
    home = world["A"]
    point, pupils = grid_of(home, 300, year_group=5)  # the world's other pupils are in Year 4
    login(page, home.members[Role.SENCO].user.username)
    page.goto(f"{live_server.url}/assessment/grid/?point={point.pk}&year_group=5")
    inputs = page.locator("#grid input")
    assert inputs.count() == 300 * 6 * 3
    # Typing 5,400 boxes one by one would take the test minutes: the page's own input events are
    # fired for each, as typing fires them, then the save is made from the keyboard.
    page.evaluate("""() => {
        for (const input of document.querySelectorAll('#grid input')) {
            input.value = input.name.startsWith('a-') ? 'ot' : input.name.startsWith('g-') ? 'E' : '21.5';
            input.dispatchEvent(new Event('input', { bubbles: true }));
        }
    }""")
    expect(page.locator("#grid-count")).to_have_text("1800 unsaved changes")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.keyboard.press("Control+s")
    assert answer.value.status == 200
    expect(page.locator("#grid-message")).to_have_text("Saved 1800 changes.")
    expect(page.locator("#grid-count")).to_have_text("No unsaved changes")
    assert Assessment.objects.filter(point=point).count() == 1800
    assert set(Assessment.objects.filter(point=point).values_list("points", "version")) == {
        (Decimal("21.5"), 1)
    }
    # Saving again after a change sends that one cell, at the version the first save returned.
    one = box(page, "Reading", "APS points", pupils[0])
    one.fill("22")
    with page.expect_request(lambda r: r.method == "POST") as sent:
        page.get_by_role("button", name="Save grid").click()
    assert len(sent.value.post_data_json["fields"]) == 4
    expect(page.locator("#grid-message")).to_have_text("Saved 1 change.")
    assert Assessment.objects.get(point=point, pupil=pupils[0], subject__name="Reading").version == 2


def test_keyboard_only_entry_and_save_with_visible_focus(page, live_server, login, world):
    home = world["A"]
    point, pupils = grid_of(home, 3, subjects=4)
    pupils.sort(key=lambda p: (p.legal_surname, p.legal_forename))
    first, second = pupils[0], pupils[1]
    login(page, home.members[Role.SENCO].user.username)
    page.goto(class_url(live_server, point, home))
    # From the download link: Tab into the grid's scrolling box, Tab to its first box.
    page.get_by_role("link", name="Download this grid (CSV)").focus()
    page.keyboard.press("Tab")
    expect(page.locator("#grid-scroll")).to_be_focused()
    page.keyboard.press("Tab")
    reading = box(page, "Reading", "attainment", first)
    expect(reading).to_be_focused()

    def focus_ring():
        return page.evaluate("""() => {
            const style = getComputedStyle(document.activeElement);
            return [style.outlineStyle, parseFloat(style.outlineWidth)];
        }""")

    style, width = focus_ring()
    assert style != "none" and width >= 2, (style, width)
    page.keyboard.type("ot")
    page.keyboard.press("Tab")  # to Reading progress
    page.keyboard.type("E")
    page.keyboard.press("ArrowRight")  # to Reading points
    page.keyboard.type("17")
    page.keyboard.press("Enter")  # down to the next pupil's Reading points
    expect(box(page, "Reading", "APS points", second)).to_be_focused()
    page.keyboard.type("9.5")
    page.keyboard.press("ArrowLeft")  # within the number: the caret moves, not the focus
    expect(box(page, "Reading", "APS points", second)).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(box(page, "Reading", "APS points", first)).to_be_focused()
    style, width = focus_ring()
    assert style != "none" and width >= 2
    expect(reading).to_have_value("OT")  # the code as the scheme writes it, once the box is left
    expect(page.locator("#grid-count")).to_have_text("2 unsaved changes")
    page.keyboard.press("Control+s")
    expect(page.locator("#grid-message")).to_have_text("Saved 2 changes.")
    expect(page.locator("#grid-count")).to_have_text("No unsaved changes")
    stored = Assessment.objects.select_related("attainment", "progress").get(pupil=first)
    assert (stored.attainment.code, stored.progress.code, stored.points) == ("OT", "E", Decimal("17.0"))
    assert Assessment.objects.get(pupil=second).points == Decimal("9.5")

    # A bad value: nothing saved, the cell named, marked and focused, and only the sentence
    # (not the grid, nor the list of cells) is in a live region.
    box(page, "Writing", "attainment", second).focus()
    page.keyboard.type("ZZ")
    page.keyboard.press("Control+s")
    expect(page.locator("#grid-message")).to_have_text(
        "Nothing was saved: 1 cell needs correcting (marked in the grid)."
    )
    bad = box(page, "Writing", "attainment", second)
    expect(bad).to_be_focused()
    expect(bad).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#grid-problems")).to_contain_text(
        f"{second.legal_surname}, {second.forename}, Writing: “ZZ” is not an attainment band"
    )
    live = page.evaluate("""() => Array.from(document.querySelectorAll('[aria-live]'))
        .map((el) => [el.id, el.querySelectorAll('table, ul, input, button').length])""")
    assert all(n == 0 for _id, n in live), live
    assert not Assessment.objects.filter(subject__name="Writing").exists()
    assert not page.log.csp_messages and not page.log.page_errors


def test_grid_at_390_px_scrolls_inside_its_box_and_passes_axe(page, live_server, login, world):
    home = world["A"]
    point, pupils = grid_of(home, 30, fill=True)
    login(page, home.members[Role.SENCO].user.username)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(class_url(live_server, point, home))
    # The page is no wider than the screen: the grid scrolls inside its own box.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert page.evaluate(CLIPPED) == []
    expect(page.locator("#grid-savebar")).to_be_in_viewport()
    found = [describe("grid at 390 px", page.url, v) for v in blocking_violations(page)]
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(class_url(live_server, point, home) + "&mode=targets")
    expect(page.get_by_role("button", name="Save targets")).to_be_visible()
    found += [describe("targets grid", page.url, v) for v in blocking_violations(page)]
    assert not found, "\n".join(found)
    assert re.search(r"Target band", page.content())
