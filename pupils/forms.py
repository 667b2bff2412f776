from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout, Submit
from django import forms
from django.utils import timezone

from schools.models import SchoolClass

from .models import AreaOfNeed, Concern, Pupil, SenStatus, YoungCarer, year_groups_of
from .upn import normalise_upn

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

PUPIL_FIELDS = [
    "upn",
    "legal_forename",
    "preferred_forename",
    "legal_surname",
    "date_of_birth",
    "gender",
    "year_group",
    "school_class",
    "pupil_premium",
    "fsm",
    "eal",
    "lac",
    "service_child",
    "social_care",
    "post_looked_after",
    "young_carer",
    "primary_need",
    "secondary_need",
    "agencies",
    "pen_portrait",
]


class PupilForm(forms.ModelForm):
    # Longer than 13 so that a UPN typed with spaces reaches clean_upn and is normalised.
    upn = forms.CharField(label="UPN", max_length=20)

    class Meta:
        model = Pupil
        fields = PUPIL_FIELDS
        widgets = {
            "date_of_birth": DATE_WIDGET,
            "agencies": forms.CheckboxSelectMultiple,
            "pen_portrait": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "upn": "13 characters from the school census or CTF, for example A123456789012.",
            "pen_portrait": "Strengths, interests and what helps, in a few sentences.",
        }

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.fields["school_class"].queryset = SchoolClass.objects.filter(school=school)
        self.fields["year_group"].choices = [("", "---------"), *year_groups_of(school)]
        # Not declared unless chosen: a form without the field (an older one, a script) keeps N.
        self.fields["young_carer"].required = False
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                "Identity",
                Div(
                    Div("upn", css_class="col-md-4"),
                    Div("date_of_birth", css_class="col-md-4"),
                    Div("gender", css_class="col-md-4"),
                    css_class="row",
                ),
                Div(
                    Div("legal_forename", css_class="col-md-4"),
                    Div("preferred_forename", css_class="col-md-4"),
                    Div("legal_surname", css_class="col-md-4"),
                    css_class="row",
                ),
            ),
            Fieldset(
                "School",
                Div(
                    Div("year_group", css_class="col-md-4"),
                    Div("school_class", css_class="col-md-4"),
                    css_class="row",
                ),
                Div(
                    Div("pupil_premium", css_class="col-md-3"),
                    Div("fsm", css_class="col-md-3"),
                    Div("eal", css_class="col-md-3"),
                    Div("lac", css_class="col-md-3"),
                    Div("service_child", css_class="col-md-3"),
                    css_class="row",
                ),
                Div(
                    Div("social_care", css_class="col-md-4"),
                    Div("post_looked_after", css_class="col-md-4"),
                    Div("young_carer", css_class="col-md-4"),
                    css_class="row",
                ),
            ),
            *self.extra_layout(),
            Fieldset(
                "Special educational needs",
                Div(
                    Div("primary_need", css_class="col-md-6"),
                    Div("secondary_need", css_class="col-md-6"),
                    css_class="row",
                ),
                Field("agencies"),
                Field("pen_portrait"),
            ),
            Submit("save", "Save pupil"),
        )

    def extra_layout(self):
        return []

    def clean_young_carer(self):
        return self.cleaned_data.get("young_carer") or YoungCarer.NOT_DECLARED

    def clean_upn(self):
        upn = normalise_upn(self.cleaned_data["upn"])
        clash = Pupil.objects.filter(school=self.school, upn=upn)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                "Another pupil in this school already has this UPN (archived pupils included)."
            )
        return upn

    def clean_date_of_birth(self):
        dob = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if dob >= today:
            raise forms.ValidationError("The date of birth must be in the past.")
        if today.year - dob.year > 25:
            raise forms.ValidationError("This date of birth makes the pupil over 25: check the year.")
        return dob

    def clean(self):
        cleaned = super().clean()
        primary, secondary = cleaned.get("primary_need"), cleaned.get("secondary_need")
        if secondary and not primary:
            self.add_error("secondary_need", "Give a primary need before a secondary one.")
        elif secondary and secondary == primary:
            self.add_error("secondary_need", "The secondary need must differ from the primary need.")
        school_class = cleaned.get("school_class")
        year_group = cleaned.get("year_group")
        if (
            school_class
            and school_class.year_group is not None
            and year_group is not None
            and school_class.year_group != year_group
        ):
            self.add_error("school_class", f"{school_class} is not a class in that year group.")
        return cleaned


