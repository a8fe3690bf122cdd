def roles(request):
    """Role flags for templates: buttons a role may not use are not rendered."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"can": {}}
    # One permission lookup, cached on the user object by Django's backend.
    perms = user.get_all_permissions()
    return {
        "can": {
            "decide_expedite": user.is_superuser or "orders.decide_expedite" in perms,
            "decide_sup_flag": user.is_superuser or "orders.decide_sup_flag" in perms,
            "bulk_reassign": user.is_superuser or "orders.bulk_reassign" in perms,
            "review_rejections": user.is_superuser or "orders.review_rejections" in perms,
            "reveal_pin": user.is_superuser or "orders.reveal_pin" in perms,
            "admin": user.is_superuser,
        }
    }
