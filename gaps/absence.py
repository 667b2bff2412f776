"""Key question E: attendance and persistent absence of the focus group against everyone else,
by SEN status and by area of need, and the link between attendance and attainment.

Attendance is of the pupils on roll over the year's terms, by their SEN status today, for an
earlier year too (the pupils on roll now, followed back: gaps.cohort `now_q`; a status per term
would count a pupil in two rows of one table). Persistent absence is compared in whole numbers
(attended x 100 against possible x 90), as attendance.models does. The link to attainment counts
every pupil assessed at the point, including pupils who have left since (assessment.bands), in
the focus group as at the point (`assessed_q`).
"""

from dataclasses import dataclass

from django.db.models import Case, Count, F, FilteredRelation, IntegerField, Q, Sum, Value, When

from attendance.models import PERSISTENT_ABSENCE_BELOW, Attendance, Exclusion
from core.calendar import current_academic_year
from core.figures import Count as Figure
from core.figures import Share
from pupils.models import SEN_STATUSES_ON_RECORD, SenStatus

from .shared import NEED_LABELS, LinkRow, at_points, by_flag, focus_flag, school_pupils, small

STATUS_LABELS = {
    SenStatus.NONE: "No SEN",
    SenStatus.SEN_SUPPORT: "SEN support",
    SenStatus.EHCP: "EHC plan",
}
# The counts of each (SEN status, need) row: pupils, pupils with attendance, attended and
# possible sessions, persistently absent pupils, suspended pupils; for everyone and the focus.
FIELDS = ("n", "n_att", "att", "pos", "pa", "susp")
OVERALL = {"n": "n", "n_att": "n_att", "att": "att_sum", "pos": "pos_sum", "pa": "pa", "susp": "susp"}
IN_FOCUS = {"n": "f_n", "n_att": "f_att_n", "att": "f_att", "pos": "f_pos", "pa": "f_pa", "susp": "f_susp"}
LINK_BANDS = ["95% or more", "90% to under 95%", "under 90% (persistently absent)"]


@dataclass
class AttendanceRow:
    label: str
    pupils: Figure
    rate: Share | None  # attended sessions of possible sessions
    persistent: Share  # pupils persistently absent of pupils with attendance


def attending(membership, year, *, below=None, at_least=None):
    """The school's pupils with attendance in `year`, optionally only those whose attended
    sessions over the year's terms are below, or at least, a share of the possible sessions,
    compared in whole numbers (attended x 100 against possible x percent) as
    attendance.models does. An uncorrelated subquery: the database runs it once."""
    rows = (
        Attendance.objects.filter(pupil__school_id=membership.school_id, academic_year=year)
        .values("pupil_id")
        .annotate(attended_x100=Sum("attended_sessions") * 100, possible=Sum("possible_sessions"))
    )
    if below is not None:
        rows = rows.filter(attended_x100__lt=F("possible") * int(below))
    if at_least is not None:
        rows = rows.filter(attended_x100__gte=F("possible") * int(at_least))
    return rows.values("pupil_id")


def persistently_absent(membership, year):
    """Pupils who missed 10% or more of the year's possible sessions."""
    return attending(membership, year, below=PERSISTENT_ABSENCE_BELOW)


def pupil_rows(membership, cohort, year):
    """One row per (SEN status, primary need): pupils, sessions, persistent absence and
    suspensions, for everyone and for the focus group, in one pass over the pupils joined to
    their terms of `year` (pupils counted distinct, since a pupil has up to three terms); who is
    persistently absent or suspended comes from two uncorrelated subqueries, each run once."""
    has = Q(term__isnull=False)
    pa = Q(pk__in=persistently_absent(membership, year))
    suspended = Q(
        pk__in=Exclusion.objects.filter(
            pupil__school_id=membership.school_id, academic_year=year, kind=Exclusion.Kind.SUSPENSION
        ).values("pupil_id")
    )
    terms = FilteredRelation("attendance", condition=Q(attendance__academic_year=year))
    rows = (
        school_pupils(membership)
        .annotate(term=terms, in_focus=focus_flag(cohort.now_q()))
        .values("sen_status", "primary_need", "in_focus")
        .annotate(
            n=Count("pk", distinct=True),
            n_att=Count("pk", filter=has, distinct=True),
            att=Sum("term__attended_sessions"),
            pos=Sum("term__possible_sessions"),
            pa=Count("pk", filter=pa, distinct=True),
            susp=Count("pk", filter=suspended, distinct=True),
        )
        .order_by()
    )
    totals = by_flag(rows, lambda r: (r["sen_status"], r["primary_need"]), FIELDS)
    return [
        {
            "sen_status": status,
            "primary_need": need,
            **{OVERALL[f]: t[f][0] + t[f][1] for f in FIELDS},
            **{IN_FOCUS[f]: t[f][0] for f in FIELDS},
        }
        for (status, need), t in totals.items()
    ]


