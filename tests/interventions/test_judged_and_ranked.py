"""Exit criteria counted over the pupils judged, scores kept inside the measure's range, and
gains ranked only against gains on the same measure, with a minimum group: worked by hand on a
small school and asserted as the text a reader sees."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.roles import Role
from interventions import selectors, services
from interventions.models import Checkpoint
from reports.sef.interventions import interventions_section
from tests.factories import InterventionFactory, MembershipFactory, PupilFactory, SchoolFactory
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

YEAR = 2025
D = Decimal


def build_school():
    """Five interventions of 2025/26, staff costs nil so that each cost is its resources:

    - Phonics A, "words read" 0 to 40, 10 weeks, £60: baselines 10/12/14, exits 20/20/30, all
      judged (met, met, not met).
    - Phonics B, "Words  read" 0 to 40 (the same measure, typed differently), 5 weeks, £15:
      10/10/10 to 15/16/14, none judged yet.
    - Phonics C, "words read" 0 to 40, 5 weeks, £10: 2 pupils, 10 to 12 and 10 to 30.
    - Number sense, "number score" 0 to 50, 10 weeks, £40: 20/20/20/20 to 30/25/28/21; judged
      met, met, not met, and one not yet judged.
    - Nurture, no measure named, 6 weeks, £30: 1 pupil, 5 to 9.
    """
    school = SchoolFactory(name="Elm")
    senco = MembershipFactory(school=school, role=Role.SENCO)
    plans = [
        ("Phonics A", "words read", 10, 60, [(10, 20, True), (12, 20, True), (14, 30, False)]),
        ("Phonics B", "Words  read", 5, 15, [(10, 15, None), (10, 16, None), (10, 14, None)]),
        ("Phonics C", "words read", 5, 10, [(10, 12, True), (10, 30, True)]),
        (
            "Number sense",
            "number score",
            10,
            40,
            [(20, 30, True), (20, 25, True), (20, 28, False), (20, 21, None)],
        ),
        ("Nurture", "", 6, 30, [(5, 9, True)]),
    ]
    made = {}
    for name, measure, weeks, resources, scores in plans:
        high = {"words read": 40, "number score": 50}.get(" ".join(measure.split()).lower())
        intervention = InterventionFactory(
            school=school,
            name=name,
            measure_name=measure,
            measure_min=D(0) if high else None,
            measure_max=D(high) if high else None,
            weeks=weeks,
            staff_hourly_rate=D(0),
            resources_cost=D(resources),
        )
        pupils = [
            PupilFactory(school=school, year_group=3, sen_status="K", legal_surname=f"{name[:3]}{n}")
            for n in range(len(scores))
        ]
        run = services.run_save(
            intervention=intervention,
            staff=[senco.user],
            pupils=pupils,
            start_date=datetime.date(YEAR, 9, 15),
            end_date=datetime.date(YEAR, 12, 12),
        )
        places = sorted(run.places.select_related("pupil"), key=lambda p: p.pupil.legal_surname)
        for place, (baseline, exit_score, met) in zip(places, scores, strict=True):
            services.place_update(
                place=place, baseline=D(baseline), exit_score=D(exit_score), exit_criteria_met=met
            )
        made[name] = (intervention, run, places)
    return school, senco, made


@pytest.fixture
def elm(db):
    return build_school()


def page_text(response):
    """The page as a reader sees it: tags dropped, whitespace made single spaces."""
    html = re.sub(r"<(script|style).*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def impact_page(client, membership, fmt=""):
    client.force_login(membership.user)
    return client.get(reverse("interventions:impact") + f"?year={YEAR}{fmt}")


# -- met exit criteria: over the pupils judged ------------------------------------------------


def test_exit_criteria_are_counted_over_the_pupils_judged(elm):
    school, _senco, _made = elm
    rows = {r.intervention.name: r for r in selectors.intervention_impact(school, YEAR)}
    # Number sense: 3 judged (2 met, 1 not met), 1 not judged: 2/3 = 66.7 -> 67%.
    assert str(rows["Number sense"].exit_met) == (
        "2 of 3 judged met the exit criteria: 67% (2/3); 1 not yet judged"
    )
    # Phonics B: three exit scores and no judgement yet. Before, this read "0% (0/3)".
    assert str(rows["Phonics B"].exit_met) == "none judged yet; 3 not yet judged"
    # Phonics A: all three judged, two met.
    assert str(rows["Phonics A"].exit_met) == "2 of 3 judged met the exit criteria: 67% (2/3)"


def test_impact_page_pdf_and_sef_state_the_judged_and_the_not_judged(client, elm):
    school, senco, made = elm
    text = page_text(impact_page(client, senco))
    assert "2 of 3 judged met the exit criteria: 67% (2/3); 1 not yet judged" in text
    assert "none judged yet; 3 not yet judged" in text
    pdf = pdf_text(impact_page(client, senco, "&format=pdf").content)
    assert "none judged yet; 3 not yet judged" in pdf
    section = interventions_section(school, YEAR, suppress_below=0)
    assert {line.name: str(line.exit_met) for line in section.impact}["Number sense"] == (
        "2 of 3 judged met the exit criteria: 67% (2/3); 1 not yet judged"
    )
    # Judging the last Number sense pupil (met) makes it 3 of 4: 75%.
    place = made["Number sense"][2][3]
    services.place_update(place=place, exit_criteria_met=True)
    text = page_text(impact_page(client, senco))
    assert "3 of 4 judged met the exit criteria: 75% (3/4)" in text


def test_a_governor_sees_no_exit_figure_under_the_threshold(client, elm):
    school, _senco, _made = elm
    governor = MembershipFactory(school=school, role=Role.GOVERNOR)
    rows = {r.intervention.name: r for r in selectors.intervention_impact(school, YEAR, suppress_below=5)}
    assert str(rows["Number sense"].exit_met) == "c"
    text = page_text(impact_page(client, governor))
    assert "2 of 3 judged" not in text and "1 not yet judged" not in text
    assert "Number sense number score (0 to 50) 1 c c c c" in text


# -- scores inside the measure's range ------------------------------------------------------


def test_a_checkpoint_outside_the_range_is_refused_with_the_range(client, elm):
    _school, senco, made = elm
    place = made["Phonics A"][2][0]
    client.force_login(senco.user)
    url = reverse("interventions:checkpoint_create", args=[place.pk])
    response = client.post(url, {"week": 5, "score": "55"})
    assert response.status_code == 400
    assert "55 is outside the range of “words read”: enter a score from 0 to 40." in page_text(response)
    assert not Checkpoint.objects.exists()
    for bad in ("-1", "abc", "1e400", "40.05"):
        assert client.post(url, {"week": 5, "score": bad}).status_code == 400
    assert not Checkpoint.objects.exists()
    assert client.post(url, {"week": 5, "score": "40"}).status_code == 302
    assert Checkpoint.objects.get().score == D(40)
    # The sheet's own checkpoint boxes carry the range for the browser too.
    sheet = client.get(reverse("interventions:run", args=[place.run_id])).content.decode()
    assert 'min="0.0" max="40.0"' in sheet
    assert "words read (scores from 0 to 40)" in page_text(
        client.get(reverse("interventions:run", args=[place.run_id]))
    )


def test_baseline_and_exit_outside_the_range_are_refused(client, elm):
    _school, senco, made = elm
    place = made["Number sense"][2][0]
    client.force_login(senco.user)
    response = client.post(
        reverse("interventions:place_edit", args=[place.pk]),
        {"entry_data": "", "baseline": "-2", "exit_score": "51", "exit_criteria_met": "true"},
    )
    assert response.status_code == 400
    text = page_text(response)
    assert "-2 is outside the range of “number score”: enter a score from 0 to 50." in text
    assert "51 is outside the range of “number score”: enter a score from 0 to 50." in text
    place.refresh_from_db()
    assert (place.baseline, place.exit_score) == (D(20), D(30))


def test_the_services_refuse_out_of_range_scores_whatever_the_path(elm):
    _school, senco, made = elm
    place = made["Phonics A"][2][1]
    with pytest.raises(ValidationError) as error:
        services.checkpoint_record(place=place, week=3, score=D("55"), by=senco.user)
    assert error.value.message_dict == {
        "score": ["55 is outside the range of “words read”: enter a score from 0 to 40."]
    }
    with pytest.raises(ValidationError) as error:
        services.place_update(place=place, exit_score=D("40.5"))
    assert "exit_score" in error.value.message_dict
    # An intervention with no range named takes any score.
    nurture_place = made["Nurture"][2][0]
    services.checkpoint_record(place=nurture_place, week=2, score=D("120"), by=senco.user)


def test_a_range_cannot_leave_out_scores_already_recorded(client, elm):
    _school, senco, made = elm
    intervention = made["Phonics A"][0]
    with pytest.raises(ValidationError) as error:
        services.intervention_update(intervention=intervention, measure_max=D(25))
    # Phonics A's exit of 30 is the only score above 25.
    assert error.value.message_dict == {
        "measure_max": [
            "1 score already recorded falls outside 0 to 25: correct it on the monitoring sheets "
            "first, or widen the range."
        ]
    }
    with pytest.raises(ValidationError) as error:
        services.intervention_update(intervention=intervention, measure_min=D(40), measure_max=D(10))
    assert error.value.message_dict == {"measure_max": ["The highest score must be above the lowest."]}
    intervention.refresh_from_db()
    assert (intervention.measure_min, intervention.measure_max) == (D(0), D(40))


# -- ranking: within a measure, with a minimum group ----------------------------------------


def test_gains_are_ranked_only_within_their_measure_and_group_size(elm):
    school, _senco, _made = elm
    ranking = selectors.rank_within_measures(selectors.intervention_impact(school, YEAR))
    # Words read: A gains 10, 8, 16 (mean 34/3 = 11.33, over 10 weeks 1.13 a week; £60/34 =
    # £1.76 per unit of gain); B gains 5, 6, 4 (mean 5, over 5 weeks 1.00 a week; £15/15 =
    # £1.00). C has 2 pupils: unranked. Number sense (0.60 a week) is on another measure, so it
    # is never ranked against phonics; Nurture (1 pupil, no measure) is unranked.
    table = [
        (m.measure, [(n, r.intervention.name, str(r.gain_per_week), v) for n, r, v in m.table])
        for m in ranking.measures
    ]
    assert table == [
        ("words read (0 to 40)", [(1, "Phonics A", "1.13", 2), (2, "Phonics B", "1.00", 1)]),
        ("number score (0 to 50)", [(1, "Number sense", "0.60", 1)]),
    ]
    assert [r.intervention.name for r in ranking.unranked] == ["Nurture", "Phonics C"]
    assert ranking.summary == (
        "Ranked within each measure, where at least 3 pupils have a baseline and an exit score; "
        "2 interventions with fewer are listed below, unranked."
    )


def test_impact_page_shows_one_ranking_table_per_measure_and_the_minimum(client, elm):
    _school, senco, _made = elm
    text = page_text(impact_page(client, senco))
    assert (
        "Ranked within each measure, where at least 3 pupils have a baseline and an exit score; "
        "2 interventions with fewer are listed below, unranked."
    ) in text
    ranking = text[text.index("Ranked by impact and by value") :]
    # The chart of the two phonics interventions, then their table; Number sense on its own.
    assert "Mean gain a week: words read (0 to 40)" in ranking
    assert (
        "Interventions on words read (0 to 40), ranked by gain a week and by cost per unit of gain "
        "Impact rank Intervention Pupils with a baseline and an exit score Gain a week Mean gain Weeks "
        "Cost per unit of gain Value rank "
        "1 Phonics A 3 1.13 11.33 10 £1.76 2 "
        "2 Phonics B 3 1.00 5.00 5 £1.00 1 Alone"
    ) in ranking
    assert "Mean gain a week: number score" not in ranking
    assert "Interventions on number score" not in ranking
    assert (
        "Alone on their measure: nothing to rank them against Number sense, on number score (0 to 50): "
        "0.60 a week (mean gain 6.00 over 10 weeks), £1.67 per unit of gain; 4 pupils with a baseline "
        "and an exit score"
    ) in ranking
    assert "Nurture (measure not named): 1 pupil with a baseline and an exit score" in ranking
    assert "Phonics C (words read (0 to 40)): 2 pupils with a baseline and an exit score" in ranking
    # Hours and progress, per measure (no sessions recorded: everyone is under 5 hours). Words
    # read: gains 10, 8, 16, 5, 6, 4, 2, 20 = 71 over 8 pupils = 8.875 -> 8.88.
    assert "words read (0 to 40) 8.88 (8 pupils) — — —" in ranking
    assert "number score (0 to 50) 6.00 (4 pupils) — — —" in ranking


def test_a_governor_reads_the_same_order_with_the_figures_hidden(client, elm):
    school, _senco, _made = elm
    governor = MembershipFactory(school=school, role=Role.GOVERNOR)
    text = page_text(impact_page(client, governor))
    ranking = text[text.index("Ranked by impact and by value") :]
    assert "1 Phonics A c c c 10 c 2" in ranking
    assert "2 Phonics B c c c 5 c 1" in ranking
    assert (
        "Phonics C (words read (0 to 40)): fewer than 5 pupils with a baseline and an exit score" in ranking
    )
    assert "Number sense, on number score (0 to 50): figures not shown (fewer than 5 pupils)" in ranking
    assert "1.13" not in ranking and "0.60" not in ranking


def test_sef_names_most_and_least_impact_within_a_measure_only(elm):
    school, _senco, _made = elm
    section = interventions_section(school, YEAR, suppress_below=0)
    assert section.findings == [
        "Most impact on words read (0 to 40): Phonics A, a mean gain of 1.13 a week (11.33 in all) at "
        "£20.00 a pupil.",
        "Least impact on words read (0 to 40): Phonics B, a mean gain of 1.00 a week (5.00 in all) at "
        "£5.00 a pupil.",
        "Best value for money on words read (0 to 40): Phonics B, £1.00 per unit of gain.",
        "Ranked within each measure, where at least 3 pupils have a baseline and an exit score; "
        "2 interventions with fewer are not ranked.",
    ]
    governor = interventions_section(school, YEAR, suppress_below=5)
    assert governor.findings[0] == (
        "Most impact on words read (0 to 40): Phonics A, figures not shown (fewer than 5 pupils)."
    )
