"""Identification of needs, from the dated history: how long it takes from the first concern
recorded about a pupil to SEN support, how many pupils on SEN support had their plan reviewed in
the last complete term, how many have no plan or a plan whose review date has passed unreviewed,
and movement on and off the SEN record (gaps.vulnerable_groups.sen_movement), each with its
trend over three years. Pupils who have left since are counted in the years they were here.

Terms are those of core.calendar.term_of: autumn September to December, spring January to March,
summer April to August. "The last term" is the last complete term before the day the figures are
produced; its trend is the same term one and two years before, so that the three are alike.
"""

import datetime
import statistics
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from core.calendar import Term, academic_year_label, academic_year_of, current_academic_year
from core.figures import Count as Figure
from core.figures import Share
from plans.models import EhcPlan, EhcpReview, SupportPlan
from pupils.models import (
    SEN_STATUSES_ON_RECORD,
    Concern,
    Pupil,
    SenStatus,
    SenStatusChange,
    status_at_sql,
)

YEARS = 3
# The counts of each term's reviews (review_each_term).
REVIEW_COUNTS = ("k", "reviewed", "no_plan", "overdue", "e", "e_reviewed")
# (first month, first day), (last month, last day) of each term, as core.calendar.term_of has them.
_TERM_BOUNDS = {
    Term.AUTUMN: ((9, 1), (12, 31)),
    Term.SPRING: ((1, 1), (3, 31)),
    Term.SUMMER: ((4, 1), (8, 31)),
}


@dataclass(frozen=True)
class TermSpan:
    academic_year: int
    term: int
    start: datetime.date
    end: datetime.date

    @property
    def label(self):
        return f"{Term(self.term).label} {academic_year_label(self.academic_year)}"


def term_span(academic_year, term):
    (m0, d0), (m1, d1) = _TERM_BOUNDS[Term(term)]
    year = academic_year if Term(term) == Term.AUTUMN else academic_year + 1
    return TermSpan(academic_year, int(term), datetime.date(year, m0, d0), datetime.date(year, m1, d1))


def last_complete_term(today):
    """The last term that ended before `today`."""
    year = academic_year_of(today)
    for term in (Term.SUMMER, Term.SPRING, Term.AUTUMN):
        span = term_span(year, term)
        if span.end < today:
            return span
    return term_span(year - 1, Term.SUMMER)


@dataclass
class ConcernYear:
    """Pupils first placed on the SEN record in an academic year: how many had a concern recorded
    before, and the median number of days from their first concern to the placement."""

    academic_year: int
    label: str
    placed: Figure
    with_concern: Share  # of the pupils placed, those with a concern recorded on or before it
    median_days: int | None  # None when there is none, or the group is too small to show
    median_shown: bool = True


@dataclass
class ReviewTerm:
    """Pupils on SEN support at the end of a term: plans reviewed in it, no plan, review overdue;
    EHC plans with an annual review in the twelve months to the end of the term."""

    label: str
    end: datetime.date
    sen_support: Figure
    reviewed: Share
    no_plan: Share
    overdue: Share
    ehcp: Figure
    ehcp_reviewed: Share


@dataclass
class Identification:
    today: datetime.date
    concerns: list = field(default_factory=list)  # ConcernYear, oldest first
    reviews: list = field(default_factory=list)  # ReviewTerm, oldest first; the last is the headline

    @property
    def latest_concern(self):
        return self.concerns[-1] if self.concerns else None

    @property
    def latest_review(self):
        return self.reviews[-1] if self.reviews else None


def identification(school_id, *, today, suppress_below=0, years=YEARS):
    """The identification figures of a school as at `today`: one query for the concerns and one
    for the reviews of every term (two queries in all)."""
    return Identification(
        today=today,
        concerns=concern_to_support(school_id, today=today, suppress_below=suppress_below, years=years),
        reviews=review_each_term(school_id, review_terms(today, years=years), suppress_below=suppress_below),
    )


def review_terms(today, *, years=YEARS):
    last = last_complete_term(today)
    return [term_span(last.academic_year - back, last.term) for back in range(years - 1, -1, -1)]


