"""What each pupil's provision costs in a year, against the element 2 threshold.

The costing rule (README, "The graduated-approach evidence pack"):

- A place in an intervention run: the run's cost is the staff hourly rate x its planned hours
  (sessions a week x weeks x session length) plus the resources for the run, as the provision
  map counts it; a pupil's share is that cost divided by the number of pupils in the run. Their
  hours a week are the run's (the pupil is in every session). A run counts in the academic year
  it starts in.
- Other provision (graduated.models.Provision): hours a week x weeks x hourly rate, plus the
  other costs of the year, divided by the number of pupils sharing it.

Every cost is worked out by the database, per row and summed per pupil and per need, in floating
point, and rounded half up to the penny (rows) or the pound (totals) only when shown.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Count,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce

from core.calendar import academic_year_label
from interventions.models import InterventionPlace
from pupils.models import AreaOfNeed, Pupil

from .models import ELEMENT_2_THRESHOLD, AuthoritySettings, Provision

NEEDS = dict(AreaOfNeed.choices)


def money(value, places="0.01"):
    """A database figure (float or Decimal) as a Decimal rounded half up."""
    return Decimal(str(value or 0)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def pounds(value):
    """ "£5,833": whole pounds, rounded half up, with thousands separators."""
    return f"£{money(value, '1'):,}"


def threshold_of(school):
    found = (
        AuthoritySettings.objects.filter(school=school).values_list("element_2_threshold", flat=True).first()
    )
    return found if found is not None else ELEMENT_2_THRESHOLD


def _float(name):
    return Cast(F(name), FloatField())


# -- places in intervention runs -------------------------------------------------------------

_I = "run__intervention__"


def place_hours_a_week():
    return Cast(F(f"{_I}sessions_per_week") * F(f"{_I}session_minutes"), FloatField()) / Value(60.0)


def place_share():
    """A place's share of its run's cost: (rate x planned hours + resources) / pupils in the run."""
    planned_minutes = Cast(
        F(f"{_I}sessions_per_week") * F(f"{_I}weeks") * F(f"{_I}session_minutes"), FloatField()
    )
    run_cost = _float(f"{_I}staff_hourly_rate") * planned_minutes / Value(60.0) + _float(
        f"{_I}resources_cost"
    )
    in_run = (
        InterventionPlace.objects.filter(run=OuterRef("run"))
        .order_by()
        .values("run")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return run_cost / Cast(Subquery(in_run), FloatField())


def places_in_year(academic_year):
    return InterventionPlace.objects.filter(
        run__start_date__gte=f"{academic_year}-09-01", run__start_date__lt=f"{academic_year + 1}-09-01"
    )


# -- other provision ---------------------------------------------------------------------------


def provision_cost():
    staff = _float("hours_per_week") * _float("weeks") * _float("hourly_rate")
    return (staff + _float("other_cost")) / _float("shared_by")


def provision_in_year(academic_year):
    return Provision.objects.filter(academic_year=academic_year, ended=False)


# -- one pupil ---------------------------------------------------------------------------------


@dataclass
class CostRow:
    source: str  # "Intervention" or the provision's kind
    description: str
    detail: str
    hours_a_week: Decimal
    weeks: int
    cost: Decimal  # to the penny
    provision: Provision | None = None


@dataclass
class PupilCosts:
    pupil: Pupil
    academic_year: int
    threshold: Decimal
    rows: list = field(default_factory=list)
    total: Decimal = Decimal("0")

    @property
    def year_label(self):
        return academic_year_label(self.academic_year)

    @property
    def hours_a_week(self):
        return sum((row.hours_a_week for row in self.rows), Decimal("0"))

    @property
    def meets_threshold(self):
        return money(self.total, "1") >= money(self.threshold, "1")

    @property
    def total_text(self):
        return f"{pounds(self.total)} a year"

    @property
    def against_threshold(self):
        """ "£6,250 a year, £250 above the element 2 threshold of £6,000"."""
        gap = money(self.total, "1") - money(self.threshold, "1")
        where = "above" if gap > 0 else "below"
        if gap == 0:
            return f"{self.total_text}, exactly the element 2 threshold of {pounds(self.threshold)}"
        limit = pounds(self.threshold)
        return f"{self.total_text}, {pounds(abs(gap))} {where} the element 2 threshold of {limit}"


def _run_rows(pupil, academic_year):
    places = (
        places_in_year(academic_year)
        .filter(pupil=pupil)
        .select_related("run__intervention")
        .annotate(
            share=place_share(),
            hours_week=place_hours_a_week(),
            in_run=Subquery(
                InterventionPlace.objects.filter(run=OuterRef("run"))
                .order_by()
                .values("run")
                .annotate(n=Count("pk"))
                .values("n")
            ),
        )
        .order_by("run__start_date", "pk")
    )
    for place in places:
        run, intervention = place.run, place.run.intervention
        label = f" ({run.label})" if run.label else ""
        shared = (
            "on their own" if place.in_run == 1 else f"a group of {place.in_run}: a share of 1/{place.in_run}"
        )
        yield CostRow(
            source="Intervention",
            description=f"{intervention.name}{label}, from {run.start_date:%d/%m/%Y}",
            detail=(
                f"{intervention.sessions_per_week} × {intervention.session_minutes} min a week; "
                f"£{intervention.staff_hourly_rate}/h staff, "
                f"£{intervention.resources_cost} resources; {shared}"
            ),
            hours_a_week=money(place.hours_week),
            weeks=intervention.weeks,
            cost=money(place.share),
        )


def _provision_rows(pupil, academic_year):
    for item in provision_in_year(academic_year).filter(pupil=pupil).annotate(cost_a_year=provision_cost()):
        parts = []
        if item.hours_per_week and item.weeks:
            parts.append(
                f"{item.hours_per_week.normalize():f} h × {item.weeks} weeks at £{item.hourly_rate}/h"
            )
        if item.other_cost:
            parts.append(f"£{item.other_cost:,} other costs")
        if item.shared_by > 1:
            parts.append(f"shared by {item.shared_by} pupils")
        yield CostRow(
            source=item.get_kind_display(),
            description=item.description,
            detail="; ".join(parts),
            hours_a_week=item.hours_per_week,
            weeks=item.weeks,
            cost=money(item.cost_a_year),
            provision=item,
        )


def pupil_costs(pupil, academic_year):
    """Every provision the pupil receives in the year with its cost, and the total (computed by
    the database) against the school's element 2 threshold. Four queries."""
    rows = [*_run_rows(pupil, academic_year), *_provision_rows(pupil, academic_year)]
    total = (
        school_map_pupils(Pupil.objects.filter(pk=pupil.pk), academic_year)
        .values_list("total", flat=True)
        .first()
    )
    return PupilCosts(
        pupil=pupil,
        academic_year=academic_year,
        threshold=threshold_of(pupil.school_id),
        rows=rows,
        total=money(total),
    )


