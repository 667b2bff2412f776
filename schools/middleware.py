from django.utils.functional import SimpleLazyObject

from .models import memberships_for

SESSION_KEY = "current_school_id"


def _memberships(request):
    if not hasattr(request, "_memberships"):
        request._memberships = memberships_for(request.user)
    return request._memberships


def _current_membership(request):
    memberships = _memberships(request)
    if not memberships:
        return None
    wanted = request.session.get(SESSION_KEY)
    for membership in memberships:
        if membership.school_id == wanted:
            return membership
    return memberships[0]


class CurrentMembershipMiddleware:
    """Sets request.membership: the user's role in the school they are working in now, and
    request.memberships: all of the user's active memberships (for the school switcher), a
    trust or local-authority lead's organisation membership read as one in each of its schools.

    Every school-owned query starts from request.membership, so a view cannot reach another
    school's data without first holding a membership of it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = SimpleLazyObject(lambda: _current_membership(request))
        request.memberships = SimpleLazyObject(lambda: _memberships(request))
        return self.get_response(request)
