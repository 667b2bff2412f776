"""The role policy (core.policy), checked against the product's roles rather than against itself.

EXPECTED is written from PRODUCT.md "Who uses it" (quoted beside each group) and, where the
product leaves a page unsaid, from the permission tables in tests/<app>/url_table.py that the URL
walker holds the views to. Columns: S SENCO, H head, T teacher, A teaching assistant,
G governor, L trust lead. An action added to the policy without a row here fails.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.template import Context, Template

from core import policy
from core.policy import Scope
from core.roles import Role
from tests.factories import (
    InterventionPlaceFactory,
    InterventionRunFactory,
    MembershipFactory,
    PupilFactory,
    SchoolFactory,
)

COLUMNS = {
    "S": Role.SENCO,
    "H": Role.HEAD,
    "T": Role.TEACHER,
    "A": Role.TEACHING_ASSISTANT,
    "G": Role.GOVERNOR,
    "L": Role.TRUST_LEAD,
}

EXPECTED = {
    # Every member reads the school's figures; governors "reads and downloads the anonymised SEF
    # summary and dashboards"; only staff see figures over small groups ("small groups
    # suppressed" for governors and trust leads).
    "school.view": "SHTAGL",
    "figures.unsuppressed": "SHTA",
    "sef.view": "SHTAGL",
    "gaps.view": "SH  GL",  # head "reads gap dashboards", governors "dashboards"
    "finding.edit": "S",  # "findings ... that the SENCO edits and keeps"
    "comparators.edit": "S",
    "attention.view": "SH",  # the leaders' needs-attention list on the home page
    # Trust and LA leads "compare schools" (issue 15); a head sees their own school against the
    # trust's others, which only a trust lead sees by name.
    "trust.compare": " H   L",
    "trust.name_schools": "     L",
    "trust.governor_pack": "     L",
    # SENCO "keeps the SEN register"; head "read only unless also SENCO"; governors "never a
    # pupil's name, initials or record".
    "pupil.view": "SHTA",
    "pupil.change": "S",
    "pupil.export": "S",
    "pupil.view_record_log": "SH",
    "retention.view": "SH",
    "retention.purge": "S",
    "attendance.record": "S",
    "import.run": "S",  # SENCO "enters and imports termly data"
    "ctf.export": "S",  # SENCO only: a pupil's SEN record leaves the school
    # Teacher "enters termly attainment for their classes"; the head reads it.
    "grid.view": "SHT",
    "grid.save": "S T",
    "scheme.view": "SH",
    "scheme.change": "S",
    "target.set": "S",
    # Issue 22: "SENCO and head edit, teachers may see; governors never" the other frameworks.
    "framework.view": "SHT",
    "framework.change": "SH",
    "placement.set": "SH",
    "support_scale.record": "S TA",
    # The Engagement Model (issue 22): staff who see the pupil read the observations; the SENCO,
    # teachers and assistants record them (a teacher or assistant changes only their own);
    # statutory outcomes are teacher assessments, recorded by the SENCO or a teacher.
    "engagement.view": "SHTA",
    "engagement.record": "S TA",
    "engagement.edit": "S TA",
    "outcome.record": "S T",
    # SENCO "runs interventions"; TA "records intervention sessions and checkpoints for the
    # groups they deliver".
    "intervention.change": "S",
    "intervention.sheet": "SHTA",
    "intervention.record": "S  A",
    "intervention.deliver": "SHTA",
    "action_plan.change": "S",
    # Plans: SENCO writes; head reads; a teacher reads their pupils' plans; a TA the passports.
    "plan.list": "SH",
    "plan.view": "SHT",
    "plan.change": "S",
    "passport.view": "SHTA",
    # SENCO "logs evidence"; teacher "records structured conversations and evidence for their
    # pupils".
    "evidence.view": "SHTA",
    "evidence.record": "S TA",
    "evidence.record_whole_school": "S",
    "evidence.edit": "S",
    "conclusion.edit": "S",
    "conversation.view": "SHTA",
    "conversation.record": "S T",
    "concern.record": "S T",
    "survey.change": "S",
    # SENCO "writes the self-evaluation, builds case studies"; head "signs off judgements".
    "sef.view_full": "SHT",
    "sef.edit": "S",
    "sef.sign_off": " H",
    "prompts.view": "SH",
    "prompts.edit": "S",
    "case_study.view": "SH",
    "case_study.edit": "S",
    # The graduated approach (issue 18): the SENCO records provision, keeps the authority's
    # checklist and builds packs; the head reads costed provision and packs.
    "provision.view": "SH",
    "provision.record": "S",
    "checklist.edit": "S",
    "pack.view": "SH",
    "pack.build": "S",
    # Inspection (issue 14): leaders choose the case sample and read the pupils' journeys; the
    # SEN information report is published, so every member reads it and the SENCO writes it.
    "sample.view": "SH",
    "sample.change": "SH",
    "journey.view": "SH",
    "information_report.view": "SHTAGL",
    "information_report.edit": "S",
}


def expected_roles(action):
    return {COLUMNS[letter] for letter in EXPECTED[action] if letter != " "}


class Member:
    """A membership without the database: what the policy reads is the role (and the school)."""

    def __init__(self, role, threshold=5):
        self.role = role
        self.user_id = 1
        self.school = type("School", (), {"suppression_threshold": threshold})()


def test_the_table_names_every_action_of_the_policy():
    assert set(EXPECTED) == set(policy.ACTIONS)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_each_role_may_do_what_the_product_says(action, role):
    assert policy.can(Member(role), action) is (role in expected_roles(action))
    assert (role in policy.roles_for(action)) is (role in expected_roles(action))


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_no_membership_may_do_anything(action):
    assert policy.can(None, action) is False
    with pytest.raises(PermissionDenied):
        policy.require(None, action)


def test_an_unknown_action_is_an_error_not_a_no():
    for ask in (
        lambda: policy.can(Member(Role.SENCO), "grid.sav"),
        lambda: policy.can(None, "grid.sav"),
        lambda: policy.require(Member(Role.SENCO), "grid.sav"),
        lambda: policy.roles_for("grid.sav"),
    ):
        with pytest.raises(policy.UnknownAction, match="grid.sav"):
            ask()


def test_a_refusal_says_who_may_in_plain_english():
    with pytest.raises(PermissionDenied) as refused:
        policy.require(Member(Role.TEACHING_ASSISTANT), "grid.save")
    assert str(refused.value).endswith("only the SENCO and teachers can change the termly grid.")
    with pytest.raises(PermissionDenied) as refused:
        policy.require(Member(Role.GOVERNOR), "sef.view_full")
    assert str(refused.value).endswith("only the SENCO, the head and teachers can read the full SEF summary.")
    assert policy.require(Member(Role.HEAD), "sef.sign_off") is None


@pytest.mark.parametrize(
    "role, scope",
    [
        (Role.SENCO, Scope.EVERY_PUPIL),
        (Role.HEAD, Scope.EVERY_PUPIL),
        (Role.TEACHER, Scope.CLASSES),
        (Role.TEACHING_ASSISTANT, Scope.GROUPS),
        (Role.GOVERNOR, Scope.NONE),
        (Role.TRUST_LEAD, Scope.NONE),
    ],
)
def test_pupil_scope_is_the_readme_rule_for_each_role(role, scope):
    assert policy.pupil_scope(Member(role)) is scope


def test_pupil_scope_of_no_membership_is_none():
    assert policy.pupil_scope(None) is Scope.NONE


@pytest.mark.parametrize(
    "role, hidden_below",
    [(Role.SENCO, 0), (Role.TEACHING_ASSISTANT, 0), (Role.GOVERNOR, 7), (Role.TRUST_LEAD, 7)],
)
def test_small_groups_are_hidden_only_from_governors_and_trust_leads(role, hidden_below):
    assert policy.suppress_below(Member(role, threshold=7)) == hidden_below


@pytest.mark.django_db
def test_a_teaching_assistant_records_only_for_the_runs_they_deliver():
    school = SchoolFactory()
    assistant = MembershipFactory(school=school, role=Role.TEACHING_ASSISTANT)
    senco = MembershipFactory(school=school, role=Role.SENCO)
    theirs = InterventionRunFactory(intervention__school=school)
    theirs.staff.add(assistant.user)
    another = InterventionRunFactory(intervention__school=school)
    place = InterventionPlaceFactory(run=another, pupil=PupilFactory(school=school))

    assert policy.can(assistant, "intervention.record", theirs) is True
    assert policy.can(assistant, "intervention.record", another) is False
    assert policy.can(assistant, "intervention.record", place) is False  # a place is judged by its run
    assert policy.can(senco, "intervention.record", another) is True
    with pytest.raises(PermissionDenied, match="only for the groups they deliver"):
        policy.require(assistant, "intervention.record", another)
    # Without a run, the answer is whether the role ever records (what the menu needs).
    assert policy.can(assistant, "intervention.record") is True


def test_templates_ask_through_the_may_and_pupil_scope_filters():
    template = Template(
        '{% load policy %}{% if membership|may:"grid.save" %}save{% else %}read{% endif %} '
        "{{ membership|pupil_scope }}"
    )
    assert template.render(Context({"membership": Member(Role.TEACHER)})) == "save classes"
    assert template.render(Context({"membership": Member(Role.HEAD)})) == "read every_pupil"
    assert template.render(Context({"membership": None})) == "read none"
    with pytest.raises(policy.UnknownAction):
        Template('{% load policy %}{{ membership|may:"no.such" }}').render(
            Context({"membership": Member(Role.SENCO)})
        )