def concern_to_support(school_id, *, today, suppress_below=0, years=YEARS):
    """By academic year of each pupil's first placement on the SEN record (K or E), over the last
    `years` years: the pupils placed, those with a concern recorded on or before that day, and the
    median days from the earliest such concern to the placement. One query."""
    this_year = current_academic_year(today)
    first_year = this_year - years + 1
    earliest_concern = (
        Concern.objects.filter(pupil=OuterRef("pk"), raised_on__lte=OuterRef("first_on"))
        .order_by("raised_on")
        .values("raised_on")[:1]
    )
    first_on = (
        SenStatusChange.objects.filter(pupil=OuterRef("pk"), status__in=SEN_STATUSES_ON_RECORD)
        .order_by("effective_date")
        .values("effective_date")[:1]
    )
    rows = (
        Pupil.objects.filter(school_id=school_id)
        .annotate(first_on=Subquery(first_on))
        .filter(first_on__gte=datetime.date(first_year, 9, 1), first_on__lte=today)
        .annotate(first_concern=Subquery(earliest_concern))
        .values_list("first_on", "first_concern")
    )
    by_year = {year: [] for year in range(first_year, this_year + 1)}
    placed = dict.fromkeys(by_year, 0)
    for first_on, first_concern in rows:
        year = academic_year_of(first_on)
        placed[year] += 1
        if first_concern is not None:
            by_year[year].append((first_on - first_concern).days)
    result = []
    for year, days in by_year.items():
        with_concern = Share.of(len(days), placed[year], suppress_below=suppress_below)
        # The median is a figure over the pupils with a concern: hidden whenever their count is.
        hidden = with_concern.suppressed or (bool(suppress_below) and len(days) < suppress_below)
        median = None if hidden or not days else _median_days(days)
        result.append(
            ConcernYear(
                academic_year=year,
                label=academic_year_label(year),
                placed=Figure.of(placed[year], suppress_below=suppress_below),
                with_concern=with_concern,
                median_days=median,
                median_shown=not hidden,
            )
        )
    return result


def _median_days(days):
    """The median of whole days; the mean of the two middle values rounded half up when even."""
    middle = statistics.median(sorted(days))
    return int(middle + 0.5) if middle >= 0 else -int(-middle + 0.5)


def review_term(school_id, span, *, suppress_below=0):
    """Pupils on SEN support (K) at the end of the term: with a plan reviewed within the term, with
    no plan started by its end, and with a plan whose review date passed before the end of the
    term without a review by then. Pupils with an EHC plan (E) then: with an annual review meeting
    in the twelve months to the end of the term. One query."""
    return review_each_term(school_id, [span], suppress_below=suppress_below)[0]


def review_each_term(school_id, spans, *, suppress_below=0):
    """`review_term` for each of `spans`, in one query: each term's counts are conditional counts
    over the pupils on roll at its end, side by side in one pass over the school's pupils."""
    sql, params = _review_sql(school_id, spans)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        counts = cursor.fetchone()
    width = len(REVIEW_COUNTS)
    terms = [
        dict(zip(REVIEW_COUNTS, counts[i * width : (i + 1) * width], strict=True)) for i in range(len(spans))
    ]
    return [_review_figures(span, term, suppress_below) for span, term in zip(spans, terms, strict=True)]


