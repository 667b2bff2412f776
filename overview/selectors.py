"""What the overview page offers each role: their next tasks first (what to do today, each a
count in the database and a link to the page where it is done), then every page they may open.

Links are derived from the one role policy through the views themselves: a destination is
offered only when `policy.can` allows the action its view is decorated with, so no link on the
overview can answer 403 (tests/overview/test_start_here.py follows every link as every role)."""

from dataclasses import dataclass
from functools import cache, reduce
from operator import or_

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import resolve, reverse
from django.utils.http import urlencode

from assessment.selectors import current_point, points_of
from attendance.selectors import current_term
from core import policy
from core.calendar import academic_year_label, academic_year_of
from evidence.models import Conversation
from interventions.models import Checkpoint, InterventionPlace, InterventionRun
from plans.models import EhcPlan, SupportPlan, reminder_horizon
from pupils.models import Pupil
from reports.selectors import sign_off_state
from schools.models import classes_for

# A checkpoint is due at the end of every sixth week of a run ("end of week 6", seeds/002
# Appendix C): a pupil whose latest checkpoint is older than the last such week is due one.
CHECKPOINT_EVERY_WEEKS = 6


@dataclass
class Attention:
    count: int
    text: str
    url: str
    urgent: bool = False


def needs_attention(membership, today):
    pupils = Pupil.objects.for_membership(membership)
    reviews = EhcPlan.objects.for_membership(membership).aggregate(
        overdue=Count("pk", filter=Q(next_review_due__lt=today)),
        due_soon=Count(
            "pk", filter=Q(next_review_due__gte=today, next_review_due__lte=reminder_horizon(today))
        ),
    )
    support = SupportPlan.objects.for_membership(membership).aggregate(
        overdue=Count("pk", filter=Q(status=SupportPlan.Status.OPEN, review_date__lt=today)),
    )
    talked = Conversation.objects.filter(
        pupil=OuterRef("pk"), academic_year=academic_year_of(today), term=current_term(today)
    )
    silent = pupils.on_sen_record().exclude(Exists(talked)).count()
    plans_url, conversations_url = reverse("plans:index"), reverse("evidence:conversations")
    items = [
        Attention(reviews["overdue"], "EHC plan annual reviews overdue", plans_url, urgent=True),
        Attention(reviews["due_soon"], "EHC plan annual reviews due in the next eight weeks", plans_url),
        Attention(support["overdue"], "SEN support plans past their review date", plans_url, urgent=True),
        Attention(
            silent,
            "pupils on the SEND record whose families have had no conversation this term",
            conversations_url,
        ),
    ]
    return [item for item in items if item.count]


@dataclass
class Task:
    text: str
    url: str
    count: int | None = None
    urgent: bool = False


def _conversations_due(membership, today):
    """Pupils on the SEND record the membership sees whose families had no conversation this term."""
    talked = Conversation.objects.filter(
        pupil=OuterRef("pk"), academic_year=academic_year_of(today), term=current_term(today)
    )
    return Pupil.objects.for_membership(membership).on_sen_record().exclude(Exists(talked)).count()


