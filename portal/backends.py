"""The portal's authentication backend: Django's ModelBackend, permissions read in one query.

Every page checks permissions (the navbar, the role flags, the view's own check), so the
two queries ModelBackend makes for them (the user's own permissions, then their groups')
were two of the four statements every page paid before its own work. One UNION gives the
same set; the per-source caches Django keeps are left to be filled on demand, as before.
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

_NAME = ("content_type__app_label", "codename")


class PortalModelBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                rows = Permission.objects.values_list(*_NAME).order_by()
            else:
                own = Permission.objects.filter(user=user_obj).values_list(*_NAME).order_by()
                via_groups = Permission.objects.filter(group__user=user_obj)
                rows = own.union(via_groups.values_list(*_NAME).order_by()).order_by()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache
