"""R19, the port-out lock, as a pure rule: Facts built by hand, no database."""

import pytest

from orders.rules import Finding
from orders.rules.protection import r19_port_out_lock

from .builders import facts, ours

pytestmark = pytest.mark.pure

TN, TN2 = "5035550100", "5035550101"


def test_the_r19_rule_names_tns_not_the_account():
    locked = facts(ours(TN, account_id=7), ours(TN2, account_id=7), account_locks={7: True})
    (finding,) = r19_port_out_lock([TN, TN2], locked)
    assert isinstance(finding, Finding) and finding.code == "R19" and finding.rule == "R19"
    assert "(503) 555-0100" in finding.message


def test_an_unlocked_account_has_no_r19_finding():
    unlocked = facts(ours(TN, account_id=7), account_locks={7: False})
    assert r19_port_out_lock([TN], unlocked) == []
