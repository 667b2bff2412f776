"""The SEN information report: what every school must publish on its website each year about
how it carries out its SEN policy (Children and Families Act 2014, section 69; the SEND
Regulations 2014, regulation 51 and Schedule 1; the SEND Code of Practice 2015, 6.79 onward).

The sections follow the paragraphs of Schedule 1, in the regulation's order, with the section 69
information about disabled pupils at the end. Where the records hold the answer the section is
drafted from them (the provision on offer, the needs on the register, how progress was reviewed
this year, the agencies the school works with); the rest start as a prompt for the SENCO.

The report is published, so every figure in it is read as the public reads it: suppressed at the
school's threshold whoever is reading (core.figures, core.disclosure), "c" where hidden.

Saving and redrafting (`information_report_save`, `information_report_redraft`) keep the
SENCO's words: each section keeps the draft it was last compared with, a section whose text
differs from that draft has been edited, and a new draft replaces only the sections not edited.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count as DbCount
from django.db.models import Min, Q
from django.utils import timezone

from core.calendar import academic_year_label
from core.figures import Count, Share
from core.words import listed
from evidence.models import Conversation
from graduated.models import Provision
from interventions.models import Intervention, InterventionPlace
from interventions.selectors import runs_in_year, year_bounds
from plans.models import SupportPlan
from pupils.models import SEN_STATUSES_ON_RECORD, AreaOfNeed, ExternalAgency, Pupil, SenStatusChange
from pupils.selectors import sen_register_summary
from schools.models import Membership

from .journey import Redactor
from .models import InformationReport

TO_COMPLETE = "[To complete]"


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    source: str  # where the law asks for it


SECTIONS = [
    Section("needs", "The kinds of special educational needs we make provision for", "Schedule 1, 1"),
    Section("identification", "How we identify and assess special educational needs", "Schedule 1, 2"),
    Section("evaluation", "How we evaluate the effectiveness of our provision", "Schedule 1, 3(a)"),
    Section("progress", "How we assess and review pupils' progress", "Schedule 1, 3(b)"),
    Section("teaching", "Our approach to teaching pupils with SEN", "Schedule 1, 3(c)"),
    Section("adaptations", "How we adapt the curriculum and the learning environment", "Schedule 1, 3(d)"),
    Section("support", "Additional support for learning", "Schedule 1, 3(e)"),
    Section("activities", "Taking part in the life of the school", "Schedule 1, 3(f)"),
    Section("wellbeing", "Support for emotional, mental and social development", "Schedule 1, 3(g)"),
    Section("senco", "Our SENCO and how to contact them", "Schedule 1, 4"),
    Section("expertise", "Staff expertise and training, and specialist expertise", "Schedule 1, 5"),
    Section("equipment", "Equipment and facilities", "Schedule 1, 6"),
    Section("parents", "Consulting and involving parents and carers", "Schedule 1, 7"),
    Section("pupils", "Consulting and involving pupils", "Schedule 1, 8"),
    Section("complaints", "Complaints about SEN provision", "Schedule 1, 9"),
    Section("partners", "Working with health, social care, the local authority and others", "Schedule 1, 10"),
    Section("family_support", "Support services for parents and carers", "Schedule 1, 11"),
    Section("transition", "Moving between phases and preparing for adulthood", "Schedule 1, 12"),
    Section("local_offer", "The local authority's local offer", "Schedule 1, 13"),
    Section(
        "accessibility",
        "Disabled pupils: admission, equal treatment, facilities and the accessibility plan",
        "Children and Families Act 2014, section 69(3)",
    ),
]
SECTION_KEYS = [s.key for s in SECTIONS]


@dataclass
class ReportFigures:
    """The school's figures as the public reads them (suppressed at the school's threshold)."""

    academic_year: int
    threshold: int
    register: object  # pupils.selectors.RegisterSummary
    newly_identified: Count
    interventions_run: int
    exit_met: Share
    plans_reviewed: Count
    conversations: Count
    families_met: Share
    pupil_voice: Share
    took_part: Share
    provision: list  # interventions with a run this year: (name, wave, area of need)
    provision_kinds: list
    wellbeing: list
    agencies: list
    senco: list

    @property
    def year_label(self):
        return academic_year_label(self.academic_year)


def report_figures(school, academic_year):
    """Everything the drafts and the figures table need: a fixed number of queries."""
    threshold = school.suppression_threshold
    start, end = year_bounds(academic_year)
    pupils = Pupil.objects.filter(school=school)
    on_record = Q(sen_status__in=SEN_STATUSES_ON_RECORD)

    # Pupils whose first move onto the SEND record fell in the year (one query).
    newly = (
        SenStatusChange.objects.filter(pupil__school=school, status__in=SEN_STATUSES_ON_RECORD)
        .values("pupil")
        .annotate(first_on=Min("effective_date"))
        .filter(first_on__range=(start, end))
        .count()
    )

    engagement = _engagement(school, academic_year, pupils.active().filter(on_record))
    finished = InterventionPlace.objects.filter(
        run__intervention__school=school, run__start_date__range=(start, end), exit_criteria_met__isnull=False
    ).aggregate(judged=DbCount("pk"), met=DbCount("pk", filter=Q(exit_criteria_met=True)))
    runs = runs_in_year(school, academic_year)
    plans = SupportPlan.objects.filter(pupil__school=school)
    plans_of_year = plans.filter(Q(starts_on__range=(start, end)) | Q(reviewed_on__range=(start, end)))
    voice = plans_of_year.aggregate(n=DbCount("pk"), voice=DbCount("pk", filter=~Q(pupil_voice="")))
    provision = _provision(school, runs)
    return ReportFigures(
        academic_year=academic_year,
        threshold=threshold,
        register=sen_register_summary(school, suppress_below=threshold),
        newly_identified=Count.of(newly, suppress_below=threshold),
        interventions_run=runs.count(),
        exit_met=Share.of(finished["met"], finished["judged"], suppress_below=threshold),
        plans_reviewed=Count.of(
            plans.filter(reviewed_on__range=(start, end)).count(), suppress_below=threshold
        ),
        conversations=Count.of(
            Conversation.objects.filter(pupil__school=school, date__range=(start, end)).count(),
            suppress_below=threshold,
        ),
        families_met=Share.of(engagement["met"], engagement["n"], suppress_below=threshold),
        pupil_voice=Share.of(voice["voice"], voice["n"], suppress_below=threshold),
        took_part=Share.of(engagement["took_part"], engagement["n"], suppress_below=threshold),
        provision=provision,
        provision_kinds=sorted(
            {
                Provision.Kind(kind).label
                for kind in Provision.objects.filter(pupil__school=school, academic_year=academic_year)
                .values_list("kind", flat=True)
                .distinct()
            }
        ),
        wellbeing=[name for name, _wave, area in provision if area.startswith("Social, emotional")],
        agencies=list(
            ExternalAgency.objects.filter(pupils__school=school)
            .distinct()
            .order_by("name")
            .values_list("name", flat=True)
        ),
        senco=_senco_contacts(school),
    )


def _engagement(school, academic_year, send_pupils):
    """Of the pupils on the SEND register: how many, how many of their families had a conversation
    in the year, and how many took part in a club, trip or visit."""
    start, end = year_bounds(academic_year)
    counts = send_pupils.aggregate(
        n=DbCount("pk", distinct=True),
        met=DbCount("pk", distinct=True, filter=Q(conversations__date__range=(start, end))),
    )
    counts["took_part"] = send_pupils.filter(participation__academic_year=academic_year).distinct().count()
    return counts


def _provision(school, runs):
    """(name, wave, area) of each intervention run in the year. A published list: an intervention
    named after a pupil loses the name."""
    clean = Redactor(school_id=school.pk)
    rows = (
        runs.values_list("intervention__name", "intervention__wave", "intervention__area_of_need")
        .distinct()
        .order_by("intervention__wave", "intervention__name")
    )
    return [
        (
            clean(name),
            Intervention.Wave(wave).label.split(" — ", 1)[0],
            AreaOfNeed(area).label.split(" — ", 1)[1] if area else "",
        )
        for name, wave, area in rows
    ]


def _senco_contacts(school):
    members = Membership.objects.filter(school=school, role="senco", is_active=True).select_related("user")
    return [(m.user.get_full_name() or m.user.username, m.user.email) for m in members]


def _in_sentence(label):
    """ "Moderate learning difficulty" -> "moderate learning difficulty"; "SEN support..." kept."""
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def drafts(figures):
    """The drafted text of every section, from the figures (already suppressed)."""
    f, year = figures, figures.year_label
    reg = f.register
    needs = [_in_sentence(line.label) for line in reg.needs if line.total.suppressed or line.total.value]
    out = {
        "needs": (
            f"We make provision for pupils with needs in all four broad areas of the SEND Code of Practice. "
            f"In {year} pupils on our SEND register have needs in these areas: "
            f"{listed(needs) or 'none recorded yet'}. "
            f"{reg.on_record} pupils are on the register: {reg.sen_support} receive SEN support and "
            f"{reg.ehcp} have an education, health and care plan (see the figures below)."
        ),
        "identification": (
            "Class teachers raise a concern when a pupil's progress or well-being gives cause for it; "
            "the SENCO assesses the pupil with the class teacher and the family, using the school's "
            "termly assessments, observations on the Pupil Support Scale and, where needed, advice from "
            "specialists. Where a pupil needs provision that is additional to or different from what "
            "others receive, we place them on SEN "
            f"support and tell the family. In {year}, {f.newly_identified} pupils joined the SEND register."
        ),
        "evaluation": (
            f"Every intervention is measured from a baseline to an exit score. In {year} we ran "
            f"{f.interventions_run} intervention group{'s' if f.interventions_run != 1 else ''}; "
            "of the places "
            f"judged against their exit criteria, {f.exit_met} met them. Leaders and governors review these "
            "figures each term and stop or change what does not work."
        ),
        "progress": (
            "Pupils on SEN support have a support plan reviewed with the family each term in a cycle of "
            "assess, plan, do and review; each target is scored at review. Pupils with an EHC plan "
            "also have an "
            f"annual review. In {year}, {f.plans_reviewed} SEN support plans were reviewed."
        ),
    }
    out.update(_provision_drafts(f, year))
    out.update(_to_complete())
    return {key: out[key] for key in SECTION_KEYS}


def _provision_drafts(f, year):
    """The sections on what the school offers and how it works with families and others."""
    wave_lines = [
        f"{name} ({wave.lower()}{', ' + area.lower() if area else ''})" for name, wave, area in f.provision
    ]
    return {
        "support": (
            f"Beyond adapted class teaching, pupils may receive this additional support in {year}: "
            f"{listed(wave_lines) or 'no intervention has run yet this year'}."
            + (
                f" Individual provision also includes {listed(k.lower() for k in f.provision_kinds)}."
                if f.provision_kinds
                else ""
            )
        ),
        "activities": (
            "Pupils with SEND take part in clubs, trips and residential visits with their classmates, "
            "with the "
            f"adjustments they need. In {year}, {f.took_part} of pupils on the SEND register took part in at "
            "least one recorded club, trip or visit."
        ),
        "wellbeing": (
            "Support for emotional, mental and social development includes "
            + (
                listed(f.wellbeing)
                if f.wellbeing
                else f"{TO_COMPLETE} the pastoral support the school offers"
            )
            + "."
        ),
        "senco": (
            "Our SENCO is "
            + (listed(f"{name}{f' ({email})' if email else ''}" for name, email in f.senco) or TO_COMPLETE)
            + ". Contact them through the school office."
        ),
        "equipment": (
            f"{TO_COMPLETE} How equipment and facilities are secured."
            + (
                " This year's individual provision includes equipment."
                if "Equipment" in f.provision_kinds
                else ""
            )
        ),
        "parents": (
            "We meet families at least each term to review their child's plan, and hold structured "
            f"conversations about their child's barriers, what works and their hopes. In {year} we held "
            f"{f.conversations} such conversations; {f.families_met} of pupils on the SEND register had one."
        ),
        "pupils": (
            "Pupils give their views for each support plan and at each review. In "
            f"{year}, {f.pupil_voice} of support plans recorded the pupil's own view."
        ),
        "partners": (
            "We work with "
            + (listed(f.agencies) if f.agencies else f"{TO_COMPLETE} the services the school works with")
            + ", with the local authority, and with health and social care services, to meet pupils' needs "
            "and support their families."
        ),
    }


def _to_complete():
    """The sections the records cannot draft: a prompt for the SENCO to write each."""
    prompts = {
        "teaching": "High-quality teaching, adapted for individual pupils, is the first step.",
        "adaptations": "How lessons, resources and the classroom are adapted.",
        "expertise": "Training staff have received and how specialist expertise is secured.",
        "complaints": "How to raise a concern or make a complaint about SEN provision.",
        "family_support": "Contact details of support services for parents, including the local SEND "
        "information, advice and support service.",
        "transition": "How pupils are supported when they join, move class and move on.",
        "local_offer": "Where families find the local authority's local offer.",
        "accessibility": "Admission arrangements for disabled pupils, the steps taken to prevent their "
        "less favourable treatment, the facilities that help them use the school, and the "
        "accessibility plan.",
    }
    return {key: f"{TO_COMPLETE} {text}" for key, text in prompts.items()}


@dataclass
class SectionView:
    section: Section
    text: str
    edited: bool
    draft: str


def report_for(school, academic_year):
    """The saved report, or None (reading writes nothing)."""
    return InformationReport.objects.filter(school=school, academic_year=academic_year).first()


def sections_of(report, fresh):
    """Each section's text (saved, or the fresh draft when never saved), whether the SENCO
    edited it (it differs from the draft it was compared with), and the fresh draft."""
    views = []
    for section in SECTIONS:
        fresh_text = fresh[section.key]
        if report is None or section.key not in report.sections:
            views.append(SectionView(section, fresh_text, False, fresh_text))
            continue
        text = report.sections[section.key]
        edited = text != report.drafts.get(section.key)
        views.append(SectionView(section, text, edited, fresh_text))
    return views


# -- writes ---------------------------------------------------------------------------------------


@transaction.atomic
def information_report_save(*, school, academic_year, texts, fresh, by):
    """Save the SENCO's text of every section. A report saved for the first time remembers the
    drafts it started from, so that unedited sections follow the next redraft."""
    report, created = InformationReport.objects.select_for_update().get_or_create(
        school=school, academic_year=academic_year, defaults={"drafts": fresh, "drafted_at": timezone.now()}
    )
    for key in SECTION_KEYS:
        report.drafts.setdefault(key, fresh[key])
        report.sections[key] = texts.get(key, "").strip()
    report.updated_by = by
    report.save()
    return report


@transaction.atomic
def information_report_redraft(*, school, academic_year, fresh, by):
    """Draft again from today's data: sections not edited take the new draft, edited ones keep
    the SENCO's words. Returns the headings of the sections kept."""
    report, _ = InformationReport.objects.select_for_update().get_or_create(
        school=school, academic_year=academic_year
    )
    kept = []
    for section in SECTIONS:
        key = section.key
        text = report.sections.get(key)
        if text is not None and text != report.drafts.get(key):
            kept.append(section.heading)
        else:
            report.sections[key] = fresh[key]
        report.drafts[key] = fresh[key]
    report.drafted_at = timezone.now()
    report.updated_by = by
    report.save()
    return kept
