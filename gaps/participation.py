"""Key questions G and H: whether pupils of the focus group take part in clubs, trips and
residential visits as often as everyone else (pupils on roll, this academic year)."""

from django.db.models import Count

from attendance.models import Participation
from core.figures import Share

from .shared import LinkRow


def participation(membership, cohort, year, suppress, school_n, focus_n):
    """Per kind of activity, the share of the focus group's `focus_n` pupils and of everyone
    else's (`school_n` - `focus_n`) who took part at least once: one grouped query."""
    focus = cohort.now_q("pupil__")
    rows = (
        Participation.objects.filter(
            pupil__school_id=membership.school_id, pupil__archived_at__isnull=True, academic_year=year
        )
        .values("kind")
        .annotate(
            focus=Count("pupil_id", filter=focus, distinct=True),
            rest=Count("pupil_id", filter=~focus, distinct=True),
        )
    )
    by_kind = {r["kind"]: r for r in rows}
    result = []
    for kind, label in Participation.Kind.choices:
        r = by_kind.get(kind, {"focus": 0, "rest": 0})
        result.append(
            LinkRow(
                label,
                Share.of(r["focus"], focus_n, suppress_below=suppress),
                Share.of(r["rest"], school_n - focus_n, suppress_below=suppress),
            )
        )
    return result
