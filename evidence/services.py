"""Writes of the evidence app: each keyword-only, atomic, and validated with full_clean()."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from core import policy
from core.calendar import academic_year_of, term_of
from pupils.models import Pupil

from .models import (
    Conversation,
    ConversationTarget,
    EvidenceItem,
    PartTwoConclusion,
    Scale,
    Survey,
    SurveyAnswerCount,
    SurveyQuestion,
    SurveyRound,
)
from .uploads import content_type_for


def _check_pupils(membership, pupils):
    """Every pupil must be one the membership may see; others may not tag a school-wide item."""
    pupils = list(pupils or [])
    visible = set(
        Pupil.objects.for_membership(membership)
        .filter(pk__in=[p.pk for p in pupils])
        .values_list("pk", flat=True)
    )
    if any(p.pk not in visible for p in pupils):
        raise ValidationError({"pupils": "You can only record evidence about pupils you teach or support."})
    if not pupils and not policy.can(membership, "evidence.record_whole_school"):
        raise ValidationError({"pupils": "Choose at least one of your pupils this evidence is about."})
    return pupils


@transaction.atomic
def evidence_create(
    *,
    membership,
    source,
    date,
    summary,
    judgement,
    pupils=(),
    group="",
    questions=(),
    prompts=(),
    attachment=None,
):
    policy.require(membership, "evidence.record")
    pupils = _check_pupils(membership, pupils)
    item = EvidenceItem(
        school=membership.school,
        source=source,
        date=date,
        author=membership.user,
        summary=summary,
        judgement=judgement,
        group=group,
    )
    if attachment:
        item.attachment = attachment
        item.attachment_name = attachment.name[:200]
        item.attachment_type = content_type_for(attachment.name)
    item.full_clean()
    item.save()
    item.pupils.set(pupils)
    item.questions.set(questions)
    item.prompts.set(prompts)
    return item


@transaction.atomic
def evidence_update(*, item, membership, attachment=None, remove_attachment=False, **fields):
    """The SENCO corrects an item. A new attachment replaces the old one, and a removed or replaced
    file is deleted from storage once the change is saved: the history does not keep attachments,
    so nothing could reach the old file again."""
    policy.require(membership, "evidence.edit")
    pupils = fields.pop("pupils", None)
    questions = fields.pop("questions", None)
    prompts = fields.pop("prompts", None)
    if pupils is not None:
        pupils = _check_pupils(membership, pupils)
    for name, value in fields.items():
        setattr(item, name, value)
    old_file = item.attachment.name if (attachment or remove_attachment) and item.attachment else ""
    if attachment:
        item.attachment = attachment
        item.attachment_name = attachment.name[:200]
        item.attachment_type = content_type_for(attachment.name)
    elif remove_attachment:
        item.attachment = ""
        item.attachment_name = item.attachment_type = ""
    item.full_clean()
    item.save()
    if old_file and old_file != item.attachment.name:
        storage = item.attachment.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    if pupils is not None:
        item.pupils.set(pupils)
    if questions is not None:
        item.questions.set(questions)
    if prompts is not None:
        item.prompts.set(prompts)
    return item


@transaction.atomic
def conclusion_save(*, school, academic_year, question, text, by):
    conclusion, _ = PartTwoConclusion.objects.get_or_create(
        school=school, academic_year=academic_year, question=question
    )
    conclusion.text = text.strip()
    conclusion.updated_by = by
    conclusion.full_clean()
    conclusion.save()
    return conclusion


@transaction.atomic
def conversation_create(*, pupil, by, curricular_target, wider_target, **fields):
    """A structured conversation and its two agreed targets: one curricular, one wider outcome."""
    conversation = Conversation(pupil=pupil, recorded_by=by, **fields)
    if conversation.date:
        conversation.academic_year = academic_year_of(conversation.date)
        conversation.term = term_of(conversation.date)
    if conversation.date and conversation.review_date and conversation.review_date < conversation.date:
        raise ValidationError({"review_date": "The review date cannot be before the conversation."})
    conversation.full_clean()
    conversation.save()
    for kind, text in (
        (ConversationTarget.Kind.CURRICULAR, curricular_target),
        (ConversationTarget.Kind.WIDER, wider_target),
    ):
        target = ConversationTarget(conversation=conversation, kind=kind, text=(text or "").strip())
        target.full_clean()
        target.save()
    return conversation


@transaction.atomic
def conversation_review(*, conversation, reviewed_on, outcomes):
    """Record each target's outcome at review. `outcomes` maps target pk to (outcome, note)."""
    if reviewed_on < conversation.date:
        raise ValidationError({"reviewed_on": "The review cannot be before the conversation."})
    for target in conversation.targets.all():
        if target.pk not in outcomes:
            continue
        target.outcome, target.outcome_note = outcomes[target.pk]
        target.reviewed_on = reviewed_on
        target.full_clean()
        target.save()
    return conversation


@transaction.atomic
def survey_create(*, school, kind, title, description="", questions):
    questions = [q.strip() for q in questions if q and q.strip()]
    if not questions:
        raise ValidationError({"questions": "A survey needs at least one question."})
    survey = Survey(school=school, kind=kind, title=title, description=description)
    survey.full_clean()
    survey.save()
    rows = [SurveyQuestion(survey=survey, order=n, text=text) for n, text in enumerate(questions, start=1)]
    for row in rows:
        row.full_clean(exclude=["survey"])
    SurveyQuestion.objects.bulk_create(rows)
    return survey


@transaction.atomic
def survey_round_record(*, survey, date, label, counts):
    """One round of answers: `counts` maps (question pk, answer) to the number who gave it."""
    if date and SurveyRound.objects.filter(survey=survey, date=date).exists():
        raise ValidationError({"date": "This survey already has a round on that date."})
    survey_round = SurveyRound(survey=survey, date=date, label=label)
    survey_round.full_clean()
    survey_round.save()
    question_ids = set(survey.questions.values_list("pk", flat=True))
    rows = []
    for (question_id, answer), count in counts.items():
        if question_id not in question_ids or answer not in Scale.values:
            raise ValidationError("An answer was given to a question that is not in this survey.")
        if count < 0:
            raise ValidationError("A count cannot be negative.")
        rows.append(
            SurveyAnswerCount(round=survey_round, question_id=question_id, answer=answer, count=count)
        )
    if not any(row.count for row in rows):
        raise ValidationError("Enter at least one answer count.")
    SurveyAnswerCount.objects.bulk_create(rows)
    return survey_round


def default_review_date(day):
    """A term on: the next conversation is two or three times a year (seeds/003)."""
    return day + datetime.timedelta(weeks=12)
