"""The pupil's journey: one pupil's record in date order, for the pupils an inspector samples.

From the first concern to today: the concern raised, the need identified and how long that
took, each assess-plan-do-review cycle (the plans with their scored reviews), interventions with
their hours and impact, the Pupil Support Scale, attainment and progress against the pupil's
targets, attendance and suspensions, the family's and the pupil's voice, and the agencies
involved. One template renders it as a page and as an A4 PDF (reports/journey.html).

Everything is read through the selectors that already serve the pupil page, the request pack
(graduated.pack) and the case study (reports.selectors), one query per source, so the number of
queries does not grow with the length of the pupil's history. The caller has reached the pupil
through `pupils.access.access_pupil`.

Each kind of event comes from one small function of the loaded records (`_sen_events`,
`_plan_events`, ...). The concern raised comes from `concerns_of`: the one place that reads
"concern"-like records, so a dated concern record joins the journey by changing that function
alone.

**The anonymised journey** ("Pupil A") prints no name, initials, UPN, date of birth or class.
Every free-text field (notes, plans, reviews, conversations, evidence summaries, the
intervention's progress details) passes through a `Redactor` before it reaches the template:
every word that is the forename, preferred name or surname of any pupil of the school (pupils
who have left included), the pupil's initials, anything shaped like a UPN and the pupil's date
of birth in the usual spellings are replaced. A pupil whose name is also an ordinary word
("Will", "Summer") has that word removed wherever it stands: the safe side.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from assessment.models import SupportLevel
from assessment.selectors import pupil_targets, support_observations
from assessment.support import support_change
from attendance.models import Exclusion
from attendance.selectors import pupil_attendance_summary
from core.calendar import academic_year_label, academic_year_of
from core.charts import level_line
from core.figures import one_decimal
from core.words import letters
from evidence.models import EvidenceItem, Source
from evidence.timeline import TERM_END
from graduated.pack import attendance_against_school, cycles_of, interventions_of, views_of
from interventions.selectors import hours
from plans.models import TargetScore
from pupils.models import SEN_STATUSES_ON_RECORD, AreaOfNeed, Pupil, SenStatus, SenStatusChange

from .selectors import _year_end_assessments, framework_sentences, progress_sentences

REDACTED = "[name removed]"
# Evidence that records a worry about a pupil before any need is named.
CONCERN_SOURCES = (
    Source.OBSERVATION_NOTES,
    Source.LESSON_OBSERVATION,
    Source.SUPPORT_STAFF,
    Source.PARENT_VOICE,
    Source.PARENT_CORRESPONDENCE,
)


# -- redaction -----------------------------------------------------------------------------------


class Redactor:
    """Removes names of the school's pupils, the pupil's initials, UPNs and the pupil's date of
    birth from free text (one query for the names)."""

    UPN = re.compile(r"\b[A-Za-z]\d{11}[0-9A-Za-z]\b")

    def __init__(self, pupil=None, *, school_id=None):
        """For one pupil's document; or, with `school_id` alone, the names of the school's
        pupils only (for what the school publishes)."""
        words = set()
        rows = Pupil.objects.filter(school_id=school_id or pupil.school_id).values_list(
            "legal_forename", "preferred_forename", "legal_surname"
        )
        for row in rows:
            for name in row:
                name = (name or "").strip()
                if len(name) < 2:
                    continue
                words.add(name)
                words.update(part for part in re.split(r"[\s\-']+", name) if len(part) >= 2)
        names = sorted(words, key=len, reverse=True)
        self._names = (
            re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in names) + r")(?!\w)", re.IGNORECASE)
            if names
            else None
        )
        self._initials = self._dob = None
        if pupil is None:
            return
        first, last = pupil.forename[:1].upper(), pupil.legal_surname[:1].upper()
        # "JS", "J.S.", "J. S." as a word of its own (upper case: "js" is no one's initials).
        self._initials = re.compile(rf"(?<!\w){first}\.?\s?{last}\.?(?!\w)") if first and last else None
        dob = pupil.date_of_birth
        spellings = {
            f"{dob:%d/%m/%Y}",
            f"{dob.day}/{dob.month}/{dob.year}",
            f"{dob:%d/%m/%y}",
            f"{dob:%Y-%m-%d}",
            f"{dob:%d.%m.%Y}",
            f"{dob.day} {dob:%B %Y}",
            f"{dob.day} {dob:%b %Y}",
        }
        self._dob = re.compile("|".join(re.escape(s) for s in sorted(spellings, key=len, reverse=True)), re.I)

    def __call__(self, text):
        if not text:
            return text or ""
        text = str(text)
        if self._dob:
            text = self._dob.sub("[date removed]", text)
        text = self.UPN.sub("[UPN removed]", text)
        if self._names:
            text = self._names.sub(REDACTED, text)
        if self._initials:
            text = self._initials.sub(REDACTED, text)
        return text


def _as_is(text):
    return text or ""


# -- the journey ----------------------------------------------------------------------------------


@dataclass
class Event:
    date: datetime.date
    kind: str  # concern, sen, plan, review, intervention, support, attendance, exclusion, voice, agency
    label: str  # the kind in words, shown as a badge
    title: str
    detail: str = ""
    lines: list = field(default_factory=list)
    approximate: bool = False


@dataclass
class Identification:
    concern_on: datetime.date | None
    concern_from: str  # what recorded the first concern
    concern_detail: str
    identified_on: datetime.date | None
    identified_as: str

    @property
    def days(self):
        if not (self.concern_on and self.identified_on):
            return None
        return (self.identified_on - self.concern_on).days

    @property
    def took(self):
        """ "9 weeks (63 days)", or why it cannot be said."""
        if self.identified_on is None:
            return "No need has been identified: the pupil has not been on the SEND record."
        days = self.days
        if days is None or self.concern_from == "":
            return "No concern was recorded before the need was identified."
        if days <= 0:
            return "The need was identified on the day the concern was recorded."
        weeks = days // 7
        return f"{weeks} week{'s' if weeks != 1 else ''} ({days} day{'s' if days != 1 else ''})"


@dataclass
class CycleLine:
    number: int
    started: datetime.date
    reviewed: datetime.date | None
    weeks: int | None
    targets: int
    scored: int
    met: int
    mean: Decimal | None
    summary: str


@dataclass
class InterventionLine:
    name: str
    wave: str
    start: datetime.date
    end: datetime.date | None
    sessions: str
    hours: Decimal
    baseline: object
    exit_score: object
    gain: object
    exit_met: bool | None
    details: str


@dataclass
class TargetLine:
    subject: str
    latest: str
    year: str
    key_stage: str


@dataclass
class Journey:
    label: str
    anonymised: bool
    pupil: object  # for the named version's header only; the template prints nothing from it
    year_group: str
    status: str
    needs: list
    agencies: list
    identification: Identification
    events: list
    cycles: list
    open_plan: object
    interventions: list
    support_words: str
    support_chart: str
    targets: list
    target_year: str
    progress: list
    attendance_years: list
    suspensions: int
    suspension_days: str
    permanent: bool
    conversations: int

    @property
    def kinds(self):
        return sorted({e.label for e in self.events})


def _first_on_record(sen_history):
    return next((c for c in sen_history if c.status in SEN_STATUSES_ON_RECORD), None)


def concerns_of(pupil, *, concern_evidence, conversations):
    """(date, what recorded it, what it says) of each record that shows a concern about the
    pupil, from what the record holds today: observation and parent evidence about the pupil, and
    structured conversations with the family, and the dated "concern raised" records (one query)."""
    found = [(c.raised_on, c.get_raised_by_display().lower(), c.summary) for c in pupil.concerns.all()]
    found += [(e.date, e.get_source_display().lower(), e.summary) for e in concern_evidence]
    found += [(c.date, "a conversation with the family", c.barriers) for c in conversations]
    return sorted(found, key=lambda item: item[0])


def identification_of(pupil, sen_history, concerns):
    """The first concern recorded before the need was identified (the first move onto the SEND
    record), and that move. With no earlier concern the journey starts at the identification."""
    first = _first_on_record(sen_history)
    identified_on = first.effective_date if first else None
    earlier = [c for c in concerns if identified_on is None or c[0] <= identified_on]
    concern_on, concern_from, detail = earlier[0] if earlier else (identified_on, "", "")
    return Identification(
        concern_on=concern_on,
        concern_from=concern_from,
        concern_detail=detail,
        identified_on=identified_on,
        identified_as=SenStatus(first.status).label.split(" — ", 1)[1] if first else "",
    )


def _identification_events(ident, clean):
    if not ident.concern_from:
        return []
    title = f"Concern first recorded ({ident.concern_from})"
    return [Event(ident.concern_on, "concern", "Concern", title, clean(ident.concern_detail))]


def _sen_events(sen_history, ident, clean):
    events, on_record = [], False
    for change in sen_history:
        status = SenStatus(change.status)
        words = status.label.split(" — ", 1)[1]
        if (
            status in SEN_STATUSES_ON_RECORD
            and not on_record
            and ident.identified_on == change.effective_date
        ):
            title = f"Need identified: placed on {words}"
            detail = f"Time from the first concern: {ident.took}" if ident.concern_from else ""
        elif status == SenStatus.NONE:
            title = "Taken off the SEND record" if on_record else "Recorded with no special educational need"
            detail = ""
        else:
            title, detail = f"SEN status changed to {words}", ""
        on_record = status in SEN_STATUSES_ON_RECORD
        events.append(
            Event(
                change.effective_date,
                "sen",
                "SEN status",
                title,
                detail,
                [clean(change.note)] if change.note else [],
            )
        )
    return events


def _score(value):
    return TargetScore(value).label if value is not None else "not scored"


def _plan_events(done, current, clean):
    events = []
    plans = [c.plan for c in done] + ([current] if current else [])
    for plan in plans:
        lines = [f"Needs: {clean(plan.needs)}"] if plan.needs else []
        if plan.pupil_voice:
            lines.append(f"The pupil's view: {clean(plan.pupil_voice)}")
        if plan.parent_voice:
            lines.append(f"The family's view: {clean(plan.parent_voice)}")
        events.append(
            Event(plan.starts_on, "plan", "Plan", f"SEN support plan {plan.number} started", lines=lines)
        )
        if plan.is_reviewed:
            met = f"{plan.met_count} of {plan.target_count} targets met (scored as expected or better)"
            lines = [
                f"{clean(t.target)}: {_score(t.score)}"
                + (f". {clean(t.score_comment)}" if t.score_comment else "")
                for t in plan.targets.all()
            ]
            if plan.review_summary:
                lines.append(f"Next steps: {clean(plan.review_summary)}")
            events.append(
                Event(
                    plan.reviewed_on,
                    "review",
                    "Review",
                    f"SEN support plan {plan.number} reviewed: {met}",
                    lines=lines,
                )
            )
    return events


def _intervention_lines(rows, clean):
    out = []
    for row in rows:
        place = row["place"]
        run = place.run
        out.append(
            InterventionLine(
                name=run.intervention.name,
                wave=run.intervention.get_wave_display().split(" — ")[0],
                start=run.start_date,
                end=run.end_date,
                sessions=str(row["attendance"]) if place.sessions_held else "no sessions recorded",
                hours=one_decimal(hours(place.minutes_attended)),
                baseline=place.baseline,
                exit_score=place.exit_score,
                gain=place.gain,
                exit_met=place.exit_criteria_met,
                details=clean(place.progress_details),
            )
        )
    return out


def _impact_words(line):
    words = f"{_plain(line.hours)} hours attended, sessions {line.sessions}"
    if line.gain is not None:
        sign = "+" if line.gain >= 0 else ""
        words += f"; {_plain(line.baseline)} to {_plain(line.exit_score)} ({sign}{_plain(line.gain)})"
    if line.exit_met is True:
        words += "; exit criteria met"
    elif line.exit_met is False:
        words += "; exit criteria not met"
    return words


def _intervention_events(lines):
    events = []
    for line in lines:
        title = f"Started {line.name} ({line.wave.lower()})"
        if line.end:
            events.append(Event(line.start, "intervention", "Intervention", title))
            events.append(
                Event(
                    line.end,
                    "intervention",
                    "Intervention",
                    f"Finished {line.name}",
                    _impact_words(line),
                    [line.details] if line.details else [],
                )
            )
        else:
            events.append(
                Event(
                    line.start,
                    "intervention",
                    "Intervention",
                    title,
                    f"Running: {_impact_words(line)}",
                    [line.details] if line.details else [],
                )
            )
    return events


def _support_events(observations, clean):
    return [
        Event(
            o.observed_on,
            "support",
            "Support scale",
            f"Support scale: {o.get_level_display()}" + (f" in {o.subject.name}" if o.subject_id else ""),
            clean(o.note),
        )
        for o in observations
    ]


def _attendance_events(terms):
    events = []
    for row in terms:
        month, day = TERM_END[row.term]
        year = row.academic_year if month >= 9 else row.academic_year + 1
        flag = " (persistent absence)" if row.persistently_absent else ""
        events.append(
            Event(
                datetime.date(year, month, day),
                "attendance",
                "Attendance",
                f"{row.get_term_display()} {academic_year_label(row.academic_year)}: "
                f"attendance {row.rate}%{flag}",
                f"{row.attended_sessions} of {row.possible_sessions} sessions",
                approximate=True,
            )
        )
    return events


def _plain(number):
    """1.0 -> "1", 0.5 -> "0.5"."""
    return f"{Decimal(number).normalize():f}"


def _exclusion_events(exclusions, clean):
    return [
        Event(
            e.start_date,
            "exclusion",
            "Suspension" if e.kind == Exclusion.Kind.SUSPENSION else "Exclusion",
            f"Suspension of {_plain(e.days)} day{'s' if e.days != 1 else ''}"
            if e.kind == Exclusion.Kind.SUSPENSION
            else "Permanent exclusion",
            clean(e.reason),
        )
        for e in exclusions
    ]


def _conversation_events(conversations, clean):
    events = []
    for c in conversations:
        lines = []
        for label, text in (
            ("Barriers as the family sees them", c.barriers),
            ("What has worked", c.what_has_worked),
            ("The family's hopes", c.aspirations),
            ("Next steps", c.next_steps),
        ):
            if text:
                lines.append(f"{label}: {clean(text)}")
        for t in c.targets.all():
            outcome = f" ({t.get_outcome_display().lower()})" if t.outcome else ""
            lines.append(f"{t.get_kind_display()}: {clean(t.text)}{outcome}")
        events.append(
            Event(
                c.date,
                "voice",
                "Family's voice",
                f"Structured conversation with the family, led by the {c.get_led_by_display().lower()}",
                f"Attended: {clean(c.attended)}",
                lines,
            )
        )
    return events


def _voice_events(views, clean):
    events = []
    for review in views["ehcp_reviews"]:
        events.append(
            Event(
                review.meeting_date,
                "voice",
                "EHC plan review",
                "Annual review of the EHC plan",
                lines=[
                    f"The pupil's views: {clean(review.pupil_views)}",
                    f"The family's views: {clean(review.family_views)}",
                ]
                + (
                    [f"Changes recommended: {clean(review.recommended_changes)}"]
                    if review.recommended_changes
                    else []
                ),
            )
        )
    for item in views["parent_evidence"]:
        events.append(
            Event(item.date, "voice", "Family's voice", item.get_source_display(), clean(item.summary))
        )
    for item in views["pupil_evidence"]:
        events.append(
            Event(item.date, "voice", "Pupil's voice", item.get_source_display(), clean(item.summary))
        )
    return events


def _agency_events(reports, clean):
    return [
        Event(e.date, "agency", "Agency", "Report from an outside agency", clean(e.summary)) for e in reports
    ]


def _cycle_lines(done, current, clean):
    lines = [
        CycleLine(
            number=c.plan.number,
            started=c.plan.starts_on,
            reviewed=c.plan.reviewed_on,
            weeks=c.weeks,
            targets=c.plan.target_count,
            scored=c.plan.scored_count,
            met=c.plan.met_count,
            mean=one_decimal(c.plan.mean_score),
            summary=clean(c.plan.review_summary),
        )
        for c in done
    ]
    if current:
        lines.append(
            CycleLine(current.number, current.starts_on, None, None, current.target_count, 0, 0, None, "")
        )
    return lines


def _target_lines(rows):
    out = []
    for r in rows:
        if not (r.latest or r.year or r.key_stage):
            continue
        latest = ""
        if r.latest:
            parts = [r.latest.attainment.label] if r.latest.attainment_id else []
            if r.latest.points is not None:
                parts.append(f"{_plain(r.latest.points)} points")
            if r.latest.shown:  # a value on another framework (pupil_targets reads it)
                parts.append(f"{r.latest.shown} ({r.latest.framework.name})")
            latest = ", ".join(parts)
        out.append(
            TargetLine(
                r.subject.name,
                latest or "not assessed",
                r.year.words if r.year else "no target set",
                r.key_stage.words if r.key_stage else "no target set",
            )
        )
    return out


# Events of one day in the order a reader follows them: the concern before the plan it led to.
EVENT_ORDER = (
    *("concern", "sen", "plan", "intervention", "support"),
    *("voice", "agency", "review", "exclusion", "attendance"),
)


def _in_order(events):
    rank = {kind: i for i, kind in enumerate(EVENT_ORDER)}
    return sorted(events, key=lambda e: (e.date, rank.get(e.kind, len(rank))))


def _support_chart(observations):
    if len(observations) < 2:
        return ""
    points = [(o.observed_on, o.level) for o in observations]
    return level_line("Pupil Support Scale over time", points, SupportLevel.choices)


def build_journey(pupil, *, label, anonymised, today):
    """The pupil's journey, named or as `label` ("Pupil A") with free text redacted."""
    clean = Redactor(pupil) if anonymised else _as_is
    year = academic_year_of(today)
    sen_history = list(SenStatusChange.objects.filter(pupil=pupil).order_by("effective_date", "pk"))
    done, current = cycles_of(pupil)
    places = interventions_of(pupil)
    observations = sorted(support_observations(pupil), key=lambda o: (o.observed_on, o.pk))
    attendance = pupil_attendance_summary(pupil)
    views = views_of(pupil, done, current)
    conversations = views["conversations"]
    concern_evidence = list(
        EvidenceItem.objects.filter(pupils=pupil, source__in=CONCERN_SOURCES).order_by("date", "pk")
    )
    agency_reports = list(
        EvidenceItem.objects.filter(pupils=pupil, source=Source.AGENCY_REPORT).order_by("date", "pk")
    )
    ident = identification_of(
        pupil, sen_history, concerns_of(pupil, concern_evidence=concern_evidence, conversations=conversations)
    )
    interventions = _intervention_lines(places, clean)
    target_rows, _year, _ks = pupil_targets(pupil, today)
    _subjects, latest, series = _year_end_assessments(pupil)
    change = support_change(observations, year)

    events = _in_order(
        _identification_events(ident, clean)
        + _sen_events(sen_history, ident, clean)
        + _plan_events(done, current, clean)
        + _intervention_events(interventions)
        + _support_events(observations, clean)
        + _attendance_events(attendance.terms)
        + _exclusion_events(attendance.exclusions, clean)
        + _conversation_events(conversations, clean)
        + _voice_events(views, clean)
        + _agency_events(agency_reports, clean)
    )
    return Journey(
        label=label,
        anonymised=anonymised,
        pupil=None if anonymised else pupil,
        year_group=pupil.get_year_group_display(),
        status=pupil.get_sen_status_display().split(" — ", 1)[1],
        needs=[
            AreaOfNeed(code).label.split(" — ", 1)[1]
            for code in (pupil.primary_need, pupil.secondary_need)
            if code
        ],
        agencies=[a.name for a in pupil.agencies.all()],
        identification=ident,
        events=events,
        cycles=_cycle_lines(done, current, clean),
        open_plan=current,
        interventions=interventions,
        support_words=f"{change.words}." if change else "",
        support_chart=_support_chart(observations),
        targets=_target_lines(target_rows),
        target_year=academic_year_label(year),
        progress=progress_sentences(label if anonymised else pupil.forename, latest)
        + framework_sentences(label if anonymised else pupil.forename, series),
        attendance_years=attendance_against_school(pupil),
        suspensions=attendance.totals["suspensions"],
        suspension_days=_plain(Decimal(attendance.totals["suspension_days"])),
        permanent=attendance.totals["permanent"],
        conversations=len(conversations),
    )


def pupil_label(position):
    """ "Pupil A" for the first pupil of the sample; "Pupil X" for a pupil outside it, so that
    no two pupils of one school's documents share a letter."""
    return f"Pupil {letters(position)}" if position else "Pupil X"