# -- the school ---------------------------------------------------------------------------------


def school_map_pupils(pupils, academic_year):
    """Pupils annotated with their intervention cost, other provision cost and total for the
    year, each a correlated subquery summed by the database."""
    runs = (
        places_in_year(academic_year)
        .filter(pupil=OuterRef("pk"))
        .annotate(share=place_share())
        .order_by()
        .values("pupil")
        .annotate(s=Sum("share"), h=Sum(place_hours_a_week()))
    )
    other = (
        provision_in_year(academic_year)
        .filter(pupil=OuterRef("pk"))
        .order_by()
        .values("pupil")
        .annotate(s=Sum(provision_cost()), h=Sum(_float("hours_per_week")))
    )
    zero = Value(0.0)
    return pupils.annotate(
        intervention_cost=Coalesce(Subquery(runs.values("s")), zero),
        other_cost=Coalesce(Subquery(other.values("s")), zero),
        hours_a_week=Coalesce(Subquery(runs.values("h")), zero) + Coalesce(Subquery(other.values("h")), zero),
    ).annotate(total=F("intervention_cost") + F("other_cost"))


@dataclass
class MapPupil:
    pupil: Pupil
    hours_a_week: Decimal
    intervention_cost: Decimal
    other_cost: Decimal
    total: Decimal
    meets_threshold: bool


@dataclass
class NeedRow:
    need: str
    label: str
    pupils: int
    with_provision: int
    at_threshold: int
    total: Decimal
    average: Decimal


@dataclass
class SchoolMap:
    academic_year: int
    threshold: Decimal
    pupils: list
    needs: list
    total: Decimal
    at_threshold: int

    @property
    def year_label(self):
        return academic_year_label(self.academic_year)


def school_costed_map(membership, academic_year):
    """The costed provision of every pupil on the SEN record the membership may see, with their
    totals against the threshold, and the same by primary need. Three queries whatever the
    number of pupils (the threshold, the pupils, the needs)."""
    threshold = threshold_of(membership.school_id)
    limit = float(threshold)
    pupils = (
        Pupil.objects.for_membership(membership)
        .filter(Q(sen_status__in=["K", "E"]) | Q(intervention_places__in=places_in_year(academic_year)))
        .distinct()
    )
    annotated = school_map_pupils(
        Pupil.objects.filter(pk__in=pupils.values("pk")).audited().select_related("school_class"),
        academic_year,
    )
    rows = [
        MapPupil(
            pupil=p,
            hours_a_week=money(p.hours_a_week),
            intervention_cost=money(p.intervention_cost),
            other_cost=money(p.other_cost),
            total=money(p.total),
            meets_threshold=money(p.total, "1") >= money(threshold, "1"),
        )
        for p in annotated.order_by("-total", "legal_surname", "legal_forename")
    ]
    by_need = (
        annotated.order_by()
        .values("primary_need")
        .annotate(
            n=Count("pk"),
            with_provision=Count("pk", filter=Q(total__gt=0)),
            at_threshold=Count("pk", filter=Q(total__gte=limit - 0.5)),
            cost=Sum("total"),
        )
        .order_by("primary_need")
    )
    needs = [
        NeedRow(
            need=row["primary_need"],
            label=NEEDS.get(row["primary_need"], "No primary need recorded"),
            pupils=row["n"],
            with_provision=row["with_provision"],
            at_threshold=row["at_threshold"],
            total=money(row["cost"]),
            average=money((row["cost"] or 0) / row["n"]) if row["n"] else Decimal("0"),
        )
        for row in by_need
    ]
    return SchoolMap(
        academic_year=academic_year,
        threshold=threshold,
        pupils=rows,
        needs=needs,
        total=sum((n.total for n in needs), Decimal("0")),
        at_threshold=sum(n.at_threshold for n in needs),
    )
