"""The SEF's attainment and progress with pupils judged on other frameworks (issue 22): the mixed
class of tests/gaps/framework_cohort.py, worked by hand there, and the governor's class of
tests/gaps/test_figures_frameworks.py."""

import pytest
from django.urls import reverse

from core.calendar import academic_year_label
from core.roles import Role
from reports import snapshot
from reports.sef import sef_figures
from tests.gaps.builders import THIS_YEAR
from tests.gaps.framework_cohort import build_framework_cohort
from tests.gaps.test_figures_frameworks import LINE, build_governor_class
from tests.gaps.test_lines import text_of

pytestmark = pytest.mark.django_db

SPRING = f"Spring {academic_year_label(THIS_YEAR)}"


@pytest.fixture
def mixed(db):
    return build_framework_cohort()


def test_sef_progress_line_by_framework(mixed):
    """SEND 12/15 = 80% made expected progress or better (judged on four frameworks), the others
    5/5 = 100% (all on the school's scale, so nothing more is said): a gap of 20 points. SEND
    at or above ARE 4/15 = 27% (the seven on frameworks below ARE), others 100%."""
    figures = sef_figures(mixed["school"], THIS_YEAR, anonymised=False, framework="2019")
    attainment, progress = figures.attainment.measures
    assert (str(attainment.rows[0].send), attainment.rows[0].gap) == ("27% (4/15)", 73)
    row = progress.rows[0]
    assert (row.subject, row.point, str(row.send), str(row.others), row.gap) == (
        "Reading",
        SPRING,
        "80% (12/15)",
        "100% (5/5)",
        20,
    )
    head = progress.lines[0].figures[0]
    assert head.send_says == "80% (12/15) made expected progress or better"
    assert head.send_by_framework == LINE
    assert head.others_by_framework == ""
    # The drafted finding says it too.
    finding = next(f for f in figures.attainment.findings if f.startswith("Expected progress or better"))
    assert finding.endswith(f"(SEND 80% (12/15), others 100% (5/5)). SEND pupils: {LINE}.")
    # A signed-off snapshot keeps it.
    assert snapshot.load(snapshot.dump(figures)) == figures


def test_sef_page_says_it(client, mixed):
    client.force_login(mixed[Role.SENCO].user)
    text = text_of(client.get(reverse("reports:sef"), {"year": THIS_YEAR}))
    assert LINE in text
    assert "is judged on that framework's own expected rate" in text


def test_governor_sef_hides_the_small_parts(client):
    school, _spring, governor = build_governor_class()
    figures = sef_figures(school, THIS_YEAR, anonymised=True)
    head = figures.attainment.measures[1].lines[0].figures[0]
    said = (
        "18 of 23 made expected progress or better: 11 of 16 on the school's scale, c of c on pre-key "
        "stage 2 standards, c of c on small steps"
    )
    assert head.send_says == "78% (18/23) made expected progress or better"
    assert head.send_by_framework == said
    client.force_login(governor.user)
    response = client.get(reverse("reports:sef_governor"), {"year": THIS_YEAR})
    assert response.status_code == 200
    text = text_of(response)
    assert said in text
    assert "2 of 2" not in text and "5 of 5" not in text
