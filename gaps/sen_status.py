"""Key question B: attainment and progress in the core subjects by SEN status (no SEN, SEN
support, EHC plan, all SEND), at the chosen point and the same point in earlier years, beside
the national figures for the same groups. Every pupil assessed at each point counts, including
pupils who have left since (assessment.bands), by their SEN status as at that point (or today's,
with the current cohort basis: gaps.cohort)."""

from dataclasses import dataclass, field

from django.db.models import Count

from assessment.bands import line_shares
from core.calendar import academic_year_label
from core.disclosure import Table
from core.figures import Share
from pupils.models import SenStatus

from . import frameworks as fw
from .models import Measure
from .national import comparator_share, comparators_by_cell
from .shared import at_points, focus_flag

SUBJECT_MEASURES = {
    "reading": Measure.READ_EXPECTED,
    "writing": Measure.WRIT_EXPECTED,
    "maths": Measure.MAT_EXPECTED,
    "mathematics": Measure.MAT_EXPECTED,
    "gps": Measure.GPS_EXPECTED,
}
STATUS_COLUMNS = [
    (SenStatus.NONE, "No SEN"),
    (SenStatus.SEN_SUPPORT, "SEN support"),
    (SenStatus.EHCP, "EHC plan"),
    ("send", "All SEND"),
]
# The national comparator group of each column.
NATIONAL_GROUPS = {SenStatus.NONE: "N", SenStatus.SEN_SUPPORT: "K", SenStatus.EHCP: "E", "send": "send"}
COUNTED = ("n", "ok", "pn", "pok")  # assessed, at or above ARE, with progress, expected or better
# ... then one count per line of the scheme (assessment.bands), in the same query.


@dataclass
class LineShares:
    """One line of the scheme in one row: its share of each column."""

    line: object  # assessment.bands.Line
    shares: dict  # column key -> Share

    @property
    def cells(self):
        return [self.shares[k] for k, _ in STATUS_COLUMNS]


@dataclass
class StatusRow:
    academic_year: int
    year_label: str
    subject: object
    attainment: dict  # column key -> Share at or above ARE
    progress: dict  # column key -> Share making expected progress or better
    national: dict  # column key -> Share (national, expected standard) or None
    focus_attainment: Share | None = None
    lines: list = field(default_factory=list)  # LineShares, attainment lines then progress lines
    # Column key -> the headline progress line by the framework each pupil was judged on
    # (gaps.frameworks), where any pupil of the column was judged on another framework.
    by_framework: dict = field(default_factory=dict)

    @property
    def framework_lines(self):
        """(column label, its headline progress line by framework) in the order of STATUS_COLUMNS."""
        return [(label, self.by_framework[key]) for key, label in STATUS_COLUMNS if key in self.by_framework]

    @property
    def cells(self):
        """(attainment, progress, national) in the order of STATUS_COLUMNS."""
        return [(self.attainment[k], self.progress[k], self.national[k]) for k, _ in STATUS_COLUMNS]


@dataclass
class StatusReport:
    cohort: object
    rows: list
    rwm_national: list  # (year label, {column: Share or None})
    comparator_years: list


def status_report(membership, cohort, scheme, *, years=3):
    """Core subjects at the chosen point and the same point in earlier years, by SEN status."""
    if cohort.point is None:
        return StatusReport(cohort, [], [], [])
    points = [p for p in (cohort.same_point_in(cohort.academic_year - n) for n in range(years)) if p]
    sums, by_framework = _sums_by_column(membership, cohort, scheme, points)
    national = comparators_by_cell(membership, [p.academic_year for p in points])
    suppress = membership.suppress_below
    rows = [
        _status_row(p, subject, sums, national, suppress, scheme.bands.lines)
        for p in points
        for subject in scheme.core_subjects
    ]
    _progress_by_framework(membership, scheme, rows, points, by_framework, suppress)
    rwm = [
        (
            academic_year_label(p.academic_year),
            [
                comparator_share(national.get((p.academic_year, Measure.RWM_EXPECTED, NATIONAL_GROUPS[key])))
                for key, _ in STATUS_COLUMNS
            ],
        )
        for p in points
    ]
    return StatusReport(cohort, rows, rwm, sorted({c[0] for c in national}, reverse=True))


