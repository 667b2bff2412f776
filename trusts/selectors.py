"""Reads of the trust comparison: every school of the reader's organisation, side by side, from
the rollup (trusts.models) and one live count of the reviews overdue (which depends on today).
Four queries whatever the number of schools.

Disclosure: each school's figures of each year are one table (core.disclosure), hidden under
that school's threshold for anyone who may not see its small groups: a trust lead, and a head
for every school but their own. A head reads the other schools without their names ("School
B"), lettered in an order that says nothing about them (a keyed hash of the school), and no
link to them. Sorting is by the figures as shown: a hidden figure sorts after every shown one,
so the order gives nothing hidden away.
"""

import hashlib
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Q

from core import policy
from core.calendar import academic_year_label
from core.disclosure import Table
from core.figures import Count as Figure
from core.figures import Share
from core.gap_direction import gap_direction
from core.words import letters
from gaps.shared import gap_points
from plans.models import EhcPlan
from pupils.selectors import national_send_figures
from schools.models import School

from .figures import rollup_years
from .models import SchoolYearFigures

FOCUS = "SEND pupils"


@dataclass
class Gap:
    """SEND pupils against everyone else on one measure, this year, with the gap's direction
    since last year and its trend over the three years."""

    focus: Share
    rest: Share
    points: int | None
    direction: object  # core.gap_direction.GapDirection, or None where "ahead" means nothing
    trend: list  # [(year label, points or None)], oldest first


@dataclass
class SchoolRow:
    school: School
    label: str
    own: bool
    named: bool  # a trust lead's row: the school by name, with a link to its pages
    point_name: str
    pupils: Figure
    send: Share
    ehcp: Share
    attainment: Gap
    progress: Gap
    absence: Gap
    suspensions: Gap
    places: Figure
    cost_per_place: Decimal | None
    exit_met: Share
    reviews_overdue: Share
    send_national: str | None = None
    ehcp_national: str | None = None
    suppressed: bool = False
    sort_keys: dict = field(default_factory=dict, repr=False)


@dataclass
class Comparison:
    organisation: object
    rows: list
    years: list
    year_label: str
    national_year: int
    national_send: float
    national_ehcp: float
    sort: str
    descending: bool
    names_schools: bool
    refreshed_at: object = None  # when the least recently refreshed school's figures were

    @property
    def trend_label(self):
        return f"{academic_year_label(self.years[0])} to {academic_year_label(self.years[-1])}"

    @property
    def any_suppressed(self):
        return any(row.suppressed for row in self.rows)


# Sortable columns: key -> what the column is called (for the sort links' labels).
SORTS = {
    "school": "School",
    "pupils": "Pupils",
    "send": "SEND share",
    "ehcp": "EHC plan share",
    "attainment": "Attainment gap",
    "progress": "Progress gap",
    "absence": "Persistent absence gap",
    "suspensions": "Suspensions gap",
    "cost": "Cost per place",
    "exit": "Exit criteria met",
    "reviews": "Reviews overdue",
}


def organisation_schools(membership):
    """The schools the comparison shows: the organisation of the school being worked in (the
    school alone if it belongs to none)."""
    school = membership.school
    if school.organisation_id is None:
        return School.objects.filter(pk=school.pk)
    return School.objects.filter(organisation_id=school.organisation_id).select_related("organisation")


