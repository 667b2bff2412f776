"""Everything sendtrack holds about one pupil, in one download, for a subject access request
(UK GDPR article 15).

The related data is found from the model graph, not listed by hand: every table with a foreign
key or a many-to-many link to Pupil (assessments, attendance, interventions, evidence, plans and
whatever is added later) is included, with the pupil's own change history. A table added by a
future app is therefore never silently left out.
"""

import json

from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from .access_log import AccessLogPupil, pupil_access_log
from .models import Pupil


def _rows(objects):
    return [
        {"model": row["model"], "id": row["pk"], **row["fields"]}
        for row in serializers.serialize("python", objects)
    ]


def pupil_data(pupil):
    """A dict of the pupil's record and of every related table's rows about them."""
    related = {}
    for relation in Pupil._meta.related_objects:
        accessor = relation.get_accessor_name()
        if not accessor or relation.related_model is AccessLogPupil:
            continue  # the access log is given below, entry by entry
        if relation.one_to_one:
            try:
                rows = _rows([getattr(pupil, accessor)])
            except ObjectDoesNotExist:
                rows = []
        else:
            rows = _rows(getattr(pupil, accessor).all())
        if rows:
            related[relation.related_model._meta.label] = rows
    return {
        "exported_at": timezone.now(),
        "school": pupil.school.name,
        "pupil": _rows([pupil])[0],
        "change_history": _rows(pupil.history.all()),
        # Who read the pupil's data, when and how (the recipients a data subject may ask about).
        "access_log": [
            {
                "at": entry.at,
                "who": entry.username,
                "role": entry.role_label,
                "how": entry.get_how_display(),
                "what": entry.what,
                "detail": entry.detail,
            }
            for entry in pupil_access_log(pupil).order_by("at", "pk")
        ],
        "related": dict(sorted(related.items())),
    }


def pupil_data_json(pupil):
    return json.dumps(pupil_data(pupil), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
