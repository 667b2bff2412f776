from django import forms

from pupils.models import Pupil

from .models import Kind, RetentionPolicy


class PolicyForm(forms.ModelForm):
    class Meta:
        model = RetentionPolicy
        fields = ["pupil_records_until_age", "access_log_years", "school_evidence_years"]


class PurgeForm(forms.Form):
    kind = forms.ChoiceField(choices=Kind.choices, widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label="I understand these records and their files will be deleted for good.",
        error_messages={"required": "Tick the box to confirm the deletion."},
    )


class HoldForm(forms.Form):
    pupil = forms.ModelChoiceField(
        queryset=Pupil.objects.none(),
        required=False,
        empty_label="Every record of the school",
        label="Pupil who has left",
        help_text="Leave as every record to stop all deletion, for example during an inquiry.",
    )
    reason = forms.CharField(
        max_length=300, help_text="For example: a complaint to the tribunal, with its reference."
    )

    def __init__(self, *args, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils
