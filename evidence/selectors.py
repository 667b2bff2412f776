"""Reads of the evidence app. Figures are computed by the database (conditional counts, GROUP BY,
subquery counts) and returned as plain rows with `reports.figures` values."""

from dataclasses import dataclass, field

from django.db.models import Count as DbCount
from django.db.models import IntegerField, Max, Min, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from attendance.selectors import academic_year_choices, current_academic_year  # noqa: F401
from core.calendar import academic_year_label
from core.charts import stacked_bars
from core.disclosure import Table
from core.figures import Count, Share
from pupils.models import Pupil

from .models import (
    Conversation,
    EvidenceItem,
    Judgement,
    Lead,
    OfstedPrompt,
    PartTwoConclusion,
    PartTwoQuestion,
    Scale,
    Survey,
    SurveyAnswerCount,
)
from .reference import PART_TWO_KEY_QUESTION  # noqa: F401  (for the Part Two page)
from .services import term_of

# A family has "all three" conversations of the year at this many (seeds/003).
FULL_CONVERSATIONS = 3


def visible_pupils_prefetch(membership):
    """The pupils of each item that this membership may see: an item about two pupils shows a
    teacher only the one in their class."""
    return Prefetch(
        "pupils",
        queryset=Pupil.objects.for_membership(membership, include_archived=True).order_by(
            "legal_surname", "legal_forename"
        ),
        to_attr="visible_pupils",
    )


def evidence_log(membership, *, source="", judgement="", question=None, prompt=None, pupil=None, year=None):
    """The items a membership may read, newest first, filtered; three queries per page."""
    items = EvidenceItem.objects.for_membership(membership)
    if source:
        items = items.filter(source=source)
    if judgement:
        items = items.filter(judgement=judgement)
    if question:
        items = items.filter(questions=question)
    if prompt:
        items = items.filter(prompts=prompt)
    if pupil:
        items = items.filter(pupils=pupil)
    if year:
        items = items.in_academic_year(year)
    return items.select_related("author").prefetch_related(
        visible_pupils_prefetch(membership), "questions", "prompts"
    )


def evidence_item(membership, pk):
    qs = EvidenceItem.objects.for_membership(membership).select_related("author", "school")
    return get_object_or_404(
        qs.prefetch_related(visible_pupils_prefetch(membership), "questions", "prompts"), pk=pk
    )


@dataclass
class JudgementCounts:
    strengths: Count
    developments: Count
    neutral: Count
    total: Count


def _judgement_counts(row):
    return JudgementCounts(
        strengths=Count.of(row.get("strengths") or 0),
        developments=Count.of(row.get("developments") or 0),
        neutral=Count.of(row.get("neutral") or 0),
        total=Count.of(row.get("total") or 0),
    )


JUDGEMENT_AGGREGATES = {
    "total": DbCount("pk", distinct=True),
    "strengths": DbCount("pk", filter=Q(judgement=Judgement.STRENGTH), distinct=True),
    "developments": DbCount("pk", filter=Q(judgement=Judgement.DEVELOPMENT), distinct=True),
    "neutral": DbCount("pk", filter=Q(judgement=Judgement.NEUTRAL), distinct=True),
}


@dataclass
class TaggedRow:
    tag: object
    counts: JudgementCounts
    conclusion: str = ""


def part_two_overview(school, year):
    """Each Part Two question with the school's counts of strengths and areas for development
    this academic year (counts of evidence items, which name no pupil), and its conclusion."""
    by_question = {
        row["questions"]: row
        for row in EvidenceItem.objects.for_school(school)
        .in_academic_year(year)
        .filter(questions__isnull=False)
        .values("questions")
        .annotate(**JUDGEMENT_AGGREGATES)
        .order_by()
    }
    conclusions = dict(
        PartTwoConclusion.objects.filter(school=school, academic_year=year).values_list("question_id", "text")
    )
    return [
        TaggedRow(q, _judgement_counts(by_question.get(q.pk, {})), conclusions.get(q.pk, ""))
        for q in PartTwoQuestion.objects.all()
    ]


def prompt_overview(school, year):
    """The thirteen Appendix A prompts with the school's evidence counts for the year: the rows the
    SEF report builds on (evidence items per prompt: `evidence_log(membership, prompt=...)`)."""
    by_prompt = {
        row["prompts"]: row
        for row in EvidenceItem.objects.for_school(school)
        .in_academic_year(year)
        .filter(prompts__isnull=False)
        .values("prompts")
        .annotate(**JUDGEMENT_AGGREGATES)
        .order_by()
    }
    return [TaggedRow(p, _judgement_counts(by_prompt.get(p.pk, {}))) for p in OfstedPrompt.objects.all()]


@dataclass
class QuestionPage:
    question: PartTwoQuestion
    year: int
    counts: JudgementCounts
    strengths: list
    developments: list
    neutral: list
    conclusion: object


def part_two_question(membership, question, year):
    """One Part Two question: the school's counts, the items this membership may read grouped by
    judgement (none for governors), and the SENCO's conclusion. Five queries."""
    counts = _judgement_counts(
        EvidenceItem.objects.for_school(membership.school)
        .in_academic_year(year)
        .filter(questions=question)
        .aggregate(**JUDGEMENT_AGGREGATES)
    )
    items = list(evidence_log(membership, question=question, year=year))
    conclusion = PartTwoConclusion.objects.filter(
        school=membership.school, academic_year=year, question=question
    ).first()
    return QuestionPage(
        question=question,
        year=year,
        counts=counts,
        strengths=[i for i in items if i.judgement == Judgement.STRENGTH],
        developments=[i for i in items if i.judgement == Judgement.DEVELOPMENT],
        neutral=[i for i in items if i.judgement == Judgement.NEUTRAL],
        conclusion=conclusion,
    )


# -- structured conversations -----------------------------------------------------------------


@dataclass
class LeadRow:
    lead: str
    label: str
    conversations: Count
    families: Count
    full: Share


@dataclass
class Participation:
    year: int
    send_pupils: int
    none: Share
    one: Share
    two: Share
    three: Share
    leads: list = field(default_factory=list)
    shown_pupils: object = None  # a Count: `send_pupils` as this reader may read it

    @property
    def year_label(self):
        return academic_year_label(self.year)


def conversation_participation(school, year, *, suppress_below=0):
    """How many conversations the families of the school's SEND pupils (on the record now, on
    roll) had this academic year, and by who led them. One query, grouped by who led the first
    conversation and how many there were (a dozen rows at most), added up into both tables.

    Each family is counted under whoever led its first conversation of the year, and the share
    is of those families that went on to have all three (seeds/003: 55% where the head led,
    32% where the SENCO led, 30% where a class teacher led)."""
    of_year = Conversation.objects.filter(pupil=OuterRef("pk"), academic_year=year)
    rows = list(
        Pupil.objects.filter(school=school)
        .active()
        .on_sen_record()
        .annotate(
            had=Coalesce(
                Subquery(of_year.values("pupil").annotate(n=DbCount("pk")).values("n")[:1]),
                Value(0),
                output_field=IntegerField(),
            ),
            first_lead=Subquery(of_year.order_by("date", "pk").values("led_by")[:1]),
        )
        .values("first_lead", "had")
        .annotate(n=DbCount("pk"))
        .order_by()
    )
    totals = {
        "pupils": sum(row["n"] for row in rows),
        "none": sum(row["n"] for row in rows if row["had"] == 0),
        "one": sum(row["n"] for row in rows if row["had"] == 1),
        "two": sum(row["n"] for row in rows if row["had"] == 2),
        "three": sum(row["n"] for row in rows if row["had"] >= FULL_CONVERSATIONS),
    }
    by_lead = {}
    for row in rows:
        if row["had"] > 0:
            lead = by_lead.setdefault(row["first_lead"], {"families": 0, "full": 0, "conversations": 0})
            lead["families"] += row["n"]
            lead["full"] += row["n"] if row["had"] >= FULL_CONVERSATIONS else 0
            lead["conversations"] += row["n"] * row["had"]
    return participation_figures(year, totals, by_lead, suppress_below)


LEADS = (Lead.HEAD, Lead.SENCO, Lead.TEACHER)


def participation_figures(year, totals, by_lead, threshold):
    """The participation tables from the counts, under disclosure control as one table: the
    families by number of conversations add up to the SEND pupils; the families with any
    conversation (one, two or three) to the families of each lead; those with all three to each
    lead's; each lead's families to those with all three and the rest (never shown)."""
    table = _participation_table(totals, by_lead, threshold)
    leads = [
        LeadRow(
            lead=lead.value,
            label=lead.label,
            conversations=table.count((lead.value, "conversations")),
            families=table.count((lead.value, "families")),
            full=table.share((lead.value, "full"), (lead.value, "families")),
        )
        for lead in LEADS
    ]
    shares = {k: table.share(("had", k), "pupils") for k in ("none", "one", "two", "three")}
    return Participation(
        year=year, send_pupils=totals["pupils"], shown_pupils=table.count("pupils"), leads=leads, **shares
    )


def _participation_table(totals, by_lead, threshold):
    table = Table(threshold)
    table.add("pupils", totals["pupils"])
    had = [table.add(("had", k), totals[k]) for k in ("none", "one", "two", "three")]
    table.line("pupils", had)
    any_conversation = totals["pupils"] - totals["none"]
    table.add("families", any_conversation, shown=False)
    table.line("families", had[1:])
    families, full = [], []
    for lead in LEADS:
        row = by_lead.get(lead.value, {})
        n, k = row.get("families", 0), row.get("full", 0)
        families.append(table.add((lead.value, "families"), n))
        full.append(table.add((lead.value, "full"), k))
        table.add((lead.value, "not full"), n - k, shown=False)
        table.line((lead.value, "families"), [(lead.value, "full"), (lead.value, "not full")])
        table.add((lead.value, "conversations"), row.get("conversations") or 0)
    # Every first conversation is led by one of the three (Lead has no other choice).
    table.line("families", families)
    table.line(("had", "three"), full)
    return table


