"""The end user's fields (account name and number, BTN, authorized person, service address),
as one plain dataclass.

Pure (no Django): the port-out rules (orders.rules) read it inside `LsrData`. The abstract
model `carriers.models.EndUserFields` declares the same names as columns (a test checks that
they agree), so a new end-user field is added there and here, and every service, form, CSR
comparison and test takes the list from `END_USER_FIELDS`.

Our own customer accounts (`carriers.models.CustomerAccount`) keep the account name in
`name`: `ACCOUNT_FIELD_NAMES` maps the end user's field to the account's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass(frozen=True, slots=True)
class EndUser:
    account_name: str = ""
    account_number: str = ""
    btn: str = ""
    authorized_person: str = ""
    service_address: str = ""
    city: str = ""
    state: str = ""
    zip_code: str = ""

    @classmethod
    def from_instance(cls, obj: Any) -> EndUser:
        """From an order, a port-in CSR or anything else with the fields as attributes."""
        return cls(**{name: getattr(obj, name) or "" for name in END_USER_FIELDS})

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> EndUser:
        """From a form's cleaned data or a parsed row: missing or None fields are empty."""
        return cls(**{name: values.get(name) or "" for name in END_USER_FIELDS})

    @classmethod
    def from_account(cls, account: Any) -> EndUser:
        """From one of our customer accounts."""
        return cls(
            **{name: getattr(account, ACCOUNT_FIELD_NAMES[name]) or "" for name in END_USER_FIELDS}
        )

    def as_fields(self) -> dict[str, str]:
        """Keyword arguments for an order or a port-in CSR (the `EndUserFields` columns)."""
        return asdict(self)

    def as_account_fields(self) -> dict[str, str]:
        """Keyword arguments for a customer account (its account name is `name`)."""
        return {ACCOUNT_FIELD_NAMES[name]: value for name, value in asdict(self).items()}

    def cleaned(self) -> EndUser:
        """Surrounding spaces dropped and the state in capitals, as every desk stores them."""
        values = {name: (value or "").strip() for name, value in asdict(self).items()}
        values["state"] = values["state"].upper()
        return EndUser(**values)


END_USER_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(EndUser))
ACCOUNT_FIELD_NAMES: dict[str, str] = {name: name for name in END_USER_FIELDS} | {
    "account_name": "name"
}
