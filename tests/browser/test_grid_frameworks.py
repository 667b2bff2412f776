"""The termly grid of a mixed class in a real browser (issue 22): a pupil on another framework
has one box named with the subject, the framework and the pupil; it is typed and saved by
keyboard like any other; a value not on the framework is refused with the pupil and subject
named; an Engagement Model cell links to the observations. Screenshots at 1280 and 390 px go to
$SHOTS_DIR when it is set (for the closing note)."""

import os
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from assessment.models import Assessment, AssessmentPoint, Subject
from assessment.services import CellInput, grid_save
from core.roles import Role
from tests.assessment.test_grid_frameworks import SEPT, frameworks_of, place, stage
from tests.browser.test_grid import class_url, grid_of

pytestmark = pytest.mark.browser


def mixed_class(home):
    point, pupils = grid_of(home, 10)
    school = home.school
    fws = frameworks_of(school)
    subjects = list(Subject.objects.filter(school=school))
    reading = subjects[0]
    names = ["Adams", "Baker", "Clark", "Davis", "Evans"]
    for pupil, name in zip(pupils[1:6], names, strict=True):
        pupil.legal_surname, pupil.legal_forename = name, "Jo"
        pupil.save()
    adams, baker, clark, davis, evans = pupils[1:6]
    for subject in subjects[:3]:
        place(baker, subject, fws["pk2"])
        place(evans, subject, fws["em"])
    place(clark, reading, fws["steps"])
    place(davis, reading, fws["age"])
    pk3, s1 = stage(fws["pk2"], "PK3").pk, stage(fws["steps"], "S1").pk
    blank = (None, None, None, 0)
    grid_save(
        point=point,
        by=home.members[Role.SENCO].user,
        cells=[
            CellInput(baker.pk, reading.pk, *blank, fws["pk2"].pk, pk3, 1, 3),
            CellInput(clark.pk, reading.pk, *blank, fws["steps"].pk, s1, 2, 2),
            CellInput(davis.pk, reading.pk, *blank, fws["age"].pk, score=Decimal(90)),
        ],
    )
    assert point.starts_on >= SEPT  # the placements are in force at the point
    return point, {"Baker": baker, "Clark": clark, "Davis": davis, "Evans": evans}, reading, fws


def shot(page, name):
    folder = os.environ.get("SHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name))


# Elements outside the grid's own scrolling box that reach past the window's right edge.
WIDER = """() => Array.from(document.querySelectorAll('body *'))
    .filter((e) => !e.closest('#grid-scroll'))
    .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .slice(0, 8).map((e) => e.tagName + '.' + e.className)"""


def test_a_mixed_class_is_typed_and_saved_by_keyboard(page, live_server, login, world):
    home = world["A"]
    point, pupils, reading, fws = mixed_class(home)
    login(page, home.members[Role.SENCO].user.username)
    page.set_viewport_size({"width": 1280, "height": 1300})
    page.goto(class_url(live_server, point, home))
    baker = page.get_by_role(
        "combobox", name="Reading on Pre-key stage 2 standards for Baker, Jo", exact=True
    )
    expect(baker).to_have_value("PK3")
    davis = page.get_by_role("textbox", name="Reading on Reading age for Davis, Jo", exact=True)
    expect(davis).to_have_value("7y 6m")
    expect(page.get_by_role("link", name="Observations of Evans, Jo (Reading)")).to_be_visible()
    shot(page, "mixed-class-1280.png")
    # Down from Baker's box lands on Clark's (the next row, same subject); type and save.
    baker.fill("pk4")
    baker.press("ArrowDown")
    clark = page.get_by_role("combobox", name="Reading on Small steps for Clark, Jo", exact=True)
    expect(clark).to_be_focused()
    clark.fill("S1.9")
    page.keyboard.press("Control+s")
    expect(page.locator("#grid-message")).to_have_text(
        "Nothing was saved: 1 cell needs correcting (marked in the grid)."
    )
    expect(page.locator("#grid-problems")).to_contain_text(
        "Clark, Jo, Reading: S1 Stage one has 4 steps: type S1.1 to S1.4. (on Small steps)"
    )
    assert Assessment.objects.get(pupil=pupils["Baker"], subject=reading).stage.code == "PK3"
    clark.fill("S1.3")
    page.keyboard.press("Control+s")
    expect(page.locator("#grid-message")).to_have_text("Saved 2 changes.")
    stored = Assessment.objects.get(pupil=pupils["Baker"], subject=reading)
    assert (stored.stage.code, stored.version) == ("PK4", 2)
    # The next point shows each value saved under its box as "was".
    after = AssessmentPoint.objects.get(school=home.school, academic_year=2025, order=2)
    spring = f"{live_server.url}/assessment/grid/?point={after.pk}&school_class={home.school_class.pk}"
    page.goto(spring)
    expect(page.locator("#grid")).to_contain_text("PK4")
    page.locator("#grid-scroll").scroll_into_view_if_needed()
    shot(page, "mixed-class-spring-1280.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(spring)
    page.locator("#grid-scroll").scroll_into_view_if_needed()
    shot(page, "mixed-class-spring-390.png")
    # Nothing but the grid's own box scrolls across at 390 px.
    assert page.evaluate(WIDER) == []
