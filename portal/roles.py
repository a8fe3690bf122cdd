"""The desk's roles. Groups are created by a data migration (orders 0002); permissions decide."""

STAFF_GROUP = "Porting staff"
MANAGER_GROUP = "Porting managers"


def is_manager(user):
    return user.is_authenticated and (
        user.is_superuser or user.groups.filter(name=MANAGER_GROUP).exists()
    )


def is_desk_user(user):
    """Staff, managers and superusers may work orders; any other account sees nothing."""
    return user.is_authenticated and (
        user.is_superuser or user.groups.filter(name__in=[STAFF_GROUP, MANAGER_GROUP]).exists()
    )