def comparison(membership, *, today, sort="school", descending=False):
    names_schools = policy.can(membership, "trust.name_schools")
    schools = list(organisation_schools(membership))
    years = rollup_years(today)
    stored = SchoolYearFigures.objects.filter(school__in=schools, academic_year__in=years)
    by_school, refreshed = {}, []
    for fig in stored:
        refreshed.append(fig.refreshed_at)
        by_school.setdefault(fig.school_id, {})[fig.academic_year] = fig
    reviews = _reviews(schools, today)
    numbers = _numbers(schools, membership)
    rows = []
    for school in schools:
        own = school.pk == membership.school_id
        threshold = policy.suppress_below(membership) if own else school.suppression_threshold
        named = names_schools or own
        label = school.name if named else f"School {letters(numbers[school.pk] + 1)}"
        row = _row(school, label, own, names_schools, by_school.get(school.pk, {}), years, reviews, threshold)
        if not named:  # by letter as spreadsheet columns go: School Z, then School AA
            row.sort_keys["school"] = (0, _name_key(f"School {numbers[school.pk]}"))
        rows.append(row)
    if sort not in SORTS:
        sort = "school"
    rows.sort(key=lambda r: r.sort_keys[sort], reverse=descending)
    if descending:  # hidden and missing figures last either way
        rows.sort(key=lambda r: r.sort_keys[sort][0])
    year, national = national_send_figures()
    for row in rows:
        row.send_national = against_national(row.send, national["send"])
        row.ehcp_national = against_national(row.ehcp, national["ehcp"])
    return Comparison(
        organisation=schools[0].organisation if schools else None,
        rows=rows,
        years=years,
        year_label=academic_year_label(years[-1]),
        national_year=year,
        national_send=national["send"],
        national_ehcp=national["ehcp"],
        sort=sort,
        descending=descending,
        names_schools=names_schools,
        refreshed_at=min(refreshed, default=None),
    )


def _reviews(schools, today):
    """{school id: (EHC plans, annual reviews overdue)} of pupils on roll, counted as the SENCO's
    review list counts them (plans.selectors.review_overview)."""
    rows = (
        EhcPlan.objects.filter(pupil__school__in=schools, pupil__archived_at__isnull=True)
        .values("pupil__school_id")
        .annotate(plans=Count("pk"), overdue=Count("pk", filter=Q(next_review_due__lt=today)))
        .order_by()
    )
    return {r["pupil__school_id"]: (r["plans"], r["overdue"]) for r in rows}


def _numbers(schools, membership):
    """The number of each school a reader sees unnamed (1 onwards, lettered B onwards), in the
    order of a keyed hash of each school (stable, and unrelated to its name, size or figures);
    the reader's own is A."""

    def key(school):
        return hashlib.sha256(f"{settings.SECRET_KEY}:trust-letter:{school.pk}".encode()).hexdigest()

    others = sorted((s for s in schools if s.pk != membership.school_id), key=key)
    return {s.pk: i + 1 for i, s in enumerate(others)}


def _year_table(fig, threshold, overdue=None):
    """One school's figures of one year as a table for disclosure control: each share is a
    count beside its group, and the group is the count and the rest (unshown) added up."""
    table = Table(threshold)
    pairs = [
        ("send", "pupils"),
        ("ehcp", "pupils"),
        ("att_f_ok", "att_f_n"),
        ("att_r_ok", "att_r_n"),
        ("prog_f_ok", "prog_f_n"),
        ("prog_r_ok", "prog_r_n"),
        ("pa_f", "pa_f_n"),
        ("pa_r", "pa_r_n"),
        ("susp_f", "susp_f_n"),
        ("susp_r", "susp_r_n"),
        ("iv_met", "iv_judged"),
    ]
    values = fig.as_dict() if fig else {}
    if overdue is not None:
        values["overdue"], values["plans"] = overdue[1], overdue[0]
        pairs.append(("overdue", "plans"))
    for part, whole in pairs:
        n, total = values.get(part) or 0, values.get(whole) or 0
        table.add(part, n)
        table.add(whole, total)
        table.line(whole, [part, table.add((whole, "not", part), total - n, shown=False)])
    table.add("iv_places", values.get("iv_places") or 0)
    # SEN support pupils are the SEND pupils without an EHC plan (never shown).
    sen_support = (values.get("send") or 0) - (values.get("ehcp") or 0)
    table.line("send", ["ehcp", table.add("sen_support", sen_support, shown=False)])
    if not any(0 < n < threshold for n in table.values.values()):
        # Nothing under the threshold: nothing to hide, first or second (core.disclosure), so
        # the exact solver need not run, for the many schools of a trust with no small group.
        table.threshold = 0
    return table


