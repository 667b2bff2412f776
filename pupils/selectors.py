"""Reads of pupil data. Figures are aggregated by the database and returned as plain rows."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count as DbCount
from django.db.models import Q

from core.figures import Count, Share

from .models import AreaOfNeed, Pupil, SenStatus


def national_send_figures():
    year = max(settings.NATIONAL_SEND_FIGURES)
    return year, settings.NATIONAL_SEND_FIGURES[year]


@dataclass
class NeedRow:
    code: str
    label: str
    sen_support: Count
    ehcp: Count
    total: Count
    share_of_register: Share


@dataclass
class YearRow:
    year_group: int
    label: str
    pupils: int
    on_record: Share
    ehcp: Share


@dataclass
class RegisterSummary:
    total: int
    sen_support: Count
    ehcp: Count
    on_record: Count
    send_share: Share
    ehcp_share: Share
    national_year: int
    national_send: float
    national_ehcp: float
    needs: list = field(default_factory=list)
    years: list = field(default_factory=list)
    no_primary_need: int = 0


def sen_register_summary(school, *, suppress_below=0):
    """Counts by status, by primary need and by year group for a school's active pupils.

    Three queries whatever the number of pupils. `suppress_below` is the school's threshold
    when the reader is a governor, 0 for staff.
    """
    pupils = Pupil.objects.filter(school=school).active()
    totals = pupils.aggregate(
        total=DbCount("pk"),
        k=DbCount("pk", filter=Q(sen_status=SenStatus.SEN_SUPPORT)),
        e=DbCount("pk", filter=Q(sen_status=SenStatus.EHCP)),
    )
    total, k, e = totals["total"], totals["k"], totals["e"]
    on_record = k + e
    by_need = {
        row["primary_need"]: row
        for row in pupils.on_sen_record()
        .values("primary_need")
        .annotate(
            k=DbCount("pk", filter=Q(sen_status=SenStatus.SEN_SUPPORT)),
            e=DbCount("pk", filter=Q(sen_status=SenStatus.EHCP)),
        )
    }
    needs = []
    for code, label in AreaOfNeed.choices:
        row = by_need.get(code)
        if not row:
            continue
        needs.append(
            NeedRow(
                code=code,
                label=label.split(" — ", 1)[1],
                sen_support=Count.of(row["k"], suppress_below=suppress_below),
                ehcp=Count.of(row["e"], suppress_below=suppress_below),
                total=Count.of(row["k"] + row["e"], suppress_below=suppress_below),
                share_of_register=Share.of(row["k"] + row["e"], on_record, suppress_below=suppress_below),
            )
        )
    needs.sort(key=lambda n: -(n.total.value if not n.total.suppressed else 0))
    missing = by_need.get("", {"k": 0, "e": 0})
    years = [
        YearRow(
            year_group=row["year_group"],
            label=dict(Pupil._meta.get_field("year_group").choices)[row["year_group"]],
            pupils=row["n"],
            on_record=Share.of(row["send"], row["n"], suppress_below=suppress_below),
            ehcp=Share.of(row["ehcp"], row["n"], suppress_below=suppress_below),
        )
        for row in pupils.values("year_group")
        .annotate(
            n=DbCount("pk"),
            send=DbCount("pk", filter=Q(sen_status__in=[SenStatus.SEN_SUPPORT, SenStatus.EHCP])),
            ehcp=DbCount("pk", filter=Q(sen_status=SenStatus.EHCP)),
        )
        .order_by("year_group")
    ]
    year, national = national_send_figures()
    return RegisterSummary(
        total=total,
        sen_support=Count.of(k, suppress_below=suppress_below),
        ehcp=Count.of(e, suppress_below=suppress_below),
        on_record=Count.of(on_record, suppress_below=suppress_below),
        send_share=Share.of(on_record, total, suppress_below=suppress_below),
        ehcp_share=Share.of(e, total, suppress_below=suppress_below),
        national_year=year,
        national_send=national["send"],
        national_ehcp=national["ehcp"],
        needs=needs,
        years=years,
        no_primary_need=missing["k"] + missing["e"],
    )


def pupil_change_history(pupil):
    """Every change to the pupil's record, newest first: who, when, field, before, after."""
    records = list(pupil.history.select_related("history_user").order_by("history_date"))
    entries = []
    previous = None
    for record in records:
        if previous is None:
            entries.append({"record": record, "created": True, "changes": []})
        else:
            delta = record.diff_against(previous)
            changes = [_describe_change(change) for change in delta.changes]
            if changes:
                entries.append({"record": record, "created": False, "changes": changes})
        previous = record
    entries.reverse()
    return entries


def _describe_change(change):
    model_field = Pupil._meta.get_field(change.field)
    return {
        "field": model_field.verbose_name,
        "old": _display(model_field, change.old),
        "new": _display(model_field, change.new),
    }


def _display(model_field, value):
    if model_field.many_to_many:
        ids = [row.get("externalagency") for row in (value or [])]
        names = model_field.related_model.objects.filter(pk__in=ids).values_list("name", flat=True)
        return ", ".join(sorted(names)) or "none"
    if model_field.is_relation:
        if value is None:
            return "—"
        obj = model_field.related_model.objects.filter(pk=value).first()
        return str(obj) if obj else f"#{value}"
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value) or "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value in (None, ""):
        return "—"
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y %H:%M") if hasattr(value, "hour") else value.strftime("%d/%m/%Y")
    return str(value)
