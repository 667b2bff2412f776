"""Key question F: suspensions and permanent exclusions by SEN status and area of need, and
whether a group's share of the pupils suspended is larger than its share of the school (pupils
on roll, this academic year)."""

from dataclasses import dataclass

from django.db.models import Count, Q

from attendance.models import Exclusion
from core.figures import Count as Figure
from core.figures import Share

from .absence import STATUS_LABELS, need_label, needs_of, send_rows, totals


@dataclass
class ExclusionRow:
    label: str
    pupils_suspended: Share  # pupils with a suspension, of pupils in the group
    suspensions: Figure
    permanent: Figure
    share_of_suspended: Share  # this group's share of all pupils suspended
    share_of_school: Share  # this group's share of the school
    over_represented: bool | None


def exclusion_rows(membership, year, rows, suppress):
    """Each SEN status, all SEND, then each primary need among pupils with SEND. `rows` are
    absence.pupil_rows for `year` (pupils and pupils suspended per status and need); the
    suspensions and permanent exclusions themselves are counted in one more grouped query."""
    counted = _exclusions_by_status_and_need(membership, year)
    everyone = totals(rows)
    send = send_rows(rows)
    groups = [(label, [r for r in rows if r["sen_status"] == code]) for code, label in STATUS_LABELS.items()]
    groups.append(("All SEND", send))
    groups += [(need_label(code), [r for r in send if r["primary_need"] == code]) for code in needs_of(send)]
    return [_row(label, selected, everyone, counted, suppress) for label, selected in groups]


def _exclusions_by_status_and_need(membership, year):
    """{(SEN status, primary need): {"suspensions": n, "permanent": n}} of pupils on roll."""
    rows = (
        Exclusion.objects.filter(
            pupil__school_id=membership.school_id, pupil__archived_at__isnull=True, academic_year=year
        )
        .values("pupil__sen_status", "pupil__primary_need")
        .annotate(
            suspensions=Count("id", filter=Q(kind=Exclusion.Kind.SUSPENSION)),
            permanent=Count("id", filter=Q(kind=Exclusion.Kind.PERMANENT)),
        )
    )
    return {(r["pupil__sen_status"], r["pupil__primary_need"]): r for r in rows}


def _row(label, selected, everyone, counted, suppress):
    t = totals(selected)
    keys = [(r["sen_status"], r["primary_need"]) for r in selected]
    suspensions = sum(counted.get(k, {}).get("suspensions", 0) for k in keys)
    permanent = sum(counted.get(k, {}).get("permanent", 0) for k in keys)
    of_suspended = Share.of(t["susp"], everyone["susp"], suppress_below=suppress)
    of_school = Share.of(t["n"], everyone["n"], suppress_below=suppress)
    over = None
    if of_suspended.percent is not None and of_school.percent is not None and everyone["susp"]:
        over = of_suspended.percent > of_school.percent
    return ExclusionRow(
        label,
        Share.of(t["susp"], t["n"], suppress_below=suppress),
        Figure.of(suspensions, suppress_below=suppress),
        Figure.of(permanent, suppress_below=suppress),
        of_suspended,
        of_school,
        over,
    )
