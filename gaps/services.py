"""Writes of the gaps app: national comparators (imported or edited) and findings."""

from django.db import transaction

from .dfe import read_ks2_characteristics
from .models import Finding, NationalComparator

KS2_SOURCE = "DfE key stage 2 attainment, national pupil characteristics"


@transaction.atomic
def comparators_import_ks2(*, school, source, file_name=""):
    """Store every comparator of a DfE KS2 characteristics file for `school`, replacing the
    same (year, measure, group) figures. Returns (created, updated). Raises DfeFileError."""
    rows = read_ks2_characteristics(source)
    existing = {
        (c.academic_year, c.measure, c.group): c for c in NationalComparator.objects.filter(school=school)
    }
    label = f"{KS2_SOURCE} ({file_name})" if file_name else KS2_SOURCE
    new, changed = [], []
    for row in rows:
        key = (row.academic_year, row.measure, row.group)
        comparator = existing.get(key) or NationalComparator(
            school=school, academic_year=row.academic_year, measure=row.measure, group=row.group
        )
        comparator.numerator, comparator.denominator = row.numerator, row.denominator
        comparator.value, comparator.percent, comparator.source = row.value, None, label[:200]
        comparator.full_clean(validate_unique=False)
        (changed if comparator.pk else new).append(comparator)
    NationalComparator.objects.bulk_create(new)
    NationalComparator.objects.bulk_update(
        changed, ["numerator", "denominator", "value", "percent", "source"], batch_size=500
    )
    return len(new), len(changed)


@transaction.atomic
def comparator_update(*, comparator, numerator, denominator, value):
    comparator.numerator, comparator.denominator, comparator.value = numerator, denominator, value
    comparator.percent = None
    comparator.source = "Edited by the school"
    comparator.full_clean()
    comparator.save()
    return comparator


@transaction.atomic
def finding_save(*, school, academic_year, key_question, text, by):
    finding = Finding.objects.filter(
        school=school, academic_year=academic_year, key_question=key_question
    ).first() or Finding(school=school, academic_year=academic_year, key_question=key_question)
    finding.text = text.strip()
    finding.updated_by = by
    finding.full_clean()
    finding.save()
    return finding
