"""The pupil picker: one widget for every form that chooses pupils (evidence items, intervention
runs, conversations), searchable by keyboard and screen reader whatever the size of the school.

The widget shows the pupils already chosen as ticked checkboxes (radio buttons when one pupil
is chosen) and a search box. With JavaScript, typing asks `pupil_search` (an htmx GET that reads
only what the user may see, writes nothing and makes the same number of queries for 100 pupils
or 1,500) for at most RESULTS_SHOWN matches, each a checkbox; static/js/picker.js keeps the
chosen list in step and announces only the count of matches and each pupil added or removed.
Without JavaScript the Search button posts the form, the view shows it again with what was
entered and the matches (`searching` and `keep_entered`), and nothing is saved until the form's
own button is pressed.

Every query goes through the field's queryset, which the form scopes with
`Pupil.objects.for_membership`, so a search never finds a pupil the user may not see.
"""

import re

from django import forms
from django.db.models import Q
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from schools.access import membership_required

from .models import Pupil, SenStatus

RESULTS_SHOWN = 20
SEARCH_BUTTON = "pick_search"  # the no-JavaScript Search button's name; its value is the field's
QUERY_SUFFIX = "_q"
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
STATUS_WORDS = {SenStatus.SEN_SUPPORT: "SEN support", SenStatus.EHCP: "EHC plan"}


def pupil_label(pupil):
    """How a pupil is named in the picker: surname first, with year, class and SEN status."""
    parts = [pupil.get_year_group_display()]
    if pupil.school_class_id:
        parts.append(str(pupil.school_class.name))
    status = STATUS_WORDS.get(pupil.sen_status)
    if status:
        parts.append(status)
    return f"{pupil.legal_surname}, {pupil.forename} ({', '.join(parts)})"


def search(queryset, text, *, limit=RESULTS_SHOWN):
    """The pupils of `queryset` matching every word of `text` (the start of a forename, part of a
    surname, a class name or a whole UPN), surname first, and how many match in all: two
    queries, however many pupils there are."""
    words = text.split()[:5]
    if not words:
        return 0, []
    matches = queryset
    for word in words:
        matches = matches.filter(
            Q(legal_forename__istartswith=word)
            | Q(preferred_forename__istartswith=word)
            | Q(legal_surname__icontains=word)
            | Q(school_class__name__icontains=word)
            | Q(upn__iexact=word)
        )
    total = matches.count()
    shown = list(
        matches.select_related("school_class").order_by("legal_surname", "legal_forename", "pk")[:limit]
    )
    return total, shown


def results_summary(total, shown, query):
    """What the live region says after a search: only the count, never the list."""
    if not query.split():
        return ""
    if total == 0:
        return f"No pupil matches \u201c{query}\u201d."
    found = "1 pupil matches" if total == 1 else f"{total} pupils match"
    more = f"; the first {shown} are shown, type more to narrow the search" if total > shown else ""
    return f"{found} \u201c{query}\u201d{more}."


def _ids(values):
    return [int(v) for v in values if str(v).isdigit()]


class PupilPicker(forms.Widget):
    """Chosen pupils as checkboxes (or radio buttons) and a search box; see the module."""

    template_name = "pupils/_picker.html"

    def __init__(self, attrs=None, *, multiple=True):
        super().__init__(attrs)
        self.multiple = multiple
        self.query = ""  # set by keep_entered when the form is shown again after a search
        self.queryset = Pupil.objects.none()

    def value_from_datadict(self, data, files, name):
        if self.multiple and hasattr(data, "getlist"):
            return data.getlist(name)
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False  # an empty list of checkboxes is a value (no pupil), not a missing field

    def format_value(self, value):
        if value is None or value == "":
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [str(getattr(v, "pk", v)) for v in values]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen_ids = _ids(context["widget"]["value"])
        chosen = (
            list(
                self.queryset.filter(pk__in=chosen_ids)
                .select_related("school_class")
                .order_by("legal_surname", "legal_forename", "pk")
            )
            if chosen_ids
            else []
        )
        total, found = search(self.queryset, self.query) if self.query else (0, [])
        chosen_set = set(chosen_ids)
        context["picker"] = {
            "multiple": self.multiple,
            "input_type": "checkbox" if self.multiple else "radio",
            "chosen": [(p.pk, pupil_label(p)) for p in chosen],
            "results": [(p.pk, pupil_label(p), p.pk in chosen_set) for p in found],
            "searched": bool(self.query.split()),
            "query": self.query,
            "query_name": f"{name}{QUERY_SUFFIX}",
            "summary": results_summary(total, len(found), self.query),
            "search_button": SEARCH_BUTTON,
        }
        return context

    def _render(self, template_name, context, renderer=None):
        # The project's templates (templates/pupils/), not the form renderer's, which sees only
        # Django's own widget templates.
        return render_to_string(template_name, context)  # a SafeString already

    def id_for_label(self, id_):
        return id_  # the label names the search box, which carries the field's id


class PupilPickerField(forms.ModelMultipleChoiceField):
    """Several pupils, from a queryset the form scopes to what the user may see."""

    widget = PupilPicker

    def __init__(self, *, queryset=None, **kwargs):
        super().__init__(queryset=queryset if queryset is not None else Pupil.objects.none(), **kwargs)

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self.queryset

    queryset = property(forms.ModelMultipleChoiceField._get_queryset, _set_queryset)


class PupilPickerChoiceField(forms.ModelChoiceField):
    """One pupil, with the same widget showing radio buttons."""

    def __init__(self, *, queryset=None, **kwargs):
        kwargs.setdefault("widget", PupilPicker(multiple=False))
        super().__init__(queryset=queryset if queryset is not None else Pupil.objects.none(), **kwargs)

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self.queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)


def searching(request):
    """Whether the form was posted by a picker's Search button (without JavaScript): the view then
    shows the form again with the matches, keeping what was entered, and saves nothing."""
    return request.method == "POST" and SEARCH_BUTTON in request.POST


def keep_entered(form):
    """Turn a form posted by the Search button into an unbound form that shows what was entered
    (no error messages: nothing was submitted yet) and each picker's matches."""
    initial = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        widget = field.widget
        if isinstance(widget, PupilPicker):
            widget.query = (form.data.get(f"{key}{QUERY_SUFFIX}") or "")[:100]
        if isinstance(field, forms.FileField):
            continue
        initial[name] = widget.value_from_datadict(form.data, form.files, key)
    form.initial = {**form.initial, **initial}
    form.is_bound = False
    form.data, form.files = {}, {}
    return form


def field_name(value):
    """A field name passed back by the picker's search request, or "pupils" for anything odd."""
    return value if value and FIELD_NAME.match(value) else "pupils"


@require_GET
@membership_required("pupil.view")
def pupil_search(request):
    """The picker's matches for what was typed (htmx): the pupils this user may see, each ticked
    when it is already chosen. Reads only; the same queries for any number of pupils."""
    name = field_name(request.GET.get("field"))
    multiple = request.GET.get("multiple") != "0"
    query = (request.GET.get(f"{name}{QUERY_SUFFIX}") or "")[:100]
    chosen = set(_ids(request.GET.getlist(name)))
    total, found = search(Pupil.objects.for_membership(request.membership), query)
    context = {
        "name": name,
        "picker": {
            "input_type": "checkbox" if multiple else "radio",
            "results": [(p.pk, pupil_label(p), p.pk in chosen) for p in found],
            "searched": bool(query.split()),
            "summary": results_summary(total, len(found), query),
        },
    }
    return render(request, "pupils/_picker_results.html", context)
