"""Every line of the school's scheme on gap questions B and C, for the hand-worked cohort of
tests/gaps/lines_cohort.py (a four-band progress scale)."""

import csv
import io
import re
from html import unescape

import pytest
from django.urls import reverse

from assessment.models import AttainmentBand, ProgressBand
from core.roles import Role
from tests.gaps.lines_cohort import build_lines_cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(db):
    return build_lines_cohort()


def text_of(response):
    """The page as a reader reads it: tags dropped, runs of whitespace made single spaces."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def get(client, membership, name, query):
    client.force_login(membership.user)
    response = client.get(reverse(name) + query)
    assert response.status_code == 200
    return response


def test_b_shows_every_line_by_sen_status(client, lines):
    spring = lines["scheme"].point("Spring")
    response = get(client, lines[Role.SENCO], "gaps:attainment", f"?point={spring.pk}")
    text = text_of(response)
    # Columns: No SEN, SEN support, EHC plan, All SEND.
    assert "At or above ARE 100% (9/9) 63% (5/8) 100% (3/3) 73% (8/11)" in text
    assert "Exceeding ARE 22% (2/9) 0% (0/8) 67% (2/3) 18% (2/11)" in text
    assert "Made at least satisfactory progress 100% (9/9) 75% (6/8) 100% (3/3) 82% (9/11)" in text
    assert "Made good or outstanding progress 78% (7/9) 38% (3/8) 100% (3/3) 55% (6/11)" in text
    # The drafted finding says each line in words.
    draft = response.context["finding"]["draft"]
    assert "SEND 82% (9/11) made at least satisfactory progress (no SEN 100% (9/9))" in draft
    assert "SEND 55% (6/11) made good or outstanding progress (no SEN 78% (7/9))" in draft
    assert "SEND 73% (8/11) at or above ARE (no SEN 100% (9/9))" in draft


def test_b_csv_has_a_column_per_status_and_line(client, lines):
    spring = lines["scheme"].point("Spring")
    response = get(client, lines[Role.SENCO], "gaps:attainment", f"?point={spring.pk}&format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    reading = dict(zip(rows[0], next(r for r in rows[1:] if r[1] == "Reading"), strict=True))
    assert reading["All SEND: good or outstanding progress"] == "55% (6/11)"
    assert reading["All SEND: at least satisfactory progress"] == "82% (9/11)"
    assert reading["SEN support: good or outstanding progress"] == "38% (3/8)"
    assert reading["No SEN: exceeding ARE"] == "22% (2/9)"


def test_c_shows_a_line_table_under_each_grid(client, lines):
    spring = lines["scheme"].point("Spring")
    response = get(client, lines[Role.SENCO], "gaps:grid", f"?point={spring.pk}&group=send")
    report = response.context["report"]
    row = report.progress_lines[0]
    assert (row.label, row.subject.name) == ("Year 4", "Reading")
    assert row.says() == [
        "82% (9/11) made at least satisfactory progress",
        "55% (6/11) made good or outstanding progress",
    ]
    assert report.attainment_lines[0].says() == ["73% (8/11) at or above ARE", "18% (2/11) exceeding ARE"]
    text = text_of(response)
    assert "Made at least satisfactory progress Made good or outstanding progress" in text
    # Laid out as the grid: a row per year group, per subject (Reading, Writing, Maths) a column
    # per line; Writing and Maths not assessed.
    assert "Year 4 82% (9/11) 55% (6/11) — — — —" in text
    assert "Year 4 73% (8/11) 18% (2/11) — — — —" in text
    assert "In-school gaps at or above ARE, largest first" in text


def test_c_csv_lists_the_lines_after_the_grids(client, lines):
    spring = lines["scheme"].point("Spring")
    response = get(client, lines[Role.SENCO], "gaps:grid", f"?point={spring.pk}&group=send&format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["Progress line", "Year 4", "Reading", "good or outstanding progress", "55% (6/11)"] in rows
    assert ["Attainment line", "Year 4", "Reading", "exceeding ARE", "18% (2/11)"] in rows


def test_governor_gets_no_line_that_would_give_a_small_band_away(client, lines):
    """Threshold 5. In C the SEND progress grid hides Inadequate (2 pupils) and Outstanding (2),
    so neither line is shown: 9/11 would give the two inadequate away. In B, All SEND: the
    lines 9 and 6 differ by 3 (the Satisfactory pupils), so the second line is not shown."""
    spring = lines["scheme"].point("Spring")
    response = get(client, lines[Role.GOVERNOR], "gaps:grid", f"?point={spring.pk}&group=send")
    assert response.context["report"].progress_lines[0].says() == [
        "at least satisfactory progress: not shown",
        "good or outstanding progress: not shown",
    ]
    text = text_of(response)
    assert "82% (9/11)" not in text
    assert "Made good or outstanding progress Year 4 c c — — — —" in text
    response = get(client, lines[Role.GOVERNOR], "gaps:attainment", f"?point={spring.pk}")
    reading = next(r for r in response.context["report"].rows if r.subject.name == "Reading")
    good = reading.lines[3]
    assert good.line.name == "good or outstanding progress"
    assert good.shares["send"] is None and "55% (6/11)" not in text_of(response)


def test_lines_cost_no_query(client, lines, django_assert_max_num_queries):
    """B and C count every line in the queries they already make: the same number of queries
    with two lines on each scale as with one."""
    spring = lines["scheme"].point("Spring")
    client.force_login(lines[Role.SENCO].user)
    client.get(reverse("home"))
    counts = {}
    for lines_marked in (2, 1):
        for name in ("gaps:attainment", "gaps:grid"):
            with django_assert_max_num_queries(17) as captured:
                assert client.get(reverse(name) + f"?point={spring.pk}").status_code == 200
            counts[(lines_marked, name)] = len(captured)
        AttainmentBand.objects.filter(school=lines["school"], code="EX").update(line_name="")
        ProgressBand.objects.filter(school=lines["school"], code="G").update(line_name="")
    assert counts[(2, "gaps:attainment")] == counts[(1, "gaps:attainment")]
    assert counts[(2, "gaps:grid")] == counts[(1, "gaps:grid")]


def test_gap_headings_name_the_schemes_headline_line(client, lines):
    AttainmentBand.objects.filter(school=lines["school"], code="OT").update(
        line_name="at the school's standard"
    )
    spring = lines["scheme"].point("Spring")
    text = text_of(get(client, lines[Role.SENCO], "gaps:dashboard", f"?point={spring.pk}"))
    assert "Largest in-school gaps at the school's standard" in text
    text = text_of(get(client, lines[Role.SENCO], "gaps:grid", f"?point={spring.pk}"))
    assert "In-school gaps at the school's standard, largest first" in text