class PupilCreateForm(PupilForm):
    sen_status = forms.ChoiceField(label="SEN status", choices=SenStatus.choices, initial=SenStatus.NONE)
    sen_status_date = forms.DateField(
        label="Status since",
        widget=DATE_WIDGET,
        required=False,
        help_text="For K or E, the date placed on the SEND record. Defaults to today.",
    )

    def extra_layout(self):
        return [
            Fieldset(
                "SEN status",
                Div(
                    Div("sen_status", css_class="col-md-6"),
                    Div("sen_status_date", css_class="col-md-6"),
                    css_class="row",
                ),
            )
        ]

    def clean(self):
        cleaned = super().clean()
        if need_missing(cleaned.get("sen_status"), cleaned.get("primary_need")):
            self.add_error("primary_need", NEED_MISSING)
        return cleaned

    def clean_sen_status_date(self):
        when = self.cleaned_data.get("sen_status_date")
        if when and when > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future.")
        return when


NEED_MISSING = (
    "Choose the pupil's primary need: a pupil on SEN support or with an EHC plan needs one "
    "(the school census asks for it). If the need has not been assessed yet, choose NSA."
)


def need_missing(status, primary_need):
    """Whether joining the register with `status` lacks the primary need it requires."""
    return status in (SenStatus.SEN_SUPPORT, SenStatus.EHCP) and not primary_need


# The classes crispy-forms gives these widgets. The pupil page draws the SEN status and archive
# forms itself (templates/overview/pupil_detail.html), the same markup for less time; crispy, which
# draws them again with their errors, keeps classes a widget has already.
CRISPY_CLASSES = {
    forms.Select: "select form-select",
    forms.DateInput: "dateinput form-control",
    forms.TextInput: "textinput form-control",
}


def _with_crispy_classes(form):
    for field in form.fields.values():
        classes = CRISPY_CLASSES.get(type(field.widget))
        if classes:  # a widget of another kind keeps what crispy gives it
            field.widget.attrs["class"] = classes


class SenStatusChangeForm(forms.Form):
    status = forms.ChoiceField(label="New SEN status", choices=SenStatus.choices)
    effective_date = forms.DateField(label="From", widget=DATE_WIDGET)
    primary_need = forms.ChoiceField(
        label="Primary need",
        choices=[("", "—"), *AreaOfNeed.choices],
        required=False,
        help_text="Needed for SEN support or an EHC plan.",
    )
    note = forms.CharField(
        label="Reason or note",
        max_length=300,
        required=False,
        help_text="For example: EHC plan finalised; needs now met by quality-first teaching.",
    )

    def __init__(self, *args, pupil=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.pupil = pupil
        if pupil is not None and pupil.primary_need:
            self.fields["primary_need"].initial = pupil.primary_need
        _with_crispy_classes(self)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Div(
                Div("status", css_class="col-md-3"),
                Div("effective_date", css_class="col-md-3"),
                Div("primary_need", css_class="col-md-6"),
                css_class="row",
            ),
            Field("note"),
            Submit("save", "Record change"),
        )

    def clean(self):
        cleaned = super().clean()
        need = cleaned.get("primary_need") or (self.pupil.primary_need if self.pupil else "")
        if need_missing(cleaned.get("status"), need):
            self.add_error("primary_need", NEED_MISSING)
        elif self.pupil is not None and need and need == self.pupil.secondary_need:
            self.add_error("primary_need", "The primary need must differ from the secondary need.")
        return cleaned


class ArchiveForm(forms.Form):
    archive_reason = forms.CharField(
        label="Why is this record archived?",
        max_length=200,
        help_text="For example: left the school on 18/07/2025.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _with_crispy_classes(self)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "archive_reason", Submit("archive", "Archive pupil", css_class="btn-warning")
        )


class ConcernForm(forms.ModelForm):
    """A concern raised about a pupil: when, by whom and what was noticed."""

    class Meta:
        model = Concern
        fields = ["raised_on", "raised_by", "summary"]
        widgets = {"raised_on": DATE_WIDGET, "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["summary"].max_length = 4000
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Div(
                Div("raised_on", css_class="col-md-4"),
                Div("raised_by", css_class="col-md-8"),
                css_class="row",
            ),
            Field("summary"),
            Submit("save", "Record the concern"),
        )
