"""The one way a view learns who is asking and what they may do.

`membership_required(action)` resolves request.membership (set by CurrentMembershipMiddleware)
and refuses (403) anyone without a membership of the current school, or whose role may not do
`action` (core.policy). School-owned objects are then fetched through the model's
`for_membership` queryset, and pupils through `pupils.access.access_pupil`, which answer 404
alike for what is missing and what is out of reach.
"""

from functools import wraps

from core import policy


def membership_required(action):
    roles = policy.roles_for(action)  # an unknown action fails here, when the URLs load

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            membership = request.membership
            policy.require(membership, action)
            # Hand the view the real object rather than the lazy wrapper.
            request.membership = getattr(membership, "_wrapped", membership)
            return view(request, *args, **kwargs)

        wrapper.action = action
        wrapper.allowed_roles = roles
        return wrapper

    return decorator
