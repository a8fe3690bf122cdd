"""What the CPNI migrations (carriers 0004, orders 0018) do to existing rows, kept here so a
test can run it on a row written the old way.

Raw SQL by primary-key batches: the same statements on SQLite and PostgreSQL, independent of
the field classes of the model (historical or current), and quick on a million orders (one
SELECT and one executemany per batch; `bulk_update`'s CASE per row grows with the batch).
Keyset paging rather than an open cursor: SQLite must not update a table it is reading.
"""

from __future__ import annotations

from django.db import connections

from carriers.cpni import CpniDecryptionError, account_number_digest, decrypt_value, encrypt_value

BATCH = 2000


def _batches(connection, table: str, columns: list[str], where: str = ""):
    qn = connection.ops.quote_name
    names = ", ".join(qn(c) for c in ["id", *columns])
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {names} FROM {qn(table)} WHERE id > %s {where} ORDER BY id LIMIT %s",
                [last, BATCH],
            )
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _is_token(value: str) -> bool:
    try:
        decrypt_value(value)
    except CpniDecryptionError:
        return False
    return True


def encrypt_account_numbers(
    model,
    *,
    using: str = "default",
    unique: bool = False,
    column: str = "account_number",
    with_digest: bool = True,
) -> int:
    """Encrypt each plaintext number of `model`'s table and fill `<column>_digest`; returns
    how many rows were rewritten. A value that already decrypts is left alone (run twice,
    nothing changes twice). With `unique`, refuse two rows with one digest (raised with the
    first batch that shows a clash; the migration's transaction undoes the earlier ones)."""
    connection = connections[using]
    qn = connection.ops.quote_name
    table = model._meta.db_table
    digest_column = f"{column}_digest"
    sql = f"UPDATE {qn(table)} SET {qn(column)} = %s, {qn(digest_column)} = %s WHERE id = %s"
    columns = [column, digest_column]
    if not with_digest:
        sql = f"UPDATE {qn(table)} SET {qn(column)} = %s WHERE id = %s"
        columns = [column]
    rewritten = 0
    seen: dict[str, int] = {}
    clashes: list[tuple[int, int]] = []
    for rows in _batches(connection, table, columns):
        updates = []
        for pk, value, *digests in rows:
            digest = digests[0] if with_digest else None
            if not value:
                if digest is not None:  # only ever with_digest
                    updates.append(("", None, pk))
                continue
            if _is_token(value):
                plain, token = decrypt_value(value), value
            else:
                plain, token = value, encrypt_value(value)
            new_digest = account_number_digest(plain) or None
            if unique and new_digest:
                if new_digest in seen:
                    clashes.append((seen[new_digest], pk))
                seen.setdefault(new_digest, pk)
            if not with_digest:
                if token != value:
                    updates.append((token, pk))
            elif token != value or new_digest != digest:
                updates.append((token, new_digest, pk))
        if clashes:
            # Before writing the batch: a unique index already there would fail less clearly.
            # The ids only: the numbers are CPNI, even in a migration's error.
            pairs = ", ".join(f"{a} and {b}" for a, b in clashes[:20])
            raise RuntimeError(
                f"{model._meta.label}: account numbers equal once case and punctuation are "
                f"ignored (ids {pairs}): merge those accounts, then migrate."
            )
        if updates:
            with connection.cursor() as cursor:
                cursor.executemany(sql, updates)
            rewritten += len(updates)
    return rewritten


def decrypt_account_numbers(
    model, *, using: str = "default", column: str = "account_number", with_digest: bool = True
):
    """The way back: tokens to plaintext, digests cleared."""
    connection = connections[using]
    qn = connection.ops.quote_name
    table = model._meta.db_table
    clear = f", {qn(column + '_digest')} = NULL" if with_digest else ""
    sql = f"UPDATE {qn(table)} SET {qn(column)} = %s{clear} WHERE id = %s"
    for rows in _batches(connection, table, [column]):
        updates = [(decrypt_value(value), pk) for pk, value in rows if value and _is_token(value)]
        if updates:
            with connection.cursor() as cursor:
                cursor.executemany(sql, updates)


def drop_account_numbers_from_lsr_snapshots(model, *, using: str = "default") -> int:
    """Port-out orders kept the LSR as received, account number included, in plain JSON: the
    number now lives only in the order's encrypted column (orders.services.portout.lsr)."""
    connection = connections[using]
    field = model._meta.get_field("lsr_snapshot")
    qn = connection.ops.quote_name
    table = model._meta.db_table
    sql = f"UPDATE {qn(table)} SET {qn('lsr_snapshot')} = %s WHERE id = %s"
    rewritten = 0
    last = 0
    while True:
        rows = list(
            model._base_manager.using(using)
            .filter(pk__gt=last, lsr_snapshot__has_key="account_number")
            .order_by("pk")
            .values_list("pk", "lsr_snapshot")[:BATCH]
        )
        if not rows:
            return rewritten
        updates = []
        for pk, snapshot in rows:
            snapshot.pop("account_number", None)
            updates.append((field.get_db_prep_save(snapshot, connection), pk))
        with connection.cursor() as cursor:
            cursor.executemany(sql, updates)
        rewritten += len(updates)
        last = rows[-1][0]


def encrypt_csr_answers(model, *, using: str = "default") -> int:
    """CSR answers given before kept each account's number in plain JSON: encrypt it there
    (orders.services.portout.csr_requests.csr_answer_shown decrypts it for the carrier)."""
    connection = connections[using]
    field = model._meta.get_field("answer")
    qn = connection.ops.quote_name
    sql = f"UPDATE {qn(model._meta.db_table)} SET {qn('answer')} = %s WHERE id = %s"
    rewritten = 0
    last = 0
    while True:
        rows = list(
            model._base_manager.using(using)
            .filter(pk__gt=last, answer__kind="csr")
            .order_by("pk")
            .values_list("pk", "answer")[:BATCH]
        )
        if not rows:
            return rewritten
        updates = []
        for pk, answer in rows:
            changed = False
            for account in answer.get("accounts", []):
                number = account.get("account_number") or ""
                if number and not _is_token(number):
                    account["account_number"] = encrypt_value(number)
                    changed = True
            if changed:
                updates.append((field.get_db_prep_save(answer, connection), pk))
        if updates:
            with connection.cursor() as cursor:
                cursor.executemany(sql, updates)
            rewritten += len(updates)
        last = rows[-1][0]
