"""The one role policy: may this membership do this action (to this object)?

Every view, service, menu item and template asks here; none compares roles itself. An action is
named by what is done ("grid.save", "sef.sign_off"), never by who does it, and is mapped to the
roles that may do it. A few actions also depend on the object: `can(m, action, obj)` then checks
that too, while `can(m, action)` answers whether the role may ever do it (what a menu or a
decorator needs). Rules that depend on an object's state rather than on who asks stay with the
service that writes the object, and are listed here so they are found:

- a reviewed SEN support plan is never changed (plans.services refuses);
- a signed-off SEF is never edited, only the next year's report (reports.views shows no editor);
- evidence and conversations may only be about pupils the author may see (evidence.services).

Which pupils a membership sees is policy too: `pupil_scope` says which of four rules applies, and
`Pupil.objects.for_membership` turns it into a query.

An action name that is not in ACTIONS is an error, never a quiet "no": a typo in a view or a
template fails the first time the page is opened.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied

from .roles import Role
from .words import listed

SENCO, HEAD, TEACHER, TA = Role.SENCO, Role.HEAD, Role.TEACHER, Role.TEACHING_ASSISTANT
GOVERNOR, TRUST_LEAD = Role.GOVERNOR, Role.TRUST_LEAD


class Scope(StrEnum):
    """Which pupils a membership may see, in its own school only."""

    EVERY_PUPIL = "every_pupil"  # SENCO and head
    CLASSES = "classes"  # a teacher: the pupils of the classes they teach
    GROUPS = "groups"  # a teaching assistant: the pupils of the intervention runs they deliver
    NONE = "none"  # governors and trust leads: figures only, never a pupil


PUPIL_SCOPES = {
    SENCO: Scope.EVERY_PUPIL,
    HEAD: Scope.EVERY_PUPIL,
    TEACHER: Scope.CLASSES,
    TA: Scope.GROUPS,
    GOVERNOR: Scope.NONE,
    TRUST_LEAD: Scope.NONE,
}

# Roles that can be held over a whole organisation (a trust or a local authority), in one
# membership covering each of its schools (schools.models.OrganisationMembership). Only roles that
# see no pupil: an organisation membership reads figures, never a pupil's record.
ORGANISATION_ROLES = frozenset({TRUST_LEAD})
assert all(PUPIL_SCOPES[role] is Scope.NONE for role in ORGANISATION_ROLES)

EVERYONE = frozenset(Role)
# The staff of a school: whoever sees at least some pupils.
STAFF = frozenset(role for role, scope in PUPIL_SCOPES.items() if scope is not Scope.NONE)
LEADERS = frozenset({SENCO, HEAD})
SENCO_ONLY = frozenset({SENCO})


def _delivers_the_run(membership, obj):
    """A teaching assistant records only for the runs they deliver; the SENCO for any run.
    `obj` is a run, or a pupil's place in one."""
    if membership.role != TA:
        return True
    run = getattr(obj, "run", obj)
    return run.staff.filter(pk=membership.user_id).exists()


def _own_observation(membership, obj):
    """The SENCO changes any Engagement Model observation; a teacher or assistant, their own."""
    return membership.role == SENCO or getattr(obj, "observer_id", None) == membership.user_id


@dataclass(frozen=True)
class Action:
    roles: frozenset
    doing: str  # what the action does, for the refusal: "Only the SENCO can <doing>."
    object_rule: Callable | None = None
    object_refusal: str = ""


