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

from django.db import connection
from django.db.models import (
    Count,
    IntegerField,
)
from django.db.models.expressions import RawSQL

from assessment.models import Assessment
from attendance.models import PERSISTENT_ABSENCE_BELOW, Attendance, Exclusion
from core.calendar import current_academic_year
from core.figures import Count as Figure
from core.figures import Share
from pupils.models import SEN_STATUSES_ON_RECORD, Pupil, SenStatus

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


# The two queries of this module run on every gap dashboard and E-H page and have a fixed shape,
# so they are written once as SQL rather than built by the ORM, which took about 9,000 Python
# calls to build and compile the attendance query and 30,000 the attainment-by-band one on every
# request. The rules: a pupil's sessions of the year added up over the year's terms by a
# correlated subquery from each of the school's pupils (one index probe a pupil, so the work grows
# with the school, never with every school's attendance: an uncorrelated subquery or a join over
# the year's rows was planned as a scan of the whole year, every school's), NULL for a pupil with
# no attendance that year, and shares compared in whole numbers (attended x 100 against possible
# x percent), as attendance.models does. The focus group is the cohort's own condition
# (gaps.cohort), compiled by the ORM into a subquery of pupils. Table names come from the models'
# metadata; every value is a parameter; the SQL runs on PostgreSQL and SQLite alike.
_SUM_SQL = "(SELECT SUM(t.{column}) FROM {attendance} t WHERE t.pupil_id = p.id AND t.academic_year = %s)"

_PUPIL_ROWS_SQL = """SELECT x.sen_status, x.primary_need, x.in_focus, COUNT(*), COUNT(x.pos), SUM(x.att),
SUM(x.pos), COUNT(CASE WHEN x.att * 100 < x.pos * %s THEN 1 END), COUNT(CASE WHEN x.susp = 1 THEN 1 END)
FROM (SELECT p.sen_status, p.primary_need, CASE WHEN p.id IN ({focus}) THEN 1 ELSE 0 END AS in_focus,
{attended} AS att, {possible} AS pos,
CASE WHEN EXISTS (SELECT 1 FROM {exclusions} e WHERE e.pupil_id = p.id AND e.academic_year = %s
AND e.kind = %s) THEN 1 ELSE 0 END AS susp
FROM {pupils} p WHERE p.school_id = %s AND p.archived_at IS NULL) x
GROUP BY x.sen_status, x.primary_need, x.in_focus"""

# The pupils of a school with attendance in a year, and (with a threshold) whose attended sessions
# are at least that share of the possible ones.
_ATTENDING_SQL = (
    "SELECT p.id FROM {pupils} p WHERE p.school_id = %s AND EXISTS (SELECT 1 FROM {attendance} t "
    "WHERE t.pupil_id = p.id AND t.academic_year = %s{having})"
)
_AT_LEAST = " GROUP BY t.pupil_id HAVING SUM(t.attended_sessions) * 100 >= SUM(t.possible_sessions) * %s"


def _tables():
    return {
        "attendance": Attendance._meta.db_table,
        "exclusions": Exclusion._meta.db_table,
        "pupils": Pupil._meta.db_table,
    }


def _as_int(value):
    """A sum as an int (PostgreSQL adds up bigints into numeric), as the ORM's Sum gave it."""
    return None if value is None else int(value)


def pupil_rows(membership, cohort, year):
    """One row per (SEN status, primary need): pupils, sessions, persistent absence and
    suspensions, for everyone and for the focus group, in one pass over the school's pupils on
    roll (`school_pupils`), each with their sessions of `year` summed and
    whether they were suspended (a correlated EXISTS on the pupil's exclusions). One SQL
    statement (see `_PUPIL_ROWS_SQL`); the focus group is the cohort's `now_q` among the school's
    pupils on roll."""
    focus_sql, focus_params = (
        school_pupils(membership).filter(cohort.now_q()).values("pk").query.sql_with_params()
    )
    tables = _tables()
    sql = _PUPIL_ROWS_SQL.format(
        focus=focus_sql,
        attended=_SUM_SQL.format(column="attended_sessions", **tables),
        possible=_SUM_SQL.format(column="possible_sessions", **tables),
        **tables,
    )
    params = [
        int(PERSISTENT_ABSENCE_BELOW),
        *focus_params,
        year,
        year,
        year,
        Exclusion.Kind.SUSPENSION.value,
        membership.school_id,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [
            {"sen_status": status, "primary_need": need, "in_focus": bool(focus)}
            | dict(zip(FIELDS, (n, n_att, _as_int(att), _as_int(pos), pa, susp), strict=True))
            for status, need, focus, n, n_att, att, pos, pa, susp in cursor.fetchall()
        ]
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
    over the year, the focus group against everyone else (grouped by band and the focus flag;
    each band's pupils come from one uncorrelated subquery).
    Assessments of pupils with no attendance this year fall in a group of their own (band None),
    which no row reads: filtering them out in SQL would have the database work out every row's
    band twice, once to filter and once to group."""
    if cohort.point is None:
        return []
    band = _band(membership.school_id, year)
    rows = (
        at_points(membership, [cohort.point.pk])
        .filter(scheme.bands.has_attainment)
        .annotate(band=band, in_focus=focus_flag(cohort.assessed_q([cohort.point])))
        .values("band", "in_focus")
        .annotate(n=Count("id"), ok=Count("id", filter=scheme.at_or_above))
        .order_by()
    )
    by_band = by_flag(rows, lambda r: r["band"], ("n", "ok"))
    empty = {"n": (0, 0), "ok": (0, 0)}
    result = []
    for i, label in enumerate(LINK_BANDS):
        t = by_band.get(i, empty)
        result.append(
            LinkRow(
                label,
                Share.of(t["ok"][0], t["n"][0], suppress_below=suppress),
                Share.of(t["ok"][1], t["n"][1], suppress_below=suppress),
            )
        )
    return result


def _band(school_id, year):
    """The attendance band of an assessment's pupil over `year` (0: 95% or more, 1: 90% to under
    95%, 2: under 90%; NULL with no attendance), each band's pupils from one uncorrelated
    subquery (`_ATTENDING_SQL`)."""
    tables = _tables()
    at_least = _ATTENDING_SQL.format(having=_AT_LEAST, **tables)
    anyone = _ATTENDING_SQL.format(having="", **tables)
    pupil = f"{connection.ops.quote_name(Assessment._meta.db_table)}.pupil_id"
    sql = (
        f"CASE WHEN {pupil} IN ({at_least}) THEN 0 WHEN {pupil} IN ({at_least}) THEN 1 "
        f"WHEN {pupil} IN ({anyone}) THEN 2 END"
    )
    params = [school_id, year, 95, school_id, year, 90, school_id, year]
    return RawSQL(sql, params, output_field=IntegerField())  # noqa: S611 - values are parameters
