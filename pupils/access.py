"""The one way a view reaches a pupil: `access_pupil` answers 404 alike for a pupil that does not
exist and for one the membership may not see, so a URL reveals nothing about another school."""

from django.shortcuts import get_object_or_404

from core import policy

from .models import Pupil


def access_pupil(membership, pk, *, action="pupil.view", include_archived=True):
    """The pupil `pk`, if this membership may see it; refused (403) first unless the membership
    may do `action` ("pupil.change", "plan.change"...) to pupils at all."""
    policy.require(membership, action)
    qs = Pupil.objects.for_membership(membership, include_archived=include_archived)
    return get_object_or_404(qs.select_related("school_class", "school"), pk=pk)
