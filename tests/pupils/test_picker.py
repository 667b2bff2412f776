"""The pupil picker (issue 16, item 3): a search that finds only the pupils the user may see, in
the same number of queries for any school, and forms that keep working without JavaScript."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from evidence.models import Conversation, EvidenceItem
from interventions.models import InterventionRun
from pupils.models import Pupil
from pupils.picker import results_summary, search
from schools.models import SchoolClass
from tests.factories import InterventionFactory, PupilFactory, SchoolClassFactory

pytestmark = pytest.mark.django_db


def pick(client, text, *, field="pupils", chosen=(), multiple="1"):
    query = {"field": field, f"{field}_q": text, "multiple": multiple, field: list(chosen)}
    return client.get(reverse("pupils:pick"), query)


def found_ids(response, field="pupils"):
    page = response.content.decode()
    return sorted(int(chunk.split('"')[0]) for chunk in page.split(f'id="{field}-found-')[1:])


def test_search_matches_forename_start_surname_part_class_and_upn(world):
    home = world["A"]
    school = home.school
    hazel = SchoolClassFactory(school=school, name="3 Hazel", year_group=3)
    amira = PupilFactory(
        school=school, legal_forename="Amira", legal_surname="Okafor-Smith", school_class=hazel
    )
    amy = PupilFactory(school=school, legal_forename="Sam", preferred_forename="Amy", legal_surname="Jones")
    PupilFactory(
        school=school, legal_forename="Tamara", legal_surname="Bell"
    )  # "am" inside, not at the start
    pupils = Pupil.objects.filter(school=school)
    # "am": Amy (preferred forename) and Amira start with it, surname order: Jones, Okafor-Smith.
    assert search(pupils, "am") == (2, [amy, amira])
    assert search(pupils, "smith") == (1, [amira])  # part of a double-barrelled surname
    assert search(pupils, "amira smith")[0] == 1 and search(pupils, "amira jones")[0] == 0
    assert search(pupils, "hazel") == (1, [amira])  # the class
    assert search(pupils, home.class_pupil.upn.lower()) == (1, [home.class_pupil])
    assert search(pupils, "   ") == (0, [])


def test_results_summary_words():
    assert results_summary(0, 0, "zz") == "No pupil matches \u201czz\u201d."
    assert results_summary(1, 1, "amy") == "1 pupil matches \u201camy\u201d."
    assert results_summary(37, 20, "a") == (
        "37 pupils match \u201ca\u201d; the first 20 are shown, type more to narrow the search."
    )


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        (Role.SENCO, {"class_pupil", "group_pupil", "other_pupil"}),
        (Role.HEAD, {"class_pupil", "group_pupil", "other_pupil"}),
        (Role.TEACHER, {"class_pupil"}),
        (Role.TEACHING_ASSISTANT, {"group_pupil"}),
    ],
)
def test_the_search_finds_only_pupils_the_user_may_see(client, world, role, visible):
    home, away = world["A"], world["B"]
    client.force_login(home.members[role].user)
    # Every world pupil's surname starts "Class", "Group" or "Other"; school B's end in "B".
    ids = set()
    for word in ("Class", "Group", "Other"):
        ids |= set(found_ids(pick(client, word)))
    assert ids == {getattr(home, key).pk for key in visible}
    assert not ids & {p.pk for p in away.pupils}


@pytest.mark.parametrize("role", [Role.GOVERNOR, Role.TRUST_LEAD])
def test_readers_of_figures_cannot_search_pupils(client, world, role):
    client.force_login(world["A"].members[role].user)
    assert pick(client, "Class").status_code == 403


def test_chosen_pupils_come_back_ticked_and_odd_input_is_harmless(client, world):
    home = world["A"]
    client.force_login(home.members[Role.SENCO].user)
    page = pick(client, "Class", chosen=[home.class_pupil.pk, "x", "-1"]).content.decode()
    assert f'value="{home.class_pupil.pk}" id="pupils-found-{home.class_pupil.pk}" checked' in page
    # An odd field name falls back to "pupils", whose query is then the one read.
    odd = {"field": "<script>", "multiple": "0", "pupils_q": "Class", "<script>_q": "Other"}
    page = client.get(reverse("pupils:pick"), odd).content.decode()
    assert 'name="pupils"' in page and 'type="radio"' in page and "<script>" not in page
    assert pick(client, "x" * 5000).status_code == 200
    assert client.post(reverse("pupils:pick"), {"pupils_q": "a"}).status_code == 405


def test_the_search_makes_the_same_queries_for_ten_pupils_or_a_thousand(
    client, world, django_assert_num_queries
):
    home = world["A"]
    client.force_login(home.members[Role.SENCO].user)
    PupilFactory.create_batch(10, school=home.school, legal_surname="Smith")
    # Writing the access-log entry adds 6 queries whatever the number of pupils read (savepoint,
    # chain head locked and read, entry, its pupil rows in one INSERT, new head hash, release),
    # and 2 more on a school's first entry, which makes the head: so a first page is opened before.
    pick(client, "Smith")
    with CaptureQueriesContext(connection) as small:
        assert len(found_ids(pick(client, "Smith", chosen=[home.class_pupil.pk]))) == 10
    # Session, user, membership, then the count and the first matches; and the access log's 6.
    assert len(small.captured_queries) <= 8 + 6
    PupilFactory.create_batch(990, school=home.school, legal_surname="Smith")
    with django_assert_num_queries(len(small.captured_queries)):
        page = pick(client, "Smith", chosen=[home.class_pupil.pk]).content.decode()
    # 1,000 match; only the first 20 are sent.
    assert len(found_ids(pick(client, "Smith"))) == 20 and "1000 pupils match" in page


def _run_post(home, **extra):
    return {
        "label": "Year 4 group",
        "start_date": "2026-01-05",
        "staff": [home.members[Role.TEACHING_ASSISTANT].user.pk],
        **extra,
    }


def test_the_run_form_searches_without_javascript_keeping_what_was_entered(client, world):
    home = world["A"]
    intervention = InterventionFactory(school=home.school, name="Toe by Toe")
    client.force_login(home.members[Role.SENCO].user)
    url = reverse("interventions:run_create", kwargs={"pk": intervention.pk})
    data = _run_post(home, pupils=[home.class_pupil.pk], pupils_q="Other", pick_search="pupils")
    response = client.post(url, data)
    page = response.content.decode()
    assert (
        response.status_code == 200 and not InterventionRun.objects.filter(intervention=intervention).exists()
    )
    assert 'value="Year 4 group"' in page  # what was typed is kept
    assert f'id="pupils-chosen-{home.class_pupil.pk}" checked' in page  # the chosen pupil, still ticked
    assert f'id="pupils-found-{home.other_pupil.pk}"' in page  # the match, to tick
    assert "is-invalid" not in page  # nothing was submitted, so nothing is marked wrong
    # Ticking the match and saving stores both pupils.
    data = _run_post(home, pupils=[home.class_pupil.pk, home.other_pupil.pk], pupils_q="Other")
    assert client.post(url, data).status_code == 302
    run = InterventionRun.objects.get(intervention=intervention)
    assert set(run.pupils.all()) == {home.class_pupil, home.other_pupil}


def test_the_evidence_form_offers_the_picker_and_keeps_a_pupil_named_in_the_url(client, world):
    home = world["A"]
    client.force_login(home.members[Role.TEACHER].user)
    page = client.get(reverse("evidence:create"), {"pupil": home.class_pupil.pk}).content.decode()
    assert "data-pupil-picker" in page and "<select" not in page.split("data-pupil-picker")[1][:2000]
    assert f'id="pupils-chosen-{home.class_pupil.pk}" checked' in page
    assert "Ctrl" not in page
    response = client.post(reverse("evidence:create"), {"pupils_q": "Other", "pick_search": "pupils"})
    assert response.status_code == 200 and not EvidenceItem.objects.exists()
    assert "No pupil matches" in response.content.decode()  # the teacher cannot see Other A


def test_a_conversation_can_start_from_the_picker(client, world):
    home = world["A"]
    client.force_login(home.members[Role.TEACHER].user)
    url = reverse("evidence:conversation_new")
    data = {
        "date": "2026-11-02",
        "attended": "Mother",
        "led_by": "teacher",
        "curricular_target": "Read 100 Year 2 words.",
        "wider_target": "Join the drumming club.",
        "review_date": "2027-01-11",
    }
    response = client.post(url, {**data, "pupil": home.other_pupil.pk})
    assert response.status_code == 400 and not Conversation.objects.exists()  # not the teacher's pupil
    assert client.post(url, {**data}).status_code == 400
    response = client.post(url, {**data, "pupil": home.class_pupil.pk})
    assert response.status_code == 302
    assert Conversation.objects.get().pupil == home.class_pupil
    assert SchoolClass.objects.filter(pk=home.school_class.pk).exists()
