"""core.widgets draws select boxes and inputs in Python: the markup must be Django's own, every
value escaped, whatever the widget, its attributes and its value."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting

from core.widgets import DRAWN, FormRenderer


class Everything(forms.Form):
    need = forms.ChoiceField(
        choices=[("", "—"), ("x&y", 'A <b> "quoted"'), ("Group", [("1", "one"), ("2", "two")])],
        initial="2",
    )
    note = forms.CharField(
        initial='he said "hi" <x>',
        widget=forms.TextInput(attrs={"placeholder": "p&q", "autofocus": True, "disabled": False}),
    )
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    agreed = forms.BooleanField(initial=True)
    agencies = forms.MultipleChoiceField(choices=[("1", "one"), ("2", "two")], initial=["1", "2"])
    hidden = forms.IntegerField(widget=forms.HiddenInput, initial=3)
    points = forms.DecimalField(initial="2.5")
    year = forms.TypedChoiceField(choices=[(1, "Year 1")], coerce=int, initial=1)
    email = forms.EmailField(required=False)
    known = forms.NullBooleanField()


def _lines(html):
    """Django's select template leaves a blank line after each option: the same markup."""
    return [line for line in str(html).splitlines() if line.strip()]


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"need": "x&y", "note": "<script>alert(1)</script>", "day": "2026-01-01", "agencies": ["2"]},
        {"need": "nonsense", "points": "two", "email": "not an address", "known": "true"},
    ],
)
def test_the_same_markup_as_djangos_templates(data):
    fast = Everything(data, renderer=FormRenderer())
    slow = Everything(data, renderer=TemplatesSetting())
    for name in fast.fields:
        assert _lines(fast[name]) == _lines(slow[name]), name


def test_values_are_escaped():
    html = str(Everything({"note": '"><script>x</script>'}, renderer=FormRenderer())["note"])
    assert "<script>" not in html
    assert 'value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in html


def test_the_settings_renderer_draws_them():
    form = Everything()
    assert isinstance(form.renderer, FormRenderer)
    assert form["need"].field.widget.template_name in DRAWN
