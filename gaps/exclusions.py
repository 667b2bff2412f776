"""Key question F: suspensions and permanent exclusions by SEN status and area of need, and
whether a group's share of the pupils suspended is larger than its share of the school (pupils
on roll, this academic year)."""

from dataclasses import dataclass

from django.db.models import Count, Q

from attendance.models import Exclusion
from core.disclosure import Table
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
    counts = [_counts(selected, counted) for _label, selected in groups]
    table = _table(counts, everyone, len(STATUS_LABELS), suppress)
    return [_row(label, i, table) for i, (label, _selected) in enumerate(groups)]


def _counts(selected, counted):
    t = totals(selected)
    keys = [(r["sen_status"], r["primary_need"]) for r in selected]
    return {
        "susp": t["susp"],
        "n": t["n"],
        "suspensions": sum(counted.get(k, {}).get("suspensions", 0) for k in keys),
        "permanent": sum(counted.get(k, {}).get("permanent", 0) for k in keys),
    }


def _table(counts, everyone, statuses, suppress):
    """The rows as one table for disclosure control (core.disclosure): each status, all SEND (SEN
    support and EHC plan added up) and each need (adding up to all SEND with the pupils of no
    recorded need), with the school's pupils and pupils suspended as the totals of the shares."""
    table = Table(suppress)
    parts = ("susp", "not", "n", "suspensions", "permanent")
    for i, c in enumerate(counts):
        for part in ("susp", "n", "suspensions", "permanent"):
            table.add((i, part), c[part])
        table.add((i, "not"), c["n"] - c["susp"], shown=False)
        table.line((i, "n"), [(i, "susp"), (i, "not")])
    table.add(("all", "susp"), everyone["susp"])
    table.add(("all", "n"), everyone["n"])
    send, needs = statuses, range(statuses + 1, len(counts))
    for part in parts:
        rest = table.values[(send, part)] - sum(table.values[(i, part)] for i in needs)
        table.add(("no need", part), rest, shown=False)
        table.line((send, part), [(i, part) for i in needs] + [("no need", part)])
        table.line((send, part), [(i, part) for i in range(statuses) if i != 0])
    for part in ("susp", "n"):
        table.line(("all", part), [(0, part), (send, part)])
    return table


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


def _row(label, i, table):
    of_suspended = table.share((i, "susp"), ("all", "susp"))
    of_school = table.share((i, "n"), ("all", "n"))
    over = None
    if of_suspended.percent is not None and of_school.percent is not None and table.value(("all", "susp")):
        over = of_suspended.percent > of_school.percent
    return ExclusionRow(
        label,
        table.share((i, "susp"), (i, "n")),
        table.count((i, "suspensions")),
        table.count((i, "permanent")),
        of_suspended,
        of_school,
        over,
    )