ACTIONS = {
    # -- the school's figures and pages that name no pupil
    "school.view": Action(EVERYONE, "open this school's pages"),
    "figures.unsuppressed": Action(STAFF, "see figures over small groups"),
    "gaps.view": Action(frozenset({SENCO, HEAD, GOVERNOR, TRUST_LEAD}), "open the gap analysis"),
    "finding.edit": Action(SENCO_ONLY, "write the gap analysis findings"),
    "comparators.edit": Action(SENCO_ONLY, "change the national comparators"),
    "attention.view": Action(LEADERS, "see what needs attention across the school"),
    # -- the schools of the trust or local authority side by side (trusts app): a trust lead
    # reads every school by name; a head reads their own school against the others, unnamed.
    "trust.compare": Action(frozenset({HEAD, TRUST_LEAD}), "compare the schools of the trust"),
    "trust.governor_pack": Action(
        frozenset({TRUST_LEAD}), "build the governor pack of every school of the trust"
    ),
    "trust.name_schools": Action(frozenset({TRUST_LEAD}), "see the other schools of the trust by name"),
    # -- pupils and their records
    "pupil.view": Action(STAFF, "open pupil records"),
    "pupil.change": Action(SENCO_ONLY, "change pupil records"),
    "concern.record": Action(frozenset({SENCO, TEACHER}), "record a concern about a pupil"),
    "pupil.export": Action(SENCO_ONLY, "download everything held about a pupil"),
    "pupil.view_record_log": Action(LEADERS, "see who opened a pupil's record"),
    # -- retention: what is due for deletion, legal holds, the purge
    "retention.view": Action(LEADERS, "see what is due for deletion"),
    "retention.purge": Action(SENCO_ONLY, "set retention periods and legal holds, and delete records"),
    "attendance.record": Action(SENCO_ONLY, "record attendance, exclusions, behaviour and activities"),
    "import.run": Action(SENCO_ONLY, "import files"),
    "ctf.export": Action(SENCO_ONLY, "send Common Transfer Files"),
    # -- assessment
    "grid.view": Action(frozenset({SENCO, HEAD, TEACHER}), "read the termly grid"),
    "grid.save": Action(frozenset({SENCO, TEACHER}), "change the termly grid"),
    "scheme.view": Action(LEADERS, "read the assessment scheme"),
    "scheme.change": Action(SENCO_ONLY, "change the assessment scheme"),
    "target.set": Action(SENCO_ONLY, "set targets"),
    # Other frameworks beside the main scheme (issue 22): leaders keep them and place pupils on
    # them; a teacher reads them, and their pupils' progress on them.
    "framework.view": Action(frozenset({SENCO, HEAD, TEACHER}), "read the school's other frameworks"),
    "framework.change": Action(LEADERS, "change the school's other frameworks"),
    "placement.set": Action(LEADERS, "set which framework a pupil is assessed on"),
    "support_scale.record": Action(
        frozenset({SENCO, TEACHER, TA}), "record Pupil Support Scale observations"
    ),
    # -- the Engagement Model and statutory outcomes at the end of key stages 1 and 2
    "engagement.view": Action(STAFF, "read Engagement Model observations"),
    "engagement.record": Action(frozenset({SENCO, TEACHER, TA}), "record Engagement Model observations"),
    "engagement.edit": Action(
        frozenset({SENCO, TEACHER, TA}),
        "change Engagement Model observations",
        object_rule=_own_observation,
        object_refusal="Only the SENCO or whoever recorded an observation can change it.",
    ),
    "outcome.record": Action(
        frozenset({SENCO, TEACHER}), "record the statutory outcomes at the end of a key stage"
    ),
    # -- interventions and the action plan
    "intervention.change": Action(SENCO_ONLY, "change interventions and their runs"),
    "intervention.sheet": Action(STAFF, "open an intervention run's monitoring sheet"),
    "intervention.record": Action(
        frozenset({SENCO, TA}),
        "record intervention sessions and checkpoints",
        object_rule=_delivers_the_run,
        object_refusal="Teaching assistants record sessions only for the groups they deliver.",
    ),
    # Who may be named to deliver a run or to lead an intervention.
    "intervention.deliver": Action(STAFF, "deliver interventions"),
    "action_plan.change": Action(SENCO_ONLY, "change the SEND action plan"),
    # -- plans
    "plan.list": Action(LEADERS, "open the school's plans and reviews"),
    "plan.view": Action(frozenset({SENCO, HEAD, TEACHER}), "read SEN support and EHC plans"),
    "plan.change": Action(SENCO_ONLY, "change plans, passports and reviews"),
    "passport.view": Action(STAFF, "read pupil passports"),
    # -- the graduated approach: costed provision, the authority's checklist, evidence packs
    "provision.view": Action(LEADERS, "see the costed provision of pupils"),
    "provision.record": Action(SENCO_ONLY, "record a pupil's provision and its costs"),
    "checklist.edit": Action(SENCO_ONLY, "keep the local authority's checklist and the element 2 threshold"),
    "pack.view": Action(LEADERS, "read a pupil's graduated-approach evidence pack"),
    "pack.build": Action(SENCO_ONLY, "build and download a pupil's evidence pack"),
    # -- evidence, conversations and surveys
    "evidence.view": Action(STAFF, "read the evidence log"),
    "evidence.record": Action(frozenset({SENCO, TEACHER, TA}), "record evidence"),
    "evidence.record_whole_school": Action(SENCO_ONLY, "record evidence about no pupil in particular"),
    "evidence.edit": Action(SENCO_ONLY, "change evidence"),
    "conclusion.edit": Action(SENCO_ONLY, "write the Part Two conclusions"),
    "conversation.view": Action(STAFF, "read structured conversations"),
    "conversation.record": Action(frozenset({SENCO, TEACHER}), "record and review structured conversations"),
    "survey.change": Action(SENCO_ONLY, "create surveys and record their answers"),
    # -- review and report
    "sef.view": Action(EVERYONE, "read the governor version of the SEF summary"),
    "sef.view_full": Action(frozenset({SENCO, HEAD, TEACHER}), "read the full SEF summary"),
    "sef.edit": Action(SENCO_ONLY, "write the SEF summary"),
    "sef.sign_off": Action(frozenset({HEAD}), "sign off the SEF summary"),
    "prompts.view": Action(LEADERS, "read the judgement prompts"),
    "prompts.edit": Action(SENCO_ONLY, "answer the judgement prompts"),
    "case_study.view": Action(LEADERS, "read case studies"),
    "case_study.edit": Action(SENCO_ONLY, "write case studies"),
    # -- inspection: the case sample, each sampled pupil's journey, the SEN information report
    "sample.view": Action(LEADERS, "see the inspection case sample"),
    "sample.change": Action(LEADERS, "choose the pupils of the inspection case sample"),
    "journey.view": Action(LEADERS, "read a pupil's journey"),
    "information_report.view": Action(EVERYONE, "read the SEN information report"),
    "information_report.edit": Action(SENCO_ONLY, "write the SEN information report"),
}

