"""The Engagement Model and the statutory outcomes at the end of key stages 1 and 2: what a
pupil's observations say, area by area, and what the school reports for a pupil working below
the national curriculum tests.

Facts used, from the published sources (read, not copied):

- "The engagement model" (Standards and Testing Agency, DfE; guidance page on GOV.UK, first
  published 27 January 2020, updated for 2021/22 and since): the model replaces P scales 1 to 4 and
  is for pupils working below the standard of national curriculum assessments and not engaged in
  subject-specific study. It has five areas of engagement: exploration, realisation, anticipation,
  persistence and initiation. It became statutory from the 2021/22 academic year at key stages 1
  and 2 (since 2023/24 end of key stage 1 assessment is no longer statutory, but the model remains
  the way to set targets for such pupils in key stage 1). It does not replace a school's own
  planning and assessment, and each pupil's progress is measured independently, against their own
  profile of needs (the outcomes of their EHC plan), by how established the pupil is in each area.
  The guidance (and the summaries of it read beside it) treats the areas as interrelated and not
  hierarchical: they are not a ladder of steps, and are not to be added up into a score. So this
  module never gives a number, an average, or a total across areas, and never calls the summary
  attainment: each area keeps its own trend in words, with the notes as its narrative.
- "Key stage 2 teacher assessment: technical specification" (STA, 2024 to 2026 editions) and the
  KS2 teacher assessment guidance: at the end of key stage 2, for a pupil working below the
  standard of the tests, the school reports in English reading, English writing and mathematics a
  pre-key stage standard, PK1 to PK6, when the pupil is engaged in subject-specific study, or EM
  (the engagement model) when not yet engaged in subject-specific study. In science such a pupil
  is reported as HNM (has not met the expected standard), so science takes no outcome here. At
  the end of key stage 1 the pre-key stage 1 standards are PK1 to PK4, with EM likewise. The
  interim codes of 2018 (PKF, PKE, PKG) and "BLW" are no longer reported.
- "Common transfer file (CTF) specification" (DfE, CTF 19 to 21): a pupil's key stage results sit
  in StageAssessments / KeyStage (Stage: KS1, KS2) / StageAssessment, whose elements are Locale,
  Year (the calendar year of the assessment), Subject, Method (TA, teacher assessment), Component,
  ResultQualifier, Result and ResultDate. The subject and component codes written for reading,
  writing and mathematics (`CTF_CODES`) are those sendtrack's CTF import and its test files
  already use (ENG with RE or WR; MAT); they are kept in that one table, to be checked against
  the assessment component file ("A comp") of the year if a receiving system reads them otherwise.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.formats import date_format

from core import policy
from core.calendar import academic_year_label, academic_year_of

from .models import (
    EngagementArea,
    EngagementObservation,
    Established,
    Framework,
    FrameworkPlacement,
    StatutoryOutcome,
)

# -- statutory outcomes -------------------------------------------------------------------------

KS1, KS2 = StatutoryOutcome.KeyStage.KS1, StatutoryOutcome.KeyStage.KS2
ENGAGEMENT_CODE = "EM"
# The statutory subjects a pupil working below the tests is reported in, as stored.
SUBJECTS = {"reading": "Reading", "writing": "Writing", "maths": "Mathematics"}
STANDARDS = {KS1: 4, KS2: 6}  # pre-key stage standards: PK1 to PK4 at KS1, PK1 to PK6 at KS2
# (CTF Subject, Component) for each statutory subject; see the module docstring.
CTF_CODES = {"reading": ("ENG", "RE"), "writing": ("ENG", "WR"), "maths": ("MAT", "")}


def outcome_codes(key_stage):
    """The outcomes a school may report at the end of `key_stage`: PK1... and EM."""
    return [f"PK{n}" for n in range(1, STANDARDS[key_stage] + 1)] + [ENGAGEMENT_CODE]


def outcome_meaning(code):
    if code == ENGAGEMENT_CODE:
        return "the Engagement Model: not yet engaged in subject-specific study"
    return f"pre-key stage standard {code[2:]}"


class WrongOutcome(ValueError):
    """An outcome that is not reported at the key stage; the message says what is."""


def outcome_check(key_stage, subject, text):
    """The code `text` stands for at the end of `key_stage` in `subject`, in capitals, or raises
    `WrongOutcome` with a message a teacher can act on. "pk 4" and "pk4" read as PK4."""
    code = "".join((text or "").split()).upper()
    allowed = outcome_codes(key_stage)
    if code in allowed:
        return code
    ks = int(key_stage)
    last = allowed[-2]
    if code.startswith("PK") and code[2:].isdigit():
        reason = f"{code} is not a pre-key stage {ks} standard"
    elif code in {"PKF", "PKE", "PKG", "BLW"}:
        reason = f"{code} was an interim code and is no longer reported"
    elif code in {"WTS", "EXS", "GDS", "HNM"}:
        reason = f"{code} is a result at the standard of the national curriculum, not an outcome below it"
    else:
        reason = f"“{text.strip()}” is not an outcome code"
    raise WrongOutcome(
        f"{SUBJECTS.get(subject, subject)}, key stage {ks}: {reason}. Type PK1 to {last} "
        f"(the pre-key stage {ks} standards) or EM (the Engagement Model)."
    )


@dataclass
class OutcomeRow:
    key_stage: int
    year: int
    subject: str
    code: str

    @property
    def key_stage_label(self):
        return f"Key stage {self.key_stage}"

    @property
    def year_label(self):
        return academic_year_label(self.year)

    @property
    def subject_label(self):
        return SUBJECTS.get(self.subject, self.subject.title())

    @property
    def meaning(self):
        return outcome_meaning(self.code)


def statutory_outcomes_of(pupil):
    """A pupil's statutory outcomes, key stage 1 first, then reading, writing, maths: one query.
    The caller has already reached `pupil` through the policy (pupils.access)."""
    order = list(SUBJECTS)
    rows = [
        OutcomeRow(o.key_stage, o.academic_year, o.subject, o.outcome)
        for o in StatutoryOutcome.objects.filter(pupil=pupil)
    ]
    rows.sort(key=lambda r: (r.key_stage, order.index(r.subject) if r.subject in order else 99))
    return rows


def outcomes_for_ctf(pupil_ids):
    """{pupil id: [(stage, calendar year, subject, component, code)]} in one query, for the CTF."""
    found = {}
    rows = StatutoryOutcome.objects.filter(pupil_id__in=pupil_ids).order_by(
        "pupil_id", "key_stage", "subject"
    )
    for o in rows:
        subject, component = CTF_CODES.get(o.subject, (o.subject.upper()[:8], ""))
        found.setdefault(o.pupil_id, []).append(
            (f"KS{o.key_stage}", o.academic_year + 1, subject, component, o.outcome)
        )
    return found


def outcome_from_ctf(stage, subject, component, method, result):
    """(key stage, statutory subject, code) when a CTF result is a pre-key stage standard or the
    Engagement Model reported at the end of KS1 or KS2 in reading, writing or maths; else None."""
    key_stage = {"KS1": KS1, "KS2": KS2}.get((stage or "").upper())
    if key_stage is None or (method or "").upper() != "TA":
        return None
    by_codes = {codes: name for name, codes in CTF_CODES.items()}
    subject_name = by_codes.get(((subject or "").upper(), (component or "").upper()))
    if subject_name is None and (subject or "").upper() == "MAT":
        subject_name = "maths"  # mathematics with a component named: still the one subject
    code = "".join((result or "").split()).upper()
    if subject_name is None or code not in outcome_codes(key_stage):
        return None
    return key_stage, subject_name, code


# -- the Engagement Model -------------------------------------------------------------------------

AREAS = list(EngagementArea)


def _when(day, with_year):
    return date_format(day, "M Y" if with_year else "M")


@dataclass
class AreaSummary:
    area: str
    label: str
    runs: list = field(default_factory=list)  # [(established, first day, last day)]
    latest: EngagementObservation | None = None

    def trend(self, with_year=False):
        """ "emerging (Oct) → developing (Mar–Jun)": each run of observations at the same level,
        with the month it was first seen and, when seen again, the month it was last seen."""
        parts = []
        for level, first, last in self.runs:
            words = Established(level).label.lower()
            start, end = _when(first, with_year), _when(last, with_year)
            parts.append(f"{words} ({start}–{end})" if end != start else f"{words} ({start})")
        return " → ".join(parts)


@dataclass
class EngagementSummary:
    areas: list
    observations: int
    with_year: bool

    @property
    def lines(self):
        """Each area as a reader sees it: "Anticipation: emerging (Oct) → developing (Mar)"."""
        return [
            f"{a.label}: {a.trend(self.with_year)}" if a.runs else f"{a.label}: not yet observed"
            for a in self.areas
        ]

    @property
    def rows(self):
        return [
            {"summary": a, "line": line, "trend": a.trend(self.with_year)}
            for a, line in zip(self.areas, self.lines, strict=True)
        ]


def summarise(observations):
    """The summary of `observations` (any order): per area of the model, in its order, the runs of
    how established the pupil was and the latest observation (its note is the narrative). Never a
    number across areas. Months carry their year when the observations span academic years."""
    observations = sorted(observations, key=lambda o: (o.observed_on, o.pk or 0))
    by_area = {area.value: AreaSummary(area.value, area.label) for area in AREAS}
    for o in observations:
        summary = by_area[o.area]
        if summary.runs and summary.runs[-1][0] == o.established:
            level, first, _last = summary.runs[-1]
            summary.runs[-1] = (level, first, o.observed_on)
        else:
            summary.runs.append((o.established, o.observed_on, o.observed_on))
        summary.latest = o
    years = {academic_year_of(o.observed_on) for o in observations}
    return EngagementSummary(list(by_area.values()), len(observations), len(years) > 1)


def observations_of(pupil, *, since=None, until=None):
    """A pupil's observations, oldest first, with their observers: one query. The caller has
    reached `pupil` through the policy (pupils.access)."""
    rows = EngagementObservation.objects.filter(pupil=pupil).select_related("observer")
    if since:
        rows = rows.filter(observed_on__gte=since)
    if until:
        rows = rows.filter(observed_on__lte=until)
    return list(rows.order_by("observed_on", "pk"))


def engagement_summary(pupil, *, since=None, until=None):
    """The summary of a pupil's observations between `since` and `until` (both optional), or
    None if there are none: what the pupil page, the case study and the journey show."""
    rows = observations_of(pupil, since=since, until=until)
    return summarise(rows) if rows else None


def engagement_context(pupil, *, since=None, until=None):
    """What the include templates `assessment/_engagement_summary.html` and
    `assessment/_statutory_outcomes.html` read: two queries."""
    return {
        "engagement": engagement_summary(pupil, since=since, until=until),
        "statutory_outcomes": statutory_outcomes_of(pupil),
    }


def pupil_page_context(membership, pupil, *, placements=None):
    """The pupil page's Engagement Model section (assessment/engagement/_pupil_section.html):
    three queries, or two when the caller passes the pupil's framework `placements` it has read
    already (with their frameworks). The section is shown in full for a pupil with observations,
    outcomes or a placement on the Engagement Model; otherwise only the links to record them."""
    context = engagement_context(pupil)
    if placements is None:
        on_model = FrameworkPlacement.objects.filter(
            pupil=pupil, framework__kind=Framework.Kind.ENGAGEMENT
        ).exists()
    else:
        on_model = any(p.framework and p.framework.kind == Framework.Kind.ENGAGEMENT for p in placements)
    context.update(
        engagement_section=bool(context["engagement"] or context["statutory_outcomes"] or on_model),
        can_view_engagement=policy.can(membership, "engagement.view"),
        can_record_engagement=policy.can(membership, "engagement.record"),
        can_record_outcomes=policy.can(membership, "outcome.record"),
    )
    return context


# -- writes ---------------------------------------------------------------------------------------


def observation_save(observation, *, by):
    """Record or change an observation (the caller checked the policy and the pupil's scope)."""
    observation._history_user = by
    observation.full_clean()
    observation.save()
    return observation


@transaction.atomic
def outcomes_save(*, pupil, by, outcomes):
    """Keep a pupil's statutory outcomes as `outcomes` says: {(key stage, subject): (academic
    year, code or "")}; an empty code removes the outcome. Codes were checked (`outcome_check`).
    Returns how many outcomes were added, changed or removed."""
    stored = {(o.key_stage, o.subject): o for o in StatutoryOutcome.objects.filter(pupil=pupil)}
    changed = 0
    for (key_stage, subject), (year, code) in outcomes.items():
        row = stored.get((key_stage, subject))
        if not code:
            if row is not None:
                row._history_user = by
                row.delete()
                changed += 1
            continue
        if row is not None and (row.academic_year, row.outcome) == (year, code):
            continue
        row = row or StatutoryOutcome(pupil=pupil, key_stage=key_stage, subject=subject)
        row.academic_year, row.outcome, row.updated_by = year, code, by
        row._history_user = by
        row.save()
        changed += 1
    return changed
