"""Every line of the school's scheme in the SEF summary (page, PDF, governor version), for the
hand-worked cohort of tests/gaps/lines_cohort.py: a four-band progress scale whose lines are
"at least satisfactory progress" and "good or outstanding progress"."""

import re
from html import unescape

import pytest
from django.urls import reverse

from assessment.models import AttainmentBand, ProgressBand
from core.roles import Role
from reports import snapshot
from reports.sef import sef_figures
from tests.gaps.builders import THIS_YEAR
from tests.gaps.lines_cohort import build_lines_cohort
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

SEND_PROGRESS = [
    "82% (9/11) made at least satisfactory progress",
    "55% (6/11) made good or outstanding progress",
]
OTHERS_PROGRESS = [
    "100% (9/9) made at least satisfactory progress",
    "78% (7/9) made good or outstanding progress",
]


@pytest.fixture
def lines(db):
    return build_lines_cohort()


def text_of(response):
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_every_line_worked_by_hand(lines):
    figures = sef_figures(lines["school"], THIS_YEAR, anonymised=False, framework="2019")
    attainment, progress = figures.attainment.measures
    # The headline line of each scale titles its part and carries the gap.
    assert (attainment.title, progress.title) == ("At or above ARE", "At least satisfactory progress")
    gap = progress.rows[0]
    # Others 9/9 = 100%, SEND 9/11 = 82%: 18 points.
    assert (gap.subject, str(gap.send), str(gap.others)) == ("Reading", "82% (9/11)", "100% (9/9)")
    assert gap.gap == 18
    reading = progress.lines[0]
    assert reading.subject == "Reading" and reading.point.startswith("Spring")
    assert [f.send_says for f in reading.figures] == SEND_PROGRESS
    assert [f.others_says for f in reading.figures] == OTHERS_PROGRESS
    assert [f.send_says for f in attainment.lines[0].figures] == [
        "73% (8/11) at or above ARE",
        "18% (2/11) exceeding ARE",
    ]
    assert [f.others_says for f in attainment.lines[0].figures] == [
        "100% (9/9) at or above ARE",
        "22% (2/9) exceeding ARE",
    ]
    assert snapshot.load(snapshot.dump(figures)) == figures


def test_page_and_pdf_say_both_lines(client, lines):
    client.force_login(lines[Role.SENCO].user)
    page = text_of(client.get(reverse("reports:sef"), {"year": THIS_YEAR}))
    response = client.get(reverse("reports:sef"), {"year": THIS_YEAR, "format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    pdf = pdf_text(response.content)
    for text in (page, pdf):
        for expected in SEND_PROGRESS + OTHERS_PROGRESS + ["18% (2/11) exceeding ARE"]:
            assert expected in text, expected


def test_governor_version_hides_a_line_that_gives_a_small_band_away(client, lines):
    """Threshold 5. SEND progress lines 9 and 6 of 11 differ by 3 (the Satisfactory pupils):
    the second line is not shown; nor is the headline line, 9 of 11, which says 2 are not on it."""
    figures = sef_figures(lines["school"], THIS_YEAR, anonymised=True)
    reading = figures.attainment.measures[1].lines[0]
    assert [f.send_says for f in reading.figures] == [
        "c made at least satisfactory progress",
        "good or outstanding progress: not shown",
    ]
    client.force_login(lines[Role.GOVERNOR].user)
    response = client.get(reverse("reports:sef_governor"), {"year": THIS_YEAR, "format": "pdf"})
    pdf = pdf_text(response.content)
    assert "good or outstanding progress: not shown" in pdf
    assert "55% (6/11)" not in pdf and "78% (7/9)" not in pdf


def test_lines_are_counted_in_the_same_query(lines, django_assert_max_num_queries):
    with django_assert_max_num_queries(22) as two_lines:
        sef_figures(lines["school"], THIS_YEAR, anonymised=False, framework="2019")
    AttainmentBand.objects.filter(school=lines["school"], code="EX").update(line_name="")
    ProgressBand.objects.filter(school=lines["school"], code="G").update(line_name="")
    with django_assert_max_num_queries(22) as one_line:
        figures = sef_figures(lines["school"], THIS_YEAR, anonymised=False, framework="2019")
    assert len(two_lines.captured_queries) == len(one_line.captured_queries)
    assert [f.send_says for f in figures.attainment.measures[1].lines[0].figures] == SEND_PROGRESS[:1]