# How the refusal names each role: "Only the SENCO and the head can ...".
_WHO = {
    SENCO: "the SENCO",
    HEAD: "the head",
    TEACHER: "teachers",
    TA: "teaching assistants",
    GOVERNOR: "governors",
    TRUST_LEAD: "trust leads",
}


class UnknownAction(LookupError):
    """An action name the policy does not define (a typo, or an action never added)."""


def _action(name):
    try:
        return ACTIONS[name]
    except KeyError:
        raise UnknownAction(f"The role policy has no action {name!r}.") from None


def roles_for(action):
    """The roles that may do an action (on some object, where the action depends on one)."""
    return _action(action).roles


def can(membership, action, obj=None):
    """Whether this membership may do `action`, to `obj` where the action depends on the object.
    No membership (None, or a lazy one that resolved to None) may do nothing."""
    rule = _action(action)
    if not membership or membership.role not in rule.roles:
        return False
    if obj is not None and rule.object_rule is not None:
        return rule.object_rule(membership, obj)
    return True


def refusal(membership, action, obj=None):
    """Why `can` says no, in plain English; None when it says yes."""
    rule = _action(action)
    if not membership:
        return "You have no membership of this school, so its pages are closed to you."
    if membership.role not in rule.roles:
        who = [name for role, name in _WHO.items() if role in rule.roles]
        return (
            "Your role in this school does not give access to this page: "
            f"only {listed(who)} can {rule.doing}."
        )
    if obj is not None and rule.object_rule is not None and not rule.object_rule(membership, obj):
        return rule.object_refusal
    return None


def require(membership, action, obj=None):
    """Raise PermissionDenied, with the reason, unless this membership may do the action."""
    reason = refusal(membership, action, obj)
    if reason is not None:
        raise PermissionDenied(reason)


def pupil_scope(membership):
    """Which of the four pupil-visibility rules applies to this membership."""
    if not membership:
        return Scope.NONE
    return PUPIL_SCOPES.get(membership.role, Scope.NONE)


def suppress_below(membership):
    """Groups smaller than this are hidden from this reader: the school's threshold for those who
    may not see figures over small groups (governors and trust leads), none (0) for staff."""
    if can(membership, "figures.unsuppressed"):
        return 0
    return membership.school.suppression_threshold
