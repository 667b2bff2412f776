"""Section 2 of the SEF, attainment and progress: SEND pupils against the others in each core
subject at the latest point of the year with data, against the point before it and the last
point of the year before, and the gap over three years (the last point of each earlier year and
every point of this one).

One grouped query for the figures and four small ones for the scheme. Each measure is one
scale of the school's scheme: its gaps and trend are on the scale's headline line ("at or above
ARE", "expected progress or better"), and every line the scheme marks on it is shown beside
them with SEND pupils' and other pupils' counts ("55% (6/11) made good or outstanding
progress"), counted in the same query. The lines are assessment.bands' definition, archived
pupils included. SEND means on the SEND record as at each point (AssessmentPoint.as_at, from the
dated SEN history), so each point keeps the SEND pupils it had; BASIS says so on the page and in
the PDF."""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField
from django.db.models import Count as DbCount
from django.db.models.expressions import RawSQL

from assessment.bands import VERBS, Bands, assessments_at, line_shares
from assessment.models import Assessment, AssessmentPoint, Subject, point_as_at
from core.calendar import academic_year_label as year_label
from core.disclosure import Table
from core.figures import Share
from core.gap_direction import gap_direction
from gaps import frameworks as fw
from pupils.models import SEN_STATUSES_ON_RECORD, statuses_at_dates_sql

from ..snapshot import register
from .gap import gap_between, trend_word

# The two measures: the key of their counts, and their title when the scale has no line.
MEASURES = (("a", "At or above age-related expectations"), ("p", "Expected progress or better"))
SCALES = {"a": "attainment", "p": "progress"}
# Who counts as SEND in this section, said beside its figures (kept with a signed-off snapshot).
BASIS = (
    "SEN status and year group as at each assessment point: SEND pupils are those on the SEND record "
    "(SEN support or EHC plan) on the last day of each point's period, from the dated SEN history."
)


@register
@dataclass
class GapRow:
    subject: str
    point: str
    send: Share
    others: Share
    gap: int | None
    previous_point: str = ""
    previous_gap: int | None = None
    last_year_point: str = ""
    last_year_gap: int | None = None
    # The gap over the true figures, for choosing the largest gap alike for every reader.
    true_gap: int | None = None
    # No other pupil was assessed (a special school: every pupil has SEND). A count of zero is no
    # small group, so every reader may know it; False in snapshots signed before it was kept.
    no_others: bool = False

    @property
    def withheld(self):
        return self.gap is None and self.true_gap is not None

    @property
    def term_trend(self):
        return trend_word(self.gap, self.previous_gap)

    @property
    def year_trend(self):
        return trend_word(self.gap, self.last_year_gap)


@register
@dataclass
class LineFigure:
    """One line of the scheme for one subject: SEND pupils' share and other pupils' (None where
    it is not shown, assessment.bands.line_shares)."""

    name: str
    verb: str
    send: Share | None
    others: Share | None
    # On the headline progress line with pupils judged on other frameworks: each group's line by
    # framework ("12 of 15 made expected progress or better: 6 of 8 on the school's scale, ..."),
    # gaps.frameworks; "" otherwise (and in snapshots signed before issue 22).
    send_by_framework: str = ""
    others_by_framework: str = ""

    def _says(self, share):
        if share is None:
            return f"{self.name}: not shown"
        return " ".join(part for part in (str(share), self.verb, self.name) if part)

    @property
    def send_says(self):
        return self._says(self.send)

    @property
    def others_says(self):
        return self._says(self.others)


@register
@dataclass
class LineRow:
    """Every line of one measure's scale for one subject, at the point of its gap row."""

    subject: str
    point: str
    figures: list


@register
@dataclass
class TrendLine:
    subject: str
    gaps: list


@register
@dataclass
class Measure:
    key: str
    title: str
    rows: list = field(default_factory=list)
    trend_points: list = field(default_factory=list)
    trend: list = field(default_factory=list)
    lines: list = field(default_factory=list)  # LineRow, one per subject of `rows`

    @property
    def by_framework(self):
        """Whether any line is said by framework (pupils judged on other frameworks)."""
        return any(f.send_by_framework or f.others_by_framework for row in self.lines for f in row.figures)


