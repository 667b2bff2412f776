"""The form renderer: the commonest widgets (select boxes and single-line inputs) drawn in
Python, everything else by the templates as Django draws it.

Django draws a select box with one template for the box and two more for each option (the option
and its attributes), and a filter form of nine boxes with a few hundred options took a fifth of
the pupil list's time. These functions write the same markup as Django's templates
(django/forms/widgets/select.html, input.html and attrs.html), every value escaped as the
template language escapes it."""

from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe


def _attrs(attrs):
    """attrs.html: each attribute that is not False; True as a bare name."""
    return "".join(
        f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget):
    """input.html: every <input> widget (text, number, date, hidden, checkbox and the rest)."""
    kind, name = conditional_escape(widget["type"]), conditional_escape(widget["name"])
    value = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
    return f'<input type="{kind}" name="{name}"{value}{_attrs(widget["attrs"])}>'


def _select(widget):
    """select.html with select_option.html written in for each option."""
    html = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            html.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        html.extend(
            f'\n  <option value="{escape(option["value"])}"{_attrs(option["attrs"])}>'
            f"{conditional_escape(option['label'])}</option>"
            for option in options
        )
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return "".join(html)


INPUTS = ("text", "number", "email", "url", "password", "hidden", "date", "datetime", "time")
INPUTS += ("search", "tel", "color", "checkbox")
DRAWN = {f"django/forms/widgets/{name}.html": _input for name in INPUTS}
DRAWN["django/forms/widgets/select.html"] = _select


class FormRenderer(TemplatesSetting):
    """Django's TemplatesSetting renderer (the project's templates may stand in for Django's form
    templates), with the widgets in DRAWN written by the functions above."""

    def render(self, template_name, context, request=None):
        draw = DRAWN.get(template_name)
        if draw is None:
            return super().render(template_name, context, request=request)
        return mark_safe(draw(context["widget"]))  # noqa: S308 - every value above is escaped
