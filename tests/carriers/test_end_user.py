"""The end user's fields are listed once: `carriers.end_user.EndUser` (pure, for the rules) and
the abstract model `EndUserFields` (the columns of orders and port-in CSRs) agree, and every
other list (CSR comparison, customer accounts, the LSR snapshot) is derived from them."""

import ast
import inspect

import pytest

from carriers import end_user as end_user_module
from carriers.end_user import ACCOUNT_FIELD_NAMES, END_USER_FIELDS, EndUser
from carriers.models import CustomerAccount, EndUserFields
from orders.csr_compare import CSR_FIELDS
from orders.models import PortInCsr, PortOrder
from orders.rules import LsrData

ALICE = EndUser(
    account_name="Rose City Bakery LLC",
    account_number="ACCT-100200",
    btn="5035550100",
    authorized_person="Pat Smith",
    service_address="100 Main St",
    city="Portland",
    state="OR",
    zip_code="97204",
)


def _columns(model) -> tuple[str, ...]:
    return tuple(f.name for f in model._meta.get_fields() if f.name in END_USER_FIELDS)


@pytest.mark.pure
def test_the_dataclass_and_the_abstract_model_list_the_same_fields_in_the_same_order():
    abstract = tuple(f.name for f in EndUserFields._meta.fields)
    assert abstract == END_USER_FIELDS


@pytest.mark.pure
def test_orders_and_port_in_csrs_have_every_end_user_field_from_the_abstract_model():
    for model in (PortOrder, PortInCsr):
        assert issubclass(model, EndUserFields)
        assert set(_columns(model)) == set(END_USER_FIELDS)


@pytest.mark.pure
def test_a_customer_account_has_every_end_user_field_under_its_own_name_and_length():
    for name, account_name in ACCOUNT_FIELD_NAMES.items():
        ours = CustomerAccount._meta.get_field(account_name)
        theirs = EndUserFields._meta.get_field(name)
        assert ours.max_length == theirs.max_length, name


@pytest.mark.pure
def test_the_csr_comparison_compares_every_end_user_field_in_order():
    assert tuple(f.name for f in CSR_FIELDS) == END_USER_FIELDS


@pytest.mark.pure
def test_the_end_user_module_imports_nothing_of_django():
    # The rules hold an EndUser inside LsrData, and the rules are pure.
    tree = ast.parse(inspect.getsource(end_user_module))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert imported <= {"__future__", "collections", "dataclasses", "typing"}


@pytest.mark.pure
def test_cleaned_drops_spaces_and_capitalises_the_state():
    raw = EndUser(account_name="  ABC Co ", state=" or ", zip_code="97204 ")
    assert raw.cleaned() == EndUser(account_name="ABC Co", state="OR", zip_code="97204")


@pytest.mark.pure
def test_values_and_account_fields_round_trip():
    assert EndUser.from_values({**ALICE.as_fields(), "pin": "1234", "city": None}) == EndUser(
        **{**ALICE.as_fields(), "city": ""}
    )
    account = CustomerAccount(**ALICE.as_account_fields())
    assert account.name == ALICE.account_name
    assert EndUser.from_account(account) == ALICE
    assert EndUser.from_instance(PortOrder(**ALICE.as_fields())) == ALICE


@pytest.mark.pure
def test_the_lsr_snapshot_keeps_the_end_user_fields_at_the_top_level():
    lsr = LsrData(pon="PON-1", tns=("5035550100",), end_user=ALICE)
    snapshot = lsr.as_dict()
    assert "end_user" not in snapshot
    assert {name: snapshot[name] for name in END_USER_FIELDS} == ALICE.as_fields()
    assert LsrData.from_dict(snapshot) == lsr