@register
@dataclass
class AttainmentSection:
    available: bool
    note: str = ""
    measures: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    # Empty in snapshots signed before SEN status was taken as at each point: those counted the
    # pupils on the SEND record on the day they were produced (the template says so).
    basis: str = ""


@dataclass
class _Figure:
    """One subject at one point: the point, its year, both groups' shares and the gap."""

    point: int
    year: int
    send: Share
    others: Share
    gap: int | None
    true_gap: int | None = None
    no_others: bool = False


def attainment_section(school, academic_year, *, suppress_below):
    subjects = list(Subject.objects.filter(school=school, is_core=True).values_list("pk", "name"))
    points = list(
        AssessmentPoint.objects.filter(school=school, academic_year__range=(academic_year - 2, academic_year))
        .with_next_start()
        .values_list("pk", "academic_year", "name", "starts_on", "next_starts_on")
    )
    bands = Bands.of_school(school.pk)
    if not subjects or not points or not bands.attainment.bands:
        return AttainmentSection(False, "The school's assessment scheme has no core subjects or points yet.")
    cells = _counts(school, bands, points, subjects)
    points = [(pk, year, name) for pk, year, name, *_ in points]
    if not cells:
        return AttainmentSection(
            False, f"No assessments are recorded for {year_label(academic_year)} or the two years before."
        )
    lines = {"a": bands.attainment.lines, "p": bands.progress.lines}
    grid = _Grid(cells, points, subjects, academic_year, suppress_below, lines)
    measures = [grid.measure(key, lines[key][0].title if lines[key] else title) for key, title in MEASURES]
    if not any(m.rows for m in measures):
        return AttainmentSection(False, f"No assessments are recorded for {year_label(academic_year)}.")
    _by_framework(school, grid, measures)
    findings = [finding for finding in map(_widest_gap, measures) if finding]
    return AttainmentSection(True, measures=measures, findings=findings, basis=BASIS)


def _counts(school, bands, points, subjects):
    """{(point pk, subject pk): the assessed and meeting counts of each group on each measure and
    line}.

    One query grouped by point, subject and whether the pupil was on the SEND record as at the
    point (`_on_record_at_points`: one set of (point, pupil) pairs, which the database works out
    once), with no join and band ids instead of band orders, so the plan stays a single scan of
    the school's assessments."""
    send = _on_record_at_points(school.pk, points)
    counts = {}
    for key, (has, meets) in {
        "a": (Bands.has_attainment, bands.at_or_above_are),
        "p": (Bands.has_progress, bands.expected_progress),
    }.items():
        counts[f"{key}_n"] = DbCount("pk", filter=has)
        counts[f"{key}_k"] = DbCount("pk", filter=meets)
    counts.update(bands.line_counts())
    rows = (
        assessments_at([p[0] for p in points])
        .filter(subject_id__in=[s[0] for s in subjects])
        .values("point_id", "subject_id", "framework_id", send=send)
        .annotate(**counts)
        .order_by()
    )
    # Each count of the query, and its column for each group: "a_n" -> "a_send_n", "a1" -> "a1_send".
    columns = {f"{key}_{c}": lambda group, key=key, c=c: f"{key}_{group}_{c}" for key in "ap" for c in "nk"}
    columns.update({line.key: lambda group, key=line.key: f"{key}_{group}" for line in bands.lines})
    cells = {}
    for row in rows:
        group = "send" if row["send"] else "others"
        cell = cells.setdefault(
            (row["point_id"], row["subject_id"]),
            {column(g): 0 for column in columns.values() for g in ("send", "others")},
        )
        for name, column in columns.items():
            cell[column(group)] += row[name]
        # The headline progress line by the framework each pupil was judged on (gaps.frameworks):
        # {group: {framework id: [judged, met]}}, None for the school's own scale.
        if row["p_n"]:
            fw.add(
                cell.setdefault("by_framework", {}).setdefault(group, {}),
                row["framework_id"],
                row["p_n"],
                row["p_k"],
            )
    return cells