def _runs_on(membership, today):
    """The runs this membership delivers that are going on today, oldest first."""
    return list(
        InterventionRun.objects.filter(intervention__school_id=membership.school_id, staff=membership.user)
        .filter(start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("intervention")
        .order_by("start_date", "pk")
    )


def checkpoints_due(runs, today):
    """{run pk: (week, pupils due a checkpoint)} for runs that have reached a checkpoint week: the
    pupils whose latest checkpoint is before that week (or who have none). One query."""
    weeks = {
        run.pk: (today - run.start_date).days // 7 // CHECKPOINT_EVERY_WEEKS * CHECKPOINT_EVERY_WEEKS
        for run in runs
    }
    weeks = {pk: week for pk, week in weeks.items() if week}
    if not weeks:
        return {}
    latest = Checkpoint.objects.filter(place=OuterRef("pk")).order_by("-week").values("week")[:1]
    behind = reduce(or_, (Q(run_id=pk, last_week__lt=week) for pk, week in weeks.items()))
    rows = (
        InterventionPlace.objects.filter(run_id__in=weeks)
        .annotate(last_week=Coalesce(Subquery(latest), 0))
        .filter(behind)
        .values("run_id")
        .annotate(n=Count("pk"))
    )
    return {row["run_id"]: (weeks[row["run_id"]], row["n"]) for row in rows}


def _delivery_tasks(membership, today):
    """A teaching assistant's (or anyone who delivers runs) sessions today and checkpoints due."""
    runs = _runs_on(membership, today)
    due = checkpoints_due(runs, today)
    tasks = []
    for run in runs:
        url = reverse("interventions:run", kwargs={"pk": run.pk})
        tasks.append(Task(f"Record today's session of {run}", f"{url}#session-h"))
        if run.pk in due:
            week, pupils = due[run.pk]
            tasks.append(Task(f"week {week} checkpoints due in {run}", url, count=pupils, urgent=False))
    return tasks


def _grid_tasks(membership, today):
    """The termly grid of each of the teacher's classes at the current assessment point."""
    point = current_point(list(points_of(membership.school)), today)
    if point is None:
        return []
    grid = reverse("assessment:grid")
    return [
        Task(
            f"Enter the termly grid for {school_class} ({point})",
            f"{grid}?{urlencode({'school_class': school_class.pk, 'point': point.pk})}",
        )
        for school_class in classes_for(membership).order_by("year_group", "name")
    ]


def _sign_off_task(membership, today):
    state = sign_off_state(membership, academic_year_of(today))
    if not state.waiting:
        return []
    url = f"{reverse('reports:sef_sign_off')}?year={state.report.academic_year}"
    year = academic_year_label(state.report.academic_year)
    text = (
        f"The SEF summary {year} has changed since you signed it: review and sign it off again"
        if state.current
        else f"The SEF summary {year} is ready for your sign-off"
    )
    return [Task(text, url, urgent=True)]


def _governor_sef_task(membership, today):
    state = sign_off_state(membership, academic_year_of(today))
    year = academic_year_label(state.report.academic_year)
    if state.current:
        url = reverse("reports:sign_off_governor", kwargs={"pk": state.current.pk})
        return [Task(f"Read the signed-off SEF summary {year} (governor version)", url)]
    return [Task(f"Read the draft SEF summary {year} (governor version)", reverse("reports:sef_governor"))]


def next_tasks(membership, today):
    """The membership's next tasks, most pressing first; each appears only where its action is
    allowed, so a role sees only what it can do."""
    tasks = []
    if policy.can(membership, "sef.sign_off"):
        tasks += _sign_off_task(membership, today)
    if policy.can(membership, "intervention.record"):
        tasks += _delivery_tasks(membership, today)
    if policy.can(membership, "grid.save"):
        tasks += (
            _grid_tasks(membership, today) if policy.pupil_scope(membership) is policy.Scope.CLASSES else []
        )
    if policy.can(membership, "conversation.record") and not policy.can(membership, "attention.view"):
        due = _conversations_due(membership, today)
        if due:
            text = (
                "pupils on the SEND record in your classes whose families have had no conversation this term"
            )
            tasks.append(Task(text, reverse("evidence:conversations"), count=due))
    if not policy.can(membership, "pupil.view"):
        tasks += _governor_sef_task(membership, today)
    return tasks


@dataclass
class Destination:
    title: str
    text: str
    url: str


# Every page the overview may offer, in the order of the Assess, Plan and do, Review cycle. Which
# of them a membership sees is decided by the action each page's view is decorated with.
DESTINATIONS = [
    (
        "SEN register",
        "counts by status, area of need and year group against national figures.",
        "sen_register",
    ),
    ("Pupils", "search, filter and open records.", "pupils:list"),
    ("Add a pupil", "", "pupils:create"),
    (
        "Import pupils, SEN status, assessments or attendance",
        "from a CSV or Excel file, with a preview before anything is stored.",
        "imports:index",
    ),
    (
        "Termly grid",
        "attainment and progress by class or year group, entered by keyboard.",
        "assessment:grid",
    ),
    (
        "Gap analysis",
        "the SEND data review's key questions A to H: where SEND pupils stand against others, "
        "and whether each gap is narrowing.",
        "gaps:dashboard",
    ),
    (
        "Provision and interventions",
        "the provision map, what each intervention costs and the progress it buys.",
        "interventions:list",
    ),
    ("Action plan", "priorities, actions, owners and review dates.", "interventions:action_plan"),
    ("Evidence log", "observations, questionnaires and other evidence.", "evidence:list"),
    (
        "Conversations with parents",
        "how many families had structured conversations this year, and who led them.",
        "evidence:conversations",
    ),
    ("Plans and reviews", "SEN support plans, pupil passports and EHC plan annual reviews.", "plans:index"),
    (
        "Schools compared",
        "every school of the trust side by side: SEND, gaps and their trend, absence, interventions "
        "and reviews overdue.",
        "trusts:comparison",
    ),
    ("SEF summary", "the full self-evaluation summary for staff.", "reports:sef"),
    ("SEF summary, governor version", "anonymised, with small groups hidden.", "reports:sef_governor"),
    (
        "Inclusion",
        "how early needs are identified, how support is reviewed, and how pupils with SEND and "
        "disadvantaged pupils achieve, attend and belong.",
        "reports:inclusion",
    ),
    ("Inclusion, governor version", "anonymised, with small groups hidden.", "reports:inclusion_governor"),
    (
        "Judgement prompts",
        "the prompts of the framework this year's SEF follows, with the school's figures and evidence.",
        "reports:prompts",
    ),
    ("Pupil case studies", "Appendix B case studies.", "reports:case_studies"),
    (
        "Case sample for inspection",
        "the pupils an inspector may follow, and each one's journey.",
        "reports:sample",
    ),
    ("SEN information report", "the report the school publishes each year.", "reports:information_report"),
    ("Review and report", "every signed-off summary, as pages and PDFs.", "reports:index"),
]


def destinations(membership):
    """The pages of DESTINATIONS this membership may open: the view's own action, asked of the
    policy, decides."""
    offered = []
    for title, text, name in DESTINATIONS:
        action = _action_of(name)
        if action is None or policy.can(membership, action):
            offered.append(Destination(title, text, reverse(name)))
    return offered


@cache
def _action_of(name):
    """The action the view of the URL named `name` is decorated with (schools.access): fixed once
    the URLconf is loaded, so it is looked up once a process, not on every overview."""
    return getattr(resolve(reverse(name)).func, "action", None)