def _gap(tables, years, key):
    """The gap on one measure (`key`: "att", "prog", "pa", "susp") in each year, as shown. For
    attainment and progress it is everyone else's share minus the SEND pupils' (positive: SEND
    pupils behind), with its direction (core.gap_direction). Persistent absence and suspensions
    are worse the higher they are, so there it is the SEND pupils' share minus everyone else's
    (positive: SEND pupils more often absent or suspended), without "ahead" or "behind"."""
    parts = {"att": ("att_f_ok", "att_f_n", "att_r_ok", "att_r_n")}
    parts.update({k: (f"{k}_f", f"{k}_f_n", f"{k}_r", f"{k}_r_n") for k in ("pa", "susp")})
    parts["prog"] = ("prog_f_ok", "prog_f_n", "prog_r_ok", "prog_r_n")
    f_ok, f_n, r_ok, r_n = parts[key]
    shares = [(tables[y].share(f_ok, f_n), tables[y].share(r_ok, r_n)) for y in years]
    points = [gap_points(f, r) for f, r in shares]
    direction = gap_direction(FOCUS, points[-1], points[-2] if len(points) > 1 else None)
    if key in ("pa", "susp"):
        points = [None if p is None else -p for p in points]
        direction = None
    return Gap(
        focus=shares[-1][0],
        rest=shares[-1][1],
        points=points[-1],
        direction=direction,
        trend=[(academic_year_label(y), p) for y, p in zip(years, points, strict=True)],
    )


def _row(school, label, own, names_schools, figures, years, reviews, threshold):
    this_year = years[-1]
    tables = {y: _year_table(figures.get(y), threshold) for y in years}
    tables[this_year] = _year_table(figures.get(this_year), threshold, reviews.get(school.pk, (0, 0)))
    now = tables[this_year]
    fig = figures.get(this_year)
    places = now.count("iv_places")
    cost = fig.iv_cost if fig else Decimal("0")
    small_places = places.suppressed or (threshold and 0 < places.value < threshold)
    cost_per_place = None
    if places.value and not small_places:
        cost_per_place = (cost / places.value).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    row = SchoolRow(
        school=school,
        label=label,
        own=own,
        named=names_schools,
        point_name=fig.point_name if fig else "",
        pupils=now.count("pupils"),
        send=now.share("send", "pupils"),
        ehcp=now.share("ehcp", "pupils"),
        attainment=_gap(tables, years, "att"),
        progress=_gap(tables, years, "prog"),
        absence=_gap(tables, years, "pa"),
        suspensions=_gap(tables, years, "susp"),
        places=places,
        cost_per_place=cost_per_place,
        exit_met=now.share("iv_met", "iv_judged"),
        reviews_overdue=now.share("overdue", "plans"),
    )
    row.suppressed = any(t.hidden - t.unshown for t in tables.values()) or bool(small_places and places.value)
    row.sort_keys = _sort_keys(row)
    return row


def _shown(value):
    """(0, value) for a shown figure, (1, 0) for a hidden or missing one: hidden sorts last."""
    return (1, 0) if value is None else (0, value)


def _share_key(share):
    if share.suppressed or not share.denominator:
        return _shown(None)
    return _shown(Decimal(share.numerator) / share.denominator)


def _name_key(label):
    """A school's name as people sort it: "Trust School 3" before "Trust School 10"."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", label.lower())
    )


def _sort_keys(row):
    return {
        "school": (0, _name_key(row.label)),
        "pupils": _shown(None if row.pupils.suppressed else row.pupils.value),
        "send": _share_key(row.send),
        "ehcp": _share_key(row.ehcp),
        "attainment": _shown(row.attainment.points),
        "progress": _shown(row.progress.points),
        "absence": _shown(row.absence.points),
        "suspensions": _shown(row.suspensions.points),
        "cost": _shown(row.cost_per_place),
        "exit": _share_key(row.exit_met),
        "reviews": _share_key(row.reviews_overdue),
    }


def against_national(share, national):
    """ "above national", "below national" or "in line with national" (to a whole point), or
    None when the share is hidden or over no pupil."""
    if share.suppressed or not share.denominator:
        return None
    difference = Decimal(share.numerator) * 100 / share.denominator - Decimal(str(national))
    if abs(difference) < Decimal("0.5"):
        return "in line with national"
    return "above national" if difference > 0 else "below national"
