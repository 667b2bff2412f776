"""The overview page's "needs attention" list: what the SENCO and head should act on now, each a
count in the database and a link to the page where it is dealt with."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from attendance.selectors import current_term
from core.calendar import academic_year_of
from evidence.models import Conversation
from plans.models import EhcPlan, SupportPlan, reminder_horizon
from pupils.models import Pupil


@dataclass
class Attention:
    count: int
    text: str
    url: str
    urgent: bool = False


def needs_attention(membership, today):
    pupils = Pupil.objects.for_membership(membership)
    reviews = EhcPlan.objects.for_membership(membership).aggregate(
        overdue=Count("pk", filter=Q(next_review_due__lt=today)),
        due_soon=Count(
            "pk", filter=Q(next_review_due__gte=today, next_review_due__lte=reminder_horizon(today))
        ),
    )
    support = SupportPlan.objects.for_membership(membership).aggregate(
        overdue=Count("pk", filter=Q(status=SupportPlan.Status.OPEN, review_date__lt=today)),
    )
    talked = Conversation.objects.filter(
        pupil=OuterRef("pk"), academic_year=academic_year_of(today), term=current_term(today)
    )
    silent = pupils.on_sen_record().exclude(Exists(talked)).count()
    plans_url, conversations_url = reverse("plans:index"), reverse("evidence:conversations")
    items = [
        Attention(reviews["overdue"], "EHC plan annual reviews overdue", plans_url, urgent=True),
        Attention(reviews["due_soon"], "EHC plan annual reviews due in the next eight weeks", plans_url),
        Attention(support["overdue"], "SEN support plans past their review date", plans_url, urgent=True),
        Attention(
            silent,
            "pupils on the SEND record whose families have had no conversation this term",
            conversations_url,
        ),
    ]
    return [item for item in items if item.count]
