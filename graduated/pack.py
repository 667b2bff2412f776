"""The request pack: everything an authority asks for about one pupil's graduated approach,
gathered from the records the school already keeps into one plain object that one template
renders as a page and as an A4 PDF.

A fixed number of queries whatever the pupil's history (each section reads its rows in one or
two queries); figures against peers are aggregates computed by the database.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
)

from assessment.models import Assessment, SupportLevel
from assessment.selectors import pupil_targets, support_observations
from assessment.support import support_change
from attendance.models import Attendance
from attendance.selectors import pupil_attendance_summary
from core.calendar import academic_year_label
from core.charts import level_line
from core.figures import Share, one_decimal
from evidence.models import Conversation, EvidenceItem, Source
from interventions.models import InterventionPlace
from interventions.selectors import places_with_figures
from plans.models import EhcpReview, PupilPassport
from plans.selectors import plans_of
from pupils.models import SenStatusChange

from .costing import pupil_costs
from .readiness import readiness


class Purpose:
    REQUEST = "request"
    ANNUAL_REVIEW = "annual_review"
    TOP_UP = "top_up"
    CHOICES = [
        (REQUEST, "Request for an EHC needs assessment"),
        (ANNUAL_REVIEW, "Annual review of an EHC plan"),
        (TOP_UP, "Top-up funding bid"),
    ]
    LABELS = dict(CHOICES)


@dataclass
class Cycle:
    plan: object
    weeks: int
    targets: list

    @property
    def ran(self):
        return f"{self.plan.starts_on:%d/%m/%Y} to {self.plan.reviewed_on:%d/%m/%Y}, {self.weeks} weeks"


def cycles_of(pupil):
    """The reviewed plans, first to last (each a completed assess-plan-do-review cycle, frozen at
    review), and the open plan if there is one."""
    plans = plans_of(pupil)
    done = [
        Cycle(plan=p, weeks=(p.reviewed_on - p.starts_on).days // 7, targets=list(p.targets.all()))
        for p in plans
        if p.is_reviewed
    ]
    current = next((p for p in plans if not p.is_reviewed), None)
    return done, current


def interventions_of(pupil):
    places = places_with_figures(
        InterventionPlace.objects.filter(pupil=pupil)
        .select_related("run__intervention")
        .prefetch_related("checkpoints")
        .order_by("run__start_date", "pk")
    )
    rows = []
    for place in places:
        rows.append(
            {
                "place": place,
                "checkpoints": list(place.checkpoints.all()),
                "attendance": Share.of(place.sessions_attended, place.sessions_held),
            }
        )
    return rows


@dataclass
class SubjectAgainstPeers:
    subject: object
    latest: object
    year: object
    key_stage: object
    pupil_gain: Decimal | None
    peers: int
    peers_mean: Decimal | None
    peers_gain: Decimal | None
    peers_with_gain: int


def attainment_against_peers(pupil, today):
    """Per subject: the latest assessment and the targets (assessment.selectors), the pupil's
    gain in points over a year (to the latest point from the same point a year before), and the
    mean points and mean gain of the pupil's year group at that point. One aggregate query."""
    rows, _year, _ks = pupil_targets(pupil, today)
    latest = {r.subject.pk: r.latest for r in rows if r.latest}
    figures = {}
    if latest:
        base = Assessment.objects.filter(
            pupil=OuterRef("pupil"),
            subject=OuterRef("subject"),
            point__school=pupil.school_id,
            point__order=OuterRef("point__order"),
            point__academic_year=OuterRef("point__academic_year") - 1,
        ).values("points")[:1]
        gain = ExpressionWrapper(
            F("points") - F("base"), output_field=DecimalField(max_digits=7, decimal_places=1)
        )
        cells = Q()
        for subject_id, a in latest.items():
            cells |= Q(subject_id=subject_id, point_id=a.point_id)
        me, peers = Q(pupil=pupil), ~Q(pupil=pupil) & Q(points__isnull=False)
        figures = {
            row["subject"]: row
            for row in Assessment.objects.filter(
                cells, pupil__year_group=pupil.year_group, pupil__school=pupil.school_id
            )
            .annotate(base=Subquery(base))
            .values("subject")
            .annotate(
                n=Count("pk", filter=peers),
                mean=Avg("points", filter=peers),
                peers_gain=Avg(gain, filter=peers & Q(base__isnull=False)),
                with_gain=Count("pk", filter=peers & Q(base__isnull=False)),
                my_gain=Max(gain, filter=me),
            )
        }
    out = []
    for r in rows:
        f = figures.get(r.subject.pk, {})
        out.append(
            SubjectAgainstPeers(
                subject=r.subject,
                latest=r.latest,
                year=r.year,
                key_stage=r.key_stage,
                pupil_gain=one_decimal(f.get("my_gain")),
                peers=f.get("n", 0),
                peers_mean=one_decimal(f.get("mean")),
                peers_gain=one_decimal(f.get("peers_gain")),
                peers_with_gain=f.get("with_gain", 0),
            )
        )
    return out


