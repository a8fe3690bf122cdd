"""Model fields for CPNI at rest (R18): an encrypted account number and the keyed hash it is
found by.

- `EncryptedCharField`: the plaintext in Python, a Fernet token in the column
  (`carriers.cpni.encrypt_value`, `PIN_ENCRYPTION_KEY` and its rotation list). A token is
  different every time the same number is encrypted, so the column cannot be searched,
  compared or sorted: every lookup on the field (`filter(account_number=...)`, `__in`,
  admin `search_fields`) raises `FieldError` rather than silently matching nothing. Look
  numbers up through the digest: `with_account_number(queryset, value)`.
  `values()`/`values_list()` decrypt like attribute access does; so does `dumpdata` (its output
  then holds plaintext: treat such a file as CPNI).
- `DigestField(source=...)`: the keyed hash (`carriers.cpni.account_number_digest`, HMAC-SHA256
  of the number without case or punctuation) of the source field, NULL for an empty number so
  that a unique index allows any number of accounts without one and `ON CONFLICT` can use it.

How the digest stays in step with the number, without a `save()` override or a signal: the
digest field's `pre_save` recomputes it from the source attribute. Django calls `pre_save`
for `save()`, `create()`, `get_or_create()` and `bulk_create()` (also with `update_conflicts`),
so those need nothing. Three writes skip it and must name the digest themselves:

- `save(update_fields=[..., "account_number"])`: pass the list through `with_digests(model,
  fields)`, which adds the digest of every source field in it;
- `bulk_update(objs, ["account_number"])`: set `obj.<digest> = account_number_digest(...)`
  (or call `refresh_digests(obj)`) and add the digest to the fields;
- `queryset.update(account_number=...)` and raw SQL (the importers' upserts, the load-data
  generator): write `encrypt_value(...)` and `account_number_digest(...)` side by side.
"""

from __future__ import annotations

from django.core.exceptions import FieldError
from django.db import models

from carriers.cpni import account_number_digest, decrypt_value, encrypt_value


class EncryptedCharField(models.CharField):
    """A short text (an account number) kept as a Fernet token in a text column; `max_length`
    is the plaintext's (a CharField to forms and the admin, so a one-line input checked
    against it). Not usable in lookups, ordering or uniqueness: see the module docstring."""

    description = "Text encrypted at rest (Fernet); not searchable"

    def get_internal_type(self):
        # The column: a token is ~4x the number, and text needs no length to be migrated.
        return "TextField"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return decrypt_value(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return value
        return encrypt_value(value)

    def get_lookup(self, lookup_name):
        raise FieldError(
            f"{getattr(self, 'model', object).__name__}.{self.name} is encrypted at rest and "
            f"cannot be looked up ({lookup_name!r}): filter on its digest field instead "
            "(carriers.fields)."
        )


class DigestField(models.CharField):
    """The keyed hash of another field of the same model, recomputed on every save."""

    description = "Keyed hash (HMAC-SHA256) of another field, for matching"

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs["max_length"] = 64
        kwargs["editable"] = False
        kwargs["null"] = True
        kwargs["blank"] = True
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for fixed in ("max_length", "editable", "null", "blank"):
            kwargs.pop(fixed, None)
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def digest_of(self, instance) -> str | None:
        return account_number_digest(getattr(instance, self.source)) or None

    def pre_save(self, model_instance, add):
        value = self.digest_of(model_instance)
        setattr(model_instance, self.attname, value)
        return value


def digest_fields(model) -> list[DigestField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, DigestField)]


def with_digests(model, update_fields) -> list[str]:
    """`update_fields` plus the digest of each source field in it, for `save(update_fields=)`."""
    names = list(update_fields)
    for field in digest_fields(model):
        if field.source in names and field.name not in names:
            names.append(field.name)
    return names


def refresh_digests(instance) -> None:
    """Set every digest of `instance` from its source (before a `bulk_update`)."""
    for field in digest_fields(type(instance)):
        setattr(instance, field.attname, field.digest_of(instance))


def with_account_number(queryset, value: str | None, *, field: str = "account_number_digest"):
    """The rows whose account number matches `value` without case or punctuation (none for an
    empty value: an empty number matches nothing)."""
    digest = account_number_digest(value)
    if not digest:
        return queryset.none()
    return queryset.filter(**{field: digest})
