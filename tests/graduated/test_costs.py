"""Costs worked by hand (tests/graduated/conftest.py shows the working)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from graduated.costing import pupil_costs, school_costed_map
from graduated.models import AuthoritySettings, Provision
from tests.factories import InterventionPlaceFactory, InterventionRunFactory, PupilFactory
from tests.pdf import pdf_text
from tests.queries import access_log_writes

pytestmark = pytest.mark.django_db


def test_a_pupils_shares_weeks_and_total_against_the_threshold(cohort):
    costs = pupil_costs(cohort.p, cohort.year)
    rows = [(r.source, r.hours_a_week, r.weeks, r.cost) for r in costs.rows]
    assert rows == [
        ("Intervention", Decimal("1.50"), 10, Decimal("120.00")),
        ("Intervention", Decimal("1.50"), 12, Decimal("138.00")),
        ("In-class support", Decimal("10.00"), 38, Decimal("5130.00")),
    ]
    assert "a group of 4: a share of 1/4" in costs.rows[0].detail
    assert costs.total == Decimal("5388.00")
    assert costs.hours_a_week == Decimal("13.00")
    assert costs.total_text == "£5,388 a year"
    assert costs.against_threshold == "£5,388 a year, £612 below the element 2 threshold of £6,000"
    assert not costs.meets_threshold


def test_the_threshold_is_the_schools_setting(cohort, school):
    AuthoritySettings.objects.create(school=school, element_2_threshold=Decimal("5000"))
    costs = pupil_costs(cohort.p, cohort.year)
    assert costs.against_threshold == "£5,388 a year, £388 above the element 2 threshold of £5,000"
    assert costs.meets_threshold


def test_provision_shared_between_pupils_is_divided(cohort):
    Provision.objects.create(
        pupil=cohort.p,
        academic_year=cohort.year,
        kind=Provision.Kind.EQUIPMENT,
        description="Writing slope and pencil grips",
        other_cost=Decimal("250"),
        shared_by=2,
    )
    # 5,388 + 250 / 2 = 5,513
    assert pupil_costs(cohort.p, cohort.year).total_text == "£5,513 a year"


def test_the_pupil_page_shows_the_costs(client, senco, cohort):
    client.force_login(senco.user)
    page = client.get(reverse("graduated:pupil_provision", args=[cohort.p.pk])).content.decode()
    assert "£5,130.00" in page and "£120.00" in page and "£138.00" in page
    assert "£5,388 a year, £612 below the element 2 threshold of £6,000" in page
    assert "Taxi to school" not in page  # no longer provided


def test_the_school_map_by_pupil_and_by_need(senco, cohort):
    cmap = school_costed_map(senco, cohort.year)
    by_pupil = {row.pupil.legal_surname: row.total for row in cmap.pupils}
    assert by_pupil == {
        "Pemberton": Decimal("5388.00"),
        "Quayle": Decimal("258.00"),
        "Quinn": Decimal("120.00"),
        "Quartey": Decimal("120.00"),
        "Rourke": Decimal("138.00"),
    }
    assert cmap.pupils[0].pupil == cohort.p  # highest cost first
    needs = {n.need: (n.pupils, n.with_provision, n.at_threshold, n.total) for n in cmap.needs}
    assert needs == {
        "SLCN": (2, 2, 0, Decimal("5646.00")),
        "SEMH": (2, 2, 0, Decimal("240.00")),
        "": (1, 1, 0, Decimal("138.00")),
    }
    assert cmap.total == Decimal("6024.00")


def test_the_map_counts_pupils_at_the_threshold(senco, school, cohort):
    AuthoritySettings.objects.create(school=school, element_2_threshold=Decimal("5000"))
    cmap = school_costed_map(senco, cohort.year)
    assert cmap.at_threshold == 1
    assert [n.at_threshold for n in cmap.needs if n.need == "SLCN"] == [1]


def test_the_map_csv(client, senco, cohort):
    client.force_login(senco.user)
    text = client.get(reverse("graduated:map_csv"), {"year": cohort.year}).content.decode("utf-8-sig")
    assert "Pemberton" in text and "5388.00" in text and "5646.00" in text


def test_the_map_pdf(client, senco, cohort):
    client.force_login(senco.user)
    response = client.get(reverse("graduated:map"), {"year": cohort.year, "format": "pdf"})
    text = pdf_text(response.content)
    assert "Costed provision map" in text and "£5,388.00" in text and "£6,024" in text


def _grow(school, year, n):
    """n more pupils, each in a run of their own."""
    for i in range(n):
        pupil = PupilFactory(school=school, sen_status="K", primary_need="MLD")
        run = InterventionRunFactory(intervention__school=school, start_date=f"{year}-10-{1 + i % 20:02d}")
        InterventionPlaceFactory(run=run, pupil=pupil)
        Provision.objects.create(
            pupil=pupil, academic_year=year, kind="equipment", description="Laptop", other_cost=Decimal("400")
        )


@pytest.mark.parametrize("extra", [0, 25])
def test_the_map_query_count_does_not_grow_with_pupils(
    client, senco, school, cohort, extra, django_assert_num_queries
):
    _grow(school, cohort.year, extra)
    client.force_login(senco.user)
    # Session, user and membership (3); the threshold, the pupils with their costs, the needs (3).
    # The access log adds its writes whatever the number of pupils (tests.queries).
    with django_assert_num_queries(6 + access_log_writes()):
        response = client.get(reverse("graduated:map"), {"year": cohort.year})
    assert response.status_code == 200
    assert len(response.context["map"].pupils) == 5 + extra
    # The cohort's £6,024 and £400 of equipment for each extra pupil (the factory's runs cost £0).
    assert f"£{6024 + 400 * extra:,}" in response.content.decode()
