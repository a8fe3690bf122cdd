"""Removing the load data again (`generate_load_data --reset`)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from carriers.cpni import account_number_digest
from carriers.models import CustomerAccount, TelephoneNumber
from orders.loaddata.plan import ACCOUNT_PREFIX, PON_PREFIX, USER_PREFIX
from orders.models import (
    AuthorizationDispute,
    Comment,
    CsrRequest,
    NpacCancelRecord,
    OrderNumber,
    PortOrder,
    Rejection,
    StatusChange,
    StatusCheck,
    Supplement,
)


def reset(*, log: Callable[[str], None] | None = None) -> dict[str, int]:
    """Delete the generated load data (orders with an LD PON and everything hanging off them,
    LD accounts and their numbers, CSR requests created by load users). Carriers stay.

    Set-based DELETEs in dependency order; for a million orders dropping the database
    (`dropdb porting_bench`) is faster.
    """
    log = log or (lambda msg: None)
    qn = connection.ops.quote_name
    order_t = qn(PortOrder._meta.db_table)
    orders_sel = f"SELECT id FROM {order_t} WHERE pon LIKE %s"
    User = get_user_model()
    user_ids = list(
        User.objects.filter(username__startswith=USER_PREFIX).values_list("pk", flat=True)
    )
    deleted = {}
    like = [PON_PREFIX + "%"]
    steps = [
        (Rejection.reasons.through, "rejection_id", f"SELECT id FROM {qn(Rejection._meta.db_table)} WHERE order_id IN ({orders_sel})", like),  # noqa: E501
        (StatusCheck, "order_id", orders_sel, like),
        (Comment, "order_id", orders_sel, like),
        (StatusChange, "order_id", orders_sel, like),
        (Rejection, "order_id", orders_sel, like),
        (Supplement, "order_id", orders_sel, like),
        (NpacCancelRecord, "order_id", orders_sel, like),
        (OrderNumber, "order_id", orders_sel, like),
        (AuthorizationDispute, "order_id", orders_sel, like),
    ]  # fmt: skip
    acct_t = qn(CustomerAccount._meta.db_table)
    tn_t = qn(TelephoneNumber._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        acct_sel = _load_accounts(cursor)
        # The inventory made for the load: numbers on its orders (only ever taken from
        # NPA-NXX blocks nobody else used) and numbers on its accounts.
        cursor.execute(
            f"DELETE FROM {tn_t} WHERE (account_id IS NULL OR account_id IN ({acct_sel})) "
            f"AND tn IN (SELECT tn FROM {qn(OrderNumber._meta.db_table)} "
            f"WHERE order_id IN ({orders_sel}))",
            like,
        )
        n_numbers = cursor.rowcount
        cursor.execute(f"DELETE FROM {tn_t} WHERE account_id IN ({acct_sel})")
        deleted[TelephoneNumber._meta.label] = n_numbers + cursor.rowcount
        for model, column, subquery, params in steps:
            table = qn(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table} WHERE {qn(column)} IN ({subquery})", params)
            deleted[model._meta.label] = cursor.rowcount
        # Other rows that hang off orders (documents, PIN audits, CSRs...) go with them.
        for rel in PortOrder._meta.related_objects:
            related = rel.related_model
            if related in {m for m, *_ in steps} or rel.many_to_many:
                continue
            if related is PortOrder:
                continue
            cursor.execute(
                f"DELETE FROM {qn(related._meta.db_table)} "
                f"WHERE {qn(rel.field.column)} IN ({orders_sel})",
                like,
            )
        # Version 2 orders point at version 1 (supersedes): clear it, then delete.
        cursor.execute(
            f"UPDATE {order_t} SET supersedes_id = NULL WHERE pon LIKE %s AND "
            f"supersedes_id IS NOT NULL",
            like,
        )
        cursor.execute(f"DELETE FROM {order_t} WHERE pon LIKE %s", like)
        deleted[PortOrder._meta.label] = cursor.rowcount
        if user_ids:
            csr_t = qn(CsrRequest._meta.db_table)
            ids = ", ".join(str(int(u)) for u in user_ids)
            cursor.execute(
                f"DELETE FROM {qn(CsrRequest.reject_reasons.through._meta.db_table)} WHERE "
                f"csrrequest_id IN (SELECT id FROM {csr_t} WHERE created_by_id IN ({ids}))"
            )
            cursor.execute(
                f"DELETE FROM {qn(AuthorizationDispute._meta.db_table)} WHERE "
                f"csr_request_id IN (SELECT id FROM {csr_t} WHERE created_by_id IN ({ids}))"
            )
            cursor.execute(f"DELETE FROM {csr_t} WHERE created_by_id IN ({ids})")
            deleted[CsrRequest._meta.label] = cursor.rowcount
        cursor.execute(f"DELETE FROM {acct_t} WHERE id IN ({acct_sel})")
        deleted[CustomerAccount._meta.label] = cursor.rowcount
        cursor.execute(f"DROP TABLE {_LOAD_ACCOUNTS}")
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # The deleted rows stay in the tables and indexes until vacuumed; a benchmark on
        # the next load would otherwise read them.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")
    for label, n in deleted.items():
        log(f"  deleted {n:,} {label}")
    return deleted


_LOAD_ACCOUNTS = "loaddata_reset_accounts"


def _load_accounts(cursor) -> str:
    """The generated accounts, in a temporary table; returns the SELECT of their ids.

    Their numbers are Fernet tokens (no LIKE on them), but a generated account's number is
    `LD` + its id (ReferenceMixin._account): an account is generated when its digest is that
    number's digest. One HMAC per account, no decryption."""
    table = connection.ops.quote_name(CustomerAccount._meta.db_table)
    cursor.execute(f"CREATE TEMPORARY TABLE {_LOAD_ACCOUNTS} (id bigint PRIMARY KEY)")
    cursor.execute(f"SELECT id, account_number_digest FROM {table}")
    while rows := cursor.fetchmany(10_000):
        ids = [
            (pk,)
            for pk, digest in rows
            if digest and digest == account_number_digest(f"{ACCOUNT_PREFIX}{pk:010d}")
        ]
        if ids:
            with connection.cursor() as insert:
                insert.executemany(f"INSERT INTO {_LOAD_ACCOUNTS} (id) VALUES (%s)", ids)
    return f"SELECT id FROM {_LOAD_ACCOUNTS}"
