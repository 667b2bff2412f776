"""`{% engagement_block pupil_id %}`: a pupil's Engagement Model summary and statutory outcomes,
for documents whose view has already reached the pupil through the policy (the pupil journey, a
case study). Two queries; nothing is shown for a pupil with neither."""

from django import template

from assessment.engagement import engagement_context

register = template.Library()


@register.inclusion_tag("assessment/engagement/_report_block.html")
def engagement_block(pupil_id, anonymised=False, heading="h2", since=None, until=None):
    """`anonymised`: leave out the observers' notes (free text may name the pupil). `heading`:
    "h2" or "h3"."""
    context = engagement_context(pupil_id, since=since, until=until) if pupil_id else {}
    return {**context, "notes": not anonymised, "heading": "h3" if heading == "h3" else "h2"}


@register.simple_tag
def engagement_of(pupil_id):
    """`{% engagement_of pupil_id as em %}`: the same two queries' context, for a document that
    reads it before showing it (a case study's progress summary names the block below), then
    `{% include "assessment/engagement/_report_block.html" with engagement=em.engagement ... %}`."""
    return engagement_context(pupil_id) if pupil_id else {}
