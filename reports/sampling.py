"""Case sampling: the pupils the head or the SENCO chooses for an inspection, per school and year.

Under the renewed framework (from 10 November 2025) inspectors trace a small number of pupils
through their records to test what the school says about inclusion. Summaries of Ofsted's School
inspection operating guide describe about six pupils, drawn from the groups the toolkit's
inclusion evaluation area names: pupils with SEND (on SEN support and with an EHC plan),
disadvantaged pupils (pupil premium), and pupils known now or before to children's social care.
The page says what the sample should include and warns when it does not (`make_up`).
The guide's own text was not in the project's reference library when this was written: the
size (SAMPLE_SIZE) and the groups (REQUIREMENTS) follow the issue and those summaries, and are the
two constants to check against the guide's case-sampling section.

Reads first (the sample, its make-up, the search), then the two writes (add, remove).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q

from pupils.models import SEN_STATUSES_ON_RECORD, Pupil, SenStatus, inclusion_group_q

from .journey import pupil_label
from .models import InspectionSample, SampledPupil

SAMPLE_SIZE = 6  # about six pupils, as the summaries of the operating guide describe
MAX_SAMPLE = 12  # a sample much larger than this is no longer a sample
SEARCH_LIMIT = 30

# What the sample should include: (key, what it asks for, the pupils who meet it). Pupils known
# to children's social care are those looked after today, those with a child in need or child
# protection plan now or before, and those previously looked after (pupils.inclusion_group_q).
REQUIREMENTS = [
    ("ehcp", "at least one pupil with an EHC plan", Q(pupil__sen_status=SenStatus.EHCP)),
    ("sen_support", "at least one pupil on SEN support", Q(pupil__sen_status=SenStatus.SEN_SUPPORT)),
    (
        "disadvantaged",
        "at least one disadvantaged pupil (pupil premium or free school meals)",
        Q(pupil__pupil_premium=True) | Q(pupil__fsm=True),
    ),
    (
        "social_care",
        "at least one pupil known to children's social care",
        Q(pupil__lac=True)
        | inclusion_group_q("social_care", "pupil__")
        | inclusion_group_q("plac", "pupil__"),
    ),
]


@dataclass
class Check:
    key: str
    wanted: str
    count: int

    @property
    def met(self):
        return self.count > 0


@dataclass
class MakeUp:
    size: int
    checks: list

    @property
    def warnings(self):
        out = []
        if self.size < SAMPLE_SIZE:
            missing = SAMPLE_SIZE - self.size
            out.append(
                f"The sample has {self.size} pupil{'s' if self.size != 1 else ''}: inspectors trace about "
                f"{SAMPLE_SIZE}, so choose {missing} more."
            )
        elif self.size > SAMPLE_SIZE + 2:
            out.append(f"The sample has {self.size} pupils: inspectors trace about {SAMPLE_SIZE}.")
        out += [
            f"The sample has no {c.wanted.removeprefix('at least one ')}." for c in self.checks if not c.met
        ]
        return out


@dataclass
class Entry:
    sampled: SampledPupil
    pupil: Pupil
    label: str


def sample_of(school, academic_year):
    """The saved sample, or None (reading writes nothing)."""
    return InspectionSample.objects.filter(school=school, academic_year=academic_year).first()


def entries_of(membership, sample):
    """The sampled pupils the membership may see, in the order they were chosen (one query)."""
    if sample is None:
        return []
    rows = (
        SampledPupil.objects.for_membership(membership)
        .filter(sample=sample)
        .select_related("pupil__school_class")
        .order_by("position")
    )
    return [Entry(row, row.pupil, pupil_label(row.position)) for row in rows]


def make_up(sample):
    """The sample's size and, per requirement, how many sampled pupils meet it (one query)."""
    aggregates = {"size": Count("pk")}
    aggregates.update({key: Count("pk", filter=q) for key, _, q in REQUIREMENTS})
    counts = (
        SampledPupil.objects.filter(sample=sample).aggregate(**aggregates)
        if sample
        else dict.fromkeys(aggregates, 0)
    )
    return MakeUp(counts["size"], [Check(key, wanted, counts[key]) for key, wanted, _ in REQUIREMENTS])


def label_for(school, academic_year, pupil):
    """The pupil's anonymised label: their letter in the year's sample, "Pupil A" outside it."""
    position = (
        SampledPupil.objects.filter(sample__school=school, sample__academic_year=academic_year, pupil=pupil)
        .values_list("position", flat=True)
        .first()
    )
    return pupil_label(position)


def search(membership, *, text="", year_group=None, status="", exclude=()):
    """Pupils on roll the membership may see, by name or UPN, year group and SEN status; pupils
    on the SEND record when nothing is asked. At most SEARCH_LIMIT, one query."""
    pupils = Pupil.objects.for_membership(membership).select_related("school_class")
    if text:
        for word in text.split()[:4]:
            pupils = pupils.filter(
                Q(legal_forename__icontains=word)
                | Q(preferred_forename__icontains=word)
                | Q(legal_surname__icontains=word)
                | Q(upn__iexact=word)
            )
    if year_group is not None:
        pupils = pupils.filter(year_group=year_group)
    if status == "send":
        pupils = pupils.filter(sen_status__in=SEN_STATUSES_ON_RECORD)
    elif status:
        pupils = pupils.filter(sen_status=status)
    elif not text and year_group is None:
        pupils = pupils.filter(sen_status__in=SEN_STATUSES_ON_RECORD)
    return list(
        pupils.exclude(pk__in=list(exclude)).order_by("year_group", "legal_surname", "legal_forename")[
            :SEARCH_LIMIT
        ]
    )


# -- writes ---------------------------------------------------------------------------------------


@transaction.atomic
def sample_add(*, school, academic_year, pupil, by):
    """Add a pupil (already reached through access_pupil) to the year's sample."""
    sample, _ = InspectionSample.objects.select_for_update().get_or_create(
        school=school, academic_year=academic_year, defaults={"updated_by": by}
    )
    entries = SampledPupil.objects.filter(sample=sample)
    if entries.filter(pupil=pupil).exists():
        raise ValidationError(f"{pupil.full_name} is already in the sample.")
    if entries.count() >= MAX_SAMPLE:
        raise ValidationError(f"A sample holds at most {MAX_SAMPLE} pupils: remove one first.")
    position = (entries.aggregate(last=Max("position"))["last"] or 0) + 1
    sampled = SampledPupil.objects.create(sample=sample, pupil=pupil, position=position)
    sample.updated_by = by
    sample.save(update_fields=["updated_by", "updated_at"])
    return sampled


@transaction.atomic
def sample_remove(*, school, academic_year, pupil, by):
    """Take a pupil out of the year's sample; the others keep their letters."""
    sample = sample_of(school, academic_year)
    deleted = SampledPupil.objects.filter(sample=sample, pupil=pupil).delete()[0] if sample else 0
    if not deleted:
        raise ValidationError(f"{pupil.full_name} is not in the sample.")
    sample.updated_by = by
    sample.save(update_fields=["updated_by", "updated_at"])