# Written as SQL rather than built with the ORM: the SEF summary and the inclusion page read it
# on every request, and Django took longer to compile the ORM version (a dozen EXISTS
# annotations and eighteen conditional counts, each repeating its SEN-history subquery) than the
# database took to plan and run it. Here each term's SEN-support and EHC-plan pupils are worked
# out once, as a column of the inner query (the subquery of pupils.models.status_at_q, the one
# definition of a status at a date), and a plan's EXISTS is tested only for the pupils it
# counts. Table and column names come from the models' metadata; every value is a parameter;
# the SQL is plain enough for PostgreSQL and SQLite alike.
_REVIEW_FLAGS = """(p.archived_at IS NULL OR p.archived_at >= %s) AND p.id IN ({support}) AS k_{i},
(p.archived_at IS NULL OR p.archived_at >= %s) AND p.id IN ({ehcp}) AS e_{i}"""
_REVIEW_COUNTS = """COUNT(*) FILTER (WHERE t.k_{i}),
COUNT(*) FILTER (WHERE t.k_{i} AND EXISTS ({plan} AND s.reviewed_on >= %s AND s.reviewed_on <= %s)),
COUNT(*) FILTER (WHERE t.k_{i} AND NOT EXISTS ({plan})),
COUNT(*) FILTER (WHERE t.k_{i} AND EXISTS ({plan} AND s.review_date < %s
    AND (s.reviewed_on IS NULL OR s.reviewed_on > %s))),
COUNT(*) FILTER (WHERE t.e_{i}),
COUNT(*) FILTER (WHERE t.e_{i} AND EXISTS (SELECT 1 FROM {reviews} r JOIN {ehcps} h ON h.id = r.plan_id
    WHERE h.pupil_id = t.id AND r.meeting_date > %s AND r.meeting_date <= %s))"""
# A support plan of the pupil started by the end of the term.
_REVIEW_PLAN = "SELECT 1 FROM {plans} s WHERE s.pupil_id = t.id AND s.starts_on <= %s"
# GROUP BY p.id (one row a pupil, as without it) keeps PostgreSQL from merging the inner query
# into the outer one, which would copy each term's SEN-history subquery into every count reading
# its column: 30 subplans to plan instead of 18, and the query three times as slow.
_REVIEW_SQL = """SELECT {counts} FROM (SELECT p.id, {flags} FROM {pupils} p
WHERE p.school_id = %s AND (p.archived_at IS NULL OR p.archived_at >= %s) GROUP BY p.id) t"""


def _review_sql(school_id, spans):
    """The statement of `review_each_term` and its parameters, in REVIEW_COUNTS' order for each
    span. "On roll at the end of a term" is not archived by then: archived after the last moment
    of its last day, in the current time zone (as `archived_at__date__gt=end` reads it)."""
    tables = {
        "pupils": Pupil._meta.db_table,
        "plans": SupportPlan._meta.db_table,
        "reviews": EhcpReview._meta.db_table,
        "ehcps": EhcPlan._meta.db_table,
    }
    flags, counts, flag_params, count_params = [], [], [], []
    for i, span in enumerate(spans):
        end, left = span.end, _after(span.end)
        support, ehcp = (
            status_at_sql(end, {s.value}, school_id) for s in (SenStatus.SEN_SUPPORT, SenStatus.EHCP)
        )
        flags.append(_REVIEW_FLAGS.format(i=i, support=support.sql, ehcp=ehcp.sql))
        flag_params += [left, *support.params, left, *ehcp.params]
        counts.append(_REVIEW_COUNTS.format(i=i, plan=_REVIEW_PLAN.format(**tables), **tables))
        day = connection.ops.adapt_datefield_value
        end_p, start_p, year_before = day(end), day(span.start), day(end.replace(year=end.year - 1))
        count_params += [end_p, start_p, end_p, end_p, end_p, end_p, end_p, year_before, end_p]
    sql = _REVIEW_SQL.format(counts=",\n".join(counts), flags=",\n".join(flags), **tables)
    return sql, [*count_params, *flag_params, school_id, _after(min(span.end for span in spans))]


def _after(day):
    """The first moment after `day` in the current time zone, as a parameter for archived_at."""
    moment = timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )
    return connection.ops.adapt_datetimefield_value(moment)


def _review_figures(span, counts, suppress_below):
    k, e = counts["k"], counts["e"]
    return ReviewTerm(
        label=span.label,
        end=span.end,
        sen_support=Figure.of(k, suppress_below=suppress_below),
        reviewed=Share.of(counts["reviewed"], k, suppress_below=suppress_below),
        no_plan=Share.of(counts["no_plan"], k, suppress_below=suppress_below),
        overdue=Share.of(counts["overdue"], k, suppress_below=suppress_below),
        ehcp=Figure.of(e, suppress_below=suppress_below),
        ehcp_reviewed=Share.of(counts["e_reviewed"], e, suppress_below=suppress_below),
    )
