"""Key question A: vulnerable groups within the focus group, pupils in several of them, and
movement on and off the SEN record over the last years. Pupils on roll, by their SEN status
today whatever the cohort's basis (gaps.cohort `now_q`): these are figures about the pupils now."""

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import ExtractYear
from django.db.models.lookups import GreaterThanOrEqual

from core.calendar import academic_year_label, current_academic_year
from core.disclosure import TOTAL, Table
from core.figures import Count as Figure
from core.figures import Share
from pupils.models import (
    INCLUSION_GROUPS,
    SEN_STATUSES_ON_RECORD,
    SenStatus,
    SenStatusChange,
    inclusion_group_q,
)
from pupils.selectors import national_send_figures

from .shared import by_flag, focus_flag, listed_pupils, school_pupils

VULNERABLE = [
    ("pp", "Pupil premium", Q(pupil_premium=True)),
    ("fsm", "Free school meals", Q(fsm=True)),
    ("eal", "EAL", Q(eal=True)),
    ("lac", "Looked-after children", Q(lac=True)),
    *((code, label, inclusion_group_q(code)) for code, label in INCLUSION_GROUPS),
    ("boys", "Boys", Q(gender="M")),
    ("girls", "Girls", Q(gender="F")),
]
GROUP_COUNT = sum(
    (
        Case(When(q, then=Value(1)), default=Value(0), output_field=IntegerField())
        for key, _, q in VULNERABLE
        if key not in ("boys", "girls")
    ),
    Value(0),
)


@dataclass
class GroupRow:
    label: str
    in_focus: Share  # share of the focus group in this vulnerable group
    in_school: Share  # share of the whole school in it
    over_represented: bool | None


@dataclass
class Movement:
    academic_year: int
    label: str
    placed: Figure
    removed: Figure
    k_to_e: Figure
    e_to_k: Figure


@dataclass
class GroupsReport:
    cohort: object
    focus_total: int
    school_total: int
    focus_share: Share
    national_year: int
    national_send: float
    national_ehcp: float
    groups: list
    several_groups: Figure
    several_pupils: list | None
    movement: list
    movement_total: object = None  # a Movement: each kind of move over the years shown


def groups_report(membership, cohort, *, with_lists=True, with_movement=True):
    suppress = membership.suppress_below
    movement, movement_total = [], None
    if with_movement:
        movement, movement_total = sen_movement(membership, suppress_below=suppress)
    # Pupils on roll now, by their status today (gaps.cohort: now_q), whatever the basis.
    focus = cohort.now_q()
    counts = {"n": Count("pk"), "several": Count("pk", filter=Q(GreaterThanOrEqual(GROUP_COUNT, 2)))}
    for key, _, q in VULNERABLE:
        counts[key] = Count("pk", filter=q)
    rows = (
        school_pupils(membership)
        .annotate(in_focus=focus_flag(focus))
        .values("in_focus")
        .annotate(**counts)
        .order_by()
    )
    flagged = by_flag(rows, lambda r: "all", list(counts)).get("all") or {k: [0, 0] for k in counts}
    totals = {"total": sum(flagged["n"]), "focus": flagged["n"][0], "several": flagged["several"][0]}
    for key, _, _ in VULNERABLE:
        totals[f"school_{key}"] = sum(flagged[key])
        totals[f"focus_{key}"] = flagged[key][0]
    rows = []
    for key, label, _ in VULNERABLE:
        in_focus = Share.of(totals[f"focus_{key}"], totals["focus"], suppress_below=suppress)
        in_school = Share.of(totals[f"school_{key}"], totals["total"], suppress_below=suppress)
        over = None
        if in_focus.percent is not None and in_school.percent is not None:
            over = in_focus.percent > in_school.percent
        rows.append(GroupRow(label, in_focus, in_school, over))
    several_pupils = None
    if with_lists and membership.sees_pupils:
        several_pupils = list(
            listed_pupils(membership)
            .annotate(groups=GROUP_COUNT)
            .filter(focus, groups__gte=2)
            .order_by("year_group", "legal_surname", "legal_forename")
        )
    year, national = national_send_figures()
    return GroupsReport(
        cohort=cohort,
        focus_total=totals["focus"],
        school_total=totals["total"],
        focus_share=Share.of(totals["focus"], totals["total"], suppress_below=suppress),
        national_year=year,
        national_send=national["send"],
        national_ehcp=national["ehcp"],
        groups=rows,
        several_groups=Figure.of(totals["several"], suppress_below=suppress),
        several_pupils=several_pupils,
        movement=movement,
        movement_total=movement_total,
    )


def sen_movement(membership, *, years=3, suppress_below=0):
    """Placed on, removed from, K to E and E to K, by academic year over the last `years`,
    from the dated SEN history (each change against the pupil's status just before it)."""
    return school_sen_movement(membership.school_id, years=years, suppress_below=suppress_below)


def school_sen_movement(school_id, *, years=3, suppress_below=0, today=None):
    """`sen_movement` of a school, over the `years` academic years up to the one of `today`."""
    this_year = current_academic_year(today)
    first = this_year - years + 1
    before = (
        SenStatusChange.objects.filter(
            pupil_id=OuterRef("pupil_id"), effective_date__lt=OuterRef("effective_date")
        )
        .order_by("-effective_date")
        .values("status")[:1]
    )
    academic_year = Case(
        When(effective_date__month__gte=9, then=ExtractYear("effective_date")),
        default=ExtractYear("effective_date") - 1,
        output_field=IntegerField(),
    )
    on = list(SEN_STATUSES_ON_RECORD)
    was_off = Q(before__isnull=True) | Q(before=SenStatus.NONE)
    rows = (
        SenStatusChange.objects.filter(pupil__school_id=school_id)
        .annotate(before=Subquery(before), ay=academic_year)
        .filter(ay__gte=first, ay__lte=this_year)
        .values("ay")
        .annotate(
            placed=Count("id", filter=was_off & Q(status__in=on)),
            removed=Count("id", filter=Q(before__in=on, status=SenStatus.NONE)),
            k_to_e=Count("id", filter=Q(before=SenStatus.SEN_SUPPORT, status=SenStatus.EHCP)),
            e_to_k=Count("id", filter=Q(before=SenStatus.EHCP, status=SenStatus.SEN_SUPPORT)),
        )
    )
    by_year = {r["ay"]: r for r in rows}
    return movement_rows(by_year, range(first, this_year + 1), suppress_below)


MOVES = ("placed", "removed", "k_to_e", "e_to_k")


def movement_rows(by_year, years, threshold):
    """(a Movement per academic year, the Movement of all of them) from {year: {move: n}}.

    Disclosure control over one table: each kind of move over the years adds up to the total row
    the reader sees below them, so a small count of one year is hidden with its complement (the
    kinds of a year are not added up: the page shows no such sum)."""
    years = list(years)
    counts = {(y, move): by_year.get(y, {}).get(move, 0) for y in years for move in MOVES}
    table = Table.crosstab(counts, years, MOVES, threshold=threshold, row_totals=False)
    rows = [Movement(y, academic_year_label(y), *(table.count((y, move)) for move in MOVES)) for y in years]
    label = f"All {len(years)} years" if len(years) != 1 else "The year"
    total = Movement(None, label, *(table.count((TOTAL, move)) for move in MOVES))
    return rows, total
