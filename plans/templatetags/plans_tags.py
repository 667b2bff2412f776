from django import template

from core.figures import one_decimal
from plans.models import ReviewState, TargetScore

register = template.Library()

STATE_BADGES = {
    ReviewState.OVERDUE: "text-bg-danger",
    ReviewState.DUE_SOON: "text-bg-warning",
    ReviewState.NOT_YET_DUE: "text-bg-light border",
}


@register.filter
def signed(value):
    """A score or mean score with its sign, one decimal: "+0.7", "−1.0", "0.0"; "—" if none."""
    if value is None:
        return "—"
    value = one_decimal(value)
    if value == 0:
        return "0.0"
    return f"+{value}" if value > 0 else f"−{abs(value)}"


@register.filter
def score_label(score):
    return "Not scored" if score is None else TargetScore(score).label


@register.inclusion_tag("plans/_state_badge.html")
def state_badge(state):
    return {"css": STATE_BADGES[state], "label": ReviewState(state).label}


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
