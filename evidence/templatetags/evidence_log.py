"""An evidence item as the evidence log and the Part Two pages list it, written in Python: the
log draws one for each of its rows, and the template language resolved some thirty variables, a
URL or two and an include for each (`get_source_display` rebuilding the choices every time). It
gives what templates/evidence/_item.html gave, every value from the item escaped by the standard
library's escape, as Django's does (tests/evidence/test_evidence_log_tags.py)."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from core.markup import text as escape
from core.markup import url_with_id
from core.templatetags.dates import dmy
from evidence.models import Judgement, Source
from pupils.templatetags.sen import pupil_url

register = template.Library()

SOURCES = dict(Source.choices)
JUDGEMENT_BADGES = {
    Judgement.STRENGTH.value: '<span class="badge text-bg-success">Strength</span>',
    Judgement.DEVELOPMENT.value: '<span class="badge text-bg-warning">Area for development</span>',
}
NEUTRAL_BADGE = '<span class="badge text-bg-secondary">Neutral</span>'


def _about(item):
    if item.visible_pupils:
        links = ", ".join(
            f'<a href="{pupil_url(p.pk)}">{escape(p.full_name)}</a>' for p in item.visible_pupils
        )
        return f"About {links}."
    return "" if item.group else "School-wide."


def _questions(item):
    questions = item.questions.all()
    if not questions:
        return ""
    links = ", ".join(
        f'<a href="{url_with_id("evidence:question", q.number)}">Q{q.number}</a>' for q in questions
    )
    return f"Part Two: {links}."


def _prompts(item):
    prompts = item.prompts.all()
    if not prompts:
        return ""
    return f"Prompts: {', '.join(str(p.number) for p in prompts)}."


def _attachment(item):
    if not item.attachment:
        return ""
    return (
        f'<a href="{url_with_id("evidence:attachment", item.pk)}">Download the attached file'
        f'<span class="visually-hidden"> ({escape(item.attachment_name)})</span></a>'
    )


@register.filter
def judgement_badge(judgement):
    """The badge of an item's judgement: fixed markup, nothing from the item."""
    return mark_safe(JUDGEMENT_BADGES.get(judgement, NEUTRAL_BADGE))  # noqa: S308 - constant markup


@register.filter
def evidence_item(item):
    """One item of the log: its source and date (linked), judgement, summary (its first fifty
    words), author, the pupils it is about that the reader may see (`visible_pupils`, prefetched),
    its group, Part Two questions, Ofsted prompts and attached file."""
    pk = item.pk
    author = item.author
    group = f"Group: {escape(item.group)}." if item.group else ""
    summary = Truncator(str(item.summary)).words(50, truncate=" …")
    return mark_safe(  # noqa: S308 - every value from the item is escaped
        f'<article class="border-bottom py-2" aria-labelledby="item-{pk}-h">\n'
        f'  <h3 id="item-{pk}-h" class="h6 mb-1"><a href="{url_with_id("evidence:detail", pk)}">'
        f"{escape(SOURCES.get(item.source, str(item.source)))}, {dmy(item.date)}</a> "
        f"{judgement_badge(item.judgement)}\n</h3>\n"
        f'  <p class="mb-1">{escape(summary)}</p>\n'
        f'  <p class="small text-body-secondary mb-0">\n'
        f"    By {escape(author.get_full_name() or author.get_username())}.\n"
        f"    {_about(item)}\n"
        f"    {group}\n"
        f"    {_questions(item)}\n"
        f"    {_prompts(item)}\n"
        f"    {_attachment(item)}\n"
        f"  </p>\n"
        f"</article>"
    )
