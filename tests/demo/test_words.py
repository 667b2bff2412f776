"""Plain school language on the demo school's pages: no internal reference, subjects by their
own names, "percentage points" for a difference of percentages and the school's measure named
for scale points, and costs with a thousands separator."""

import datetime
import re

import pytest
from django.urls import reverse

from demo.generator import build_demo
from tests.shared_rows import shared_rows

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

TODAY = datetime.date(2026, 12, 3)


@shared_rows
def demo():
    return build_demo(pupils=140, seed=11, today=TODAY)


def page(client, demo, name, who="senco"):
    client.force_login(demo["users"][who])
    response = client.get(reverse(name))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_dashboard_names_subjects_and_measures_as_the_school_does(client, demo):
    html = page(client, demo, "gaps:dashboard")
    subjects = ("Reading", "Writing", "Maths", "GPS")
    # The drafted finding keeps the subject's own name ("GPS", never "gps").
    draft = re.search(r"The largest in-school gap is (\w+) in", html)
    assert draft and draft.group(1) in subjects
    assert not re.search(r"\b(gps|reading|writing|maths) in (Reception|Year)", html)
    # A gap between two percentages is in percentage points; progress in the school's measure.
    assert re.search(r"\d+ percentage points? (behind|ahead)", html)
    assert not re.search(r"\d+ points? (behind|ahead)", html)
    assert "Average progress in APS points since the previous point" in html


def test_the_impact_page_has_no_internal_reference_and_readable_costs(client, demo):
    html = page(client, demo, "interventions:impact")
    assert "seeds/" not in html and "(seeds" not in html
    assert "review or stop the rest." in html
    # Every cost of £1,000 or more has its thousands separator, here and on the provision map,
    # whose total is in the thousands.
    assert not re.search(r"£\d{4}", html)
    provision = page(client, demo, "interventions:provision_map")
    assert not re.search(r"£\d{4}", provision)
    assert re.search(r"£\d{1,3},\d{3}\.\d{2}", provision)
