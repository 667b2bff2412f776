import django_filters
from django import forms
from django.db.models import Q

from schools.models import classes_for

from .models import YEAR_GROUPS, AreaOfNeed, Pupil, SenStatus, year_groups_of

YES_NO = [("1", "Yes"), ("0", "No")]


class PupilFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search name or UPN")
    year_group = django_filters.ChoiceFilter(choices=YEAR_GROUPS, label="Year", empty_label="Any year")
    school_class = django_filters.ModelChoiceFilter(queryset=None, label="Class", empty_label="Any class")
    sen_status = django_filters.ChoiceFilter(
        choices=SenStatus.choices, label="SEN status", empty_label="Any status"
    )
    on_record = django_filters.BooleanFilter(
        method="filter_on_record",
        label="On SEND record (K or E)",
        widget=forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")]),
    )
    need = django_filters.ChoiceFilter(
        choices=AreaOfNeed.choices,
        method="filter_need",
        label="Area of need",
        empty_label="Any need",
    )
    pupil_premium = django_filters.BooleanFilter(
        label="PP", widget=forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")])
    )
    eal = django_filters.BooleanFilter(
        label="EAL", widget=forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")])
    )
    lac = django_filters.BooleanFilter(
        label="LAC", widget=forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")])
    )

    class Meta:
        model = Pupil
        fields = []

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["school_class"].queryset = classes_for(membership)
        self.filters["year_group"].extra["choices"] = year_groups_of(membership.school)
        for form_field in self.form.fields.values():
            is_select = isinstance(form_field.widget, forms.Select)
            form_field.widget.attrs["class"] = (
                "form-select form-select-sm" if is_select else ("form-control form-control-sm")
            )

    def search(self, queryset, name, value):
        words = value.split()
        for word in words[:5]:
            queryset = queryset.filter(
                Q(legal_surname__icontains=word)
                | Q(legal_forename__icontains=word)
                | Q(preferred_forename__icontains=word)
                | Q(upn__iexact=word)
            )
        return queryset

    def filter_on_record(self, queryset, name, value):
        on = queryset.on_sen_record()
        return on if value else queryset.exclude(pk__in=on.values("pk"))

    def filter_need(self, queryset, name, value):
        return queryset.filter(Q(primary_need=value) | Q(secondary_need=value))