def _sums_by_column(membership, cohort, scheme, points):
    """{(point, subject, column): [n, ok, pn, pok, each line]} for each SEN status, all SEND and
    the focus group (whose progress and line counts stay 0), from one query grouped by point,
    subject, status and focus flag. The status is the pupil's as at each point, or today's (the
    cohort's basis). Grouped by framework as well: {(point, subject, column): {framework id:
    [with progress, expected or better]}} is the headline progress line by framework."""
    bands = scheme.bands
    counted = COUNTED + tuple(line.key for line in bands.lines)
    rows = (
        at_points(membership, [p.pk for p in points])
        .filter(subject_id__in=[s.pk for s in scheme.core_subjects])
        .values(
            "point_id",
            "subject_id",
            "framework_id",
            status=cohort.assessed_status(points),
            in_focus=focus_flag(cohort.assessed_q(points)),
        )
        .annotate(
            n=Count("id", filter=bands.has_attainment),
            ok=Count("id", filter=bands.at_or_above_are),
            pn=Count("id", filter=bands.has_progress),
            pok=Count("id", filter=bands.expected_progress),
            **bands.line_counts(),
        )
        .order_by()
    )
    sums, by_framework = {}, {}
    for r in rows:
        status = r["status"]
        for column in (status, "send") if status != SenStatus.NONE else (status,):
            acc = sums.setdefault((r["point_id"], r["subject_id"], column), [0] * len(counted))
            for i, k in enumerate(counted):
                acc[i] += r[k]
            if r["pn"]:
                counts = by_framework.setdefault((r["point_id"], r["subject_id"], column), {})
                fw.add(counts, r["framework_id"], r["pn"], r["pok"])
        focus_acc = sums.setdefault((r["point_id"], r["subject_id"], "focus"), [0] * len(counted))
        if r["in_focus"]:
            focus_acc[0] += r["n"]
            focus_acc[1] += r["ok"]
    return sums, by_framework


def _progress_by_framework(membership, scheme, rows, points, by_framework, suppress):
    """Each row's headline progress line by framework, in the columns where any pupil was judged
    on another framework and the line itself is shown (each column's breakdown its own table of
    disclosure control: gaps.frameworks)."""
    mixed = {key: c for key, c in by_framework.items() if any(f is not fw.MAIN for f in c)}
    headline = scheme.bands.progress.headline
    if not mixed or headline is None:
        return
    names = fw.framework_names(membership.school_id)
    point_of = {(p.academic_year): p.pk for p in points}
    for row in rows:
        shares = next((ls.shares for ls in row.lines if ls.line is headline), {})
        for key, _label in STATUS_COLUMNS:
            counts = mixed.get((point_of[row.academic_year], row.subject.pk, key))
            share = shares.get(key)
            if counts and share is not None and not share.suppressed:
                row.by_framework[key] = fw.breakdown(counts, names, headline.name, suppress)


def status_shares(counts, suppress):
    """{column: Share} of one measure from {column: (count, group)}: as one table for disclosure
    control (core.disclosure), since SEN support and EHC plan add up to all SEND, and each share's
    group is its count and the pupils below the line."""
    table = Table(suppress)
    for key, (ok, n) in counts.items():
        table.add((key, "ok"), ok)
        table.add((key, "below"), n - ok, shown=False)
        table.line(table.add((key, "n"), n), [(key, "ok"), (key, "below")])
    for part in ("ok", "below", "n"):
        table.line(("send", part), [(SenStatus.SEN_SUPPORT, part), (SenStatus.EHCP, part)])
    return {key: table.share((key, "ok"), (key, "n")) for key in counts}


def _status_row(point, subject, sums, national, suppress, lines):
    nat = {}
    measure = SUBJECT_MEASURES.get(subject.name.lower())
    zeros = [0] * (len(COUNTED) + len(lines))
    counts = {key: sums.get((point.pk, subject.pk, key), zeros) for key, _ in STATUS_COLUMNS}
    attainment = status_shares({key: (c[1], c[0]) for key, c in counts.items()}, suppress)
    progress = status_shares({key: (c[3], c[2]) for key, c in counts.items()}, suppress)
    met_by_column = {}
    for key, _ in STATUS_COLUMNS:
        n, _ok, pn, _pok, *met = counts[key]
        nat[key] = comparator_share(national.get((point.academic_year, measure, NATIONAL_GROUPS[key])))
        met_by_column[key] = (met, {"attainment": n, "progress": pn})
    by_line = _line_cells(lines, met_by_column, suppress)
    fn, fok, *_ = sums.get((point.pk, subject.pk, "focus"), zeros)
    return StatusRow(
        point.academic_year,
        academic_year_label(point.academic_year),
        subject,
        attainment,
        progress,
        nat,
        Share.of(fok, fn, suppress_below=suppress),
        by_line,
    )


def _line_cells(lines, met_by_column, suppress):
    """[LineShares] of every line in every column. Each column's lines are shown as
    assessment.bands.line_shares shows one group's; and since All SEND is SEN support plus EHC
    plan, a line after the headline hidden in one column is hidden in every column, so that it
    cannot be worked out from the others."""
    by_line = [LineShares(line, {}) for line in lines]
    for scale in ("attainment", "progress"):
        on_scale = [i for i, line in enumerate(lines) if line.field == scale]
        for key, (met, assessed) in met_by_column.items():
            shares = line_shares([met[i] for i in on_scale], assessed[scale], suppress)
            for i, share in zip(on_scale, shares, strict=True):
                by_line[i].shares[key] = share
        for i in on_scale:
            # Each line across the columns is a table of its own (status_shares).
            counts = {key: (met[i], assessed[scale]) for key, (met, assessed) in met_by_column.items()}
            for key, share in status_shares(counts, suppress).items():
                if share.suppressed and by_line[i].shares.get(key) is not None:
                    by_line[i].shares[key] = share
        for i in on_scale[1:]:
            if any(s is None or s.suppressed for s in by_line[i].shares.values()):
                by_line[i].shares = dict.fromkeys(by_line[i].shares)
    return by_line
