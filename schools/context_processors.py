def membership(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current = request.membership
    return {
        "membership": current if current else None,
        "current_school": current.school if current else None,
        "all_memberships": request.memberships,
    }
