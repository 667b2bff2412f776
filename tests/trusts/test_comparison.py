"""The trust comparison page over two small schools worked by hand (tests/trusts/cohort.py):
shares, gaps and their direction, the trend, hidden small groups, the anonymised names a head
reads, sorting, and a query count that does not grow with the number of schools."""

import re

import pytest
from django.urls import reverse

from core.roles import Role
from tests.factories import MembershipFactory, OrganisationMembershipFactory, SchoolFactory
from tests.gaps.builders import THIS_YEAR
from tests.trusts.cohort import build_birch, build_trust
from trusts.models import SchoolYearFigures
from trusts.services import rollup_refresh, rollup_refresh_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def trust(db):
    built = build_trust()
    rollup_refresh_all()
    return built


def cells(page, table_start):
    """{row heading: [cell texts]} of the table whose region label starts with `table_start`."""
    region = page.split(f'aria-label="{table_start}', 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", region, re.S):
        heading = re.search(r'<th scope="row">(.*?)</th>', row, re.S)
        if not heading:
            continue
        name = re.sub(r"<.*?>", " ", heading.group(1)).split("  ")[0].strip()
        texts = [
            re.sub(r"\s+", " ", re.sub(r"<.*?>", " ", c)).strip()
            for c in re.findall(r"<td>(.*?)</td>", row, re.S)
        ]
        rows[name] = texts
    return rows


def page_as(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("trusts:comparison"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_rollup_holds_the_counts_worked_by_hand(trust):
    now = SchoolYearFigures.objects.get(school=trust["ash"], academic_year=THIS_YEAR)
    assert (now.pupils, now.send, now.ehcp) == (30, 10, 2)
    assert (now.att_f_ok, now.att_f_n, now.att_r_ok, now.att_r_n) == (5, 10, 15, 20)
    assert (now.prog_f_ok, now.prog_f_n, now.prog_r_ok, now.prog_r_n) == (5, 10, 20, 20)
    assert (now.pa_f, now.pa_f_n, now.pa_r, now.pa_r_n) == (5, 10, 5, 20)
    assert (now.susp_f, now.susp_f_n, now.susp_r, now.susp_r_n) == (0, 10, 0, 20)
    assert now.point_name == "Autumn"
    last = SchoolYearFigures.objects.get(school=trust["ash"], academic_year=THIS_YEAR - 1)
    assert (last.att_f_ok, last.att_f_n, last.att_r_ok, last.att_r_n) == (0, 10, 10, 20)
    assert last.pupils is None  # the register is today's only
    # Three years are kept, whatever the school holds.
    assert SchoolYearFigures.objects.filter(school=trust["ash"]).count() == 3


def test_trust_lead_reads_every_school_of_the_trust_by_name(client, trust):
    lead = OrganisationMembershipFactory(organisation=trust["trust"])
    page = page_as(client, lead.user)
    assert "Cedar Primary" not in page
    register = cells(page, "Pupils and the SEND record")
    assert set(register) == {"Ash Primary", "Birch Primary"}
    # Ash: 10 of 30 with SEND (33%); 2 with an EHC plan is under 5: hidden.
    assert register["Ash Primary"][:4] == ["30", "33% (10/30)", "above national", "c"]
    # Birch: 3 of 8 with SEND is hidden; no EHC plan at all is a true zero, shown.
    assert register["Birch Primary"][:3] == ["8", "c", "—"]
    assert register["Birch Primary"][3] == "0% (0/8)"
    gaps = cells(page, "Attainment and progress")
    ash = gaps["Ash Primary"]
    # Point, SEND 5/10, no SEN 15/20, gap 75 - 50 = 25, narrowed from 50; trend: none, 50, 25.
    assert ash[:4] == ["Autumn", "50% (5/10)", "75% (15/20)", "25"]
    assert ash[4] == "Narrowed down from 50"
    assert ash[5] == f"{THIS_YEAR - 2}/{(THIS_YEAR - 1) % 100:02d}: — → , " + (
        f"{THIS_YEAR - 1}/{THIS_YEAR % 100:02d}: 50 → , {THIS_YEAR}/{(THIS_YEAR + 1) % 100:02d}: 25"
    )
    # Progress: 5/10 against 20/20, gap 50; nothing recorded last year: no comparison.
    assert ash[6:9] == ["50% (5/10)", "100% (20/20)", "50"]
    assert ash[9] == "no comparison"
    # Birch: SEND 1 of 3 hidden, so is the gap; no SEN 5 of 5 shown.
    assert gaps["Birch Primary"][1:4] == ["c", "100% (5/5)", "c"]
    absence = cells(page, "Persistent absence and suspensions")
    # 5/10 against 5/20: 50 - 25 = 25 points more often absent; no suspension: 0 - 0.
    assert absence["Ash Primary"][:3] == ["50% (5/10)", "25% (5/20)", "25"]
    assert absence["Ash Primary"][4:] == ["0% (0/10)", "0% (0/20)", "0"]
    reviews = cells(page, "Interventions and reviews")
    # 1 of 2 annual reviews overdue: under 5, hidden.
    assert reviews["Ash Primary"] == ["0", "—", "none (0/0)", "c"]
    assert "c: not shown, to protect pupils" in page
    # Each other school opens through the school switcher, onto its gap analysis.
    assert f'name="school" value="{trust["birch"].pk}"' in page
    assert "Open Birch Primary" in page


def test_head_reads_their_school_against_the_others_unnamed(client, trust):
    head = MembershipFactory(school=trust["birch"], role=Role.HEAD)
    page = page_as(client, head.user)
    register = cells(page, "Pupils and the SEND record")
    assert "Ash Primary" not in page and "Cedar Primary" not in page
    # Their own school in full (a head sees small groups), the other as "School B", hidden
    # under its threshold as for a trust lead.
    assert set(register) == {"Birch Primary", "School B"}
    assert register["Birch Primary"][:2] == ["8", "38% (3/8)"]
    assert register["School B"][:4] == ["30", "33% (10/30)", "above national", "c"]
    assert cells(page, "Attainment and progress")["Birch Primary"][1:4] == ["33% (1/3)", "100% (5/5)", "67"]
    # No way into another school's pages.
    assert f'name="school" value="{trust["ash"].pk}"' not in page


def test_the_letters_say_nothing_of_the_schools(client, trust):
    """With more schools, a head reads B, C, D ... in an order that is not their names'."""
    more = [SchoolFactory(name=f"Zz {n}", organisation=trust["trust"]) for n in range(4)]
    head = MembershipFactory(school=trust["birch"], role=Role.HEAD)
    page = page_as(client, head.user)
    labels = set(cells(page, "Pupils and the SEND record"))
    assert labels == {"Birch Primary", "School B", "School C", "School D", "School E", "School F"}
    assert not any(school.name in page for school in more)


def test_unnamed_schools_sort_by_letter_as_spreadsheet_columns_go(client, trust):
    """School Z, then School AA: 26 more schools take a head's letters past Z."""
    for n in range(26):
        SchoolFactory(name=f"Zz {n}", organisation=trust["trust"])
    head = MembershipFactory(school=trust["birch"], role=Role.HEAD)
    labels = list(cells(page_as(client, head.user), "Pupils and the SEND record"))
    # Their own school by name ("Birch" before "School"), then B to Z, then AA and AB.
    expected = ["Birch Primary"] + [f"School {chr(c)}" for c in range(ord("B"), ord("Z") + 1)]
    assert labels == expected + ["School AA", "School AB"]


def test_sorting_puts_hidden_figures_last_either_way(client, trust):
    lead = OrganisationMembershipFactory(organisation=trust["trust"])
    order = lambda **p: list(cells(page_as(client, lead.user, **p), "Pupils and the SEND record"))  # noqa: E731
    assert order() == ["Ash Primary", "Birch Primary"]
    assert order(sort="pupils") == ["Birch Primary", "Ash Primary"]
    assert order(sort="pupils", order="desc") == ["Ash Primary", "Birch Primary"]
    # Birch's attainment gap is hidden: last whichever way the column is sorted.
    assert order(sort="attainment") == ["Ash Primary", "Birch Primary"]
    assert order(sort="attainment", order="desc") == ["Ash Primary", "Birch Primary"]
    # A sort that is not offered falls back to the schools' names, never an error.
    assert order(sort="nonsense", order="sideways") == ["Ash Primary", "Birch Primary"]


def test_query_count_does_not_grow_with_the_schools(client, trust, django_assert_max_num_queries):
    lead = OrganisationMembershipFactory(organisation=trust["trust"])
    client.force_login(lead.user)
    counts = []
    for extra in (0, 3):
        for n in range(extra):
            school = SchoolFactory(name=f"Extra {len(counts)} {n}", organisation=trust["trust"])
            build_birch(school)
            rollup_refresh(school_id=school.pk)
        with django_assert_max_num_queries(12) as captured:
            response = client.get(reverse("trusts:comparison"))
        assert response.status_code == 200
        assert response.content.decode().count('<th scope="row">') == 4 * (2 + extra)
        counts.append(len(captured))
    assert counts[0] == counts[1]  # 2 schools and 5 schools


def test_a_school_in_no_trust_is_compared_with_nothing_else(client, db):
    school = SchoolFactory(name="Lone Primary", organisation=None)
    build_birch(school)
    rollup_refresh(school_id=school.pk)
    head = MembershipFactory(school=school, role=Role.HEAD)
    page = page_as(client, head.user)
    assert list(cells(page, "Pupils and the SEND record")) == ["Lone Primary"]


def test_schools_sort_by_name_as_people_read_numbers():
    """A trust's numbered schools in the order of their numbers, not of their digits."""
    from trusts.selectors import _name_key

    names = ["Trust School 10", "Trust School 3", "Ash Primary", "trust school 2", "Trust School 3 Annexe"]
    assert sorted(names, key=_name_key) == [
        "Ash Primary",
        "trust school 2",
        "Trust School 3",
        "Trust School 3 Annexe",
        "Trust School 10",
    ]
