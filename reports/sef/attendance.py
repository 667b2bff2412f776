"""Section 3 of the SEF, attendance, exclusions and behaviour: each group's attendance,
persistent absence, suspensions, permanent exclusions and behaviour incidents, over the pupils
with attendance recorded in the year. Four aggregate queries, each grouped by SEN status."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count as DbCount
from django.db.models import F, Q, Sum

from attendance.models import Attendance, BehaviourCount, Exclusion
from core.calendar import academic_year_label as year_label
from core.disclosure import Table
from core.figures import SUPPRESSED_TEXT, Count, Share, one_decimal
from pupils.models import SEN_STATUSES_ON_RECORD, Pupil, SenStatus

from ..snapshot import register

# Groups compared: label, the statuses (None for every pupil).
GROUPS = [
    ("SEND", list(SEN_STATUSES_ON_RECORD)),
    ("SEN support", [SenStatus.SEN_SUPPORT]),
    ("EHC plan", [SenStatus.EHCP]),
    ("No SEND", [SenStatus.NONE]),
    ("All pupils", None),
]
SEND, NO_SEND, EVERYONE = 0, 3, 4  # their places in GROUPS


@register
@dataclass
class Rate:
    """A rate over sessions (attendance), shown to one decimal place; suppressed for governors
    when it is over fewer pupils than the threshold."""

    value: str = ""
    pupils: int = 0
    suppressed: bool = False
    threshold: int = 0

    @classmethod
    def of(cls, part, whole, pupils, *, suppress_below=0):
        if suppress_below and 0 < pupils < suppress_below:
            return cls(suppressed=True, threshold=suppress_below)
        if not whole:
            return cls(value="", pupils=pupils)
        exact = one_decimal(Decimal(part) * 100 / Decimal(whole))
        return cls(value=f"{exact}", pupils=pupils)

    @property
    def number(self):
        return None if self.suppressed or not self.value else Decimal(self.value)

    def __str__(self):
        if self.suppressed:
            return SUPPRESSED_TEXT
        return f"{self.value}%" if self.value else "no data"


@register
@dataclass
class AttendanceLine:
    group: str
    pupils: Count
    rate: Rate
    previous_rate: Rate
    persistent_absence: Share
    suspended: Share
    suspensions: Count
    suspension_days: str
    permanent: Count
    incidents_per_pupil: str


@register
@dataclass
class AttendanceSection:
    available: bool
    note: str = ""
    previous_year: str = ""
    lines: list = field(default_factory=list)
    findings: list = field(default_factory=list)


def attendance_section(school, academic_year, *, suppress_below):
    now = _this_year(school, academic_year)
    if not now[f"n{EVERYONE}"]:
        return AttendanceSection(False, f"No attendance is recorded for {year_label(academic_year)}.")
    totals = {"now": now, **_by_status(school, academic_year)}
    lines = [_line(label, i, totals, suppress_below) for i, (label, _) in enumerate(GROUPS)]
    if suppress_below:
        _withhold(lines, totals, suppress_below)
    findings = _findings(lines[SEND], lines[NO_SEND], academic_year)
    return AttendanceSection(
        True, previous_year=year_label(academic_year - 1), lines=lines, findings=findings
    )


# This year's attendance by SEN status, over the school's pupils with sessions recorded in the
# year, each pupil's attended and possible sessions added up first: the pupils, their sessions,
# and those persistently absent (under 90%: attended * 10 < possible * 9, in whole numbers).
# Written as SQL: the ORM version (a pupil subquery under twenty conditional aggregates, four a
# group) took Django about 30,000 Python calls to compile on every SEF page, where this shape
# never changes. Table names come from the models' metadata; the school and the year are
# parameters; PostgreSQL and SQLite alike.
_THIS_YEAR_SQL = """SELECT t.status, COUNT(*) AS n, SUM(t.att) AS att, SUM(t.pos) AS pos,
COUNT(*) FILTER (WHERE t.att * 10 - t.pos * 9 < 0) AS pa
FROM (SELECT p.sen_status AS status, SUM(a.attended_sessions) AS att, SUM(a.possible_sessions) AS pos
FROM {pupils} p JOIN {attendance} a ON a.pupil_id = p.id WHERE p.school_id = %s AND a.academic_year = %s
GROUP BY p.id, p.sen_status HAVING SUM(a.possible_sessions) > 0) t
GROUP BY t.status"""


def _this_year(school, academic_year):
    """This year's totals by group, numbered as GROUPS: pupils with sessions recorded (n),
    attended and possible sessions (att, pos) and pupils persistently absent (pa)."""
    sql = _THIS_YEAR_SQL.format(pupils=Pupil._meta.db_table, attendance=Attendance._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, [school.pk, academic_year])
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return _groups_of(rows, ("n", "att", "pos", "pa"), counts={"n", "pa"})


def _by_status(school, academic_year):
    """Last year's attendance, this year's exclusions and behaviour counts: each one query grouped
    by the pupils' SEN status, added up into each group of GROUPS as `_this_year` numbers them.
    A pupil has one status, so the counts of distinct pupils add up across statuses."""
    suspension = Q(kind=Exclusion.Kind.SUSPENSION)
    queries = {
        "before": (
            Attendance.objects.for_school(school).filter(academic_year=academic_year - 1),
            {
                "n": DbCount("pupil", distinct=True),
                "att": Sum("attended_sessions"),
                "pos": Sum("possible_sessions"),
            },
        ),
        "excluded": (
            Exclusion.objects.for_school(school).filter(academic_year=academic_year),
            {
                "s": DbCount("pk", filter=suspension),
                "sp": DbCount("pupil", distinct=True, filter=suspension),
                "sd": Sum("days", filter=suspension),
                "p": DbCount("pk", filter=Q(kind=Exclusion.Kind.PERMANENT)),
            },
        ),
        "incidents": (
            BehaviourCount.objects.for_school(school).filter(academic_year=academic_year),
            {"b": Sum("incidents")},
        ),
    }
    return {
        key: _groups_of(
            rows.values(status=F("pupil__sen_status")).annotate(**aggregates).order_by(),
            aggregates,
            counts={name for name, aggregate in aggregates.items() if isinstance(aggregate, DbCount)},
        )
        for key, (rows, aggregates) in queries.items()
    }


def _groups_of(rows, names, *, counts):
    """{name + group number: total} from rows by SEN status: a count (one of `counts`) is 0 over
    no rows, a sum None, as the database gives them."""
    rows = list(rows)
    totals = {}
    for i, (_, statuses) in enumerate(GROUPS):
        mine = [row for row in rows if statuses is None or row["status"] in statuses]
        for name in names:
            values = [row[name] for row in mine if row[name] is not None]
            totals[f"{name}{i}"] = sum(values) if values else (0 if name in counts else None)
    return totals


def _line(label, i, totals, suppress_below):
    now, before, excluded = totals["now"], totals["before"], totals["excluded"]
    n = now[f"n{i}"]
    small = bool(suppress_below) and 0 < n < suppress_below
    suspensions = Count.of(excluded[f"s{i}"], suppress_below=suppress_below)
    days = Decimal(excluded[f"sd{i}"] or 0).normalize()
    incidents = totals["incidents"][f"b{i}"] or 0
    per_pupil = one_decimal(Decimal(incidents) / n) if n else None
    return AttendanceLine(
        group=label,
        pupils=Count.of(n, suppress_below=suppress_below),
        rate=Rate.of(now[f"att{i}"] or 0, now[f"pos{i}"] or 0, n, suppress_below=suppress_below),
        previous_rate=Rate.of(
            before[f"att{i}"] or 0, before[f"pos{i}"] or 0, before[f"n{i}"], suppress_below=suppress_below
        ),
        persistent_absence=Share.of(now[f"pa{i}"], n, suppress_below=suppress_below),
        suspended=Share.of(excluded[f"sp{i}"], n, suppress_below=suppress_below),
        suspensions=suspensions,
        suspension_days=SUPPRESSED_TEXT if small or suspensions.suppressed else f"{days:f}",
        permanent=Count.of(excluded[f"p{i}"], suppress_below=suppress_below),
        incidents_per_pupil=SUPPRESSED_TEXT if small else f"{per_pupil}",
    )


def _withhold(lines, totals, threshold):
    """The lines' counts as one table for disclosure control (core.disclosure): SEN support and
    EHC plan add up to SEND, SEND and no SEND to all pupils, in pupils, pupils persistently absent,
    pupils suspended, suspensions and permanent exclusions; each share's group is its count and
    the rest of the group."""
    now, excluded = totals["now"], totals["excluded"]
    table = Table(threshold)
    for i in range(len(GROUPS)):
        n = table.add((i, "n"), now[f"n{i}"])
        for part, value in (("pa", now[f"pa{i}"]), ("sp", excluded[f"sp{i}"])):
            table.add((i, part), value)
            table.add((i, f"not {part}"), now[f"n{i}"] - value, shown=False)
            table.line(n, [(i, part), (i, f"not {part}")])
        table.add((i, "s"), excluded[f"s{i}"])
        table.add((i, "p"), excluded[f"p{i}"])
    for part in ("n", "pa", "not pa", "sp", "not sp", "s", "p"):
        table.line((SEND, part), [(1, part), (2, part)])
        table.line((EVERYONE, part), [(SEND, part), (NO_SEND, part)])
    for i, line in enumerate(lines):
        line.pupils = table.count((i, "n"))
        line.persistent_absence = table.share((i, "pa"), (i, "n"))
        line.suspended = table.share((i, "sp"), (i, "n"))
        line.suspensions = table.count((i, "s"))
        line.permanent = table.count((i, "p"))
        if line.suspensions.suppressed:
            line.suspension_days = SUPPRESSED_TEXT


def _findings(send, others, academic_year):
    findings = []
    if send.rate.number is not None and others.rate.number is not None:
        gap = others.rate.number - send.rate.number
        findings.append(
            f"SEND pupils attended {send.rate} of sessions against {others.rate} for the others, a gap of "
            f"{gap} percentage points{_change_on_last_year(send, academic_year)}."
        )
    if send.persistent_absence.percent is not None and others.persistent_absence.percent is not None:
        findings.append(
            f"{send.persistent_absence} of SEND pupils are persistently absent (below 90%), against "
            f"{others.persistent_absence} of the others."
        )
    if not send.suspended.suppressed and not others.suspended.suppressed:
        findings.append(
            f"{send.suspended} of SEND pupils were suspended at least once, against "
            f"{others.suspended} of the others; {send.permanent} SEND pupils were permanently excluded."
        )
    return findings


def _change_on_last_year(send, academic_year):
    """ "; SEND attendance is up 1.5 percentage points on 2024/25 (86.5%)", or "" with no figure last year."""
    if send.previous_rate.number is None:
        return ""
    change = send.rate.number - send.previous_rate.number
    word = "up" if change > 0 else "down" if change < 0 else "unchanged"
    by = f" {abs(change)} percentage points" if change else ""
    return f"; SEND attendance is {word}{by} on {year_label(academic_year - 1)} ({send.previous_rate})"
