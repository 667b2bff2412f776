"""The role policy in templates, so a menu item shows to exactly those who may open it:

    {% load policy %}
    {% if membership|may:"grid.save" %}...{% endif %}
    {% if membership|pupil_scope == "groups" %}Groups you deliver{% endif %}

An unknown action name raises, as it does in a view.
"""

from django import template

from core import policy

register = template.Library()


@register.filter
def may(membership, action):
    return policy.can(membership, action)


@register.filter
def pupil_scope(membership):
    return policy.pupil_scope(membership).value
