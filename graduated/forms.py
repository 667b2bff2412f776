from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from core.calendar import academic_year_label

from .models import AuthoritySettings, ChecklistItem, Provision
from .pack import Purpose
from .services import PROVISION_FIELDS


def _helper(label):
    helper = FormHelper()
    helper.form_tag = False
    helper.add_input(Submit("save", label))
    return helper


class ProvisionForm(forms.ModelForm):
    class Meta:
        model = Provision
        fields = [*PROVISION_FIELDS, "ended"]

    def __init__(self, *args, years, with_ended=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academic_year"] = forms.TypedChoiceField(
            label="Academic year", choices=[(y, academic_year_label(y)) for y in years], coerce=int
        )
        if not with_ended:
            del self.fields["ended"]
        self.helper = _helper("Save provision" if with_ended else "Add provision")


class AuthoritySettingsForm(forms.ModelForm):
    class Meta:
        model = AuthoritySettings
        fields = ["local_authority", "element_2_threshold"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Save")


class ChecklistItemForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["wording", "requirement"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Add to the checklist")


class PackForm(forms.Form):
    """What the SENCO chooses before building: the pack's purpose and the files to bundle."""

    purpose = forms.ChoiceField(choices=Purpose.CHOICES, initial=Purpose.REQUEST)
    attach = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Attachments to bundle in the zip"
    )

    def __init__(self, *args, attachments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attach"].choices = [
            (
                str(item.pk),
                f"{item.attachment_name or 'file'} — {item.get_source_display()}, {item.date:%d/%m/%Y}",
            )
            for item in attachments
        ]
