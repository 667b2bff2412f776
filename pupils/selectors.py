"""Reads of pupil data. Figures are aggregated by the database and returned as plain rows."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count as DbCount
from django.db.models import Q

from core.disclosure import TOTAL, Table
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
    pupils: Count
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

    Two queries whatever the number of pupils. `suppress_below` is the school's threshold
    when the reader is a governor, 0 for staff: the three tables are one table for disclosure
    control (core.disclosure), since the status totals add up the need rows and the year rows.
    """
    pupils = Pupil.objects.filter(school=school).active()
    by_need = {
        row["primary_need"]: row
        for row in pupils.on_sen_record()
        .values("primary_need")
        .annotate(
            k=DbCount("pk", filter=Q(sen_status=SenStatus.SEN_SUPPORT)),
            e=DbCount("pk", filter=Q(sen_status=SenStatus.EHCP)),
        )
    }
    by_year = list(
        pupils.values("year_group")
        .annotate(
            n=DbCount("pk"),
            send=DbCount("pk", filter=Q(sen_status__in=[SenStatus.SEN_SUPPORT, SenStatus.EHCP])),
            ehcp=DbCount("pk", filter=Q(sen_status=SenStatus.EHCP)),
        )
        .order_by("year_group")
    )
    # The status totals from the year rows: every active pupil is in exactly one of them.
    totals = {
        "total": sum(row["n"] for row in by_year),
        "k": sum(row["send"] - row["ehcp"] for row in by_year),
        "e": sum(row["ehcp"] for row in by_year),
    }
    table = _register_table(totals, by_need, by_year, suppress_below)
    needs = [
        NeedRow(
            code=code,
            label=label.split(" — ", 1)[1],
            sen_support=table.count(("need", code, "k")),
            ehcp=table.count(("need", code, "e")),
            total=table.count(("need", code, TOTAL)),
            share_of_register=table.share(("need", code, TOTAL), ("need", TOTAL, TOTAL)),
        )
        for code, label in AreaOfNeed.choices
        if code in by_need
    ]
    # Largest first; hidden rows last, in the census order, so their order says nothing.
    needs.sort(key=lambda n: -(n.total.value if not n.total.suppressed else -1))
    missing = by_need.get("", {"k": 0, "e": 0})
    years = [
        YearRow(
            year_group=row["year_group"],
            label=dict(Pupil._meta.get_field("year_group").choices)[row["year_group"]],
            pupils=table.count(("year", row["year_group"], "n")),
            on_record=table.share(("year", row["year_group"], "send"), ("year", row["year_group"], "n")),
            ehcp=table.share(("year", row["year_group"], "e"), ("year", row["year_group"], "n")),
        )
        for row in by_year
    ]
    year, national = national_send_figures()
    return RegisterSummary(
        total=totals["total"],
        sen_support=table.count(("need", TOTAL, "k")),
        ehcp=table.count(("need", TOTAL, "e")),
        on_record=table.count(("need", TOTAL, TOTAL)),
        send_share=table.share(("need", TOTAL, TOTAL), "roll"),
        ehcp_share=table.share(("need", TOTAL, "e"), "roll"),
        national_year=year,
        national_send=national["send"],
        national_ehcp=national["ehcp"],
        needs=needs,
        years=years,
        no_primary_need=missing["k"] + missing["e"],
    )


def _register_table(totals, by_need, by_year, suppress_below):
    """The SEN register's figures as one table for disclosure control: need x status with its
    margins (the status totals; pupils with no need recorded are a row the reader never sees), the
    pupils on roll, and per year group its pupils, its pupils with SEND and with an EHC plan (the
    pupils on SEN support and without SEND of a year are unknowns that add them up)."""
    table = Table(suppress_below)
    counts = {(code, s): row[s] for code, row in by_need.items() for s in ("k", "e")}
    table.add_crosstab(counts, list(by_need), ["k", "e"], prefix=("need",))
    if "" in by_need:
        table.unshown.update(("need", "", s) for s in ("k", "e", TOTAL))
    table.add("roll", totals["total"])
    table.add("not_send", totals["total"] - totals["k"] - totals["e"], shown=False)
    table.line("roll", [("need", TOTAL, TOTAL), "not_send"])
    for row in by_year:
        year = ("year", row["year_group"])
        table.add((*year, "n"), row["n"])
        table.add((*year, "send"), row["send"])
        table.add((*year, "e"), row["ehcp"])
        table.add((*year, "k"), row["send"] - row["ehcp"], shown=False)
        table.add((*year, "not_send"), row["n"] - row["send"], shown=False)
        table.line((*year, "n"), [(*year, "send"), (*year, "not_send")])
        table.line((*year, "send"), [(*year, "e"), (*year, "k")])
    for part in ("n", "send", "e", "k", "not_send"):
        members = [("year", row["year_group"], part) for row in by_year]
        total = {"n": "roll", "send": ("need", TOTAL, TOTAL), "not_send": "not_send"}.get(
            part, ("need", TOTAL, part)
        )
        table.line(total, members)
    return table


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