def attendance_against_school(pupil):
    """Per academic year: the pupil's attendance and that of the rest of their school. One query."""
    rows = (
        Attendance.objects.filter(pupil__school=pupil.school_id)
        .values("academic_year")
        .annotate(
            me_possible=Sum("possible_sessions", filter=Q(pupil=pupil)),
            me_attended=Sum("attended_sessions", filter=Q(pupil=pupil)),
            all_possible=Sum("possible_sessions", filter=~Q(pupil=pupil)),
            all_attended=Sum("attended_sessions", filter=~Q(pupil=pupil)),
        )
        .filter(me_possible__gt=0)
        .order_by("academic_year")
    )
    return [
        {
            "year": academic_year_label(r["academic_year"]),
            "pupil": Share.of(r["me_attended"], r["me_possible"]),
            "others": Share.of(r["all_attended"] or 0, r["all_possible"] or 0),
        }
        for r in rows
    ]


def views_of(pupil, done_cycles, current):
    """The family's and the pupil's views: conversations, plans, the passport, EHCP reviews."""
    plans = [c.plan for c in done_cycles] + ([current] if current else [])
    return {
        "conversations": list(
            Conversation.objects.filter(pupil=pupil).prefetch_related("targets").order_by("date", "pk")
        ),
        "plan_views": [p for p in plans if p.parent_voice or p.pupil_voice],
        "passport": PupilPassport.objects.filter(pupil=pupil).first(),
        "ehcp_reviews": list(EhcpReview.objects.filter(plan__pupil=pupil).order_by("meeting_date")),
        "parent_evidence": list(
            EvidenceItem.objects.filter(
                pupils=pupil, source__in=[Source.PARENT_VOICE, Source.PARENT_CORRESPONDENCE]
            ).order_by("date")
        ),
        "pupil_evidence": list(
            EvidenceItem.objects.filter(pupils=pupil, source=Source.PUPIL_VOICE).order_by("date")
        ),
    }


def attachments_of(pupil):
    """Evidence about the pupil with a file attached: what the SENCO may bundle with the pack."""
    return list(EvidenceItem.objects.filter(pupils=pupil).exclude(attachment="").order_by("-date", "-pk"))


@dataclass
class RequestPack:
    pupil: object
    purpose: str
    prepared_by: object
    today: object
    costs: object
    readiness: object
    sen_history: list
    agencies: list
    agency_reports: list
    cycles: list
    current_plan: object
    interventions: list
    attendance: object
    attendance_years: list
    attainment: list
    support: list
    support_trend: object  # assessment.support.SupportChange, or None
    support_chart: str
    views: dict

    @property
    def purpose_label(self):
        return Purpose.LABELS[self.purpose]

    @property
    def months_on_record(self):
        since = self.pupil.sen_placed_on
        if not since:
            return None
        return (self.today.year - since.year) * 12 + self.today.month - since.month


def build_pack(pupil, *, purpose, prepared_by, today, academic_year):
    costs = pupil_costs(pupil, academic_year)
    done, current = cycles_of(pupil)
    observations = support_observations(pupil)
    return RequestPack(
        pupil=pupil,
        purpose=purpose,
        prepared_by=prepared_by,
        today=today,
        costs=costs,
        readiness=readiness(pupil, costs, today),
        sen_history=list(SenStatusChange.objects.filter(pupil=pupil).order_by("effective_date")),
        agencies=list(pupil.agencies.all()),
        agency_reports=list(
            EvidenceItem.objects.filter(pupils=pupil, source=Source.AGENCY_REPORT).order_by("date", "pk")
        ),
        cycles=done,
        current_plan=current,
        interventions=interventions_of(pupil),
        attendance=pupil_attendance_summary(pupil),
        attendance_years=attendance_against_school(pupil),
        attainment=attainment_against_peers(pupil, today),
        support=observations,
        support_trend=support_change(observations, academic_year),
        support_chart=level_line(
            "Pupil Support Scale over time",
            [(o.observed_on, o.level) for o in observations],
            SupportLevel.choices,
        ),
        views=views_of(pupil, done, current),
    )
