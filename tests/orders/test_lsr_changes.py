"""orders.lsr_changes: what changed between two versions of an LSR, field by field; the
account number by its keyed hash, shown masked."""

import pytest

from carriers.end_user import END_USER_FIELDS
from orders.lsr_changes import FIELD_LABELS, lsr_changes

pytestmark = pytest.mark.pure

V1 = {
    "pon": "PI2612040001",
    "version": 1,
    "reqtype": "C",
    "requested_due_date": "2026-12-20",
    "service_address": "100 Main St",
    "account_number_masked": "••••••••7766",
    "account_number_digest": "aaa",
    "authorization_indicator": True,
    "tns": ["5035550101", "5035550102"],
    "disconnect_tns": [],
}


def test_nothing_changed_is_empty_and_falsy():
    assert not lsr_changes(V1, {**V1, "version": 2})


def test_a_changed_field_shows_old_and_new_under_its_label():
    changes = lsr_changes(V1, {**V1, "service_address": "200 Oak Ave", "reqtype": ""})
    assert [(c.label, c.old, c.new) for c in changes.fields] == [
        ("REQTYPE", "C", "—"),
        ("Service address", "100 Main St", "200 Oak Ave"),
    ]


def test_the_account_number_changes_by_its_digest_and_shows_only_masked():
    new = {**V1, "account_number_masked": "••••••••3322", "account_number_digest": "bbb"}
    (change,) = lsr_changes(V1, new).fields
    assert (change.field, change.old, change.new, change.sensitive) == (
        "account_number",
        "••••••••7766",
        "••••••••3322",
        True,
    )


def test_another_number_with_the_same_last_four_is_still_a_change():
    (change,) = lsr_changes(V1, {**V1, "account_number_digest": "ccc"}).fields
    assert change.old == change.new == "••••••••7766"


def test_an_lsr_kept_without_digests_makes_no_claim_about_the_account_number():
    old = {k: v for k, v in V1.items() if not k.startswith("account_number")}
    assert not lsr_changes(old, {**old, "account_number_masked": "x"})


def test_tns_added_and_removed_per_disposition():
    new = {**V1, "tns": ["5035550102", "5035550103"], "disconnect_tns": ["5035550101"]}
    changes = lsr_changes(V1, new)
    assert [(t.label, t.added, t.removed) for t in changes.tns] == [
        ("TNs to port", ("5035550103",), ("5035550101",)),
        ("TNs to disconnect", ("5035550101",), ()),
    ]


def test_every_end_user_field_is_compared():
    assert set(END_USER_FIELDS) <= {name for name, _ in FIELD_LABELS}