def pupils_without_conversation(membership, *, year, term):
    """SEND pupils this membership may see whose families have had no conversation this term."""
    held = Conversation.objects.filter(academic_year=year, term=term).values("pupil_id")
    return (
        Pupil.objects.for_membership(membership)
        .on_sen_record()
        .exclude(pk__in=held)
        .select_related("school_class")
        .order_by("year_group", "legal_surname", "legal_forename")
    )


def recent_conversations(membership, *, year):
    return (
        Conversation.objects.for_membership(membership)
        .filter(academic_year=year)
        .select_related("pupil", "recorded_by")
        .order_by("-date", "-pk")
    )


def conversation_detail(membership, pk):
    return get_object_or_404(
        Conversation.objects.for_membership(membership)
        .select_related("pupil", "recorded_by")
        .prefetch_related("targets"),
        pk=pk,
    )


def current_term_of(today=None):
    return term_of(today or timezone.localdate())


# -- surveys -----------------------------------------------------------------------------------


@dataclass
class AnswerCell:
    answer: int
    label: str
    count: int
    share: Share


@dataclass
class RoundResult:
    round: object
    respondents: int
    cells: list
    positive: Share  # Fairly or Very


@dataclass
class QuestionResult:
    question: object
    rounds: list
    change_points: int | None  # percentage points of Fairly or Very, first round to last


@dataclass
class SurveyResults:
    survey: object
    rounds: list
    questions: list


POSITIVE = (Scale.FAIRLY, Scale.VERY)


def survey_results(survey, *, suppress_below=0):
    """Each question's answers per round as counts and shares, and the change in the share
    answering Fairly or Very from the first round to the last. Three queries."""
    rounds = list(survey.rounds.all())
    questions = list(survey.questions.all())
    counts = {
        (row["round_id"], row["question_id"], row["answer"]): row["count"]
        for row in SurveyAnswerCount.objects.filter(round__survey=survey).values(
            "round_id", "question_id", "answer", "count"
        )
    }
    results = []
    for question in questions:
        per_round = [
            _round_result(
                survey_round,
                [counts.get((survey_round.pk, question.pk, a), 0) for a in Scale.values],
                suppress_below,
            )
            for survey_round in rounds
        ]
        change = None
        if len(per_round) >= 2:
            first, last = per_round[0].positive, per_round[-1].positive
            if first.percent is not None and last.percent is not None:
                change = last.percent - first.percent
        results.append(QuestionResult(question, per_round, change))
    return SurveyResults(survey, rounds, results)


def _round_result(survey_round, answered, threshold):
    """One question's answers in one round under disclosure control as one table: the answers
    add up to those who answered, Fairly and Very to the positive answers, and the positive and
    the other answers to those who answered again."""
    table = Table(threshold)
    answers = [table.add(a, c) for a, c in zip(Scale.values, answered, strict=True)]
    table.add("total", sum(answered))
    table.line("total", answers)
    table.add("positive", sum(table.value(a) for a in POSITIVE))
    table.add("negative", table.value("total") - table.value("positive"), shown=False)
    table.line("positive", list(POSITIVE))
    table.line("negative", [a for a in Scale.values if a not in POSITIVE])
    table.line("total", ["positive", "negative"])
    cells = [
        AnswerCell(a, label, c, table.share(a, "total"))
        for (a, label), c in zip(Scale.choices, answered, strict=True)
    ]
    return RoundResult(survey_round, sum(answered), cells, table.share("positive", "total"))


def survey_chart(results):
    """The answers as stacked bars (core.charts), one per question per round, in the order of the
    four-point scale; its figures are in the tables beside it."""
    groups = [
        [
            (
                f"Q{q.question.order} {r.round.label}",
                [(cell.share.percent, str(cell.share)) for cell in r.cells],
                r.positive.suppressed,
            )
            for r in q.rounds
        ]
        for q in results.questions
    ]
    return stacked_bars(
        "Answers to each question in each round, as shares of those who answered",
        groups,
        [label for _value, label in Scale.choices],
    )


def part_two_question_by_number(number):
    return get_object_or_404(PartTwoQuestion, number=number)


def survey_for(membership, pk):
    """A survey of the membership's school; any other id is the same 404."""
    return get_object_or_404(Survey.objects.for_membership(membership), pk=pk)


def surveys_for(membership):
    return (
        Survey.objects.for_membership(membership)
        .annotate(
            rounds_count=DbCount("rounds"), first_date=Min("rounds__date"), last_date=Max("rounds__date")
        )
        .order_by("-created_at")
    )


def today():
    return timezone.localdate()