def totals(selected, *, focus=False):
    """The counts of FIELDS summed over some rows of `pupil_rows`: everyone's, or the focus
    group's."""
    keys = IN_FOCUS if focus else OVERALL
    return {k: sum(r[col] or 0 for r in selected) for k, col in keys.items()}


def send_rows(rows):
    return [r for r in rows if r["sen_status"] in SEN_STATUSES_ON_RECORD]


def needs_of(rows):
    """The primary needs recorded among these rows, in code order."""
    return sorted({r["primary_need"] for r in rows if r["primary_need"]})


def need_label(code):
    return f"{code} {NEED_LABELS[code]}"


def attendance_row(label, t, suppress):
    hidden = small(t["n_att"], suppress)
    rate = None if not t["pos"] or hidden else Share.of(t["att"], t["pos"])
    return AttendanceRow(
        label,
        Figure.of(t["n"], suppress_below=suppress),
        rate,
        Share.of(t["pa"], t["n_att"], suppress_below=suppress),
    )


def by_group(cohort, rows, suppress):
    """The focus group, everyone else and the whole school."""
    everyone, focus = totals(rows), totals(rows, focus=True)
    rest = {k: everyone[k] - focus[k] for k in everyone}
    return [
        attendance_row(cohort.label, focus, suppress),
        attendance_row("Everyone else", rest, suppress),
        attendance_row("Whole school", everyone, suppress),
    ]


def by_status(rows, suppress):
    """Each SEN status, then all SEND."""
    result = [
        attendance_row(label, totals([r for r in rows if r["sen_status"] == code]), suppress)
        for code, label in STATUS_LABELS.items()
    ]
    result.append(attendance_row("All SEND", totals(send_rows(rows)), suppress))
    return result


def by_need(rows, suppress):
    """Each primary need recorded among pupils with SEND."""
    send = send_rows(rows)
    return [
        attendance_row(need_label(code), totals([r for r in send if r["primary_need"] == code]), suppress)
        for code in needs_of(send)
    ]


def attendance_summary(membership, cohort):
    """Attendance and persistent absence of the focus group, everyone else and the school."""
    year = cohort.academic_year or current_academic_year()
    return by_group(cohort, pupil_rows(membership, cohort, year), membership.suppress_below)


def attendance_link(membership, cohort, scheme, year, suppress):
    """Share of assessments at or above ARE at the chosen point, by the pupil's attendance band
    over the year (grouped by band; each band's pupils come from one uncorrelated subquery)."""
    if cohort.point is None:
        return []
    focus = cohort.assessed_q([cohort.point])
    ok = scheme.at_or_above
    band = Case(
        When(pupil_id__in=attending(membership, year, at_least=95), then=Value(0)),
        When(pupil_id__in=attending(membership, year, at_least=90), then=Value(1)),
        When(pupil_id__in=attending(membership, year), then=Value(2)),
        default=None,
        output_field=IntegerField(),
    )
    rows = (
        at_points(membership, [cohort.point.pk])
        .filter(scheme.bands.has_attainment)
        .annotate(band=band)
        .filter(band__isnull=False)
        .values("band")
        .annotate(
            f=Count("id", filter=focus),
            fok=Count("id", filter=focus & ok),
            r=Count("id", filter=~focus),
            rok=Count("id", filter=~focus & ok),
        )
        .order_by()
    )
    by_band = {r["band"]: r for r in rows}
    empty = {"f": 0, "fok": 0, "r": 0, "rok": 0}
    result = []
    for i, label in enumerate(LINK_BANDS):
        r = by_band.get(i, empty)
        result.append(
            LinkRow(
                label,
                Share.of(r["fok"], r["f"], suppress_below=suppress),
                Share.of(r["rok"], r["r"], suppress_below=suppress),
            )
        )
    return result
