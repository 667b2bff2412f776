"""Writes of the graduated approach: a pupil's provision, the school's authority settings and
its checklist. Keyword-only and atomic; full_clean() before save, so a bad value is a
ValidationError shown beside its field, never a server error."""

from django.db import transaction

from .models import AuthoritySettings, ChecklistItem, Provision

PROVISION_FIELDS = [
    "academic_year",
    "kind",
    "description",
    "hours_per_week",
    "weeks",
    "hourly_rate",
    "other_cost",
    "shared_by",
]


@transaction.atomic
def provision_create(*, pupil, by, **data):
    provision = Provision(pupil=pupil, recorded_by=by, **data)
    provision.full_clean()
    provision.save()
    return provision


@transaction.atomic
def provision_update(*, provision, by, **data):
    for name, value in data.items():
        setattr(provision, name, value)
    provision.recorded_by = by
    provision.full_clean()
    provision.save()
    return provision


@transaction.atomic
def authority_settings_update(*, school, local_authority, element_2_threshold):
    settings, _created = AuthoritySettings.objects.get_or_create(school=school)
    settings.local_authority = local_authority
    settings.element_2_threshold = element_2_threshold
    settings.full_clean()
    settings.save()
    return settings


@transaction.atomic
def checklist_item_add(*, school, wording, requirement):
    last = (
        ChecklistItem.objects.filter(school=school).order_by("-order").values_list("order", flat=True).first()
    )
    item = ChecklistItem(school=school, wording=wording, requirement=requirement, order=(last or 0) + 1)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def checklist_item_remove(*, item):
    """The checklist is the school's configuration, not pupil data: an item is deleted outright."""
    item.delete()