def _on_record_at_points(school_id, points):
    """True for an assessment whose pupil was on the SEND record as at its point's as-at date
    (AssessmentPoint.as_at), for `points` as (pk, year, name, starts_on, next_starts_on): one
    subquery of (point, pupil) pairs (pupils.models.statuses_at_dates_sql, the rule of
    status_at_q for every point at once)."""
    dates = [(pk, point_as_at(year, starts, following)) for pk, year, _name, starts, following in points]
    pairs, params = statuses_at_dates_sql(dates, SEN_STATUSES_ON_RECORD, school_id)
    table = connection.ops.quote_name(Assessment._meta.db_table)
    sql = f"({table}.point_id, {table}.pupil_id) IN ({pairs})"
    return RawSQL(sql, params, output_field=BooleanField())  # noqa: S611 - every value a parameter


@dataclass
class _Grid:
    """The grouped counts of a school's core subjects at its points of three years, read as the
    measures of the section."""

    cells: dict
    points: list  # (pk, academic year, name), in order
    subjects: list  # (pk, name)
    academic_year: int
    suppress_below: int
    lines: dict  # measure key -> the lines of its scale (assessment.bands.Line), headline first

    def __post_init__(self):
        self.names = {pk: f"{name} {year_label(year)}" for pk, year, name in self.points}

    def _has(self, point, subject, key):
        row = self.cells.get((point, subject))
        return bool(row) and (row[f"{key}_send_n"] + row[f"{key}_others_n"]) > 0

    def trend_points(self, key):
        """The points of the trend: the last point with data of each earlier year, then every
        point of this year with data, as (pk, year)."""
        with_data = [
            (pk, year)
            for pk, year, _ in self.points
            if any(self._has(pk, subject, key) for subject, _ in self.subjects)
        ]
        earlier = sorted({year for _, year in with_data if year < self.academic_year})
        chosen = [[p for p in with_data if p[1] == year][-1] for year in earlier]
        return chosen + [p for p in with_data if p[1] == self.academic_year]

    def figure(self, point, year, subject, key):
        if not self._has(point, subject, key):
            return None
        row = self.cells[(point, subject)]
        table = Table(self.suppress_below)
        for side in ("send", "others"):
            k, n = row[f"{key}_{side}_k"], row[f"{key}_{side}_n"]
            # A share shows its count and its group; the pupils below the line are their
            # difference, so they are a cell of the table too, protected when small.
            table.add((side, "k"), k)
            table.add((side, "below"), n - k, shown=False)
            table.line(table.add((side, "n"), n), [(side, "k"), (side, "below")])
        send, others = (table.share((side, "k"), (side, "n")) for side in ("send", "others"))
        truth = gap_between(
            *(Share(row[f"{key}_{side}_k"], row[f"{key}_{side}_n"]) for side in ("send", "others"))
        )
        no_others = not row[f"{key}_others_n"]
        return _Figure(point, year, send, others, gap_between(send, others), truth, no_others)

    def measure(self, key, title):
        trend_points = self.trend_points(key)
        measure = Measure(key=key, title=title, trend_points=[self.names[pk] for pk, _ in trend_points])
        for subject, subject_name in self.subjects:
            series = [self.figure(pk, year, subject, key) for pk, year in trend_points]
            measure.trend.append(TrendLine(subject_name, [f.gap if f else None for f in series]))
            row = self.gap_row(subject_name, [f for f in series if f])
            if row:
                measure.rows.append(row)
                now = [f for f in series if f and f.year == self.academic_year][-1]
                measure.lines.append(self.line_row(now.point, subject, subject_name, key))
        return measure

    def line_row(self, point, subject, subject_name, key):
        """Every line of the measure's scale for one subject at one point, both groups."""
        row, lines = self.cells[(point, subject)], self.lines[key]
        shares = {
            group: line_shares(
                [row[f"{line.key}_{group}"] for line in lines], row[f"{key}_{group}_n"], self.suppress_below
            )
            for group in ("send", "others")
        }
        verb = VERBS[SCALES[key]]
        figures = [
            LineFigure(line.name, verb, send, others)
            for line, send, others in zip(lines, shares["send"], shares["others"], strict=True)
        ]
        return LineRow(subject_name, self.names[point], figures)

    def gap_row(self, subject_name, present):
        """The subject's latest figure of this year against the one before it and the last of the
        year before, or None when it has none this year."""
        this_year = [f for f in present if f.year == self.academic_year]
        if not this_year:
            return None
        now = this_year[-1]
        earlier = present[: present.index(now)]
        before = earlier[-1] if earlier else None
        last_year = [f for f in present if f.year == self.academic_year - 1]
        return GapRow(
            subject=subject_name,
            point=self.names[now.point],
            send=now.send,
            others=now.others,
            gap=now.gap,
            previous_point=self.names[before.point] if before else "",
            previous_gap=before.gap if before else None,
            last_year_point=self.names[last_year[-1].point] if last_year else "",
            last_year_gap=last_year[-1].gap if last_year else None,
            true_gap=now.true_gap,
            no_others=now.no_others,
        )


