"""What every desk view shares: the permission check and how an outcome is told to the desk."""

from collections.abc import Iterable

from django.contrib import messages
from django.core.exceptions import PermissionDenied

# What an action tells the desk afterwards: one success message, or (level, text) pairs when
# it is not plain success (an expedite waiting for a manager, an LSR that fails rules).
Said = str | Iterable[tuple[int, str]]


def require(user, *perms: str) -> None:
    """403 unless the user has every one of `perms` (checked before anything is loaded, so an
    outsider learns nothing from an id)."""
    if not user.has_perms(perms):
        raise PermissionDenied("You may not do this.")


def say(request, said: Said) -> None:
    if isinstance(said, str):
        said = [(messages.SUCCESS, said)]
    for level, text in said:
        messages.add_message(request, level, text)


def form_errors(request, form) -> None:
    """Each field's errors as messages, named by the field's label (for forms that are not
    shown again with their errors)."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            named = not label or str(error).startswith(f"{label}:")
            messages.error(request, error if named else f"{label}: {error}")
