"""The one way a view learns who is asking and what they may reach.

`membership_required` resolves request.membership (set by CurrentMembershipMiddleware) and
refuses anyone without a membership of the current school, or without one of the roles a
view allows. School-owned objects are then fetched through the model's `for_membership`
queryset; `access_pupil` answers 404 alike for a pupil that does not exist and for one the
membership may not see, so a URL reveals nothing about another school.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from core.roles import Role

from .models import AGGREGATE_ONLY_ROLES, PUPIL_WRITE_ROLES

STAFF_ROLES = frozenset(Role) - AGGREGATE_ONLY_ROLES
LEADER_ROLES = frozenset({Role.SENCO, Role.HEAD})
ALL_ROLES = frozenset(Role)


def membership_required(roles=ALL_ROLES):
    roles = frozenset(roles)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            membership = request.membership
            if not membership or membership.role not in roles:
                raise PermissionDenied("Your role in this school does not give access to this page.")
            # Hand the view the real object rather than the lazy wrapper.
            request.membership = getattr(membership, "_wrapped", membership)
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = roles
        return wrapper

    return decorator


def access_pupil(membership, pk, *, include_archived=True, for_update=False):
    from pupils.models import Pupil

    if for_update and membership.role not in PUPIL_WRITE_ROLES:
        raise PermissionDenied("Only the SENCO can change pupil records.")
    qs = Pupil.objects.for_membership(membership, include_archived=include_archived)
    return get_object_or_404(qs.select_related("school_class", "school"), pk=pk)
