"""C and the SEF with pupils judged on other frameworks (issue 22) in a real browser, at 1280 px:
the grids' framework columns and the progress line by framework are on the page and pass
axe-core. With SHOTS_DIR set, each page is also kept as a full-page screenshot there."""

import os
from pathlib import Path

import pytest

from .test_pages import blocking_violations, describe

LINE = (
    "12 of 15 made expected progress or better: 6 of 8 on the school's scale, 2 of 2 on pre-key "
    "stage 2 standards, 1 of 2 on reading age, 3 of 3 on small steps"
)


@pytest.mark.browser
def test_c_and_sef_with_framework_pupils(page, live_server, login):
    from django.urls import reverse  # after the live server's settings are in place

    from core.roles import Role
    from tests.gaps.builders import THIS_YEAR
    from tests.gaps.framework_cohort import build_framework_cohort

    mixed = build_framework_cohort()
    login(page, mixed[Role.SENCO].user.username)
    pages = [
        ("c-grids", f"{reverse('gaps:grid')}?point={mixed['spring'].pk}&group=send"),
        ("sef", f"{reverse('reports:sef')}?year={THIS_YEAR}"),
    ]
    shots = Path(os.environ["SHOTS_DIR"]) if os.environ.get("SHOTS_DIR") else None
    found = []
    for label, path in pages:
        response = page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        assert response.status == 200, label
        assert LINE in page.inner_text("body"), label
        found += [describe(label, page.url, v) for v in blocking_violations(page)]
        if shots:
            shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots / f"{label}.png"), full_page=True)
    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(found)


@pytest.mark.browser
def test_placing_a_class_ticks_every_pupil_at_once(page, live_server, login):
    """The placement page's "tick every pupil" box: hidden without script, here shown; it ticks
    every pupil of the class, shows itself part-ticked when one is cleared, and the page passes
    axe-core."""
    from django.urls import reverse  # after the live server's settings are in place

    from assessment.models import Subject
    from core.roles import Role
    from tests.gaps.framework_cohort import build_framework_cohort

    mixed = build_framework_cohort()
    school = mixed[Role.SENCO].school
    reading = Subject.objects.get(school=school, name="Reading")
    login(page, mixed[Role.SENCO].user.username)
    url = f"{live_server.url}{reverse('assessment:place_pupils')}?year_group=4&subject={reading.pk}"
    assert page.goto(url).status == 200
    every = page.get_by_label("Tick every pupil")
    pupils = page.locator('input[name="pupils"]')
    assert every.is_visible() and pupils.count() == 20  # 15 SEND pupils and 5 others in Year 4
    every.check()
    assert all(pupils.nth(i).is_checked() for i in range(pupils.count()))
    pupils.nth(0).uncheck()
    assert every.evaluate("box => box.indeterminate") is True
    assert [describe("place", page.url, v) for v in blocking_violations(page)] == []