def _by_framework(school, grid, measures):
    """The headline progress line of each subject by the framework each pupil was judged on, for
    SEND pupils and for the others, where any pupil was judged on another framework. Each
    group's breakdown is its own table of disclosure control (gaps.frameworks): a part under the
    threshold is hidden with what would give it away; none is said where the line is not shown."""
    progress = next((m for m in measures if m.key == "p"), None)
    if progress is None or not progress.lines:
        return
    found = {}
    for (point, subject), cell in grid.cells.items():
        for group, counts in cell.get("by_framework", {}).items():
            if any(f is not fw.MAIN for f in counts):
                found[(grid.names[point], dict(grid.subjects)[subject], group)] = counts
    if not found:
        return
    names = fw.framework_names(school.pk)
    for row in progress.lines:
        head = row.figures[0] if row.figures else None
        for group in ("send", "others"):
            counts = found.get((row.point, row.subject, group))
            if head is None or counts is None or getattr(head, group) is None:
                continue
            if getattr(head, group).suppressed:
                continue
            said = fw.breakdown(counts, names, head.name, grid.suppress_below)
            setattr(head, f"{group}_by_framework", said.says())


def _widest_gap(measure):
    """The largest gap over the true figures, whoever reads it: a governor reads where it is, and
    that its figures are withheld when disclosure control hides them."""
    ranked = [row for row in measure.rows if row.true_gap is not None]
    if ranked:
        widest = max(ranked, key=lambda r: r.true_gap)
        if widest.withheld:
            return (
                f"{measure.title}: the largest gap is in {widest.subject} at {widest.point}; its "
                "figures are withheld, as they would identify a small group of pupils."
            )
        change = gap_direction("SEND pupils", widest.gap, widest.previous_gap)
        since = f"; since {widest.previous_point}, {change.since}" if change.since else ""
        if change.direction not in (None, "unchanged"):
            since += f" ({change.direction})"
        return (
            f"{measure.title}: the largest gap is in {widest.subject} at {widest.point}: "
            f"{change.now_words} (SEND {widest.send}, others {widest.others}){since}."
            + _judged_on(measure, widest)
        )
    if measure.rows and all(row.no_others for row in measure.rows):
        return _send_only(measure)
    if measure.rows:
        return f"{measure.title}: the groups are too small to compare."
    return ""


def _send_only(measure):
    """The finding of a school whose every pupil assessed is on the SEND record: no gap, the SEND
    pupils' figures as each reader may see them, and on which frameworks they were judged."""
    figures = "; ".join(f"{row.subject} {row.send} at {row.point}" for row in measure.rows)
    judged = "".join(
        f" {line.subject}: {line.figures[0].send_by_framework}."
        for line in measure.lines
        if line.figures and line.figures[0].send_by_framework
    )
    return (
        f"{measure.title}: every pupil assessed is on the SEND record, so there are no other pupils "
        f"in the school to compare with and no in-school gap. SEND pupils: {figures}.{judged}"
    )


def _judged_on(measure, row):
    """ " SEND pupils: 12 of 15 made expected progress or better: 6 of 8 on the school's scale,
    ..." after a progress finding whose SEND pupils were judged on several frameworks."""
    for line in measure.lines:
        if (line.subject, line.point) == (row.subject, row.point) and line.figures:
            head = line.figures[0]
            said = [
                f"{label}: {text}."
                for label, text in (
                    ("SEND pupils", head.send_by_framework),
                    ("Other pupils", head.others_by_framework),
                )
                if text
            ]
            return (" " + " ".join(said)) if said else ""
    return ""
