"""What plans read from other apps: the latest structured conversation with the pupil's parents
(evidence app) to feed the plan's parent voice and targets, and the latest intervention
checkpoint of each intervention a plan names (interventions app).

Both apps are optional to this one: each helper looks its models up by name and answers None or
nothing when they are absent, so plans work before and after those issues land.
"""

from dataclasses import dataclass, field

from django.apps import apps


def _model(app_label, name):
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


@dataclass
class ConversationSummary:
    date: object
    attended: str
    parent_voice: str
    targets: list = field(default_factory=list)  # (kind label, text)


def latest_conversation(pupil):
    """The latest structured conversation about this pupil, as text ready to prefill a plan."""
    Conversation = _model("evidence", "Conversation")
    if Conversation is None:
        return None
    conversation = (
        Conversation.objects.filter(pupil=pupil).prefetch_related("targets").order_by("-date").first()
    )
    if conversation is None:
        return None
    parts = [
        ("Barriers to learning, as the parents see them", getattr(conversation, "barriers", "")),
        ("What has worked", getattr(conversation, "what_has_worked", "")),
        ("Aspirations", getattr(conversation, "aspirations", "")),
    ]
    voice = "\n".join(f"{label}: {text.strip()}" for label, text in parts if text and text.strip())
    targets = [(t.get_kind_display(), t.text) for t in conversation.targets.all()]
    return ConversationSummary(conversation.date, getattr(conversation, "attended", ""), voice, targets)


@dataclass
class CheckpointSummary:
    week: int
    score: object
    note: str
    run_start: object


def latest_checkpoints(pupil, intervention_ids):
    """{intervention id: the pupil's latest checkpoint in that intervention}, in one query."""
    Checkpoint = _model("interventions", "Checkpoint")
    ids = {i for i in intervention_ids if i}
    if Checkpoint is None or not ids:
        return {}
    rows = (
        Checkpoint.objects.filter(place__pupil=pupil, place__run__intervention_id__in=ids)
        .order_by("place__run__start_date", "week")
        .values_list("place__run__intervention_id", "week", "score", "note", "place__run__start_date")
    )
    latest = {}
    for intervention_id, week, score, note, start in rows:  # a handful of rows for one pupil
        latest[intervention_id] = CheckpointSummary(week, score, note, start)
    return latest
