"""The demo's national comparators: loaded from the DfE file in the repository, so that key
question B shows national figures out of the box."""

import re

import pytest
from django.urls import reverse

from assessment.models import AssessmentPoint
from core.roles import Role
from gaps.models import NationalComparator
from schools.models import Membership

# The same demo as test_generator's, so that a run of both builds it once.
from .test_generator import demo  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# The file's 2021/22 row for pupils with an EHC plan in state-funded schools (read from the CSV
# by hand): reading 4814 of 29686 met the expected standard (16.2% -> 16%); reading, writing
# and maths 2079 of 29093 (7.1% -> 7%).
EHCP_READING = (4814, 29686)
EHCP_RWM = (2079, 29093)


def text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_every_demo_school_has_national_figures_for_every_demo_year(demo):  # noqa: F811
    years = set(AssessmentPoint.objects.values_list("academic_year", flat=True))
    assert years == {2022, 2023, 2024, 2025, 2026}
    for built in demo["schools"]:
        stored = NationalComparator.objects.filter(school=built.school)
        # The file as published (2015/16 to 2021/22) and each demo year after it.
        assert set(stored.values_list("academic_year", flat=True)) == set(range(2015, 2027))
        for year in years:
            ehcp = stored.get(academic_year=year, measure="read_expected", group="E")
            assert (ehcp.numerator, ehcp.denominator) == EHCP_READING
            rwm = stored.get(academic_year=year, measure="rwm_expected", group="E")
            assert (rwm.numerator, rwm.denominator) == EHCP_RWM
        # The years the DfE did not assess (2019/20, 2020/21) stay unpublished, never zero.
        assert stored.get(academic_year=2020, measure="read_expected", group="E").numerator is None
    stand_in = NationalComparator.objects.filter(academic_year=2026).first()
    assert stand_in.source == (
        "DfE key stage 2 attainment, national pupil characteristics, 2021/22: the latest year in "
        "the demo's copy of the file, standing in for 2026/27"
    )
    own = NationalComparator.objects.filter(academic_year=2021).first()
    assert own.source == (
        "DfE key stage 2 attainment, national pupil characteristics "
        "(ks2_national_pupil_characteristics_2016_to_2022_revised.csv)"
    )


def test_gap_question_b_shows_national_figures_out_of_the_box(client, demo):  # noqa: F811
    senco = Membership.objects.get(user=demo["users"]["senco"], role=Role.SENCO)
    client.force_login(senco.user)
    page = text(client.get(reverse("gaps:attainment")))
    # Each subject's national line has a figure for every status (a missing one reads "—").
    assert "National, expected standard —" not in page
    # The EHC plan column of the national line under reading, for each of the three years shown.
    assert (
        page.count("National, expected standard 84% (446769/531892) 44% (44515/101592) 16% (4814/29686)") == 3
    )
    assert "2026/27 69% (365820/530964) 21% (21462/101141) 7% (2079/29093)" in page
    assert "not published" not in page
    comparators = text(client.get(reverse("gaps:comparators")))
    assert "standing in for 2026/27" in comparators
